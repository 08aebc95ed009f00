"""The file-reading layer: container sniffing, raw sheets (xlsx, ods, CSV), header location."""
from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from data_models.findings import FEHLER, HINWEIS, WARNUNG
from data_models.importers.base import ImportContext
from data_models.importers.reading import (FORMULA_WITHOUT_VALUE, RawSheet, locate_header, normalise_header,
                                           read_raw, sniff_container)
from data_models.importers.values import to_count, to_money
from tests.fixtures.make_bad_fixtures import Formula, base_sheets, empty_formatted_rows_xlsx, xlsx_bytes

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "bad"
CTX = ImportContext()
HZE_COLS = {"jahr": ["Jahr", "Berichtsjahr"], "sozialraum_id": ["Sozialraum-ID"],
            "hilfeart": ["Hilfeart", "Art der Hilfe"], "begonnen": ["begonnen"]}


def raw_of(rows, name="HzE", merged=()):
    data = xlsx_bytes({name: rows})
    sheets, findings = read_raw(data, "t.xlsx", CTX)
    assert findings == []
    sheets[0].merged.extend(merged)
    return sheets[0]


# --- normalise_header ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Sozialraum ID", "sozialraum_id"), ("Sozialraum-ID", "SOZIALRAUM ID"), ("Ausgaben EUR", "Ausgaben (EUR)"),
    ("Bevölkerung", "Bevoelkerung"), ("Gemeindeschlüssel", "gemeindeschluessel"), ("Zugänge", "ZUGAENGE"),
    ("§ 8a Melder", "8a-Melder"), ("andauernd am 31.12.", "andauernd am 3112"), ("Straße", "strasse"),
    ("Sozial-\nraum ID", "Sozialraum-ID"), ("keine Kindeswohlgefährdung, aber Hilfebedarf",
                                            "keine Kindeswohlgefaehrdung aber Hilfebedarf"),
])
def test_normalise_header_equal(a, b):
    assert normalise_header(a) == normalise_header(b)


def test_normalise_header_keeps_different_words_apart():
    assert normalise_header("Hilfebedarf") != normalise_header("kein Hilfebedarf")
    assert normalise_header(None) == ""
    assert normalise_header(2023.0) == "2023"


# --- sniff_container -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture, kind", [
    ("md_valid.xlsx", "xlsx"), ("file_renamed.txt", "xlsx"), ("file_password.xlsx", "xls"),
    ("file_webpage.xls", "unknown"), ("file_document.pdf", "unknown"), ("file_cp1252.csv", "csv"),
    ("file_bom.csv", "csv"), ("file_tabs.csv", "csv"), ("file_text.txt", "text"), ("file_corrupt.xlsx", "zip"),
])
def test_sniff_fixtures(fixture, kind):
    assert sniff_container((BAD / fixture).read_bytes(), fixture) == kind


def test_sniff_other_containers():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "hallo")
    assert sniff_container(buf.getvalue(), "a.xlsx") == "zip"
    assert sniff_container(_ods_bytes([["a"]]), "a.ods") == "ods"
    assert sniff_container(b"", "a.xlsx") == "unknown"
    assert sniff_container(b"\x00\x01\x02binary", "a.dat") == "unknown"
    assert sniff_container(b"A0910000012345\nA0910000012346\n", "satz.txt") == "text"


# --- read_raw: xlsx --------------------------------------------------------------------------------------------

def test_read_xlsx_index_is_excel_row_and_values_raw():
    raw = raw_of([["Titel"], [], ["Jahr", "Sozialraum-ID"], [2023, "01"], [None, None], [2024, 1]])
    assert list(raw.cells.index) == [1, 2, 3, 4, 5, 6]
    assert raw.cells.at[4, 1] == "01"  # text stays text
    assert raw.cells.at[6, 1] == 1  # a number stays a number (to_id makes "1" of it)
    assert raw.cells.at[2, 0] is None  # empty cells are None
    assert raw.cells.dtypes.tolist() == [object, object]


def test_read_xlsx_formula_without_cached_value_is_marked():
    raw = raw_of([["Jahr", "Anzahl"], [2023, Formula("=1+1")]])
    assert raw.cells.at[2, 1] is FORMULA_WITHOUT_VALUE
    assert raw.has_formula_without_value
    assert "Formel" in to_count(raw.cells.at[2, 1]).error


def test_read_xlsx_formula_with_cached_value_is_the_value():
    raws, findings = read_raw((BAD / "md_formula_cached.xlsx").read_bytes(), "f.xlsx", CTX)
    bev = next(r for r in raws if r.name == "Bevölkerung")
    assert bev.cells.at[2, 9] == 5000  # =SUM(C2:I2)+4150 cached as 5000
    assert not bev.has_formula_without_value


def test_sheet_filter_skips_reading():
    data = xlsx_bytes(base_sheets())
    raws, _ = read_raw(data, "m.xlsx", CTX, sheets=lambda n: n == "HzE")
    assert [r.name for r in raws] == ["Sozialräume", "Bevölkerung", "HzE"]
    assert raws[0].cells.empty and not raws[2].cells.empty


def test_200000_empty_formatted_rows_are_cheap():
    data = empty_formatted_rows_xlsx(200_000)
    t0 = time.perf_counter()
    raws, findings = read_raw(data, "leer.xlsx", CTX)
    elapsed = time.perf_counter() - t0
    hze = next(r for r in raws if r.name == "HzE")
    assert findings == []
    assert len(hze.cells) == 3  # header + 2 data rows; the empty formatted rows are gone
    assert elapsed < 60.0, elapsed  # a guard against pathological slowness; speed is measured in bench/


def test_wide_sheet_refused():
    raws, findings = read_raw((BAD / "file_wide.xlsx").read_bytes(), "breit.xlsx", CTX)
    (f,) = findings
    assert f.schwere == FEHLER and f.blatt == "Bevölkerung" and "10.000 gefüllte Spalten" in f.meldung
    assert [r.name for r in raws] == ["Sozialräume", "HzE"]


def test_many_columns_but_few_filled_is_fine():
    row = [None] * 700
    row[0], row[699] = "Jahr", "Sozialraum-ID"
    raw = raw_of([row, [2023] + [None] * 698 + ["01"]])
    assert raw.cells.shape == (2, 700)


# --- read_raw: refusals ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture, needle", [
    ("file_empty.xlsx", "leer"), ("file_webpage.xls", "Webseite (HTML)"), ("file_document.pdf", "PDF"),
    ("file_password.xlsx", "Kennwort"), ("file_corrupt.xlsx", "beschädigt"), ("file_zipslip.xlsx", "Pfad"),
    ("file_zipbomb_forged.xlsx", "ZIP-Bombe"),
])
def test_refused_files(fixture, needle):
    raws, findings = read_raw((BAD / fixture).read_bytes(), fixture, CTX)
    assert raws == []
    (f,) = findings
    assert f.schwere == FEHLER and f.datei == fixture and needle in f.meldung


def test_oversized_file_refused():
    data = xlsx_bytes(base_sheets())
    raws, (f,) = read_raw(data, "gross.xlsx", ImportContext(max_file_bytes=1000))
    assert raws == [] and f.schwere == FEHLER and "zu groß" in f.meldung


def test_real_zip_bomb_refused_from_directory():
    data = (BAD / "file_zipbomb.xlsx").read_bytes()
    assert len(data) < 100_000  # small compressed ...
    raws, (f,) = read_raw(data, "bombe.xlsx", ImportContext(max_unzipped_bytes=10 * 2**20))
    assert raws == [] and "ZIP-Bombe" in f.meldung  # ... but 20 MB uncompressed > 10 MB limit


# --- read_raw: ods ---------------------------------------------------------------------------------------------

def _ods_bytes(rows) -> bytes:
    def cell(v):
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               '<office:body><office:spreadsheet><table:table table:name="Sozialräume">' + body +
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest)
        zf.writestr("content.xml", content)
    return buf.getvalue()


def test_read_ods():
    raws, findings = read_raw(_ods_bytes([["Sozialraum-ID", "Name"], ["01", "Nord"], [2, "Süd"]]), "m.ods", CTX)
    assert findings == []
    (raw,) = raws
    assert raw.name == "Sozialräume"
    assert raw.cells.loc[2].tolist() == ["01", "Nord"]
    assert raw.cells.at[3, 0] == 2


# --- read_raw: CSV ---------------------------------------------------------------------------------------------

def test_csv_windows_1252_with_umlauts_and_decimal_commas():
    (raw,), findings = read_raw((BAD / "file_cp1252.csv").read_bytes(), "kosten.csv", CTX)
    assert findings == []
    assert raw.encoding == "cp1252" and raw.separator == ";" and raw.name == ""
    assert raw.cells.at[2, 2] == "Großweiler Süd" and raw.cells.at[3, 2] == "Mühlbach-Ölberg"
    assert to_money(raw.cells.at[2, 3]).value == pytest.approx(1234.56)  # "1.234,56"
    assert to_money(raw.cells.at[3, 3]).value == pytest.approx(987.5)  # "987,5"


def test_csv_utf8_bom_and_comma_separator():
    (raw,), findings = read_raw((BAD / "file_bom.csv").read_bytes(), "b.csv", CTX)
    assert raw.encoding == "utf-8-sig" and raw.separator == ","
    assert raw.cells.at[1, 0] == "Jahr"  # no BOM glued to the first header
    table, f = locate_header(raw, {"jahr": ["Jahr"], "sozialraum_id": ["Sozialraum-ID"], "name": ["Name"]},
                             ["jahr", "sozialraum_id"])
    assert f == [] and table.frame["jahr"].tolist() == ["2023", "2024"]


def test_csv_tab_separated_and_quoted_line_numbers():
    data = 'Jahr\tName\n2023\t"zwei\nZeilen"\n2024\tX\n'.encode("utf-8")
    (raw,), _ = read_raw(data, "t.tsv", CTX)
    assert raw.separator == "\t"
    # the record starting on line 2 spans lines 2-3; the next record starts on line 4
    assert list(raw.cells.index) == [1, 2, 4]
    assert raw.cells.at[2, 1] == "zwei\nZeilen"


def test_csv_utf16_from_excel_unicode_text():
    data = "Jahr\tAnzahl\n2023\t5\n".encode("utf-16")
    (raw,), _ = read_raw(data, "u.txt", CTX)
    assert raw.cells.loc[2].tolist() == ["2023", "5"]


def test_csv_decimal_comma_does_not_split_columns():
    data = "Jahr;Vollzeitstellen;Team\n2023;1,5;A\n2024;2,25;B\n".encode("utf-8")
    (raw,), _ = read_raw(data, "p.csv", CTX)
    assert raw.separator == ";" and raw.cells.shape == (3, 3)


# --- locate_header ---------------------------------------------------------------------------------------------

def test_header_below_title_rows_and_synonyms():
    raw = raw_of([["Hilfen 2023"], [], ["Berichtsjahr", "Sozialraum ID", "Art der Hilfe", "begonnen", "Beispiel"],
                  [2023, "01", "07", 3, "x"], [2023, "01", "08", 4, None], [None, None, None, None, None],
                  [2023, "02", "07", 5, "X "]])
    table, findings = locate_header(raw, HZE_COLS, ["jahr", "sozialraum_id", "hilfeart"])
    assert findings == []
    assert table.header_row == 3
    assert table.headers == {"jahr": "Berichtsjahr", "sozialraum_id": "Sozialraum ID", "hilfeart": "Art der Hilfe",
                             "begonnen": "begonnen"}
    # row 4 and row 7 are examples (x), row 6 is empty: only row 5 is left
    assert list(table.frame.index) == [5]
    assert table.frame.loc[5].tolist() == [2023, "01", "08", 4]


def test_header_beyond_row_10_is_an_error_saying_where():
    raw = raw_of([[f"Vorspann {i}"] for i in range(11)] + [["Jahr", "Sozialraum-ID", "Hilfeart"]])
    table, (f,) = locate_header(raw, HZE_COLS, ["jahr"])
    assert table is None and f.schwere == FEHLER and f.zeile == 12 and "ersten 10" in f.meldung


def test_no_header_at_all():
    raw = raw_of([["a", "b"], [1, 2]])
    table, (f,) = locate_header(raw, HZE_COLS, ["jahr"])
    assert table is None and f.schwere == FEHLER and "Keine Kopfzeile" in f.meldung and "„Jahr“" in f.meldung


def test_missing_required_column_names_sheet_and_header():
    raw = raw_of([["Jahr", "Sozialraum-ID"], [2023, "01"]])
    table, (f,) = locate_header(raw, HZE_COLS, ["jahr", "sozialraum_id", "hilfeart"])
    assert table is None
    assert (f.schwere, f.blatt, f.zeile, f.spalte) == (FEHLER, "HzE", 1, "Hilfeart")
    assert "Pflichtspalte „Hilfeart“ fehlt im Blatt „HzE“" in f.meldung


def test_unknown_column_is_a_hint_and_allowed_extra_is_silent():
    raw = raw_of([["Jahr", "Sozialraum-ID", "Hilfeart", "Bemerkung", "Kennnummer"], [2023, "01", 7, "a", 1]])
    table, findings = locate_header(raw, HZE_COLS, ["jahr"], allowed_extra=["Kennnummer"])
    (f,) = findings
    assert (f.schwere, f.spalte, f.zeile) == (HINWEIS, "Bemerkung", 1)
    assert list(table.frame.columns) == ["jahr", "sozialraum_id", "hilfeart"]


def test_merged_header_cells_warned():
    raw = raw_of([["Jahr", "Sozialraum-ID", None, "Hilfeart"], [2023, "01", None, 7]], merged=[(1, 2, 1, 3)])
    table, (f,) = locate_header(raw, HZE_COLS, ["jahr"])
    assert (f.schwere, f.zeile, f.spalte, f.wert) == (WARNUNG, 1, "Sozialraum-ID", "B1:C1")


def test_formula_marker_stays_for_the_parser():
    raw = raw_of([["Jahr", "Sozialraum-ID", "begonnen"], [2023, "01", Formula("=A2")]])
    table, findings = locate_header(raw, HZE_COLS, ["jahr"])
    assert findings == []
    assert table.frame.at[2, "begonnen"] is FORMULA_WITHOUT_VALUE


def test_empty_sheet():
    table, (f,) = locate_header(RawSheet("a.xlsx", "HzE", raw_of([["x"]]).cells.iloc[0:0]), HZE_COLS, ["jahr"])
    assert table is None and f.schwere == FEHLER and "leer" in f.meldung
