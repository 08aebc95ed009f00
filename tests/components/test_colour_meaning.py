"""No meaning by colour alone (WCAG 1.4.1): every colour-coded mark also differs in shape, pattern or width, or is
named in text."""
from __future__ import annotations

from components import charts, theme
from tests.components.factories import tidy


def frame():
    return tidy([(2023, "01", "Nord", 31.0, 10, 300, False), (2023, "02", "Süd", 20.0, 8, 400, False),
                 (2022, "01", "Nord", 30.0, 9, 300, False), (2022, "02", "Süd", 21.0, 8, 380, False),
                 (2023, "GESAMT", "Gesamt", 25.0, 18, 700, False), (2022, "GESAMT", "Gesamt", 24.0, 17, 680, False)])


def test_selected_bar_is_hatched_as_well_as_darker():
    bar = charts.ranking_bar(frame(), "Eckwert", "je 1.000 unter 21", 2023, highlight="02").data[0]
    assert list(bar.y) == ["Nord", "Süd"]
    assert list(bar.marker.color) == [theme.CATEGORICAL[0], theme.HIGHLIGHT_COLOR]
    assert list(bar.marker.pattern.shape) == ["", "/"]
    plain = charts.ranking_bar(frame(), "Eckwert", "je 1.000 unter 21", 2023).data[0]
    assert list(plain.marker.pattern.shape) == ["", ""]


def test_reference_and_highlighted_line_differ_in_dash_and_width():
    fig = charts.trend_chart(frame(), "Eckwert", "je 1.000 unter 21", highlight="02")
    lines = {t.name: t.line for t in fig.data}
    ges = [line for name, line in lines.items() if "Gesamt" in name][0]
    assert ges.dash == "dash"  # the reference is dashed, not only black
    widths = sorted(line.width for name, line in lines.items() if "Gesamt" not in name)
    assert widths == [2, 3.5]  # the highlighted series is thicker
