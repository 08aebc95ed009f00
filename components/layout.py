"""Page frame: style, sidebar (tenant name, role, logout), banners, form messages. Impressum and Datenschutz are
in the navigation of every role (app.py), so every page links them."""
from __future__ import annotations

import streamlit as st

from data_models.accounts import ROLE_LABELS

# static CSS only (no user text): a little more air for projectors, a visible keyboard focus (WCAG 2.4.7), and
# captions dark enough on the grey sidebar (Streamlit draws them at 60 % opacity: 4,42:1 there, below WCAG's 4,5:1;
# at 75 % 7,3:1 – tests/components/test_contrast.py computes it from this CSS and .streamlit/config.toml); the
# cookie component (an invisible iframe of height 0, components/session.py) takes no room in the page; KPI tile
# labels and the "gegenüber …" line wrap instead of ending in "…" (four tiles in a row at 1280 px)
CAPTION_OPACITY = 0.75
FOCUS_COLOR = "#0b5394"
_CSS = f"""
<style>
:focus-visible {{ outline: 3px solid {FOCUS_COLOR} !important; outline-offset: 2px; }}
div[data-testid="stMetricValue"] {{ font-size: 1.9rem; }}
label[data-testid="stMetricLabel"] {{ min-height: 2.6em; align-items: flex-start; }}
label[data-testid="stMetricLabel"] div, label[data-testid="stMetricLabel"] p,
div[data-testid="stMetricDeltaDescription"] div, div[data-testid="stMetricDeltaDescription"] p {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }}
div:has(> div[data-testid="stMetricDelta"]) {{ flex-wrap: wrap; row-gap: 0.2rem; }}
div[data-testid="stCaptionContainer"] {{ opacity: {CAPTION_OPACITY}; }}
div[data-testid="stElementContainer"]:has(iframe[title^="extra_streamlit_components.CookieManager"]) {{
  display: none; }}
</style>
"""


# Streamlit's file uploader brings English texts of its own ("Upload", "200MB per file • XLSX, …") that no option
# changes: drawn in German instead (the original text stays in the page for screen readers' sake, at size 0)
_UPLOADER_CSS = """
<style>
section[data-testid="stFileUploaderDropzone"] button p {{ font-size: 0; }}
section[data-testid="stFileUploaderDropzone"] button p::after {{ content: "Datei wählen"; font-size: 0.875rem; }}
div[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
div[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "oder hierher ziehen – bis {mb} MB je Datei"; font-size: 0.875rem; }}
</style>
"""


def apply_style() -> None:
    st.markdown(_CSS, unsafe_allow_html=True)


def apply_uploader_style() -> None:
    """German texts on the file uploader (pages with an uploader call this)."""
    st.markdown(_UPLOADER_CSS.format(mb=st.get_option("server.maxUploadSize")), unsafe_allow_html=True)


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
        elif ctx.tenant is not None and ctx.principal.workshop_tenant_id is not None:
            from components import workshop

            workshop.sidebar_note()
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
