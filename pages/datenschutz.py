"""Datenschutzerklärung: the operator's text (data_models.legal_texts), or a default that says what must be
filled in and what the software itself stores."""
from components.legal_page import render_legal_text
from data_models.legal_texts import datenschutz

render_legal_text("Datenschutzerklärung", datenschutz())
