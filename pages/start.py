"""Start page for guests: what Strategiekarte is, and the three ways in."""
import streamlit as st

from components import session

st.title("Strategiekarte")
st.subheader("Hilfen zur Erziehung und Wächteramt steuern – mit Daten, je Sozialraum und über die Jahre")
st.markdown(
    """
Die **HzE-Strategiekarte** und die **Strategiekarte Wächteramt** wurden mit Pilotkommunen entwickelt, damit ein
Jugendamt seine Hilfen zur Erziehung (§§ 27 ff. SGB VIII) und seine Schutzaufgaben (§ 8a Gefährdungseinschätzungen,
§ 42 Inobhutnahmen) mit Zahlen steuern kann – bisher in einer Excel-Masterdatei, jetzt hier:

- **Hochladen** der Masterdatei oder der Einzeldaten der amtlichen Statistik, die die Anwendung selbst umrechnet;
- **Kennzahlen** wie Eckwert HzE, Leistungsmix, Kosten je Fall, Gefährdungseinschätzungen und Inobhutnahmen;
- **Sozialräume vergleichen** – mit ihrer Sozialstruktur, auf Karten und in Diagrammen;
- **Entwicklungen über mehrere Jahre** erkennen und für den Jugendhilfeausschuss aufbereiten.

Die Daten jedes Jugendamts bleiben bei diesem Jugendamt. Kleine Fallzahlen werden unterdrückt, wo Zahlen das
Jugendamt verlassen.
"""
)
c1, c2, c3 = st.columns(3)
with c1:
    st.page_link("pages/anmelden.py", label="Anmelden", icon=":material/login:")
with c2:
    st.page_link("pages/registrieren.py", label="Jugendamt registrieren", icon=":material/how_to_reg:")
with c3:
    demo = session.demo_id()
    if st.button("Demo ansehen", type="primary", icon=":material/visibility:", disabled=demo is None,
                 help=None if demo else "Die Demo-Kommune ist noch nicht eingerichtet (manage.py seed-demo)."):
        st.session_state["sk_guest"] = demo
        st.session_state["sk_goto"] = "pages/uebersicht.py"
        st.rerun()
st.caption("Die Demo zeigt die fiktive Kommune „Musterstadt“ mit erfundenen Zahlen – ohne Konto, nur lesend.")
