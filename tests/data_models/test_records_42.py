"""§ 42 measure records -> s42_records (duration in days instead of dates)."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from data_models.findings import FEHLER, WARNUNG
from data_models.importers.base import ImportContext
from data_models.importers.records_42 import import_42
from data_models.schema import TABLES, empty

HEADER = ["Kennnummer", "Jahr", "Sozialraum-ID", "Art der Maßnahme", "Beginn", "Ende", "Geschlecht", "Geburtsjahr",
          "Anlass", "Anregende", "Anschließend"]


def sozialraeume():
    f = empty("sozialraeume")
    return pd.DataFrame({"sozialraum_id": ["1", "2"], "name": ["Nord", "Süd"], "team": [None, None],
                         "gemeindeschluessel": [None, None], "gueltig_ab": pd.array([None, None], dtype="Int64"),
                         "gueltig_bis": pd.array([None, None], dtype="Int64")})[list(f.columns)]


def ctx():
    return ImportContext(sozialraeume=sozialraeume(), hash_key=b"k42")


def run(rows, header=HEADER):
    text = "\n".join([";".join(header)] + [";".join(f'"{v}"' if ";" in v else v for v in r) for r in rows]) + "\n"
    return import_42(text.encode("utf-8"), "42.csv", ctx())


def rec(kn="M1", jahr="2023", beginn="01.03.2023", ende="10.03.2023", art="1", anlass="", anschluss="", gy="2010",
        sr="1"):
    return [kn, jahr, sr, art, beginn, ende, "2", gy, anlass, "4", anschluss]


def errors(res):
    return [f for f in res.findings if f.schwere == FEHLER]


def test_all_accepted_date_forms_and_duration():
    rows = [
        rec("M1", beginn="01.03.2023", ende="15.03.2023"),  # TT.MM.JJJJ: 14 days
        rec("M2", beginn="1.3.2023", ende="16.3.2023"),  # T.M.JJJJ: 15 days
        rec("M3", beginn="2022-12-20", ende="2023-01-05"),  # ISO over the year end: 11 + 5 = 16 days
        rec("M4", beginn="28.02.2024", ende="01.03.2024", jahr="2024"),  # leap year: 2 days
        rec("M5", beginn="05.05.2023", ende="05.05.2023"),  # same day: 0
    ]
    res = run(rows)
    assert res.ok, [f.text() for f in res.findings]
    f = res.tables["s42_records"]
    assert list(f.columns) == list(TABLES["s42_records"])
    assert f["dauer_tage"].tolist() == [14, 15, 16, 2, 0]
    assert "beginn" not in f.columns and "ende" not in f.columns  # dates are not stored
    assert f["alter"].tolist() == [13, 13, 13, 14, 13]  # Jahr - Geburtsjahr 2010
    assert f["anregende"].tolist() == ["4"] * 5


def test_excel_dates():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["M1", 2023, 1, 2, dt.datetime(2023, 3, 1), dt.date(2023, 3, 31), 1, 2007, 8, None, 2])
    ws.append(["M2", 2023, 2, 1, "01.04.2023", dt.datetime(2023, 4, 2), 1, 2007, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    res = import_42(buf.getvalue(), "42.xlsx", ctx())
    assert res.ok, [f.text() for f in res.findings]
    f = res.tables["s42_records"]
    assert f["dauer_tage"].tolist() == [30, 1]
    assert f["anlass"].tolist() == ["8", None]
    assert f["art"].tolist() == ["2", "1"]


def test_two_digit_year_is_an_error():
    res = run([rec(beginn="01.03.23")])
    e = errors(res)
    assert len(e) == 1 and e[0].spalte == "Beginn" and e[0].zeile == 2 and e[0].wert == "01.03.23"
    assert "zweistellige Jahreszahlen" in e[0].meldung


def test_invalid_date_is_an_error():
    res = run([rec(ende="31.02.2023"), rec("M2", ende="März 2023")])
    e = errors(res)
    assert [(x.zeile, x.spalte, x.art) for x in e] == [(2, "Ende", "ende_ungueltig"), (3, "Ende", "ende_ungueltig")]


def test_begin_after_end():
    res = run([rec(beginn="11.03.2023", ende="10.03.2023")])
    e = errors(res)
    assert [(x.zeile, x.art) for x in e] == [(2, "beginn_nach_ende")]


def test_jahr_must_be_year_of_end():
    res = run([rec(jahr="2022", beginn="20.12.2022", ende="03.01.2023")])
    e = errors(res)
    assert [(x.zeile, x.art) for x in e] == [(2, "ende_nicht_jahr")] and "2023" in e[0].meldung


def test_anlass_list_normalised():
    res = run([rec("M1", anlass="8; 1"), rec("M2", anlass="01;3;3"), rec("M3", anlass="14")])
    e = errors(res)
    assert [(x.zeile, x.spalte) for x in e] == [(4, "Anlass")]
    res = run([rec("M1", anlass="8; 1"), rec("M2", anlass="01;3;3")])
    assert res.tables["s42_records"]["anlass"].tolist() == ["1;8", "1;3"]


def test_missing_dates_and_art():
    res = run([rec(beginn="", art="")])
    e = sorted(errors(res), key=lambda x: x.spalte)
    assert [(x.spalte, x.zeile) for x in e] == [("Art der Maßnahme", 2), ("Beginn", 2)]


def test_age_warning_and_duplicate():
    res = run([rec("M1", gy="2000"), rec("M1")])
    assert [(w.zeile, w.art) for w in res.findings if w.schwere == WARNUNG] == [(2, "alter_volljaehrig")]
    assert [(x.zeile, x.art) for x in errors(res)] == [(3, "kennnummer_doppelt")]
