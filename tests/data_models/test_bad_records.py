"""Bad single-case record files (tests/fixtures/bad/rec_*, made by tests/fixtures/make_bad_record_fixtures.py):
each is refused with a Fehler that names where the problem is and says in German what to change."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from data_models.findings import FEHLER
from data_models.importers.base import ImportContext
from data_models.importers.hze_festbreite import import_hze_festbreite
from data_models.importers.records_42 import import_42
from data_models.importers.records_8a import import_8a
from data_models.importers.records_hze import import_hze
from data_models.importers.zuordnung import import_zuordnung
from data_models.schema import empty

BAD = Path(__file__).parents[1] / "fixtures" / "bad"


def sozialraeume():
    f = empty("sozialraeume")
    return pd.DataFrame({"sozialraum_id": ["01", "02"], "name": ["Nord", "Süd"], "team": [None, None],
                         "gemeindeschluessel": ["01001000", None], "gueltig_ab": pd.array([None, None], dtype="Int64"),
                         "gueltig_bis": pd.array([None, None], dtype="Int64")})[list(f.columns)]


def refused(importer, name, year=None, soz=None):
    data = (BAD / name).read_bytes()
    ctx = ImportContext(sozialraeume=sozialraeume() if soz is None else soz, hash_key=b"t", year=year)
    res = importer(data, name, ctx)
    assert not res.ok and res.tables == {}, "file must be refused, nothing stored"
    errs = [f for f in res.findings if f.schwere == FEHLER]
    assert all(f.datei == name for f in errs)
    return errs


def only(errs):
    assert len(errs) == 1, [f.text() for f in errs]
    return errs[0]


def test_all_fixtures_exist():
    from tests.fixtures.make_bad_record_fixtures import FIXTURES

    missing = [n for n in FIXTURES if not (BAD / n).exists()]
    assert not missing, f"run tests/fixtures/make_bad_record_fixtures.py: {missing}"
    assert len(FIXTURES) >= 12


def test_unknown_sozialraum():
    e = only(refused(import_hze, "rec_hze_unbekannter_sozialraum.csv"))
    assert (e.zeile, e.spalte, e.wert) == (3, "Sozialraum-ID", "99")
    assert "nicht im Blatt „Sozialräume“" in e.meldung


def test_sozialraum_before_sozialraeume_uploaded():
    errs = refused(import_hze, "rec_hze_unbekannter_sozialraum.csv", soz=empty("sozialraeume"))
    assert [(e.zeile, e.spalte) for e in errs] == [(2, "Sozialraum-ID"), (3, "Sozialraum-ID")]
    assert all("zuerst die Masterdatei" in e.meldung for e in errs)


def test_begin_after_end():
    e = only(refused(import_hze, "rec_hze_beginn_nach_ende.csv"))
    assert (e.zeile, e.spalte) == (3, "Ende Jahr") and "liegt nach dem Ende" in e.meldung


def test_age_27():
    e = only(refused(import_hze, "rec_hze_alter_27.csv"))
    # begin 03/2022, born 01/1995: (2022*12+3 - 1995*12-1) = 326 months -> 27 years
    assert (e.zeile, e.spalte, e.wert) == (3, "Geburtsjahr", "1995") and "27 Jahre" in e.meldung


def test_duplicate_kennnummer():
    e = only(refused(import_hze, "rec_hze_doppelte_kennnummer.csv"))
    assert (e.zeile, e.spalte, e.wert) == (3, "Kennnummer", "K1")
    assert "mehrfach" in e.meldung and "Zeile 2" in e.meldung


def test_end_year_not_report_year():
    e = only(refused(import_hze, "rec_hze_ende_falsches_jahr.csv"))
    assert (e.zeile, e.spalte, e.wert) == (3, "Ende Jahr", "2022") and "Berichtsjahr" in e.meldung


def test_required_column_missing():
    e = only(refused(import_hze, "rec_hze_pflichtspalte_fehlt.csv"))
    assert (e.zeile, e.spalte) == (1, "Geschlecht") and "Pflichtspalte" in e.meldung


def test_unknown_art_in_xlsx():
    e = only(refused(import_hze, "rec_hze_art_unbekannt.xlsx"))
    assert (e.blatt, e.zeile, e.spalte, e.wert) == ("Einzeldaten", 3, "Art der Hilfe", "17")
    assert "unbekannter Schlüssel" in e.meldung


def test_end_reason_without_end():
    e = only(refused(import_hze, "rec_hze_beendigungsgrund_ohne_ende.csv"))
    assert (e.zeile, e.spalte) == (3, "Beendigungsgrund") and "nur bei beendeten Hilfen" in e.meldung


def test_empty_file():
    e = only(refused(import_hze, "rec_hze_leer.csv"))
    assert "leer" in e.meldung


def test_fixed_width_line_too_long():
    e = only(refused(import_hze_festbreite, "rec_hze_festbreite_zu_lang.txt", year=2023))
    assert e.zeile == 2 and "156–159" in e.meldung and "159 Zeichen" in e.meldung


def test_fixed_width_letters():
    e = only(refused(import_hze_festbreite, "rec_hze_festbreite_buchstaben.txt", year=2023))
    assert (e.zeile, e.spalte, e.wert) == (2, "Positionen 28–29", "O7") and "nur Ziffern" in e.meldung


def test_fixed_width_without_year():
    e = only(refused(import_hze_festbreite, "rec_hze_festbreite_buchstaben.txt", year=None))
    assert "Berichtsjahr" in e.meldung and "--year" in e.meldung


def test_8a_type_with_ergebnis_3():
    e = only(refused(import_8a, "rec_8a_art_bei_ergebnis_3.csv"))
    assert (e.zeile, e.spalte) == (3, "Vernachlässigung") and "Ergebnis 3" in e.meldung


def test_8a_decimal_ergebnis():
    e = only(refused(import_8a, "rec_8a_ergebnis_dezimal.csv"))
    assert (e.zeile, e.spalte, e.wert) == (2, "Ergebnis", "1,5") and "unbekannter Schlüssel" in e.meldung


def test_42_two_digit_year():
    e = only(refused(import_42, "rec_42_zweistelliges_jahr.csv"))
    assert (e.zeile, e.spalte, e.wert) == (3, "Beginn", "01.03.23") and "vierstellig" in e.meldung


def test_42_begin_after_end():
    e = only(refused(import_42, "rec_42_beginn_nach_ende.csv"))
    assert (e.zeile, e.spalte) == (2, "Beginn") and "nach dem Ende" in e.meldung


def test_42_year_is_not_end_year():
    e = only(refused(import_42, "rec_42_jahr_ungleich_ende.csv"))
    assert (e.zeile, e.spalte) == (2, "Ende") and "Jahr 2023" in e.meldung


def test_zuordnung_contradiction():
    e = only(refused(import_zuordnung, "rec_zuordnung_widerspruch.csv"))
    assert (e.zeile, e.spalte, e.wert) == (3, "Kennnummer", "4711") and "Zeile 2" in e.meldung


@pytest.mark.parametrize("name", ["file_corrupt.xlsx", "file_document.pdf", "file_webpage.xls", "file_zipbomb.xlsx",
                                  "file_empty.xlsx", "file_text.txt"])
def test_unreadable_files_from_other_fixtures_are_refused(name):
    assert (BAD / name).exists(), f"fixture {name} of the reading tests is missing"
    data = (BAD / name).read_bytes()
    res = import_hze(data, name, ImportContext(sozialraeume=sozialraeume(), hash_key=b"t"))
    assert not res.ok and res.tables == {}
    assert any(f.schwere == FEHLER for f in res.findings)
