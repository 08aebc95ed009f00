"""Ressourcen (Kosten, Personal) on `musterdorf` (factories.py) and small variants."""
import pytest

from data_models.indicators import compute_indicators
from tests.data_models.factories import Builder, cell, musterdorf


@pytest.fixture(scope="module")
def f():
    return compute_indicators(musterdorf())


def test_municipality_rows_are_gesamt_and_sozialraum_rows_stay_null(f):
    # 2022 codes: 07 500,000 + 11 1,200,000 + 09 150,000; EB code 01 excluded
    assert cell(f, 2022, "GESAMT", "ausgaben_hze") == (1_850_000, 1_850_000, None)
    assert cell(f, 2022, "01", "ausgaben_hze") == (None, None, None)
    assert cell(f, 2022, "GESAMT", "ausgaben_je_u21") == (1_850_000 / 8500, 1_850_000, 8500)
    assert cell(f, 2022, "01", "ausgaben_je_u21") == (None, None, 5000)


def test_kosten_je_fall_from_codes(f):
    # ambulant: 07 500,000 / ambulant Fälle 53; teilstationär: no 08 row = 0 EUR / 5 Fälle
    assert cell(f, 2022, "GESAMT", "kosten_je_fall_ambulant") == (500_000 / 53, 500_000, 53)
    assert cell(f, 2022, "GESAMT", "kosten_je_fall_teilstationaer") == (0.0, 0, 5)
    assert cell(f, 2022, "GESAMT", "kosten_je_fall_stationaer") == (45_000.0, 1_350_000, 30)  # (1.2 M + 150 k) / 30
    assert cell(f, 2022, "GESAMT", "kosten_je_fall_35a") == (0.0, 0, 5)


def test_haushalt_ausschoepfung_over_rows_with_ansatz(f):
    # rows with Ansatz: 07 and 11 (EB excluded): (500,000 + 1,200,000) × 100 / (400,000 + 1,000,000)
    w, z, n = cell(f, 2022, "GESAMT", "haushalt_ausschoepfung")
    assert (z, n) == (1_700_000, 1_400_000) and w == 1_700_000 * 100 / 1_400_000


def test_sozialraum_segment_rows_and_their_sum(f):
    # 2023: segment rows per Sozialraum, no municipality rows
    assert cell(f, 2023, "01", "ausgaben_hze") == (300_000, 300_000, None)  # 60,000 + 240,000
    assert cell(f, 2023, "03", "ausgaben_hze") == (0, 0, None)
    assert cell(f, 2023, "GESAMT", "ausgaben_hze") == (340_000, 340_000, None)  # + 30,000 + 0 + 10,000
    assert cell(f, 2023, "01", "ausgaben_je_u21") == (300_000 / 5100, 300_000, 5100)
    # 01 ambulant: 60,000 / (r1, r2) = 30,000; stationär: 240,000 / (r3, r4, r5)
    assert cell(f, 2023, "01", "kosten_je_fall_ambulant") == (30_000.0, 60_000, 2)
    assert cell(f, 2023, "01", "kosten_je_fall_stationaer") == (80_000.0, 240_000, 3)
    assert cell(f, 2023, "02", "kosten_je_fall_35a") == (30_000.0, 30_000, 1)
    assert cell(f, 2023, "02", "kosten_je_fall_teilstationaer") == (0.0, 0, 1)  # missing segment row = 0
    assert cell(f, 2023, "02", "kosten_je_fall_ambulant") == (None, 0, 0)
    # GESAMT ambulant: 70,000 / (01: 2 + 04: 1 + OHNE r10 (14): 1)
    assert cell(f, 2023, "GESAMT", "kosten_je_fall_ambulant") == (17_500.0, 70_000, 4)
    assert cell(f, 2023, "01", "haushalt_ausschoepfung") == (120.0, 240_000, 200_000)
    assert cell(f, 2023, "02", "haushalt_ausschoepfung") == (None, 0, 0)  # no row with an Ansatz: 0 / 0
    assert cell(f, 2023, "GESAMT", "haushalt_ausschoepfung") == (120.0, 240_000, 200_000)


def test_gesamt_only_row_has_no_segment_costs(f):
    assert cell(f, 2024, "GESAMT", "ausgaben_hze") == (2_000_000, 2_000_000, None)
    assert cell(f, 2024, "GESAMT", "kosten_je_fall_stationaer")[0] is None
    assert cell(f, 2024, "GESAMT", "ausgaben_je_u21") == (None, 2_000_000, None)  # no population in 2024


def test_sozialraum_rows_without_a_row_for_every_sozialraum_give_null_gesamt():
    ds = (Builder(["01", "02"]).kosten(2023, "07", 100.0, sr="01").hze(2023, "01", "07", andauernd=1)
          .hze(2023, "02", "07", andauernd=1).build())
    f = compute_indicators(ds)
    assert cell(f, 2023, "01", "ausgaben_hze")[0] == 100
    assert cell(f, 2023, "02", "ausgaben_hze")[0] is None
    assert cell(f, 2023, "GESAMT", "ausgaben_hze")[0] is None  # 02 lacks Kosten rows


def test_municipality_rows_win_over_the_sum_of_sozialraum_rows_and_eb_only_is_no_data():
    ds = (Builder(["01"]).kosten(2023, "gesamt", 1000.0).kosten(2023, "gesamt", 400.0, sr="01")
          .kosten(2022, "EB", 500.0).kosten(2022, "ambulant", None, sr="01").build())
    f = compute_indicators(ds)
    assert cell(f, 2023, "GESAMT", "ausgaben_hze")[0] == 1000
    assert cell(f, 2023, "01", "ausgaben_hze")[0] == 400
    assert cell(f, 2022, "GESAMT", "ausgaben_hze")[0] is None  # only EB: no HzE cost data
    assert cell(f, 2022, "01", "ausgaben_hze")[0] is None  # an empty Ausgaben cell


def test_caseload_per_team(f):
    # 2022 running (andauernd 04-16): 01 = 30 + 15, 02 = 6 + 5 + 5, 03 = 0, OHNE = 3
    # Team A (01, 02): 61 / (2.0 - 0.5); Team B (03): 0 / 1.0 (unbesetzt empty = 0)
    assert cell(f, 2022, "01", "faelle_je_vollzeitstelle") == (61 / 1.5, 61, 1.5)
    assert cell(f, 2022, "02", "faelle_je_vollzeitstelle") == (61 / 1.5, 61, 1.5)
    assert cell(f, 2022, "03", "faelle_je_vollzeitstelle") == (0.0, 0, 1.0)
    assert cell(f, 2022, "OHNE", "faelle_je_vollzeitstelle") == (None, None, None)
    # GESAMT: all running incl. OHNE (45 + 16 + 0 + 3) / posts of all teams incl. Team C (1.5 + 1.0 + 0.5)
    assert cell(f, 2022, "GESAMT", "faelle_je_vollzeitstelle") == (64 / 3.0, 64, 3.0)


def test_caseload_null_without_team_or_staff_row(f):
    # 2023: Personal only for Team A (1.0); running: 01 r1, r5; 02 r7
    assert cell(f, 2023, "01", "faelle_je_vollzeitstelle") == (3.0, 3, 1.0)
    assert cell(f, 2023, "03", "faelle_je_vollzeitstelle") == (None, 0, None)  # Team B has no row
    assert cell(f, 2023, "04", "faelle_je_vollzeitstelle") == (None, None, None)  # no team
    # GESAMT: Team B of 03 is missing in Personal 2023 -> posts unknown
    # running at 31.12.: 01 (r1, r5) + 02 (r7) + 03 (0) + 04 (r9) + OHNE (r10 ended: 0) = 4
    assert cell(f, 2023, "GESAMT", "faelle_je_vollzeitstelle") == (None, 4, None)


def test_zero_occupied_posts_give_null():
    ds = (Builder([{"sozialraum_id": "01", "name": "A", "team": "T"}]).hze(2023, "01", "07", andauernd=4)
          .personal(2023, "T", 1.0, 1.0).build())
    assert cell(compute_indicators(ds), 2023, "01", "faelle_je_vollzeitstelle") == (None, 4, 0.0)
