"""Wächteramt (§ 8a, § 42) on `musterdorf` (factories.py)."""
import pytest

from data_models.indicators import compute_indicators
from tests.data_models.factories import cell, musterdorf


@pytest.fixture(scope="module")
def f():
    return compute_indicators(musterdorf())


def test_verfahren_8a_and_density(f):
    assert cell(f, 2022, "01", "verfahren_8a") == (20, 20, None)  # 2 + 3 + 10 + 5
    assert cell(f, 2022, "02", "verfahren_8a") == (20, 20, None)  # 0 + 1 + 4 + 15
    assert cell(f, 2022, "03", "verfahren_8a") == (None, None, None)  # Hilfebedarf cell empty
    assert cell(f, 2022, "GESAMT", "verfahren_8a") == (None, None, None)
    assert cell(f, 2022, "01", "verfahren_8a_dichte") == (50.0, 20, 4000)  # 20 × 10000 / 4000
    assert cell(f, 2022, "02", "verfahren_8a_dichte") == (100.0, 20, 2000)


def test_kwg(f):
    assert cell(f, 2022, "01", "kwg_faelle") == (5, 5, None)
    assert cell(f, 2022, "03", "kwg_faelle") == (2, 2, None)  # akut + latent are filled
    assert cell(f, 2022, "GESAMT", "kwg_faelle") == (8, 8, None)  # 5 + 1 + 2
    assert cell(f, 2022, "01", "kwg_quote") == (25.0, 5, 20)
    assert cell(f, 2022, "02", "kwg_quote") == (5.0, 1, 20)
    assert cell(f, 2022, "01", "akut_quote") == (10.0, 2, 20)
    assert cell(f, 2022, "02", "akut_quote") == (0.0, 0, 20)
    assert cell(f, 2022, "01", "hilfebedarf_quote") == (75.0, 15, 20)  # (2 + 3 + 10) × 100 / 20
    assert cell(f, 2022, "02", "hilfebedarf_quote") == (25.0, 5, 20)
    assert cell(f, 2022, "01", "kwg_dichte") == (12.5, 5, 4000)
    assert cell(f, 2022, "03", "kwg_dichte") == (25.0, 2, 800)
    assert cell(f, 2022, "GESAMT", "kwg_dichte") == (8 * 10000 / 6800, 8, 6800)


def test_inobhutnahmen(f):
    assert cell(f, 2022, "01", "inobhutnahmen") == (10, 10, None)
    assert cell(f, 2022, "03", "inobhutnahmen") == (None, None, None)  # no § 42 row
    assert cell(f, 2022, "OHNE", "inobhutnahmen") == (2, 2, None)
    assert cell(f, 2022, "GESAMT", "inobhutnahmen") == (None, None, None)  # 03 missing
    assert cell(f, 2022, "01", "inobhutnahmen_dichte") == (25.0, 10, 4000)
    assert cell(f, 2022, "01", "inobhutnahmen_ohne_uma_dichte") == (15.0, 6, 4000)  # (10 - 4) × 10000 / 4000
    assert cell(f, 2022, "02", "inobhutnahmen_ohne_uma_dichte") == (None, None, 2000)  # `davon` empty
    assert cell(f, 2022, "01", "anteil_io_kurz") == (50.0, 5, 10)
    assert cell(f, 2022, "02", "anteil_io_kurz") == (50.0, 2, 4)
    assert cell(f, 2022, "01", "anteil_io_rueckkehr") == (30.0, 3, 10)
    assert cell(f, 2022, "02", "anteil_io_rueckkehr") == (None, None, 4)


def test_no_wächteramt_data_in_2023(f):
    assert cell(f, 2023, "01", "verfahren_8a") == (None, None, None)
    assert cell(f, 2023, "GESAMT", "inobhutnahmen") == (None, None, None)
