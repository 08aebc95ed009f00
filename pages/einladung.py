"""Accepting an invitation: link `?einladung=TOKEN` or the code an admin passed on."""
import streamlit as st

from components import session
from components.layout import field_errors
from components.text import escape_md
from data_models import accounts

st.title("Einladung annehmen")
engine = session.engine()
token = st.query_params.get("einladung", "")
if not token:
    token = st.text_input("Einladungscode", help="Den Code hat Ihnen Ihre Administration gegeben, z. B. 3F2A-91BC-07DE.")
if token:
    try:
        tenant = accounts.invitation_tenant(engine, token)
    except accounts.AccountError as exc:
        st.error(exc.errors["token"])
        st.stop()
    st.markdown(f"Sie treten **{escape_md(tenant.name)}** bei.")
    with st.form("accept"):
        name = st.text_input("Ihr Name", max_chars=200)
        email = st.text_input("E-Mail-Adresse", max_chars=254)
        username = st.text_input("Benutzername", max_chars=64)
        password = st.text_input("Passwort", type="password", help="mindestens 10 Zeichen, nicht der Benutzername")
        password2 = st.text_input("Passwort wiederholen", type="password")
        ok = st.form_submit_button("Konto anlegen", type="primary")
    if ok:
        try:
            user = accounts.accept_invitation(engine, token, name=name, email=email, username=username,
                                              password=password, password2=password2)
        except accounts.AccountError as exc:
            field_errors(exc.errors, [("token", "Einladung"), ("name", "Name"), ("email", "E-Mail"),
                                      ("username", "Benutzername"), ("password", "Passwort"),
                                      ("password2", "Passwort wiederholen")])
        else:
            st.query_params.clear()
            session.start_session(user)  # the session and the re-login cookie
            st.session_state["sk_goto"] = "pages/programm.py" if user.role == "coordinator" else "pages/uebersicht.py"
            st.session_state["sk_notice"] = "Ihr Konto ist angelegt. Willkommen!"
            st.rerun()
