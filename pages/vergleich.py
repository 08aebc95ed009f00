import streamlit as st

from components import session

session.require("compare")
st.title("Vergleich der Jugendämter")
st.info("Der Vergleich der zustimmenden Jugendämter (nur Gesamtwerte, kleine Zahlen unterdrückt) folgt mit dem nächsten Ausbauschritt. Bis dahin zeigt diese Seite bewusst keine Zahlen.")
