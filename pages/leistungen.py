"""Leistungen: which helps, how they end, why they start, who brings them in."""
import streamlit as st

from components import dashboard, data_access, filters
from components.charts import render_chart, stacked_bar, trend_chart
from components.downloads import download_buttons
from components.tables import render_table
from data_models.schema import GESAMT
from data_models.waechteramt_views import unit_rows

pg = dashboard.start("Leistungen", "Welche Hilfen gewährt werden, wie sie enden, aus welchen Gründen sie beginnen und "
                                   "wer den Anstoß gibt.")
c1, c2 = st.columns([1, 2])
with c1:
    year = filters.year(pg.years)
with c2:
    names = pg.names()
    where = st.selectbox("Gebiet", [GESAMT, *names], format_func=lambda s: "Gesamte Kommune" if s == GESAMT else names[s],
                         key="f_gebiet")
where_name = "Gesamte Kommune" if where == GESAMT else names[where]


def breakdown(table: str):
    return unit_rows(data_access.breakdown(pg.ctx, table), where)  # the same object on every rerun (memo)


def section(table: str, title: str, note: str | None = None, stacked: bool = True):
    b = breakdown(table)
    st.subheader(title)
    if b.empty or not b["anzahl"].fillna(0).sum():
        st.info("Keine Daten: diese Aufschlüsselung entsteht aus den HzE-Einzeldaten bzw. dem Blatt „Zugänge“. "
                "Laden Sie sie auf der Seite „Daten hochladen“ hoch.")
        return
    if note:
        st.caption(note)
    if stacked:
        years = sorted(int(y) for y in b["jahr"].unique())
        fig = stacked_bar(b, "Anteil an allen Fällen", "%", source=pg.source,
                          title=f"{title}, {where_name}, {years[0]}–{years[-1]}")
        render_chart(fig, filename=f"{table}_{where}", key=f"chart_{table}", table=b, breakdown=table)
    this = unit_rows(data_access.breakdown(pg.ctx, table), where, year)[["kategorie_code", "kategorie", "anzahl",
                                                                         "anteil"]]
    render_table(this, columns_de={"kategorie_code": "Code", "kategorie": "Kategorie", "anzahl": "Anzahl",
                                   "anteil": "Anteil (%)"}, caption=f"{year}", key=f"tab_{table}")
    download_buttons(b, f"{table}_{where}", key=f"dl_{table}", source=pg.source)


section("segment", "Leistungsmix nach Segment (Fälle: laufend am 31.12. + beendet)",
        "Anteile an allen Fällen einschließlich Erziehungsberatung; die Kennzahlen „Anteil …“ rechnen ohne EB.")
section("hilfeart", "Fälle nach Art der Hilfe", stacked=False)

st.subheader("Dauer und Beendigung")
c1, c2 = st.columns(2)
for col, ind in ((c1, "dauer_beendet"), (c2, "beendet_gemaess_hilfeplan")):
    with col:
        f = pg.one(ind, sozialraum=where)
        if f["wert"].notna().any():
            render_chart(trend_chart(f, dashboard.label(ind), dashboard.unit(ind), source=pg.source),
                         filename=ind, key=f"trend_{ind}", table=f)
        else:
            st.info(f"{dashboard.label(ind)}: nur mit HzE-Einzeldaten verfügbar.")
section("grund", "Hauptgrund der Hilfe (Grund 1, begonnene und laufende Fälle)", stacked=False)
section("anregende", "Wer hat die Hilfe angeregt?", stacked=False)
section("altersgruppe", "Alter bei Beginn", stacked=False)
section("zugaenge", "Zugänge (zweite Ebene, laut Blatt „Zugänge“)", stacked=False)
