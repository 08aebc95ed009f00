import streamlit as st

from data_models.config import impressum_text

st.title("Impressum")
st.markdown(impressum_text())
