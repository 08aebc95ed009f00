"""Cell value parsing (masterdatei.md rules): counts, money, years, ids, codes, dates, text."""
from __future__ import annotations

import datetime as dt

import pytest

from data_models.importers.reading import FORMULA_WITHOUT_VALUE, excel_error
from data_models.importers.values import (Parsed, to_code, to_count, to_date, to_float, to_id, to_money, to_text,
                                          to_year)


@pytest.mark.parametrize("raw, expected", [
    (2, 2), (2.0, 2), ("2", 2), (" 2 ", 2), ("2.0", 2), ("2,0", 2), (0, 0),
    ("1.234", 1234),  # German thousands separator
    ("1.234.567", 1234567), ("1.234,0", 1234), ("1 234", 1234),
    ("-", 0), ("–", 0),  # official symbols for "nothing"
])
def test_count_accepts(raw, expected):
    p = to_count(raw)
    assert p.error is None and p.value == expected and type(p.value) is int


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan")])
def test_count_empty_is_no_data_not_zero(raw):
    assert to_count(raw) == Parsed(None, None, None)


@pytest.mark.parametrize("raw", [".", "x", "…"])
def test_count_no_data_symbols_give_a_hint(raw):
    p = to_count(raw)
    assert p.value is None and p.error is None and "keine Daten" in p.hint


@pytest.mark.parametrize("raw, needle", [
    (2.5, "keine ganze Zahl"), ("2,5", "keine ganze Zahl"), (-1, "negativ"), ("-3", "negativ"),
    ("abc", "keine Anzahl"), (True, "keine Anzahl"), (dt.date(2023, 1, 1), "Datum"),
    (FORMULA_WITHOUT_VALUE, "Formel"), (excel_error("#NV"), "Excel-Fehlerwert #NV"),
    (1e15, "unplausibel groß"),
])
def test_count_errors(raw, needle):
    p = to_count(raw)
    assert p.value is None and needle in p.error


@pytest.mark.parametrize("raw, expected, hint", [
    ("1.234,56", 1234.56, False), ("1234.56", 1234.56, False), (1234.56, 1234.56, False),
    ("1.234", 1234.0, True),  # read as German thousands, with a hint
    ("1.234.567", 1234567.0, False), ("12,50 €", 12.5, False), ("1,234.56", 1234.56, False),
    ("-", 0.0, False), ("-250,5", -250.5, False),
])
def test_money(raw, expected, hint):
    p = to_money(raw)
    assert p.error is None and p.value == pytest.approx(expected)
    assert (p.hint is not None) == hint
    if hint:
        assert "1.234 Euro" in p.hint


def test_money_error_is_german():
    assert "kein Geldbetrag" in to_money("zwölf").error


@pytest.mark.parametrize("raw, expected", [("1,5", 1.5), ("1.5", 1.5), (2, 2.0), ("1.234,5", 1234.5), ("-", 0.0)])
def test_float(raw, expected):
    assert to_float(raw).value == pytest.approx(expected)


@pytest.mark.parametrize("raw, expected", [(2023, 2023), (2023.0, 2023), ("2023", 2023), (" 2000 ", 2000),
                                           (2100, 2100)])
def test_year_accepts(raw, expected):
    assert to_year(raw) == Parsed(expected)


@pytest.mark.parametrize("raw, needle", [
    (1899, "außerhalb"), (2200, "außerhalb"), (1999, "außerhalb"), ("23", "vierstellige"), (23, "vierstellige"),
    (2023.5, "keine Jahreszahl"), (dt.date(2023, 1, 1), "Datum"), (dt.datetime(1905, 7, 15), "Datum"),
    ("zwanzig", "keine Jahreszahl"),
])
def test_year_errors(raw, needle):
    p = to_year(raw)
    assert p.value is None and needle in p.error


@pytest.mark.parametrize("raw, expected", [("01", "01"), (1.0, "1"), (1, "1"), (" A-3 ", "A-3"), ("OHNE", "OHNE")])
def test_id_is_text_as_written(raw, expected):
    assert to_id(raw) == Parsed(expected)


@pytest.mark.parametrize("raw, expected", [
    (7, "07"), (7.0, "07"), ("7", "07"), ("07", "07"), (" 07 ", "07"),
    ("§ 31 SPFH", "07"),  # paragraph that occurs in exactly one label
    ("Heimerziehung", "11"),  # a part of exactly one label
    ("07 – § 31 Sozialpädagogische Familienhilfe", "07"),  # drop-down entry of the template
])
def test_code_accepts(raw, expected):
    assert to_code("art_der_hilfe", raw) == Parsed(expected)


def test_code_one_digit_list_keeps_one_digit():
    assert to_code("anregende_institution", 3.0).value == "3"
    assert to_code("anregende_institution", "3 – Schule / Kindertageseinrichtung").value == "3"


@pytest.mark.parametrize("raw", ["17", 0, "§ 33", 7.5, "Zauberei"])
def test_code_errors(raw):
    p = to_code("art_der_hilfe", raw)
    assert p.value is None and "kein gültiger Code" in p.error and "01 bis 16" in p.error


def test_code_label_contradicting_code_is_error():
    p = to_code("art_der_hilfe", "07 – § 34 Heimerziehung, sonstige betreute Wohnform")
    assert p.value is None and "widersprüchlich" in p.error


@pytest.mark.parametrize("raw, expected", [
    ("31.12.2024", dt.date(2024, 12, 31)), ("1.2.2024", dt.date(2024, 2, 1)), ("2024-01-05", dt.date(2024, 1, 5)),
    ("2024-01-05T13:45:00", dt.date(2024, 1, 5)), (dt.datetime(2024, 3, 1, 8, 0), dt.date(2024, 3, 1)),
    (dt.date(2024, 3, 1), dt.date(2024, 3, 1)),
    (45000, dt.date(2023, 3, 15)),  # Excel serial: 1899-12-30 + 45000 days
    (1, dt.date(1899, 12, 31)),
])
def test_date_accepts(raw, expected):
    assert to_date(raw) == Parsed(expected)


@pytest.mark.parametrize("raw, needle", [("1.1.24", "vierstellige"), ("31.02.2024", "kein gültiges Datum"),
                                         ("morgen", "kein Datum")])
def test_date_errors(raw, needle):
    assert needle in to_date(raw).error


@pytest.mark.parametrize("raw", ["=1+1", "+49 30 1234", "-Ost-", "@West", "=HYPERLINK(\"http://x\")"])
def test_text_starting_with_formula_characters_stays_text(raw):
    assert to_text(raw) == Parsed(raw)


@pytest.mark.parametrize("fn", [to_count, to_money, to_float, to_year, to_id, to_date, to_text,
                                lambda v: to_code("melder_8a", v)])
def test_every_parser_reports_cell_problems(fn):
    assert "Formel ohne gespeicherten" in fn(FORMULA_WITHOUT_VALUE).error
    assert "#DIV/0!" in fn(excel_error("#DIV/0!")).error


def test_text_numbers():
    assert to_text(5.0) == Parsed("5")
    assert to_text(None) == Parsed()
