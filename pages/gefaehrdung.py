"""Gefährdungseinschätzungen (§ 8a SGB VIII): key figures, results over the years, Sozialraum comparison and map,
Art der Gefährdung, Melder, and HzE started after an assessment."""
import streamlit as st

from components import dashboard, data_access, filters
from components import waechteramt_sections as ws
from components.charts import render_chart, stacked_bar, trend_chart
from components.downloads import download_buttons
from components.empty_state import render_empty_state
from components.theme import chart_title
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

ws.kpi_section(pg, year, vw.KPI_8A, vw.COMPARE_8A, key="8a", filename="gefaehrdungseinschaetzungen_kennzahlen",
               explanation=vw.ERKLAERUNG_8A)

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


# --- Sozialraum comparison and map, breakdowns of the chosen year --------------------------------------------
ws.compare_section(pg, year, vw.COMPARE_8A, "verfahren_8a_dichte", key="8a", missing="§ 8a")
ws.category_section(pg, year, "8a_art", "Art der Gefährdung",
                    "Festgestellte Kindeswohlgefährdungen nach Art, Mehrfachnennungen",
                    "die Art der festgestellten Gefährdungen", ["s8a", "s8a_records"], multiple=True,
                    denominator=pg.value("kwg_faelle", year))
ws.category_section(pg, year, "8a_melder", "Wer hat die Gefährdung gemeldet?", "Gefährdungseinschätzungen nach Melder",
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
