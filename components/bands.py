"""A value against the distribution band of its comparison group (data_models/peer_groups.py): the middle half
(lower to upper quartile) as a light bar, the median as a black line, for coordinators also minimum and maximum as
a thin line, and the office's own value as a marker. Never another office's name or value: the figure is built
from the `Band` (quartiles, median, count) and the one value it is given.

`band_figure` and `band_text` are pure; `render_band` draws with Streamlit.
"""
from __future__ import annotations

import plotly.graph_objects as go

from components.charts import _finish
from components.theme import (
    CATEGORICAL,
    REFERENCE_COLOR,
    axis_title,
    decimals_for,
    esc,
    fmt_value,
)
from data_models.peer_groups import MIN_MEMBERS_TENANT, Band, position_text

BAND_COLOR = "#C6DBEF"  # light, neutral: the group's middle half
RANGE_COLOR = "#969696"  # minimum to maximum (coordinators only)
OWN_COLOR = CATEGORICAL[0]
NO_BAND_TEXT = (f"Kein Vergleichsband: in der Vergleichsgruppe haben weniger als {MIN_MEMBERS_TENANT} Jugendämter "
                "einen Wert (Schutz einzelner Jugendämter).")


def band_text(band: Band, value: float | None, unit: str | None, *, own_label: str = "Ihr Jugendamt",
              decimals: int | None = None) -> str:
    """One German sentence: median, middle half, group size, (minimum and maximum), and where the value lies."""
    dec = decimals_for(unit) if decimals is None else decimals
    parts = [f"Median {fmt_value(band.median, dec, unit=unit)}",
             f"mittlere Hälfte {fmt_value(band.q1, dec)} bis {fmt_value(band.q3, dec, unit=unit)}",
             f"{band.n} Jugendämter mit Wert"]
    if band.minimum is not None and band.maximum is not None:
        parts.append(f"Spanne {fmt_value(band.minimum, dec)} bis {fmt_value(band.maximum, dec, unit=unit)}")
    text = "Vergleichsgruppe: " + " · ".join(parts) + "."
    if value is not None:
        text += f" {own_label}: {fmt_value(value, dec, unit=unit)}, {position_text(value, band)}."
    return text


def _figure(data: list[dict], layout: dict) -> go.Figure:
    """A figure from plain dicts without plotly's property validation (which costs about 10 ms per band figure,
    a tenth of the Übersicht's rerun budget); tests/components/test_bands.py validates the dicts."""
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def _legend_layout(label: str, unit: str | None, x_range: list[float] | None = None) -> dict:
    xaxis = {"title": {"text": axis_title(label, unit)}}
    if x_range is not None:
        xaxis["range"] = x_range
    return {"xaxis": xaxis, "barmode": "overlay", "showlegend": True, "margin": {"t": 110},
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"}}


def _range_trace(xs: list, ys: list, hover: list[str]) -> dict:
    return {"type": "scatter", "x": xs, "y": ys, "mode": "lines+markers", "name": "Spanne (Minimum bis Maximum)",
            "meta": "spanne", "line": {"color": RANGE_COLOR, "width": 2},
            "marker": {"symbol": "line-ns-open", "size": 14, "color": RANGE_COLOR}, "hoverinfo": "text",
            "hovertext": hover}


def _middle_trace(q1: list, q3: list, ys: list, hover: list[str]) -> dict:
    return {"type": "bar", "x": [b - a for a, b in zip(q1, q3)], "base": list(q1), "y": ys, "orientation": "h",
            "name": "mittlere Hälfte (unteres bis oberes Quartil)", "meta": "mitte", "width": 0.5,
            "marker": {"color": BAND_COLOR, "line": {"color": "#6BAED6", "width": 1}}, "hoverinfo": "text",
            "hovertext": hover}


def _median_trace(medians: list, ys: list, hover: list[str], size: int = 34) -> dict:
    return {"type": "scatter", "x": list(medians), "y": ys, "mode": "markers", "name": "Median", "meta": "median",
            "marker": {"symbol": "line-ns-open", "size": size, "color": REFERENCE_COLOR, "line": {"width": 3}},
            "hoverinfo": "text", "hovertext": hover}


def band_figure(band: Band, value: float | None, label: str, unit: str | None, *, year: int, group_label: str,
                own_label: str = "Ihr Jugendamt", source: str | None = None,
                decimals: int | None = None) -> go.Figure:
    """One horizontal band with the value on it. Traces (named): "spanne" (coordinators: minimum–maximum),
    "mitte" (Q1–Q3), "median", "wert" (the own value, if given)."""
    dec = decimals_for(unit) if decimals is None else decimals
    y = [esc(group_label)]
    data = []
    if band.minimum is not None and band.maximum is not None:
        data.append(_range_trace([band.minimum, band.maximum], y * 2,
                                 [f"Minimum: {fmt_value(band.minimum, dec, unit=unit)}",
                                  f"Maximum: {fmt_value(band.maximum, dec, unit=unit)}"]))
    data.append(_middle_trace([band.q1], [band.q3], y, [f"mittlere Hälfte: {fmt_value(band.q1, dec)} bis "
                                                        f"{fmt_value(band.q3, dec, unit=unit)}"]))
    data.append(_median_trace([band.median], y, [f"Median: {fmt_value(band.median, dec, unit=unit)}"]))
    if value is not None:
        data.append({"type": "scatter", "x": [value], "y": y, "mode": "markers+text", "name": esc(own_label),
                     "meta": "wert", "text": [fmt_value(value, dec)], "textposition": "top center",
                     "marker": {"symbol": "diamond", "size": 16, "color": OWN_COLOR,
                                "line": {"color": "#FFFFFF", "width": 1.5}},
                     "hoverinfo": "text", "hovertext": [f"{esc(own_label)}: {fmt_value(value, dec, unit=unit)}"]})
    xs = [v for v in (band.q1, band.q3, band.minimum, band.maximum, value) if v is not None]
    pad = (max(xs) - min(xs)) * 0.12 or abs(max(xs)) * 0.1 or 1.0  # room around the marks
    layout = _legend_layout(label, unit, [min(xs) - pad, max(xs) + pad])
    layout["yaxis"] = {"showticklabels": True, "type": "category"}
    title = f"{esc(label)} {int(year)}: {esc(own_label) + ' und ' if value is not None else ''}Vergleichsgruppe"
    return _finish(_figure(data, layout), title, source,
                   [f"{band.n} Jugendämter mit Wert; Quartile wie Excel QUARTILE.INKL."], height=300)


def render_band(band: Band | None, value: float | None, label: str, unit: str | None, *, year: int,
                group_label: str, key: str, indicator: str | None = None, own_label: str = "Ihr Jugendamt",
                source: str | None = None) -> None:
    """Draw the band with its sentence, or say why there is none; the help popover of `indicator` beside it."""
    import streamlit as st

    from components.charts import render_chart
    from components.theme import md_escape

    if band is None:
        st.caption(NO_BAND_TEXT)
        return
    fig = band_figure(band, value, label, unit, year=year, group_label=group_label, own_label=own_label,
                      source=source)
    render_chart(fig, filename=f"vergleichsband_{indicator or 'kennzahl'}_{year}", key=key, indicator=indicator)
    st.caption(md_escape(band_text(band, value, unit, own_label=own_label)))


def _wrap_label(label: str) -> str:
    """A group label on two lines at its first comma ("Landkreise,<br>SGB-II-Quote mittel (…)"), escaped."""
    head, sep, tail = label.partition(", ")
    return esc(head) + ("," + "<br>" + esc(tail) if sep else "")


def groups_figure(table, label: str, unit: str | None, *, year: int, source: str | None = None,
                  decimals: int | None = None) -> go.Figure:
    """The coordinators' view: the bands of several groups on one shared axis (one row per group, in the order
    of `table`, first on top). `table`: rows of `peer_groups.group_table(..., audience="coordinator")`; groups
    without a band (NaN quartiles) are left out. Traces (named): "spanne" (minimum–maximum), "mitte" (Q1–Q3),
    "median"."""
    dec = decimals_for(unit) if decimals is None else decimals
    rows = table[table["q1"].notna()]
    ys = [_wrap_label(str(v)) for v in rows["label"]]
    q1, med, q3 = (rows[c].astype(float).tolist() for c in ("q1", "median", "q3"))
    xs, yy, hover = [], [], []
    for y, lo, hi in zip(ys, rows["minimum"].astype(float), rows["maximum"].astype(float)):
        if lo == lo and hi == hi:  # not NaN
            xs += [lo, hi, None]
            yy += [y, y, None]
            hover += [f"Minimum: {fmt_value(lo, dec, unit=unit)}", f"Maximum: {fmt_value(hi, dec, unit=unit)}", ""]
    data = [_range_trace(xs, yy, hover)] if xs else []
    data.append(_middle_trace(q1, q3, ys, [f"mittlere Hälfte: {fmt_value(a, dec)} bis {fmt_value(b, dec, unit=unit)}"
                                           f" ({int(n)} Jugendämter mit Wert)"
                                           for a, b, n in zip(q1, q3, rows["werte"])]))
    data.append(_median_trace(med, ys, [f"Median: {fmt_value(m, dec, unit=unit)}" for m in med], size=30))
    layout = _legend_layout(label, unit)
    layout["yaxis"] = {"showticklabels": True, "type": "category", "autorange": "reversed",
                       "title": {"text": "Vergleichsgruppe"}}
    notes = ["Quartile wie Excel QUARTILE.INKL; gezeigt sind Gruppen mit mindestens 3 Werten."]
    return _finish(_figure(data, layout), f"{esc(label)} {int(year)} in den Vergleichsgruppen", source, notes,
                   height=200 + 62 * max(len(rows), 1))
