"""Datenschutzerklärung: the operator's text (data_models.legal_texts), or a default that says what must be
filled in and what the software itself stores."""
import streamlit as st

from data_models.legal_texts import datenschutz

st.title("Datenschutzerklärung")
text = datenschutz()
if text.problem:
    st.error(text.problem)
if text.configured:
    st.markdown(text.text)
else:
    st.warning(text.text, icon=":material/edit_note:")
