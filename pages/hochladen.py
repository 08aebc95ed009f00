"""Upload (admins): one uploader for every kind, check, preview, save as a new version; versions and restore."""
import hashlib

import streamlit as st

from components import session
from components.data_access import masterdatei_template
from components.layout import apply_uploader_style
from components.text import escape_md
from components.tables import findings_table
from data_models import store
from data_models.importers import KIND_LABELS, detect_kind
from data_models.tenant_data import import_context, preview
from data_models.importers import run_importer

ctx = session.require("upload")
engine = session.engine()
tenant = ctx.tenant
st.title("Daten hochladen")
st.markdown(
    "Laden Sie die **Masterdatei** (Excel), **Einzeldaten** der amtlichen Statistik (HzE als Tabelle oder im "
    "Festbreiten-Format 2007, § 8a, § 42), eine **Zuordnungstabelle** (Kennnummer → Sozialraum) oder die "
    "**Sozialraumgrenzen** (GeoJSON oder gezipptes Shapefile) hoch. Jede Übernahme wird eine neue Version; "
    "frühere Versionen lassen sich wiederherstellen."
)
st.download_button("Leere Masterdatei-Vorlage herunterladen", data=masterdatei_template(),
                   file_name="Strategiekarte_Masterdatei_Vorlage.xlsx", icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

apply_uploader_style()
upload = st.file_uploader("Datei auswählen", type=["xlsx", "xls", "ods", "csv", "txt", "dat", "geojson", "json", "zip"])
if upload is not None:
    data = upload.getvalue()
    meta = st.session_state.get("sk_upload_meta")
    if not meta or meta[0] != upload.file_id:  # hash and detect once per uploaded file, not on every rerun
        meta = st.session_state["sk_upload_meta"] = (upload.file_id, hashlib.sha256(data).hexdigest(),
                                                     detect_kind(data, upload.name))
    _, digest, detected = meta
    kinds = list(KIND_LABELS)
    kind = st.selectbox("Art der Datei", kinds, index=kinds.index(detected) if detected in kinds else 0,
                        format_func=KIND_LABELS.get,
                        help="Automatisch erkannt – ändern Sie die Auswahl, falls die Erkennung nicht passt.")
    year = crs = id_property = None
    if kind == "hze-festbreite":
        year = st.number_input("Berichtsjahr", min_value=2000, max_value=2100, value=None, step=1)
    if kind == "geometrie":
        crs = st.selectbox("Koordinatensystem, falls die Datei keines angibt", [None, "EPSG:25832", "EPSG:25833",
                           "EPSG:4647", "EPSG:5650", "EPSG:31466", "EPSG:31467", "EPSG:31468", "EPSG:31469",
                           "EPSG:4326"], format_func=lambda v: "aus der Datei" if v is None else v)
        id_property = st.text_input("Eigenschaft mit der Sozialraum-ID (leer = automatisch)") or None
    key = (digest, kind, year, crs, id_property, store.data_version(engine, tenant.id))
    if st.button("Datei prüfen", type="primary"):
        with st.status("Datei wird verarbeitet …", expanded=True) as status:
            bar = st.progress(0, text="Lesen")
            st.write("1. Lesen und prüfen")
            ictx = import_context(engine, tenant.id, year=int(year) if year else None, crs=crs, id_property=id_property)
            result = run_importer(data, upload.name, kind, ictx)
            bar.progress(60, text="Umrechnen")
            st.write("2. Umrechnen und mit den gespeicherten Daten vergleichen")
            diff = preview(engine, tenant.id, result) if result.ok else None
            bar.progress(100, text="Fertig")
            status.update(label="Prüfung abgeschlossen" if result.ok else "Die Datei enthält Fehler",
                          state="complete" if result.ok else "error")
        st.session_state["sk_pending"] = {"key": key, "result": result, "diff": diff, "data": data}
    pending = st.session_state.get("sk_pending")
    if pending and pending["key"] == key:
        result = pending["result"]
        if result.findings:
            findings_table(result.findings, name=f"pruefung_{upload.name}")
        if not result.ok:
            st.error("Die Datei enthält Fehler. Es wurde nichts gespeichert. Bitte korrigieren Sie die genannten "
                     "Stellen und laden Sie die Datei erneut hoch.")
        else:
            st.subheader("Vorschau: das würde sich ändern")
            st.dataframe(pending["diff"], hide_index=True, width="stretch")
            if st.button("Übernehmen", type="primary"):
                with st.spinner("Speichern …"):
                    try:
                        version = store.save_import(engine, tenant.id, ctx.principal.username, result,
                                                    pending["data"])
                    except store.StoreError as exc:  # disk full, read-only database: nothing was stored
                        st.error(str(exc))
                        st.stop()
                st.session_state.pop("sk_pending", None)
                st.session_state["sk_saved"] = version
                st.rerun()
saved = st.session_state.pop("sk_saved", None)
if saved:
    st.success(f"Die Daten sind übernommen (Version {saved}).")
    st.page_link("pages/uebersicht.py", label="Zur Übersicht", icon=":material/dashboard:")

st.divider()
st.subheader("Versionen")
versions = store.list_versions(engine, tenant.id)
if not versions:
    st.info("Noch keine Daten hochgeladen. Beginnen Sie mit der Masterdatei (mindestens das Blatt „Sozialräume“).")
for v in reversed(versions):
    c1, c2 = st.columns([5, 1])
    current = ("noch aktuell: " + store.describe(v.aktuell)) if v.aktuell else "durch spätere Uploads ersetzt"
    extra = f" (Wiederherstellung von Version {v.rollback_of})" if v.rollback_of else ""
    c1.markdown(f"**Version {v.version}**{extra} · {v.zeitpunkt:%d.%m.%Y %H:%M} · {escape_md(v.benutzer)} · "
                f"{escape_md(v.datei)}  \n{v.describe_arten()}  \n_{current}_")
    if c2.button("Wiederherstellen", key=f"rb{v.version}", disabled=v.version == versions[-1].version):
        try:
            n = store.rollback(engine, tenant.id, ctx.principal.username, v.version)
        except store.StoreError as exc:
            st.error(str(exc))
            st.stop()
        st.success(f"Version {v.version} ist wieder aktuell (als Version {n}).")
        st.rerun()
