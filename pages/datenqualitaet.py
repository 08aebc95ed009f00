"""Data quality: what is present per year and data kind, what is missing, what to upload or fix."""
import pandas as pd
import streamlit as st

from components import data_access, session
from components.downloads import download_buttons
from data_models import quality, store

ctx = session.require("view_quality")
st.title("Datenqualität")
if ctx.tenant.is_demo:
    st.caption("Fiktive Demo-Kommune „Musterstadt“: alle Zahlen sind erfunden; die Auffälligkeiten sind absichtlich "
               "eingebaut, damit diese Seite etwas zeigt.")
ds = data_access.dataset(ctx)
if not len(ds["sozialraeume"]):
    st.info("Es sind noch keine Daten hinterlegt. Beginnen Sie mit der Masterdatei (mindestens das Blatt "
            "„Sozialräume“); die Vorlage gibt es auf der Seite „Daten hochladen“.")
    st.stop()

lines = data_access.quality_lines(ctx)
st.markdown(quality.summary_line(lines))

st.subheader("Was vorliegt")
st.caption("Je Jahr und Datenart: aus Einzeldaten umgerechnet, als Tabelle (Masterdatei) geliefert, oder fehlend (–).")
pres = quality.presence(ds)
st.dataframe(pres, hide_index=True, width="stretch")
download_buttons(pres, "datenbestand")

st.subheader("Befunde und was zu tun ist")
if lines:
    frame = pd.DataFrame([l.as_dict() for l in lines])
    st.dataframe(frame, hide_index=True, width="stretch")
    download_buttons(frame, "datenqualitaet")
else:
    st.success("Keine Auffälligkeiten gefunden.")

versions = store.list_versions(session.engine(), ctx.tenant.id)
notes = [(v.version, f) for v in versions if v.aktuell for f in v.findings]
if notes:
    st.subheader("Hinweise aus den aktuellen Uploads")
    frame = pd.DataFrame([{"Version": n, "Schwere": f["schwere"], "Datei": f["datei"], "Blatt": f["blatt"],
                           "Zeile": f["zeile"], "Spalte": f["spalte"], "Meldung": f["meldung"]} for n, f in notes])
    st.dataframe(frame, hide_index=True, width="stretch")
