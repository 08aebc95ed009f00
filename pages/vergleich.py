"""Vergleich (coordinators): the confirmed offices that consented, on their `GESAMT` values only, suppressed —
ranking of one indicator and year with each office's peer group (method chosen here, data_models/peer_groups.py),
the distribution band of every group, the years as small multiples, and SGB-II-Quote against Eckwert HzE."""
import streamlit as st

from components import filters
from components import programme as ui
from components import session
from components.charts import render_chart
from components.downloads import download_buttons
from components.tables import render_table
from components.theme import fmt_de
from data_models import peer_groups, privacy, programme
from data_models.indicators.catalogue import CATALOGUE
from data_models.tabular_export import TIDY_COLUMNS_DE

COLUMNS_DE = {**TIDY_COLUMNS_DE, "tenant": "Jugendamt-Kennung", "name": "Jugendamt"}

ctx = session.require("compare")
filters.sync()
st.title("Vergleich der Jugendämter")
st.markdown("Die **Gesamtwerte** der bestätigten Jugendämter, die der Teilnahme am Vergleich zugestimmt haben – "
            "keine Sozialraumwerte, keine Einzeldaten. Ein hoher Wert ist für sich genommen weder gut noch schlecht: "
            "Sozialstruktur, Angebote und Zählweise unterscheiden sich.")

frame = ui.comparison()
offices = frame[["tenant", "name"]].drop_duplicates() if len(frame) else frame
years = programme.compare_years(frame) if len(frame) else []
if not years:
    st.info("Noch nimmt kein bestätigtes Jugendamt mit Daten am Vergleich teil. Jugendämter stimmen auf ihrer Seite "
            "„Teilen und Workshops“ zu; neue Jugendämter bestätigen Sie in der Programmübersicht.")
    st.stop()

has = frame["wert"].notna() | frame["unterdrueckt"]
options = {i.id: i.label for i in CATALOGUE.values() if i.id in set(frame.loc[has, "indikator"])}
c1, c2, c3 = st.columns([1, 2, 2])
with c1:
    year = filters.year(years)
with c2:
    indicator = filters.indicator(options, "hze_dichte")
with c3:
    methods = list(peer_groups.METHODS)
    method = st.selectbox("Vergleichsgruppen nach", methods, index=methods.index(peer_groups.DEFAULT_METHOD),
                          format_func=peer_groups.METHODS.get, key="cmp_methode")
with st.expander("Wie werden die Vergleichsgruppen gebildet?"):
    st.markdown(peer_groups.METHOD_EXPLANATION)
    st.markdown(f"Gewählt: **{peer_groups.METHODS[method]}**. Gruppen werden je Jahr aus der SGB-II-Quote unter 15 "
                "und den Einwohnern unter 21 dieses Jahres gebildet (fehlt ein Wert, aus dem letzten Jahr davor). "
                "Hier in der Koordination zeigt ein Band schon ab 3 Werten auch Minimum und Maximum.")
ind = CATALOGUE[indicator]
source = ui.source_line(len(offices))
groups = peer_groups.assign_from_compare(frame, ui.participant_types(), year, method)

st.subheader(f"{ind.label} {year}")
this = programme.one_indicator(frame, indicator, year)
render_chart(ui.ranking(this, ind.label, ind.unit, year, source), filename=f"vergleich_{indicator}_{year}",
             key="cmp_rank")
with st.popover("Was bedeutet diese Kennzahl?"):
    st.markdown(ind.help)
this = this.assign(gruppe=peer_groups.group_column(this.rename(columns={"sozialraum_id": "tenant"}), groups))
table = this.sort_values("wert", ascending=False, na_position="last", kind="stable")[
    ["sozialraum", "gruppe", "wert", "zaehler", "nenner", "einheit", "unterdrueckt"]].rename(
    columns={"sozialraum": "Jugendamt", "gruppe": "Vergleichsgruppe"})
render_table(table, key="cmp_table", wide=["Vergleichsgruppe"])

st.subheader("Verteilung in den Vergleichsgruppen")
ui.render_group_bands(frame, groups, indicator, year, source)

st.subheader(f"{ind.label} über die Jahre")
series = programme.one_indicator(frame, indicator)
if series["sozialraum_id"].nunique() and series["wert"].notna().any():
    render_chart(ui.multiples(series, ind.label, ind.unit, source), filename=f"vergleich_{indicator}_jahre",
                 key="cmp_multiples", table=series[["jahr", "sozialraum", "wert", "einheit", "unterdrueckt"]]
                 .rename(columns={"sozialraum": "Jugendamt"}))
else:
    st.info("Für diese Kennzahl gibt es in keinem Jahr veröffentlichbare Werte.")

st.subheader(f"SGB-II-Quote und Eckwert HzE {year}")
points = programme.scatter_points(frame, year)
missing = len(offices) - len(points)
if points.empty:
    st.info("Für das Streudiagramm fehlen SGB-II-Quote oder Eckwert HzE der Jugendämter in diesem Jahr.")
else:
    fig, fit = ui.scatter(points, year, source)
    render_chart(fig, filename=f"vergleich_sgb2_eckwert_{year}", key="cmp_scatter",
                 table=points.drop(columns=["sozialraum_id", "auffaellig"]).rename(columns={
                     "sozialraum": "Jugendamt", "sgb2_quote_u15": "SGB-II-Quote unter 15 (%)",
                     "hze_dichte": "Eckwert HzE je 1.000 unter 21", "bev_u21": "Einwohner unter 21"}))
    if fit is not None:
        r2 = "–" if fit[2] is None else fmt_de(fit[2], 2)
        st.markdown(f"Ausgleichsgerade über {len(points)} Jugendämter: Eckwert = {fmt_de(fit[1], 2)} + "
                    f"{fmt_de(fit[0], 2)} × SGB-II-Quote; R² = {r2}. Sie beschreibt den Zusammenhang, nicht, was ein "
                    "Jugendamt „leisten müsste“.")
    if missing > 0:
        who = "Ein Jugendamt" if missing == 1 else f"{missing} Jugendämter"
        st.caption(f"{who} ohne veröffentlichbare SGB-II-Quote oder Eckwert {year}: nicht dargestellt "
                   "(keine Daten oder unterdrückt).")

st.caption(privacy.FOOTNOTE)
st.subheader("Herunterladen")
st.markdown(f"Diese Kennzahl ({ind.label}) über alle Jahre, oder der ganze Vergleich (alle Kennzahlen und Jahre, "
            "nur Gesamtwerte, unterdrückt):")
download_buttons(series.rename(columns={"sozialraum_id": "tenant", "sozialraum": "name"}),
                 f"vergleich_{indicator}", key="dl_cmp_one", source=source, label="Diese Kennzahl",
                 columns_de=COLUMNS_DE)
download_buttons(frame, "programmvergleich", key="dl_cmp_all", source=source, label="Ganzer Vergleich",
                 columns_de=COLUMNS_DE)
