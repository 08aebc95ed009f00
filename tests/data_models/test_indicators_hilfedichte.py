"""Hilfedichte on the hand-computed tenant `musterdorf` (factories.py): 2022 from the aggregated sheet, 2023 from
records (r1..r11 in factories.musterdorf)."""
import pytest

from data_models.indicators import compute_indicators
from tests.data_models.factories import Builder, cell, musterdorf


@pytest.fixture(scope="module")
def f():
    return compute_indicators(musterdorf())


def test_hze_faelle_aggregated_year(f):
    # 01: 07 (20 + 30) + 11 (5 + 15) = 70; EB code 01 is not HzE
    assert cell(f, 2022, "01", "hze_faelle") == (70, 70, None)
    # 02: 09 (4 + 6) + 13 (0 + 5) + 08 (0 + 5) = 20
    assert cell(f, 2022, "02", "hze_faelle") == (20, 20, None)
    # 03 has no row in a year the long sheet contains: 0, not null
    assert cell(f, 2022, "03", "hze_faelle") == (0, 0, None)
    assert cell(f, 2022, "OHNE", "hze_faelle") == (3, 3, None)
    # GESAMT = 70 + 20 + 0 + 3 (OHNE included); 05's 100 (outside gültig) is not
    assert cell(f, 2022, "GESAMT", "hze_faelle") == (93, 93, None)


def test_hze_dichte_multiplies_first_and_gesamt_divides_once(f):
    assert cell(f, 2022, "01", "hze_dichte") == (14.0, 70, 5000)  # 70 × 1000 / 5000
    assert cell(f, 2022, "02", "hze_dichte") == (8.0, 20, 2500)
    assert cell(f, 2022, "03", "hze_dichte") == (0.0, 0, 1000)
    assert cell(f, 2022, "OHNE", "hze_dichte") == (None, 3, None)  # OHNE has no population
    # GESAMT: (70 + 20 + 0 + 3) × 1000 / (5000 + 2500 + 1000), not the mean of the rates
    assert cell(f, 2022, "GESAMT", "hze_dichte") == (93 * 1000 / 8500, 93, 8500)


def test_exact_rate_31_42():
    ds = Builder(["01"]).pop(2023, "01", u21=50000).hze(2023, "01", "07", andauernd=1500, beendet=71).build()
    assert cell(compute_indicators(ds), 2023, "01", "hze_dichte") == (31.42, 1571, 50000)  # 1571000 / 50000


def test_records_year(f):
    # 01: r1..r5 = 5 helps; 02: r7, r8; 03: none -> 0; 04: r9; OHNE: r10 (no Sozialraum); r11 (05) ignored
    assert cell(f, 2023, "01", "hze_faelle")[0] == 5
    assert cell(f, 2023, "02", "hze_faelle")[0] == 2
    assert cell(f, 2023, "03", "hze_faelle")[0] == 0
    assert cell(f, 2023, "04", "hze_faelle")[0] == 1
    assert cell(f, 2023, "OHNE", "hze_faelle")[0] == 1
    assert cell(f, 2023, "GESAMT", "hze_faelle")[0] == 9  # 5 + 2 + 0 + 1 + 1
    assert cell(f, 2023, "01", "hze_dichte") == (5 * 1000 / 5100, 5, 5100)
    # 04 has no population in 2023 -> its rate and GESAMT are null
    assert cell(f, 2023, "04", "hze_dichte") == (None, 1, None)
    assert cell(f, 2023, "GESAMT", "hze_dichte") == (None, 9, None)


def test_hze_begonnen(f):
    # 2022: 01: 10 + 2; 02: 1 + 3 + 0; OHNE: 1 -> GESAMT 17 (EB's 50 not counted)
    assert cell(f, 2022, "01", "hze_begonnen")[0] == 12
    assert cell(f, 2022, "GESAMT", "hze_begonnen")[0] == 17
    assert cell(f, 2022, "01", "hze_begonnen_dichte") == (12 * 1000 / 5000, 12, 5000)  # 2.4
    # 2023: begun in 2023: r1, r3 (01), r7 (02), r9 (04), r10 (OHNE)
    assert cell(f, 2023, "01", "hze_begonnen")[0] == 2
    assert cell(f, 2023, "GESAMT", "hze_begonnen")[0] == 5


def test_junge_menschen(f):
    # 2022: nobody filled `junge Menschen` -> null for the whole year
    assert cell(f, 2022, "01", "hze_junge_menschen") == (None, None, None)
    assert cell(f, 2022, "GESAMT", "hze_junge_menschen") == (None, None, None)
    # 2023 from records (default 1, r1 = 3): 01: 3 + 1 + 1 + 1 + 1 = 7; GESAMT 7 + 2 + 0 + 1 + 1 = 11
    assert cell(f, 2023, "01", "hze_junge_menschen") == (7, 7, None)
    assert cell(f, 2023, "GESAMT", "hze_junge_menschen") == (11, 11, None)
    assert cell(f, 2023, "01", "hze_junge_menschen_dichte") == (7 * 1000 / 5100, 7, 5100)


def test_junge_menschen_empty_cell_in_a_counted_row_is_null():
    ds = (Builder(["01", "02"]).pop(2023, "01", u21=100).pop(2023, "02", u21=100)
          .hze(2023, "01", "07", andauernd=2, junge_menschen=5).hze(2023, "01", "11", andauernd=1)
          .hze(2023, "02", "07", andauernd=1, junge_menschen=3).build())
    f = compute_indicators(ds)
    assert cell(f, 2023, "01", "hze_junge_menschen")[0] is None  # the 11 row has no value
    assert cell(f, 2023, "02", "hze_junge_menschen")[0] == 3
    assert cell(f, 2023, "GESAMT", "hze_junge_menschen")[0] is None


def test_eb_from_hze_and_fallback_to_paragraph_28(f):
    # 2022 has EB rows: 01 = 60 + 40 = 100
    assert cell(f, 2022, "01", "eb_faelle") == (100, 100, None)
    assert cell(f, 2022, "02", "eb_faelle") == (0, 0, None)
    assert cell(f, 2022, "GESAMT", "eb_faelle") == (100, 100, None)
    assert cell(f, 2022, "01", "eb_dichte") == (20.0, 100, 5000)  # 100 × 1000 / 5000
    # 2023: no EB record at all (the derived sheet has only zero EB rows) -> Beratung § 28
    assert cell(f, 2023, "01", "eb_faelle") == (30, 30, None)
    assert cell(f, 2023, "04", "eb_faelle") == (10, 10, None)
    assert cell(f, 2023, "03", "eb_faelle") == (None, None, None)  # § 28 empty
    assert cell(f, 2023, "GESAMT", "eb_faelle") == (None, None, None)  # 03 lacks it


def test_eb_fallback_only_in_years_without_any_eb_row():
    ds = (Builder(["01", "02"]).pop(2023, "01", u21=1000).pop(2023, "02", u21=1000)
          .hze(2023, "01", "02", andauernd=4).hze(2023, "02", "07", andauernd=1)
          .beratung(2023, "01", p28=99).beratung(2023, "02", p28=77).build())
    f = compute_indicators(ds)
    # the year has an EB row (in 01): 02's missing EB row is 0, § 28 is not used
    assert cell(f, 2023, "01", "eb_faelle")[0] == 4
    assert cell(f, 2023, "02", "eb_faelle")[0] == 0


def test_beratung_16_18_sum_of_filled_cells(f):
    assert cell(f, 2022, "01", "beratung_16_18") == (5, 5, None)  # only § 16 filled
    assert cell(f, 2022, "02", "beratung_16_18") == (None, None, None)  # all three empty
    assert cell(f, 2022, "03", "beratung_16_18") == (6, 6, None)  # 1 + 2 + 3
    assert cell(f, 2022, "GESAMT", "beratung_16_18") == (None, None, None)  # 02 has no data
    assert cell(f, 2022, "03", "beratung_16_18_dichte") == (6.0, 6, 1000)  # 6 × 1000 / 1000
