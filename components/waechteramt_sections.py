"""The sections the two Wächteramt pages (Gefährdungseinschätzungen, Inobhutnahmen) share: key figures of the
chosen year, the Sozialraum comparison with map and ranking, and the category breakdowns of one year."""
from __future__ import annotations

from typing import Sequence

import streamlit as st

from components import dashboard, data_access, filters
from components.charts import ranking_bar, render_chart
from components.downloads import download_buttons
from components.empty_state import render_empty_state
from components.kpi import Kpi, render_kpi_row
from components.map import build_choropleth, feature_collection_from_rows, legend_items, render_choropleth
from components.tables import render_table
from components.theme import COUNT_UNITS, chart_title
from data_models import waechteramt_views as vw
from data_models.schema import GESAMT_NAME


def kpi_section(pg: dashboard.Page, year: int, indicators: Sequence[str], compare: Sequence[str], *, key: str,
                filename: str, explanation: str) -> None:
    """KPI tiles of the whole municipality for `year`, the download of all the page's indicators, the explanation."""
    st.subheader(f"Kennzahlen {year} für die ganze Kommune")
    kpis = [Kpi(label=vw.KPI_LABELS[f.indicator], value=f.value, unit=dashboard.unit(f.indicator), year=year,
                change=f.change, change_kind=f.change_kind, history=f.history, indicator=f.indicator,
                suppressed=f.suppressed, decimals=0 if dashboard.unit(f.indicator) in COUNT_UNITS else 1)
            for f in vw.kpi_facts(pg.ind, indicators, year)]
    render_kpi_row(kpis, columns=3, key=f"kpi{key}")
    st.caption("Veränderung zum Vorjahr: bei Anteilen in Prozentpunkten, sonst in %. Die Linie zeigt die Jahre bis "
               f"{year}. " + dashboard.md(pg.source))
    page_ind = pg.ind[pg.ind["indikator"].isin(compare)]
    download_buttons(page_ind, filename, key=f"dl_kpi{key}", source=pg.source,
                     label="Kennzahlen aller Sozialräume und Jahre")
    with st.container(border=True):
        st.markdown(explanation)


@st.fragment
def compare_section(pg: dashboard.Page, year: int, compare: Sequence[str], default: str, *, key: str,
                    missing: str) -> None:
    """Map, ranking and table of one indicator (chosen here) across the Sozialräume; a fragment, so choosing
    another indicator reruns only this section. `missing` names the sheet to upload when nothing can be compared."""
    st.subheader(f"Sozialräume im Vergleich, {year}")
    available = pg.available()
    options = {k: dashboard.label(k) for k in compare if k in available}
    if not options:
        st.info(f"Für den Vergleich der Sozialräume fehlen Werte. Laden Sie das Blatt „{missing}“ und die "
                "Bevölkerung hoch.")
        return
    c1, _ = st.columns(2, vertical_alignment="bottom")
    with c1:
        indicator = filters.indicator(options, default, label="Kennzahl für Karte und Vergleich", key=f"f_ind{key}")
    unit = dashboard.unit(indicator)
    lab = dashboard.short_label(indicator)
    frame = pg.one(indicator, year)
    geo = pg.ds["geometrie"]
    selected = None
    if len(geo):
        title = chart_title(lab, unit, [year], by="nach Sozialraum")
        fc = vw.name_features(feature_collection_from_rows(geo), pg.names())
        selected = render_choropleth(build_choropleth(frame, fc, lab, unit), legend_items(frame, unit),
                                     key=f"karte{key}_{indicator}_{year}", title=title, source=pg.source,
                                     indicator=indicator,
                                     alt=f"Karte: {title}. Die Werte stehen in der Tabelle unten.")
        st.caption("Ein Klick auf einen Sozialraum hebt ihn in der Rangfolge hervor.")
    else:
        st.info("Für die Karte fehlen die Sozialraumgrenzen. Laden Sie sie als GeoJSON oder gezipptes Shapefile auf "
                "der Seite „Daten hochladen“ hoch; der Vergleich funktioniert auch ohne Karte.")
    fig = ranking_bar(frame, lab, unit, year, source=pg.source, highlight=selected)
    render_chart(fig, filename=f"rangfolge_{indicator}_{year}", key=f"rank{key}", indicator=indicator)
    table = vw.compare_table(pg.ind, indicator, year)
    render_table(table, key=f"tabelle{key}")
    download_buttons(table, f"vergleich_{indicator}_{year}", key=f"dl_vergleich{key}", source=pg.source)


def category_section(pg: dashboard.Page, year: int, name: str, heading: str, chart: str, what: str,
                     missing: list[str], *, multiple: bool = False, denominator: float | None = None) -> None:
    """The shares of one breakdown (Art der Gefährdung, Melder, Anlass …) in `year` for the whole municipality, as a
    ranking; with multiple answers per case (`multiple`) the shares refer to `denominator` and a note says so."""
    st.subheader(heading)
    bd = data_access.breakdown(pg.ctx, name)
    if not vw.has_counts(bd, year):
        render_empty_state(missing, what=what, year=year, is_admin=pg.ctx.role == "admin")
        return
    frame = vw.category_frame(bd, year, denominator=denominator, multiple=multiple)
    title = chart_title(chart, "Anteil in %", [year], GESAMT_NAME)
    # no y title: the title names the categories; long labels need the room
    fig = ranking_bar(frame, vw.SHARE_OF[name], "%", year, source=pg.source, title=title, y_title="")
    table = vw.breakdown_table(vw.unit_rows(bd, year=year))
    if multiple:
        c1, c2 = st.columns([3, 1])
        with c1:
            render_chart(fig, filename=f"{name}_{year}", key=f"chart_{name}", table=table, breakdown=name)
        with c2:
            st.info(vw.MEHRFACH_HINWEIS[name], icon=":material/info:")
    else:
        render_chart(fig, filename=f"{name}_{year}", key=f"chart_{name}", table=table, breakdown=name)
    download_buttons(vw.breakdown_table(bd), name, key=f"dl_{name}", source=pg.source,
                     label="Alle Sozialräume und Jahre")
