"""Sozialstruktur on the hand-computed tenant `musterdorf` (tests/data_models/factories.py)."""
import pytest

from data_models.indicators import compute_indicators
from tests.data_models.factories import Builder, cell, musterdorf


@pytest.fixture(scope="module")
def f():
    return compute_indicators(musterdorf())


def test_population_counts(f):
    # 2022: u21 01 = 5000, 02 = 2500, 03 = 1000; 05 is outside its gültig years and ignored
    assert cell(f, 2022, "01", "bev_u21") == (5000, 5000, None)
    assert cell(f, 2022, "01", "bev_u18") == (4000, 4000, None)
    assert cell(f, 2022, "GESAMT", "bev_u21") == (8500, 8500, None)  # 5000 + 2500 + 1000
    assert cell(f, 2022, "GESAMT", "bev_insgesamt") == (35000, 35000, None)  # 20000 + 10000 + 5000
    assert cell(f, 2022, "GESAMT", "bev_u18") == (6800, 6800, None)  # 4000 + 2000 + 800


def test_anteil_u21(f):
    assert cell(f, 2022, "01", "anteil_u21") == (25.0, 5000, 20000)  # 5000 × 100 / 20000
    assert cell(f, 2022, "03", "anteil_u21") == (20.0, 1000, 5000)  # 1000 × 100 / 5000
    w, z, n = cell(f, 2022, "GESAMT", "anteil_u21")
    assert (z, n) == (8500, 35000) and w == 8500 * 100 / 35000  # 24.2857..., divided once


def test_sgb2_quote_and_gesamt_null_when_a_sozialraum_lacks_the_sheet_row(f):
    assert cell(f, 2022, "01", "sgb2_quote_u15") == (10.0, 300, 3000)  # 300 × 100 / 3000
    assert cell(f, 2022, "02", "sgb2_quote_u15") == (30.0, 450, 1500)  # 450 × 100 / 1500
    assert cell(f, 2022, "03", "sgb2_quote_u15") == (None, None, 600)  # no SGB II row: keine Daten
    # 03 exists in 2022 and has no SGB II row -> GESAMT is null (not 750 / 5100)
    assert cell(f, 2022, "GESAMT", "sgb2_quote_u15")[0] is None
    assert cell(f, 2022, "GESAMT", "sgb2_quote_u15")[1] is None


def test_population_missing_for_a_new_sozialraum_makes_gesamt_null(f):
    # 2023: 04 (gültig ab 2023) has no population row
    assert cell(f, 2023, "04", "bev_u21") == (None, None, None)
    assert cell(f, 2023, "GESAMT", "bev_u21") == (None, None, None)
    assert cell(f, 2023, "01", "bev_u21")[0] == 5100


def test_an_empty_age_group_cell_makes_the_sums_null():
    ds = Builder(["01"]).add("bevoelkerung", jahr=2023, sozialraum_id="01", a0_3=10, a3_6=None, a6_10=10,
                             a10_15=10, a15_18=10, a18_21=10, a21_27=0, insgesamt=500).build()
    f = compute_indicators(ds)
    assert cell(f, 2023, "01", "bev_u21") == (None, None, None)
    assert cell(f, 2023, "01", "bev_insgesamt") == (500, 500, None)
    assert cell(f, 2023, "01", "anteil_u21") == (None, None, 500)


def test_zero_population_gives_null_rate_not_zero():
    ds = Builder(["01"]).pop(2023, "01", u15=0, u18=0, u21=0, insgesamt=0).sgb2(2023, "01", 0).build()
    f = compute_indicators(ds)
    assert cell(f, 2023, "01", "sgb2_quote_u15") == (None, 0, 0)
    assert cell(f, 2023, "01", "anteil_u21") == (None, 0, 0)
