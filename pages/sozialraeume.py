"""Sozialräume: every Sozialraum against the municipality, ranking, and the SGB-II-Quote vs Eckwert HzE scatter."""
import streamlit as st

from components import dashboard, filters
from components.charts import ranking_bar, render_chart, scatter_sgb2_eckwert
from components.downloads import download_buttons
from data_models.formatting import fmt_de
from data_models import sozialraum_views
from data_models.indicators import regression

pg = dashboard.start("Sozialräume", "Jeder Sozialraum im Vergleich zum Gesamtwert der Kommune im selben Jahr.")
c1, c2 = st.columns([1, 2])
with c1:
    year = filters.year(pg.years)
with c2:
    indicator = filters.indicator(pg.available(), "hze_dichte")

names = pg.names()
lab, unit = dashboard.short_label(indicator), dashboard.unit(indicator)
frame = pg.one(indicator, year)
fig = ranking_bar(frame, lab, unit, year, source=pg.source)
render_chart(fig, filename=f"rangfolge_{indicator}_{year}", key="rank", table=frame, indicator=indicator)

st.subheader(f"Alle Kennzahlen {year}: Sozialräume gegenüber dem Gesamtwert")
table, shown = sozialraum_views.year_table(pg.ind, year, names)
st.caption("Abweichung vom Gesamtwert: über dem Gesamtwert ▲, darunter ▼ (mehr als 10 % Abstand). "
           "Hoch ist nicht per se schlecht – die Erläuterungen nennen die Einflussgrößen.")
st.dataframe(shown, hide_index=True, width="stretch")
download_buttons(table, f"sozialraumvergleich_{year}", key="dl_cmp", source=pg.source)

st.subheader(f"SGB-II-Quote und Eckwert HzE {year}: erwarteter Wert im Zusammenhang")
st.markdown("Sozialräume mit höherer SGB-II-Quote haben meist mehr Hilfen. Die Ausgleichsgerade zeigt, welchen "
            "Eckwert die Quote in dieser Kommune im Mittel erwarten lässt.")
span = st.radio("Ausgleichsgerade berechnet über", ["das gewählte Jahr", "alle Jahre"], horizontal=True,
                key="f_gerade", help="Alle Jahre: eine Gerade über alle Sozialräume und Jahre – stabiler, wenn "
                                     "die Kommune wenige Sozialräume hat. Gezeigt werden die Punkte des gewählten "
                                     "Jahres.")
reg = regression.sgb2_eckwert(pg.ind, year if span == "das gewählte Jahr" else pg.years)
pts = None if reg is None else reg.year(year)
if reg is None or pts.empty:
    st.info("Für das Streudiagramm fehlen SGB-II-Quote oder Eckwert HzE für mindestens zwei Sozialräume. "
            "Laden Sie das Blatt „SGB II“, die Bevölkerung und die HzE-Daten hoch.")
else:
    shown = pts.rename(columns={"x": "sgb2_quote_u15", "y": "hze_dichte", "groesse": "bev_u21"})
    years_text = str(reg.years[0]) if len(reg.years) == 1 else f"{reg.years[0]}–{reg.years[-1]}"
    fig = scatter_sgb2_eckwert(shown, slope=reg.fit.slope, intercept=reg.fit.intercept, r2=reg.fit.r2, year=year,
                               line_years=years_text, threshold=reg.threshold, source=pg.source)
    table = regression.points_table(reg, year)
    render_chart(fig, filename=f"sgb2_eckwert_{year}", key="scatter", table=table,
                 indicator=["hze_dichte", "sgb2_quote_u15"])
    st.markdown(dashboard.md(regression.summary_text(reg)))
    c1, c2 = st.columns(2)
    with c1:
        odd = regression.flagged(reg, year)
        if odd:
            st.markdown("**Auffällig** (weit weg vom erwarteten Wert): " + "; ".join(
                f"{dashboard.md(n)} ({r}, standardisierter Abstand {fmt_de(z, 1)})" for n, r, z in odd) + ".")
        else:
            st.markdown(f"**Kein Sozialraum auffällig** {year}: alle liegen nahe genug an der Geraden "
                        "(standardisierter Abstand zwischen −2 und 2).")
        if not reg.flags_possible:
            st.caption(f"Mit {reg.fit.n} Punkten kann rechnerisch kein Sozialraum auffällig sein: der "
                       "standardisierte Abstand bleibt bei weniger als 7 Punkten unter 2. Die Einstellung "
                       "„alle Jahre“ nutzt mehr Punkte.")
    with c2:
        st.info(regression.CAVEAT, icon=":material/forum:")
    download_buttons(table, f"sgb2_eckwert_{year}", key="dl_scatter", source=pg.source)
