"""Colours carry no judgement: levels sequential, diverging only around a stated reference named in the legend."""
from __future__ import annotations

import math

import pytest

from components import map as cmap
from components import theme
from tests.components.factories import square, tidy


def _frame(values):
    rows = [(2023, f"{i:02d}", f"Bezirk {i}", v, None, None, False) for i, v in enumerate(values, start=1)]
    rows.append((2023, "GESAMT", "Gesamt", 50.0, 1, 1, False))
    return tidy(rows)


def _fc(n):
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"sozialraum_id": f"{i:02d}"}, "geometry": square(7.0 + 0.01 * i, 51.0)}
        for i in range(1, n + 1)]}


def test_classes_around_a_reference_by_hand():
    # reference 50: edges at 80 %, 90 %, 110 %, 120 % -> 40, 45, 55, 60; intervals closed on the right
    c = cmap.classify_around(50.0)
    assert c.edges == (-math.inf, 40.0, 45.0, 55.0, 60.0, math.inf) and c.reference == 50.0
    assert c.colors == tuple(theme.diverging(5))
    assert [c.index(v) for v in (10, 40, 40.1, 45, 50, 55, 55.1, 60, 61)] == [0, 0, 1, 1, 2, 2, 3, 3, 4]
    assert c.color(50) == theme.NEUTRAL_COLOR and c.color(70) == theme.ABOVE_COLOR and c.color(30) == theme.BELOW_COLOR
    for bad in (0, -3, None, float("nan")):
        with pytest.raises(ValueError):
            cmap.classify_around(bad)


def test_legend_names_the_reference_and_the_shares():
    items = cmap.legend_items(_frame([30.0, 44.0, 50.0, 52.0, 58.0, 90.0, None]), "%", reference=50.0,
                              reference_label="Gesamt 2023")
    assert [i["text"] for i in items] == [
        "bis 40,0 % (bis 80 % des Bezugswerts)",
        "über 40,0 bis 45,0 % (über 80 bis 90 % des Bezugswerts)",
        "über 45,0 bis 55,0 % (über 90 bis 110 % des Bezugswerts) – Gesamt 2023: 50,0 %",
        "über 55,0 bis 60,0 % (über 110 bis 120 % des Bezugswerts)",
        "über 60,0 % (über 120 % des Bezugswerts)",
        "keine Daten"]
    assert [i["anzahl"] for i in items] == [1, 1, 2, 1, 1, 1]
    assert [i["farbe"] for i in items[:5]] == theme.diverging(5)
    note = cmap.legend_note("%", 50.0, "Gesamt 2023")
    assert note.startswith("Farben: Abstand zum Bezugswert Gesamt 2023 = 50,0 %") and "werten nicht" in note


def test_map_uses_diverging_colours_only_with_a_reference():
    frame = _frame([30.0, 50.0, 90.0])
    plain = cmap.build_choropleth(frame, _fc(3), "Anteil", "%")
    fills = [f["properties"]["fill"] for f in plain.layers[0].data["features"]]
    blues = [theme.hex_to_rgba(c, cmap.FILL_ALPHA) for k in range(1, 10) for c in theme.sequential(k)]
    assert all(f in blues for f in fills)
    assert not set(map(tuple, fills)) & {tuple(theme.hex_to_rgba(c, cmap.FILL_ALPHA)) for c in theme.diverging(5)}
    around = cmap.build_choropleth(frame, _fc(3), "Anteil", "%", reference=50.0)
    fills = [f["properties"]["fill"] for f in around.layers[0].data["features"]]
    assert fills == [theme.hex_to_rgba(c, cmap.FILL_ALPHA)
                     for c in (theme.BELOW_COLOR, theme.NEUTRAL_COLOR, theme.ABOVE_COLOR)]
    assert cmap.legend_note() == theme.LEVELS_NOTE and "werten nicht" in theme.LEVELS_NOTE


def _lightness(hex_color):
    r, g, b = (int(hex_color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return (max(r, g, b) + min(r, g, b)) / 2


def test_no_alarm_colour_for_a_selection_and_levels_in_one_hue():
    # a selected bar is a darker shade of the bar colour's hue family (Blues), not an alarm colour
    assert theme.HIGHLIGHT_COLOR.lower() == theme.sequential(9)[-1]
    r, g, b = (int(theme.HIGHLIGHT_COLOR[i:i + 2], 16) for i in (1, 3, 5))
    assert b > r and b > g
    for k in range(3, 10):
        lights = [_lightness(c) for c in theme.sequential(k)]
        assert lights == sorted(lights, reverse=True)  # light = low, dark = high
    # the diverging ends are orange and purple (PuOr), not red and green
    assert theme.BELOW_COLOR == "#e66101" and theme.ABOVE_COLOR == "#5e3c99"
