"""Bad Masterdatei inputs, one test per case: each gives the stated finding with file, sheet, row, column and a
German message. Fixtures: tests/fixtures/bad/ (regenerate with tests/fixtures/make_bad_fixtures.py)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from data_models.findings import FEHLER, HINWEIS, WARNUNG, has_errors
from data_models.importers.base import ImportContext
from data_models.importers.masterdatei import import_masterdatei
from data_models.importers.reading import read_raw
from data_models.importers.values import to_money
from tests.fixtures.make_bad_fixtures import base_sheets, empty_formatted_rows_xlsx, xlsx_bytes

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "bad"


def imp(fixture: str, ctx: ImportContext | None = None):
    return import_masterdatei((BAD / fixture).read_bytes(), fixture, ctx or ImportContext())


def one(result, schwere, art):
    found = [f for f in result.findings if f.schwere == schwere and f.art == art]
    assert len(found) == 1, [f.text() for f in result.findings]
    return found[0]


def where(f):
    return f.datei, f.blatt, f.zeile, f.spalte


def refused(fixture: str, needle: str, ctx: ImportContext | None = None):
    r = imp(fixture, ctx)
    assert r.tables == {} and not r.ok
    (f,) = r.findings
    assert f.schwere == FEHLER and f.datei == fixture and needle in f.meldung, f.text()
    return f


# --- the file itself ---------------------------------------------------------------------------------------

def test_empty_file():
    refused("file_empty.xlsx", "Die Datei ist leer.")


def test_text_file_with_txt_extension():
    refused("file_text.txt", "muss eine Excel-Arbeitsmappe sein")


def test_pdf():
    refused("file_document.pdf", "PDF-Dokument")


def test_html_saved_as_xls():
    f = refused("file_webpage.xls", "Webseite (HTML)")
    assert "„.xls“" in f.meldung


def test_password_protected_xlsx():
    refused("file_password.xlsx", "Kennwort")


def test_corrupt_zip():
    refused("file_corrupt.xlsx", "beschädigt")


def test_zip_bomb_real():
    f = refused("file_zipbomb.xlsx", "ZIP-Bombe", ImportContext(max_unzipped_bytes=10 * 2**20))
    assert f.wert > 20 * 2**20  # 20 MB of zeros in a 27 KB file


def test_zip_bomb_forged_directory():
    f = refused("file_zipbomb_forged.xlsx", "ZIP-Bombe")
    assert "4.096 MB" in f.meldung  # 0xFFFFFFF0 bytes claimed ≈ 4,096 MiB > 500 MiB


def test_zip_with_parent_paths():
    f = refused("file_zipslip.xlsx", "unzulässigen Pfad")
    assert f.wert == "../../etc/evil.txt"


def test_oversized_file():
    refused("md_valid.xlsx", "zu groß", ImportContext(max_file_bytes=1024))


def test_csv_is_not_a_masterdatei():
    refused("file_masterdatei.csv", "muss eine Excel-Arbeitsmappe sein")


def test_workbook_with_wrong_extension_is_read_by_content():
    r = imp("file_renamed.txt")
    assert r.ok and r.row_counts() == {"sozialraeume": 2, "bevoelkerung": 2, "hze": 2}


# --- sheets and headers ------------------------------------------------------------------------------------

def test_missing_sheet_sozialraeume():
    r = imp("md_no_sozialraeume.xlsx")
    f = one(r, FEHLER, "blatt_fehlt")
    assert where(f) == ("md_no_sozialraeume.xlsx", "Sozialräume", None, "")
    assert "Das Blatt „Sozialräume“ fehlt" in f.meldung
    assert [x.schwere for x in r.findings].count(FEHLER) == 1  # no flood of unknown-id errors


def test_missing_required_column():
    f = one(imp("md_missing_column.xlsx"), FEHLER, "spalte_fehlt")
    assert where(f) == ("md_missing_column.xlsx", "Bevölkerung", 1, "insgesamt")
    assert "Die Pflichtspalte „insgesamt“ fehlt im Blatt „Bevölkerung“" in f.meldung


def test_header_below_title_rows_is_found():
    r = imp("md_title_rows.xlsx")
    assert r.ok and r.findings == []  # the merged title A1:F1 is above the header row: no warning
    assert r.tables["hze"]["begonnen"].tolist() == [3, 1]


def test_header_not_in_first_ten_rows():
    f = one(imp("md_header_row_12.xlsx"), FEHLER, "kopfzeile")
    assert where(f) == ("md_header_row_12.xlsx", "HzE", 12, "")
    assert "erst in Zeile 12" in f.meldung and "ersten 10 Zeilen" in f.meldung


def test_merged_header_cells():
    r = imp("md_merged_header.xlsx")
    f = one(r, WARNUNG, "verbundene_zellen")
    assert where(f) == ("md_merged_header.xlsx", "Sozialräume", 1, "Name") and f.wert == "B1:C1"
    assert "verbundene Zellen" in f.meldung


def test_duplicate_column():
    f = one(imp("md_duplicate_header.xlsx"), FEHLER, "spalte_doppelt")
    assert where(f) == ("md_duplicate_header.xlsx", "HzE", 1, "Hilfeart")
    assert "Spalten C und G" in f.meldung


# --- formulas and cell types -------------------------------------------------------------------------------

def test_formula_with_cached_value_accepted():
    r = imp("md_formula_cached.xlsx")
    assert r.ok and r.findings == []
    assert r.tables["bevoelkerung"]["insgesamt"].tolist() == [5000, 2500]


def test_formula_without_cached_value():
    f = one(imp("md_formula_no_value.xlsx"), FEHLER, "wert_count")
    assert where(f) == ("md_formula_no_value.xlsx", "Bevölkerung", 2, "insgesamt")
    assert "Formel ohne gespeicherten Ergebnis-Wert" in f.meldung


def test_excel_error_value():
    # calamine reads #DIV/0! as an empty cell; the sheet XML shows it was an error
    f = one(imp("md_excel_error.xlsx"), FEHLER, "wert_count")
    assert where(f) == ("md_excel_error.xlsx", "HzE", 2, "beendet") and f.wert == "#DIV/0!"
    assert "Excel-Fehlerwert #DIV/0!" in f.meldung


def test_date_in_year_column():
    f = one(imp("md_date_in_year.xlsx"), FEHLER, "wert_year")
    assert where(f) == ("md_date_in_year.xlsx", "HzE", 2, "Jahr") and f.wert == "01.01.2023"
    assert "vierstellige Jahreszahl" in f.meldung


def test_numbers_stored_as_text_accepted():
    r = imp("md_numbers_as_text.xlsx")
    assert r.ok and r.findings == []
    bev = r.tables["bevoelkerung"]
    assert bev["insgesamt"].tolist() == [5000, 2500]  # "5.000" as German thousands
    assert bev["jahr"].tolist() == [2023, 2023] and bev["a0_3"].tolist() == [100, 50]


def test_cells_starting_with_formula_characters_stay_text():
    r = imp("md_formula_like_text.xlsx")
    assert not has_errors(r.findings)
    assert r.tables["sozialraeume"]["name"].tolist() == ["=HYPERLINK(\"http://x\")", "+49 Süd", "-Ost-", "@West"]


# --- values --------------------------------------------------------------------------------------------------

def test_negative_count():
    f = one(imp("md_negative_count.xlsx"), FEHLER, "wert_count")
    assert where(f) == ("md_negative_count.xlsx", "HzE", 2, "begonnen") and f.wert == "-3"
    assert "negativ" in f.meldung


def test_decimal_count():
    f = one(imp("md_decimal_count.xlsx"), FEHLER, "wert_count")
    assert where(f) == ("md_decimal_count.xlsx", "HzE", 2, "beendet") and f.wert == "2.5"
    assert "keine ganze Zahl" in f.meldung


def test_insgesamt_smaller_than_age_groups():
    f = one(imp("md_insgesamt_too_small.xlsx"), FEHLER, "insgesamt_zu_klein")
    # row 3: 50+50+60+70+40+40+100 = 410 > 400
    assert where(f) == ("md_insgesamt_too_small.xlsx", "Bevölkerung", 3, "insgesamt")
    assert "(400)" in f.meldung and "(410)" in f.meldung


def test_duplicate_key_names_both_rows():
    f = one(imp("md_duplicate_key.xlsx"), FEHLER, "doppelt")
    assert where(f) == ("md_duplicate_key.xlsx", "HzE", 4, "Hilfeart")
    assert "Zeile 4" in f.meldung and "wie Zeile 2" in f.meldung and "Hilfeart 07" in f.meldung


def test_unknown_sozialraum():
    f = one(imp("md_unknown_sozialraum.xlsx"), FEHLER, "id_unknown".replace("unknown", "unbekannt"))
    assert where(f) == ("md_unknown_sozialraum.xlsx", "HzE", 3, "Sozialraum-ID") and f.wert == "99"
    assert "steht nicht im Blatt „Sozialräume“" in f.meldung


def test_numerically_equal_sozialraum_is_a_hint():
    r = imp("md_numeric_id.xlsx")
    f = one(r, HINWEIS, "id_numerisch")
    assert where(f) == ("md_numeric_id.xlsx", "HzE", 3, "Sozialraum-ID") and "als „02“ gelesen" in f.meldung
    assert r.ok and r.tables["hze"]["sozialraum_id"].tolist() == ["01", "02"]


def test_unknown_code():
    f = one(imp("md_unknown_code.xlsx"), FEHLER, "wert_code:art_der_hilfe")
    assert where(f) == ("md_unknown_code.xlsx", "HzE", 2, "Hilfeart") and f.wert == "17"
    assert "kein gültiger Code" in f.meldung


def test_year_1899():
    f = one(imp("md_year_1899.xlsx"), FEHLER, "wert_year")
    assert where(f) == ("md_year_1899.xlsx", "HzE", 2, "Jahr") and "2000 bis 2100" in f.meldung


def test_year_2200():
    f = one(imp("md_year_2200.xlsx"), FEHLER, "wert_year")
    assert where(f) == ("md_year_2200.xlsx", "HzE", 2, "Jahr") and "Das Jahr 2200" in f.meldung


def test_two_digit_year():
    f = one(imp("md_two_digit_year.xlsx"), FEHLER, "wert_year")
    assert where(f) == ("md_two_digit_year.xlsx", "HzE", 2, "Jahr") and "vierstellige" in f.meldung


def test_kosten_mixing_gesamt_and_segments():
    f = one(imp("md_kosten_mixed.xlsx"), FEHLER, "kosten_gemischt")
    assert where(f) == ("md_kosten_mixed.xlsx", "Kosten", 3, "Hilfeart")
    assert "Im Jahr 2023" in f.meldung and "doppelt gezählt" in f.meldung


def test_ags_in_two_sozialraeume():
    f = one(imp("md_ags_twice.xlsx"), FEHLER, "ags_doppelt")
    assert where(f) == ("md_ags_twice.xlsx", "Sozialräume", 3, "Gemeindeschlüssel") and f.wert == "09162001"
    assert "schon in Zeile 2" in f.meldung


def test_8a_type_larger_than_akut_plus_latent():
    f = one(imp("md_8a_type_too_big.xlsx"), FEHLER, "art_zu_gross")
    # Vernachlässigung 6 > akut 2 + latent 3 = 5
    assert where(f) == ("md_8a_type_too_big.xlsx", "§ 8a", 2, "Vernachlässigung") and "(5)" in f.meldung


def test_42_davon_larger_than_inobhutnahmen():
    f = one(imp("md_42_davon_too_big.xlsx"), FEHLER, "davon_zu_gross")
    assert where(f) == ("md_42_davon_too_big.xlsx", "§ 42", 2, "davon auf eigenen Wunsch")


def test_reserved_id_in_sozialraeume():
    f = one(imp("md_reserved_id.xlsx"), FEHLER, "id_reserviert")
    assert where(f) == ("md_reserved_id.xlsx", "Sozialräume", 4, "Sozialraum-ID") and "reservierte" in f.meldung


def test_validity_years():
    r = imp("md_validity.xlsx")
    f = one(r, FEHLER, "gueltigkeit")
    assert where(f) == ("md_validity.xlsx", "Sozialräume", 2, "gültig bis")
    # "02" exists from 2024 on: its 2023 rows in Bevölkerung (row 3) and HzE (row 3) lie outside
    warned = sorted((w.blatt, w.zeile) for w in r.findings if w.art == "ausserhalb_gueltigkeit" and w.wert == "02")
    assert warned == [("Bevölkerung", 3), ("HzE", 3)]


# --- size and shape ------------------------------------------------------------------------------------------

def test_sheet_with_10000_columns():
    r = imp("file_wide.xlsx")
    f = one(r, FEHLER, "zu_breit")
    assert where(f) == ("file_wide.xlsx", "Bevölkerung", None, "") and "höchstens 500" in f.meldung


def test_200000_empty_formatted_rows_finish_fast():
    data = empty_formatted_rows_xlsx(200_000)
    t0 = time.perf_counter()
    r = import_masterdatei(data, "leer.xlsx", ImportContext())
    assert time.perf_counter() - t0 < 60.0  # a guard against pathological slowness; speed is measured in bench/
    assert r.ok and r.findings == [] and r.row_counts()["hze"] == 2


def test_unknown_extra_column_is_a_hint():
    s = base_sheets()
    s["HzE"][0].append("Bemerkung")
    s["HzE"][1].append("bitte prüfen")
    r = import_masterdatei(xlsx_bytes(s), "m.xlsx", ImportContext())
    f = one(r, HINWEIS, "spalte_unbekannt")
    assert where(f) == ("m.xlsx", "HzE", 1, "Bemerkung") and r.ok


def test_empty_key_cell():
    s = base_sheets()
    s["HzE"][2][2] = None
    f = one(import_masterdatei(xlsx_bytes(s), "m.xlsx", ImportContext()), FEHLER, "pflichtfeld_leer")
    assert where(f) == ("m.xlsx", "HzE", 3, "Hilfeart") and "muss in jeder Zeile ausgefüllt sein" in f.meldung


# --- CSV reading (reading.py, used by the record importers) --------------------------------------------------

def test_csv_windows_1252_umlauts_and_decimal_commas():
    (raw,), findings = read_raw((BAD / "file_cp1252.csv").read_bytes(), "file_cp1252.csv", ImportContext())
    assert findings == [] and raw.encoding == "cp1252"
    assert raw.cells.loc[3].tolist() == ["2023", "02", "Mühlbach-Ölberg", "987,5"]
    assert to_money(raw.cells.at[3, 3]).value == 987.5


def test_csv_with_bom():
    (raw,), findings = read_raw((BAD / "file_bom.csv").read_bytes(), "file_bom.csv", ImportContext())
    assert findings == [] and raw.cells.loc[1].tolist() == ["Jahr", "Sozialraum-ID", "Name"]


def test_all_fixtures_present():
    from tests.fixtures.make_bad_fixtures import cases

    missing = [name for name in cases() if not (BAD / name).exists()]
    assert missing == [], "run tests/fixtures/make_bad_fixtures.py"


@pytest.mark.parametrize("fixture", sorted(p.name for p in BAD.glob("md_*.xlsx")))
def test_every_finding_is_german_and_located(fixture):
    r = imp(fixture)
    for f in r.findings:
        assert f.datei == fixture and (f.meldung[0].isupper() or f.meldung[0] == "„")
        assert f.meldung.endswith((".", "?", "!"))
        if f.schwere == FEHLER and f.art not in ("blatt_fehlt", "zu_breit", "kopfzeile"):  # sheet-level errors
            assert f.blatt and f.spalte, f.text()
