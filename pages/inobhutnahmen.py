"""Inobhutnahmen (§ 42 / § 42a SGB VIII): key figures, trends with and without unaccompanied minors, Sozialraum
comparison and map, what followed, Anlass and Anregende."""
import streamlit as st

from components import dashboard, data_access, filters
from components import waechteramt_sections as ws
from components.charts import render_chart, stacked_bar, trend_chart
from components.downloads import download_buttons
from components.empty_state import render_empty_state
from components.theme import chart_title
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

ws.kpi_section(pg, year, vw.KPI_42, vw.COMPARE_42, key="42", filename="inobhutnahmen_kennzahlen",
               explanation=vw.ERKLAERUNG_42)

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
st.caption("Der Abstand zwischen den beiden Linien im oberen Diagramm entspricht den vorläufigen Inobhutnahmen nach "
           "unbegleiteter Einreise (§ 42a). Kurz = innerhalb von 2 Wochen beendet; Anteile bezogen auf alle "
           "Inobhutnahmen.")


# --- Sozialraum comparison and map ----------------------------------------------------------------------
ws.compare_section(pg, year, vw.COMPARE_42, "inobhutnahmen_ohne_uma_dichte", key="42", missing="§ 42")

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
ws.category_section(pg, year, "42_anlass", "Anlass der Inobhutnahme", "Inobhutnahmen nach Anlass, Mehrfachnennungen",
                    "die Aufschlüsselung nach Anlass", RECORDS, multiple=True,
                    denominator=pg.value("inobhutnahmen", year))
ws.category_section(pg, year, "42_anregende", "Wer hat die Inobhutnahme angeregt?",
                    "Inobhutnahmen nach anregender Person oder Stelle",
                    "die Aufschlüsselung nach anregender Person oder Stelle", RECORDS)
