"""Strategiekarte: entry point. Login gate and navigation by role; the pages live in pages/."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from components import presentation, session, workshop
from components.layout import apply_style, sidebar_footer

# the favicon from our own assets: a material icon as page_icon makes every browser fetch it from
# fonts.gstatic.com (privacy.md: no request leaves the server)
st.set_page_config(page_title="Strategiekarte", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
                   layout="wide")
apply_style()
session.check_config()  # production without a cookie key: a German message, nothing else

session.restore_from_cookie()
session.check_session()
session.write_cookie()  # a re-login cookie queued by login, sign-up or logout, until the browser has it
workshop.capture(logged_in=bool(session.current_user()))  # ?workshop=TOKEN: a tenant's read-only workshop view
if "demo" in st.query_params and not session.current_user() and session.demo_id():
    st.session_state["sk_guest"] = session.demo_id()  # a shared demo link opens the demo for anyone
ctx = session.context()
presenting = presentation.active()  # ?praesentation=1: no sidebar, larger type
presentation.apply(presenting, ctx.tenant.name if ctx.tenant is not None else None)
workshop.show_error()  # an expired or revoked workshop link: a German message and no data


def page(path: str, title: str, icon: str, default: bool = False):
    return st.Page(path, title=title, icon=icon, default=default)


DASHBOARD = [
    page("pages/uebersicht.py", "Übersicht", ":material/dashboard:"),
    page("pages/karte.py", "Karte", ":material/map:"),
    page("pages/sozialraeume.py", "Sozialräume", ":material/compare_arrows:"),
    page("pages/entwicklung.py", "Entwicklung", ":material/trending_up:"),
    page("pages/leistungen.py", "Leistungen", ":material/category:"),
    page("pages/ressourcen.py", "Ressourcen", ":material/euro:"),
]
WAECHTERAMT = [
    page("pages/gefaehrdung.py", "Gefährdungseinschätzungen", ":material/shield:"),
    page("pages/inobhutnahmen.py", "Inobhutnahmen", ":material/home:"),
]
INFO = [
    page("pages/datenqualitaet.py", "Datenqualität", ":material/fact_check:"),
    page("pages/kennzahlen.py", "Kennzahlen erklärt", ":material/menu_book:"),  # every role (INFO[1:])
    page("pages/impressum.py", "Impressum", ":material/info:"),
    page("pages/datenschutz.py", "Datenschutz", ":material/policy:"),
]

role = ctx.role
if role in ("admin", "member"):
    DASHBOARD[0] = page("pages/uebersicht.py", "Übersicht", ":material/dashboard:", default=True)
    nav = {"HzE-Strategiekarte": DASHBOARD, "Wächteramt": WAECHTERAMT,
           "Bericht": [page("pages/bericht.py", "Bericht", ":material/picture_as_pdf:")]}
    if role == "admin":
        nav["Daten"] = [page("pages/hochladen.py", "Daten hochladen", ":material/upload:"), INFO[0]]
        nav["Verwaltung"] = [page("pages/verwaltung.py", "Verwaltung", ":material/settings:"),
                             page("pages/teilen.py", "Teilen und Workshops", ":material/share:")] + INFO[1:]
    else:
        nav["Daten"] = INFO
elif role == "coordinator":
    nav = {"Programm": [page("pages/programm.py", "Programmübersicht", ":material/groups:", default=True),
                        page("pages/vergleich.py", "Vergleich", ":material/leaderboard:")],
           "Info": INFO[1:]}
    if ctx.tenant is not None:  # the coordinator is looking at the demo
        nav["Demo"] = DASHBOARD + WAECHTERAMT
elif ctx.tenant is not None and ctx.principal.workshop_tenant_id is not None:  # guest with a workshop link
    workshop.keep_in_url()
    DASHBOARD[0] = page("pages/uebersicht.py", "Übersicht", ":material/dashboard:", default=True)
    nav = {"Workshop: HzE-Strategiekarte": DASHBOARD, "Workshop: Wächteramt": WAECHTERAMT, "Mehr": INFO[1:]}
elif ctx.tenant is not None:  # guest in the demo municipality
    DASHBOARD[0] = page("pages/uebersicht.py", "Übersicht", ":material/dashboard:", default=True)
    nav = {"Demo: HzE-Strategiekarte": DASHBOARD, "Demo: Wächteramt": WAECHTERAMT,
           "Mehr": [INFO[0], page("pages/anmelden.py", "Anmelden", ":material/login:")] + INFO[1:]}
else:
    first = "start"
    if "einladung" in st.query_params:
        first = "einladung"
    elif "passwort" in st.query_params:
        first = "passwort"
    guest = [("start", "Start", ":material/home:"), ("anmelden", "Anmelden", ":material/login:"),
             ("registrieren", "Jugendamt registrieren", ":material/how_to_reg:"),
             ("einladung", "Einladung annehmen", ":material/mail:"), ("passwort", "Neues Passwort", ":material/key:")]
    nav = {"": [page(f"pages/{name}.py", title, icon, default=name == first) for name, title, icon in guest]
           + INFO[1:]}

sidebar_footer(ctx)
if ctx.tenant is not None or role == "coordinator":  # dashboards and programme pages, not the start page
    presentation.sidebar_toggle(presenting)
current = st.navigation(nav, expanded=True, position="top" if presenting else "sidebar")
goto = st.session_state.pop("sk_goto", None)  # after login or sign-up: land on the tenant's start page
if goto:
    st.switch_page(goto)
session.run_page(current)  # storage and database failures: a German message, no stack trace
