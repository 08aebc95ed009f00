"""Breakdown tables (indicators.md "Breakdown tables"): counts by category per year and Sozialraum, plus `GESAMT`.

`compute_breakdown(ds, table)` returns the columns of cli.md: `jahr, sozialraum_id, sozialraum, kategorie_code,
kategorie, anzahl, anteil` (anteil in %). Every category of the code list is listed, with 0 where there is none.

| table | counts | source | categories |
|---|---|---|---|
| `hilfeart` | Fälle (running 31.12. + ended) per Art der Hilfe, with EB | `HzE` (records applied) | 01–16 |
| `segment` | the same per segment, with EB | `HzE` | EB, ambulant, teilstationär, stationär, § 35a |
| `grund` | Fälle of HzE 04–16 by Grund 1 | HzE records only | gruende |
| `anregende` | Fälle of HzE 04–16 by Anregende Institution | HzE records only | anregende_institution |
| `altersgruppe` | Fälle of HzE 04–16 by age at begin | HzE records only | 0–<3 … 18–<21, 21 and older |
| `geschlecht` | Fälle of HzE 04–16 by Geschlecht | HzE records only | geschlecht |
| `zugaenge` | helps started via a Zugangsweg | `Zugänge` | Zugangswege as written |
| `8a_ergebnis` | § 8a procedures by result | `§ 8a` | ergebnis_8a |
| `8a_art` | KWG procedures by kind (multiple answers) | `§ 8a` | vernachlaessigung, koerperlich, psychisch, sexuell |
| `8a_melder` | § 8a procedures by Melder | `§ 8a Melder` | melder_8a |
| `42_anlass` | § 42 measures by Anlass (multiple answers) | § 42 records only | anlass_42 |
| `42_anregende` | § 42 measures by Anregende | § 42 records only | anregende_42 |
| `42_anschluss` | § 42 measures by Anschluss | § 42 records only | anschluss_42 |

Rules and decisions:
- Rows exist for the years of the source (the sheet's years; for record-only tables the record years), per year
  `GESAMT`, the Sozialräume existing in the year in sheet order, and `OHNE` when the source has `OHNE` data that
  year. `GESAMT` sums all units including `OHNE` and is null for a category when an existing Sozialraum has no
  data for it (wide sheet `§ 8a`: missing row or empty cell).
- Long sheets (`HzE`, `Zugänge`, `§ 8a Melder`): a missing row is 0 in a year the sheet contains.
- `anteil` = anzahl × 100 / Σ anzahl over the categories of that year and unit; for `8a_art` the denominator is
  `kwg_faelle` (akut + latent), for `42_anlass` the number of measures. Null when the denominator is 0 or null.
- Records with an empty category (e.g. no Anregende Institution, no Anschluss) are in no category and therefore not
  in the denominator of single-answer tables. A record's age at begin above 20 goes into "21 und älter".
- `zugaenge` categories: all Zugangswege of the tenant's sheet (any year), in order of first appearance, compared
  after trimming spaces.
- For multiple-answer tables `frame.attrs["nenner"]` maps (jahr, sozialraum_id) to the number of cases (the
  denominator of `anteil`), so suppression can hide shares over 1 or 2 cases even when every count is 0.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_models import codes
from data_models.indicators.inputs import (NAN, Units, dataset_years, gesamt_sum, match, num, record_years, table,
                                           table_years, units)
from data_models.schema import GESAMT, GESAMT_NAME, Dataset

COLUMNS = ["jahr", "sozialraum_id", "sozialraum", "kategorie_code", "kategorie", "anzahl", "anteil"]

AGE_GROUPS = [("0-3", "0 bis unter 3 Jahre", 0, 3), ("3-6", "3 bis unter 6 Jahre", 3, 6),
              ("6-10", "6 bis unter 10 Jahre", 6, 10), ("10-15", "10 bis unter 15 Jahre", 10, 15),
              ("15-18", "15 bis unter 18 Jahre", 15, 18), ("18-21", "18 bis unter 21 Jahre", 18, 21),
              ("21+", "21 Jahre und älter", 21, 999)]
SEGMENT_LABELS = {"EB": "Erziehungsberatung", "ambulant": "ambulante Hilfen", "teilstationär": "teilstationäre Hilfen",
                  "stationär": "stationäre Hilfen", "§ 35a": "Eingliederungshilfe § 35a"}
ART_8A = {"vernachlaessigung": "Vernachlässigung", "koerperlich": "körperliche Misshandlung",
          "psychisch": "psychische Misshandlung", "sexuell": "sexuelle Gewalt"}


@dataclass(frozen=True)
class Breakdown:
    name: str
    label: str  # German title of the table
    counted: str  # what `anzahl` counts (German, for captions)
    source: str  # German: where the data come from
    multiple: bool = False  # multiple answers: shares of the cases, not of the sum
    records_only: bool = False


BREAKDOWNS: dict[str, Breakdown] = {b.name: b for b in [
    Breakdown("hilfeart", "Fälle nach Art der Hilfe", "Fälle (laufend am 31.12. und beendet), mit Erziehungsberatung",
              "Tabellenblatt „HzE“ bzw. HzE-Einzeldaten"),
    Breakdown("segment", "Fälle nach Segment", "Fälle (laufend am 31.12. und beendet), mit Erziehungsberatung",
              "Tabellenblatt „HzE“ bzw. HzE-Einzeldaten"),
    Breakdown("grund", "Fälle nach Hauptgrund (Grund 1)", "Fälle der HzE ohne Erziehungsberatung", "HzE-Einzeldaten",
              records_only=True),
    Breakdown("anregende", "Fälle nach anregender Institution", "Fälle der HzE ohne Erziehungsberatung",
              "HzE-Einzeldaten", records_only=True),
    Breakdown("altersgruppe", "Fälle nach Alter bei Beginn", "Fälle der HzE ohne Erziehungsberatung",
              "HzE-Einzeldaten", records_only=True),
    Breakdown("geschlecht", "Fälle nach Geschlecht", "Fälle der HzE ohne Erziehungsberatung", "HzE-Einzeldaten",
              records_only=True),
    Breakdown("zugaenge", "Zugänge nach Zugangsweg", "im Jahr begonnene Hilfen", "Tabellenblatt „Zugänge“"),
    Breakdown("8a_ergebnis", "Gefährdungseinschätzungen nach Ergebnis", "Verfahren", "Tabellenblatt „§ 8a“"),
    Breakdown("8a_art", "Kindeswohlgefährdungen nach Art (Mehrfachnennungen)",
              "Verfahren mit akuter oder latenter Gefährdung", "Tabellenblatt „§ 8a“", multiple=True),
    Breakdown("8a_melder", "Gefährdungseinschätzungen nach Melder", "Verfahren", "Tabellenblatt „§ 8a Melder“"),
    Breakdown("42_anlass", "Inobhutnahmen nach Anlass (Mehrfachnennungen)", "Maßnahmen", "§ 42-Einzeldaten",
              multiple=True, records_only=True),
    Breakdown("42_anregende", "Inobhutnahmen nach anregender Person oder Stelle", "Maßnahmen", "§ 42-Einzeldaten",
              records_only=True),
    Breakdown("42_anschluss", "Inobhutnahmen nach Anschluss", "Maßnahmen", "§ 42-Einzeldaten", records_only=True),
]}


@dataclass
class _Counts:
    years: list[int]
    u: Units
    categories: list[tuple[str, str]]  # (code, label)
    counts: np.ndarray  # (units, categories), NaN = no data
    denominator: np.ndarray | None = None  # per unit, for multiple answers


def _category_pos(col: pd.Series, cats: list[str]) -> np.ndarray:
    """Position of each cell in `cats`, -1 when it is none of them."""
    codes_, uniques = pd.factorize(col)
    lut = {c: i for i, c in enumerate(cats)}
    table_ = np.array([lut.get(u, -1) for u in uniques] + [-1], dtype="int64")
    return table_[codes_]


def _count(u: Units, keys: np.ndarray, cat: np.ndarray, n_cats: int, present: set[int],
           weights: np.ndarray | None = None) -> np.ndarray:
    """(units × categories) sums of `weights` (default 1 per row; NaN propagates); 0 for a unit without rows in a
    present year, NaN in other years."""
    ok = (keys >= 0) & (cat >= 0)
    unit_pos = np.searchsorted(u.keys, keys[ok])
    idx = unit_pos * n_cats + cat[ok]
    w = np.ones(ok.sum()) if weights is None else np.asarray(weights, dtype="float64")[ok]
    out = np.bincount(idx, weights=w, minlength=len(u) * n_cats).reshape(len(u), n_cats) if len(u) else \
        np.zeros((0, n_cats))
    present_rows = np.isin(u.jahr, list(present))
    return np.where(present_rows[:, None], out, NAN)


def _code_list(name: str) -> list[tuple[str, str]]:
    return list(codes.CODES[name].items())


def _hze_sheet(ds: Dataset, years: list[int], by_segment: bool) -> _Counts:
    present = table_years(ds, "hze") & set(years)
    ys = sorted(present)
    u = units(ds, ys, ("hze",))
    h = table(ds, "hze")
    keys = u.locate(h)
    faelle = num(h["andauernd"]) + num(h["beendet"])
    arts = list(codes.CODES["art_der_hilfe"])
    cat = _category_pos(h["hilfeart"], arts)
    if by_segment:
        seg_pos = np.array([list(codes.SEGMENTS).index(codes.SEGMENT_OF_CODE[a]) for a in arts] + [-1])
        cat = seg_pos[cat]
        cats = [(s, SEGMENT_LABELS[s]) for s in codes.SEGMENTS]
    else:
        cats = _code_list("art_der_hilfe")
    return _Counts(ys, u, cats, _count(u, keys, cat, len(cats), present, faelle))


def _hze_records(ds: Dataset, years: list[int], column: str) -> _Counts:
    present = record_years(ds, "hze_records", "hze") & set(years)
    ys = sorted(present)
    u = units(ds, ys, ("hze_records",))
    r = table(ds, "hze_records")
    keys = np.where(match(r["hilfeart"], codes.HZE_CODES), u.locate(r, records=True), -1)
    if column == "altersgruppe":
        age = num(r["alter_beginn"])
        cat = np.full(len(r), -1, dtype="int64")
        for i, (_, _, lo, hi) in enumerate(AGE_GROUPS):
            cat[(age >= lo) & (age < hi)] = i
        cats = [(c, lab) for c, lab, _, _ in AGE_GROUPS]
    else:
        list_name = {"grund1": "gruende", "anregende": "anregende_institution", "geschlecht": "geschlecht"}[column]
        cats = _code_list(list_name)
        cat = _category_pos(r[column], [c for c, _ in cats])
    return _Counts(ys, u, cats, _count(u, keys, cat, len(cats), present))


def _zugaenge(ds: Dataset, years: list[int]) -> _Counts:
    present = table_years(ds, "zugaenge") & set(years)
    ys = sorted(present)
    u = units(ds, ys, ("zugaenge",))
    z = table(ds, "zugaenge")
    weg = z["zugangsweg"].map(lambda v: None if v is None or pd.isna(v) else str(v).strip())
    cats_list = list(dict.fromkeys(w for w in weg if w))
    cat = _category_pos(weg, cats_list)
    return _Counts(ys, u, [(w, w) for w in cats_list], _count(u, u.locate(z), cat, len(cats_list), present,
                                                                  num(z["anzahl"])))


def _s8a(ds: Dataset, years: list[int], art: bool) -> _Counts:
    present = table_years(ds, "s8a") & set(years)
    ys = sorted(present)
    u = units(ds, ys, ("s8a",))
    s = table(ds, "s8a")
    if art:
        cats = list(ART_8A.items())
        w = u.wide(s, [*ART_8A, "akut", "latent"])
        counts = np.column_stack([w[c] for c in ART_8A])
        return _Counts(ys, u, cats, counts, denominator=w["akut"] + w["latent"])
    cats = _code_list("ergebnis_8a")
    w = u.wide(s, ["akut", "latent", "hilfebedarf", "kein_hilfebedarf"])
    counts = np.column_stack([w["akut"], w["latent"], w["hilfebedarf"], w["kein_hilfebedarf"]])
    return _Counts(ys, u, cats, counts)


def _melder(ds: Dataset, years: list[int]) -> _Counts:
    present = table_years(ds, "s8a_melder") & set(years)
    ys = sorted(present)
    u = units(ds, ys, ("s8a_melder",))
    m = table(ds, "s8a_melder")
    cats = _code_list("melder_8a")
    cat = _category_pos(m["melder"], [c for c, _ in cats])
    return _Counts(ys, u, cats, _count(u, u.locate(m), cat, len(cats), present, num(m["anzahl"])))


def _s42(ds: Dataset, years: list[int], column: str) -> _Counts:
    present = record_years(ds, "s42_records", "s42") & set(years)
    ys = sorted(present)
    u = units(ds, ys, ("s42_records",))
    r = table(ds, "s42_records")
    keys = u.locate(r, records=True)
    list_name = {"anlass": "anlass_42", "anregende": "anregende_42", "anschluss": "anschluss_42"}[column]
    cats = _code_list(list_name)
    codes_ = [c for c, _ in cats]
    if column == "anlass":
        # one row per (record, Anlass); an Anlass named twice in one record counts once
        split = r["anlass"].map(lambda v: [] if v is None or pd.isna(v) else
                                sorted({a.strip() for a in str(v).split(";") if a.strip()}))
        lengths = np.array([len(x) for x in split], dtype="int64")
        flat = pd.Series([a for lst in split for a in lst], dtype=object)
        counts = _count(u, np.repeat(keys, lengths), _category_pos(flat, codes_), len(cats), present)
        denom = _count(u, keys, np.zeros(len(r), dtype="int64"), 1, present)[:, 0]
        return _Counts(ys, u, cats, counts, denominator=denom)
    return _Counts(ys, u, cats, _count(u, keys, _category_pos(r[column], codes_), len(cats), present))


_SOURCES: dict[str, Callable[[Dataset, list[int]], _Counts]] = {
    "hilfeart": lambda ds, ys: _hze_sheet(ds, ys, by_segment=False),
    "segment": lambda ds, ys: _hze_sheet(ds, ys, by_segment=True),
    "grund": lambda ds, ys: _hze_records(ds, ys, "grund1"),
    "anregende": lambda ds, ys: _hze_records(ds, ys, "anregende"),
    "altersgruppe": lambda ds, ys: _hze_records(ds, ys, "altersgruppe"),
    "geschlecht": lambda ds, ys: _hze_records(ds, ys, "geschlecht"),
    "zugaenge": _zugaenge,
    "8a_ergebnis": lambda ds, ys: _s8a(ds, ys, art=False),
    "8a_art": lambda ds, ys: _s8a(ds, ys, art=True),
    "8a_melder": _melder,
    "42_anlass": lambda ds, ys: _s42(ds, ys, "anlass"),
    "42_anregende": lambda ds, ys: _s42(ds, ys, "anregende"),
    "42_anschluss": lambda ds, ys: _s42(ds, ys, "anschluss"),
}
assert set(_SOURCES) == set(BREAKDOWNS)


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "jahr": pd.Series(dtype="Int64"), "sozialraum_id": pd.Series(dtype=object),
        "sozialraum": pd.Series(dtype=object), "kategorie_code": pd.Series(dtype=object),
        "kategorie": pd.Series(dtype=object), "anzahl": pd.Series(dtype="Int64"), "anteil": pd.Series(dtype="Float64"),
    })


def compute_breakdown(ds: Dataset, table: str, years=None, sozialraum=None) -> pd.DataFrame:
    """The breakdown `table` (a name of BREAKDOWNS; ValueError otherwise) as a tidy frame (columns `COLUMNS`),
    sorted by year, `GESAMT`, Sozialräume in sheet order, `OHNE`, then category order of the code list.
    `years`: a year or years; `sozialraum`: an id or ids (also `GESAMT`, `OHNE`), filtered after computing."""
    if table not in BREAKDOWNS:
        raise ValueError(f"Unbekannte Aufschlüsselung: {table!r}. Möglich: {', '.join(BREAKDOWNS)}")
    ys = dataset_years(ds, years)
    c = _SOURCES[table](ds, ys)
    if not c.years or not c.categories:
        return empty_frame()
    u, n_cat, n_years = c.u, len(c.categories), len(c.years)
    year_pos = {y: i for i, y in enumerate(c.years)}
    yi = np.array([year_pos[j] for j in u.jahr.tolist()], dtype="int64")
    required = ~u.is_ohne
    g_counts = np.column_stack([gesamt_sum(c.counts[:, k], yi, n_years, required) for k in range(n_cat)])
    # a year without any unit row: GESAMT has no data
    counts = np.vstack([g_counts, c.counts])
    if c.denominator is not None:
        denom = np.concatenate([gesamt_sum(c.denominator, yi, n_years, required), c.denominator])
    else:
        denom = np.where(np.isnan(counts).any(axis=1), NAN, np.nansum(counts, axis=1))
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(denom[:, None] > 0, counts * 100.0 / np.where(denom > 0, denom, 1.0)[:, None], NAN)
    multiple_denominator = denom if c.denominator is not None else None
    rows = pd.concat([
        pd.DataFrame({"jahr": c.years, "sozialraum_id": GESAMT, "sozialraum": GESAMT_NAME, "order": -1}),
        u.frame[["jahr", "sozialraum_id", "sozialraum", "order"]],
    ], ignore_index=True)
    order = np.lexsort((rows["order"].to_numpy(), rows["jahr"].to_numpy()))
    rows = rows.iloc[order].reset_index(drop=True)
    counts, share = counts[order], share[order]
    denominators = multiple_denominator[order] if multiple_denominator is not None else None
    if sozialraum is not None:
        wanted = [sozialraum] if isinstance(sozialraum, str) else list(sozialraum)
        keep = rows["sozialraum_id"].isin(wanted).to_numpy()
        rows, counts, share = rows[keep].reset_index(drop=True), counts[keep], share[keep]
        denominators = denominators[keep] if denominators is not None else None
    n = len(rows)
    out = pd.DataFrame({
        "jahr": pd.array(np.repeat(rows["jahr"].to_numpy(), n_cat), dtype="Int64"),
        "sozialraum_id": np.repeat(rows["sozialraum_id"].to_numpy(dtype=object), n_cat),
        "sozialraum": np.repeat(rows["sozialraum"].to_numpy(dtype=object), n_cat),
        "kategorie_code": np.tile(np.array([k for k, _ in c.categories], dtype=object), n),
        "kategorie": np.tile(np.array([lab for _, lab in c.categories], dtype=object), n),
        "anzahl": pd.array(counts.reshape(-1), dtype="Float64").astype("Int64"),
        "anteil": pd.array(share.reshape(-1), dtype="Float64"),
    })
    for col in ("sozialraum_id", "sozialraum", "kategorie_code", "kategorie"):
        out[col] = out[col].astype(object)
    out.attrs["breakdown"] = table
    if denominators is not None:  # multiple answers: the number of cases per unit (for privacy.suppress)
        out.attrs["nenner"] = {(int(j), sid): (None if np.isnan(d) else float(d))
                               for j, sid, d in zip(rows["jahr"], rows["sozialraum_id"], denominators)}
    return out


def public_breakdown(ds: Dataset, table: str, years=None, sozialraum=None, public: bool = True) -> pd.DataFrame:
    """`compute_breakdown` for output: with `public`, suppression (privacy.md) runs on the complete table (all
    Sozialräume and GESAMT of the requested years) before the Sozialraum filter; the frame then has a column
    `unterdrueckt`."""
    if not public:
        return compute_breakdown(ds, table, years=years, sozialraum=sozialraum)
    from data_models.privacy import suppress

    full = suppress(compute_breakdown(ds, table, years=years), kind="breakdown", table=table)
    if sozialraum is not None:
        wanted = [sozialraum] if isinstance(sozialraum, str) else list(sozialraum)
        full = full[full["sozialraum_id"].isin(wanted)].reset_index(drop=True)
    return full
