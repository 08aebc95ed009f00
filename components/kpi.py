"""KPI tiles: a value with unit, the change to the previous year (computed elsewhere: % for counts, rates and
money, Prozentpunkte for indicators in %), a sparkline of the earlier years, and an explanation (a tooltip and,
for a tile with `indicator`, the "Erläuterung" popover of indicators/help.py).

`kpi_view(kpi)` is pure (the texts a tile shows); `render_kpi_row(kpis)` draws them with `st.metric`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from components.theme import (
    SUPPRESSED_FOOTNOTE,
    decimals_for,
    fmt_change,
    fmt_value,
    is_missing,
    md_escape,
)
from data_models.indicators.catalogue import short_label


@dataclass(frozen=True)
class Kpi:
    label: str  # what is counted ("Eckwert HzE (ohne EB)")
    value: float | None
    unit: str | None  # "je 1.000 unter 21", "%", "Fälle", "EUR" ...
    year: int | None = None
    change: float | None = None  # change to the previous year, already computed (indicators.md)
    change_kind: str | None = None  # "%" or "pp"; None: "pp" when unit is "%", else "%"
    history: Sequence[float | None] = ()  # values of the years up to `year`, oldest first
    help: str | None = None  # short explanation: formula and unit (our text, may use markdown)
    details: str | None = None  # longer explanation for the popover (our markdown)
    indicator: str | None = None  # catalogue id: short tooltip and "Erläuterung" popover (indicators/help.py)
    where: str | None = None  # a Sozialraum name (user text, escaped when shown)
    suppressed: bool = False
    decimals: int | None = None


@dataclass(frozen=True)
class KpiView:
    label: str  # markdown-safe
    value: str
    delta: str | None
    delta_description: str | None
    chart_data: list[float] = field(default_factory=list)
    help: str | None = None
    zero_change: bool = False


def kpi_view(k: Kpi) -> KpiView:
    """The texts of a tile in German: value with unit ("." when suppressed, "keine Daten" when null; a rate's
    unit "je …" stands in the label: "Eckwert HzE (ohne EB) 2023, je 1.000 unter 21" / "31,4"), change as
    "+5,2 %" or "-3,0 Prozentpunkte", description "gegenüber 2022"."""
    dec = decimals_for(k.unit) if k.decimals is None else k.decimals
    kind = k.change_kind or ("pp" if k.unit == "%" else "%")
    # a rate's unit ("je 1.000 unter 21") goes into the label, the value stays a short number that fits a tile
    rate = bool(k.unit) and k.unit.startswith("je ")
    label = md_escape(short_label(k.label, k.unit) if rate else k.label)
    if k.where:
        label = f"{label} – {md_escape(k.where)}"
    if k.year is not None:
        label = f"{label} {int(k.year)}"
    if rate:
        label = f"{label}, {md_escape(k.unit)}"
    value = fmt_value(k.value, dec, suppressed=k.suppressed, unit=None if rate else k.unit)
    delta = None if k.suppressed or is_missing(k.change) else fmt_change(k.change, kind)
    help_text = k.help
    if k.indicator:  # the popover holds the full explanation: the tooltip stays short
        from data_models.indicators.help import short_help

        help_text = short_help(k.indicator)
    if k.suppressed:
        help_text = f"{help_text}\n\n{SUPPRESSED_FOOTNOTE}" if help_text else SUPPRESSED_FOOTNOTE
    history = [] if k.suppressed else [float(v) for v in k.history if not is_missing(v)]
    return KpiView(
        label=label,
        value=value,
        delta=delta,
        delta_description=(f"gegenüber {int(k.year) - 1}" if delta and k.year is not None else
                           ("gegenüber dem Vorjahr" if delta else None)),
        chart_data=history if len(history) >= 2 else [],
        help=help_text,
        zero_change=bool(delta and delta.startswith("±")),
    )


def render_kpi(k: Kpi, key: str | None = None) -> None:
    import streamlit as st

    v = kpi_view(k)
    st.metric(
        label=v.label,
        value=v.value,
        delta=v.delta,
        delta_color="off",  # a rise is neither good nor bad per se in youth welfare figures
        delta_arrow="off" if v.zero_change else "auto",
        delta_description=v.delta_description,
        help=v.help,
        border=True,
        chart_data=v.chart_data or None,
        chart_type="line",
    )
    if k.details:
        with st.popover("Erläuterung", icon=":material/help:", key=key):
            st.markdown(k.details)
    elif k.indicator:
        from components.indicator_help import help_popover

        help_popover(k.indicator, key=key)


def render_kpi_row(kpis: Sequence[Kpi], columns: int | None = None, key: str = "kpi") -> None:
    """Tiles side by side (at most `columns` per row, default: all in one row up to 4). `key` must be unique on
    the page when several rows are shown."""
    import streamlit as st

    per_row = columns or min(max(len(kpis), 1), 4)
    for start in range(0, len(kpis), per_row):
        cols = st.columns(per_row)
        for i, (col, k) in enumerate(zip(cols, kpis[start:start + per_row]), start=start):
            with col:
                render_kpi(k, key=f"{key}_{i}")
