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


def band_figure(band: Band, value: float | None, label: str, unit: str | None, *, year: int, group_label: str,
                own_label: str = "Ihr Jugendamt", source: str | None = None,
                decimals: int | None = None) -> go.Figure:
    """One horizontal band with the value on it. Traces (named): "spanne" (coordinators: minimum–maximum),
    "mitte" (Q1–Q3), "median", "wert" (the own value, if given)."""
    dec = decimals_for(unit) if decimals is None else decimals
    y = [esc(group_label)]
    fig = go.Figure()
    if band.minimum is not None and band.maximum is not None:
        fig.add_trace(go.Scatter(
            x=[band.minimum, band.maximum], y=y * 2, mode="lines+markers", name="Spanne (Minimum bis Maximum)",
            line=dict(color=RANGE_COLOR, width=2), marker=dict(symbol="line-ns-open", size=14, color=RANGE_COLOR),
            hoverinfo="text", meta="spanne",
            hovertext=[f"Minimum: {fmt_value(band.minimum, dec, unit=unit)}",
                       f"Maximum: {fmt_value(band.maximum, dec, unit=unit)}"]))
    fig.add_trace(go.Bar(
        x=[band.q3 - band.q1], base=[band.q1], y=y, orientation="h", name="mittlere Hälfte (unteres bis oberes "
        "Quartil)", marker=dict(color=BAND_COLOR, line=dict(color="#6BAED6", width=1)), width=0.5, meta="mitte",
        hoverinfo="text", hovertext=[f"mittlere Hälfte: {fmt_value(band.q1, dec)} bis "
                                     f"{fmt_value(band.q3, dec, unit=unit)}"]))
    fig.add_trace(go.Scatter(
        x=[band.median], y=y, mode="markers", name="Median", meta="median",
        marker=dict(symbol="line-ns-open", size=34, color=REFERENCE_COLOR, line=dict(width=3)),
        hoverinfo="text", hovertext=[f"Median: {fmt_value(band.median, dec, unit=unit)}"]))
    if value is not None:
        fig.add_trace(go.Scatter(
            x=[value], y=y, mode="markers+text", name=esc(own_label), meta="wert",
            text=[fmt_value(value, dec)], textposition="top center",
            marker=dict(symbol="diamond", size=16, color=OWN_COLOR, line=dict(color="#FFFFFF", width=1.5)),
            hoverinfo="text", hovertext=[f"{esc(own_label)}: {fmt_value(value, dec, unit=unit)}"]))
    xs = [v for v in (band.q1, band.q3, band.minimum, band.maximum, value) if v is not None]
    pad = (max(xs) - min(xs)) * 0.12 or abs(max(xs)) * 0.1 or 1.0  # room around the marks
    fig.update_xaxes(title=dict(text=axis_title(label, unit)), range=[min(xs) - pad, max(xs) + pad])
    fig.update_yaxes(showticklabels=True, type="category")
    fig.update_layout(barmode="overlay", showlegend=True, margin=dict(t=110),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0, xanchor="left"))
    title = f"{esc(label)} {int(year)}: {esc(own_label) + ' und ' if value is not None else ''}Vergleichsgruppe"
    return _finish(fig, title, source, [f"{band.n} Jugendämter mit Wert; Quartile wie Excel QUARTILE.INKL."],
                   height=300)


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
