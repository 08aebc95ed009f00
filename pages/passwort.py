"""Setting a new password through a one-time link (`?passwort=TOKEN`) that an admin issued."""
import streamlit as st

from components import session
from components.layout import field_errors
from data_models import accounts

st.title("Neues Passwort festlegen")
token = st.query_params.get("passwort", "") or st.text_input("Code zum Zurücksetzen")
if token:
    with st.form("pw"):
        password = st.text_input("Neues Passwort", type="password", help="mindestens 10 Zeichen")
        password2 = st.text_input("Neues Passwort wiederholen", type="password")
        ok = st.form_submit_button("Passwort speichern", type="primary")
    if ok:
        try:
            accounts.use_password_link(session.engine(), token, password, password2)
        except accounts.AccountError as exc:
            field_errors(exc.errors, [("token", "Link"), ("password", "Passwort"), ("password2", "Wiederholung")])
        else:
            st.query_params.clear()
            st.success("Ihr Passwort ist geändert. Bitte melden Sie sich neu an.")
            st.page_link("pages/anmelden.py", label="Zur Anmeldung", icon=":material/login:")
