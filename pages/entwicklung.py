"""Entwicklung: multi-year trends per Sozialraum, absolute or as an index to a base year; a change table."""
import streamlit as st

from components import dashboard, filters
from components.charts import render_chart, small_multiples, trend_chart
from components.downloads import download_buttons
from components.tables import render_table
from data_models.indicators.trends import change_to_previous, index_to_base
from data_models.schema import GESAMT, OHNE

pg = dashboard.start("Entwicklung", "Wie sich eine Kennzahl über die Jahre entwickelt – je Sozialraum und für die Kommune.")
c1, c2, c3 = st.columns([2, 2, 1])
with c2:
    indicator = filters.indicator(pg.available(), "hze_dichte")
with c1:
    chosen = filters.sozialraeume(pg.names())
with c3:
    mode = st.radio("Darstellung", ["Werte", "Index (Basisjahr = 100)"], key="f_mode")
lab, unit = dashboard.short_label(indicator), dashboard.unit(indicator)
frame = pg.one(indicator)
if chosen:
    frame = frame[frame["sozialraum_id"].isin([GESAMT, *chosen])]
if mode.startswith("Index"):
    base = filters.base_year(pg.years)
    idx = index_to_base(frame, base)
    shown = idx.assign(wert=idx["index"], einheit=f"Index ({base} = 100)")
    fig = trend_chart(shown, f"{lab}, Index", f"Index {base} = 100", source=pg.source)
else:
    fig = trend_chart(frame, lab, unit, source=pg.source)
render_chart(fig, filename=f"entwicklung_{indicator}", key="trend", table=frame, indicator=indicator)

if not chosen and frame["sozialraum_id"].nunique() > 3:
    st.subheader("Alle Sozialräume im Einzelnen")
    render_chart(small_multiples(frame, lab, unit, source=pg.source), filename=f"kleine_vielfache_{indicator}",
                 key="multiples", indicator=indicator)

st.subheader("Veränderung zum Vorjahr")
ch = change_to_previous(frame)
ch = ch[ch["sozialraum_id"] != OHNE][["jahr", "sozialraum", "wert", "vorjahr", "veraenderung", "veraenderung_einheit"]]
render_table(ch.sort_values(["sozialraum", "jahr"]), columns_de={
    "jahr": "Jahr", "sozialraum": "Sozialraum", "wert": f"Wert ({unit})", "vorjahr": "Vorjahr",
    "veraenderung": "Veränderung", "veraenderung_einheit": "Einheit der Veränderung"}, key="change")
download_buttons(ch, f"veraenderung_{indicator}", key="dl_change", source=pg.source)
