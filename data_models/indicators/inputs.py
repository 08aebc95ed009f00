"""The inputs of the indicator formulas: one row per (year, unit) with every quantity the formulas need.

A *unit* is a Sozialraum of the sheet `Sozialräume` that exists in the year (`gültig ab` / `gültig bis`), or
`OHNE` in a year in which some table has data for `OHNE`. `with_gesamt` adds a `GESAMT` row per year.

Quantities are float arrays with NaN for "keine Daten" (converted to <NA> in the output). Rules of masterdatei.md:
- wide sheets (`Bevölkerung`, `SGB II`, `Beratung`, `§ 8a`, `§ 42`): a missing row or an empty cell is no data;
- long sheets (`HzE`): in a year the sheet contains, a unit without rows counts 0; an empty cell in a counted row
  makes the quantity no data; in a year the sheet does not contain, everything is no data;
- record quantities (durations, ending reasons, Transferleistungen, § 8a before help) exist only in years with HzE
  records (0 for a unit without records in such a year);
- `Kosten`: see `_kosten`; `Personal`: see `_teams`.

`GESAMT` of a quantity = the sum over all units of the year including `OHNE` (no data of `OHNE` counts as 0); it is
no data when any Sozialraum of the sheet that exists in the year (not `OHNE`) has no data. Exceptions: money
(`Kosten` municipality rows are the `GESAMT` figures) and the caseload per team (see `_teams`).

Rows of a Sozialraum outside its gültig years, or with an id not in the sheet, belong to no unit and are ignored.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from data_models import codes
from data_models.schema import GESAMT, GESAMT_NAME, OHNE, OHNE_NAME, Dataset, empty

NAN = np.nan
SEG_Q = {"ambulant": "amb", "teilstationär": "teil", "stationär": "stat", "§ 35a": "p35a"}  # segment -> quantity
KOSTEN_Q = ("aus_hze", "aus_amb", "aus_teil", "aus_stat", "aus_p35a", "ausch_z", "ausch_n")
GESAMT_ORDER = -1
OHNE_ORDER = 10**9
KEY = 1_000_000  # unit key = jahr × KEY + position of the Sozialraum id (OHNE after the sheet's ids)

_SR_TABLES = ("bevoelkerung", "sgb2", "hze", "beratung", "zugaenge", "s8a", "s8a_melder", "s42", "kosten",
              "hze_records", "s8a_records", "s42_records")
_EMPTY: dict[str, pd.DataFrame] = {}


# ---------------------------------------------------------------------------------------------------- helpers
def table(ds: Dataset, kind: str) -> pd.DataFrame:
    """The canonical table of `kind` (a cached empty frame when not uploaded; never mutate the result)."""
    t = ds.tables.get(kind)
    if t is None:
        if kind not in _EMPTY:
            _EMPTY[kind] = empty(kind)
        t = _EMPTY[kind]
    return t


def num(s: pd.Series) -> np.ndarray:
    """A column as float array, NaN for <NA>."""
    return s.to_numpy(dtype="float64", na_value=NAN)


def match(col: pd.Series, values) -> np.ndarray:
    """Boolean array: the cell is one of `values` (fast for long columns: compares the distinct values only)."""
    codes_, uniques = pd.factorize(col)
    wanted = set(values)
    lut = np.array([u in wanted for u in uniques] + [False], dtype=bool)
    return lut[codes_]


def normalise_years(years) -> list[int] | None:
    if years is None:
        return None
    if isinstance(years, (int, np.integer)):
        return [int(years)]
    return sorted({int(y) for y in years})


def dataset_years(ds: Dataset, years=None) -> list[int]:
    """Years that have any data, restricted to `years` when given."""
    all_years = ds.years()
    wanted = normalise_years(years)
    return all_years if wanted is None else [y for y in all_years if y in wanted]


def table_years(ds: Dataset, kind: str) -> set[int]:
    t = table(ds, kind)
    return {int(y) for y in t["jahr"].dropna().unique()} if len(t) else set()


def record_years(ds: Dataset, record_kind: str, aggregated_kind: str) -> set[int]:
    """Years in which single-case records are the source (Dataset.record_years under either kind, or present)."""
    ys = set(ds.record_years.get(record_kind, set())) | set(ds.record_years.get(aggregated_kind, set()))
    return {int(y) for y in ys} | table_years(ds, record_kind)


# ---------------------------------------------------------------------------------------------------- units
def sozialraeume(ds: Dataset) -> pd.DataFrame:
    """The sheet `Sozialräume` with its row order (1, 2, ...) and a cleaned team name."""
    sr = table(ds, "sozialraeume").reset_index(drop=True)
    out = pd.DataFrame({
        "sozialraum_id": sr["sozialraum_id"].to_numpy(dtype=object),
        "sozialraum": sr["name"].to_numpy(dtype=object),
        "order": np.arange(1, len(sr) + 1, dtype="int64"),
        "team": np.array([None if t is None or pd.isna(t) or not str(t).strip() else str(t).strip()
                          for t in sr["team"]], dtype=object),
        "ab": num(sr["gueltig_ab"]),
        "bis": num(sr["gueltig_bis"]),
    })
    out = out[out["sozialraum_id"].notna() & (out["sozialraum_id"] != OHNE)]  # OHNE is reserved, never a sheet row
    return out.drop_duplicates("sozialraum_id").reset_index(drop=True)


class Units:
    """The units of some years: `frame` (jahr, sozialraum_id, sozialraum, order, is_ohne, team, key) sorted by
    year and order, and `ids` (the Sozialraum ids of the sheet, then OHNE; the key's second part)."""

    def __init__(self, frame: pd.DataFrame, ids: list[str]):
        self.frame = frame
        self.ids = ids
        self.keys = frame["key"].to_numpy()
        self.jahr = frame["jahr"].to_numpy()
        self.is_ohne = frame["is_ohne"].to_numpy()
        self._lut = {sid: i for i, sid in enumerate(ids)}

    def __len__(self) -> int:
        return len(self.frame)

    def locate(self, frame: pd.DataFrame, records: bool = False) -> np.ndarray:
        """Unit key of every row of `frame`, -1 when it belongs to no unit (no year, a Sozialraum outside its
        gültig years or not in the sheet). Records without Sozialraum count as OHNE."""
        if not len(frame):
            return np.zeros(0, dtype="int64")
        na_code = self._lut.get(OHNE, -1) if records else -1
        codes_, uniques = pd.factorize(frame["sozialraum_id"])  # <NA> -> -1 -> the last entry of lut
        lut = np.array([self._lut.get(v, -1) for v in uniques] + [na_code], dtype="int64")
        code = lut[codes_]
        jahr = num(frame["jahr"])
        ok = (code >= 0) & ~np.isnan(jahr)
        key = np.where(ok, np.nan_to_num(jahr).astype("int64") * KEY + code, -1)
        return np.where(np.isin(key, self.keys), key, -1)

    def sum(self, keys: np.ndarray, values: dict[str, np.ndarray], years_present: set[int]) -> dict[str, np.ndarray]:
        """Sum row values per unit (NaN propagates); a unit without rows gets 0 in `years_present`; everything is
        NaN in other years."""
        present = np.isin(self.jahr, list(years_present))
        keep = keys >= 0
        uniq, inv = np.unique(keys[keep], return_inverse=True)
        if len(uniq):
            pos = np.clip(np.searchsorted(uniq, self.keys), 0, len(uniq) - 1)
            found = uniq[pos] == self.keys
        out = {}
        for name, v in values.items():
            res = np.zeros(len(self.keys))
            if len(uniq):
                sums = np.bincount(inv, weights=np.asarray(v, dtype="float64")[keep], minlength=len(uniq))
                res = np.where(found, sums[pos], 0.0)
            out[name] = np.where(present, res, NAN)
        return out

    def wide(self, frame: pd.DataFrame, cols: list[str]) -> dict[str, np.ndarray]:
        """Columns of a wide sheet per unit (missing row or cell = NaN; a duplicated row: the last one)."""
        keys = self.locate(frame)
        keep = keys >= 0
        k = keys[keep]
        out = {}
        uniq, last = np.unique(k[::-1], return_index=True)  # the last occurrence per key
        last = len(k) - 1 - last
        if len(uniq):
            pos = np.clip(np.searchsorted(uniq, self.keys), 0, len(uniq) - 1)
            found = uniq[pos] == self.keys
        for c in cols:
            vals = num(frame[c])[keep]
            out[c] = np.where(found, vals[last][pos], NAN) if len(uniq) else np.full(len(self.keys), NAN)
        return out


def units(ds: Dataset, years: list[int], ohne_kinds: Iterable[str] | None = None) -> Units:
    """The Sozialräume existing in each year in sheet order, then OHNE in years where any of `ohne_kinds`
    (default: every table with Sozialraum data) has an OHNE row or a record without Sozialraum."""
    sr = sozialraeume(ds)
    n, m = len(sr), len(years)
    ys = np.repeat(np.asarray(years, dtype="int64"), n)
    ab, bis = np.tile(sr["ab"].to_numpy(), m), np.tile(sr["bis"].to_numpy(), m)
    valid = (np.isnan(ab) | (ab <= ys)) & (np.isnan(bis) | (bis >= ys))
    frame = pd.DataFrame({
        "jahr": ys,
        "sozialraum_id": np.tile(sr["sozialraum_id"].to_numpy(dtype=object), m),
        "sozialraum": np.tile(sr["sozialraum"].to_numpy(dtype=object), m),
        "order": np.tile(sr["order"].to_numpy(), m),
        "is_ohne": np.zeros(n * m, dtype=bool),
        "team": np.tile(sr["team"].to_numpy(dtype=object), m),
        "key": ys * KEY + np.tile(np.arange(n, dtype="int64"), m),
    })[valid]
    ohne_years = np.asarray(_ohne_years(ds, years, ohne_kinds), dtype="int64")
    if len(ohne_years):
        frame = pd.concat([frame, pd.DataFrame({
            "jahr": ohne_years, "sozialraum_id": OHNE, "sozialraum": OHNE_NAME, "order": OHNE_ORDER,
            "is_ohne": True, "team": None, "key": ohne_years * KEY + n,
        })], ignore_index=True)
    frame = frame.sort_values(["jahr", "order"], kind="stable").reset_index(drop=True)
    for c in ("sozialraum_id", "sozialraum", "team"):
        frame[c] = frame[c].astype(object)
    return Units(frame, list(sr["sozialraum_id"]) + [OHNE])


def _ohne_years(ds: Dataset, years: list[int], kinds: Iterable[str] | None) -> list[int]:
    found: set[int] = set()
    for kind in kinds or _SR_TABLES:
        t = table(ds, kind)
        if not len(t):
            continue
        ids = t["sozialraum_id"]
        mask = match(ids, (OHNE,))
        if kind.endswith("_records"):
            mask |= ids.isna().to_numpy()
        if mask.any():
            found |= {int(y) for y in num(t["jahr"])[mask] if not np.isnan(y)}
    return sorted(found & set(years))


# ---------------------------------------------------------------------------------------------------- sources
def _hze(ds: Dataset, u: Units, years: list[int]) -> dict[str, np.ndarray]:
    """Quantities of the long sheet `HzE` (records already applied in record years)."""
    h = table(ds, "hze")
    keys = u.locate(h)
    present = table_years(ds, "hze") & set(years)
    faelle = num(h["andauernd"]) + num(h["beendet"])
    begonnen, andauernd, jm = num(h["begonnen"]), num(h["andauernd"]), num(h["junge_menschen"])
    art = h["hilfeart"]

    def where(codes_, value):
        return np.where(match(art, codes_), value, 0.0)

    values = {
        "hze_faelle": where(codes.HZE_CODES, faelle),
        "hze_begonnen": where(codes.HZE_CODES, begonnen),
        "laufend": where(codes.HZE_CODES, andauernd),
        "eb_hze": where(codes.EB_CODES, faelle),
        "f0910": where(("09", "10"), faelle),
        "f11": where(("11",), faelle),
        "jm": where(codes.HZE_CODES, jm),
        **{q: where(codes.SEGMENT_CODES[seg], faelle) for seg, q in SEG_Q.items()},
    }
    out = u.sum(keys, values, present)
    # `junge Menschen` is optional: a year where nobody filled it has no data at all
    jm_years = {int(y) for y in num(h["jahr"])[~np.isnan(jm) & (keys >= 0)]}
    out["jm"] = np.where(np.isin(u.jahr, list(jm_years)), out["jm"], NAN)
    return out


def eb_years(ds: Dataset) -> set[int]:
    """Years whose HzE data have Erziehungsberatung: a row with codes 01-03 and a count > 0, or an EB record."""
    h = table(ds, "hze")
    years: set[int] = set()
    if len(h):
        eb = match(h["hilfeart"], codes.EB_CODES)
        pos = (np.nan_to_num(num(h["begonnen"])) > 0) | (np.nan_to_num(num(h["beendet"])) > 0) | \
              (np.nan_to_num(num(h["andauernd"])) > 0)
        years |= {int(y) for y in num(h["jahr"])[eb & pos] if not np.isnan(y)}
    r = table(ds, "hze_records")
    if len(r):
        years |= {int(y) for y in num(r["jahr"])[match(r["hilfeart"], codes.EB_CODES)] if not np.isnan(y)}
    return years


def _records(ds: Dataset, u: Units, years: list[int]) -> dict[str, np.ndarray]:
    """Record quantities of HzE 04-16 per unit, in years with HzE records (NaN in other years)."""
    ry = record_years(ds, "hze_records", "hze") & set(years)
    r = table(ds, "hze_records")
    jahr = num(r["jahr"])
    keys = np.where(match(r["hilfeart"], codes.HZE_CODES) & np.isin(jahr, list(ry)), u.locate(r, records=True), -1)
    ej, em, bj, bm = num(r["ende_jahr"]), num(r["ende_monat"]), num(r["beginn_jahr"]), num(r["beginn_monat"])
    ended = ~np.isnan(ej) & ~np.isnan(em)
    grund = r["beendigungsgrund"]
    started = bj == jahr
    values = {
        "ended_n": ended,
        "ended_months": np.where(ended, (ej * 12 + em) - (bj * 12 + bm), 0.0),
        "hp_z": ended & match(grund, ("10",)),
        "hp_n": ended & match(grund, set(codes.CODES["beendigungsgrund"]) - {"40"}),
        "tr_z": started & match(r["transfer"], ("1",)),
        "tr_n": started & match(r["transfer"], ("1", "2")),
        "n8a_z": started & match(r["nach_8a"], ("1",)),
        "n8a_n": started & match(r["nach_8a"], ("1", "2")),
    }
    return u.sum(keys, values, ry)


def _segment_of(value) -> str | None:
    """`Kosten.hilfeart` -> segment name, "gesamt", or None (unknown)."""
    if value is None or pd.isna(value):
        return None
    text = str(value).strip()
    if text in codes.SEGMENT_OF_CODE:
        return codes.SEGMENT_OF_CODE[text]
    if text.casefold() == "gesamt":
        return "gesamt"
    return {s.casefold(): s for s in codes.SEGMENTS}.get(text.casefold())


def _kosten(ds: Dataset, u: Units, years: list[int]) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """Money per unit and for the municipality: (unit arrays, municipality frame indexed by year).

    aus_hze: Ausgaben over HzE rows (codes 04-16, segments other than EB, `gesamt`); no data when the key has no such
    row in the year or a counted cell is empty. aus_<segment>: Ausgaben of the segment from code or segment rows
    (a missing code/segment row = 0); no data when the key has only `gesamt` (or only EB) rows. ausch_z / ausch_n:
    Ausgaben and Ansatz over the HzE rows that have an Ansatz (0 and 0 when none has one).
    """
    k = table(ds, "kosten")
    k = k[np.isin(num(k["jahr"]), years)]
    seg = np.array([_segment_of(v) for v in k["hilfeart"]], dtype=object)
    aus, ansatz = num(k["ausgaben"]), num(k["ansatz"])
    is_hze = (seg != None) & (seg != "EB")  # noqa: E711 (elementwise)
    with_ansatz = is_hze & ~np.isnan(ansatz)
    values = {
        "aus_hze": np.where(is_hze, aus, 0.0),
        "ausch_z": np.where(with_ansatz, aus, 0.0),
        "ausch_n": np.where(with_ansatz, ansatz, 0.0),
        "n_hze": is_hze, "n_split": np.isin(seg, list(SEG_Q)), "n_ansatz": with_ansatz,
        **{f"aus_{q}": np.where(seg == s, aus, 0.0) for s, q in SEG_Q.items()},
    }

    def finish(sums: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out = {"aus_hze": np.where(sums["n_hze"] > 0, sums["aus_hze"], NAN)}
        for q in SEG_Q.values():
            out[f"aus_{q}"] = np.where(sums["n_split"] > 0, sums[f"aus_{q}"], NAN)
        # no row with an Ansatz: 0 / 0 (the rate is null, and the key adds nothing to GESAMT)
        out["ausch_z"] = sums["ausch_z"]
        out["ausch_n"] = sums["ausch_n"]
        return out

    muni = k["sozialraum_id"].isna().to_numpy()
    keys = np.where(muni, -1, u.locate(k))
    # a unit without rows has no Sozialraum figures: sum over "no year present", then fill
    unit_sums = u.sum(keys, values, set(years))
    has_rows = u.sum(keys, {"n": np.ones(len(k))}, set(years))["n"] > 0
    unit = {c: np.where(has_rows, v, NAN) for c, v in finish(unit_sums).items()}
    mj = num(k["jahr"])[muni].astype("int64")
    muni_frame = pd.DataFrame(columns=list(KOSTEN_Q), dtype="float64")
    if muni.any():
        mu = np.unique(mj)
        inv = np.searchsorted(mu, mj)
        sums = {c: np.bincount(inv, weights=np.asarray(v, dtype="float64")[muni], minlength=len(mu))
                for c, v in values.items()}
        muni_frame = pd.DataFrame(finish(sums), index=mu)
    return unit, muni_frame


def unit_quantities(ds: Dataset, years: list[int]) -> tuple[Units, dict[str, np.ndarray], pd.DataFrame]:
    """(units, quantities per unit, municipality money by year) for the given years."""
    u = units(ds, years)
    q: dict[str, np.ndarray] = {}
    pop = u.wide(table(ds, "bevoelkerung"), ["a0_3", "a3_6", "a6_10", "a10_15", "a15_18", "a18_21", "insgesamt"])
    q["u15"] = pop["a0_3"] + pop["a3_6"] + pop["a6_10"] + pop["a10_15"]
    q["u18"] = q["u15"] + pop["a15_18"]
    q["u21"] = q["u18"] + pop["a18_21"]
    q["insgesamt"] = pop["insgesamt"]
    q["lb_u15"] = u.wide(table(ds, "sgb2"), ["lb_u15"])["lb_u15"]

    q.update(_hze(ds, u, years))
    ber = u.wide(table(ds, "beratung"), ["p16", "p17", "p18", "p28"])
    b = np.column_stack([ber["p16"], ber["p17"], ber["p18"]])
    q["b1618"] = np.where(np.isnan(b).all(axis=1), NAN, np.nansum(b, axis=1))
    q["eb"] = np.where(np.isin(u.jahr, list(eb_years(ds))), q["eb_hze"], ber["p28"])

    q.update(_records(ds, u, years))

    s8a = u.wide(table(ds, "s8a"), ["akut", "latent", "hilfebedarf", "kein_hilfebedarf"])
    q["akut"] = s8a["akut"]
    q["kwg"] = s8a["akut"] + s8a["latent"]
    q["hb"] = q["kwg"] + s8a["hilfebedarf"]
    q["v8a"] = q["hb"] + s8a["kein_hilfebedarf"]
    s42 = u.wide(table(ds, "s42"), ["inobhutnahmen", "uma", "kurz", "rueckkehr"])
    q["io"] = s42["inobhutnahmen"]
    q["io_ohne_uma"] = s42["inobhutnahmen"] - s42["uma"]
    q["kurz"] = s42["kurz"]
    q["rueckkehr"] = s42["rueckkehr"]

    money, muni = _kosten(ds, u, years)
    q.update(money)
    return u, q, muni


# ---------------------------------------------------------------------------------------------------- GESAMT
def gesamt_sum(values: np.ndarray, year_index: np.ndarray, n_years: int, required: np.ndarray) -> np.ndarray:
    """Per year: the sum over units (NaN counts 0); NaN when a `required` unit (an existing Sozialraum, not OHNE)
    is NaN, or when no unit has a value."""
    isnan = np.isnan(values)
    sums = np.bincount(year_index, weights=np.where(isnan, 0.0, values), minlength=n_years)
    some = np.bincount(year_index, weights=~isnan, minlength=n_years) > 0
    missing = np.bincount(year_index, weights=isnan & required, minlength=n_years) > 0
    return np.where(some & ~missing, sums, NAN)


def _teams(ds: Dataset, u: Units, q: dict[str, np.ndarray], g: dict[str, np.ndarray], years: list[int],
           year_index: np.ndarray) -> None:
    """Caseload per team: running HzE (04-16) in the team's Sozialräume / occupied posts (Vollzeitstellen − davon
    unbesetzt; empty unbesetzt = 0). Every Sozialraum of a team shows the team's figures; a Sozialraum without a team,
    or whose team has no `Personal` row in the year, has no data. GESAMT: all running HzE including OHNE / the
    occupied posts of all teams of the year; no data when `Personal` has no row for the year or lacks the team of an
    existing Sozialraum."""
    p = table(ds, "personal")
    p = p[np.isin(num(p["jahr"]), years)]
    pj = num(p["jahr"]).astype("int64")
    pteam = [None if t is None or pd.isna(t) else str(t).strip() for t in p["team"]]
    occ = num(p["vzst"]) - np.nan_to_num(num(p["unbesetzt"]))
    posts: dict[tuple[int, str], float] = {}
    for j, t, o in zip(pj.tolist(), pteam, occ.tolist()):
        posts[(j, t)] = posts.get((j, t), 0.0) + o
    teams_by_year: dict[int, set] = {}
    for j, t in zip(pj.tolist(), pteam):
        teams_by_year.setdefault(j, set()).add(t)
    uteam = [None if t is None or pd.isna(t) else t for t in u.frame["team"].tolist()]
    has_team = np.array([t is not None for t in uteam], dtype=bool) & ~u.is_ohne
    # running helps per (year, team)
    lauf_by_team: dict[tuple[int, str], float] = {}
    for j, t, v, ok in zip(u.jahr.tolist(), uteam, q["laufend"].tolist(), has_team.tolist()):
        if ok:
            lauf_by_team[(j, t)] = lauf_by_team.get((j, t), 0.0) + v
    q["team_laufend"] = np.array([lauf_by_team[(j, t)] if ok else NAN
                                  for j, t, ok in zip(u.jahr.tolist(), uteam, has_team.tolist())], dtype="float64")
    q["team_vzst"] = np.array([posts.get((j, t), NAN) if ok else NAN
                               for j, t, ok in zip(u.jahr.tolist(), uteam, has_team.tolist())], dtype="float64")
    g_vzst = np.full(len(years), NAN)
    for i, y in enumerate(years):
        if y not in teams_by_year:
            continue
        needed = {t for j, t, ok in zip(u.jahr.tolist(), uteam, has_team.tolist()) if ok and j == y}
        if needed <= teams_by_year[y]:
            g_vzst[i] = sum(v for (j, _), v in posts.items() if j == y)
    g["team_laufend"] = g["laufend"].copy()
    g["team_vzst"] = g_vzst


def with_gesamt(ds: Dataset, years: list[int]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """(rows, quantities): a GESAMT row per year, then the units in order; money and caseload rules applied.

    `rows` has columns jahr, sozialraum_id, sozialraum, order, is_ohne, team; quantities are aligned float arrays.
    """
    u, q, muni = unit_quantities(ds, years)
    year_pos = {y: i for i, y in enumerate(years)}
    year_index = np.array([year_pos[j] for j in u.jahr.tolist()], dtype="int64")
    required = ~u.is_ohne
    g = {name: gesamt_sum(v, year_index, len(years), required) for name, v in q.items()}
    for y in muni.index:  # municipality rows of `Kosten` are the GESAMT figures
        for c in KOSTEN_Q:
            g[c][year_pos[int(y)]] = muni.loc[y, c]
    _teams(ds, u, q, g, years, year_index)
    gu = pd.DataFrame({"jahr": np.asarray(years, dtype="int64"), "sozialraum_id": GESAMT, "sozialraum": GESAMT_NAME,
                       "order": GESAMT_ORDER, "is_ohne": False, "team": None})
    rows = pd.concat([gu, u.frame.drop(columns="key")], ignore_index=True)
    order = np.lexsort((rows["order"].to_numpy(), rows["jahr"].to_numpy()))
    rows = rows.iloc[order].reset_index(drop=True)
    for c in ("sozialraum_id", "sozialraum", "team"):
        rows[c] = rows[c].astype(object)
    quantities = {name: np.concatenate([g[name], q[name]])[order] for name in q}
    return rows, quantities
