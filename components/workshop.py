"""Workshop links in the browser session: `?workshop=TOKEN` opens a tenant's dashboard read-only for guests, with
suppression (privacy.md). The token is kept in the session (`sk_workshop`) and checked against the database on every
run (`data_models.workshops.resolve`), so a revoked or expired link stops working at the next click. The token stays
in the URL, next to the filters, so a copied link opens the same view for the next participant.

A logged-in user keeps their own context: a workshop link is for guests.
"""
from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from data_models import workshops

PARAM = "workshop"
STATE = "sk_workshop"
ERROR = "sk_workshop_error"


def capture(logged_in: bool) -> None:
    """On every run before the context is built: a token in the URL becomes the session's workshop token (and
    replaces a demo visit); for a logged-in user the parameter is dropped with a note."""
    token = st.query_params.get(PARAM)
    if not token:
        return
    if logged_in:
        del st.query_params[PARAM]
        st.session_state[ERROR] = ("Sie sind angemeldet und sehen Ihr eigenes Jugendamt. Workshop-Links sind für "
                                   "Gäste gedacht: öffnen Sie den Link in einem privaten Fenster.")
        return
    if st.session_state.get(STATE) != token:
        st.session_state[STATE] = token
        st.session_state.pop("sk_guest", None)
        st.session_state.pop("sk_filters", None)  # the link's own filters count, not those of an earlier visit


def current_link(engine: Engine) -> workshops.WorkshopLink | None:
    """The valid link of this session, or None. An unusable token is dropped and its German message kept for
    `show_error` (no data of the tenant is shown)."""
    token = st.session_state.get(STATE)
    if not token:
        return None
    try:
        return workshops.resolve(engine, token)
    except workshops.WorkshopError as exc:
        st.session_state.pop(STATE, None)
        st.session_state[ERROR] = str(exc)
        if PARAM in st.query_params:
            del st.query_params[PARAM]
        return None


def keep_in_url() -> None:
    """Put the session's token back into the URL (page navigation drops the query string)."""
    token = st.session_state.get(STATE)
    if token and st.query_params.get(PARAM) != token:
        st.query_params[PARAM] = token


def leave() -> None:
    st.session_state.pop(STATE, None)
    if PARAM in st.query_params:
        del st.query_params[PARAM]


def show_error() -> None:
    message = st.session_state.pop(ERROR, None)
    if message:
        st.error(message, icon=":material/link_off:")


def link_path(token: str, base_url: str | None = None, page: str = "") -> str:
    """The link to hand out: `<base>/<page>?workshop=TOKEN` (base = the app's address when known)."""
    base = (base_url or "").rstrip("/")
    if base and page and base.endswith("/" + page):
        base = base[: -len(page) - 1]
    return f"{base}/{page}?{PARAM}={token}" if base else f"/{page}?{PARAM}={token}"


def sidebar_note() -> None:
    """In the sidebar of a workshop guest: what this view is, and the way out."""
    st.caption("Workshop-Ansicht: nur lesend; Fallzahlen von 1 oder 2 und was sich aus ihnen errechnen ließe, "
               "sind unterdrückt („.“).")
    if st.button("Workshop verlassen", key="sk_leave_workshop", icon=":material/logout:"):
        leave()
        st.session_state.pop("sk_filters", None)
        st.session_state["sk_goto"] = "pages/start.py"
        st.rerun()
