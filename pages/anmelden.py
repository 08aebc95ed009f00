"""Login with streamlit-authenticator's widget; throttling and session bookkeeping are ours (database)."""
import streamlit as st

from components import session
from data_models import accounts

st.title("Anmelden")
if session.current_user():  # logged in already: never count a login twice if this page runs again after one
    st.success("Sie sind angemeldet. Ihre Seiten finden Sie in der Navigation links.")
    st.stop()
engine = session.engine()
client = session.client_address()

lock = accounts.lock_message(engine, None, client)
if lock:
    st.error(lock)
    st.stop()

auth = session.authenticator()
creds = auth.authentication_controller.authentication_model.credentials["usernames"]
before = {name: entry.get("failed_login_attempts", 0) for name, entry in creds.items()}
try:
    auth.login(location="main", fields=session.LOGIN_FIELDS, key="sk_login")
except Exception:
    st.session_state["authentication_status"] = False

status = st.session_state.get("authentication_status")
if status:
    username = st.session_state.get("username") or ""
    lock = accounts.lock_message(engine, username, client)
    user = accounts.get_user_by_name(engine, username)
    if lock or user is None:
        session._forget_authenticator()
        st.error(lock or "Benutzername oder Passwort ist falsch.")
        st.stop()
    accounts.record_login(engine, user.username, client, True)
    session.start_session(user)  # the session and the re-login cookie
    st.session_state["sk_goto"] = "pages/programm.py" if user.role == "coordinator" else "pages/uebersicht.py"
    st.rerun()
elif status is False:
    failed = [name for name, entry in creds.items() if entry.get("failed_login_attempts", 0) > before.get(name, 0)]
    accounts.record_login(engine, failed[0] if failed else "", client, False)
    st.session_state["authentication_status"] = None
    st.error(accounts.lock_message(engine, failed[0] if failed else None, client)
             or "Benutzername oder Passwort ist falsch.")

st.caption("Noch kein Konto? Ein Jugendamt registriert sich selbst; Kolleginnen und Kollegen kommen über eine "
           "Einladung ihrer Administration dazu. Passwort vergessen? Ihre Administration stellt einen "
           "Link zum Zurücksetzen aus.")
