"""Administration of one's own tenant: users, invitations, password links, consent, audit log."""
import streamlit as st

from components import session
from components.downloads import download_buttons
from components.text import escape_md
from data_models import accounts, audit

ctx = session.require("manage_users")
engine = session.engine()
tenant = ctx.tenant
me = ctx.principal.username
st.title("Verwaltung")
st.caption(f"Jugendamt: {escape_md(tenant.name)} · registriert am {tenant.created_at:%d.%m.%Y} · "
           + ("bestätigt" if tenant.confirmed else "noch nicht von der Programmkoordination bestätigt"))

tab_users, tab_inv, tab_settings, tab_log = st.tabs(["Benutzer", "Einladungen", "Einstellungen", "Protokoll"])

with tab_users:
    users = accounts.list_users(engine, tenant.id)
    for u in users:
        c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
        c1.markdown(f"**{escape_md(u.name)}** ({escape_md(u.username)}), {escape_md(u.email)}")
        c2.write(accounts.ROLE_LABELS[u.role])
        try:
            if u.role == "member" and c3.button("Zur Administration machen", key=f"up{u.id}"):
                accounts.set_role(engine, tenant.id, me, u.id, "admin")
                st.rerun()
            if u.role == "admin" and c3.button("Zum Mitglied machen", key=f"down{u.id}"):
                accounts.set_role(engine, tenant.id, me, u.id, "member")
                st.rerun()
            with c4.popover("Weitere Aktionen"):
                if st.button("Link zum Zurücksetzen des Passworts", key=f"pw{u.id}"):
                    token, code = accounts.create_invitation(engine, tenant.id, me, "passwort", user_id=u.id)
                    st.code(f"?passwort={token}", language=None)
                    st.caption(f"Code: {code} – 7 Tage gültig, einmal verwendbar. Geben Sie ihn der Person direkt weiter.")
                if u.username != me and st.button("Entfernen", key=f"rm{u.id}", type="primary"):
                    accounts.remove_user(engine, tenant.id, me, u.id)
                    st.rerun()
        except accounts.AccountError as exc:
            st.error(" ".join(exc.errors.values()))

with tab_inv:
    st.markdown("Kolleginnen und Kollegen treten Ihrem Jugendamt über eine Einladung bei (7 Tage gültig, einmal "
                "verwendbar, jederzeit widerrufbar). Es gibt keinen E-Mail-Versand: geben Sie Link oder Code selbst weiter.")
    if st.button("Neue Einladung erstellen", type="primary"):
        token, code = accounts.create_invitation(engine, tenant.id, me)
        st.success("Einladung erstellt. Der Link wird nur jetzt angezeigt:")
        st.code(f"?einladung={token}", language=None)
        st.markdown(f"Oder der Code: **{code}** (auf der Seite „Einladung annehmen“ einzugeben)")
    for inv in [i for i in accounts.list_invitations(engine, tenant.id) if i.purpose == "einladung"]:
        c1, c2 = st.columns([4, 1])
        c1.write(f"Erstellt am {inv.created_at:%d.%m.%Y %H:%M} von {inv.created_by} · gültig bis "
                 f"{inv.expires_at:%d.%m.%Y} · {inv.status}")
        if inv.status == "offen" and c2.button("Widerrufen", key=f"rev{inv.id}"):
            accounts.revoke_invitation(engine, tenant.id, me, inv.id)
            st.rerun()

with tab_settings:
    st.markdown("**Teilnahme am Programmvergleich**")
    st.markdown("Wenn Sie zustimmen, sieht die Programmkoordination die **Gesamtwerte** Ihres Jugendamts "
                "(keine Sozialraumwerte, keine Einzeldaten) im Vergleich mit anderen teilnehmenden Jugendämtern. "
                "Werte von 1 oder 2 werden dabei unterdrückt. Sie können die Zustimmung jederzeit zurücknehmen.")
    consent = st.toggle("Am Programmvergleich teilnehmen", value=tenant.consent)
    if consent != tenant.consent:
        accounts.set_consent(engine, tenant.id, me, consent)
        st.rerun()

with tab_log:
    log = audit.read_log(engine, tenant.id)
    actions = sorted(log["Aktion"].unique()) if len(log) else []
    chosen = st.multiselect("Aktionen filtern", actions)
    shown = log[log["Aktion"].isin(chosen)] if chosen else log
    if len(shown):
        shown = shown.assign(Zeitpunkt=shown["Zeitpunkt"].map(lambda t: f"{t:%d.%m.%Y %H:%M:%S}"))
    st.dataframe(shown, hide_index=True, width="stretch")
    download_buttons(shown, "protokoll")
