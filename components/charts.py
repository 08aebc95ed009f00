"""Charts as plotly figures, built by pure functions from the tidy indicator frame (cli.md columns
`jahr, sozialraum_id, sozialraum, indikator, wert, zaehler, nenner, einheit, unterdrueckt`) or a breakdown frame
(`jahr, sozialraum_id, sozialraum, kategorie_code, kategorie, anzahl, anteil`).

Every figure carries the shared template (German separators), a title saying what is counted, per what, where and
for which year(s), axis titles with units, German hover texts (numbers formatted here, rounded half away from
zero), a source line (annotation named "quelle") and, where values are suppressed or missing, a footnote
(annotation named "fussnote"). Names from uploads are HTML-escaped before they reach any text plotly renders.

`render_chart` is the only Streamlit call in this module.
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from components.theme import (
    ABOVE_COLOR,
    BELOW_COLOR,
    CATEGORICAL,
    HIGHLIGHT_COLOR,
    NO_DATA,
    NO_DATA_FOOTNOTE,
    REFERENCE_COLOR,
    SUPPRESSED_FOOTNOTE,
    TEMPLATE,
    axis_title,
    category_color,
    category_pattern,
    chart_title,
    decimals_for,
    esc,
    fmt_de,
    fmt_value,
    is_missing,
    plotly_config,
    records,
)
from components.figure_spec import Spec, subplots
from data_models.memo import memoize
from data_models.schema import GESAMT, GESAMT_NAME, OHNE

DASHES = ["solid", "dot", "dash", "longdash", "dashdot"]
SIZE_NOTE = "Punktgröße: Einwohner unter 21"


# --- helpers ------------------------------------------------------------------------------------------
def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with None for every kind of missing value."""
    return records(frame)


def _suppressed(row: dict) -> bool:
    v = row.get("unterdrueckt")
    return bool(v) if not is_missing(v) else False


def _num(v) -> float | None:
    return None if is_missing(v) else float(v)


def _single_indicator(frame: pd.DataFrame) -> None:
    if "indikator" in frame.columns and frame["indikator"].nunique(dropna=True) > 1:
        raise ValueError("the frame holds more than one indicator; filter it first")


def _hover(name: str, year, value_text: str, row: dict | None = None) -> str:
    """German hover text; `name` is escaped here."""
    lines = [f"<b>{esc(name)}</b>", f"{year}: {esc(value_text)}"]
    if row is not None and not _suppressed(row):
        z, n = row.get("zaehler"), row.get("nenner")
        if not is_missing(n):
            zt = fmt_de(z, _count_decimals(z)) if not is_missing(z) else NO_DATA
            lines.append(f"Zähler: {zt} · Nenner: {fmt_de(n, _count_decimals(n))}")
    return "<br>".join(lines)


def _count_decimals(v) -> int:
    """Whole numbers without decimals (counts), others (e.g. EUR, months) with one."""
    try:
        return 0 if float(v).is_integer() else 1
    except (TypeError, ValueError):
        return 0


def _notes(rows: Iterable[dict], value_col: str = "wert") -> list[str]:
    rows = list(rows)
    notes = []
    if any(_suppressed(r) for r in rows):
        notes.append(SUPPRESSED_FOOTNOTE)
    if any(is_missing(r.get(value_col)) and not _suppressed(r) for r in rows):
        notes.append(NO_DATA_FOOTNOTE)
    return notes


def _template_layout() -> dict:
    """The shared template as a dict (for `Spec` figures, which skip plotly's validation)."""
    global _TEMPLATE_DICT
    if _TEMPLATE_DICT is None:
        _TEMPLATE_DICT = TEMPLATE.to_plotly_json()
    return _TEMPLATE_DICT


_TEMPLATE_DICT: dict | None = None


def _finish(fig: go.Figure | Spec, title: str, source: str | None, notes: Sequence[str] = (), *,
            height: int | None = None) -> go.Figure:
    """Template, title, source line and footnotes (below the plot area). A `Spec` comes back as a `go.Figure`."""
    lines = [esc(n) for n in notes]
    if source:
        fig.add_annotation(
            name="quelle", text=esc(source), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            yshift=-62, showarrow=False, align="left", font=dict(size=11, color="#555555"),
        )
    if lines:
        fig.add_annotation(
            name="fussnote", text="<br>".join(_wrap(t) for t in lines), xref="paper", yref="paper", x=0, y=0,
            xanchor="left", yanchor="top", yshift=-80, showarrow=False, align="left",
            font=dict(size=11, color="#555555"),
        )
    n_lines = sum(_wrap(t).count("<br>") + 1 for t in lines)
    layout = dict(
        template=TEMPLATE if isinstance(fig, go.Figure) else _template_layout(),
        separators=",.",
        title=dict(text=title),
        margin=dict(b=90 + 16 * n_lines),
    )
    if height:
        layout["height"] = height
    fig.update_layout(**layout)
    return fig.figure() if isinstance(fig, Spec) else fig


def _wrap(text: str, width: int = 110) -> str:
    """Break long footnotes into lines (plotly annotations do not wrap)."""
    words, lines, cur = text.split(" "), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    if cur:
        lines.append(cur)
    return "<br>".join(lines)


def _year_axis(years: Sequence[int]) -> dict:
    """Years as plain text ticks (no "2.023" from the thousands separator)."""
    ys = sorted({int(y) for y in years})
    return dict(title=dict(text="Jahr"), tickmode="array", tickvals=ys, ticktext=[str(y) for y in ys],
                range=[ys[0] - 0.5, ys[-1] + 0.5] if ys else None)


def _unique_labels(rows: list[dict], name_col: str = "sozialraum", id_col: str = "sozialraum_id") -> dict:
    """id -> display name; duplicate names get their id appended."""
    names: dict = {}
    for r in rows:
        names.setdefault(r.get(id_col), str(r.get(name_col) or r.get(id_col) or ""))
    counts: dict[str, int] = {}
    for n in names.values():
        counts[n] = counts.get(n, 0) + 1
    return {k: (f"{n} ({k})" if counts[n] > 1 else n) for k, n in names.items()}


# --- trend --------------------------------------------------------------------------------------------
# The builders are memoised (data_models/memo.py): the same shared frame and arguments give the same figure object,
# which callers must not change (pass options such as `y_title` instead).
@memoize(maxsize=128)
def trend_chart(frame: pd.DataFrame, indicator_label: str, unit: str | None, *, source: str | None = None,
                series: str = "sozialraum_id", name_col: str = "sozialraum", value_col: str = "wert",
                decimals: int | None = None, where: str | None = None, include_ohne: bool = False,
                highlight: str | None = None, title: str | None = None,
                y_tickformat: str | None = None) -> go.Figure:
    """Lines over the years, one per Sozialraum (or per segment: `series="kategorie_code", name_col="kategorie",
    value_col="anzahl"`). `GESAMT` is drawn as a black dashed reference line. Missing and suppressed values are
    gaps (with a footnote). `highlight` (a series key) is drawn thicker."""
    _single_indicator(frame)
    dec = decimals_for(unit) if decimals is None else decimals
    rows = [r for r in _records(frame) if include_ohne or r.get(series) != OHNE]
    years = sorted({int(r["jahr"]) for r in rows if not is_missing(r.get("jahr"))})
    labels = _unique_labels(rows, name_col, series)
    fig = Spec()
    keys = [k for k in labels if k != GESAMT]
    if GESAMT in labels:
        keys = [GESAMT] + keys
    i = 0
    for key in keys:
        pts = sorted((r for r in rows if r.get(series) == key), key=lambda r: int(r["jahr"]))
        name = GESAMT_NAME if key == GESAMT else labels[key]
        ys, hover = [], []
        for r in pts:
            v = None if _suppressed(r) else _num(r.get(value_col))
            ys.append(v)
            hover.append(_hover(name, int(r["jahr"]), fmt_value(v, dec, suppressed=_suppressed(r), unit=unit), r))
        if key == GESAMT:
            line = dict(color=REFERENCE_COLOR, width=3, dash="dash")
        else:
            line = dict(color=category_color(i), width=3.5 if key == highlight else 2,
                        dash=DASHES[(i // len(CATEGORICAL)) % len(DASHES)])
            i += 1
        fig.add_trace(dict(
            type="scatter", x=[int(r["jahr"]) for r in pts], y=ys, name=esc(name), mode="lines+markers", line=line,
            marker=dict(size=7), hovertext=hover, hoverinfo="text", connectgaps=False,
        ))
    fig.update_xaxes(**_year_axis(years))
    fig.update_yaxes(title=dict(text=axis_title(indicator_label, unit)), rangemode="tozero")
    if y_tickformat:
        fig.update_yaxes(tickformat=y_tickformat)
    title = title or chart_title(indicator_label, unit, years, where)
    return _finish(fig, title, source, _notes(rows, value_col))


# --- ranking ------------------------------------------------------------------------------------------
@memoize(maxsize=128)
def ranking_bar(frame: pd.DataFrame, indicator_label: str, unit: str | None, year: int, *,
                source: str | None = None, reference: float | None = None, decimals: int | None = None,
                include_ohne: bool = False, highlight: str | None = None, title: str | None = None,
                y_title: str = "Sozialraum") -> go.Figure:
    """Horizontal bars of the Sozialräume of one year, highest on top, missing ones at the bottom (labelled
    "keine Daten" or "."); `GESAMT` of the same year (or `reference`) as a dashed vertical line named "referenz"."""
    _single_indicator(frame)
    dec = decimals_for(unit) if decimals is None else decimals
    rows = [r for r in _records(frame) if not is_missing(r.get("jahr")) and int(r["jahr"]) == int(year)]
    if reference is None:
        ges = [r for r in rows if r.get("sozialraum_id") == GESAMT and not _suppressed(r)]
        reference = _num(ges[0].get("wert")) if ges else None
    rows = [r for r in rows if r.get("sozialraum_id") != GESAMT and (include_ohne or r.get("sozialraum_id") != OHNE)]
    labels = _unique_labels(rows)

    def value(r):
        return None if _suppressed(r) else _num(r.get("wert"))

    rows.sort(key=lambda r: (value(r) is None, -(value(r) or 0.0)))
    cats = [esc(labels[r["sozialraum_id"]]) for r in rows]
    texts = [fmt_value(value(r), dec, suppressed=_suppressed(r)) for r in rows]
    hover = [_hover(labels[r["sozialraum_id"]], year, fmt_value(value(r), dec, suppressed=_suppressed(r), unit=unit), r)
             for r in rows]
    colors = [HIGHLIGHT_COLOR if r["sozialraum_id"] == highlight else CATEGORICAL[0] for r in rows]
    # the selected bar is also hatched: colour is never the only sign (WCAG 1.4.1)
    hatch = ["/" if r["sozialraum_id"] == highlight else "" for r in rows]
    fig = Spec([dict(
        type="bar", x=[value(r) or 0.0 for r in rows], y=cats, orientation="h",
        marker=dict(color=colors, pattern=dict(shape=hatch, fgcolor="#FFFFFF")),
        text=[esc(t) for t in texts], textposition="outside", cliponaxis=False, hovertext=hover, hoverinfo="text",
        name=esc(indicator_label), showlegend=False,
    )])
    if reference is not None:
        fig.add_shape(name="referenz", type="line", x0=reference, x1=reference, xref="x", y0=0, y1=1, yref="paper",
                      line=dict(color=REFERENCE_COLOR, width=2, dash="dash"))
        fig.add_annotation(name="referenz", x=reference, xref="x", y=1, yref="paper", yanchor="bottom",
                           text=f"{GESAMT_NAME}: {fmt_value(reference, dec, unit=unit)}", showarrow=False,
                           font=dict(size=12, color=REFERENCE_COLOR))
    fig.update_yaxes(title=dict(text=y_title), autorange="reversed", type="category")
    fig.update_xaxes(title=dict(text=axis_title(indicator_label, unit)), rangemode="tozero")
    title = title or chart_title(indicator_label, unit, [year], by="nach Sozialraum")
    return _finish(fig, title, source, _notes(rows), height=max(300, 130 + 26 * len(rows)))


# --- stacked mix --------------------------------------------------------------------------------------
@memoize(maxsize=128)
def stacked_bar(frame: pd.DataFrame, what: str, unit: str | None = "%", *, source: str | None = None,
                value: str = "anteil", category: str = "kategorie_code", name_col: str = "kategorie",
                where: str | None = None, decimals: int | None = None, title: str | None = None) -> go.Figure:
    """The mix over the years: one stacked bar per year, one colour (and from the 9th category on a pattern) per
    category, in the order of the frame (the code-list order). `frame` holds one Sozialraum (or GESAMT)."""
    dec = (1 if unit == "%" else decimals_for(unit)) if decimals is None else decimals
    rows = _records(frame)
    years = sorted({int(r["jahr"]) for r in rows if not is_missing(r.get("jahr"))})
    cats: dict = {}
    for r in rows:
        cats.setdefault(r.get(category), str(r.get(name_col) or r.get(category)))
    fig = Spec()
    for i, (code, label) in enumerate(cats.items()):
        pts = sorted((r for r in rows if r.get(category) == code), key=lambda r: int(r["jahr"]))
        ys = [None if _suppressed(r) else _num(r.get(value)) for r in pts]
        hover = [_hover(label, int(r["jahr"]), fmt_value(v, dec, suppressed=_suppressed(r), unit=unit))
                 for r, v in zip(pts, ys)]
        fig.add_trace(dict(
            type="bar", x=[int(r["jahr"]) for r in pts], y=ys, name=esc(label), hovertext=hover, hoverinfo="text",
            marker=dict(color=category_color(i), pattern=dict(shape=category_pattern(i)),
                        line=dict(color="#FFFFFF", width=0.5)),
        ))
    fig.update_layout(barmode="stack", legend=dict(traceorder="reversed"))  # legend top = top of the stack
    fig.update_xaxes(**_year_axis(years))
    fig.update_yaxes(title=dict(text=axis_title(what, unit)))
    if unit == "%" and value == "anteil":
        fig.update_yaxes(range=[0, 100])
    title = title or chart_title(what, unit, years, where)
    return _finish(fig, title, source, _notes(rows, value))


# --- SGB II against Eckwert ---------------------------------------------------------------------------
def wide_by_sozialraum(tidy: pd.DataFrame, year: int, indicators: Sequence[str]) -> pd.DataFrame:
    """One row per Sozialraum (GESAMT and OHNE left out) of `year`, one column per indicator id; suppressed or
    missing values are NaN. Input for `scatter_sgb2_eckwert`."""
    rows = [r for r in _records(tidy) if not is_missing(r.get("jahr")) and int(r["jahr"]) == int(year)
            and r.get("sozialraum_id") not in (GESAMT, OHNE) and r.get("indikator") in indicators]
    out: dict = {}
    for r in rows:
        sid = r["sozialraum_id"]
        rec = out.setdefault(sid, {"sozialraum_id": sid, "sozialraum": r.get("sozialraum")})
        rec[r["indikator"]] = math.nan if _suppressed(r) or is_missing(r.get("wert")) else float(r["wert"])
    frame = pd.DataFrame(list(out.values()), columns=["sozialraum_id", "sozialraum", *indicators])
    for c in indicators:
        frame[c] = frame[c].astype(float)
    return frame


@memoize(maxsize=64)
def scatter_sgb2_eckwert(points: pd.DataFrame, *, slope: float | None, intercept: float | None, year: int,
                         source: str | None = None, x: str = "sgb2_quote_u15", y: str = "hze_dichte",
                         size: str = "bev_u21", auffaellig: str = "auffaellig",
                         x_label: str = "SGB-II-Quote unter 15", x_unit: str = "%",
                         y_label: str = "Eckwert HzE (ohne EB)", y_unit: str = "je 1.000 unter 21",
                         title: str | None = None, r2: float | None = None, line_years: str | None = None,
                         threshold: float = 2.0, point_name: str = "Sozialraum") -> go.Figure:
    """One point per Sozialraum (x = SGB-II-Quote, y = Eckwert, area ∝ Einwohner unter 21, labelled with the
    name), the least-squares line y = intercept + slope · x (computed in data_models/indicators/regression.py,
    given here) as the stated reference "erwarteter Wert" with its equation and R² in the legend and on the chart
    (annotation "gleichung"), and the "auffällige" Sozialräume (boolean column `auffaellig`) as diamonds in the
    diverging colours of that reference: purple above the line, orange below (colour is never the only sign: the
    shape, the legend and the hover text say it too). Rows without x or y are left out (footnote)."""
    rows = [r for r in _records(points) if r.get("sozialraum_id") not in (GESAMT, OHNE)]
    shown = [r for r in rows if not is_missing(r.get(x)) and not is_missing(r.get(y))]
    left_out = len(rows) - len(shown)
    labels = _unique_labels(shown)
    sizes = [_num(r.get(size)) for r in shown]
    max_size = max((s for s in sizes if s), default=1.0)
    has_line = slope is not None and intercept is not None and bool(shown)

    def side(r) -> int:
        """0 = not auffällig, 1 = above the line, -1 = below."""
        if not bool(r.get(auffaellig) or False):
            return 0
        if has_line:
            return 1 if float(r[y]) > intercept + slope * float(r[x]) else -1
        return 1 if (_num(r.get("residuum")) or 0) > 0 else -1

    limit = fmt_de(threshold, 1)
    fig = Spec()
    groups = [(0, point_name, CATEGORICAL[0], "circle", ""),
              (1, f"auffällig über der Geraden (standardisierter Abstand über {limit})", ABOVE_COLOR, "diamond",
               "auffällig: über dem erwarteten Wert"),
              (-1, f"auffällig unter der Geraden (standardisierter Abstand unter −{limit})", BELOW_COLOR, "diamond",
               "auffällig: unter dem erwarteten Wert")]
    for flag, legend, color, symbol, note in groups:
        sel = [(r, s) for r, s in zip(shown, sizes) if side(r) == flag]
        if not sel and flag:
            continue
        hover = []
        for r, s in sel:
            lines = [f"<b>{esc(labels[r['sozialraum_id']])}</b>",
                     f"{esc(x_label)}: {fmt_value(r[x], 1, unit=x_unit)}",
                     f"{esc(y_label)}: {fmt_value(r[y], 1, unit=y_unit)}"]
            if has_line:
                lines.append(f"erwartet: {fmt_value(intercept + slope * float(r[x]), 1, unit=y_unit)}")
            lines.append(f"Einwohner unter 21: {fmt_value(s, 0)}")
            hover.append("<br>".join(lines + ([note] if note else [])))
        fig.add_trace(dict(
            type="scatter", x=[float(r[x]) for r, _ in sel], y=[float(r[y]) for r, _ in sel], mode="markers+text", name=legend,
            text=[esc(labels[r["sozialraum_id"]]) for r, _ in sel], textposition="top center",
            textfont=dict(size=11), hovertext=hover, hoverinfo="text",
            marker=dict(color=color, symbol=symbol, opacity=0.85, line=dict(color="#333333" if flag else "#FFFFFF",
                                                                             width=1),
                        size=[s if s else 0 for _, s in sel], sizemode="area",
                        sizeref=2.0 * max_size / (44.0 ** 2), sizemin=6),
        ))
    if has_line:
        xs = [float(r[x]) for r in shown]
        x0, x1 = min(xs), max(xs)
        sign = "+" if slope >= 0 else "−"
        eq = f"{esc(y_label)} = {fmt_de(intercept, 2)} {sign} {fmt_de(abs(slope), 2)} · {esc(x_label)}"
        short = f"Eckwert = {fmt_de(intercept, 2)} {sign} {fmt_de(abs(slope), 2)} × Quote"
        r2_text = "" if r2 is None else f", R² = {fmt_de(r2, 2)}"
        span = f" {esc(line_years)}" if line_years else ""
        fig.add_trace(dict(
            type="scatter", x=[x0, x1], y=[intercept + slope * x0, intercept + slope * x1], mode="lines",
            name=f"erwarteter Wert: Ausgleichsgerade{span} ({short}{r2_text})",
            line=dict(color=REFERENCE_COLOR, width=2, dash="dash"), hovertext=[eq, eq], hoverinfo="text",
        ))
        fig.add_annotation(name="gleichung", text=f"{short}{r2_text}", xref="paper", yref="paper", x=0.01, y=0.99,
                           xanchor="left", yanchor="top", showarrow=False, align="left",
                           bgcolor="rgba(255,255,255,0.85)", font=dict(size=13, color=REFERENCE_COLOR))
    fig.update_xaxes(title=dict(text=axis_title(x_label, x_unit)), rangemode="tozero")
    fig.update_yaxes(title=dict(text=axis_title(y_label, y_unit)), rangemode="tozero")
    # the legend above the plot (below it, it would collide with the source line and footnotes)
    fig.update_layout(legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left"),
                      margin=dict(t=90 + 28 * len(fig.data)))  # long legend texts: one row each
    notes = [SIZE_NOTE + "."]
    if left_out:
        notes.append(f"{left_out} Sozialr{'aum' if left_out == 1 else 'äume'} ohne Daten oder mit geheim zu "
                     f"haltenden Werten nicht dargestellt.")
    title = title or f"{y_label} {y_unit} und {x_label} ({x_unit}) nach Sozialraum, {int(year)}"
    return _finish(fig, title, source, notes, height=560)


# --- sparkline ----------------------------------------------------------------------------------------
def sparkline(years: Sequence[int], values: Sequence, *, unit: str | None = None, decimals: int | None = None,
              color: str = CATEGORICAL[0], height: int = 60) -> go.Figure:
    """A tiny line without axes (beside a number that states what it shows); German hover texts."""
    dec = decimals_for(unit) if decimals is None else decimals
    ys = [None if is_missing(v) else float(v) for v in values]
    fig = Spec([dict(
        type="scatter", x=[int(y) for y in years], y=ys, mode="lines+markers", line=dict(color=color, width=2),
        marker=dict(size=4), hovertext=[f"{int(y)}: {fmt_value(v, dec, unit=unit)}" for y, v in zip(years, ys)],
        hoverinfo="text", showlegend=False,
    )])
    fig.update_layout(template=_template_layout(), separators=",.", height=height, margin=dict(l=0, r=0, t=0, b=0))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig.figure()


# --- small multiples ----------------------------------------------------------------------------------
@memoize(maxsize=64)
def small_multiples(frame: pd.DataFrame, indicator_label: str, unit: str | None, *, source: str | None = None,
                    cols: int = 3, decimals: int | None = None, include_ohne: bool = False,
                    title: str | None = None, series_name: str = "Sozialraum") -> go.Figure:
    """One small trend panel per Sozialraum (same axes), each with `GESAMT` as a grey dashed reference."""
    _single_indicator(frame)
    dec = decimals_for(unit) if decimals is None else decimals
    rows = [r for r in _records(frame) if include_ohne or r.get("sozialraum_id") != OHNE]
    years = sorted({int(r["jahr"]) for r in rows if not is_missing(r.get("jahr"))})
    labels = _unique_labels(rows)
    keys = [k for k in labels if k != GESAMT]
    n = max(1, len(keys))
    cols = max(1, min(cols, n))
    nrows = math.ceil(n / cols)
    fig = subplots(nrows, cols, [esc(labels[k]) for k in keys], vertical_spacing=min(0.12, 0.5 / nrows),
                   horizontal_spacing=0.04)
    ges = sorted((r for r in rows if r.get("sozialraum_id") == GESAMT), key=lambda r: int(r["jahr"]))

    def line_of(pts, name):
        ys = [None if _suppressed(r) else _num(r.get("wert")) for r in pts]
        hover = [_hover(name, int(r["jahr"]), fmt_value(v, dec, suppressed=_suppressed(r), unit=unit), r)
                 for r, v in zip(pts, ys)]
        return [int(r["jahr"]) for r in pts], ys, hover

    gx, gy, gh = line_of(ges, GESAMT_NAME) if ges else ([], [], [])
    for i, key in enumerate(keys):
        rr, cc = i // cols + 1, i % cols + 1
        if ges:
            fig.add_trace(dict(type="scatter", x=gx, y=gy, mode="lines", name=GESAMT_NAME, legendgroup="gesamt",
                                     showlegend=i == 0, line=dict(color="#777777", width=1.5, dash="dash"),
                                     hovertext=gh, hoverinfo="text"), row=rr, col=cc)
        pts = sorted((r for r in rows if r.get("sozialraum_id") == key), key=lambda r: int(r["jahr"]))
        sx, sy, sh = line_of(pts, labels[key])
        fig.add_trace(dict(type="scatter", x=sx, y=sy, mode="lines+markers", name=series_name, legendgroup="sozialraum",
                                 showlegend=i == 0, line=dict(color=CATEGORICAL[0], width=2), marker=dict(size=5),
                                 hovertext=sh, hoverinfo="text"), row=rr, col=cc)
    for ann in fig.layout.get("annotations", []):  # subplot titles
        ann["font"] = dict(size=12)
    ys = sorted(set(years))
    fig.update_xaxes(tickmode="array", tickvals=ys, ticktext=[str(y) for y in ys], showticklabels=True)
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(title=dict(text="Jahr"), row=nrows, col=1)
    # the panels are small: the y axis names only the unit, the title names the indicator
    fig.update_yaxes(title=dict(text=unit or indicator_label), row=math.ceil(nrows / 2), col=1)
    title = title or chart_title(indicator_label, unit, years, by="nach Sozialraum")
    return _finish(fig, title, source, _notes(rows), height=140 + 190 * nrows)


# --- Streamlit ----------------------------------------------------------------------------------------
def render_chart(fig: go.Figure, *, filename: str = "diagramm", key: str | None = None,
                 table: pd.DataFrame | None = None, table_caption: str | None = None,
                 indicator: str | Sequence[str] | None = None, breakdown: str | None = None,
                 explain: bool = True) -> None:
    """Show a figure with our template (Streamlit's theme off), the PNG download in the modebar, the help
    popover ("Erläuterung") of the indicators shown – `indicator` (one id or several), else those of the table's
    `indikator` column – and/or of a `breakdown`, and, for screen readers and exact values, the data as a table
    in an expander."""
    import streamlit as st

    from components.indicator_help import help_popover, indicators_in

    st.plotly_chart(fig, theme=None, config=plotly_config(filename), key=key,
                    alt=_alt_text(fig))
    if explain:
        help_popover(indicator if indicator is not None else indicators_in(table), breakdown=breakdown,
                     key=f"{key}_hilfe" if key else None)
    if table is not None:
        from components.tables import render_table

        if key is None:
            with st.expander("Daten als Tabelle"):
                render_table(table, caption=table_caption)
        else:
            # lazy: the table is formatted and sent only when the expander is open (it costs more than the chart)
            exp = st.expander("Daten als Tabelle", key=f"{key}_tabelle", on_change="rerun")
            if exp.open:
                with exp:
                    render_table(table, caption=table_caption)


def _alt_text(fig: go.Figure) -> str:
    """The title as plain text (for the chart's alt text)."""
    import html as _html
    import re

    text = fig.layout.title.text or "Diagramm"
    return _html.unescape(re.sub(r"<[^>]+>", " ", text))
