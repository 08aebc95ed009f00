"""Kennzahlen erklärt: every indicator with Zähler, Nenner, Einheit, Zählregel, what moves it, how to read it and
its source; the breakdowns; how the expected value and the comparison groups are computed. Our texts only, no
tenant data, so the page is open to every role."""
import streamlit as st

from data_models.indicators import help as hp
from data_models.indicators import regression
from data_models.indicators.breakdowns import BREAKDOWNS
from data_models.indicators.catalogue import by_section
from data_models.peer_groups import METHOD_EXPLANATION

st.title("Kennzahlen erklärt")
st.markdown(hp.GENERAL_READING)
with st.expander("Was für alle Kennzahlen gilt", expanded=False):
    st.markdown("\n".join(f"- {c}" for c in hp.CONVENTIONS))

sections = by_section()
tabs = st.tabs([*sections, "Aufschlüsselungen", "Vergleich und Erwartung"])
for tab, (section, inds) in zip(tabs, sections.items()):
    with tab:
        for ind in inds:
            title = ind.label if ind.unit in ind.label else f"{ind.label} ({ind.unit})"
            with st.expander(title, key=f"kz_{ind.id}"):
                st.markdown(hp.help_markdown(ind.id, heading=False))
with tabs[-2]:
    st.markdown("Aufschlüsselungen verteilen Fälle, Verfahren oder Maßnahmen auf die Kategorien einer Codeliste; "
                "jede Kategorie wird genannt, auch mit 0.")
    for name, b in BREAKDOWNS.items():
        with st.expander(b.label, key=f"kz_bd_{name}"):
            st.markdown(hp.breakdown_markdown(name))
with tabs[-1]:
    st.markdown("#### Erwarteter Wert: Eckwert HzE und SGB-II-Quote")
    st.markdown(
        "Auf der Seite „Sozialräume“ zeigt eine Ausgleichsgerade (Methode der kleinsten Quadrate, ungewichtet), "
        "welchen Eckwert HzE die SGB-II-Quote unter 15 in der eigenen Kommune im Mittel erwarten lässt – über die "
        "Sozialräume des gewählten Jahres oder, auf Wunsch, aller Jahre. R² sagt, welcher Anteil der Unterschiede "
        "zwischen den Sozialräumen sich so erklären lässt (0 = nichts, 1 = alles). Der standardisierte Abstand "
        "ist der Abstand zur Geraden geteilt durch den Standardfehler der Schätzung.")
    st.info(regression.CAVEAT, icon=":material/forum:")
    st.markdown("#### Vergleichsgruppen strukturähnlicher Jugendämter")
    st.markdown(METHOD_EXPLANATION)
st.caption("Kennzahlen beschreiben, sie bewerten nicht.")
st.download_button("Alle Erläuterungen als Text (Markdown)", hp.all_help_markdown().encode("utf-8"),
                   file_name="kennzahlen_erklaert.md", mime="text/markdown", icon=":material/download:",
                   key="dl_kennzahlen")
