import io

import openpyxl
import pandas as pd

from data_models.tabular_export import (
    SUPPRESSED_FOOTNOTE,
    csv_de_bytes,
    neutralise_formula,
    safe_filename,
    xlsx_bytes,
)
from tests.components.factories import tidy

HYPERLINK = '=HYPERLINK("http://example.invalid","klick")'


def _frame():
    f = tidy([
        (2023, "01", HYPERLINK, 31.42, 1571, 50000, False),
        (2023, "02", "+49 Süd", -3.5, None, None, False),
        (2023, "03", "@SUMME(A1)", None, None, None, True),
        (2023, "04", "-Ost; \"West\"", 1234567.125, 2, 1000, False),
    ])
    return f


def test_csv_for_german_excel():
    data = csv_de_bytes(_frame())
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Jahr;Sozialraum-ID;Sozialraum;Indikator;Wert;Zähler;Nenner;Einheit;unterdrückt"
    # formula-like text gets an apostrophe (and the quote doubling of CSV); numbers keep full precision, comma
    assert lines[1] == ("2023;01;\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"klick\"\")\";hze_dichte;"
                        "31,42;1571;50000;je 1.000 unter 21;nein")
    # a negative number is a number, not a formula; null is an empty field
    assert lines[2] == "2023;02;'+49 Süd;hze_dichte;-3,5;;;je 1.000 unter 21;nein"
    # suppressed: "." for value, Zähler and Nenner
    assert lines[3] == "2023;03;'@SUMME(A1);hze_dichte;.;.;.;je 1.000 unter 21;ja"
    # the semicolon inside a name is quoted; no thousands separator; 1234567.125 exactly
    assert lines[4] == "2023;04;\"'-Ost; \"\"West\"\"\";hze_dichte;1234567,125;2;1000;je 1.000 unter 21;nein"
    # blank line, then the footnote, because a value is suppressed
    assert lines[5] == "" and lines[6] == SUPPRESSED_FOOTNOTE


def test_csv_without_suppression_has_no_footnote_and_keeps_custom_headers():
    f = pd.DataFrame({"name": ["=1+1"], "anzahl": [3]})
    text = csv_de_bytes(f, {"name": "Name", "anzahl": "Anzahl"}).decode("utf-8-sig")
    assert text == "Name;Anzahl\r\n'=1+1;3\r\n"


def test_neutralise_formula():
    assert [neutralise_formula(t) for t in ("=A1", "+1", "-1", "@x", "\tx", "Nord", "")] == [
        "'=A1", "'+1", "'-1", "'@x", "'\tx", "Nord", ""]


def test_xlsx_text_cells_are_strings_never_formulas():
    data = xlsx_bytes(_frame(), source="Quelle: Upload Version 3 vom 12.03.2025 · Strategiekarte")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Daten"]
    assert [c.value for c in ws[1]] == ["Jahr", "Sozialraum-ID", "Sozialraum", "Indikator", "Wert", "Zähler",
                                        "Nenner", "Einheit", "unterdrückt"]
    link = ws["C2"]
    assert link.value == HYPERLINK and link.data_type == "s"  # a string, not a formula
    assert ws["C4"].value == "@SUMME(A1)" and ws["C4"].data_type == "s"  # no apostrophe needed in XLSX
    assert ws["E2"].value == 31.42 and ws["E2"].data_type == "n"  # numbers stay numbers
    assert ws["A2"].value == 2023 and ws["F2"].value == 1571
    assert ws["E3"].value == -3.5 and ws["F3"].value is None  # null -> empty cell
    assert [ws.cell(4, c).value for c in (5, 6, 7, 9)] == [".", ".", ".", "ja"]  # suppressed
    assert ws["A7"].value.startswith("Quelle: Upload Version 3") and ws["A8"].value == SUPPRESSED_FOOTNOTE
    assert ws.freeze_panes == "A2"
    # no formula anywhere in the sheet XML
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet_xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_safe_filename():
    assert safe_filename("HzE-Fälle nach Art/Hilfe 2023") == "HzE-Faelle_nach_Art_Hilfe_2023"
    assert safe_filename("../../etc/passwd") == "etc_passwd"
    assert safe_filename("§§§") == "PPP"
    assert safe_filename("///") == "export"
