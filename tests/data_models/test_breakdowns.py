"""Breakdown tables: categories with 0, GESAMT, OHNE, shares with the right denominators, record-only tables."""
import pandas as pd
import pytest

from data_models import codes
from data_models.indicators import BREAKDOWNS, compute_breakdown, public_breakdown
from data_models.indicators.breakdowns import COLUMNS
from tests.data_models.factories import Builder, sozialraum


def bcell(frame, jahr, sr, code):
    rows = frame[(frame["jahr"] == jahr) & (frame["sozialraum_id"] == sr) & (frame["kategorie_code"] == code)]
    assert len(rows) == 1, f"{len(rows)} rows"
    r = rows.iloc[0]
    return (None if pd.isna(r["anzahl"]) else int(r["anzahl"]), None if pd.isna(r["anteil"]) else float(r["anteil"]))


@pytest.fixture(scope="module")
def ds():
    b = Builder([sozialraum("01", "Nord"), sozialraum("02", "Süd"), sozialraum("03", "Ost", bis=2022)])
    # 2022 aggregated
    b.hze(2022, "01", "07", andauernd=3, beendet=1).hze(2022, "01", "01", andauernd=2)
    b.hze(2022, "02", "11", andauernd=1).hze(2022, "OHNE", "13", beendet=2).hze(2022, "03", "08", andauernd=5)
    b.zugang(2022, "01", "Schule", 3).zugang(2022, "01", "Polizei", 1).zugang(2022, "02", " Kita ", 2)
    b.zugang(2023, "01", "Eltern selbst", 1)
    b.s8a(2022, "01", akut=1, latent=2, hilfebedarf=3, kein_hilfebedarf=4, vernachlaessigung=2, koerperlich=1,
          psychisch=None, sexuell=0)
    b.s8a(2022, "02", akut=0, latent=0, hilfebedarf=5, kein_hilfebedarf=5, vernachlaessigung=0, koerperlich=0,
          psychisch=0, sexuell=0)
    b.melder(2022, "01", "02", 3).melder(2022, "01", "01", 1)
    # 2023 records
    b.hze_record(2023, "01", "07", geschlecht="2", alter_beginn=4, grund1="12", anregende="3")
    b.hze_record(2023, "01", "11", beginn=(2022, 1), ende=(2023, 2), geschlecht="1", alter_beginn=16, grund1="12",
                 anregende=None)
    b.hze_record(2023, "01", "01", geschlecht="1", alter_beginn=8, grund1="15", anregende="2")  # EB
    b.hze_record(2023, "02", "13", geschlecht="1", alter_beginn=22, grund1="17", anregende="2")
    b.hze_record(2023, None, "05", geschlecht="3", alter_beginn=0, grund1="10", anregende="8")
    b.s42_record(2023, "01", anlass="1;8", anregende="1", anschluss="1")
    b.s42_record(2023, "01", anlass="3", anregende="4", anschluss="2")
    b.s42_record(2023, "02", anlass="8;8", anregende=None, anschluss="6")
    b.s42_record(2023, None, anlass=None)
    return b.build()


def test_columns_and_every_table_name(ds):
    assert set(BREAKDOWNS) == {"hilfeart", "segment", "grund", "anregende", "altersgruppe", "geschlecht", "zugaenge",
                               "8a_ergebnis", "8a_art", "8a_melder", "42_anlass", "42_anregende", "42_anschluss"}
    for name in BREAKDOWNS:
        assert list(compute_breakdown(ds, name).columns) == COLUMNS
    with pytest.raises(ValueError, match="Unbekannte Aufschlüsselung"):
        compute_breakdown(ds, "farbe")


def test_hilfeart_lists_every_code_with_zero_and_gesamt(ds):
    f = compute_breakdown(ds, "hilfeart", years=2022)
    assert len(f) == 5 * 16  # GESAMT, 01, 02, 03 (still valid in 2022), OHNE × 16 codes
    assert list(dict.fromkeys(f["sozialraum_id"])) == ["GESAMT", "01", "02", "03", "OHNE"]
    assert f[f["sozialraum_id"] == "01"]["kategorie_code"].tolist() == list(codes.CODES["art_der_hilfe"])
    # 01: EB 2, 07: 3 + 1 = 4 -> 2 / 6 and 4 / 6
    assert bcell(f, 2022, "01", "01") == (2, 2 * 100 / 6)
    assert bcell(f, 2022, "01", "07") == (4, 4 * 100 / 6)
    assert bcell(f, 2022, "01", "09") == (0, 0.0)
    # GESAMT: 2 + 4 + 1 + 2 + 5 = 14, OHNE included
    assert bcell(f, 2022, "GESAMT", "13") == (2, 2 * 100 / 14)
    assert bcell(f, 2022, "GESAMT", "08") == (5, 5 * 100 / 14)
    assert f.loc[f["kategorie_code"] == "07", "kategorie"].iloc[0] == "§ 31 Sozialpädagogische Familienhilfe"


def test_segment_with_eb(ds):
    f = compute_breakdown(ds, "segment", years=2022, sozialraum="GESAMT")
    assert f["kategorie_code"].tolist() == ["EB", "ambulant", "teilstationär", "stationär", "§ 35a"]
    assert f["anzahl"].tolist() == [2, 4, 5, 1, 2]
    assert f["anteil"].tolist() == [x * 100 / 14 for x in (2, 4, 5, 1, 2)]


def test_record_only_tables_exist_only_in_record_years(ds):
    f = compute_breakdown(ds, "grund")
    assert sorted(f["jahr"].unique()) == [2023]
    # 03 ended in 2022; OHNE from the record without Sozialraum
    assert list(dict.fromkeys(f["sozialraum_id"])) == ["GESAMT", "01", "02", "OHNE"]
    assert bcell(f, 2023, "01", "12") == (2, 100.0)  # the EB record (grund 15) is not HzE ohne EB
    assert bcell(f, 2023, "01", "15") == (0, 0.0)
    assert bcell(f, 2023, "GESAMT", "12") == (2, 50.0)  # of 4: 10, 12, 12, 17
    assert bcell(f, 2023, "GESAMT", "17") == (1, 25.0)
    assert compute_breakdown(ds, "grund", years=2022).empty


def test_anregende_without_value_is_in_no_category(ds):
    f = compute_breakdown(ds, "anregende")
    assert bcell(f, 2023, "01", "3") == (1, 100.0)  # r2 has no Anregende Institution
    assert bcell(f, 2023, "GESAMT", "2") == (1, 100 / 3)  # 2, 3, 8 (the EB record's 2 not counted)


def test_altersgruppe_and_geschlecht(ds):
    f = compute_breakdown(ds, "altersgruppe")
    assert f[f["sozialraum_id"] == "GESAMT"]["kategorie_code"].tolist() == \
        ["0-3", "3-6", "6-10", "10-15", "15-18", "18-21", "21+"]
    assert bcell(f, 2023, "01", "3-6") == (1, 50.0)
    assert bcell(f, 2023, "01", "15-18") == (1, 50.0)
    assert bcell(f, 2023, "02", "21+") == (1, 100.0)
    assert bcell(f, 2023, "OHNE", "0-3") == (1, 100.0)
    g = compute_breakdown(ds, "geschlecht", sozialraum="GESAMT")
    assert g["anzahl"].tolist() == [2, 1, 1, 0]  # männlich: r2, r4; weiblich r1; divers r5 (OHNE)


def test_hilfeart_in_a_record_year_comes_from_records(ds):
    f = compute_breakdown(ds, "hilfeart", years=2023)
    assert bcell(f, 2023, "01", "01") == (1, 100 / 3)  # with EB: 01, 07, 11
    assert "03" not in set(f["sozialraum_id"])  # gültig bis 2022
    assert bcell(f, 2023, "GESAMT", "05") == (1, 20.0)  # 5 helps


def test_zugaenge_categories_as_written_over_all_years(ds):
    f = compute_breakdown(ds, "zugaenge")
    cats = ["Schule", "Polizei", "Kita", "Eltern selbst"]  # first appearance, trimmed
    assert f[(f["jahr"] == 2022) & (f["sozialraum_id"] == "01")]["kategorie_code"].tolist() == cats
    assert bcell(f, 2022, "01", "Schule") == (3, 75.0)
    assert bcell(f, 2022, "02", "Kita") == (2, 100.0)
    assert bcell(f, 2022, "03", "Kita") == (0, None)  # nothing at all: share null, not 0
    assert bcell(f, 2022, "GESAMT", "Kita") == (2, 2 * 100 / 6)
    assert bcell(f, 2023, "01", "Eltern selbst") == (1, 100.0)


def test_8a_ergebnis_wide_sheet_missing_row_is_null_and_gesamt_null(ds):
    f = compute_breakdown(ds, "8a_ergebnis", years=2022)
    assert [bcell(f, 2022, "01", c) for c in "1234"] == [(1, 10.0), (2, 20.0), (3, 30.0), (4, 40.0)]
    assert bcell(f, 2022, "02", "3") == (5, 50.0)
    assert bcell(f, 2022, "03", "1") == (None, None)  # no § 8a row for 03
    assert bcell(f, 2022, "GESAMT", "1") == (None, None)  # 03 exists in 2022 and has no data


def test_8a_art_shares_of_kwg_faelle(ds):
    f = compute_breakdown(ds, "8a_art", years=2022)
    assert f[f["sozialraum_id"] == "01"]["kategorie_code"].tolist() == \
        ["vernachlaessigung", "koerperlich", "psychisch", "sexuell"]
    # 01: akut + latent = 3 -> 2 / 3, 1 / 3 (multiple answers: denominator kwg_faelle, not the sum 3)
    assert bcell(f, 2022, "01", "vernachlaessigung") == (2, 200 / 3)
    assert bcell(f, 2022, "01", "koerperlich") == (1, 100 / 3)
    assert bcell(f, 2022, "01", "psychisch") == (None, None)
    assert bcell(f, 2022, "02", "sexuell") == (0, None)  # no KWG: share null


def test_8a_melder_long_sheet(ds):
    f = compute_breakdown(ds, "8a_melder")
    assert len(f[f["sozialraum_id"] == "01"]) == 12
    assert bcell(f, 2022, "01", "02") == (3, 75.0)
    assert bcell(f, 2022, "02", "02") == (0, None)  # no row: 0 (long sheet), share of nothing is null
    assert bcell(f, 2022, "GESAMT", "01") == (1, 25.0)


def test_42_anlass_multiple_answers_over_measures(ds):
    f = compute_breakdown(ds, "42_anlass")
    assert bcell(f, 2023, "01", "1") == (1, 50.0)  # 2 measures in 01
    assert bcell(f, 2023, "01", "8") == (1, 50.0)
    assert bcell(f, 2023, "02", "8") == (1, 100.0)  # "8;8" counts once
    assert bcell(f, 2023, "OHNE", "8") == (0, 0.0)  # 1 measure without Anlass
    assert bcell(f, 2023, "GESAMT", "8") == (2, 50.0)  # 4 measures
    assert bcell(f, 2023, "GESAMT", "3") == (1, 25.0)


def test_42_anregende_and_anschluss(ds):
    a = compute_breakdown(ds, "42_anregende")
    assert bcell(a, 2023, "01", "4") == (1, 50.0)
    assert bcell(a, 2023, "02", "1") == (0, None)
    assert bcell(a, 2023, "GESAMT", "1") == (1, 50.0)
    s = compute_breakdown(ds, "42_anschluss", sozialraum="GESAMT")
    assert s["anzahl"].tolist() == [1, 1, 0, 0, 0, 1]
    assert compute_breakdown(ds, "42_anschluss", years=2022).empty


def test_public_breakdown_suppresses_before_filtering():
    ds = (Builder(["01", "02"]).hze(2023, "01", "07", andauernd=1).hze(2023, "01", "11", andauernd=9)
          .hze(2023, "02", "07", andauernd=6).hze(2023, "02", "11", andauernd=9).build())
    # 02 alone has nothing small, but GESAMT 07 (7) − 02 (6) would reveal 01's 1: 02's 07 is suppressed too
    out = public_breakdown(ds, "hilfeart", sozialraum="02")
    assert set(out["sozialraum_id"]) == {"02"}
    r = out[out["kategorie_code"] == "07"].iloc[0]
    assert pd.isna(r["anzahl"]) and r["unterdrueckt"]
    exact = public_breakdown(ds, "hilfeart", sozialraum="02", public=False)
    assert exact.loc[exact["kategorie_code"] == "07", "anzahl"].iloc[0] == 6 and "unterdrueckt" not in exact
