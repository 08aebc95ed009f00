"""The admin setting "Art des Jugendamts" (Gebietstyp), which places the office in its comparison group
(data_models/peer_groups.py). A small component another page (e.g. Verwaltung → Einstellungen) can call:

    from components.gebietstyp import render_gebietstyp_setting
    render_gebietstyp_setting(ctx)

Only an admin of the tenant can change it (action `manage_settings`); others see the current value read-only.
"""
from __future__ import annotations

from data_models.accounts import TENANT_TYPES, AccountError
from data_models.peer_groups import TYPE_PLURAL

EXPLANATION = ("Die Art des Jugendamts bestimmt, mit welchen Jugendämtern Ihre Gesamtwerte im Programmvergleich "
               "verglichen werden (zusammen mit der SGB-II-Quote: {plural} mit ähnlicher sozialer Lage). Andere "
               "Jugendämter sehen dabei nie Ihren Namen.")


def render_gebietstyp_setting(ctx, *, key: str = "sk_gebietstyp") -> str:
    """Draw the setting for the session's tenant; returns the (possibly changed) type key."""
    import streamlit as st

    from components import session
    from data_models.peer_groups import set_tenant_type

    tenant = ctx.tenant
    st.markdown("**Art des Jugendamts (für die Vergleichsgruppe)**")
    st.caption(EXPLANATION.format(plural=TYPE_PLURAL.get(tenant.typ, "Jugendämter")))
    editable = session.allowed(ctx, "manage_settings") and not ctx.read_only
    choice = st.selectbox("Art des Jugendamts", list(TENANT_TYPES), index=list(TENANT_TYPES).index(tenant.typ)
                          if tenant.typ in TENANT_TYPES else len(TENANT_TYPES) - 1,
                          format_func=TENANT_TYPES.get, key=key, disabled=not editable)
    if editable and choice != tenant.typ:
        if st.button("Art speichern", key=f"{key}_speichern", type="primary"):
            try:
                set_tenant_type(session.engine(), tenant.id, ctx.principal.username, choice)
            except AccountError as exc:
                st.error(" ".join(exc.errors.values()))
                return tenant.typ
            st.session_state["sk_notice"] = f"Art des Jugendamts gespeichert: {TENANT_TYPES[choice]}."
            st.rerun()
    return tenant.typ
