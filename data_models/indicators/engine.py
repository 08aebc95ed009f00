"""The indicator engine: every indicator of indicators.md per year and Sozialraum, plus `GESAMT`, as one tidy frame.

`compute_indicators(ds)` returns the columns of cli.md: `jahr, sozialraum_id, sozialraum, indikator, wert,
zaehler, nenner, einheit, unterdrueckt` (`unterdrueckt` is False here; privacy.suppress sets it). Pages, exports
and `manage.py indicators` all call it. One function computes each formula (section modules), next to its
documentation; `inputs.py` turns the canonical tables into the quantities the formulas read.

Decisions where the contract is silent:
- Rows: every year of `Dataset.years()` (any yearly table with data). Per year: `GESAMT`, each Sozialraum of the
  sheet that exists in the year (`gültig ab`/`bis`) in sheet order, then `OHNE` if some table has `OHNE` data in
  that year. Every indicator gets a row, <NA> where it cannot be computed.
- Data rows of a Sozialraum outside its gültig years, or of an id that is not in the sheet (stale after a new
  `Sozialräume`), are ignored: they have no row and do not count in `GESAMT` (the data-quality page reports them),
  so `GESAMT` is always the sum of the rows shown.
- A records row without `sozialraum_id` counts as `OHNE`.
- `eb_faelle` uses `Beratung` § 28 in a year whose HzE data have no row with codes 01–03 *and a count above 0*
  and no EB record: a record-derived or exported sheet may carry zero rows for every code.
- `hze_junge_menschen` is <NA> for a whole year when nobody filled `junge Menschen`; otherwise a unit with an
  empty cell in a counted row is <NA>, a unit without rows is 0 (long sheet).
- `beendet_gemaess_hilfeplan`: the denominator counts ended helps with a *given* reason other than 40; an ended
  help without a reason (counted as unknown) is in neither numerator nor denominator.
- `transfer_quote`, `anteil_nach_8a`: "started" = `Beginn Jahr` = report year.
- `dauer_beendet`: an ended help needs `Ende Jahr` and `Ende Monat`.
- Money: `ausgaben_hze` of a key (Sozialraum or municipality) is <NA> when it has no HzE row in the year (only EB
  rows, or none); `kosten_je_fall_<segment>` is <NA> when the year has only `gesamt` rows; a missing code or segment
  row is 0. `GESAMT` without municipality rows is the sum of the Sozialraum rows and, like every `GESAMT`, <NA>
  when an existing Sozialraum has no row. `ausgaben_hze` is a sum: `zaehler` = `wert`, `nenner` = null.
  `haushalt_ausschoepfung` of a key without any row with an Ansatz is 0 / 0 (null), and that key adds 0 to GESAMT.
- `faelle_je_vollzeitstelle`: occupied posts = `Vollzeitstellen` − `davon unbesetzt` (empty = 0), summed per team
  (`Team` compared after trimming spaces); a rate with 0 or negative posts is <NA>. `GESAMT` is <NA> when `Personal`
  has no row in the year or lacks the team of an existing Sozialraum. Teams of `Personal` that no Sozialraum names
  count in the `GESAMT` posts.
- A denominator that is 0 or negative gives <NA>; `zaehler` and `nenner` are still shown.
- Record years: the years in `Dataset.record_years["hze_records"]` or `["hze"]`, plus every year present in
  `hze_records`. Record-only indicators are <NA> in other years; in record years a unit without records is 0.
- `hze_junge_menschen` counts persons: unit "Personen" (so it is a count for suppression); its Eckwert is
  "je 1.000 unter 21". `kosten_je_fall_<segment>` have the unit "EUR".
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from data_models.indicators import hilfedichte, leistungen, ressourcen, sozialstruktur, waechteramt  # noqa: F401
from data_models.indicators.catalogue import CATALOGUE, IDS
from data_models.indicators.formula import FORMULAS
from data_models.indicators.inputs import dataset_years, with_gesamt
from data_models.schema import Dataset

COLUMNS = ["jahr", "sozialraum_id", "sozialraum", "indikator", "wert", "zaehler", "nenner", "einheit", "unterdrueckt"]
F = "Float64"

missing = set(IDS) ^ set(FORMULAS)
if missing:  # pragma: no cover - a programming error caught at import
    raise RuntimeError(f"catalogue and formulas differ: {sorted(missing)}")


def _as_list(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def check_indicators(indicators) -> list[str]:
    """The requested indicator ids in output order; ValueError (German) for an unknown id."""
    wanted = _as_list(indicators)
    if wanted is None:
        return list(IDS)
    unknown = [i for i in wanted if i not in CATALOGUE]
    if unknown:
        raise ValueError(f"Unbekannter Indikator: {', '.join(unknown)}")
    return sorted(set(wanted))


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "jahr": pd.Series(dtype="Int64"), "sozialraum_id": pd.Series(dtype=object),
        "sozialraum": pd.Series(dtype=object), "indikator": pd.Series(dtype=object), "wert": pd.Series(dtype=F),
        "zaehler": pd.Series(dtype=F), "nenner": pd.Series(dtype=F), "einheit": pd.Series(dtype=object),
        "unterdrueckt": pd.Series(dtype=bool),
    })


def compute_indicators(ds: Dataset, years=None, sozialraum=None, indicators=None) -> pd.DataFrame:
    """All indicators of indicators.md as a tidy frame (columns `COLUMNS`), sorted by year, then `GESAMT`, the
    Sozialräume in sheet order, `OHNE`, then indicator id.

    `years`: a year or an iterable of years (default: every year with data); `sozialraum`: an id (also `GESAMT`
    or `OHNE`) or an iterable of ids; `indicators`: an id or an iterable of ids (ValueError if unknown). Filtering
    happens after computing, so `GESAMT` always covers all Sozialräume.
    """
    ids = check_indicators(indicators)
    ys = dataset_years(ds, years)
    if not ys:
        return empty_frame()
    rows, q = with_gesamt(ds, ys)
    wanted_sr = _as_list(sozialraum)
    if wanted_sr is not None:
        keep = rows["sozialraum_id"].isin(wanted_sr).to_numpy()
        rows = rows[keep].reset_index(drop=True)
        q = {k: v[keep] for k, v in q.items()}
    n_rows, n_ind = len(rows), len(ids)
    if n_rows == 0:
        return empty_frame()
    results = [FORMULAS[ind](q) for ind in ids]

    def interleave(attr: str):  # row-major: for each (year, unit) all indicators in id order
        return pd.array(np.column_stack([getattr(r, attr) for r in results]).reshape(-1), dtype=F)  # NaN -> <NA>

    out = pd.DataFrame({
        "jahr": pd.array(np.repeat(rows["jahr"].to_numpy(), n_ind), dtype="Int64"),
        "sozialraum_id": np.repeat(rows["sozialraum_id"].to_numpy(dtype=object), n_ind),
        "sozialraum": np.repeat(rows["sozialraum"].to_numpy(dtype=object), n_ind),
        "indikator": np.tile(np.array(ids, dtype=object), n_rows),
        "wert": interleave("wert"),
        "zaehler": interleave("zaehler"),
        "nenner": interleave("nenner"),
        "einheit": np.tile(np.array([CATALOGUE[i].unit for i in ids], dtype=object), n_rows),
        "unterdrueckt": np.zeros(n_rows * n_ind, dtype=bool),
    })
    for c in ("sozialraum_id", "sozialraum", "indikator", "einheit"):
        out[c] = out[c].astype(object)
    return out


def public_indicators(ds: Dataset, years=None, sozialraum=None, indicators=None, public: bool = True) -> pd.DataFrame:
    """`compute_indicators` for output: with `public`, suppression (privacy.md) runs on the complete frame (all
    Sozialräume and indicators of the requested years, so totals and related indicators are protected) before
    the Sozialraum and indicator filters are applied."""
    if not public:
        return compute_indicators(ds, years=years, sozialraum=sozialraum, indicators=indicators)
    from data_models.privacy import suppress

    ids = check_indicators(indicators)
    full = suppress(compute_indicators(ds, years=years), kind="indicators", public=True)
    wanted_sr = _as_list(sozialraum)
    keep = full["indikator"].isin(ids)
    if wanted_sr is not None:
        keep &= full["sozialraum_id"].isin(wanted_sr)
    return full[keep].reset_index(drop=True)
