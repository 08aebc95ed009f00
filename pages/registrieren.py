"""Sign-up: an office and its first admin, in one transaction."""
import streamlit as st

from components import session
from components.layout import field_errors
from data_models import accounts

st.title("Jugendamt registrieren")
st.markdown("Registrieren Sie Ihr Jugendamt und legen Sie das erste Konto mit Administrationsrechten an. "
            "Sie können sofort mit Ihren eigenen Daten arbeiten; für den Programmvergleich bestätigt die "
            "Programmkoordination Ihr Jugendamt.")

ORDER = [("office", "Name des Jugendamts"), ("typ", "Art"), ("key", "Schlüssel"), ("name", "Ihr Name"),
         ("email", "E-Mail"), ("username", "Benutzername"), ("password", "Passwort"),
         ("password2", "Passwort wiederholen")]

with st.form("signup"):
    office = st.text_input("Name des Jugendamts", max_chars=200, placeholder="z. B. Jugendamt der Stadt Musterhausen")
    typ = st.selectbox("Art des Jugendamts", list(accounts.TENANT_TYPES), format_func=accounts.TENANT_TYPES.get)
    key = st.text_input("Amtlicher Schlüssel (optional)", max_chars=8,
                        help="5-stelliger Kreisschlüssel, 8-stelliger Gemeindeschlüssel oder 6-stellige Jugendamtsnummer")
    st.markdown("**Erstes Konto (Administration)**")
    name = st.text_input("Ihr Name", max_chars=200)
    email = st.text_input("E-Mail-Adresse", max_chars=254)
    username = st.text_input("Benutzername", max_chars=64)
    password = st.text_input("Passwort", type="password", help="mindestens 10 Zeichen, nicht der Benutzername")
    password2 = st.text_input("Passwort wiederholen", type="password")
    submitted = st.form_submit_button("Jugendamt registrieren", type="primary")

if submitted:
    try:
        tenant, user = accounts.signup(session.engine(), office=office, typ=typ, key=key, name=name, email=email,
                                       username=username, password=password, password2=password2)
    except accounts.AccountError as exc:
        field_errors(exc.errors, ORDER)
    else:
        session.start_session(user)  # the session and the re-login cookie
        st.session_state["sk_goto"] = "pages/programm.py" if user.role == "coordinator" else "pages/uebersicht.py"
        st.session_state["sk_notice"] = "Ihr Jugendamt ist registriert. Willkommen!"
        st.rerun()
