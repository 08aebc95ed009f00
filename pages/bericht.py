"""Bericht: the report for the Jugendhilfeausschuss as PDF and Excel workbook; year, sections, own texts and the
public version (suppression) chosen in a form; the files are built on submit and offered for download."""
import streamlit as st

from components import dashboard, session
from data_models import store
from data_models.audit import log
from data_models.report import SECTIONS, ReportError, ReportRequest, audit_details, build_report
from data_models.report.content import MAX_USER_TEXT
from data_models.tabular_export import safe_filename

pg = dashboard.start("Bericht", "Der Bericht für den Jugendhilfeausschuss: Kennzahlen auf einen Blick, Karte und "
                                "Vergleich der Sozialräume, Entwicklung, Leistungen, Ressourcen, Wächteramt, "
                                "Erläuterungen und Datenqualität – als PDF und mit denselben Tabellen als "
                                "Excel-Datei.", action="download")
ctx = pg.ctx
engine = session.engine()

with st.form("bericht_form"):
    c1, c2 = st.columns([1, 2])
    with c1:
        year = st.selectbox("Berichtsjahr", list(reversed(pg.years)), key="b_year",
                            help="Verglichen wird mit dem Vorjahr.")
    with c2:
        public = st.checkbox("Öffentliche Fassung (kleine Zahlen unterdrückt)", key="b_public", value=ctx.public,
                             disabled=ctx.public,
                             help="Für einen Bericht, der veröffentlicht wird: Fallzahlen von 1 oder 2 und Werte, "
                                  "aus denen sie sich errechnen ließen, werden durch „.“ ersetzt.")
    st.markdown("**Abschnitte**")
    cols = st.columns(2)
    chosen = []
    for i, (key, title) in enumerate(SECTIONS.items()):
        with cols[i % 2]:
            if st.checkbox(title, value=True, key=f"b_sec_{key}"):
                chosen.append(key)
    texts = {}
    with st.expander("Eigene Texte je Abschnitt (optional)"):
        st.caption(f"Ein kurzer Text erscheint hervorgehoben am Anfang des Abschnitts (höchstens {MAX_USER_TEXT} "
                   "Zeichen; eine Leerzeile beginnt einen neuen Absatz).")
        for key, title in SECTIONS.items():
            texts[key] = st.text_area(title, key=f"b_text_{key}", max_chars=MAX_USER_TEXT, height=80)
    submitted = st.form_submit_button("Bericht erstellen", type="primary", icon=":material/picture_as_pdf:")

if submitted:
    request = ReportRequest(year=int(year), sections=chosen, texts={k: v for k, v in texts.items() if v.strip()},
                            public=bool(public or ctx.public))
    try:
        with st.spinner("Der Bericht wird erstellt …"):
            files = build_report(pg.ds, request, versions=store.list_versions(engine, ctx.tenant.id),
                                 inventory=store.inventory(engine, ctx.tenant.id), source=pg.source,
                                 is_demo=ctx.tenant.is_demo)
    except ReportError as exc:
        st.warning(str(exc))
        st.stop()
    log(engine, ctx.tenant.id, ctx.principal.username or "Gast", "bericht",
        audit_details(request, pg.ds.data_version, ["PDF", "Excel"]))
    name = safe_filename(f"Bericht {ctx.tenant.name} {year}{' oeffentlich' if request.public else ''}", "Bericht")
    name = "_".join(p for p in name.split("_") if p)  # "Musterstadt (Demo, fiktiv)" -> no "__"
    st.success(f"Der Bericht {year} ist fertig." + (" Öffentliche Fassung: kleine Zahlen sind unterdrückt."
                                                    if request.public else " Interne Fassung mit exakten Zahlen."))
    d1, d2, _ = st.columns([1, 1, 2])
    with d1:
        st.download_button("PDF herunterladen", files.pdf, file_name=f"{name}.pdf", mime="application/pdf",
                           key="dl_bericht_pdf", on_click="ignore", icon=":material/download:", type="primary")
    with d2:
        st.download_button("Excel herunterladen", files.xlsx, file_name=f"{name}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           key="dl_bericht_xlsx", on_click="ignore", icon=":material/download:")
    st.caption("Nach einer Änderung der Auswahl bitte den Bericht neu erstellen. " + dashboard.md(pg.source))
