"""German number formats with Excel-like rounding."""
import math

import pandas as pd
import pytest

from data_models.formatting import fmt_change, fmt_de, fmt_eur, fmt_int, fmt_percent, fmt_value, round_half_away


@pytest.mark.parametrize("value, decimals, expected", [
    (31.45, 1, "31,5"),  # half away from zero, like Excel (banker's rounding would give 31,4)
    (31.449999999999996, 1, "31,5"),  # 1573 / 50,000 style float noise: read with 15 digits like Excel
    (31.44, 1, "31,4"),
    (1234.5, 1, "1.234,5"),
    (1234567.891, 2, "1.234.567,89"),
    (-0.25, 1, "-0,3"),
    (-1234.55, 1, "-1.234,6"),
    (-0.04, 1, "0,0"),  # no "-0,0"
    (2.675, 2, "2,68"),
    (0.5, 0, "1"),
    (1500, 0, "1.500"),
    (0, 1, "0,0"),
])
def test_fmt_de(value, decimals, expected):
    assert fmt_de(value, decimals) == expected


def test_missing_values():
    for missing in (None, float("nan"), pd.NA, math.inf):
        assert fmt_de(missing) == "keine Daten"
    assert fmt_de(None, missing="–") == "–"
    assert fmt_eur(None) == "keine Daten"


def test_round_half_away_returns_decimal():
    assert str(round_half_away(2.5, 0)) == "3"
    assert str(round_half_away(-2.5, 0)) == "-3"


def test_fmt_change_percent_and_prozentpunkte():
    assert fmt_change(3, "pp") == "+3,0 Prozentpunkte"
    assert fmt_change(10, "percent") == "+10,0 %"
    assert fmt_change(-2.25) == "-2,3 %"
    assert fmt_change(0.04) == "±0,0 %"
    assert fmt_change(None) == "–"
    with pytest.raises(ValueError):
        fmt_change(1, "prozent")


def test_fmt_eur_int_percent_value():
    assert fmt_eur(1234567.8) == "1.234.568 €"
    assert fmt_eur(1234.5, 2) == "1.234,50 €"
    assert fmt_int(0, zero_dash=True) == "–"
    assert fmt_int(1571) == "1.571"
    assert fmt_percent(33.333) == "33,3 %"
    assert fmt_value(31.45, "je 1.000 unter 21") == "31,5"
    assert fmt_value(1571.0, "Fälle") == "1.571"
    assert fmt_value(0, "Fälle", public=True) == "–"
    assert fmt_value(45000.4, "EUR") == "45.000 €"
    assert fmt_value(25, "%") == "25,0 %"
    assert fmt_value(None, "%") == "keine Daten"
    assert fmt_value(None, "Fälle", suppressed=True) == "."
