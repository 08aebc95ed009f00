"""The engine: rows, order, filters, OHNE, gültig ab/bis, dtypes, speed."""
import time

import pandas as pd
import pytest

from data_models.indicators import COLUMNS, IDS, compute_indicators, public_indicators
from data_models.schema import Dataset
from tests.data_models.factories import Builder, cell, musterdorf, sozialraum, synthetic_dataset


@pytest.fixture(scope="module")
def f():
    return compute_indicators(musterdorf())


def test_columns_dtypes_and_unterdrueckt_false(f):
    assert list(f.columns) == COLUMNS
    assert str(f["jahr"].dtype) == "Int64"
    assert str(f["wert"].dtype) == "Float64"
    assert not f["unterdrueckt"].any()
    assert set(f["einheit"]) >= {"Personen", "%", "je 1.000 unter 21", "je 10.000 unter 18", "EUR"}


def test_rows_for_every_year_with_data_and_every_indicator(f):
    assert sorted(f["jahr"].unique()) == [2022, 2023, 2024]  # 2024 has only a Kosten row
    per_unit = f.groupby(["jahr", "sozialraum_id"]).size()
    assert (per_unit == len(IDS)).all()


def test_units_per_year_follow_gueltig_and_ohne(f):
    def units(y):
        return list(dict.fromkeys(f.loc[f["jahr"] == y, "sozialraum_id"]))

    # 04 exists from 2023, 05 only until 2021 (its data rows are ignored); OHNE where some table has OHNE data
    assert units(2022) == ["GESAMT", "01", "02", "03", "OHNE"]
    assert units(2023) == ["GESAMT", "01", "02", "03", "04", "OHNE"]  # OHNE from a record without Sozialraum
    assert units(2024) == ["GESAMT", "01", "02", "03", "04"]
    assert f.loc[f["sozialraum_id"] == "OHNE", "sozialraum"].unique().tolist() == ["nicht zuordenbar"]
    assert f.loc[f["sozialraum_id"] == "GESAMT", "sozialraum"].unique().tolist() == ["Gesamt"]
    assert f.loc[f["sozialraum_id"] == "02", "sozialraum"].unique().tolist() == ["Süd"]


def test_sorted_by_year_gesamt_sheet_order_ohne_then_indicator_id():
    ds = (Builder([sozialraum("B", "Zweiter"), sozialraum("A", "Erster")]).hze(2023, "OHNE", "07", andauernd=1)
          .hze(2023, "A", "07", andauernd=1).hze(2022, "B", "07", andauernd=1).build())
    f = compute_indicators(ds)
    order = list(dict.fromkeys(zip(f["jahr"], f["sozialraum_id"])))
    assert order == [(2022, "GESAMT"), (2022, "B"), (2022, "A"),
                     (2023, "GESAMT"), (2023, "B"), (2023, "A"), (2023, "OHNE")]
    first = f[(f["jahr"] == 2022) & (f["sozialraum_id"] == "GESAMT")]["indikator"].tolist()
    assert first == sorted(first) == list(IDS)


def test_filters_apply_after_computing(f):
    one = compute_indicators(musterdorf(), years=2022, sozialraum="GESAMT", indicators="hze_dichte")
    assert len(one) == 1
    assert cell(one, 2022, "GESAMT", "hze_dichte") == cell(f, 2022, "GESAMT", "hze_dichte")  # GESAMT unchanged
    two = compute_indicators(musterdorf(), years=[2022, 2023], sozialraum=["01", "OHNE"],
                             indicators=["hze_faelle", "eb_faelle"])
    assert list(dict.fromkeys(two["sozialraum_id"])) == ["01", "OHNE"]
    assert len(two) == 2 * 2 * 2
    assert compute_indicators(musterdorf(), years=[1999]).empty


def test_unknown_indicator_is_an_error():
    with pytest.raises(ValueError, match="Unbekannter Indikator: gibts_nicht"):
        compute_indicators(musterdorf(), indicators=["hze_dichte", "gibts_nicht"])


def test_empty_dataset_gives_empty_frame_with_columns():
    f = compute_indicators(Dataset())
    assert f.empty and list(f.columns) == COLUMNS


def test_sozialraum_without_any_row_in_a_long_sheet_year_counts_zero_but_wide_is_null():
    ds = Builder(["01", "02"]).hze(2023, "01", "07", andauernd=3).s8a(2023, "01", akut=1).build()
    f = compute_indicators(ds)
    assert cell(f, 2023, "02", "hze_faelle")[0] == 0  # long sheet: missing row = 0
    assert cell(f, 2023, "02", "verfahren_8a")[0] is None  # wide sheet: missing row = no data
    assert cell(f, 2023, "GESAMT", "hze_faelle")[0] == 3
    assert cell(f, 2023, "GESAMT", "verfahren_8a")[0] is None


def test_empty_cell_in_a_long_sheet_row_is_no_data():
    ds = Builder(["01", "02"]).hze(2023, "01", "07", andauernd=3, beendet=None).hze(2023, "02", "07", andauernd=2).build()
    f = compute_indicators(ds)
    assert cell(f, 2023, "01", "hze_faelle")[0] is None
    assert cell(f, 2023, "GESAMT", "hze_faelle")[0] is None
    assert cell(f, 2023, "02", "hze_faelle")[0] == 2


def test_year_without_the_long_sheet_is_no_data_not_zero():
    ds = Builder(["01"]).hze(2022, "01", "07", andauernd=3).pop(2023, "01", u21=100).build()
    f = compute_indicators(ds)
    assert cell(f, 2023, "01", "hze_faelle")[0] is None
    assert cell(f, 2023, "01", "hze_dichte") == (None, None, 100)


def test_ohne_counts_in_gesamt_but_never_makes_it_null():
    # OHNE has no population and no § 42 row, yet GESAMT rates exist
    ds = (Builder(["01"]).pop(2023, "01", u15=50, u18=100, u21=200).s42(2023, "01", 4)
          .hze(2023, "01", "07", andauernd=10).hze(2023, "OHNE", "07", andauernd=2).build())
    f = compute_indicators(ds)
    assert cell(f, 2023, "GESAMT", "hze_dichte") == (12 * 1000 / 200, 12, 200)  # 60.0
    assert cell(f, 2023, "GESAMT", "inobhutnahmen")[0] == 4


def test_public_indicators_suppresses_before_filtering():
    ds = (Builder(["01", "02"]).hze(2023, "01", "07", andauernd=2).hze(2023, "02", "07", andauernd=50)
          .pop(2023, "01", u21=1000).pop(2023, "02", u21=1000).build())
    # 01 has 2 Fälle (suppressed); 02 (50) must be suppressed too, else 52 - 50 = 2
    out = public_indicators(ds, sozialraum="02", indicators="hze_faelle")
    assert len(out) == 1 and out["unterdrueckt"].iloc[0] and pd.isna(out["wert"].iloc[0])
    exact = public_indicators(ds, sozialraum="02", indicators="hze_faelle", public=False)
    assert exact["wert"].iloc[0] == 50 and not exact["unterdrueckt"].iloc[0]


def test_speed_30_sozialraeume_10_years_with_records():
    ds = synthetic_dataset(n_sr=30, years=range(2015, 2025), records_per_year=10_000)
    compute_indicators(ds)  # warm up
    start = time.process_time()
    f = compute_indicators(ds)
    elapsed = time.process_time() - start
    assert len(f) == 10 * 32 * len(IDS)  # GESAMT + 30 + OHNE per year
    assert elapsed < 1.0, f"{elapsed:.2f} s"
