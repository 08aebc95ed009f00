"""Teilen und Workshops (tenant admins): consent to the programme comparison, and workshop links that open the
tenant's dashboard read-only for guests, with small numbers suppressed."""
import streamlit as st

from components import session
from components import workshop as ws
from components.text import escape_md
from data_models import accounts, workshops

ctx = session.require("manage_settings")
engine = session.engine()
tenant = accounts.get_tenant(engine, ctx.tenant.id)  # fresh: consent may have changed in another session
me = ctx.principal.username
st.title("Teilen und Workshops")
notice = st.session_state.pop("sk_teilen_notice", None)
if notice:
    st.success(notice)

# --- consent -----------------------------------------------------------------------------------------------------
st.subheader("Teilnahme am Programmvergleich")
if tenant.confirmed:
    st.caption("Ihr Jugendamt ist von der Programmkoordination bestätigt.")
else:
    st.warning("Ihr Jugendamt ist noch nicht von der Programmkoordination bestätigt. Sie können mit Ihren Daten "
               "arbeiten wie gewohnt; im Vergleich erscheint Ihr Jugendamt erst nach der Bestätigung – auch wenn Sie "
               "schon zustimmen.", icon=":material/pending:")
st.markdown(
    """
**Was die Programmkoordination immer sieht** (ohne Zahlen): Name, Art und Schlüssel Ihres Jugendamts, das Datum der
Registrierung, ob es bestätigt ist, welche Datenarten und Jahre hochgeladen sind und wann zuletzt.

**Was sie zusätzlich sieht, wenn Sie zustimmen:** die **Gesamtwerte** Ihres Jugendamts (alle Kennzahlen, je Jahr)
im Vergleich mit den anderen teilnehmenden Jugendämtern – als Rangfolge, über die Jahre und SGB-II-Quote gegen
Eckwert HzE. Dabei gilt:
- **keine Sozialraumwerte und keine Einzeldaten** – nie;
- Fallzahlen von 1 oder 2 und Werte, aus denen sie sich errechnen ließen, werden unterdrückt („.“), ebenso Quoten
  auf einer Bevölkerung unter 100;
- andere Jugendämter sehen Ihre Werte nicht; die Koordination kann den Vergleich herunterladen.

Die Zustimmung ist freiwillig, standardmäßig aus und jederzeit widerrufbar: Danach fehlt Ihr Jugendamt sofort im
Vergleich. Jede Änderung steht im Protokoll.
"""
)
consent = st.toggle("Am Programmvergleich teilnehmen", value=tenant.consent, key=f"consent_{tenant.consent}")
if consent != tenant.consent:
    accounts.set_consent(engine, tenant.id, me, consent)
    st.session_state["sk_teilen_notice"] = ("Zustimmung erteilt: Ihre Gesamtwerte erscheinen im Programmvergleich"
                                            + ("." if tenant.confirmed else ", sobald Ihr Jugendamt bestätigt ist.")
                                            if consent else "Zustimmung zurückgenommen: Ihr Jugendamt ist nicht "
                                            "mehr im Programmvergleich.")
    st.rerun()

# --- workshop links ----------------------------------------------------------------------------------------------
st.subheader("Workshop-Links")
st.markdown(
    f"""
Ein Workshop-Link öffnet die Auswertungsseiten Ihres Jugendamts **ohne Konto und nur lesend** – z. B. für einen
Workshop mit Trägern oder den Jugendhilfeausschuss. Gäste sehen dieselben Seiten wie Sie, aber Fallzahlen von 1 oder
2 (und was sich aus ihnen errechnen ließe) sind unterdrückt; Hochladen, Datenqualität und Verwaltung sehen sie nicht.
Ein Link gilt höchstens {workshops.MAX_DAYS} Tage (voreingestellt {workshops.DEFAULT_DAYS}) und lässt sich jederzeit
widerrufen. Wer ihn kennt, kann ihn weitergeben: teilen Sie ihn nur im Workshop.

Tipp: Öffnen Sie den Link selbst in einem privaten Fenster, wählen Sie Jahr und Kennzahl – die Adresse in der
Browserzeile enthält dann diese Auswahl und lässt sich so weitergeben.
"""
)
PAGES = {"": "Übersicht", "karte": "Karte", "sozialraeume": "Sozialräume", "entwicklung": "Entwicklung",
         "leistungen": "Leistungen", "ressourcen": "Ressourcen", "gefaehrdung": "Gefährdungseinschätzungen",
         "inobhutnahmen": "Inobhutnahmen"}
with st.form("workshop_neu", clear_on_submit=True):
    label = st.text_input("Bezeichnung", max_chars=workshops.MAX_LABEL,
                          placeholder="z. B. Workshop Jugendhilfeausschuss März")
    c1, c2, c3 = st.columns(3)
    days = c1.number_input("Gültig (Tage)", min_value=1, max_value=workshops.MAX_DAYS, value=workshops.DEFAULT_DAYS)
    start = c2.selectbox("Startseite", list(PAGES), format_func=PAGES.get)
    praes = c3.checkbox("im Präsentationsmodus öffnen")
    created = st.form_submit_button("Workshop-Link erstellen", type="primary", icon=":material/add_link:")
if created:
    try:
        token, link = workshops.create_link(engine, tenant.id, me, label, int(days))
        base = st.context.url or ""
        base = base.split("?")[0].rstrip("/")
        if base.endswith("/teilen"):
            base = base[: -len("/teilen")]
        url = ws.link_path(token, base, start) + ("&praesentation=1" if praes else "")
        st.success(f"Workshop-Link „{escape_md(link.label)}“ erstellt, gültig bis {link.expires_at:%d.%m.%Y}. "
                   "Der Link wird nur jetzt angezeigt – kopieren Sie ihn:")
        st.code(url, language=None)
    except workshops.WorkshopError as exc:
        st.error(str(exc))

links = workshops.list_links(engine, tenant.id)
if not links:
    st.caption("Noch keine Workshop-Links.")
for link in links:
    status = link.status()
    with st.container(border=True):
        a, b = st.columns([5, 1])
        a.markdown(f"**{escape_md(link.label)}** · {status} · erstellt am {link.created_at:%d.%m.%Y} von "
                   f"{escape_md(link.created_by)} · gültig bis {link.expires_at:%d.%m.%Y}")
        if status == workshops.STATUS_ACTIVE and b.button("Widerrufen", key=f"revoke_{link.id}",
                                                          icon=":material/link_off:"):
            workshops.revoke_link(engine, tenant.id, me, link.id)
            st.session_state["sk_teilen_notice"] = f"Workshop-Link „{link.label}“ widerrufen."
            st.rerun()
