"""Expected value in context: the Eckwert HzE against what the SGB-II-Quote of a Sozialraum would predict.

Pure maths (no Streamlit), unweighted ordinary least squares of y on x (indicators.md, "Trends and comparisons"):
- slope b = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)², intercept a = ȳ − b · x̄, fitted ŷ = a + b · x, residual e = y − ŷ;
- R² = 1 − Σ e² / Σ (y − ȳ)² (None when all y are equal);
- standard error of the regression s = √(Σ e² / (n − 2)) (Excel LINEST's "Standardfehler von y"; None for n ≤ 2);
- standardised residual z = e / s (None when s is None or 0);
- a Sozialraum is "auffällig" when |z| > 2 (`THRESHOLD`, the contract's rule). Because Σ e² = (n − 2) s², no single
  |z| can exceed √(n − 2): with fewer than 7 points nobody can be auffällig – the page says so.

Points: one per Sozialraum and year of `years` (the contract's default is the chosen year; the page offers pooling
all years as well, which gives a steadier line for municipalities with few Sozialräume). `GESAMT` and `OHNE` are
left out, and so is a point whose x or y is null or suppressed. Sozialräume are not weighted by size.

"Auffällig" is a prompt for discussion, not a verdict: the line is a statistical average of this municipality, not
a norm, and local services, a few large families or the assignment of cases can explain a distance.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from data_models.memo import memoize
from data_models.schema import GESAMT, OHNE

THRESHOLD = 2.0  # |standardised residual| above this is "auffällig" (indicators.md)
MIN_POINTS_FOR_FLAGS = 7  # sqrt(n - 2) > 2 needs n >= 7

CAVEAT = (
    "„Auffällig“ heißt: weit weg von dem, was die SGB-II-Quote in dieser Kommune im Mittel erwarten lässt "
    "(standardisierter Abstand zur Geraden über 2 oder unter −2). Das ist ein Anlass zum Gespräch, kein Urteil: "
    "Angebote vor Ort, einzelne große Familien, Zuständigkeiten oder die Zuordnung der Fälle können den Abstand "
    "erklären. Die Gerade ist ein Durchschnitt dieser Kommune, keine Norm; ein Wert über der Geraden ist nicht "
    "schlechter als einer darunter."
)


@dataclass(frozen=True)
class LinearFit:
    n: int
    slope: float
    intercept: float
    r2: float | None  # None when all y are equal
    s: float | None  # standard error of the regression; None for n <= 2
    fitted: tuple[float, ...]
    residuals: tuple[float, ...]
    std_residuals: tuple[float | None, ...]  # residual / s; None when s is None or 0

    def predict(self, x: float) -> float:
        return self.intercept + self.slope * float(x)


def fit_line(xs: Sequence[float], ys: Sequence[float]) -> LinearFit | None:
    """Least-squares line through the pairs (xs[i], ys[i]); None for fewer than 2 points or when all x are equal.
    The inputs must not contain missing values (filter them first)."""
    xs = [float(v) for v in xs]
    ys = [float(v) for v in ys]
    if len(xs) != len(ys):
        raise ValueError("xs and ys must have the same length")
    n = len(xs)
    if n < 2:
        return None
    mx, my = math.fsum(xs) / n, math.fsum(ys) / n
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return None
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys))
    slope = sxy / sxx
    intercept = my - slope * mx
    fitted = tuple(intercept + slope * x for x in xs)
    resid = tuple(y - f for y, f in zip(ys, fitted))
    sse = math.fsum(e * e for e in resid)
    sst = math.fsum((y - my) ** 2 for y in ys)
    r2 = 1 - sse / sst if sst > 0 else None
    s = math.sqrt(sse / (n - 2)) if n > 2 else None
    std = tuple((e / s) if s else None for e in resid)
    return LinearFit(n, slope, intercept, r2, s, fitted, resid, std)


def is_auffaellig(z: float | None, threshold: float = THRESHOLD) -> bool:
    """|z| above the threshold (a missing z is never auffällig)."""
    return z is not None and abs(z) > threshold


@dataclass(frozen=True)
class SozialraumRegression:
    years: tuple[int, ...]  # the years the line is fitted over
    fit: LinearFit
    punkte: pd.DataFrame  # jahr, sozialraum_id, sozialraum, x, y, groesse, erwartet, residuum, std_residuum,
    #                       auffaellig, richtung ("über der Geraden" / "unter der Geraden" / "")
    threshold: float = THRESHOLD

    def year(self, jahr: int) -> pd.DataFrame:
        """The points of one year (what the scatter of that year shows)."""
        return self.punkte[self.punkte["jahr"] == int(jahr)].reset_index(drop=True)

    @property
    def flags_possible(self) -> bool:
        return self.fit.n >= MIN_POINTS_FOR_FLAGS


PUNKTE_COLUMNS = ["jahr", "sozialraum_id", "sozialraum", "x", "y", "groesse", "erwartet", "residuum",
                  "std_residuum", "auffaellig", "richtung"]


@memoize(maxsize=128)
def sgb2_eckwert(frame: pd.DataFrame, years: int | Sequence[int], *, x: str = "sgb2_quote_u15",
                 y: str = "hze_dichte", size: str = "bev_u21",
                 threshold: float = THRESHOLD) -> SozialraumRegression | None:
    """The line of `y` on `x` over the Sozialräume of `years` of a tidy indicator frame (cli.md columns; a column
    `unterdrueckt` is honoured). None when fewer than 2 points remain or all x are equal."""
    years = tuple(sorted({int(v) for v in years})) if hasattr(years, "__iter__") else (int(years),)
    f = frame[frame["jahr"].isin(years) & ~frame["sozialraum_id"].isin([GESAMT, OHNE])
              & frame["indikator"].isin([x, y, size])]
    points: dict[tuple[int, str], dict] = {}
    for r in f.itertuples(index=False):
        key = (int(r.jahr), str(r.sozialraum_id))
        p = points.setdefault(key, {"jahr": key[0], "sozialraum_id": key[1], "sozialraum": r.sozialraum})
        supp = bool(getattr(r, "unterdrueckt", False)) if not pd.isna(getattr(r, "unterdrueckt", False)) else False
        p[r.indikator] = None if supp or pd.isna(r.wert) else float(r.wert)
    rows = [p for p in points.values() if p.get(x) is not None and p.get(y) is not None]
    fit = fit_line([p[x] for p in rows], [p[y] for p in rows])
    if fit is None:
        return None
    out = []
    for p, fitted, e, z in zip(rows, fit.fitted, fit.residuals, fit.std_residuals):
        flag = is_auffaellig(z, threshold)
        out.append({"jahr": p["jahr"], "sozialraum_id": p["sozialraum_id"], "sozialraum": p["sozialraum"],
                    "x": p[x], "y": p[y], "groesse": p.get(size), "erwartet": fitted, "residuum": e,
                    "std_residuum": z, "auffaellig": flag,
                    "richtung": ("über der Geraden" if e > 0 else "unter der Geraden") if flag else ""})
    punkte = pd.DataFrame(out, columns=PUNKTE_COLUMNS)
    punkte["groesse"] = punkte["groesse"].astype("float64")
    punkte["std_residuum"] = punkte["std_residuum"].astype("float64")
    punkte["auffaellig"] = punkte["auffaellig"].astype(bool)
    return SozialraumRegression(years, fit, punkte, threshold)


def _de(value: float, decimals: int = 2) -> str:
    from data_models.formatting import fmt_de

    return fmt_de(value, decimals)


def equation_text(fit: LinearFit, y_label: str = "Eckwert HzE", x_label: str = "SGB-II-Quote") -> str:
    """'Eckwert HzE = 11,57 + 0,69 × SGB-II-Quote' (German numbers, a minus sign for a negative slope)."""
    sign = "+" if fit.slope >= 0 else "−"
    return f"{y_label} = {_de(fit.intercept)} {sign} {_de(abs(fit.slope))} × {x_label}"


def r2_text(fit: LinearFit) -> str:
    return "R² nicht bestimmbar (alle Eckwerte gleich)" if fit.r2 is None else f"R² = {_de(fit.r2)}"


def summary_text(reg: SozialraumRegression) -> str:
    """One German sentence on the line: equation, R², points and years."""
    ys = reg.years
    span = str(ys[0]) if len(ys) == 1 else f"{ys[0]}–{ys[-1]}"
    what = "Sozialräume" if len(ys) == 1 else "Punkte (Sozialraum × Jahr)"
    return (f"Ausgleichsgerade {span}: {equation_text(reg.fit)} (Eckwert je 1.000 unter 21, Quote in %); "
            f"{r2_text(reg.fit)}; {reg.fit.n} {what}.")


@memoize(maxsize=128)
def points_table(reg: SozialraumRegression, jahr: int) -> pd.DataFrame:
    """The points of one year as a German table (for the chart's data table and the download): Sozialraum,
    SGB-II-Quote, Eckwert, erwarteter Eckwert, Abstand, standardisierter Abstand, auffällig."""
    p = reg.year(jahr)
    return pd.DataFrame({
        "Sozialraum": p["sozialraum"].astype(object),
        "SGB-II-Quote unter 15 (%)": p["x"],
        "Eckwert HzE (je 1.000 unter 21)": p["y"],
        "erwarteter Eckwert": p["erwartet"],
        "Abstand zur Geraden": p["residuum"],
        "standardisierter Abstand": p["std_residuum"],
        "auffällig": p["richtung"].map(lambda r: r or "nein").astype(object),
    })


@memoize(maxsize=128)
def flagged(reg: SozialraumRegression, jahr: int) -> list[tuple[str, str, float]]:
    """The auffällige Sozialräume of `jahr`: (name – user text, escape it before display –, direction,
    standardised residual), in sheet order."""
    odd = reg.year(jahr)
    odd = odd[odd["auffaellig"]]
    return [(str(n), str(r), float(z)) for n, r, z in zip(odd["sozialraum"], odd["richtung"], odd["std_residuum"])]
