"""Übersicht: the key figures of the chosen year with change to the previous year and their history, and – for an
office that takes part in the programme comparison – where they lie in its peer group (components/peer_comparison.py
says who sees what)."""
import pandas as pd
import streamlit as st

from components import dashboard, data_access, filters
from components.peer_comparison import render_own_comparison
from components.kpi import Kpi, render_kpi_row
from data_models import quality
from data_models.indicators.trends import change_to_previous
from data_models.schema import GESAMT

pg = dashboard.start("Übersicht", "Die wichtigsten Kennzahlen der HzE-Strategiekarte für die ganze Kommune.")
year = filters.year(pg.years)

KEYS = ["hze_dichte", "hze_faelle", "eb_dichte", "anteil_ambulant", "anteil_stationaer", "anteil_35a",
        "sgb2_quote_u15", "ausgaben_je_u21"]
gesamt = change_to_previous(pg.ind[(pg.ind["sozialraum_id"] == GESAMT) & pg.ind["indikator"].isin(KEYS)])
kpis = []
for key in KEYS:
    rows = gesamt[gesamt["indikator"] == key].sort_values("jahr")
    now = rows[rows["jahr"] == year]
    if now.empty:
        continue
    r = now.iloc[0]
    history = [None if v != v else float(v) for v in rows.loc[rows["jahr"] <= year, "wert"].astype("float64")]
    kpis.append(Kpi(label=dashboard.label(key), value=None if pd.isna(r["wert"]) else float(r["wert"]),
                    unit=dashboard.unit(key), year=year,
                    change=None if pd.isna(r["veraenderung"]) else float(r["veraenderung"]),
                    change_kind="pp" if r["veraenderung_einheit"] == "Prozentpunkte" else "%",
                    history=history, indicator=key, suppressed=bool(r.get("unterdrueckt", False))))
if kpis:
    render_kpi_row(kpis[:4], key="kpi1")
    render_kpi_row(kpis[4:], key="kpi2")
else:
    st.info(f"Für {year} liegen keine Kennzahlen vor. Laden Sie HzE-Daten und die Bevölkerung für dieses Jahr hoch.")
st.caption("Veränderung zum Vorjahr: bei Anteilen in Prozentpunkten, sonst in %. " + dashboard.md(pg.source))

lines = data_access.quality_lines(pg.ctx)
msg = quality.summary_line(lines)
(st.warning if any(l.schwere == "Warnung" for l in lines) else st.info)(msg, icon=":material/fact_check:")
if pg.ctx.role in ("admin", "member") or pg.ctx.tenant.is_demo:
    st.page_link("pages/datenqualitaet.py", label="Zur Datenqualität", icon=":material/fact_check:")

own = {r.indikator: None if pd.isna(r.wert) else float(r.wert) for r in gesamt[gesamt["jahr"] == year].itertuples()}
render_own_comparison(pg.ctx, year, own, pg.source)
