"""The Impressum and the Datenschutzerklärung: the operator's text, or the default that says what is missing."""
from __future__ import annotations

import streamlit as st

from data_models.legal_texts import LegalText


def render_legal_text(title: str, text: LegalText) -> None:
    st.title(title)
    if text.problem:
        st.error(text.problem)
    if text.configured:
        st.markdown(text.text)
    else:
        st.warning(text.text, icon=":material/edit_note:")
