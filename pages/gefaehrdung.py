"""Gefährdungseinschätzungen (§ 8a SGB VIII): key figures, results over the years, Sozialraum comparison and map,
Art der Gefährdung, Melder, and HzE started after an assessment."""
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

pg = dashboard.start("Gefährdungseinschätzungen",
                     "Strategiekarte Wächteramt: Gefährdungseinschätzungen nach § 8a SGB VIII je Sozialraum und im "
                     "Verlauf der Jahre.")
is_admin = pg.ctx.role == "admin"
ergebnis = data_access.breakdown(pg.ctx, "8a_ergebnis")
if not vw.has_values(pg.ind, vw.COMPARE_8A) and not vw.has_counts(ergebnis):
    render_empty_state(["s8a", "s8a_records"], what="die Auswertung der Gefährdungseinschätzungen", is_admin=is_admin)
    st.markdown(vw.ERKLAERUNG_8A)
    st.stop()

years = vw.years_with_data(pg.ind, vw.COMPARE_8A) or pg.years
c1, _ = st.columns([1, 3])
with c1:
    year = filters.year(years)

# --- key figures ----------------------------------------------------------------------------------------
st.subheader(f"Kennzahlen {year} für die ganze Kommune")
kpis = [Kpi(label=vw.KPI_LABELS[f.indicator], value=f.value, unit=vw.kpi_unit(f.indicator), year=year,
            change=f.change, change_kind=f.change_kind, history=f.history, indicator=f.indicator,
            suppressed=f.suppressed, decimals=0 if dashboard.unit(f.indicator) in COUNT_UNITS else 1)
        for f in vw.kpi_facts(pg.ind, vw.KPI_8A, year)]
render_kpi_row(kpis, columns=3, key="kpi8a")
st.caption("Veränderung zum Vorjahr: bei Anteilen in Prozentpunkten, sonst in %. Die Linie zeigt die Jahre bis "
           f"{year}. " + dashboard.md(pg.source))
page_ind = pg.ind[pg.ind["indikator"].isin(vw.COMPARE_8A)]
download_buttons(page_ind, "gefaehrdungseinschaetzungen_kennzahlen", key="dl_kpi8a", source=pg.source,
                 label="Kennzahlen aller Sozialräume und Jahre")
with st.container(border=True):
    st.markdown(vw.ERKLAERUNG_8A)

# --- results over the years -----------------------------------------------------------------------------
st.subheader("Ergebnisse der Gefährdungseinschätzungen im Verlauf")
if vw.has_counts(ergebnis):
    mode = st.radio("Darstellung", ["Anzahl", "Anteil in %"], horizontal=True, key="mode8a")
    rows = vw.unit_rows(ergebnis)
    ys = sorted({int(y) for y in rows["jahr"]})
    if mode == "Anzahl":
        fig = stacked_bar(rows, "Verfahren", None, value="anzahl", decimals=0, source=pg.source,
                          title=chart_title("Gefährdungseinschätzungen nach Ergebnis", "Verfahren", ys, GESAMT_NAME))
    else:
        fig = stacked_bar(rows, vw.SHARE_OF["8a_ergebnis"], "%", source=pg.source,
                          title=chart_title("Gefährdungseinschätzungen nach Ergebnis", "Anteil in %", ys,
                                            GESAMT_NAME))
    render_chart(fig, filename="8a_ergebnis", key="ergebnis", table=vw.breakdown_table(rows),
                 breakdown="8a_ergebnis")
    st.caption("Akut und latent zusammen sind die festgestellten Kindeswohlgefährdungen. Gezählt werden Verfahren, "
               "nicht Kinder.")
    download_buttons(vw.breakdown_table(ergebnis), "8a_ergebnis", key="dl_ergebnis", source=pg.source,
                     label="Alle Sozialräume und Jahre")
else:
    render_empty_state(["s8a", "s8a_records"], what="die Verteilung der Ergebnisse", is_admin=is_admin)

rates = vw.series_frame(pg.ind, list(vw.RATES_8A), names=vw.RATES_8A)
fig = trend_chart(rates, "Verfahren", "je 10.000 unter 18", series="reihe", name_col="name", source=pg.source,
                  title=chart_title("Gefährdungseinschätzungen und festgestellte Gefährdungen",
                                    "je 10.000 unter 18", sorted(set(rates["jahr"].dropna())), GESAMT_NAME))
render_chart(fig, filename="8a_je_10000", key="rates8a", table=vw.series_table(rates),
             indicator=list(vw.RATES_8A))
shares = vw.series_frame(pg.ind, vw.SHARES_8A)
fig = trend_chart(shares, "Anteil an allen Verfahren", "%", series="reihe", name_col="name", source=pg.source,
                  title=chart_title("Festgestellte Gefährdungen und Hilfebedarf", "Anteil in %",
                                    sorted(set(shares["jahr"].dropna())), GESAMT_NAME))
render_chart(fig, filename="8a_anteile", key="shares8a", table=vw.series_table(shares),
             indicator=list(vw.SHARES_8A))
st.caption("Anteil festgestellter Gefährdungen = akut + latent; Verfahren mit Hilfebedarf = akut + latent + "
           "Hilfebedarf ohne Gefährdung; jeweils bezogen auf alle Gefährdungseinschätzungen.")


# --- Sozialraum comparison and map ----------------------------------------------------------------------
@st.fragment
def compare_section():
    st.subheader(f"Sozialräume im Vergleich, {year}")
    available = pg.available()
    options = {k: dashboard.label(k) for k in vw.COMPARE_8A if k in available}
    if not options:
        st.info("Für den Vergleich der Sozialräume fehlen Werte. Laden Sie das Blatt „§ 8a“ und die Bevölkerung "
                "hoch.")
        return
    c1, c2 = st.columns(2, vertical_alignment="bottom")
    with c1:
        indicator = filters.indicator(options, "verfahren_8a_dichte", label="Kennzahl für Karte und Vergleich",
                                      key="f_ind8a")
    unit = dashboard.unit(indicator)
    lab = dashboard.short_label(indicator)
    frame = pg.one(indicator, year)
    geo = pg.ds["geometrie"]
    selected = None
    if len(geo):
        title = chart_title(lab, unit, [year], by="nach Sozialraum")
        fc = vw.name_features(feature_collection_from_rows(geo), pg.names())
        selected = render_choropleth(build_choropleth(frame, fc, lab, unit), legend_items(frame, unit),
                                     key=f"karte8a_{indicator}_{year}", title=title, source=pg.source,
                                     indicator=indicator,
                                     alt=f"Karte: {title}. Die Werte stehen in der Tabelle unten.")
        st.caption("Ein Klick auf einen Sozialraum hebt ihn in der Rangfolge hervor.")
    else:
        st.info("Für die Karte fehlen die Sozialraumgrenzen. Laden Sie sie als GeoJSON oder gezipptes Shapefile auf "
                "der Seite „Daten hochladen“ hoch; der Vergleich funktioniert auch ohne Karte.")
    fig = ranking_bar(frame, lab, unit, year, source=pg.source, highlight=selected)
    render_chart(fig, filename=f"rangfolge_{indicator}_{year}", key="rank8a", indicator=indicator)
    table = vw.compare_table(pg.ind, indicator, year)
    render_table(table, key="tabelle8a")
    download_buttons(table, f"vergleich_{indicator}_{year}", key="dl_vergleich8a", source=pg.source)


compare_section()


# --- breakdowns of the chosen year ----------------------------------------------------------------------
def category_section(name: str, heading: str, chart: str, what: str, missing: list[str], *, multiple: bool = False,
                     denominator=None):
    st.subheader(heading)
    bd = data_access.breakdown(pg.ctx, name)
    if not vw.has_counts(bd, year):
        render_empty_state(missing, what=what, year=year, is_admin=is_admin)
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


category_section("8a_art", "Art der Gefährdung", "Festgestellte Kindeswohlgefährdungen nach Art, Mehrfachnennungen",
                 "die Art der festgestellten Gefährdungen", ["s8a", "s8a_records"], multiple=True,
                 denominator=pg.value("kwg_faelle", year))
category_section("8a_melder", "Wer hat die Gefährdung gemeldet?", "Gefährdungseinschätzungen nach Melder",
                 "die Verteilung nach Meldern (Schule, Kita, Polizei …)", ["s8a_melder", "s8a_records"])

# --- HzE after an assessment ----------------------------------------------------------------------------
st.subheader("Hilfen zur Erziehung nach einer Gefährdungseinschätzung")
sentence = vw.share_sentence(pg.ind, year)
if sentence:
    st.markdown(sentence)
    nach = vw.series_frame(pg.ind, ["anteil_nach_8a"])
    fig = trend_chart(nach, "Anteil an den begonnenen Hilfen", "%", series="reihe", name_col="name",
                      source=pg.source,
                      title=chart_title("Begonnene Hilfen zur Erziehung nach einer Gefährdungseinschätzung",
                                        "Anteil in %", sorted(set(nach["jahr"].dropna())), GESAMT_NAME))
    render_chart(fig, filename="anteil_nach_8a", key="nach8a", table=vw.series_table(nach),
                 indicator="anteil_nach_8a")
    st.caption("Nur aus den HzE-Einzeldaten (Merkmal „Vorangegangene Gefährdungseinschätzung“); bezogen auf die "
               "begonnenen Hilfen ohne Erziehungsberatung mit Angabe ja oder nein. Der Vergleich der Sozialräume "
               "oben bietet diese Kennzahl ebenfalls an.")
    all_nach = pg.one("anteil_nach_8a")
    download_buttons(all_nach, "anteil_nach_8a", key="dl_nach8a", source=pg.source,
                     label="Alle Sozialräume und Jahre")
else:
    render_empty_state(["hze_records"], what="der Anteil der begonnenen Hilfen, denen eine Gefährdungseinschätzung "
                                             "vorausging (Merkmal „Vorangegangene Gefährdungseinschätzung“)",
                       year=year, is_admin=is_admin)
