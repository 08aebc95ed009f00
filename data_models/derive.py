"""From the stored canonical frames of a tenant to the `Dataset` the indicators read.

1. Every single-case record gets a Sozialraum (einzeldaten.md, "Assignment"), in this order:
   own `Sozialraum-ID` -> assignment table (most specific row wins) -> `Gemeindeschlüssel` -> `OHNE`.
   Ids are matched against the *current* `sozialraeume` (exactly, else numerically equal: "1" = "01"); an id that no
   longer exists there (Sozialräume replaced since the upload) is skipped and the next step is tried.
   Specificity of assignment-table rows: Art + Berichtsjahr > Art only > Berichtsjahr only > neither (an Art-only
   row beats a Berichtsjahr-only row because case numbers are usually numbered per kind of record).
   `Gemeindeschlüssel` is looked up among the Sozialräume that exist in the record's year (`gültig ab/bis`).
2. For every year that has records, the aggregated tables (`hze`, `s8a`, `s8a_melder`, `s42`) are built from the
   records and replace the sheet rows of that year; other years keep the sheet rows.
   Completeness: every Sozialraum that exists in the year (not `OHNE`) gets rows, 0 where it has no records:
   - `hze` (long): the full grid of all 16 Art-der-Hilfe codes per Sozialraum and year (0 where none);
   - `s8a_melder` (long): only for years where at least one record names a Melder (otherwise the sheet's rows of
     that year, if any, stay); then the full grid of all Melder codes;
   - `s8a`, `s42` (wide): one row per Sozialraum and year.
   `OHNE` rows exist where records are unassigned. A breakdown that the records of a year do not carry at all is
   "keine Daten" (NA), not 0: § 8a types when the type columns were not delivered; § 42 `eigener_wunsch` when no
   record of the year has an `Anlass`, `rueckkehr`/`ausserhalb` when none has `Anschließend`.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from data_models.codes import CODES
from data_models.findings import WARNUNG, Finding
from data_models.importers.records_common import Mapped, SozialraumLookup, factorize_objects, map_unique
from data_models.schema import KIND_LABELS, OHNE, RECORD_KINDS, STR, TABLES, Dataset, empty

RECORD_ART = {"hze_records": "hze", "s8a_records": "8a", "s42_records": "42"}
OHNE_LIMIT = 10.0  # % unassigned records in a year that is flagged on the dashboard


# --- assignment -----------------------------------------------------------------------------------------------------

def _valid_ids(soz: pd.DataFrame, year: int) -> list[str]:
    """Sozialraum ids (sheet order, without OHNE) that exist in `year`."""
    if not len(soz):
        return []
    ab = pd.array(soz["gueltig_ab"], dtype="Int64")
    bis = pd.array(soz["gueltig_bis"], dtype="Int64")
    ok = (ab.isna() | (ab <= year)) & (bis.isna() | (bis >= year))
    ok = np.asarray(pd.array(ok, dtype="boolean").fillna(False), dtype=bool)
    ids = [str(i) for i, k in zip(soz["sozialraum_id"], ok) if k and i is not None and str(i) != OHNE]
    return ids


def _lookup_level(rec: pd.DataFrame, zu: pd.DataFrame, with_year: bool) -> np.ndarray:
    """Sozialraum per record from assignment rows `zu` keyed by kennung (and year); None where none."""
    if not len(zu):
        return np.full(len(rec), None, dtype=object)
    keys = ["kennung", "jahr"] if with_year else ["kennung"]
    table = zu.rename(columns={"berichtsjahr": "jahr"})[keys + ["_sid"]].drop_duplicates(keys, keep="first")
    left = rec[keys].copy()
    if with_year:
        left["jahr"] = left["jahr"].astype("Int64")
        table["jahr"] = table["jahr"].astype("Int64")
    merged = left.merge(table, how="left", on=keys, sort=False)
    return merged["_sid"].to_numpy(dtype=object)


def assign_sozialraum(rec: pd.DataFrame, art: str, soz: pd.DataFrame, zu: pd.DataFrame) -> np.ndarray:
    """The assigned Sozialraum id of every record (object array; OHNE where none)."""
    n = len(rec)
    if n == 0:
        return np.zeros(0, dtype=object)
    lookup = SozialraumLookup(soz)

    # 1. own id
    own = Mapped(rec["sozialraum_id"], lookup.resolve)
    out = own.values().to_numpy(dtype=object)
    if not own.mask(lambda v: v is None).any():  # every record has its own (current) Sozialraum
        return out
    out = out.copy()

    # 2. assignment table
    todo = pd.isna(out)
    if todo.any() and len(zu):
        z = zu.copy()
        z["_sid"] = map_unique(z["sozialraum_id"], lookup.resolve).to_numpy(dtype=object)
        z = z[z["_sid"].notna()]
        has_art = z["art"].notna()
        has_year = z["berichtsjahr"].notna()
        mine = z["art"] == art
        levels = [
            (z[has_art & mine & has_year], True),
            (z[has_art & mine & ~has_year], False),
            (z[~has_art & has_year], True),
            (z[~has_art & ~has_year], False),
        ]
        sub = rec.loc[todo, ["kennung", "jahr"]]
        found = np.full(len(sub), None, dtype=object)
        for level, with_year in levels:
            missing = pd.isna(found)
            if not missing.any():
                break
            hit = _lookup_level(sub, level, with_year)
            found = np.where(missing, hit, found)
        out[todo] = found

    # 3. Gemeindeschlüssel (among the Sozialräume existing in the record's year)
    todo = pd.isna(out)
    if todo.any() and len(soz) and soz["gemeindeschluessel"].notna().any():
        rows = []
        for sid, ags_list, ab, bis in zip(soz["sozialraum_id"], soz["gemeindeschluessel"], soz["gueltig_ab"],
                                          soz["gueltig_bis"]):
            if ags_list is None or (isinstance(ags_list, float) and math.isnan(ags_list)):
                continue
            for ags in str(ags_list).split(";"):
                ags = ags.strip()
                if ags:
                    rows.append((ags.zfill(8) if ags.isdigit() else ags, str(sid),
                                 None if pd.isna(ab) else int(ab), None if pd.isna(bis) else int(bis)))
        if rows:
            amap = pd.DataFrame(rows, columns=["gemeindeschluessel", "_sid", "ab", "bis"])
            sub = rec.loc[todo, ["gemeindeschluessel", "jahr"]].copy()
            sub["_pos"] = np.arange(len(sub))
            pairs = sub[["gemeindeschluessel", "jahr"]].dropna().drop_duplicates()
            m = pairs.merge(amap, on="gemeindeschluessel", how="inner")
            y = m["jahr"].astype("Int64")
            ok = (m["ab"].isna() | (y >= m["ab"].astype("Int64"))) & (m["bis"].isna() | (y <= m["bis"].astype("Int64")))
            m = m[ok.fillna(False).to_numpy(dtype=bool)].drop_duplicates(["gemeindeschluessel", "jahr"], keep="first")
            hit = sub.merge(m[["gemeindeschluessel", "jahr", "_sid"]], how="left", on=["gemeindeschluessel", "jahr"],
                            sort=False)
            out[todo] = hit.sort_values("_pos")["_sid"].to_numpy(dtype=object)

    # 4. OHNE
    out[pd.isna(out)] = OHNE
    return out


# --- aggregation ----------------------------------------------------------------------------------------------------

def _grid(soz: pd.DataFrame, years, extra: dict[str, list] | None = None) -> pd.DataFrame:
    """(jahr, sozialraum_id[, extra column]) for every Sozialraum existing in each year."""
    rows = []
    for y in years:
        for sid in _valid_ids(soz, int(y)):
            rows.append((int(y), sid))
    g = pd.DataFrame(rows, columns=["jahr", "sozialraum_id"])
    g["jahr"] = g["jahr"].astype("Int64")
    g["sozialraum_id"] = g["sozialraum_id"].astype(object)
    if extra:
        (col, values), = extra.items()
        g = g.merge(pd.DataFrame({col: pd.Series(values, dtype=object)}), how="cross")
    return g


def _complete(agg: pd.DataFrame, grid: pd.DataFrame, keys: list[str], counts: list[str]) -> pd.DataFrame:
    """Outer-join the aggregate with the grid; counts 0 where a grid row has no records."""
    agg = agg.copy()
    agg["jahr"] = agg["jahr"].astype("Int64")
    for k in keys[1:]:
        agg[k] = agg[k].astype(object)
        grid[k] = grid[k].astype(object)
    out = grid.merge(agg, how="outer", on=keys, sort=False)
    for c in counts:
        out[c] = out[c].astype("Int64").fillna(0)
    return out


def canonical(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with exactly the canonical columns and dtypes; text columns stay Python objects (str or None)."""
    out = {}
    for col, dtype in TABLES[kind].items():
        s = frame[col] if col in frame.columns else pd.Series([None] * len(frame), index=frame.index, dtype=object)
        if dtype == STR:
            vals = s.to_numpy(dtype=object)
            out[col] = pd.Series([None if pd.isna(v) else str(v) for v in vals], dtype=object)
        else:
            out[col] = pd.Series(pd.array(s.to_numpy(dtype=object), dtype=dtype))
    return pd.DataFrame(out)


def _replace_years(sheet: pd.DataFrame, derived: pd.DataFrame, kind: str, years) -> pd.DataFrame:
    years = [int(y) for y in years]
    keep = sheet[~sheet["jahr"].isin(years)] if len(sheet) else sheet
    parts = [canonical(kind, keep)] if len(keep) else []
    parts.append(canonical(kind, derived))
    out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    sort_cols = [c for c in ("jahr", "sozialraum_id", "hilfeart", "melder") if c in out.columns]
    out = out.sort_values(sort_cols, kind="stable", na_position="first").reset_index(drop=True)
    for col, dtype in TABLES[kind].items():
        if dtype == STR and out[col].dtype != object:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out


def _years(rec: pd.DataFrame) -> list[int]:
    return sorted(int(y) for y in rec["jahr"].dropna().unique())


def _int_values(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(int64 values with 0 where missing, missing mask) of an integer column."""
    a = s.array if isinstance(s.array, pd.arrays.IntegerArray) else pd.array(s, dtype="Int64")
    return a.to_numpy(dtype=np.int64, na_value=0), a.isna()


def _group_codes(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values) of a key column; missing values are one group of their own (groupby dropna=False)."""
    if s.dtype == object:
        codes, uniques = factorize_objects(s.to_numpy())
    else:
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=object)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(uniques), codes)
        uniques = np.append(uniques, None)
    return codes, uniques


def derive_hze(rec: pd.DataFrame, soz: pd.DataFrame) -> pd.DataFrame:
    """The `hze` table (per jahr, Sozialraum, Hilfeart) from HzE records with assigned sozialraum_id.

    Summed with integer group codes and np.bincount (the keys are a few distinct objects; a groupby over the object
    columns and nullable counts of a million records took most of the time of loading)."""
    years = _years(rec)
    jahr, no_year = _int_values(rec["jahr"])
    r = rec if not no_year.any() else rec[~no_year]
    jahr = jahr[~no_year]
    beginn, no_beginn = _int_values(r["beginn_jahr"])
    ended = (r["ende_jahr"].notna() | r["ende_monat"].notna()).to_numpy(dtype=bool)
    junge, no_junge = _int_values(r["junge_menschen"])
    measures = {
        "begonnen": (beginn == jahr) & ~no_beginn,
        "beendet": ended, "andauernd": ~ended,
        "junge_menschen": np.where(no_junge, 1, junge),
    }
    counts = list(measures)
    j_codes, j_uniques = pd.factorize(jahr)
    s_codes, s_uniques = _group_codes(r["sozialraum_id"])
    h_codes, h_uniques = _group_codes(r["hilfeart"])
    key = (j_codes.astype(np.int64) * len(s_uniques) + s_codes) * len(h_uniques) + h_codes
    group, keys = pd.factorize(key)
    agg = {
        "jahr": pd.array(j_uniques[keys // (len(s_uniques) * len(h_uniques))], dtype="Int64"),
        "sozialraum_id": pd.Series(s_uniques[(keys // len(h_uniques)) % len(s_uniques)], dtype=object),
        "hilfeart": pd.Series(h_uniques[keys % len(h_uniques)], dtype=object),
    }
    for c, v in measures.items():
        total = np.bincount(group, weights=v.astype(np.float64), minlength=len(keys))
        agg[c] = pd.array(np.rint(total).astype(np.int64), dtype="Int64")
    agg = pd.DataFrame(agg)
    grid = _grid(soz, years, {"hilfeart": list(CODES["art_der_hilfe"])})
    return _complete(agg, grid, ["jahr", "sozialraum_id", "hilfeart"], counts)


S8A_RESULTS = {"1": "akut", "2": "latent", "3": "hilfebedarf", "4": "kein_hilfebedarf"}
S8A_TYPES = ("vernachlaessigung", "koerperlich", "psychisch", "sexuell")


def derive_s8a(rec: pd.DataFrame, soz: pd.DataFrame) -> pd.DataFrame:
    years = _years(rec)
    r = rec[rec["jahr"].notna()]
    g = pd.DataFrame({"jahr": r["jahr"].astype("Int64"), "sozialraum_id": r["sozialraum_id"]})
    for code, col in S8A_RESULTS.items():
        g[col] = (r["ergebnis"] == code).astype("Int64")
    for col in S8A_TYPES:
        g[col] = pd.array(r[col], dtype="boolean").astype("Int64").fillna(0)
    cols = list(S8A_RESULTS.values()) + list(S8A_TYPES)
    agg = g.groupby(["jahr", "sozialraum_id"], sort=False)[cols].sum().reset_index()
    out = _complete(agg, _grid(soz, years), ["jahr", "sozialraum_id"], cols)
    for col in S8A_TYPES:  # a year without any type information: no data
        known = r.groupby(r["jahr"].astype("Int64"))[col].apply(lambda s: s.notna().any())
        unknown_years = [int(y) for y, k in known.items() if not k]
        out.loc[out["jahr"].isin(unknown_years), col] = pd.NA
    return out


def derive_s8a_melder(rec: pd.DataFrame, soz: pd.DataFrame) -> tuple[pd.DataFrame, list[int]]:
    r = rec[rec["jahr"].notna() & rec["melder"].notna()]
    years = _years(r)
    g = pd.DataFrame({"jahr": r["jahr"].astype("Int64"), "sozialraum_id": r["sozialraum_id"],
                      "melder": r["melder"], "anzahl": pd.array(np.ones(len(r), dtype=np.int64), dtype="Int64")})
    agg = g.groupby(["jahr", "sozialraum_id", "melder"], sort=False)[["anzahl"]].sum().reset_index()
    grid = _grid(soz, years, {"melder": list(CODES["melder_8a"])})
    return _complete(agg, grid, ["jahr", "sozialraum_id", "melder"], ["anzahl"]), years


def _has_code(joined: pd.Series, code: str) -> pd.Series:
    s = joined.astype(object).where(joined.notna(), "")
    return (";" + s.astype(str) + ";").str.contains(f";{code};", regex=False)


def derive_s42(rec: pd.DataFrame, soz: pd.DataFrame) -> pd.DataFrame:
    years = _years(rec)
    r = rec[rec["jahr"].notna()]
    anlass8 = _has_code(r["anlass"], "8")
    g = pd.DataFrame({
        "jahr": r["jahr"].astype("Int64"), "sozialraum_id": r["sozialraum_id"],
        "inobhutnahmen": pd.array(np.ones(len(r), dtype=np.int64), dtype="Int64"),
        "uma": ((r["art"] == "2") | anlass8).astype("Int64"),
        "eigener_wunsch": _has_code(r["anlass"], "1").astype("Int64"),
        "kurz": (r["dauer_tage"].astype("Int64") <= 14).fillna(False).astype("Int64"),
        "rueckkehr": (r["anschluss"] == "1").astype("Int64"),
        "ausserhalb": r["anschluss"].isin(["2", "3", "4"]).astype("Int64"),
    })
    cols = ["inobhutnahmen", "uma", "eigener_wunsch", "kurz", "rueckkehr", "ausserhalb"]
    agg = g.groupby(["jahr", "sozialraum_id"], sort=False)[cols].sum().reset_index()
    out = _complete(agg, _grid(soz, years), ["jahr", "sozialraum_id"], cols)
    jahr = r["jahr"].astype("Int64")
    for src, targets in (("anlass", ["eigener_wunsch"]), ("anschluss", ["rueckkehr", "ausserhalb"])):
        known = r[src].notna().groupby(jahr).any()
        unknown_years = [int(y) for y, k in known.items() if not k]
        for t in targets:
            out.loc[out["jahr"].isin(unknown_years), t] = pd.NA
    return out


# --- the dataset ----------------------------------------------------------------------------------------------------

def derive_dataset(stored: dict[str, pd.DataFrame], tenant_name: str = "", data_version: int = 0) -> Dataset:
    """The tenant's current Dataset: records assigned to Sozialräume, aggregated tables built from records for the
    years that have records (see the module docstring). `stored` = current canonical frames per kind (missing = empty).
    The input frames are not modified."""
    tables: dict[str, pd.DataFrame] = {}
    for kind in TABLES:
        frame = stored.get(kind)
        tables[kind] = empty(kind) if frame is None else frame
    soz = tables["sozialraeume"]
    zu = tables["zuordnung"]

    for kind in RECORD_KINDS:
        rec = tables[kind]
        if len(rec):
            rec = rec.copy(deep=False)  # copy-on-write: the stored frame is not modified, and nothing is copied
            rec["sozialraum_id"] = pd.Series(assign_sozialraum(rec, RECORD_ART[kind], soz, zu), index=rec.index,
                                             dtype=object)
            tables[kind] = rec

    record_years: dict[str, set[int]] = {}
    hz = tables["hze_records"]
    if len(hz):
        years = _years(hz)
        tables["hze"] = _replace_years(tables["hze"], derive_hze(hz, soz), "hze", years)
        record_years["hze"] = set(years)
    s8 = tables["s8a_records"]
    if len(s8):
        years = _years(s8)
        tables["s8a"] = _replace_years(tables["s8a"], derive_s8a(s8, soz), "s8a", years)
        record_years["s8a"] = set(years)
        melder, melder_years = derive_s8a_melder(s8, soz)
        if melder_years:
            tables["s8a_melder"] = _replace_years(tables["s8a_melder"], melder, "s8a_melder", melder_years)
            record_years["s8a_melder"] = set(melder_years)
    s42 = tables["s42_records"]
    if len(s42):
        years = _years(s42)
        tables["s42"] = _replace_years(tables["s42"], derive_s42(s42, soz), "s42", years)
        record_years["s42"] = set(years)
    for kind in RECORD_KINDS:
        if len(tables[kind]):
            record_years[kind] = set(_years(tables[kind]))
    return Dataset(tables=tables, record_years=record_years, tenant_name=tenant_name, data_version=data_version)


# --- OHNE share -----------------------------------------------------------------------------------------------------

def unassigned_share(dataset: Dataset) -> pd.DataFrame:
    """Per record kind and year: total records, unassigned (OHNE), share in % and whether it is above 10 %.

    Columns: jahr, kind (hze_records | s8a_records | s42_records), total, ohne, share (%), flagged (share > 10)."""
    parts = []
    for kind in RECORD_KINDS:
        rec = dataset[kind]
        if not len(rec):
            continue
        r = rec[rec["jahr"].notna()]
        g = pd.DataFrame({"jahr": r["jahr"].astype("Int64"), "ohne": (r["sozialraum_id"] == OHNE).astype("int64")})
        agg = g.groupby("jahr").agg(total=("ohne", "size"), ohne=("ohne", "sum")).reset_index()
        agg.insert(1, "kind", kind)
        parts.append(agg)
    if not parts:
        return pd.DataFrame({"jahr": pd.Series(dtype="Int64"), "kind": pd.Series(dtype=object),
                             "total": pd.Series(dtype="Int64"), "ohne": pd.Series(dtype="Int64"),
                             "share": pd.Series(dtype="Float64"), "flagged": pd.Series(dtype=bool)})
    out = pd.concat(parts, ignore_index=True)
    out["total"] = out["total"].astype("Int64")
    out["ohne"] = out["ohne"].astype("Int64")
    out["kind"] = out["kind"].astype(object)
    out["share"] = (out["ohne"].astype("Float64") * 100 / out["total"].astype("Float64"))
    out["flagged"] = (out["share"] > OHNE_LIMIT).fillna(False).astype(bool)
    return out[["jahr", "kind", "total", "ohne", "share", "flagged"]]


def _de_int(n: int) -> str:
    return f"{int(n):,}".replace(",", ".")


def _de_pct(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def assignment_findings(dataset: Dataset) -> list[Finding]:
    """A Warnung per record kind and year with unassigned records (count and share); above 10 % says so (art
    `zuordnung_ohne_ueber_10`, for the dashboard's data-quality line), otherwise art `zuordnung_ohne`."""
    out = []
    for row in unassigned_share(dataset).itertuples(index=False):
        if not row.ohne:
            continue
        label = KIND_LABELS[row.kind]
        text = (f"{row.jahr}: {_de_int(row.ohne)} von {_de_int(row.total)} Datensätzen ({_de_pct(row.share)} %) "
                f"konnten keinem Sozialraum zugeordnet werden („{OHNE}“). Sie zählen in der Summe der Kommune, aber "
                f"in keinem Sozialraum. Bitte Sozialraum-ID, Zuordnungstabelle oder Gemeindeschlüssel ergänzen.")
        if row.flagged:
            text = f"Mehr als {OHNE_LIMIT:.0f} % nicht zugeordnet – " + text
        out.append(Finding(WARNUNG, text, blatt=label, spalte="Sozialraum-ID", wert=f"{row.ohne}/{row.total}",
                           art="zuordnung_ohne_ueber_10" if row.flagged else "zuordnung_ohne"))
    return out
