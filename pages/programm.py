import streamlit as st

from components import session

session.require("view_programme")
st.title("Programmübersicht")
st.info("Die Programmübersicht (wer hat was hochgeladen, Bestätigung neuer Jugendämter) folgt mit dem nächsten Ausbauschritt. Bis dahin zeigt diese Seite bewusst keine Zahlen.")
