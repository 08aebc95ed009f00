"""Präsentationsmodus for projectors: no sidebar (the pages move into a menu at the top), larger type.

`?praesentation=1` in the URL switches it on (so a facilitator can hand out a link that opens in it), the toggle in
the sidebar does the same; the choice is remembered in the session because page navigation drops the query string.
"""
from __future__ import annotations

import streamlit as st

PARAM = "praesentation"
STATE = "sk_praesentation"

# static CSS only (no user text)
_CSS = """
<style>
section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
button[data-testid="stExpandSidebarButton"] { display: none !important; }
html { font-size: 20px; }
div[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 3.5rem 2.5rem 2rem 2.5rem; }
div[data-testid="stMarkdownContainer"] p, div[data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
div[data-testid="stCaptionContainer"] p { font-size: 0.95rem; }
h1 { font-size: 2.6rem !important; }
div[data-testid="stMetricValue"] { font-size: 2.6rem !important; }
div[data-testid="stMetricLabel"] p { font-size: 1.1rem !important; }
</style>
"""


def active() -> bool:
    """Whether the session is in presentation mode (URL wins, else the remembered choice, which is put back into
    the URL)."""
    if PARAM in st.query_params:
        on = str(st.query_params.get(PARAM)) in ("1", "ja", "true")
        st.session_state[STATE] = on
        if not on:
            del st.query_params[PARAM]
        return on
    if st.session_state.get(STATE):
        st.query_params[PARAM] = "1"
        return True
    return False


def _set(on: bool) -> None:
    st.session_state[STATE] = on
    if on:
        st.query_params[PARAM] = "1"
    elif PARAM in st.query_params:
        del st.query_params[PARAM]


def apply(on: bool, title: str | None = None) -> None:
    """In presentation mode: the CSS and, at the top of the page, whose data these are (the sidebar that names the
    tenant is hidden) and a button to leave the mode."""
    if not on:
        return
    from components.text import escape_md

    st.markdown(_CSS, unsafe_allow_html=True)
    left, right = st.columns([2, 1], vertical_alignment="center")
    if title:
        left.markdown(f"**{escape_md(title)}**")
    right.button("Präsentationsmodus beenden", key="sk_praes_off", icon=":material/close_fullscreen:",
                 on_click=_set, args=(False,), help="Zeigt die Seitenleiste wieder und normale Schriftgröße.")


def sidebar_toggle(on: bool) -> None:
    """The switch in the sidebar (only visible outside presentation mode)."""
    if on:
        return
    with st.sidebar:
        st.button("Präsentationsmodus", key="sk_praes_on", icon=":material/slideshow:", on_click=_set, args=(True,),
                  help="Für Beamer: ohne Seitenleiste, größere Schrift. Die Seiten stehen dann oben im Menü; "
                       "der Link mit ?praesentation=1 öffnet direkt so.")
