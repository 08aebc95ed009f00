"""Strategiekarte domain layer: schemas, importers, storage, indicators, privacy, accounts.

Pure Python and pandas. Never imports Streamlit.
"""
