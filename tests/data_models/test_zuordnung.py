"""Assignment table (Kennnummer -> Sozialraum-ID, optional Art and Berichtsjahr) -> zuordnung."""
from __future__ import annotations

import pandas as pd

from data_models.findings import FEHLER, HINWEIS
from data_models.importers.base import ImportContext
from data_models.importers.records_common import hash_kennnummer
from data_models.importers.zuordnung import import_zuordnung
from data_models.schema import TABLES, empty

KEY = b"kz"


def sozialraeume():
    f = empty("sozialraeume")
    return pd.DataFrame({"sozialraum_id": ["01", "02"], "name": ["Nord", "Süd"], "team": [None, None],
                         "gemeindeschluessel": [None, None], "gueltig_ab": pd.array([None, None], dtype="Int64"),
                         "gueltig_bis": pd.array([None, None], dtype="Int64")})[list(f.columns)]


def run(text: str, soz=None):
    return import_zuordnung(text.encode("utf-8"), "zuordnung.csv",
                            ImportContext(sozialraeume=sozialraeume() if soz is None else soz, hash_key=KEY))


def errors(res):
    return [f for f in res.findings if f.schwere == FEHLER]


def test_valid_table():
    res = run("Kennnummer;Sozialraum-ID;Art;Berichtsjahr\n"
              "0815;01;HzE;2023\n"
              "0815;02;§ 8a;\n"
              "4711;2;42;\n"
              "999;01;;\n")
    assert res.ok, [f.text() for f in res.findings]
    f = res.tables["zuordnung"]
    assert list(f.columns) == list(TABLES["zuordnung"])
    assert f["kennung"].tolist() == [hash_kennnummer(KEY, k) for k in ("815", "815", "4711", "999")]
    assert f["sozialraum_id"].tolist() == ["01", "02", "02", "01"]
    assert f["art"].tolist() == ["hze", "8a", "42", None]
    assert f["berichtsjahr"].tolist()[0] == 2023 and f["berichtsjahr"].isna().tolist() == [False, True, True, True]
    assert [(x.zeile, x.art) for x in res.findings] == [(4, "sozialraum_numerisch")]
    assert res.touched() == {"zuordnung": None}  # replaced whole


def test_only_required_columns():
    res = run("Kennnummer,Sozialraum-ID\n1,01\n2,02\n")
    assert res.ok and res.tables["zuordnung"]["art"].isna().all()


def test_unknown_sozialraum_and_missing_id():
    res = run("Kennnummer;Sozialraum-ID\n1;07\n2;\n")
    e = errors(res)
    assert [(x.zeile, x.spalte, x.art) for x in e] == [(2, "Sozialraum-ID", "sozialraum_unbekannt"),
                                                       (3, "Sozialraum-ID", "sozialraum_id_fehlt")]


def test_without_sozialraeume():
    res = run("Kennnummer;Sozialraum-ID\n1;01\n", soz=empty("sozialraeume"))
    e = errors(res)
    assert len(e) == 1 and "zuerst die Masterdatei" in e[0].meldung


def test_conflicting_and_repeated_rows():
    res = run("Kennnummer;Sozialraum-ID;Art;Berichtsjahr\n"
              "1;01;hze;2023\n"
              "1;01;hze;2023\n"  # identical repeat: Hinweis, dropped
              "1;02;hze;2023\n"  # conflict: Fehler naming row 2
              "1;02;hze;2022\n")  # other year: fine
    e = errors(res)
    assert [(x.zeile, x.art) for x in e] == [(4, "zuordnung_widerspruch")] and "Zeile 2" in e[0].meldung
    hints = [f for f in res.findings if f.schwere == HINWEIS]
    assert [(h.zeile, h.art) for h in hints] == [(3, "zuordnung_doppelt")]


def test_repeat_without_conflict_is_dropped():
    res = run("Kennnummer;Sozialraum-ID\n1;01\n01;01\n")
    assert res.ok and len(res.tables["zuordnung"]) == 1


def test_wrong_art():
    res = run("Kennnummer;Sozialraum-ID;Art\n1;01;Kita\n")
    e = errors(res)
    assert [(x.zeile, x.spalte, x.wert) for x in e] == [(2, "Art", "Kita")] and "hze" in e[0].meldung
