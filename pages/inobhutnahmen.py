"""Inobhutnahmen (§ 42 / § 42a SGB VIII): key figures, trends with and without unaccompanied minors, Sozialraum
comparison and map, what followed, Anlass and Anregende."""
import streamlit as st

from components import dashboard, data_access, filters
from components.charts import ranking_bar, render_chart, stacked_bar, trend_chart
from components.downloads import download_buttons
from components.empty_state import render_empty_state
from components.kpi import Kpi, render_kpi_row
from components.map import build_choropleth, feature_collection_from_rows, legend_items, render_choropleth
from components.tables import render_table
from components.theme import COUNT_UNITS, chart_title
from data_models import waechteramt_views as vw
from data_models.schema import GESAMT_NAME

pg = dashboard.start("Inobhutnahmen",
                     "Strategiekarte Wächteramt: Inobhutnahmen nach § 42 und § 42a SGB VIII je Sozialraum und im "
                     "Verlauf der Jahre.")
is_admin = pg.ctx.role == "admin"
RECORDS = ["s42_records"]
if not vw.has_values(pg.ind, vw.COMPARE_42):
    render_empty_state(["s42", "s42_records"], what="die Auswertung der Inobhutnahmen", is_admin=is_admin)
    st.markdown(vw.ERKLAERUNG_42)
    st.stop()

years = vw.years_with_data(pg.ind, vw.COMPARE_42) or pg.years
c1, _ = st.columns([1, 3])
with c1:
    year = filters.year(years)

# --- key figures ----------------------------------------------------------------------------------------
st.subheader(f"Kennzahlen {year} für die ganze Kommune")
kpis = [Kpi(label=vw.KPI_LABELS[f.indicator], value=f.value, unit=vw.kpi_unit(f.indicator), year=year,
            change=f.change, change_kind=f.change_kind, history=f.history, indicator=f.indicator,
            suppressed=f.suppressed, decimals=0 if dashboard.unit(f.indicator) in COUNT_UNITS else 1)
        for f in vw.kpi_facts(pg.ind, vw.KPI_42, year)]
render_kpi_row(kpis, columns=3, key="kpi42")
st.caption("Veränderung zum Vorjahr: bei Anteilen in Prozentpunkten, sonst in %. Die Linie zeigt die Jahre bis "
           f"{year}. " + dashboard.md(pg.source))
page_ind = pg.ind[pg.ind["indikator"].isin(vw.COMPARE_42)]
download_buttons(page_ind, "inobhutnahmen_kennzahlen", key="dl_kpi42", source=pg.source,
                 label="Kennzahlen aller Sozialräume und Jahre")
with st.container(border=True):
    st.markdown(vw.ERKLAERUNG_42)

# --- trends ---------------------------------------------------------------------------------------------
st.subheader("Entwicklung mit und ohne unbegleitete Einreise")
rates = vw.series_frame(pg.ind, list(vw.RATES_42), names=vw.RATES_42)
fig = trend_chart(rates, "Inobhutnahmen", "je 10.000 unter 18", series="reihe", name_col="name",
                  source=pg.source,
                  title=chart_title("Inobhutnahmen mit und ohne unbegleitete Einreise", "je 10.000 unter 18",
                                    sorted(set(rates["jahr"].dropna())), GESAMT_NAME))
render_chart(fig, filename="inobhutnahmen_je_10000", key="rates42", table=vw.series_table(rates),
             indicator=list(vw.RATES_42))
shares = vw.series_frame(pg.ind, vw.SHARES_42)
fig = trend_chart(shares, "Anteil an allen Inobhutnahmen", "%", series="reihe", name_col="name",
                  source=pg.source,
                  title=chart_title("Kurze Inobhutnahmen und Rückkehr nach Hause", "Anteil in %",
                                    sorted(set(shares["jahr"].dropna())), GESAMT_NAME))
render_chart(fig, filename="inobhutnahmen_anteile", key="shares42", table=vw.series_table(shares),
             indicator=list(vw.SHARES_42))
st.caption("Der Abstand zwischen den beiden Linien links sind die vorläufigen Inobhutnahmen nach unbegleiteter "
           "Einreise (§ 42a). Kurz = innerhalb von 2 Wochen beendet; Anteile bezogen auf alle Inobhutnahmen.")


# --- Sozialraum comparison and map ----------------------------------------------------------------------
@st.fragment
def compare_section():
    st.subheader(f"Sozialräume im Vergleich, {year}")
    available = pg.available()
    options = {k: dashboard.label(k) for k in vw.COMPARE_42 if k in available}
    if not options:
        st.info("Für den Vergleich der Sozialräume fehlen Werte. Laden Sie das Blatt „§ 42“ und die Bevölkerung "
                "hoch.")
        return
    c1, c2 = st.columns(2, vertical_alignment="bottom")
    with c1:
        indicator = filters.indicator(options, "inobhutnahmen_ohne_uma_dichte",
                                      label="Kennzahl für Karte und Vergleich", key="f_ind42")
    unit = dashboard.unit(indicator)
    lab = dashboard.short_label(indicator)
    frame = pg.one(indicator, year)
    geo = pg.ds["geometrie"]
    selected = None
    if len(geo):
        title = chart_title(lab, unit, [year], by="nach Sozialraum")
        fc = vw.name_features(feature_collection_from_rows(geo), pg.names())
        selected = render_choropleth(build_choropleth(frame, fc, lab, unit), legend_items(frame, unit),
                                     key=f"karte42_{indicator}_{year}", title=title, source=pg.source,
                                     indicator=indicator,
                                     alt=f"Karte: {title}. Die Werte stehen in der Tabelle unten.")
        st.caption("Ein Klick auf einen Sozialraum hebt ihn in der Rangfolge hervor.")
    else:
        st.info("Für die Karte fehlen die Sozialraumgrenzen. Laden Sie sie als GeoJSON oder gezipptes Shapefile auf "
                "der Seite „Daten hochladen“ hoch; der Vergleich funktioniert auch ohne Karte.")
    fig = ranking_bar(frame, lab, unit, year, source=pg.source, highlight=selected)
    render_chart(fig, filename=f"rangfolge_{indicator}_{year}", key="rank42", indicator=indicator)
    table = vw.compare_table(pg.ind, indicator, year)
    render_table(table, key="tabelle42")
    download_buttons(table, f"vergleich_{indicator}_{year}", key="dl_vergleich42", source=pg.source)


compare_section()

# --- what followed --------------------------------------------------------------------------------------
st.subheader("Was folgte auf die Inobhutnahme?")
anschluss = data_access.breakdown(pg.ctx, "42_anschluss")
if vw.has_counts(anschluss):
    rows = vw.unit_rows(anschluss)
    ys = sorted({int(y) for y in rows["jahr"]})
    fig = stacked_bar(rows, vw.SHARE_OF["42_anschluss"], "%", source=pg.source,
                      title=chart_title("Inobhutnahmen nach anschließendem Aufenthalt", "Anteil in %", ys,
                                        GESAMT_NAME))
    render_chart(fig, filename="42_anschluss", key="anschluss", table=vw.breakdown_table(rows),
                 breakdown="42_anschluss")
    st.caption("Anteile an den beendeten Inobhutnahmen mit einer Angabe zum Anschluss. Rückkehr = zurück zu den "
               "Sorgeberechtigten; Pflegefamilie und Heim sind Hilfen außerhalb der Familie.")
    download_buttons(vw.breakdown_table(anschluss), "42_anschluss", key="dl_anschluss", source=pg.source,
                     label="Alle Sozialräume und Jahre")
else:
    st.markdown("Ohne Einzeldaten zeigt die Seite nur die Rückkehr zu den Sorgeberechtigten (Kennzahl oben).")
    render_empty_state(RECORDS, what="die Aufschlüsselung nach dem Anschluss (Rückkehr, Pflegefamilie, Heim …)",
                       is_admin=is_admin)


# --- breakdowns of the chosen year ----------------------------------------------------------------------
def category_section(name: str, heading: str, chart: str, what: str, *, multiple: bool = False, denominator=None):
    st.subheader(heading)
    bd = data_access.breakdown(pg.ctx, name)
    if not vw.has_counts(bd, year):
        render_empty_state(RECORDS, what=what, year=year, is_admin=is_admin)
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


category_section("42_anlass", "Anlass der Inobhutnahme", "Inobhutnahmen nach Anlass, Mehrfachnennungen",
                 "die Aufschlüsselung nach Anlass",
                 multiple=True, denominator=pg.value("inobhutnahmen", year))
category_section("42_anregende", "Wer hat die Inobhutnahme angeregt?",
                 "Inobhutnahmen nach anregender Person oder Stelle",
                 "die Aufschlüsselung nach anregender Person oder Stelle")
