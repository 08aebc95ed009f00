"""Administration of one's own tenant: users, invitations, password links, consent and Gebietstyp (the
comparison group), deletion, audit log."""
from datetime import timedelta

import streamlit as st

from components import session
from components.downloads import download_buttons
from components.gebietstyp import render_gebietstyp_setting
from components.text import escape_md
from data_models import accounts, audit, deletion, store

ctx = session.require("manage_users")
engine = session.engine()
tenant = ctx.tenant
me = ctx.principal.username
st.title("Verwaltung")
st.caption(f"Jugendamt: {escape_md(tenant.name)} · registriert am {tenant.created_at:%d.%m.%Y} · "
           + ("bestätigt" if tenant.confirmed else "noch nicht von der Programmkoordination bestätigt"))

tab_users, tab_inv, tab_settings, tab_delete, tab_log = st.tabs(
    ["Benutzer", "Einladungen", "Einstellungen", "Daten löschen", "Protokoll"])

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
    st.divider()
    render_gebietstyp_setting(ctx)


def versions_text(numbers: list[int], singular: str, plural: str) -> str:
    """'würde die Version 3' / 'würden die Versionen 1, 2' (for "Gelöscht …")."""
    if len(numbers) == 1:
        return f"{singular} die Version {numbers[0]}"
    return f"{plural} die Versionen {', '.join(map(str, numbers))}"


def close_dialog() -> None:
    st.session_state.pop("sk_dialog", None)


@st.dialog("Alte Versionen löschen", on_dismiss=close_dialog)
def confirm_delete_versions(before: int, numbers: list[int]) -> None:
    st.markdown(f"Diese Versionen werden **endgültig gelöscht** (mit allen Daten, die nur in ihnen stehen): "
                f"{', '.join(str(n) for n in numbers)}.")
    st.markdown("Aktuelle Daten bleiben erhalten. Gelöschte Versionen lassen sich nicht wiederherstellen.")
    c1, c2 = st.columns(2)
    if c1.button("Endgültig löschen", type="primary", key="sk_del_versions_ok"):
        n = store.delete_versions_before(engine, tenant.id, me, before)
        close_dialog()
        st.session_state["sk_notice_verwaltung"] = ("1 alte Version wurde gelöscht." if n == 1
                                                     else f"{n} alte Versionen wurden gelöscht.")
        st.rerun()
    if c2.button("Abbrechen", key="sk_del_versions_cancel"):
        close_dialog()
        st.rerun()


@st.dialog("Jugendamt endgültig löschen", on_dismiss=close_dialog)
def confirm_delete_tenant() -> None:
    st.markdown(f"Damit werden **alle Daten** von „{escape_md(tenant.name)}“ gelöscht: alle hochgeladenen Versionen "
                "und Einzeldaten, alle Benutzerkonten (auch Ihres), Einladungen, Workshop-Links und das Protokoll. "
                "Das lässt sich **nicht rückgängig machen**. Sichern Sie vorher, was Sie behalten möchten "
                "(z. B. Tabellen über die Download-Schaltflächen der Seiten).")
    typed = st.text_input(f"Zur Bestätigung den Namen des Jugendamts eingeben: {escape_md(tenant.name)}",
                          key="sk_del_name")
    c1, c2 = st.columns(2)
    if c1.button("Jugendamt endgültig löschen", type="primary", key="sk_del_tenant_ok"):
        try:
            deletion.delete_own_tenant(engine, tenant.id, me, typed)
        except deletion.DeletionError as exc:
            st.error(str(exc))
            return
        from components import data_access

        close_dialog()
        st.cache_data.clear()  # no cached figure of the deleted office may outlive it (ids can be reused)
        data_access._dataset.clear()
        session.logout()
        st.session_state["sk_notice"] = f"Das Jugendamt „{tenant.name}“ und alle seine Daten wurden gelöscht."
        st.session_state["sk_goto"] = "pages/start.py"
        st.rerun()
    if c2.button("Abbrechen", key="sk_del_tenant_cancel"):
        close_dialog()
        st.rerun()


with tab_delete:
    notice = st.session_state.pop("sk_notice_verwaltung", None)
    if notice:
        st.success(notice)
    st.markdown("#### Alte Versionen löschen")
    versions = store.list_versions(engine, tenant.id)
    if len(versions) < 2:
        st.info("Es gibt noch keine älteren Versionen.")
    else:
        numbers = [v.version for v in versions][1:]
        chosen = st.selectbox("Alle Versionen löschen, die älter sind als Version", numbers, index=len(numbers) - 1,
                              format_func=lambda n: f"Version {n}")
        deletable = deletion.versions_deletable_before(engine, tenant.id, chosen)
        kept = [v.version for v in versions if v.version < chosen and v.version not in deletable]
        text = (f"Gelöscht {versions_text(deletable, 'würde', 'würden')}." if deletable
                else "Keine dieser Versionen kann gelöscht werden.")
        if kept:
            text += (f" Die Version {kept[0]} bleibt, weil sie noch aktuelle Daten enthält" if len(kept) == 1 else
                     f" Die Versionen {', '.join(map(str, kept))} bleiben, weil sie noch aktuelle Daten enthalten")
            text += " (löschbar, sobald diese Daten durch einen neueren Upload ersetzt sind)."
        st.markdown(text)
        if st.button("Versionen löschen …", disabled=not deletable, key="sk_del_versions"):
            st.session_state["sk_dialog"] = ("versionen", chosen)
        if st.session_state.get("sk_dialog") == ("versionen", chosen) and deletable:
            confirm_delete_versions(chosen, deletable)
    st.markdown("#### Jugendamt löschen")
    st.markdown("Löscht dieses Jugendamt mit allen Daten und Konten aus Strategiekarte (nicht nur eine Markierung: "
                "die Daten werden aus der Datenbank entfernt).")
    if tenant.is_demo:
        st.info("Die Demo-Kommune wird mit „manage.py seed-demo --reset“ erneuert, nicht hier gelöscht.")
    else:
        if st.button("Jugendamt löschen …", key="sk_del_tenant", icon=":material/delete_forever:"):
            st.session_state["sk_dialog"] = "jugendamt"
        if st.session_state.get("sk_dialog") == "jugendamt":
            confirm_delete_tenant()

with tab_log:
    if not session.allowed(ctx, "view_audit_log"):
        st.info("Das Protokoll sehen nur Administratorinnen und Administratoren.")
    else:
        actions, users = audit.log_choices(engine, tenant.id)
        f1, f2, f3 = st.columns([3, 2, 2])
        chosen_actions = f1.multiselect("Aktion", actions, format_func=audit.label, placeholder="alle Aktionen")
        chosen_user = f2.selectbox("Benutzer", [None] + users, format_func=lambda u: "alle" if u is None else u)
        today = accounts.now().astimezone(audit.LOCAL).date()
        period = f3.date_input("Zeitraum", (today - timedelta(days=deletion.audit_days()), today),
                               format="DD.MM.YYYY")
        since, until = (tuple(period) + (None, None))[:2] if isinstance(period, (tuple, list)) else (period, None)
        log = audit.read_log(engine, tenant.id, actions=chosen_actions, since=since, until=until or since,
                             user=chosen_user)
        shown = log.assign(Zeitpunkt=log["Zeitpunkt"].map(lambda t: f"{t:%d.%m.%Y %H:%M:%S}"))
        st.caption(f"{len(shown)} Einträge · Zeiten in deutscher Ortszeit · Einträge werden nach "
                   f"{deletion.audit_days()} Tagen gelöscht. Das Protokoll enthält nie Passwörter, Links oder Zahlen.")
        st.dataframe(shown, hide_index=True, width="stretch")
        download_buttons(shown, "protokoll", key="dl_protokoll", label="Protokoll")
