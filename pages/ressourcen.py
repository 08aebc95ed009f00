"""Ressourcen: expenditure, cost per case by segment, budget plan vs actual, caseload per ASD team."""
import pandas as pd
import streamlit as st

from components import dashboard, filters
from components.charts import ranking_bar, render_chart, trend_chart
from components.downloads import download_buttons
from components.kpi import Kpi, render_kpi_row
from data_models.indicators.trends import change_to_previous
from data_models.schema import GESAMT

pg = dashboard.start("Ressourcen", "Ausgaben, Kosten je Fall, Haushaltsansatz und Fallbelastung im ASD.")
year = filters.year(pg.years)
KEYS = ["ausgaben_hze", "ausgaben_je_u21", "haushalt_ausschoepfung", "faelle_je_vollzeitstelle"]
g = change_to_previous(pg.ind[(pg.ind["sozialraum_id"] == GESAMT) & pg.ind["indikator"].isin(KEYS)])
kpis = []
for key in KEYS:
    r = g[(g["indikator"] == key) & (g["jahr"] == year)]
    if r.empty:
        continue
    r = r.iloc[0]
    hist = g[(g["indikator"] == key) & (g["jahr"] <= year)].sort_values("jahr")["wert"].astype("float64").tolist()
    val = None if pd.isna(r["wert"]) else float(r["wert"])  # pd.NA: a missing value of a nullable column
    chg = r["veraenderung"]
    unit, decimals = dashboard.unit(key), None
    if key == "ausgaben_hze":  # millions read better on a tile: 31,4 Mio. EUR
        val, hist, unit, decimals = (None if val is None else val / 1e6), [h / 1e6 for h in hist], "Mio. EUR", 1
    elif unit == "EUR":
        decimals = 0
    kpis.append(Kpi(dashboard.label(key), val, unit, year, None if pd.isna(chg) else float(chg),
                    "pp" if r["veraenderung_einheit"] == "Prozentpunkte" else "%", hist, indicator=key,
                    decimals=decimals))
if kpis:
    render_kpi_row(kpis, key="res_kpi")
else:
    st.info("Für dieses Jahr liegen keine Kosten- oder Personaldaten vor. Füllen Sie die Blätter „Kosten“ und "
            "„Personal“ der Masterdatei.")

st.subheader("Kosten je Fall nach Segment")
seg = [k for k in ("kosten_je_fall_ambulant", "kosten_je_fall_teilstationaer", "kosten_je_fall_stationaer",
                   "kosten_je_fall_35a") if k in pg.available()]
if seg:
    f = pg.ind[(pg.ind["sozialraum_id"] == GESAMT) & pg.ind["indikator"].isin(seg)].copy()
    f["sozialraum_id"] = f["indikator"]
    f["sozialraum"] = f["indikator"].map(dashboard.label)
    f["indikator"] = "kosten_je_fall"
    fig = trend_chart(f, "Kosten je Fall", "EUR", source=pg.source, decimals=0,
                      title="Kosten je Fall (Ausgaben je laufendem oder beendetem Fall) nach Segment, in EUR",
                      y_tickformat=",.0f")  # 15.000 instead of 15k
    render_chart(fig, filename="kosten_je_fall", key="kjf", table=f, indicator=seg)
    download_buttons(f, "kosten_je_fall", key="dl_kjf", source=pg.source)
else:
    st.info("Kosten je Fall brauchen das Blatt „Kosten“ nach Segmenten oder Hilfearten.")

st.subheader("Ausgaben und Ansatz")
f = pg.one("haushalt_ausschoepfung")
f = f[f["sozialraum_id"] == GESAMT]
if f["wert"].notna().any():
    render_chart(trend_chart(f, dashboard.label("haushalt_ausschoepfung"), "%", source=pg.source),
                 filename="ausschoepfung", key="aus", table=f)
else:
    st.info("Für die Ausschöpfung des Ansatzes fehlt im Blatt „Kosten“ die Spalte „Ansatz (EUR)“.")

st.subheader(f"Laufende Fälle je Vollzeitstelle ASD {year}")
f = pg.one("faelle_je_vollzeitstelle", year)
if f["wert"].notna().any():
    render_chart(ranking_bar(f, dashboard.label("faelle_je_vollzeitstelle"), "Fälle", year, source=pg.source),
                 filename=f"fallbelastung_{year}", key="fb", table=f)
    st.caption("Je Team berechnet und bei jedem Sozialraum des Teams gezeigt; der Gesamtwert umfasst alle laufenden "
               "Hilfen einschließlich nicht zuordenbarer Fälle.")
    download_buttons(f, f"fallbelastung_{year}", key="dl_fb", source=pg.source)
else:
    st.info("Für die Fallbelastung fehlen das Blatt „Personal“ oder die Spalte „Team“ im Blatt „Sozialräume“.")
