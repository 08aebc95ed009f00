"""Karte: choropleth of one indicator per Sozialraum, readable without basemap tiles; click shows the profile."""
import streamlit as st

from components import dashboard, filters
from components.downloads import download_buttons
from components.map import (build_choropleth, feature_collection_from_rows, legend_items, legend_note,
                            render_choropleth)
from components.tables import render_table
from data_models.schema import GESAMT, OHNE

pg = dashboard.start("Karte", "Die gewählte Kennzahl je Sozialraum. Ein Klick auf einen Sozialraum zeigt sein Profil "
                              "im Vergleich zum Gesamtwert der Kommune.")
geo = pg.ds["geometrie"]
if not len(geo):
    st.info("Für die Karte fehlen die Sozialraumgrenzen. Laden Sie sie als GeoJSON oder gezipptes Shapefile auf der "
            "Seite „Daten hochladen“ hoch; die Tabellen der anderen Seiten funktionieren auch ohne Karte.")
    st.stop()

options = {k: v for k, v in pg.available().items() if dashboard.unit(k) != "EUR" or True}
c1, c2 = st.columns([1, 2])
with c1:
    year = filters.year(pg.years)
with c2:
    indicator = filters.indicator(options, "hze_dichte")


@st.fragment
def show_map():
    frame = pg.one(indicator, year)
    names = pg.names()
    frame = frame.assign(sozialraum=frame["sozialraum_id"].map(names).fillna(frame["sozialraum"]))
    fc = feature_collection_from_rows(geo)
    for f in fc["features"]:
        f["properties"]["name"] = names.get(f["properties"]["sozialraum_id"], f["properties"]["sozialraum_id"])
    lab, unit = dashboard.short_label(indicator), dashboard.unit(indicator)
    colours = st.radio("Farben", ["Stufen: hell = niedrig, dunkel = hoch", "Abstand zum Gesamtwert der Kommune"],
                       horizontal=True, key="f_farben")
    ref = pg.value(indicator, year) if colours.startswith("Abstand") else None
    ref = ref if ref is not None and ref > 0 else None  # no share of a missing or zero reference: levels instead
    ref_label = f"Gesamt {year}"
    deck = build_choropleth(frame, fc, lab, unit, reference=ref)
    title = f"{lab} ({unit}), {year}, je Sozialraum"
    selected = render_choropleth(deck, legend_items(frame, unit, reference=ref, reference_label=ref_label),
                                 key=f"map_{indicator}_{year}", title=title, source=pg.source,
                                 alt=f"Karte: {title}. Die Werte stehen in der Tabelle darunter.",
                                 indicator=indicator, note=legend_note(unit, ref, ref_label))
    table = frame[frame["sozialraum_id"] != OHNE][["sozialraum", "wert", "zaehler", "nenner", "einheit", "unterdrueckt"]]
    render_table(table.rename(columns={"sozialraum": "Sozialraum"}), key="karte_tabelle")
    download_buttons(frame, f"karte_{indicator}_{year}", key="dl_karte", source=pg.source)
    if selected and selected in names:
        st.subheader(f"Profil: {dashboard.md(names[selected])} ({year})")
        here = pg.ind[(pg.ind["jahr"] == year) & (pg.ind["sozialraum_id"] == selected)]
        total = pg.ind[(pg.ind["jahr"] == year) & (pg.ind["sozialraum_id"] == GESAMT)]
        prof = here[["indikator", "wert", "einheit"]].merge(
            total[["indikator", "wert"]].rename(columns={"wert": "gesamt"}), on="indikator", how="left")
        prof["Kennzahl"] = prof["indikator"].map(dashboard.label)
        prof["Differenz zu Gesamt"] = prof["wert"] - prof["gesamt"]
        prof = prof[["Kennzahl", "wert", "gesamt", "Differenz zu Gesamt", "einheit"]].rename(
            columns={"wert": "Sozialraum", "gesamt": "Gesamt", "einheit": "Einheit"})
        render_table(prof, key="profil")
        download_buttons(prof, f"profil_{selected}_{year}", key="dl_profil", source=pg.source)


show_map()
