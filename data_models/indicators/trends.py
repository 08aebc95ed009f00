"""Trends and comparisons over a tidy indicator frame (indicators.md "Trends and comparisons").

- `change_to_previous`: for counts, rates per population, money and other non-% indicators
  `(value_Y / value_{Y-1} − 1) × 100` in %; for indicators in % the difference in Prozentpunkte (30 % → 33 % is
  +3 Prozentpunkte). Only the calendar year before counts as previous year; null when either value is null (also
  when suppressed) or, for %-changes, when the previous value is 0.
- `index_to_base`: value / value of the base year × 100 (base = 100); null when the base value is null or 0.
- `compare_to_gesamt`: each Sozialraum against `GESAMT` of the same year and indicator: difference, ratio, and the
  rank among the Sozialräume (OHNE excluded; 1 = highest value; ties share the smaller rank).
- `regression_sgb2_eckwert`: unweighted least squares of the Eckwert HzE (y) on the SGB-II-Quote (x) over the
  Sozialräume of one year (OHNE and GESAMT excluded, rows with a null excluded): slope, intercept, R²; a Sozialraum
  is "auffällig" when |standardised residual| > 2, the residual divided by the standard error of the regression
  s = √(Σ residual² / (n − 2)) (Excel LINEST's "Standardfehler"); with n ≤ 2 or s = 0 nobody is auffällig.
- `quartile_inc` / `quartiles` / `peer_band`: Excel QUARTILE.INC (linear interpolation between order statistics at
  position (n − 1) × k / 4); a band only for groups of at least 5 members, and only Q1, median, Q3.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_models.indicators.catalogue import CATALOGUE, PP
from data_models.schema import GESAMT, OHNE

F = "Float64"


def _kind(indicator_id: str) -> str:
    ind = CATALOGUE.get(indicator_id)
    return ind.change if ind is not None else "percent"


def _key_cols(frame: pd.DataFrame) -> list[str]:
    return [c for c in ("tenant", "sozialraum_id", "indikator") if c in frame.columns]


def change_to_previous(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with `vorjahr` (value of Y−1), `veraenderung` and `veraenderung_einheit` ("%" or "Prozentpunkte")."""
    out = frame.copy()
    keys = _key_cols(frame)
    prev = frame[[*keys, "jahr", "wert"]].copy()
    prev["jahr"] = prev["jahr"] + 1
    prev = prev.rename(columns={"wert": "vorjahr"}).drop_duplicates([*keys, "jahr"])
    merged = out[[*keys, "jahr"]].merge(prev, on=[*keys, "jahr"], how="left")
    v = out["wert"].astype(F).to_numpy(dtype="float64", na_value=np.nan)
    p = merged["vorjahr"].astype(F).to_numpy(dtype="float64", na_value=np.nan)
    pp = np.array([_kind(i) == PP for i in out["indikator"]], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(p != 0, (v / p - 1) * 100, np.nan)
    change = np.where(pp, v - p, pct)
    out["vorjahr"] = pd.array(p, dtype=F)
    out["veraenderung"] = pd.array(np.where(np.isfinite(change), change, np.nan), dtype=F)
    out["veraenderung_einheit"] = np.where(pp, "Prozentpunkte", "%").astype(object)
    return out


def index_to_base(frame: pd.DataFrame, base_year: int) -> pd.DataFrame:
    """A copy with `basisjahr` and `index` = value / value in `base_year` × 100 (null without a base value)."""
    out = frame.copy()
    keys = _key_cols(frame)
    base = frame.loc[frame["jahr"] == base_year, [*keys, "wert"]].rename(columns={"wert": "_basis"})
    merged = out[keys].merge(base.drop_duplicates(keys), on=keys, how="left")
    v = out["wert"].astype(F).to_numpy(dtype="float64", na_value=np.nan)
    b = merged["_basis"].astype(F).to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        idx = np.where(b != 0, v * 100 / b, np.nan)
    out["basisjahr"] = base_year
    out["index"] = pd.array(np.where(np.isfinite(idx), idx, np.nan), dtype=F)
    return out


def compare_to_gesamt(frame: pd.DataFrame) -> pd.DataFrame:
    """The Sozialraum rows (without GESAMT) with `gesamt`, `differenz` = wert − gesamt, `verhaeltnis` =
    wert / gesamt, and `rang` among the Sozialräume of the year and indicator (OHNE gets no rank)."""
    g = frame.loc[frame["sozialraum_id"] == GESAMT, ["jahr", "indikator", "wert"]].rename(columns={"wert": "gesamt"})
    out = frame[frame["sozialraum_id"] != GESAMT].copy()
    merged = out[["jahr", "indikator"]].merge(g.drop_duplicates(["jahr", "indikator"]), on=["jahr", "indikator"],
                                              how="left")
    v = out["wert"].astype(F).to_numpy(dtype="float64", na_value=np.nan)
    gv = merged["gesamt"].astype(F).to_numpy(dtype="float64", na_value=np.nan)
    out["gesamt"] = pd.array(gv, dtype=F)
    out["differenz"] = pd.array(v - gv, dtype=F)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(gv != 0, v / gv, np.nan)
    out["verhaeltnis"] = pd.array(np.where(np.isfinite(ratio), ratio, np.nan), dtype=F)
    rankable = out["sozialraum_id"] != OHNE
    ranks = out.loc[rankable].assign(_v=v[rankable.to_numpy()]).groupby(["jahr", "indikator"])["_v"].rank(
        method="min", ascending=False)
    out["rang"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out.loc[rankable, "rang"] = ranks.astype("Float64").round().astype("Int64")
    return out


@dataclass
class Regression:
    jahr: int
    n: int
    steigung: float
    achsenabschnitt: float
    r2: float | None
    standardfehler: float | None
    punkte: pd.DataFrame  # sozialraum_id, sozialraum, x, y, groesse, erwartet, residuum, std_residuum, auffaellig


def regression_sgb2_eckwert(frame: pd.DataFrame, jahr: int, x: str = "sgb2_quote_u15", y: str = "hze_dichte",
                            size: str = "bev_u21") -> Regression | None:
    """Least-squares line y = achsenabschnitt + steigung × x over the Sozialräume of `jahr` (see module docstring).
    None when fewer than 2 points or all x are equal."""
    f = frame[(frame["jahr"] == jahr) & ~frame["sozialraum_id"].isin([GESAMT, OHNE])]
    wide = f.pivot_table(index=["sozialraum_id", "sozialraum"], columns="indikator", values="wert", aggfunc="first",
                         sort=False, dropna=False)
    if x not in wide.columns or y not in wide.columns:
        return None
    order = list(dict.fromkeys(zip(f["sozialraum_id"], f["sozialraum"])))
    wide = wide.reindex(pd.MultiIndex.from_tuples(order, names=["sozialraum_id", "sozialraum"]))
    xs = wide[x].astype(F).to_numpy(dtype="float64", na_value=np.nan)
    ys = wide[y].astype(F).to_numpy(dtype="float64", na_value=np.nan)
    ok = np.isfinite(xs) & np.isfinite(ys)
    xs, ys = xs[ok], ys[ok]
    n = len(xs)
    if n < 2:
        return None
    mx, my = xs.mean(), ys.mean()
    sxx = float(((xs - mx) ** 2).sum())
    if sxx == 0:
        return None
    slope = float(((xs - mx) * (ys - my)).sum() / sxx)
    intercept = float(my - slope * mx)
    fitted = intercept + slope * xs
    resid = ys - fitted
    sse = float((resid ** 2).sum())
    sst = float(((ys - my) ** 2).sum())
    r2 = 1 - sse / sst if sst > 0 else None
    s = math.sqrt(sse / (n - 2)) if n > 2 else None
    std = resid / s if s else np.full(n, np.nan)
    groesse = wide[size].astype(F).to_numpy(dtype="float64", na_value=np.nan)[ok] if size in wide.columns else \
        np.full(n, np.nan)
    idx = wide.index[ok]
    punkte = pd.DataFrame({
        "sozialraum_id": idx.get_level_values(0).astype(object), "sozialraum": idx.get_level_values(1).astype(object),
        "x": xs, "y": ys, "groesse": pd.array(groesse, dtype=F), "erwartet": fitted, "residuum": resid,
        "std_residuum": pd.array(std, dtype=F),
        "auffaellig": np.where(np.isfinite(std), np.abs(std) > 2, False),
    })
    return Regression(int(jahr), n, slope, intercept, r2, s, punkte)


def quartile_inc(values: Iterable[float], quart: int) -> float | None:
    """Excel QUARTILE.INC(values, quart) for quart 0..4 (nulls ignored); None for no values."""
    if quart not in (0, 1, 2, 3, 4):
        raise ValueError("quart must be 0..4")
    xs = sorted(float(v) for v in values if v is not None and not pd.isna(v))
    if not xs:
        return None
    pos = (len(xs) - 1) * quart / 4
    lo = math.floor(pos)
    frac = pos - lo
    if lo + 1 >= len(xs):
        return xs[-1]
    return xs[lo] + frac * (xs[lo + 1] - xs[lo])


def quartiles(values: Iterable[float]) -> tuple[float | None, float | None, float | None]:
    """(Q1, median, Q3) like Excel QUARTILE.INC."""
    vals = list(values)
    return quartile_inc(vals, 1), quartile_inc(vals, 2), quartile_inc(vals, 3)


def peer_band(values: Iterable[float], min_members: int = 5) -> dict[str, float] | None:
    """The band shown to a tenant: {"q1", "median", "q3"} when the group has at least `min_members` values, else
    None (never minimum or maximum: they are single offices' values)."""
    vals = [float(v) for v in values if v is not None and not pd.isna(v)]
    if len(vals) < min_members:
        return None
    q1, med, q3 = quartiles(vals)
    return {"q1": q1, "median": med, "q3": q3, "n": len(vals)}
