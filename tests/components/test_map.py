import json
import math

import pandas as pd
import pytest

from components import map as cmap
from components import theme
from tests.components.factories import EVIL, square, tidy

UNIT = "%"


def _frame_five():
    """Values 10..50 in districts 01..05, 06 without value, 07 suppressed, plus GESAMT/OHNE (ignored)."""
    rows = [(2023, f"0{i}", f"Bezirk {i}", 10.0 * i, i, 100, False) for i in range(1, 6)]
    rows += [(2023, "06", "Süd", None, None, None, False), (2023, "07", EVIL, None, None, None, True),
             (2023, "GESAMT", "Gesamt", 99.0, 1, 1, False), (2023, "OHNE", "nicht zuordenbar", 0.0, 0, 1, False)]
    return tidy(rows)


def _fc(ids, n=4, extra=True):
    feats = []
    for k, sid in enumerate(ids):
        props = {"sozialraum_id": sid}
        if extra:
            props.update({"FLAECHE_QM": 123456.789, "Bemerkung": "x" * 200})
        feats.append({"type": "Feature", "properties": props, "geometry": square(7.0 + 0.01 * k, 51.0, 0.01, n)})
    return {"type": "FeatureCollection", "features": feats}


def test_quantile_breaks_by_hand():
    # n = 5, position (n-1)*p: 0, 0.8, 1.6, 2.4, 3.2, 4 -> 10, 18, 26, 34, 42, 50 (linear interpolation)
    c = cmap.classify([50, 10, 30, 20, 40], 5, "quantile")
    assert c.edges == (10.0, 18.0, 26.0, 34.0, 42.0, 50.0)
    assert c.colors == tuple(theme.sequential(5))
    assert [c.index(v) for v in (10, 18, 18.5, 26, 34.1, 50)] == [0, 0, 1, 1, 3, 4]  # (a, b] intervals
    assert c.index(None) is None and c.color(None) == theme.NO_DATA_COLOR


def test_equal_interval_breaks_by_hand():
    # min 0, max 10, k 2 -> edges 0, 5, 10; 5 falls in the first class (closed on the right)
    c = cmap.classify([0, 5, 7, 10], 2, "gleich")
    assert c.edges == (0.0, 5.0, 10.0)
    assert [c.index(v) for v in (0, 5, 7, 10)] == [0, 0, 1, 1]


def test_merged_edges_and_constant_values():
    # positions 0, 1, 2, 3, 4 of [5, 5, 5, 5, 10] -> 5, 5, 5, 5, 10 -> unique edges 5, 10: one class
    c = cmap.classify([5, 5, 5, 5, 10], 4, "quantile")
    assert c.edges == (5.0, 10.0) and c.k == 1
    one = cmap.classify([7, 7, 7], 5)
    assert one.edges == (7.0, 7.0) and one.index(7) == 0
    assert cmap.classify([None, float("nan")], 5).k == 0
    with pytest.raises(ValueError):
        cmap.classify([1, 2], 5, "jenks")


def test_legend_items():
    items = cmap.legend_items(_frame_five(), UNIT, 5)
    assert [i["text"] for i in items] == [
        "von 10,0 bis 18,0 %", "über 18,0 bis 26,0 %", "über 26,0 bis 34,0 %", "über 34,0 bis 42,0 %",
        "über 42,0 bis 50,0 %", "keine Daten", "„.“ geheim zu halten"]
    assert [i["anzahl"] for i in items] == [1, 1, 1, 1, 1, 1, 1]
    assert items[-1]["farbe"] == items[-2]["farbe"] == theme.NO_DATA_COLOR
    assert list(cmap.legend_frame(items).columns) == ["Farbe", "Klasse", "Sozialräume"]


def test_choropleth_colours_properties_and_offline_basemap():
    ids = ["01", "02", "03", "04", "05", "06", "07", "99"]
    deck = cmap.build_choropleth(_frame_five(), _fc(ids), "Anteil unter 21", UNIT, 5)
    # pydeck's sentinel: Streamlit's frontend then draws no base map (None would load CARTO's from the internet)
    assert deck.map_provider is None and deck.map_style == "__MAP_STYLE__"
    spec = json.loads(deck.to_json())
    assert spec["mapStyle"] == "__MAP_STYLE__" and "cartocdn" not in deck.to_json()
    geo = next(l for l in spec["layers"] if l["@@type"] == "GeoJsonLayer")
    assert geo["id"] == "sozialraeume" and geo["getFillColor"] == "@@=properties.fill"
    props = {f["properties"]["id"]: f["properties"] for f in geo["data"]["features"]}
    blues = theme.sequential(5)
    assert props["01"]["fill"] == theme.hex_to_rgba(blues[0], 220)
    assert props["05"]["fill"] == [8, 81, 156, 220]  # #08519c
    grey = [189, 189, 189, 220]  # #BDBDBD
    assert props["06"]["fill"] == props["07"]["fill"] == props["99"]["fill"] == grey
    assert props["06"]["wert"] == "keine Daten" and props["99"]["wert"] == "keine Daten"
    assert props["07"]["wert"] == ". (geheim zu halten)" and props["07"]["zaehler"] == ""
    assert props["03"]["wert"] == "30,0 %" and props["03"]["detail"] == "Zähler: 3 · Nenner: 100"
    assert props["99"]["name"] == "99"  # a feature without a row: named by its id
    # unused properties are dropped
    assert set(props["01"]) == {"id", "name", "wert", "zaehler", "nenner", "detail", "fill", "line", "lw"}


def test_tooltip_is_text_only_and_names_cannot_inject_html():
    deck = cmap.build_choropleth(_frame_five(), _fc(["07"]), "Anteil unter 21", UNIT)
    tip = deck._tooltip
    # a text tooltip is written with innerText: "<script>" in a name is shown, never parsed
    assert "html" not in tip and tip["text"] == "{name}\nAnteil unter 21: {wert}\n{detail}"
    spec = json.loads(deck.to_json())
    feat = spec["layers"][0]["data"]["features"][0]
    assert feat["properties"]["name"] == EVIL
    labels = spec["layers"][1]
    assert labels["@@type"] == "TextLayer" and labels["data"][0]["text"] == EVIL + "\n."


def test_labels_carry_umlauts_and_values():
    deck = cmap.build_choropleth(_frame_five(), _fc(["01", "06"]), "Anteil unter 21", UNIT)
    text_layer = json.loads(deck.to_json())["layers"][1]
    assert [d["text"] for d in text_layer["data"]] == ["Bezirk 1\n10,0", "Süd\nkeine Daten"]
    assert "ü" in text_layer["characterSet"] and "," in text_layer["characterSet"]
    # the label point lies inside the district's bounds
    lon, lat = text_layer["data"][0]["position"]
    assert 7.0 <= lon <= 7.01 and 51.0 <= lat <= 51.01


def test_coordinates_rounded_to_five_decimals():
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"sozialraum_id": "01"},
          "geometry": {"type": "MultiPolygon", "coordinates": [[[[7.123456789, 51.0], [7.2, 51.0000001],
                                                                  [7.2, 51.1], [7.123456789, 51.0]]]]}}]}
    deck = cmap.build_choropleth(_frame_five(), fc, "Anteil unter 21", UNIT)
    geom = json.loads(deck.to_json())["layers"][0]["data"]["features"][0]["geometry"]
    assert geom["coordinates"][0][0][:3] == [[7.12346, 51.0], [7.2, 51.0], [7.2, 51.1]]


def test_view_fits_bounds():
    bounds = (7.0, 51.0, 7.2, 51.1)
    vs = cmap.fit_view(bounds, 700, 500)
    assert vs.longitude == pytest.approx(7.1)
    assert 51.0 < vs.latitude < 51.1
    # at that zoom the bounds must fit; deck.gl's world is 512 * 2^zoom px: width in px = span * 512 * 2^zoom / 360
    x_px = 0.2 * 512 * 2 ** vs.zoom / 360
    y_px = (cmap._merc(51.1) - cmap._merc(51.0)) * 512 * 2 ** vs.zoom / (2 * math.pi)
    assert x_px <= 700 and y_px <= 500
    # and it is not zoomed out needlessly: one more zoom level would not fit
    assert x_px * 2 > 700 or y_px * 2 > 500


def test_payload_of_30_districts_is_small():
    frame = tidy([(2023, f"{i:02d}", f"Sozialraum {i}", float(i), i, 1000, False) for i in range(30)])
    fc = _fc([f"{i:02d}" for i in range(30)], n=600)  # 600 vertices each, full float precision
    deck = cmap.build_choropleth(frame, fc, "Eckwert HzE (ohne EB)", "je 1.000 unter 21")
    size = cmap.deck_payload_size(deck)
    assert size < 2_000_000
    assert size < len(json.dumps(fc))  # rounding and dropping properties made it smaller than the input


def test_rows_from_stored_geometry_table():
    geo = pd.DataFrame({"sozialraum_id": ["01", "02"],
                        "geometrie": [json.dumps(square(7.0, 51.0)), None]})
    fc = cmap.feature_collection_from_rows(geo)
    assert [f["properties"]["sozialraum_id"] for f in fc["features"]] == ["01"]


def test_selected_sozialraum():
    event = {"selection": {"indices": {"sozialraeume": [0]},
                           "objects": {"sozialraeume": [{"properties": {"id": "03", "name": "Ost"}}]}}}
    assert cmap.selected_sozialraum(event) == "03"
    assert cmap.selected_sozialraum({"selection": {"indices": {}, "objects": {}}}) is None
    assert cmap.selected_sozialraum(None) is None


def test_selected_district_has_thick_outline():
    deck = cmap.build_choropleth(_frame_five(), _fc(["01", "02"]), "Anteil unter 21", UNIT, selected="02")
    props = [f["properties"] for f in json.loads(deck.to_json())["layers"][0]["data"]["features"]]
    assert [p["lw"] for p in props] == [1, 3]


def test_label_point_is_centroid_inside_or_a_point_inside():
    from shapely.geometry import Point, shape

    assert cmap._label_point(square(7.0, 51.0, 0.01, 4)) == (7.005, 51.005)  # symmetric: the centre
    # a U shape: the centroid (x 1.5, y ~1.17) lies in the notch, outside the polygon
    u = {"type": "Polygon", "coordinates": [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]]}
    x, y = cmap._label_point(u)
    assert shape(u).contains(Point(x, y))
    # a multipolygon: the label goes into the larger part
    multi = {"type": "MultiPolygon", "coordinates": [square(0, 0, 1)["coordinates"], square(5, 5, 3)["coordinates"]]}
    x, y = cmap._label_point(multi)
    assert 5 <= x <= 8 and 5 <= y <= 8
