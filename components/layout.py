"""Page frame: style, sidebar (tenant name, role, logout, legal links), banners, form messages."""
from __future__ import annotations

import streamlit as st

from data_models.accounts import ROLE_LABELS

# static CSS only (no user text): a little more air for projectors and a visible keyboard focus (WCAG 2.4.7)
_CSS = """
<style>
:focus-visible { outline: 3px solid #0b5394 !important; outline-offset: 2px; }
div[data-testid="stMetricValue"] { font-size: 1.9rem; }
</style>
"""


def apply_style() -> None:
    st.markdown(_CSS, unsafe_allow_html=True)


def sidebar_footer(ctx) -> None:
    from components import session

    with st.sidebar:
        st.markdown("### :material/map: Strategiekarte")
        if ctx.tenant is not None:
            st.markdown(f"**{_md(ctx.tenant.name)}**")
        u = session.current_user()
        if u:
            st.caption(f"Angemeldet als {_md(u['name'])} ({ROLE_LABELS.get(u['role'], u['role'])})")
            if st.button("Abmelden", key="sk_logout", icon=":material/logout:"):
                session.logout()
                st.rerun()
        elif ctx.tenant is not None:
            st.caption("Sie sehen die fiktive Demo-Kommune, nur lesend.")
            if st.button("Demo verlassen", key="sk_leave_demo"):
                st.session_state.pop("sk_guest", None)
                st.query_params.pop("demo", None)
                st.session_state["sk_goto"] = "pages/start.py"
                st.rerun()
        notice = st.session_state.pop("sk_notice", None)
        if notice:
            st.info(notice)


def _md(text: str) -> str:
    """Escape Markdown so user-provided names are shown as text."""
    from components.text import escape_md

    return escape_md(text)


def field_errors(errors: dict[str, str], order: list[tuple[str, str]]) -> None:
    """Show German messages per form field, in the order of the form."""
    for key, label in order:
        if key in errors:
            st.error(f"**{label}:** {errors[key]}")
    for key, msg in errors.items():
        if key not in dict(order):
            st.error(msg)
