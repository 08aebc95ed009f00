import streamlit as st

from data_models.config import datenschutz_text

st.title("Datenschutzerklärung")
st.markdown(datenschutz_text())
