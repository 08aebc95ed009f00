"""Leistungen on the hand-computed tenant `musterdorf` (factories.py)."""
import pytest

from data_models.indicators import compute_indicators
from tests.data_models.factories import Builder, cell, musterdorf


@pytest.fixture(scope="module")
def f():
    return compute_indicators(musterdorf())


def test_segment_shares_2022(f):
    # 01: ambulant = 07 (50) of 70; 02: 0 of 20; 03: 0 of 0 -> null; OHNE: 05 (3) of 3
    assert cell(f, 2022, "01", "anteil_ambulant") == (50 * 100 / 70, 50, 70)
    assert cell(f, 2022, "02", "anteil_ambulant") == (0.0, 0, 20)
    assert cell(f, 2022, "03", "anteil_ambulant") == (None, 0, 0)  # zero denominator: null, never 0
    assert cell(f, 2022, "OHNE", "anteil_ambulant") == (100.0, 3, 3)
    assert cell(f, 2022, "GESAMT", "anteil_ambulant") == (53 * 100 / 93, 53, 93)
    # teilstationär = 08 (5), stationär = 09 + 11, § 35a = 13
    assert cell(f, 2022, "02", "anteil_teilstationaer") == (25.0, 5, 20)
    assert cell(f, 2022, "02", "anteil_stationaer") == (50.0, 10, 20)  # 09: 4 + 6
    assert cell(f, 2022, "02", "anteil_35a") == (25.0, 5, 20)
    assert cell(f, 2022, "GESAMT", "anteil_stationaer") == (30 * 100 / 93, 30, 93)  # 11: 20 + 09: 10


def test_vollzeitpflege_je_heim(f):
    assert cell(f, 2022, "01", "vzp_heim_verhaeltnis") == (0.0, 0, 20)  # no 09/10, 20 in 11
    assert cell(f, 2022, "02", "vzp_heim_verhaeltnis") == (None, 10, 0)  # no Heim: null
    assert cell(f, 2022, "GESAMT", "vzp_heim_verhaeltnis") == (0.5, 10, 20)


def test_record_indicators_are_null_in_an_aggregated_year(f):
    for ind in ("dauer_beendet", "beendet_gemaess_hilfeplan", "transfer_quote", "anteil_nach_8a"):
        assert cell(f, 2022, "01", ind) == (None, None, None)
        assert cell(f, 2022, "GESAMT", ind) == (None, None, None)


def test_dauer_beendet(f):
    # 01 ended: r2 (2023*12+6) - (2021*12+1) = 29, r3 11 - 2 = 9, r4 (2023*12+5) - (2022*12+5) = 12
    assert cell(f, 2023, "01", "dauer_beendet") == (50 / 3, 50, 3)
    assert cell(f, 2023, "02", "dauer_beendet") == (6.0, 6, 1)  # r8: (2023*12+1) - (2022*12+7) = 6
    assert cell(f, 2023, "03", "dauer_beendet") == (None, 0, 0)  # nothing ended
    assert cell(f, 2023, "OHNE", "dauer_beendet") == (2.0, 2, 1)  # r10: 8 - 6
    assert cell(f, 2023, "GESAMT", "dauer_beendet") == (58 / 5, 58, 5)  # 50 + 6 + 2 over 3 + 1 + 1


def test_beendet_gemaess_hilfeplan(f):
    # 01: reason 10 (r2) / reasons other than 40 (r2: 10, r3: 20; r4: 40 not counted) = 1 / 2
    assert cell(f, 2023, "01", "beendet_gemaess_hilfeplan") == (50.0, 1, 2)
    assert cell(f, 2023, "02", "beendet_gemaess_hilfeplan") == (None, 0, 0)  # r8 has no reason
    assert cell(f, 2023, "OHNE", "beendet_gemaess_hilfeplan") == (100.0, 1, 1)
    assert cell(f, 2023, "GESAMT", "beendet_gemaess_hilfeplan") == (200 / 3, 2, 3)


def test_transfer_quote_and_anteil_nach_8a(f):
    # started 2023 in 01: r1 (transfer 1, 8a 1), r3 (transfer 2, 8a 2)
    assert cell(f, 2023, "01", "transfer_quote") == (50.0, 1, 2)
    assert cell(f, 2023, "02", "transfer_quote") == (100.0, 1, 1)  # r7
    assert cell(f, 2023, "04", "transfer_quote") == (None, 0, 0)  # r9: unknown
    assert cell(f, 2023, "GESAMT", "transfer_quote") == (200 / 3, 2, 3)
    assert cell(f, 2023, "01", "anteil_nach_8a") == (50.0, 1, 2)
    assert cell(f, 2023, "GESAMT", "anteil_nach_8a") == (50.0, 1, 2)


def test_eb_records_are_not_counted_in_record_indicators():
    ds = (Builder(["01"])
          .hze_record(2023, "01", "01", beginn=(2023, 1), ende=(2023, 3), beendigungsgrund="10", transfer="1")
          .hze_record(2023, "01", "07", beginn=(2023, 1), ende=(2023, 5), beendigungsgrund="50", transfer="2")
          .build())
    f = compute_indicators(ds)
    assert cell(f, 2023, "01", "dauer_beendet") == (4.0, 4, 1)  # only the 07 help: 5 - 1
    assert cell(f, 2023, "01", "beendet_gemaess_hilfeplan") == (0.0, 0, 1)
    assert cell(f, 2023, "01", "transfer_quote") == (0.0, 0, 1)
    assert cell(f, 2023, "01", "eb_faelle")[0] == 1  # EB from the record
