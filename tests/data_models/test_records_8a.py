"""§ 8a procedure records -> s8a_records."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd

from data_models.findings import FEHLER, HINWEIS, WARNUNG
from data_models.importers.base import ImportContext
from data_models.importers.records_8a import import_8a
from data_models.importers.records_common import hash_kennnummer
from data_models.schema import TABLES, empty

KEY = b"k8a"
HEADER = ["Kennnummer", "Jahr", "Sozialraum-ID", "Geschlecht", "Geburtsjahr", "Ergebnis", "Vernachlässigung",
          "körperliche Misshandlung", "psychische Misshandlung", "sexuelle Gewalt", "Melder",
          "Inanspruchnahme einer Hilfe zum Zeitpunkt", "Anrufung des Familiengerichts"]


def sozialraeume():
    f = empty("sozialraeume")
    return pd.DataFrame({"sozialraum_id": ["A", "B"], "name": ["Altstadt", "Berg"], "team": [None, None],
                         "gemeindeschluessel": [None, None], "gueltig_ab": pd.array([None, None], dtype="Int64"),
                         "gueltig_bis": pd.array([None, None], dtype="Int64")})[list(f.columns)]


def csv(rows, header=HEADER) -> bytes:
    return ("\n".join([";".join(header)] + [";".join(r) for r in rows]) + "\n").encode("utf-8")


def run(rows, header=HEADER):
    return import_8a(csv(rows, header), "8a.csv", ImportContext(sozialraeume=sozialraeume(), hash_key=KEY))


def errors(res):
    return [f for f in res.findings if f.schwere == FEHLER]


def test_valid_procedures():
    rows = [
        ["V1", "2023", "A", "2", "2015", "1", "1", "", "1", "", "3", "1", "2"],
        ["V2", "2023", "B", "1", "2010", "latente Kindeswohlgefährdung", "0", "1", "2", "nein", "", "", ""],
        ["V3", "2023", "", "", "", "3", "", "", "", "", "10", "2", ""],
        ["V4", "2023", "a", "", "2023", "4", "2", "", "", "", "12", "", ""],
    ]
    res = run(rows)
    assert res.ok, [f.text() for f in res.findings]
    f = res.tables["s8a_records"]
    assert list(f.columns) == list(TABLES["s8a_records"])
    assert f["ergebnis"].tolist() == ["1", "2", "3", "4"]
    assert f["vernachlaessigung"].tolist() == [True, False, False, False]  # 1 = ja; 0, empty, 2 = nein
    assert f["koerperlich"].tolist() == [False, True, False, False]
    assert f["psychisch"].tolist() == [True, False, False, False]
    assert f["sexuell"].tolist() == [False, False, False, False]
    assert f["vernachlaessigung"].dtype == "boolean"
    assert f["melder"].tolist() == ["03", None, "10", "12"]
    # alter = Jahr - Geburtsjahr: 2023 - 2015 = 8, 2023 - 2010 = 13, unknown, 0
    assert f["alter"].tolist()[0] == 8 and f["alter"].tolist()[1] == 13 and pd.isna(f["alter"].tolist()[2])
    assert f["alter"].tolist()[3] == 0
    assert f["inanspruchnahme"].tolist() == ["1", None, "2", None]
    assert f["familiengericht"].tolist() == ["2", None, None, None]
    # "a" differs from "A" only in case: accepted as "A" with a Hinweis
    assert f["sozialraum_id"].tolist() == ["A", "B", None, "A"]
    assert [x.zeile for x in res.findings if x.schwere == HINWEIS] == [5]
    assert f.loc[0, "kennung"] == hash_kennnummer(KEY, "V1")


def test_type_with_ergebnis_3_is_an_error():
    rows = [["V1", "2023", "A", "", "", "3", "", "", "1", "", "", "", ""],
            ["V2", "2023", "A", "", "", "2", "", "", "1", "", "", "", ""]]
    res = run(rows)
    e = errors(res)
    assert len(e) == 1 and e[0].zeile == 2 and e[0].spalte == "psychische Misshandlung"
    assert "Ergebnis 3" in e[0].meldung and "Ergebnis 1 (akut) oder 2 (latent)" in e[0].meldung


def test_type_with_ergebnis_4_is_an_error():
    res = run([["V1", "2023", "A", "", "", "4", "x", "", "", "", "", "", ""]])
    e = errors(res)
    assert [(x.zeile, x.spalte, x.art) for x in e] == [(2, "Vernachlässigung", "art_ohne_gefaehrdung")]


def test_type_columns_absent_means_unknown():
    header = ["Kennnummer", "Jahr", "Ergebnis"]
    res = run([["V1", "2023", "1"]], header=header)
    assert res.ok
    f = res.tables["s8a_records"]
    assert f["vernachlaessigung"].isna().all() and f["sexuell"].isna().all()


def test_wrong_type_value():
    res = run([["V1", "2023", "A", "", "", "1", "5", "", "", "", "", "", ""]])
    e = errors(res)
    assert [(x.zeile, x.spalte, x.wert) for x in e] == [(2, "Vernachlässigung", "5")]


def test_duplicate_within_year_and_same_number_other_year():
    rows = [["V1", "2023", "A", "", "", "1", "", "", "", "", "", "", ""],
            ["V1", "2022", "A", "", "", "1", "", "", "", "", "", "", ""],
            ["v1", "2023", "A", "", "", "3", "", "", "", "", "", "", ""]]
    res = run(rows)
    e = errors(res)
    assert [(x.zeile, x.art) for x in e] == [(4, "kennnummer_doppelt")]
    assert "Zeile 2" in e[0].meldung and "Jahr 2023" in e[0].meldung


def test_birth_year_checks():
    rows = [["V1", "2023", "A", "", "2024", "1", "", "", "", "", "", "", ""],
            ["V2", "2023", "A", "", "2003", "1", "", "", "", "", "", "", ""]]
    res = run(rows)
    assert [(x.zeile, x.art) for x in errors(res)] == [(2, "geburtsjahr_nach_jahr")]
    warn = [f for f in res.findings if f.schwere == WARNUNG]
    assert [(w.zeile, w.art) for w in warn] == [(3, "alter_volljaehrig")]  # 2023 - 2003 = 20 > 18


def test_missing_ergebnis_and_unknown_melder():
    rows = [["V1", "2023", "A", "", "", "", "", "", "", "", "13", "", ""]]
    res = run(rows)
    e = sorted(errors(res), key=lambda x: x.spalte)
    assert [(x.spalte, x.zeile) for x in e] == [("Ergebnis", 2), ("Melder", 2)]


def test_xlsx_with_one_sheet_per_year_and_a_help_sheet():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hinweise"
    ws.append(["Bitte je Verfahren eine Zeile."])
    for year in (2022, 2023):
        sh = wb.create_sheet(f"8a {year}")
        sh.append(["Kennnummer", "Jahr", "Sozialraum-ID", "Ergebnis", "sexuelle Gewalt"])
        sh.append([1, year, "A", 2, 1])
        sh.append([2, year, "B", 3, 1 if year == 2023 else None])
    buf = io.BytesIO()
    wb.save(buf)
    res = import_8a(buf.getvalue(), "8a.xlsx", ImportContext(sozialraeume=sozialraeume(), hash_key=KEY))
    e = errors(res)
    assert [(x.blatt, x.zeile, x.spalte) for x in e] == [("8a 2023", 3, "sexuelle Gewalt")]
    assert any(f.art == "blatt_uebersprungen" and f.blatt == "Hinweise" for f in res.findings)
