"""Sozialräume: every Sozialraum against the municipality, ranking, and the SGB-II-Quote vs Eckwert HzE scatter."""
import pandas as pd
import streamlit as st

from components import dashboard, filters
from components.charts import ranking_bar, render_chart, scatter_sgb2_eckwert
from components.downloads import download_buttons
from components.tables import render_table
from data_models.indicators.trends import compare_to_gesamt, regression_sgb2_eckwert
from data_models.schema import GESAMT, OHNE

pg = dashboard.start("Sozialräume", "Jeder Sozialraum im Vergleich zum Gesamtwert der Kommune im selben Jahr.")
c1, c2 = st.columns([1, 2])
with c1:
    year = filters.year(pg.years)
with c2:
    indicator = filters.indicator(pg.available(), "hze_dichte")

names = pg.names()
lab, unit = dashboard.label(indicator), dashboard.unit(indicator)
frame = pg.one(indicator, year)
fig = ranking_bar(frame, lab, unit, year, source=pg.source)
render_chart(fig, filename=f"rangfolge_{indicator}_{year}", key="rank", table=frame)
with st.popover("Was bedeutet diese Kennzahl?"):
    st.markdown(dashboard.help_text(indicator))

st.subheader(f"Alle Kennzahlen {year}: Sozialräume gegenüber dem Gesamtwert")
cmp = compare_to_gesamt(pg.ind[pg.ind["jahr"] == year])
cmp = cmp[cmp["sozialraum_id"] != OHNE]
wide = cmp.pivot_table(index="indikator", columns="sozialraum_id", values="differenz", aggfunc="first")
values = pg.ind[(pg.ind["jahr"] == year)].pivot_table(index="indikator", columns="sozialraum_id", values="wert",
                                                       aggfunc="first")
order = [s for s in [GESAMT, *names] if s in values.columns]
table = values.reindex(columns=order)
table.columns = ["Gesamt" if c == GESAMT else names.get(c, c) for c in table.columns]
table.insert(0, "Einheit", [dashboard.unit(i) for i in table.index])
table.index = [dashboard.label(i) for i in table.index]
table = table.reset_index().rename(columns={"index": "Kennzahl"})
st.caption("Abweichung vom Gesamtwert: über dem Gesamtwert ▲, darunter ▼ (mehr als 10 % Abstand). "
           "Hoch ist nicht per se schlecht – die Erläuterungen nennen die Einflussgrößen.")


def mark(col_values, gesamt_values):
    out = []
    for v, g in zip(col_values, gesamt_values):
        if v is None or g is None or pd.isna(v) or pd.isna(g) or g == 0:
            out.append("")
        elif v > g * 1.1:
            out.append("▲")
        elif v < g * 0.9:
            out.append("▼")
        else:
            out.append("")
    return out


from data_models.formatting import fmt_de  # noqa: E402

shown = table.copy()
for c in shown.columns[2:]:
    g = table["Gesamt"] if "Gesamt" in table.columns else None
    shown[c] = [("keine Daten" if pd.isna(v) else fmt_de(v, 1)) + (f" {m}" if m and c != "Gesamt" else "")
                for v, m in zip(table[c], mark(table[c], g if g is not None else [None] * len(table)))]
st.dataframe(shown, hide_index=True, width="stretch")
download_buttons(table, f"sozialraumvergleich_{year}", key="dl_cmp", source=pg.source)

st.subheader(f"SGB-II-Quote und Eckwert HzE {year}")
reg = regression_sgb2_eckwert(pg.ind, year)
if reg is None:
    st.info("Für das Streudiagramm fehlen SGB-II-Quote oder Eckwert HzE für mindestens zwei Sozialräume dieses Jahres. "
            "Laden Sie das Blatt „SGB II“ und die Bevölkerung hoch.")
else:
    pts = reg.punkte.rename(columns={"x": "sgb2_quote_u15", "y": "hze_dichte", "groesse": "bev_u21"})
    fig = scatter_sgb2_eckwert(pts, slope=reg.steigung, intercept=reg.achsenabschnitt, year=year, source=pg.source)
    render_chart(fig, filename=f"sgb2_eckwert_{year}", key="scatter", table=pts)
    r2 = "–" if reg.r2 is None else fmt_de(reg.r2, 2)
    st.markdown(f"Ausgleichsgerade: Eckwert = {fmt_de(reg.achsenabschnitt, 2)} + {fmt_de(reg.steigung, 2)} × "
                f"SGB-II-Quote; R² = {r2}; {reg.n} Sozialräume.")
    odd = pts[pts["auffaellig"]]
    if len(odd):
        st.markdown("**Auffällig** (standardisierter Abstand zur Geraden über 2): "
                    + ", ".join(dashboard.md(n) for n in odd["sozialraum"])
                    + ". Das ist ein Anlass zum Gespräch, kein Urteil: Angebote vor Ort, einzelne große Familien "
                    "oder Zuordnungsfragen können den Abstand erklären.")
