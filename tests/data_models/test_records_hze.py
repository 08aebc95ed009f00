"""HzE single-case records (CSV / xlsx) -> hze_records, with the record rules of einzeldaten.md."""
from __future__ import annotations

import io

import openpyxl
import pandas as pd

from data_models.findings import FEHLER, HINWEIS, WARNUNG
from data_models.importers.base import ImportContext
from data_models.importers.records_common import CAP, hash_kennnummer, normalise_kennnummer
from data_models.importers.records_hze import import_hze
from data_models.schema import TABLES, empty

KEY = b"geheim-pro-mandant"
HEADER = ["Kennnummer", "Berichtsjahr", "Sozialraum-ID", "Gemeindeschlüssel", "Art der Hilfe", "Beginn Monat",
          "Beginn Jahr", "Ende Monat", "Ende Jahr", "Geschlecht", "Geburtsmonat", "Geburtsjahr", "Grund 1",
          "Transferleistungen", "Beendigungsgrund", "Junge Menschen in der Familie"]


def sozialraeume(ids=("01", "02"), ags=("01001000", None)) -> pd.DataFrame:
    f = empty("sozialraeume")
    return pd.DataFrame({
        "sozialraum_id": list(ids), "name": [f"SR {i}" for i in ids], "team": [None] * len(ids),
        "gemeindeschluessel": list(ags), "gueltig_ab": pd.array([None] * len(ids), dtype="Int64"),
        "gueltig_bis": pd.array([None] * len(ids), dtype="Int64"),
    })[list(f.columns)]


def ctx(**kw) -> ImportContext:
    kw.setdefault("sozialraeume", sozialraeume())
    return ImportContext(hash_key=KEY, **kw)


def row(**kw) -> dict:
    """A valid running help of 2023 (overrides by header name without spaces/umlauts, see MAP)."""
    base = {"Kennnummer": "K1", "Berichtsjahr": "2023", "Sozialraum-ID": "01", "Gemeindeschlüssel": "",
            "Art der Hilfe": "07", "Beginn Monat": "3", "Beginn Jahr": "2022", "Ende Monat": "", "Ende Jahr": "",
            "Geschlecht": "1", "Geburtsmonat": "5", "Geburtsjahr": "2010", "Grund 1": "11",
            "Transferleistungen": "1", "Beendigungsgrund": "", "Junge Menschen in der Familie": "3"}
    for k, v in kw.items():
        base[MAP.get(k, k)] = v
    return base


MAP = {"kn": "Kennnummer", "bj": "Berichtsjahr", "sr": "Sozialraum-ID", "ags": "Gemeindeschlüssel",
       "art": "Art der Hilfe", "bm": "Beginn Monat", "by": "Beginn Jahr", "em": "Ende Monat", "ey": "Ende Jahr",
       "sex": "Geschlecht", "gm": "Geburtsmonat", "gy": "Geburtsjahr", "g1": "Grund 1", "tr": "Transferleistungen",
       "bg": "Beendigungsgrund", "jm": "Junge Menschen in der Familie"}


def csv_bytes(rows, header=HEADER, sep=";", encoding="utf-8") -> bytes:
    lines = [sep.join(header)] + [sep.join(str(r.get(h, "")) for h in header) for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def run(rows, c=None, **kw):
    return import_hze(csv_bytes(rows, **kw), "hze.csv", c or ctx())


def errors(res, art=None):
    return [f for f in res.findings if f.schwere == FEHLER and (art is None or f.art == art)]


def test_valid_records_are_converted_and_minimised():
    rows = [
        row(),  # running family help, 3 young people
        row(kn="K2", sr="", ags="01001000", art="11", bm="1", by="2023", em="6", ey="2023", sex="2", gm="12",
            gy="2005", g1="12", tr="0", bg="10", jm=""),
        row(kn="K3", sr="2", art="5", bm="3", by="2022", gm="4", gy="2012", tr="2", jm=""),
    ]
    res = run(rows)
    assert res.ok, [f.text() for f in res.findings]
    f = res.tables["hze_records"]
    assert list(f.columns) == list(TABLES["hze_records"])
    assert len(f) == 3
    # no birth date and no Kennnummer in clear text are stored
    assert "geburtsjahr" not in f.columns and not f.isin(["K1", "K2", "K3"]).any().any()
    assert f.loc[0, "kennung"] == hash_kennnummer(KEY, "K1") and len(f.loc[0, "kennung"]) == 20
    # age at begin, month-exact: K1 (2022*12+3 - 2010*12-5) div 12 = 142 div 12 = 11;
    # K2 (2023*12+1 - 2005*12-12) = 205 -> 17; K3 begins 03/2022, born 04/2012: 119 -> 9 (not yet 10)
    assert f["alter_beginn"].tolist() == [11, 17, 9]
    assert f["hilfeart"].tolist() == ["07", "11", "05"]
    # "2" is numerically equal to "02": stored as the canonical id, with a Hinweis
    assert f["sozialraum_id"].tolist() == ["01", None, "02"]
    assert [x.art for x in res.findings if x.schwere == HINWEIS] == ["sozialraum_numerisch"]
    assert f["gemeindeschluessel"].tolist() == [None, "01001000", None]
    assert f["transfer"].tolist() == ["1", None, "2"]  # 0 = unbekannt
    assert f["ende_jahr"].tolist()[1] == 2023 and pd.isna(f["ende_jahr"].tolist()[0])
    assert f["beendigungsgrund"].tolist() == [None, "10", None]
    assert f["junge_menschen"].tolist() == [3, 1, 1]  # default 1
    assert f["jahr"].dtype == "Int64" and f["hilfeart"].dtype == object and f["kennung"].dtype == object
    assert res.touched() == {"hze_records": [2023]}


def test_windows_1252_csv_with_umlaut_headers():
    header = HEADER + ["Träger", "Anschließender Aufenthalt"]
    rows = [row(**{"Träger": "öffentlicher Träger", "Anschließender Aufenthalt": "5"})]
    data = csv_bytes(rows, header=header, encoding="cp1252")
    assert "ä".encode("cp1252") in data  # really Windows-1252, not UTF-8
    res = import_hze(data, "hze.csv", ctx())
    assert res.ok, [f.text() for f in res.findings]
    f = res.tables["hze_records"]
    assert f.loc[0, "traeger"] == "10"  # label matched
    assert f.loc[0, "aufenthalt"] == "05"
    assert res.info["kodierung"] == "cp1252"


def test_utf8_with_bom_and_comma_separator_and_decimal_comma():
    rows = [row(jm='"2,0"', art="7", bm='"3,0"')]
    data = b"\xef\xbb\xbf" + csv_bytes(rows, sep=",")
    res = import_hze(data, "hze.csv", ctx())
    assert res.ok, [f.text() for f in res.findings]
    f = res.tables["hze_records"]
    assert f.loc[0, "junge_menschen"] == 2  # "2,0" is the whole number 2
    assert f.loc[0, "beginn_monat"] == 3
    assert res.info["trennzeichen"] == ","


def test_decimal_comma_with_fraction_is_an_error():
    res = run([row(jm="2,5")])
    e = errors(res)
    assert len(e) == 1 and e[0].spalte == "Junge Menschen in der Familie" and e[0].zeile == 2
    assert e[0].wert == "2,5" and "ganze Zahl" in e[0].meldung


def test_xlsx_with_title_row_and_excel_numbers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "HzE 2023"
    ws.append(["Einzeldaten HzE, Export aus der Fachsoftware"])
    ws.append(HEADER)
    ws.append([12345, 2023, 1, None, 7, 3, 2022, None, None, 1, 5, 2010, 11, 1, None, 2])
    ws.append([12346, 2023, "01", 1001000, 11, 1, 2023, 6, 2023, 2, 12, 2005, 12, 2, 10, None])
    buf = io.BytesIO()
    wb.save(buf)
    res = import_hze(buf.getvalue(), "hze.xlsx", ctx())
    assert res.ok, [f.text() for f in res.findings]
    f = res.tables["hze_records"]
    assert f["hilfeart"].tolist() == ["07", "11"]
    assert f["sozialraum_id"].tolist() == ["01", "01"]
    # Excel dropped the leading zero of the AGS: padded with a Hinweis
    assert f["gemeindeschluessel"].tolist() == [None, "01001000"]
    hints = {x.art: x for x in res.findings if x.schwere == HINWEIS}
    assert hints["ags_ergaenzt"].zeile == 4 and hints["ags_ergaenzt"].blatt == "HzE 2023"
    assert hints["sozialraum_numerisch"].zeile == 3
    # Excel number 12345 and text "12345" give the same hash
    assert f.loc[0, "kennung"] == hash_kennnummer(KEY, "12345")


def test_kennnummer_normalisation_and_keyed_hash():
    assert normalise_kennnummer(" 00123 ") == "123" == normalise_kennnummer(123.0)
    assert normalise_kennnummer("ab-12 3") == "AB-123"
    assert hash_kennnummer(KEY, "00123") == hash_kennnummer(KEY, "123")
    assert hash_kennnummer(KEY, "123") != hash_kennnummer(b"anderer Schluessel", "123")
    import hashlib
    import hmac
    assert hash_kennnummer(KEY, "A7") == hmac.new(KEY, b"A7", hashlib.sha256).hexdigest()[:20]


def test_several_report_years_in_one_file():
    rows = [row(kn="K1", bj="2022", by="2021"), row(kn="K1", bj="2023", by="2021"),
            row(kn="K2", bj="2023", em="2", ey="2023", bg="10")]
    res = run(rows)
    assert res.ok
    assert res.touched() == {"hze_records": [2022, 2023]}
    assert res.info["jahre"] == [2022, 2023]


def test_unknown_sozialraum_is_an_error_not_ohne():
    res = run([row(sr="99")])
    e = errors(res)
    assert len(e) == 1 and e[0].art == "sozialraum_unbekannt" and e[0].zeile == 2
    assert e[0].spalte == "Sozialraum-ID" and e[0].wert == "99" and "Sozialräume" in e[0].meldung
    assert res.tables == {}  # nothing to store


def test_sozialraum_without_uploaded_sozialraeume():
    res = run([row(sr="01"), row(kn="K2", sr="")], c=ctx(sozialraeume=empty("sozialraeume")))
    e = errors(res)
    assert [x.zeile for x in e] == [2]
    assert "zuerst die Masterdatei" in e[0].meldung


def test_begin_after_end_is_an_error():
    res = run([row(bm="9", by="2023", em="6", ey="2023", bg="10")])
    e = errors(res, "beginn_nach_ende")
    assert len(e) == 1 and e[0].zeile == 2 and "09/2023" in e[0].meldung and "06/2023" in e[0].meldung


def test_end_year_must_be_report_year():
    res = run([row(em="6", ey="2022", bg="10")])
    e = errors(res, "ende_nicht_berichtsjahr")
    assert len(e) == 1 and e[0].spalte == "Ende Jahr" and e[0].wert == "2022"


def test_begin_year_more_than_27_years_back():
    # 2023 - 27 = 1996 is allowed, 1995 is not
    res = run([row(by="1996", gy="1990", gm="1", bm="1"), row(kn="K2", by="1995", gy="1990", gm="1", bm="1")])
    e = errors(res)
    assert [(x.art, x.zeile) for x in e] == [("beginn_jahr_bereich", 3)]


def test_age_out_of_range():
    # begin 03/2022, born 02/1995: (24267 - 23942) = 325 months -> 27 years > 26
    # born 04/1995: 323 months -> 26 years: allowed; born 04/2022: begin before birth -> -1
    res = run([row(gm="2", gy="1995"), row(kn="K2", gm="4", gy="1995"), row(kn="K3", gm="4", gy="2022")])
    e = errors(res, "alter_bereich")
    assert [x.zeile for x in e] == [2, 4]
    assert "27 Jahre" in e[0].meldung and "-1 Jahre" in e[1].meldung
    assert e[0].spalte == "Geburtsjahr"


def test_duplicate_kennnummer_and_berichtsjahr():
    res = run([row(kn="K1"), row(kn="K2"), row(kn="k1")])  # normalised: k1 = K1
    e = errors(res, "kennnummer_doppelt")
    assert len(e) == 1 and e[0].zeile == 4 and "Zeile 2" in e[0].meldung and "2023" in e[0].meldung


def test_same_kennnummer_in_two_years_is_fine():
    res = run([row(kn="K1", bj="2022", by="2021"), row(kn="K1", bj="2023", by="2021")])
    assert res.ok


def test_end_reason_rules():
    res = run([row(em="6", ey="2023", bg=""), row(kn="K2", bg="10")])
    warn = [f for f in res.findings if f.schwere == WARNUNG]
    assert [(w.art, w.zeile) for w in warn] == [("beendigungsgrund_fehlt", 2)]
    e = errors(res)
    assert [(x.art, x.zeile) for x in e] == [("beendigungsgrund_ohne_ende", 3)]


def test_half_end_date_is_an_error():
    res = run([row(em="", ey="2023", bg="10")])
    assert [x.art for x in errors(res)] == ["ende_halb"]


def test_codes_normalised_and_wrong_codes_rejected():
    res = run([row(art="1.0", g1="11"), row(kn="K2", art="17"), row(kn="K3", g1="09"), row(kn="K4", sex="5")])
    e = errors(res)
    assert sorted((x.zeile, x.spalte) for x in e) == [(3, "Art der Hilfe"), (4, "Grund 1"), (5, "Geschlecht")]
    assert all("Schlüssel" in x.meldung for x in e)


def test_junge_menschen_only_for_family_helps():
    res = run([row(art="11", jm="3"), row(kn="K2", art="07", jm="0")])
    hints = [f for f in res.findings if f.art == "junge_menschen_keine_familienhilfe"]
    assert [h.zeile for h in hints] == [2] and hints[0].schwere == HINWEIS
    assert [(x.zeile, x.art) for x in errors(res)] == [(3, "junge_menschen_ungueltig")]


def test_required_cell_missing():
    res = run([row(g1="")])
    e = errors(res)
    assert len(e) == 1 and e[0].spalte == "Grund 1" and "fehlt" in e[0].meldung


def test_required_column_missing():
    header = [h for h in HEADER if h != "Geschlecht"]
    res = run([row()], header=header)
    e = errors(res)
    assert len(e) == 1 and "Geschlecht" in e[0].meldung and e[0].art == "spalte_fehlt"


def test_findings_are_capped_per_rule_and_column():
    rows = [row(kn=f"K{i}", art="99") for i in range(CAP + 20)]
    res = run(rows)
    e = errors(res, "hilfeart_code")
    assert len(e) == CAP + 1
    summary = [x for x in e if x.zeile is None]
    assert len(summary) == 1 and "20 weitere Zeilen" in summary[0].meldung


def test_empty_and_example_rows_are_skipped():
    header = HEADER + ["Beispiel"]
    rows = [row(kn="K0", Beispiel="x", art="99"), {h: "" for h in header}, row()]
    res = import_hze(csv_bytes(rows, header=header), "hze.csv", ctx())
    assert res.ok and len(res.tables["hze_records"]) == 1


def test_blank_line_keeps_line_numbers():
    data = csv_bytes([row(), row(kn="K2")]).replace(b"\r\nK2", b"\r\n\r\nK2").replace(b";07;", b";07;", 1)
    data = data.replace(b"K2;2023;01;;07", b"K2;2023;01;;99")
    res = import_hze(data, "hze.csv", ctx())
    e = errors(res)
    assert [(x.zeile, x.spalte) for x in e] == [(4, "Art der Hilfe")]


def test_not_a_record_file():
    res = import_hze(b"Name;Wert\nA;1\n", "x.csv", ctx())
    assert not res.ok and res.tables == {}
    assert any("Kennnummer" in f.meldung or "Kopfzeile" in f.meldung for f in res.findings)


def test_100000_rows_are_fast():
    import time

    n = 100_000
    arts = ["04", "05", "07", "09", "11", "13"]
    lines = [";".join(HEADER)]
    for i in range(n):
        ended = i % 3 == 0
        lines.append(f"F{i};2023;{'01' if i % 2 else '02'};;{arts[i % 6]};{i % 12 + 1};{2016 + i % 8};"
                     f"{'12;2023' if ended else ';'};{i % 2 + 1};{(i * 7) % 12 + 1};{2008 + i % 8};{10 + i % 10};;"
                     f"{'10' if ended else ''};")
    data = ("\n".join(lines) + "\n").encode("utf-8")
    t = time.perf_counter()
    res = import_hze(data, "gross.csv", ctx())
    elapsed = time.perf_counter() - t
    assert res.ok, [f.text() for f in res.findings[:5]]
    f = res.tables["hze_records"]
    assert len(f) == n and int(f["ende_jahr"].notna().sum()) == (n + 2) // 3  # every third help ended
    assert elapsed < 60, f"{elapsed:.1f} s for {n} rows"  # guard only; speed is measured in bench/


def test_vectorised_and_scalar_kennnummer_normalisation_agree():
    from data_models.importers.records_common import normalise_kennnummern

    values = ["00123", "000", "00A", "0A12", " ab 12 ", "123.0", "12,00", "12.5", "x", None, "007"]
    text = pd.Series(values, dtype="str")
    assert normalise_kennnummern(text).tolist() == [normalise_kennnummer(v) for v in values]
    assert normalise_kennnummern(pd.Series(values, dtype=object)).tolist() == [normalise_kennnummer(v) for v in values]


def test_missing_text_values_are_none_not_nan():
    header = [h for h in HEADER if h not in ("Sozialraum-ID", "Gemeindeschlüssel")] + ["Sozialraum-ID", "Träger"]
    res = run([row(sr="", Träger=""), row(kn="K2", sr="", Träger="")], header=header)
    assert res.ok
    f = res.tables["hze_records"]
    for col in ("sozialraum_id", "gemeindeschluessel", "traeger", "ort", "grund2"):
        assert f[col].tolist() == [None, None], col


def test_quoted_line_break_keeps_line_numbers():
    # the first record's Kennnummer spans lines 2-3, so the second record is on line 4
    data = csv_bytes([row(kn='"K\n1"'), row(kn="K2", art="99")])
    e = errors(import_hze(data, "hze.csv", ctx()))
    assert [(x.zeile, x.spalte) for x in e] == [(4, "Art der Hilfe")]


def test_tab_separated():
    res = import_hze(csv_bytes([row(), row(kn="K2")], sep="\t"), "hze.txt", ctx())
    assert res.ok and len(res.tables["hze_records"]) == 2 and res.info["trennzeichen"] == "\t"


def test_sozialraum_outside_its_years_is_a_warning():
    s = sozialraeume(ids=("01", "02"), ags=(None, None))
    s["gueltig_ab"] = pd.array([None, 2024], dtype="Int64")  # 02 exists from 2024 on
    res = run([row(sr="02"), row(kn="K2", sr="01")], c=ctx(sozialraeume=s))
    assert res.ok
    w = [f for f in res.findings if f.schwere == WARNUNG]
    assert [(x.zeile, x.art) for x in w] == [(2, "sozialraum_nicht_gueltig")]
    assert "von 2024" in w[0].meldung and "2023" in w[0].meldung
