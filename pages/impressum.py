"""Impressum: the operator's text (data_models.legal_texts), or a default that says what must be filled in."""
from components.legal_page import render_legal_text
from data_models.legal_texts import impressum

render_legal_text("Impressum", impressum())
