"""Static charts for the PDF report, drawn server-side with matplotlib (Agg, object API: no pyplot state, safe in
the threads of a Streamlit server) and returned as PNG bytes.

Why matplotlib and not plotly + kaleido: kaleido 1.x drives a Chrome that the app server would need installed
(`make run` installs none), and on the 2-core machine it took 4.7 s to start plus about 0.5 s per chart; matplotlib
draws a chart in about 0.2 s from the Python packages alone.

Colours as in the app (components/theme.py): Okabe-Ito for categories, black for the reference (`Gesamt`),
ColorBrewer "Blues" for map classes, grey for "keine Daten" and suppressed values (always named in the legend too,
no meaning by colour alone). Numbers on axes and labels in German format.
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence

from data_models.formatting import fmt_de, is_missing

CATEGORICAL = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999"]
REFERENCE = "#000000"
NO_DATA = "#BDBDBD"
GRID = "#E5E5E5"
TEXT = "#262730"
BLUES = {
    1: ["#6baed6"],
    2: ["#bdd7e7", "#3182bd"],
    3: ["#deebf7", "#9ecae1", "#3182bd"],
    4: ["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    5: ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
}
DPI = 150
CM = 1 / 2.54


def _figure(width_cm: float, height_cm: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_cm * CM, height_cm * CM), dpi=DPI)
    fig.patch.set_facecolor("white")
    return fig


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


def _style(ax, decimals: int = 1, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    ax.spines[["top", "right"]].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    ax.tick_params(colors=TEXT, labelsize=7)
    ax.grid(axis=axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    fmt = FuncFormatter(lambda v, _p: fmt_de(v, 0 if abs(v - round(v)) < 1e-9 else decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _num(v) -> float | None:
    return None if is_missing(v) else float(v)


def axis_decimals(values: Sequence) -> int:
    """0 decimals on an axis for large numbers, else 1."""
    vals = [abs(v) for v in (_num(x) for x in values) if v is not None]
    return 0 if vals and max(vals) >= 100 else 1


# --- classes for the map ----------------------------------------------------------------------------------
def _quantile(vals: Sequence[float], p: float) -> float:
    pos = (len(vals) - 1) * p
    lo = math.floor(pos)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)


def classify(values: Sequence, k: int = 5) -> list[float]:
    """Quantile class edges (Excel PERCENTILE.INC) of the non-missing values; equal edges merged, so fewer
    classes may result. Empty list without values. Intervals: [e0, e1], (e1, e2], …"""
    vals = sorted(v for v in (_num(x) for x in values) if v is not None)
    if not vals:
        return []
    edges = [round(_quantile(vals, i / k), 10) for i in range(k + 1)]
    edges[0], edges[-1] = vals[0], vals[-1]
    out: list[float] = []
    for e in edges:
        if not out or e > out[-1]:
            out.append(e)
    return out if len(out) > 1 else [vals[0], vals[0]]


def class_index(edges: list[float], value) -> int | None:
    v = _num(value)
    if v is None or not edges:
        return None
    for i in range(1, len(edges) - 1):
        if v <= edges[i]:
            return i - 1
    return len(edges) - 2


# --- charts -----------------------------------------------------------------------------------------------
def choropleth(features: Sequence[tuple[str, str, dict]], values: dict[str, tuple[float | None, bool]],
               legend_title: str, decimals: int = 1, width_cm: float = 17.0, height_cm: float = 11.0) -> bytes:
    """A static choropleth: `features` = (sozialraum_id, name, GeoJSON geometry in WGS84); `values` maps the id to
    (value, suppressed). Each area is labelled with its name and value; grey = keine Daten / unterdrückt."""
    from matplotlib.patches import Patch, Polygon
    from shapely import make_valid
    from shapely.geometry import shape

    fig = _figure(width_cm, height_cm)
    ax = fig.add_axes((0.0, 0.0, 0.72, 1.0))
    edges = classify([v for v, s in values.values() if not s])
    colors = BLUES[max(1, min(5, len(edges) - 1))] if edges else []
    lats = []
    any_grey = False
    for sid, name, geom in features:
        v, suppressed = values.get(sid, (None, False))
        idx = None if suppressed else class_index(edges, v)
        color = NO_DATA if idx is None else colors[idx]
        any_grey |= idx is None
        shp = shape(geom)
        if not shp.is_valid:
            shp = make_valid(shp)
        parts = [g for g in getattr(shp, "geoms", [shp]) if g.geom_type == "Polygon" and g.area > 0]
        for part in parts:
            ax.add_patch(Polygon(list(part.exterior.coords), closed=True, facecolor=color, edgecolor="#505050",
                                 linewidth=0.6))
            for hole in part.interiors:
                ax.add_patch(Polygon(list(hole.coords), closed=True, facecolor="white", edgecolor="#505050",
                                     linewidth=0.4))
            lats += [c[1] for c in part.exterior.coords]
        if parts:
            big = max(parts, key=lambda g: g.area)
            p = big.centroid if big.contains(big.centroid) else big.representative_point()
            text = "." if suppressed else ("k. D." if v is None else fmt_de(v, decimals))
            dark = idx is not None and idx >= max(0, len(colors) - 2) and len(colors) >= 3
            ax.annotate(f"{name}\n{text}", (p.x, p.y), ha="center", va="center", fontsize=6.5,
                        color="white" if dark else TEXT, fontweight="bold")
    ax.autoscale_view()
    ax.set_axis_off()
    if lats:
        ax.set_aspect(1 / math.cos(math.radians(sum(lats) / len(lats))))
    handles = []
    for i, c in enumerate(colors):
        lo, hi = edges[i], edges[i + 1]
        label = f"{fmt_de(lo, decimals)} bis {fmt_de(hi, decimals)}" if i == 0 else \
            f"über {fmt_de(lo, decimals)} bis {fmt_de(hi, decimals)}"
        if lo == hi:
            label = fmt_de(lo, decimals)
        handles.append(Patch(facecolor=c, edgecolor="#505050", linewidth=0.5, label=label))
    if any_grey:
        handles.append(Patch(facecolor=NO_DATA, edgecolor="#505050", linewidth=0.5,
                             label="keine Daten (k. D.) / unterdrückt (.)"))
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.72, 0.5), frameon=False, fontsize=7,
               title=legend_title, title_fontsize=7.5, alignment="left")
    return _png(fig)


def ranking(rows: Sequence[tuple[str, float | None, bool]], unit_label: str, reference: float | None = None,
            reference_label: str = "Gesamt", decimals: int = 1, width_cm: float = 17.0,
            height_cm: float | None = None) -> bytes:
    """Horizontal bars, highest first; `rows` = (name, value, suppressed). A dashed black line marks the
    reference (Gesamt). Missing and suppressed values are named at the bar's place."""
    shown = sorted(rows, key=lambda r: (_num(r[1]) is None or r[2], -(_num(r[1]) or 0)))
    n = len(shown)
    fig = _figure(width_cm, height_cm or max(5.0, 1.2 + 0.55 * n))
    ax = fig.add_axes((0.24, 0.14, 0.70, 0.82))
    ys = list(range(n))[::-1]
    vmax = max([_num(v) or 0 for _n, v, s in shown if not s] + [_num(reference) or 0, 0]) or 1
    for y, (name, v, s) in zip(ys, shown):
        val = None if s else _num(v)
        if val is None:
            ax.text(vmax * 0.01, y, "unterdrückt (.)" if s else "keine Daten", va="center", fontsize=7,
                    color="#666666")
            continue
        ax.barh(y, val, color=CATEGORICAL[0], height=0.65)
        ax.text(val + vmax * 0.01, y, fmt_de(val, decimals), va="center", fontsize=7, color=TEXT, zorder=6,
                bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor="none"))
    ax.set_yticks(ys, [r[0] for r in shown], fontsize=7.5)
    ax.set_xlim(0, vmax * 1.12)
    _style(ax, axis_decimals([vmax]), axis="x")
    ax.tick_params(axis="y", length=0)
    if _num(reference) is not None:
        ax.axvline(float(reference), color=REFERENCE, linestyle="--", linewidth=1, zorder=4)
        ax.text(float(reference), n - 0.45, f" {reference_label}: {fmt_de(reference, decimals)}", fontsize=7,
                color=REFERENCE, va="bottom")
    ax.set_xlabel(unit_label, fontsize=7.5, color=TEXT)
    return _png(fig)


def lines(series: Sequence[tuple[str, Sequence[tuple[int, float | None]]]], unit_label: str,
          reference: str | None = None, decimals: int | None = None, width_cm: float = 17.0,
          height_cm: float = 8.0, legend: str = "right") -> bytes:
    """Lines over the years; the series named `reference` is black and thicker. Gaps where a value is missing.
    `legend`: "right" (many short names), "below" (few long names) or "" (none)."""
    fig = _figure(width_cm, height_cm)
    below_rows = math.ceil(len(series) / 2) if legend == "below" else 0
    bottom = (1.0 + (0.45 * below_rows + 0.2 if below_rows else 0)) / height_cm  # x labels + legend, in cm
    ax = fig.add_axes((0.09, bottom, 0.62 if legend == "right" else 0.88, 0.93 - bottom))
    allv = []
    years_all: set[int] = set()
    ci = 0
    for name, points in series:
        xs = [int(y) for y, _v in points]
        vs = [_num(v) for _y, v in points]
        years_all.update(xs)
        allv += [v for v in vs if v is not None]
        ys = [float("nan") if v is None else v for v in vs]
        if name == reference:
            ax.plot(xs, ys, color=REFERENCE, linewidth=2.0, marker="o", markersize=3, label=name, zorder=5)
        else:
            ax.plot(xs, ys, color=CATEGORICAL[ci % len(CATEGORICAL)], linewidth=1.2, marker="o", markersize=2.2,
                    label=name, linestyle="-" if ci < len(CATEGORICAL) else "--")
            ci += 1
    _style(ax, axis_decimals(allv) if decimals is None else decimals)
    if years_all:
        ys_sorted = sorted(years_all)
        step = 1 if len(ys_sorted) <= 12 else 2
        ax.set_xticks(ys_sorted[::step], [str(y) for y in ys_sorted[::step]])
    if allv and min(allv) >= 0:
        ax.set_ylim(bottom=0, top=max(allv) * 1.1 or 1)
    ax.set_ylabel(unit_label, fontsize=7.5, color=TEXT)
    if legend == "right":
        ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False, fontsize=7)
    elif legend == "below":
        fig.legend(*ax.get_legend_handles_labels(), loc="lower left", bbox_to_anchor=(0.08, 0.0), ncol=2,
                   frameon=False, fontsize=7)
    return _png(fig)


def small_multiples(panels: Sequence[tuple[str, Sequence[tuple[int, float | None]]]], cols: int = 2,
                    width_cm: float = 17.0, height_cm: float = 11.0) -> bytes:
    """One small line chart per panel (title, points), for the municipality's key figures over the years."""
    n = len(panels)
    rows = max(1, math.ceil(n / cols))
    fig = _figure(width_cm, height_cm)
    axes = fig.subplots(rows, cols, squeeze=False)
    fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.07, hspace=0.55, wspace=0.22)
    for i, ax in enumerate(axes.flat):
        if i >= n:
            ax.set_axis_off()
            continue
        title, points = panels[i]
        xs = [int(y) for y, _v in points]
        vs = [_num(v) for _y, v in points]
        ax.plot(xs, [float("nan") if v is None else v for v in vs], color=REFERENCE, linewidth=1.6, marker="o",
                markersize=2.5)
        have = [v for v in vs if v is not None]
        _style(ax, axis_decimals(have))
        if have and min(have) >= 0:
            ax.set_ylim(0, max(have) * 1.15 or 1)
        if xs:
            step = 1 if len(xs) <= 6 else 2 if len(xs) <= 12 else 3
            ax.set_xticks(xs[::step], [str(x) for x in xs[::step]])
        ax.set_title(title, fontsize=7.5, color=TEXT, loc="left")
    return _png(fig)


def stacked_shares(years: Sequence[int], categories: Sequence[str], shares: Sequence[Sequence[float | None]],
                   width_cm: float = 17.0, height_cm: float | None = None) -> bytes:
    """Horizontal 100 % bars, one per year (newest on top); `shares[i][j]` = share in % of category j in year i.
    Segments of at least 6 % carry their value."""
    n = len(years)
    h = height_cm or max(5.0, 2.6 + 0.55 * n)
    fig = _figure(width_cm, h)
    bottom = (1.3 + 0.45 * math.ceil(len(categories) / 3)) / h  # room for the axis title and the legend (cm)
    ax = fig.add_axes((0.08, bottom, 0.90, 0.97 - bottom))
    ys = list(range(n))[::-1]
    for y, row in zip(ys, shares):
        left = 0.0
        for j, v in enumerate(row):
            val = _num(v)
            if val is None or val <= 0:
                continue
            ax.barh(y, val, left=left, color=CATEGORICAL[j % len(CATEGORICAL)], height=0.7,
                    edgecolor="white", linewidth=0.5, label=categories[j] if y == ys[0] else None)
            if val >= 6:
                ax.text(left + val / 2, y, fmt_de(val, 0), ha="center", va="center", fontsize=6.5,
                        color="white" if j in (0, 2, 3) else TEXT)
            left += val
    ax.set_yticks(ys, [str(y) for y in years], fontsize=7)
    ax.set_xlim(0, 100)
    _style(ax, 0, axis="x")
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel("Anteil in %", fontsize=7.5, color=TEXT)
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", bbox_to_anchor=(0.5, 0.0),
               ncol=min(3, len(categories)), frameon=False, fontsize=7)
    return _png(fig)
