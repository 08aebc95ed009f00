"""The Masterdatei importer on valid and slightly unusual workbooks (the bad inputs are in test_bad_masterdatei)."""
from __future__ import annotations

import time

import pandas as pd
import pytest

from data_models.findings import FEHLER, HINWEIS, WARNUNG
from data_models.importers.base import ImportContext
from data_models.importers.masterdatei import COLUMNS, import_masterdatei, parse_kosten_hilfeart, sheet_kind
from data_models.schema import SHEETS, TABLES, empty
from tests.fixtures.make_bad_fixtures import BEV_HEADER, HZE_HEADER, base_sheets, xlsx_bytes


def run(sheets, ctx=None, name="m.xlsx"):
    return import_masterdatei(xlsx_bytes(sheets), name, ctx or ImportContext())


def of(result, schwere=None, art=None):
    return [f for f in result.findings if (schwere is None or f.schwere == schwere) and (art is None or f.art == art)]


def full_workbook() -> dict[str, list[list]]:
    s = base_sheets()
    s["SGB II"] = [["Jahr", "Sozialraum-ID", "Leistungsberechtigte unter 15", "Bedarfsgemeinschaften mit Kindern",
                    "davon Alleinerziehende"], [2023, "01", 420, 300, 120], [2023, "02", 80, None, None]]
    s["Beratung"] = [["Jahr", "Sozialraum-ID", "§ 16", "§ 28 Erziehungsberatung"], [2023, "01", 12, "."],
                     [2023, "02", "-", 40]]
    s["Zugänge"] = [["Jahr", "Sozialraum-ID", "Zugangsweg", "Anzahl", "Anregende Institution"],
                    [2023, "01", "Schule", 2, 3], [2023, "01", "Polizei", 1, "5"], [2023, "02", "Kita", 1, None]]
    s["§ 8a"] = [["Jahr", "Sozialraum-ID", "akute Kindeswohlgefährdung", "latente Kindeswohlgefährdung",
                  "keine Kindeswohlgefährdung, aber Hilfebedarf", "keine Kindeswohlgefährdung und kein Hilfebedarf",
                  "Vernachlässigung"], [2023, "01", 2, 3, 4, 5, 5], [2023, "02", 0, 1, 1, 2, None]]
    s["§ 8a Melder"] = [["Jahr", "Sozialraum-ID", "Melder", "Anzahl"], [2023, "01", 2, 7],
                        [2023, "02", "Polizei, Gericht, Staatsanwaltschaft", 4]]
    s["§ 42"] = [["Jahr", "Sozialraum-ID", "Inobhutnahmen", "davon nach unbegleiteter Einreise",
                  "anschließend Rückkehr zu den Sorgeberechtigten"], [2023, "01", 6, 2, 3], [2023, "02", 1, 0, 1]]
    s["Kosten"] = [["Jahr", "Sozialraum-ID", "Hilfeart", "Ausgaben (EUR)", "Ansatz (EUR)", "Einnahmen (EUR)"],
                   [2023, None, "ambulant", "1.234.567,89", 1300000, "12.000"],
                   [2023, None, "stationaer", 2500000.5, None, None],
                   [2023, None, "EB", 300000, None, None]]
    s["Personal"] = [["Jahr", "Team", "Vollzeitstellen", "davon unbesetzt"], [2023, "Team Nord", "4,5", 0.5],
                     [2023, "Team Süd", 3, None]]
    return s


def test_full_workbook_gives_canonical_frames():
    r = run(full_workbook())
    assert [f for f in r.findings if f.schwere != HINWEIS] == []
    assert r.ok and r.kind == "masterdatei" and r.datei == "m.xlsx"
    assert list(r.tables) == ["sozialraeume", "bevoelkerung", "sgb2", "hze", "beratung", "zugaenge", "s8a",
                              "s8a_melder", "s42", "kosten", "personal"]
    for kind, frame in r.tables.items():
        assert list(frame.columns) == list(TABLES[kind])
    t = r.tables
    assert t["sozialraeume"]["sozialraum_id"].tolist() == ["01", "02"]
    assert t["sozialraeume"]["team"].tolist() == ["Team Nord", "Team Süd"]
    bev = t["bevoelkerung"].set_index("sozialraum_id")
    assert bev.loc["01", "insgesamt"] == 5000 and bev.loc["02", "a21_27"] == 100
    assert str(bev["insgesamt"].dtype) == "Int64"
    hze = t["hze"]
    assert hze["hilfeart"].tolist() == ["07", "11"]
    assert hze["junge_menschen"].isna().all()  # optional column absent = no data
    sgb2 = t["sgb2"].set_index("sozialraum_id")
    assert sgb2.loc["01", "bg_alleinerziehend"] == 120 and pd.isna(sgb2.loc["02", "bg_kinder"])
    ber = t["beratung"].set_index("sozialraum_id")
    assert pd.isna(ber.loc["01", "p28"])  # "." = no data
    assert ber.loc["02", "p16"] == 0  # "-" = 0
    assert pd.isna(ber.loc["01", "p17"])  # column missing = no data
    assert t["zugaenge"]["anregende"].tolist() == ["3", "5", None]
    assert t["s8a_melder"]["melder"].tolist() == ["02", "01"]  # label matched to code 01
    assert t["s8a"].set_index("sozialraum_id").loc["01", "vernachlaessigung"] == 5  # = akut + latent, allowed
    assert t["s42"]["uma"].tolist() == [2, 0]
    kosten = t["kosten"]
    assert kosten["hilfeart"].tolist() == ["ambulant", "stationär", "EB"]
    assert kosten["sozialraum_id"].isna().all()  # empty = whole municipality
    assert kosten["ausgaben"].tolist() == pytest.approx([1234567.89, 2500000.5, 300000.0])
    assert kosten["einnahmen"].iloc[0] == 12000.0  # text "12.000" read as German thousands ...
    assert any(f.art == "hinweis_money" and f.zeile == 2 for f in r.findings)  # ... with a Hinweis
    assert str(kosten["ausgaben"].dtype) == "Float64"
    pers = t["personal"]
    assert pers["vzst"].tolist() == [4.5, 3.0] and pers["unbesetzt"].iloc[0] == 0.5
    assert r.touched() == {"sozialraeume": None, **{k: [2023] for k in list(SHEETS)[1:]}}


def test_hints_for_no_data_symbol():
    r = run(full_workbook())
    (f,) = [f for f in r.findings if f.art == "hinweis_count"]
    assert (f.blatt, f.zeile, f.spalte, f.wert) == ("Beratung", 2, "§ 28 Erziehungsberatung", ".")


def test_sheet_and_header_spellings():
    s = base_sheets()
    s["sozialraeume"] = s.pop("Sozialräume")
    s["sozialraeume"][0] = ["sozialraum_id", "NAME", "team"]
    s["BEVOELKERUNG"] = s.pop("Bevölkerung")
    s["hze"] = s.pop("HzE")
    s["hze"][0] = ["Berichtsjahr", "Sozialraum ID", "Art der Hilfe", "Begonnen", "Beendet", "andauernd am 31.12"]
    r = run(s)
    assert r.ok, [f.text() for f in r.findings]
    assert r.tables["hze"]["andauernd"].tolist() == [5, 2]
    assert r.info["blaetter"]["bevoelkerung"] == "BEVOELKERUNG"
    assert sheet_kind("§ 8a-Melder") == "s8a_melder" and sheet_kind("§8a") == "s8a" and sheet_kind("x") is None


def test_only_sozialraeume_is_required():
    s = {"Sozialräume": base_sheets()["Sozialräume"]}
    r = run(s)
    assert r.ok and list(r.tables) == ["sozialraeume"]
    assert r.touched() == {"sozialraeume": None}


def test_ids_from_tenant_when_sozialraeume_sheet_is_empty():
    s = base_sheets()
    s["Sozialräume"] = [["Sozialraum-ID", "Name"]]
    ctx = ImportContext(sozialraeume=pd.DataFrame({"sozialraum_id": ["01", "02"], "name": ["N", "S"], "team": [None] * 2,
                                                   "gemeindeschluessel": [None] * 2,
                                                   "gueltig_ab": pd.array([None, None], dtype="Int64"),
                                                   "gueltig_bis": pd.array([None, None], dtype="Int64")}))
    r = run(s, ctx)
    assert r.ok and "sozialraeume" not in r.tables  # nothing replaced
    assert of(r, HINWEIS, "keine_zeilen")
    assert r.tables["hze"]["sozialraum_id"].tolist() == ["01", "02"]


def test_ohne_is_allowed_and_case_insensitive():
    s = base_sheets()
    s["HzE"].append([2023, "ohne", "07", 1, 0, 0])
    r = run(s)
    assert r.ok and r.tables["hze"]["sozialraum_id"].tolist() == ["01", "02", "OHNE"]


def test_unknown_sheet_and_template_sheets():
    s = base_sheets()
    s["Notizen"] = [["irgendwas"]]
    s["Hinweise"] = [["So füllen Sie ..."]]
    s["Codes"] = [["01 – ..."]]
    r = run(s)
    (f,) = of(r, HINWEIS, "blatt_unbekannt")
    assert f.blatt == "Notizen" and "ignoriert" in f.meldung


def test_two_sheets_for_one_kind_is_an_error():
    s = base_sheets()
    s["Hilfen zur Erziehung"] = s["HzE"]
    r = run(s)
    (f,) = of(r, FEHLER, "blatt_doppelt")
    assert "„HzE“" in f.meldung and "„Hilfen zur Erziehung“" in f.meldung


def test_long_sheet_sozialraum_without_rows_is_a_warning_not_zero_rows():
    s = base_sheets()
    s["HzE"] = [list(HZE_HEADER), [2023, "01", "07", 3, 2, 5], [2024, "01", "07", 1, 1, 1], [2024, "02", "07", 1, 0, 1]]
    r = run(s)
    (f,) = of(r, WARNUNG, "sozialraum_fehlt")
    assert (f.blatt, f.spalte, f.wert) == ("HzE", "Sozialraum-ID", "02") and "2023" in f.meldung
    assert len(r.tables["hze"]) == 3  # only the rows given; no zero rows are invented


def test_validity_years_silence_missing_row_warning():
    s = base_sheets()
    s["Sozialräume"] = [["Sozialraum-ID", "Name", "gültig ab"], ["01", "Nord", None], ["02", "Süd", 2024]]
    s["Bevölkerung"] = s["Bevölkerung"][:2]
    s["HzE"] = [list(HZE_HEADER), [2023, "01", "07", 3, 2, 5]]
    r = run(s)
    assert of(r, WARNUNG) == []  # "02" starts in 2024, so 2023 has no row for it by design
    assert r.tables["sozialraeume"]["gueltig_ab"].tolist()[1] == 2024


def test_population_change_over_20_percent_warns():
    s = base_sheets()
    s["Bevölkerung"] += [[2024, "01", 100, 100, 120, 150, 90, 90, 200, 6100],  # 5000 -> 6100 = +22 %
                         [2024, "02", 50, 50, 60, 70, 40, 40, 100, 2900]]  # 2500 -> 2900 = +16 %
    s["HzE"] += [[2024, "01", "07", 1, 1, 1], [2024, "02", "07", 1, 1, 1]]
    r = run(s)
    (f,) = of(r, WARNUNG, "bevoelkerung_sprung")
    assert (f.blatt, f.zeile, f.spalte) == ("Bevölkerung", 4, "insgesamt") and "22 %" in f.meldung


def test_helps_with_population_zero_warn():
    s = base_sheets()
    s["Bevölkerung"][2] = [2023, "02", 0, 0, 0, 0, 0, 0, 0, 0]
    r = run(s)
    (f,) = of(r, WARNUNG, "hilfen_ohne_bevoelkerung")
    assert (f.blatt, f.zeile) == ("HzE", 3)


def test_year_missing_in_another_sheet_warns():
    s = base_sheets()
    s["HzE"].append([2024, "01", "07", 1, 1, 1])
    s["HzE"].append([2024, "02", "07", 1, 1, 1])
    r = run(s)
    (f,) = of(r, WARNUNG, "jahr_fehlt")
    assert f.blatt == "Bevölkerung" and f.wert == "2024" and "„HzE“" in f.meldung


def test_kosten_hilfeart_values():
    assert parse_kosten_hilfeart("teilstationaer").value == "teilstationär"
    assert parse_kosten_hilfeart("35a").value == "§ 35a"
    assert parse_kosten_hilfeart("§ 35a").value == "§ 35a"
    assert parse_kosten_hilfeart("Gesamt").value == "gesamt"
    assert parse_kosten_hilfeart(13).value == "13"
    assert parse_kosten_hilfeart("eb").value == "EB"
    assert "weder" in parse_kosten_hilfeart("Sonstiges").error


def test_kosten_codes_with_eb_segment_is_allowed_but_eb_twice_is_not():
    s = base_sheets()
    s["Kosten"] = [["Jahr", "Hilfeart", "Ausgaben (EUR)"], [2023, "07", 10], [2023, "11", 20], [2023, "EB", 5]]
    assert run(s).ok
    s["Kosten"].append([2023, "01", 2])  # EB as segment and as code 01 would count EB twice
    (f,) = of(run(s), FEHLER, "kosten_gemischt")
    assert f.zeile == 5


def test_kosten_sozialraum_rows_checked():
    s = base_sheets()
    s["Kosten"] = [["Jahr", "Sozialraum-ID", "Hilfeart", "Ausgaben (EUR)"], [2023, "01", "gesamt", 10],
                   [2023, "77", "gesamt", 20], [2023, None, "gesamt", 30]]
    r = run(s)
    (f,) = of(r, FEHLER)
    assert (f.zeile, f.art) == (3, "id_unbekannt")


def test_personal_checks():
    s = base_sheets()
    s["Personal"] = [["Jahr", "Team", "Vollzeitstellen", "davon unbesetzt"], [2023, "Team Nord", 2, 2.5],
                     [2023, "Team West", 1, None]]
    r = run(s)
    (e,) = of(r, FEHLER)
    assert (e.zeile, e.spalte, e.art) == (2, "davon unbesetzt", "davon_zu_gross")
    (w,) = of(r, WARNUNG, "team_unbekannt")
    assert (w.zeile, w.wert) == (3, "Team West")


def test_sgb2_davon_checked():
    s = base_sheets()
    s["SGB II"] = [["Jahr", "Sozialraum-ID", "Leistungsberechtigte unter 15", "Bedarfsgemeinschaften mit Kindern",
                    "davon Alleinerziehende"], [2023, "01", 10, 5, 6], [2023, "02", 1, 1, 1]]
    (f,) = of(run(s), FEHLER)
    assert (f.blatt, f.zeile, f.spalte) == ("SGB II", 2, "davon Alleinerziehende")


def test_ags_normalised_and_seven_digits_padded():
    s = base_sheets()
    s["Sozialräume"] = [["Sozialraum-ID", "Name", "Gemeindeschlüssel"], ["01", "Nord", "09162000; 09162001"],
                        ["02", "Süd", 5111000]]
    r = run(s)
    assert r.tables["sozialraeume"]["gemeindeschluessel"].tolist() == ["09162000;09162001", "05111000"]
    (f,) = of(r, HINWEIS, "hinweis_ags")
    assert f.zeile == 3
    s["Sozialräume"][2][2] = "123"
    (e,) = of(run(s), FEHLER)
    assert "8-stelliger" in e.meldung


def test_thirty_sozialraeume_ten_years_all_sheets_fast():
    ids = [f"{i:02d}" for i in range(1, 31)]
    s = {"Sozialräume": [["Sozialraum-ID", "Name", "Team"]] + [[i, f"SR {i}", "T"] for i in ids]}
    bev, sgb, hze, ber, zug, s8a, mel, s42 = ([list(h)] for h in (
        BEV_HEADER, [c.headers[0] for c in COLUMNS["sgb2"]], HZE_HEADER + ["junge Menschen"],
        [c.headers[0] for c in COLUMNS["beratung"]], [c.headers[0] for c in COLUMNS["zugaenge"]],
        [c.headers[0] for c in COLUMNS["s8a"]], [c.headers[0] for c in COLUMNS["s8a_melder"]],
        [c.headers[0] for c in COLUMNS["s42"]]))
    kosten = [[c.headers[0] for c in COLUMNS["kosten"]]]
    for y in range(2015, 2025):
        for i in ids:
            bev.append([y, i, 300, 300, 400, 500, 300, 300, 600, 10000])
            sgb.append([y, i, 300, 200, 80])
            hze.extend([y, i, f"{c:02d}", 3, 2, 6, 7] for c in range(1, 17))
            ber.append([y, i, 1, 2, 3, 4])
            zug.extend([y, i, w, 2, 3] for w in ("Schule", "Kita", "Polizei", "Eltern selbst"))
            s8a.append([y, i, 1, 2, 3, 4, 1, 1, 1, 0])
            mel.extend([y, i, f"{m:02d}", 1] for m in range(1, 13))
            s42.append([y, i, 5, 1, 1, 1, 1, 1])
            kosten.extend([y, i, f"{c:02d}", 1000.5, 1100, 10] for c in range(1, 17))
    s.update({"Bevölkerung": bev, "SGB II": sgb, "HzE": hze, "Beratung": ber, "Zugänge": zug, "§ 8a": s8a,
              "§ 8a Melder": mel, "§ 42": s42, "Kosten": kosten,
              "Personal": [["Jahr", "Team", "Vollzeitstellen"]] + [[y, "T", 10] for y in range(2015, 2025)]})
    data = xlsx_bytes(s)
    t0 = time.perf_counter()
    r = import_masterdatei(data, "gross.xlsx", ImportContext())
    elapsed = time.perf_counter() - t0
    assert r.findings == [], [f.text() for f in r.findings[:5]]
    assert r.row_counts()["hze"] == 30 * 10 * 16  # 4,800 rows
    assert r.row_counts()["kosten"] == 4800 and r.row_counts()["s8a_melder"] == 30 * 10 * 12
    assert int(r.tables["hze"]["andauernd"].sum()) == 4800 * 6
    assert elapsed < 60.0, elapsed  # a guard against pathological slowness; speed is measured in bench/


def test_empty_template_sheet_is_not_a_table():
    s = base_sheets()
    s["§ 42"] = [[c.headers[0] for c in COLUMNS["s42"]] + ["Beispiel"], [2024, "01", 1, 0, 0, 0, 0, 0, "x"]]
    r = run(s)
    assert r.ok and "s42" not in r.tables
    assert empty("s42").columns.tolist() == list(TABLES["s42"])


def test_duplicate_sozialraum_id():
    s = base_sheets()
    s["Sozialräume"].append(["01", "Nordstadt West", None])
    (f,) = of(run(s), FEHLER, "doppelt")
    assert (f.blatt, f.zeile, f.spalte) == ("Sozialräume", 4, "Sozialraum-ID") and "wie Zeile 2" in f.meldung


def test_ods_workbook():
    from tests.data_models.test_reading import _ods_bytes

    r = import_masterdatei(_ods_bytes([["Sozialraum-ID", "Name"], ["01", "Nord"], [2, "Süd"]]), "m.ods",
                           ImportContext())
    assert r.ok and r.tables["sozialraeume"]["sozialraum_id"].tolist() == ["01", "2"]
