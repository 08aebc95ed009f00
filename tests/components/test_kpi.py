from components import theme
from components.kpi import Kpi, kpi_view


def test_rate_with_relative_change_and_sparkline():
    v = kpi_view(Kpi("Eckwert HzE (ohne EB)", 31.42, "je 1.000 unter 21", year=2023, change=5.24,
                     history=[28.0, None, 29.86, 31.42], help="HzE-Fälle je 1.000 Einwohner unter 21"))
    # markdown-escaped (st.metric labels are markdown); renders as "Eckwert HzE (ohne EB) 2023, je 1.000 unter 21":
    # a rate's unit stands in the label, so the value is a short number that fits a tile of four in a row
    assert v.label == "Eckwert HzE \\(ohne EB\\) 2023, je 1\\.000 unter 21"
    assert v.value == "31,4"
    assert v.delta == "+5,2 %" and v.delta_description == "gegenüber 2022"
    assert v.chart_data == [28.0, 29.86, 31.42]  # the missing year is left out
    assert v.help == "HzE-Fälle je 1.000 Einwohner unter 21"


def test_rate_label_names_its_unit_once():
    v = kpi_view(Kpi("Inobhutnahmen je 10.000 unter 18", 35.71, "je 10.000 unter 18", year=2024))
    assert v.label == "Inobhutnahmen 2024, je 10\\.000 unter 18" and v.value == "35,7"
    assert kpi_view(Kpi("Verfahren je 10.000 unter 18", None, "je 10.000 unter 18")).value == "keine Daten"


def test_percent_indicator_changes_in_percentage_points():
    v = kpi_view(Kpi("Anteil stationärer Hilfen", 33.0, "%", year=2023, change=3.0))
    assert v.value == "33,0 %" and v.delta == "+3,0 Prozentpunkte"
    v = kpi_view(Kpi("Anteil stationärer Hilfen", 30.0, "%", change=-1.5))
    assert v.delta == "-1,5 Prozentpunkte" and v.delta_description == "gegenüber dem Vorjahr"
    v = kpi_view(Kpi("Anteil", 30.0, "%", change=0.0))
    assert v.delta == "±0,0 Prozentpunkte" and v.zero_change


def test_counts_without_decimals_and_missing_values():
    v = kpi_view(Kpi("HzE-Fälle (ohne EB)", 1571, "Fälle"))
    assert v.value == "1.571 Fälle" and v.delta is None and v.chart_data == []
    assert kpi_view(Kpi("HzE-Fälle (ohne EB)", None, "Fälle")).value == "keine Daten"


def test_suppressed_value_and_escaped_place():
    v = kpi_view(Kpi("Inobhutnahmen", None, "Maßnahmen", change=100.0, history=[1, 2], suppressed=True,
                     where="<b>Süd</b>_1"))
    assert v.value == "." and v.delta is None and v.chart_data == []
    assert v.help == theme.SUPPRESSED_FOOTNOTE
    assert v.label == "Inobhutnahmen – &lt;b&gt;Süd&lt;/b&gt;\\_1"
