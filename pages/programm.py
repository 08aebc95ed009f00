"""Programmübersicht (coordinators): every office with sign-up date, status, consent and what it has uploaded —
no figures. New offices are confirmed here, or removed when they are not genuine."""
import streamlit as st

from components import programme as ui
from components import session
from components.downloads import download_buttons
from components.text import escape_md
from data_models import programme
from data_models.accounts import fold

ctx = session.require("view_programme")
engine = session.engine()
me = ctx.principal.username
st.title("Programmübersicht")
st.markdown("Alle registrierten Jugendämter mit dem, was sie hochgeladen haben – **ohne Zahlen**. Neue Jugendämter "
            "sind *unbestätigt*, bis Sie sie hier bestätigen; bis dahin arbeiten sie mit ihren eigenen Daten, "
            "fehlen aber im Vergleich.")

notice = st.session_state.pop("sk_programm_notice", None)
if notice:
    st.success(notice)

board = programme.board(engine)
n = len(board)
n_conf = int(board["bestaetigt"].sum()) if n else 0
n_cmp = int((board["bestaetigt"] & board["zustimmung"]).sum()) if n else 0
c1, c2, c3 = st.columns(3)
c1.metric("Jugendämter", n)
c2.metric("davon unbestätigt", n - n_conf)
c3.metric("im Vergleich (bestätigt und zugestimmt)", n_cmp)

if not n:
    st.info("Noch hat sich kein Jugendamt registriert.")
    st.stop()

new = board[~board["bestaetigt"]]
st.subheader("Neue Jugendämter: bitte prüfen")
if new.empty:
    st.caption("Alle Jugendämter sind bestätigt.")
may_confirm = session.allowed(ctx, "confirm_tenants")
for row in new.itertuples(index=False):
    with st.container(border=True):
        a, b, c = st.columns([5, 2, 2])
        key = f" · Schlüssel {escape_md(row.schluessel)}" if row.schluessel else ""
        a.markdown(f"**{escape_md(row.name)}** ({escape_md(row.typ)}{key}) · registriert am "
                   f"{row.registriert:%d.%m.%Y} · {escape_md(row.daten)}")
        if may_confirm and b.button("Bestätigen", key=f"confirm_{row.tenant_id}", type="primary",
                                    icon=":material/verified:"):
            try:
                programme.confirm_tenant(engine, int(row.tenant_id), me)
                st.session_state["sk_programm_notice"] = f"„{row.name}“ ist bestätigt."
            except programme.ProgrammeError as exc:
                st.session_state["sk_programm_notice"] = str(exc)
            st.rerun()
        if may_confirm:
            with c.popover("Entfernen", icon=":material/delete:"):
                st.markdown(f"Nur wenn **{escape_md(row.name)}** kein echtes Jugendamt ist: Das Jugendamt wird mit "
                            "allen Konten und Daten gelöscht. Zum Bestätigen den Namen eintippen.")
                typed = st.text_input("Name des Jugendamts", key=f"rm_name_{row.tenant_id}")
                if st.button("Endgültig entfernen", key=f"rm_{row.tenant_id}", type="primary",
                             disabled=fold(typed) != fold(row.name)):
                    try:
                        name = programme.remove_unconfirmed(engine, int(row.tenant_id), me, typed)
                        st.session_state["sk_programm_notice"] = f"„{name}“ wurde mit allen Daten entfernt."
                        st.rerun()
                    except programme.ProgrammeError as exc:
                        st.error(str(exc))

st.subheader("Alle Jugendämter")
only_new = st.toggle("Nur unbestätigte zeigen", key="f_nur_neu")
shown = ui.board_table(new if only_new else board)
st.dataframe(shown, hide_index=True, width="stretch")
st.caption("„Programmvergleich“: ob das Jugendamt der Teilnahme am Vergleich zugestimmt hat (nur bestätigte "
           "Jugendämter erscheinen dort). „Hochgeladene Daten“: die aktuell gespeicherten Datenarten und Jahre.")
download_buttons(shown, "programmuebersicht", key="dl_board", label="Übersicht")
