"""The Streamlit render helpers run without errors against the real Streamlit API (AppTest)."""
from streamlit.testing.v1 import AppTest


def _app():
    import json

    import pandas as pd

    from components.charts import render_chart, trend_chart
    from components.downloads import download_buttons
    from components.empty_state import render_empty_state
    from components.kpi import Kpi, render_kpi_row
    from components.map import build_choropleth, legend_items, render_choropleth
    from components.tables import findings_table, render_table
    from data_models.findings import FEHLER, Finding
    from tests.components.factories import square, trend_frame

    frame = trend_frame()
    render_kpi_row([
        Kpi("Eckwert HzE (ohne EB)", 31.42, "je 1.000 unter 21", year=2023, change=5.2, history=[28, 30, 31.42],
            help="HzE-Fälle je 1.000 unter 21", details="**Formel:** Fälle / u21 × 1.000"),
        Kpi("Anteil stationär", 30.0, "%", year=2023, change=-1.5, details="Anteil an allen HzE-Fällen"),
        Kpi("Inobhutnahmen", None, "Maßnahmen", suppressed=True),
    ])
    render_chart(trend_chart(frame, "Eckwert HzE (ohne EB)", "je 1.000 unter 21", source="Quelle: Test"),
                 filename="trend", key="trend", table=frame)
    one = frame[frame.jahr == 2023]
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"sozialraum_id": "01"}, "geometry": square(7.0, 51.0)},
        {"type": "Feature", "properties": {"sozialraum_id": "02"}, "geometry": square(7.01, 51.0)}]}
    deck = build_choropleth(one, fc, "Eckwert HzE (ohne EB)", "je 1.000 unter 21")
    render_choropleth(deck, legend_items(one, "je 1.000 unter 21"), key="karte", title="Karte", source="Quelle: Test")
    render_table(frame, key="tabelle")
    download_buttons(frame, "Eckwert HzE", key="dl")
    findings_table([Finding(FEHLER, "Unbekannter Code.", datei="m.xlsx", blatt="HzE", zeile=i, spalte="Art",
                            wert="=1+1", art="code") for i in range(60)], name="pruefung_m.xlsx", verdict=True)
    findings_table([], name="leer")
    render_empty_state(["bevoelkerung"], is_admin=True, what="die Karte")


def test_render_helpers_run():
    at = AppTest.from_function(_app).run(timeout=30)
    assert not at.exception, at.exception
    assert [m.value for m in at.metric] == ["31,4", "30,0 %", "."]  # a rate's unit stands in the label
    assert at.metric[0].label.replace("\\", "") == "Eckwert HzE (ohne EB) 2023, je 1.000 unter 21"
    assert [m.delta for m in at.metric][:2] == ["+5,2 %", "-1,5 Prozentpunkte"]
    assert any("geheim zu halten" in c.value for c in at.caption)
    assert any("… und 10 weitere Meldungen" in c.value for c in at.caption)
    assert at.error and "1 Fehler" not in at.error[0].value and at.error[0].value.startswith("60 Fehler")
    assert any(m.value == "**Meldungen:** keine" for m in at.markdown)
    assert any("Für diese Ansicht fehlen Daten" in i.value for i in at.info)
