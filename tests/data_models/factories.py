"""Small builders for `schema.Dataset` in tests (reusable by everyone).

Two ways to build:

    ds = Builder(["01", "02"]).pop(2023, "01", u21=1000).hze(2023, "01", "07", andauernd=5).build()

or directly `dataset(sozialraeume=..., hze=[{...}, ...])` with row dicts of canonical columns (schema.TABLES).
Every frame is passed through `schema.conform`, so canonical columns and dtypes are guaranteed; missing columns
are <NA>/None. `synthetic_dataset(...)` makes a large random but plausible dataset (benchmarks, property tests).
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from data_models import codes
from data_models.schema import OHNE, TABLES, Dataset, conform, empty

_counter = itertools.count(1)


def frame(kind: str, rows: Iterable[dict] | pd.DataFrame | None = None) -> pd.DataFrame:
    """A canonical frame of `kind` from row dicts (or a DataFrame)."""
    if rows is None:
        return empty(kind)
    df = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    if not len(df):
        return empty(kind)
    return conform(kind, df)


def sozialraum(sozialraum_id: str, name: str | None = None, team: str | None = None, ab: int | None = None,
               bis: int | None = None, gemeindeschluessel: str | None = None) -> dict:
    return {"sozialraum_id": sozialraum_id, "name": name or f"Sozialraum {sozialraum_id}", "team": team,
            "gemeindeschluessel": gemeindeschluessel, "gueltig_ab": ab, "gueltig_bis": bis}


def dataset(sozialraeume: Iterable[dict | str] = ("01", "02"), record_years: dict | None = None,
            tenant_name: str = "Teststadt", **tables) -> Dataset:
    """A Dataset from row lists per kind; `sozialraeume` may be ids (names "Sozialraum <id>") or dicts."""
    srs = [sozialraum(s) if isinstance(s, str) else s for s in sozialraeume]
    built = {"sozialraeume": frame("sozialraeume", srs)}
    for kind, rows in tables.items():
        if kind not in TABLES:
            raise KeyError(kind)
        built[kind] = frame(kind, rows)
    ry = {k: set(v) for k, v in (record_years or {}).items()}
    for kind in ("hze_records", "s8a_records", "s42_records"):
        if kind in built and len(built[kind]) and kind not in ry:
            ry[kind] = {int(y) for y in built[kind]["jahr"].dropna().unique()}
    return Dataset(tables=built, record_years=ry, tenant_name=tenant_name)


def population_row(jahr: int, sr: str, u15: int | None = 0, u18: int | None = None, u21: int | None = None,
                   insgesamt: int | None = None, a21_27: int | None = 0) -> dict:
    """A `bevoelkerung` row from cumulative figures: u15 goes into 0–3, u18 − u15 into 15–18, u21 − u18 into
    18–21 (so u15, u18, u21 come out as given); insgesamt defaults to u21 + a21_27."""
    u18 = u15 if u18 is None else u18
    u21 = u18 if u21 is None else u21
    row = {"jahr": jahr, "sozialraum_id": sr, "a0_3": u15, "a3_6": 0, "a6_10": 0, "a10_15": 0,
           "a15_18": None if u15 is None or u18 is None else u18 - u15,
           "a18_21": None if u18 is None or u21 is None else u21 - u18, "a21_27": a21_27}
    row["insgesamt"] = insgesamt if insgesamt is not None else (None if u21 is None else u21 + (a21_27 or 0))
    return row


def hze_record(jahr: int, sr: str | None, hilfeart: str, beginn: tuple[int, int] | None = None,
               ende: tuple[int, int] | None = None, **fields) -> dict:
    """One `hze_records` row. `beginn`/`ende` = (year, month); default begin (jahr, 1), no end (running)."""
    by, bm = beginn or (jahr, 1)
    row = {"jahr": jahr, "kennung": fields.pop("kennung", f"k{next(_counter)}"), "sozialraum_id": sr,
           "hilfeart": hilfeart, "beginn_jahr": by, "beginn_monat": bm,
           "ende_jahr": ende[0] if ende else None, "ende_monat": ende[1] if ende else None,
           "geschlecht": "1", "alter_beginn": 10, "grund1": "14", "junge_menschen": 1}
    row.update(fields)
    return row


def s8a_record(jahr: int, sr: str | None, ergebnis: str, **fields) -> dict:
    row = {"jahr": jahr, "kennung": fields.pop("kennung", f"a{next(_counter)}"), "sozialraum_id": sr,
           "ergebnis": ergebnis, "vernachlaessigung": False, "koerperlich": False, "psychisch": False,
           "sexuell": False}
    row.update(fields)
    return row


def s42_record(jahr: int, sr: str | None, art: str = "1", dauer_tage: int = 10, **fields) -> dict:
    row = {"jahr": jahr, "kennung": fields.pop("kennung", f"i{next(_counter)}"), "sozialraum_id": sr, "art": art,
           "dauer_tage": dauer_tage}
    row.update(fields)
    return row


class Builder:
    """Fluent Dataset builder: each method adds one row and returns the builder."""

    def __init__(self, sozialraeume: Iterable[dict | str] = ("01", "02"), tenant_name: str = "Teststadt"):
        self.srs = [sozialraum(s) if isinstance(s, str) else s for s in sozialraeume]
        self.rows: dict[str, list[dict]] = {}
        self.record_years: dict[str, set[int]] = {}
        self.tenant_name = tenant_name

    def add(self, kind: str, **row) -> Builder:
        self.rows.setdefault(kind, []).append(row)
        return self

    def pop(self, jahr: int, sr: str, **kw) -> Builder:
        """Population from cumulative figures (see population_row)."""
        self.rows.setdefault("bevoelkerung", []).append(population_row(jahr, sr, **kw))
        return self

    def sgb2(self, jahr: int, sr: str, lb_u15: int | None) -> Builder:
        return self.add("sgb2", jahr=jahr, sozialraum_id=sr, lb_u15=lb_u15)

    def hze(self, jahr: int, sr: str, hilfeart: str, begonnen: int | None = 0, beendet: int | None = 0,
            andauernd: int | None = 0, junge_menschen: int | None = None) -> Builder:
        return self.add("hze", jahr=jahr, sozialraum_id=sr, hilfeart=hilfeart, begonnen=begonnen, beendet=beendet,
                        andauernd=andauernd, junge_menschen=junge_menschen)

    def beratung(self, jahr: int, sr: str, p16=None, p17=None, p18=None, p28=None) -> Builder:
        return self.add("beratung", jahr=jahr, sozialraum_id=sr, p16=p16, p17=p17, p18=p18, p28=p28)

    def zugang(self, jahr: int, sr: str, zugangsweg: str, anzahl: int, anregende: str | None = None) -> Builder:
        return self.add("zugaenge", jahr=jahr, sozialraum_id=sr, zugangsweg=zugangsweg, anzahl=anzahl,
                        anregende=anregende)

    def s8a(self, jahr: int, sr: str, akut=0, latent=0, hilfebedarf=0, kein_hilfebedarf=0, **types) -> Builder:
        return self.add("s8a", jahr=jahr, sozialraum_id=sr, akut=akut, latent=latent, hilfebedarf=hilfebedarf,
                        kein_hilfebedarf=kein_hilfebedarf, **types)

    def melder(self, jahr: int, sr: str, melder: str, anzahl: int) -> Builder:
        return self.add("s8a_melder", jahr=jahr, sozialraum_id=sr, melder=melder, anzahl=anzahl)

    def s42(self, jahr: int, sr: str, inobhutnahmen, uma=None, kurz=None, rueckkehr=None, **kw) -> Builder:
        return self.add("s42", jahr=jahr, sozialraum_id=sr, inobhutnahmen=inobhutnahmen, uma=uma, kurz=kurz,
                        rueckkehr=rueckkehr, **kw)

    def kosten(self, jahr: int, hilfeart: str, ausgaben, ansatz=None, sr: str | None = None,
               einnahmen=None) -> Builder:
        return self.add("kosten", jahr=jahr, sozialraum_id=sr, hilfeart=hilfeart, ausgaben=ausgaben, ansatz=ansatz,
                        einnahmen=einnahmen)

    def personal(self, jahr: int, team: str, vzst, unbesetzt=None) -> Builder:
        return self.add("personal", jahr=jahr, team=team, vzst=vzst, unbesetzt=unbesetzt)

    def hze_record(self, jahr: int, sr: str | None, hilfeart: str, **kw) -> Builder:
        self.rows.setdefault("hze_records", []).append(hze_record(jahr, sr, hilfeart, **kw))
        return self

    def s8a_record(self, jahr: int, sr: str | None, ergebnis: str, **kw) -> Builder:
        self.rows.setdefault("s8a_records", []).append(s8a_record(jahr, sr, ergebnis, **kw))
        return self

    def s42_record(self, jahr: int, sr: str | None, **kw) -> Builder:
        self.rows.setdefault("s42_records", []).append(s42_record(jahr, sr, **kw))
        return self

    def build(self, derive: bool = True) -> Dataset:
        """The Dataset. With `derive`, aggregated tables of record years are derived from the records the way the
        import does (hze, s8a, s8a_melder, s42 rows of those years are replaced)."""
        ds = dataset(self.srs, record_years=self.record_years, tenant_name=self.tenant_name, **self.rows)
        if derive:
            derive_aggregates(ds)
        return ds


def derive_aggregates(ds: Dataset) -> Dataset:
    """Replace the aggregated tables of record years by the record conversion of einzeldaten.md (in place).

    A test stand-in for the real derivation: every existing Sozialraum gets a row for every record year
    (0 where it has no records), records without Sozialraum count as OHNE.
    """
    srs = list(ds["sozialraeume"]["sozialraum_id"])
    r = ds["hze_records"]
    if len(r):
        years = sorted({int(y) for y in r["jahr"]})
        r = r.assign(sozialraum_id=r["sozialraum_id"].where(r["sozialraum_id"].notna(), OHNE))
        rows = []
        for y in years:
            ry = r[r["jahr"] == y]
            for sr in srs + sorted(set(ry["sozialraum_id"]) - set(srs)):
                rs = ry[ry["sozialraum_id"] == sr]
                for code in codes.CODES["art_der_hilfe"]:
                    rc = rs[rs["hilfeart"] == code]
                    if not len(rc) and sr not in srs:
                        continue
                    rows.append({"jahr": y, "sozialraum_id": sr, "hilfeart": code,
                                 "begonnen": int((rc["beginn_jahr"] == y).sum()),
                                 "beendet": int(rc["ende_jahr"].notna().sum()),
                                 "andauernd": int(rc["ende_jahr"].isna().sum()),
                                 "junge_menschen": int(rc["junge_menschen"].fillna(1).sum())})
        old = ds["hze"]
        ds.tables["hze"] = frame("hze", pd.concat([old[~old["jahr"].isin(years)], frame("hze", rows)]))
    r = ds["s8a_records"]
    if len(r):
        years = sorted({int(y) for y in r["jahr"]})
        r = r.assign(sozialraum_id=r["sozialraum_id"].where(r["sozialraum_id"].notna(), OHNE))
        rows, mrows = [], []
        for y in years:
            ry = r[r["jahr"] == y]
            for sr in srs + sorted(set(ry["sozialraum_id"]) - set(srs)):
                rs = ry[ry["sozialraum_id"] == sr]
                e = rs["ergebnis"]
                rows.append({"jahr": y, "sozialraum_id": sr, "akut": int((e == "1").sum()),
                             "latent": int((e == "2").sum()), "hilfebedarf": int((e == "3").sum()),
                             "kein_hilfebedarf": int((e == "4").sum()),
                             **{t: int(rs[t].fillna(False).astype(bool).sum())
                                for t in ("vernachlaessigung", "koerperlich", "psychisch", "sexuell")}})
                for m, n in rs["melder"].dropna().value_counts().items():
                    mrows.append({"jahr": y, "sozialraum_id": sr, "melder": m, "anzahl": int(n)})
        for kind, new in (("s8a", rows), ("s8a_melder", mrows)):
            old = ds[kind]
            ds.tables[kind] = frame(kind, pd.concat([old[~old["jahr"].isin(years)], frame(kind, new)]))
    r = ds["s42_records"]
    if len(r):
        years = sorted({int(y) for y in r["jahr"]})
        r = r.assign(sozialraum_id=r["sozialraum_id"].where(r["sozialraum_id"].notna(), OHNE))
        rows = []
        for y in years:
            ry = r[r["jahr"] == y]
            for sr in srs + sorted(set(ry["sozialraum_id"]) - set(srs)):
                rs = ry[ry["sozialraum_id"] == sr]
                anl = rs["anlass"].fillna("").astype(str).str.split(";")
                uma = (rs["art"] == "2") | anl.map(lambda a: "8" in a)
                rows.append({"jahr": y, "sozialraum_id": sr, "inobhutnahmen": len(rs), "uma": int(uma.sum()),
                             "eigener_wunsch": int(anl.map(lambda a: "1" in a).sum()),
                             "kurz": int((rs["dauer_tage"] <= 14).sum()),
                             "rueckkehr": int((rs["anschluss"] == "1").sum()),
                             "ausserhalb": int(rs["anschluss"].isin(["2", "3", "4"]).sum())})
        old = ds["s42"]
        ds.tables["s42"] = frame("s42", pd.concat([old[~old["jahr"].isin(years)], frame("s42", rows)]))
    return ds


def synthetic_dataset(n_sr: int = 30, years: Iterable[int] = range(2015, 2025), records_per_year: int = 10_000,
                      seed: int = 0, with_records: bool = True) -> Dataset:
    """A large plausible tenant: `n_sr` Sozialräume (3 teams), population, SGB II, HzE records (aggregated with
    vectorised code, not `derive_aggregates`), § 8a, § 42, Beratung, Kosten (codes, municipality), Personal."""
    rng = np.random.default_rng(seed)
    years = list(years)
    srs = [sozialraum(f"{i + 1:02d}", f"Bezirk {i + 1}", team=f"Team {i % 3 + 1}") for i in range(n_sr)]
    ids = [s["sozialraum_id"] for s in srs]
    pop, sgb2, ber, s8a, s42, kosten, personal = [], [], [], [], [], [], []
    for y in years:
        for sr in ids:
            g = rng.integers(200, 1200, size=7)
            pop.append({"jahr": y, "sozialraum_id": sr, "a0_3": g[0], "a3_6": g[1], "a6_10": g[2], "a10_15": g[3],
                        "a15_18": g[4], "a18_21": g[5], "a21_27": g[6], "insgesamt": int(g.sum() * 4)})
            sgb2.append({"jahr": y, "sozialraum_id": sr, "lb_u15": int(rng.integers(10, 800))})
            ber.append({"jahr": y, "sozialraum_id": sr, "p16": int(rng.integers(0, 50)), "p17": int(rng.integers(0, 30)),
                        "p18": None, "p28": int(rng.integers(10, 200))})
            a, lat, hb, kein = (int(v) for v in rng.integers(0, 40, size=4))
            s8a.append({"jahr": y, "sozialraum_id": sr, "akut": a, "latent": lat, "hilfebedarf": hb,
                        "kein_hilfebedarf": kein, "vernachlaessigung": (a + lat) // 2, "koerperlich": (a + lat) // 4,
                        "psychisch": (a + lat) // 3, "sexuell": 0})
            io = int(rng.integers(0, 40))
            s42.append({"jahr": y, "sozialraum_id": sr, "inobhutnahmen": io, "uma": io // 5, "kurz": io // 2,
                        "rueckkehr": io // 3})
        for code in codes.HZE_CODES:
            kosten.append({"jahr": y, "sozialraum_id": None, "hilfeart": code,
                           "ausgaben": float(rng.integers(100_000, 5_000_000)),
                           "ansatz": float(rng.integers(100_000, 5_000_000))})
        for t in ("Team 1", "Team 2", "Team 3"):
            personal.append({"jahr": y, "team": t, "vzst": 12.5, "unbesetzt": 1.0})
    tables = {"bevoelkerung": pop, "sgb2": sgb2, "beratung": ber, "s8a": s8a, "s42": s42, "kosten": kosten,
              "personal": personal}
    ds = dataset(srs, **tables)
    if with_records:
        n = records_per_year * len(years)
        all_codes = np.array(list(codes.CODES["art_der_hilfe"]))
        jahr = np.repeat(years, records_per_year)
        by = jahr - rng.integers(0, 4, size=n)
        ended = rng.random(n) < 0.4
        sr_ids = np.array(ids + [OHNE])
        rec = pd.DataFrame({
            "jahr": jahr, "kennung": [f"k{i}" for i in range(n)],
            "sozialraum_id": sr_ids[rng.integers(0, len(sr_ids), size=n)],
            "hilfeart": all_codes[rng.integers(0, len(all_codes), size=n)],
            "beginn_jahr": by, "beginn_monat": rng.integers(1, 13, size=n),
            "ende_jahr": np.where(ended, jahr, np.nan), "ende_monat": np.where(ended, 12, np.nan),
            "geschlecht": rng.choice(["1", "2"], size=n), "alter_beginn": rng.integers(0, 21, size=n),
            "grund1": rng.choice(list(codes.CODES["gruende"]), size=n),
            "anregende": rng.choice(list(codes.CODES["anregende_institution"]), size=n),
            "transfer": rng.choice(["1", "2", None], size=n),
            "beendigungsgrund": np.where(ended, rng.choice(["10", "20", "40", "50"], size=n), None),
            "nach_8a": rng.choice(["1", "2", None], size=n), "junge_menschen": 1,
        })
        rec = rec.assign(beginn_monat=np.where(rec["beginn_jahr"] == rec["jahr"],
                                               np.minimum(rec["beginn_monat"], 12), rec["beginn_monat"]))
        ds.tables["hze_records"] = frame("hze_records", rec)
        ds.record_years["hze_records"] = set(years)
        end = rec["ende_jahr"].notna()
        agg = pd.DataFrame({"jahr": rec["jahr"], "sozialraum_id": rec["sozialraum_id"], "hilfeart": rec["hilfeart"],
                            "begonnen": (rec["beginn_jahr"] == rec["jahr"]).astype(int), "beendet": end.astype(int),
                            "andauernd": (~end).astype(int), "junge_menschen": 1})
        agg = agg.groupby(["jahr", "sozialraum_id", "hilfeart"], as_index=False).sum()
        ds.tables["hze"] = frame("hze", agg)
    return ds


def musterdorf() -> Dataset:
    """A small hand-computed tenant used by the indicator tests (the arithmetic is in those tests).

    Sozialräume (sheet order): 01 Nord (Team A), 02 Süd (Team A), 03 Ost (Team B), 04 West (no team, gültig ab
    2023), 05 Alt (gültig bis 2021: data rows of later years are ignored).
    2022: aggregated sheets only. 2023: HzE records (no EB among them -> `Beratung` § 28), population of 04
    missing. 2024: only a municipality `gesamt` cost row.
    """
    srs = [sozialraum("01", "Nord", team="Team A"), sozialraum("02", "Süd", team="Team A"),
           sozialraum("03", "Ost", team="Team B"), sozialraum("04", "West", ab=2023),
           sozialraum("05", "Alt", bis=2021)]
    b = Builder(srs, tenant_name="Musterdorf")
    # --- 2022, aggregated
    b.pop(2022, "01", u15=3000, u18=4000, u21=5000, insgesamt=20000)
    b.pop(2022, "02", u15=1500, u18=2000, u21=2500, insgesamt=10000)
    b.pop(2022, "03", u15=600, u18=800, u21=1000, insgesamt=5000)
    b.pop(2022, "05", u15=999, u18=999, u21=999, insgesamt=999)  # outside gültig: ignored
    b.sgb2(2022, "01", 300).sgb2(2022, "02", 450)  # 03 has no row
    b.hze(2022, "01", "07", begonnen=10, beendet=20, andauernd=30)
    b.hze(2022, "01", "11", begonnen=2, beendet=5, andauernd=15)
    b.hze(2022, "01", "01", begonnen=50, beendet=60, andauernd=40)
    b.hze(2022, "02", "09", begonnen=1, beendet=4, andauernd=6)
    b.hze(2022, "02", "13", begonnen=3, beendet=0, andauernd=5)
    b.hze(2022, "02", "08", begonnen=0, beendet=0, andauernd=5)
    b.hze(2022, "OHNE", "05", begonnen=1, beendet=0, andauernd=3)
    b.hze(2022, "05", "07", andauernd=100)  # outside gültig: ignored
    b.beratung(2022, "01", p16=5).beratung(2022, "02").beratung(2022, "03", p16=1, p17=2, p18=3)
    b.s8a(2022, "01", akut=2, latent=3, hilfebedarf=10, kein_hilfebedarf=5)
    b.s8a(2022, "02", akut=0, latent=1, hilfebedarf=4, kein_hilfebedarf=15)
    b.s8a(2022, "03", akut=1, latent=1, hilfebedarf=None, kein_hilfebedarf=2)
    b.s42(2022, "01", 10, uma=4, kurz=5, rueckkehr=3)
    b.s42(2022, "02", 4, uma=None, kurz=2, rueckkehr=None)
    b.s42(2022, "OHNE", 2, uma=2, kurz=2, rueckkehr=0)
    b.kosten(2022, "07", 500_000, ansatz=400_000).kosten(2022, "11", 1_200_000, ansatz=1_000_000)
    b.kosten(2022, "09", 150_000).kosten(2022, "01", 99_999, ansatz=1)
    b.personal(2022, "Team A", 2.0, 0.5).personal(2022, "Team B", 1.0).personal(2022, "Team C", 0.5)
    # --- 2023, HzE records
    b.pop(2023, "01", u15=3100, u18=4100, u21=5100, insgesamt=20500)
    b.pop(2023, "02", u15=1500, u18=2000, u21=2500, insgesamt=10000)
    b.pop(2023, "03", u15=600, u18=800, u21=1000, insgesamt=5000)  # 04 has no population
    b.hze_record(2023, "01", "07", beginn=(2023, 3), transfer="1", nach_8a="1", junge_menschen=3)  # r1
    b.hze_record(2023, "01", "07", beginn=(2021, 1), ende=(2023, 6), beendigungsgrund="10")  # r2: 29 months
    b.hze_record(2023, "01", "11", beginn=(2023, 2), ende=(2023, 11), beendigungsgrund="20", transfer="2",
                 nach_8a="2")  # r3: 9 months
    b.hze_record(2023, "01", "11", beginn=(2022, 5), ende=(2023, 5), beendigungsgrund="40")  # r4: 12 months
    b.hze_record(2023, "01", "09", beginn=(2020, 1))  # r5
    b.hze_record(2023, "02", "13", beginn=(2023, 1), transfer="1")  # r7
    b.hze_record(2023, "02", "08", beginn=(2022, 7), ende=(2023, 1))  # r8: 6 months, no reason
    b.hze_record(2023, "04", "05", beginn=(2023, 4))  # r9
    b.hze_record(2023, None, "14", beginn=(2023, 6), ende=(2023, 8), beendigungsgrund="10")  # r10 OHNE: 2 months
    b.hze_record(2023, "05", "07", beginn=(2023, 1))  # r11: outside gültig, ignored
    b.beratung(2023, "01", p28=30).beratung(2023, "02", p28=20).beratung(2023, "03").beratung(2023, "04", p28=10)
    b.kosten(2023, "ambulant", 60_000, sr="01").kosten(2023, "stationär", 240_000, ansatz=200_000, sr="01")
    b.kosten(2023, "§ 35a", 30_000, sr="02").kosten(2023, "stationär", 0, sr="03")
    b.kosten(2023, "ambulant", 10_000, sr="04")
    b.personal(2023, "Team A", 1.0)
    # --- 2024: one municipality row
    b.kosten(2024, "gesamt", 2_000_000)
    return b.build()


def cell(frame: pd.DataFrame, jahr: int, sozialraum_id: str, indikator: str) -> tuple:
    """(wert, zaehler, nenner) of one row of an indicator frame, None for <NA>; AssertionError if not exactly one."""
    rows = frame[(frame["jahr"] == jahr) & (frame["sozialraum_id"] == sozialraum_id) & (frame["indikator"] == indikator)]
    assert len(rows) == 1, f"{len(rows)} rows for {jahr} {sozialraum_id} {indikator}"
    r = rows.iloc[0]
    return tuple(None if pd.isna(r[c]) else float(r[c]) for c in ("wert", "zaehler", "nenner"))


def wert(frame: pd.DataFrame, jahr: int, sozialraum_id: str, indikator: str) -> float | None:
    return cell(frame, jahr, sozialraum_id, indikator)[0]
