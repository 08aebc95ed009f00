"""Fixed-width HzE statistics record, 2007 layout ("Satzart A", 155 characters)."""
from __future__ import annotations

import pandas as pd

from data_models.findings import FEHLER, HINWEIS, WARNUNG
from data_models.importers.base import ImportContext
from data_models.importers.hze_festbreite import import_hze_festbreite
from data_models.importers.records_common import hash_kennnummer
from data_models.schema import empty

KEY = b"k"

# positions of the 2007 record description (1-based, inclusive), as in einzeldaten.md
POS = {
    "satzart": (1, 1), "ags": (2, 9), "jugendamt": (10, 15), "lfd": (16, 20), "bm": (21, 22), "by": (23, 26),
    "uebernommen": (27, 27), "art": (28, 29), "ort": (30, 31), "traeger": (32, 33), "sex": (34, 34),
    "gm": (35, 36), "gy": (37, 40), "aufenthalt_vor": (113, 114), "situation": (115, 115), "herkunft": (116, 116),
    "sprache": (117, 117), "transfer": (118, 118), "anregende": (119, 119), "fg": (120, 122), "fort": (123, 123),
    "intensitaet": (124, 130), "g1": (131, 132), "g2": (133, 134), "g3": (135, 136), "em": (137, 138),
    "ey": (139, 142), "kontakt": (143, 150), "bg": (151, 152), "aufenthalt": (153, 154), "nachfolgende": (155, 155),
}
DEFAULTS = {"satzart": "A", "ags": "01001000", "jugendamt": "123456", "lfd": "00042", "bm": "03", "by": "2022",
            "art": "07", "ort": "01", "traeger": "10", "sex": "1", "gm": "05", "gy": "2010", "aufenthalt_vor": "01",
            "situation": "1", "herkunft": "2", "sprache": "1", "transfer": "1", "anregende": "2", "fort": "1",
            "intensitaet": "0000012", "g1": "11", "kontakt": "12345678"}


def line(slots=(), **kw) -> str:
    """One 155-character record; `slots` = contents of the 'further young people' slots (positions 41-112)."""
    chars = [" "] * 155
    values = {**DEFAULTS, **kw}
    for name, text in values.items():
        a, b = POS[name]
        text = str(text)
        assert len(text) <= b - a + 1, name
        chars[a - 1:a - 1 + len(text)] = list(text)
    for i, s in enumerate(slots):
        a = 41 + 6 * i
        chars[a - 1:a - 1 + 6] = list(str(s).ljust(6))
    out = "".join(chars)
    assert len(out) == 155
    return out


def sozialraeume():
    f = empty("sozialraeume")
    frame = pd.DataFrame({"sozialraum_id": ["01"], "name": ["Nord"], "team": [None], "gemeindeschluessel": ["01001000"],
                          "gueltig_ab": pd.array([None], dtype="Int64"),
                          "gueltig_bis": pd.array([None], dtype="Int64")})
    return frame[list(f.columns)]


def run(text: str, year=2023, encoding="ascii"):
    ctx = ImportContext(sozialraeume=sozialraeume(), hash_key=KEY, year=year)
    return import_hze_festbreite(text.encode(encoding), "hze2007.txt", ctx)


def errors(res):
    return [f for f in res.findings if f.schwere == FEHLER]


def test_full_line_is_converted():
    res = run(line(slots=["201301", "201502"]) + "\n")
    assert res.ok, [f.text() for f in res.findings]
    assert res.findings == []
    f = res.tables["hze_records"]
    assert len(f) == 1
    r = f.iloc[0]
    assert r["jahr"] == 2023  # from the upload, not the file
    assert r["kennung"] == hash_kennnummer(KEY, "42")  # running number 00042 = Kennnummer 42
    assert r["gemeindeschluessel"] == "01001000"
    assert r["sozialraum_id"] is None  # no Sozialraum in the file: assigned later
    assert (r["hilfeart"], r["ort"], r["traeger"], r["geschlecht"]) == ("07", "01", "10", "1")
    # begin 03/2022, born 05/2010: (2022*12+3 - 2010*12-5) div 12 = 142 div 12 = 11
    assert r["alter_beginn"] == 11
    assert r["junge_menschen"] == 3  # 2 non-blank slots + 1
    assert (r["situation"], r["transfer"], r["anregende"], r["grund1"]) == ("1", "1", "2", "11")
    assert pd.isna(r["ende_jahr"]) and r["beendigungsgrund"] is None


def test_year_is_required():
    res = run(line() + "\n", year=None)
    e = errors(res)
    assert len(e) == 1 and "Berichtsjahr" in e[0].meldung and res.tables == {}


def test_crlf_and_lf_line_ends_and_line_numbers():
    text = line(lfd="00001") + "\r\n" + line(lfd="00002") + "\n" + line(lfd="00003", art="7X") + "\r\n"
    res = run(text)
    e = errors(res)
    assert [(x.zeile, x.spalte, x.wert) for x in e] == [(3, "Positionen 28–29", "7X")]
    assert "Ziffern" in e[0].meldung


def test_shorter_line_is_padded_with_hinweis():
    full = line(lfd="00001")
    short = line(lfd="00002").rstrip()  # no end data: trailing blanks stripped by an editor
    assert len(short) == 150  # the last non-blank field is the contact field (positions 143-150)
    res = run(full + "\n" + short + "\n")
    assert res.ok, [f.text() for f in res.findings]
    hints = [f for f in res.findings if f.schwere == HINWEIS]
    assert [(h.zeile, h.art) for h in hints] == [(2, "zeile_kurz")]
    assert "150 Zeichen" in hints[0].meldung
    assert len(res.tables["hze_records"]) == 2


def test_longer_line_is_an_error_naming_positions():
    res = run(line() + "XYZ12\n")  # 160 characters
    e = errors(res)
    assert len(e) == 1 and e[0].zeile == 1 and "156–160" in e[0].meldung and "160 Zeichen" in e[0].meldung


def test_letters_in_numeric_positions():
    res = run(line(gy="20I0") + "\n" + line(lfd="0004A") + "\n")
    e = sorted(errors(res), key=lambda x: x.zeile)
    assert [(x.zeile, x.spalte) for x in e] == [(1, "Positionen 37–40"), (2, "Positionen 16–20")]
    assert "Geburtsjahr" in e[0].meldung and e[0].wert == "20I0"


def test_continues_but_end_date_given_end_wins():
    res = run(line(fort="1", em="06", ey="2023", bg="10") + "\n")
    warn = [f for f in res.findings if f.schwere == WARNUNG]
    assert [(w.zeile, w.spalte, w.art) for w in warn] == [(1, "Position 123", "fortdauer_mit_ende")]
    assert res.ok
    r = res.tables["hze_records"].iloc[0]
    assert (r["ende_monat"], r["ende_jahr"], r["beendigungsgrund"]) == (6, 2023, "10")


def test_ended_without_end_date_is_an_error():
    res = run(line(fort="2") + "\n")
    assert [x.art for x in errors(res)] == ["beendet_ohne_ende"]


def test_end_year_must_match_the_given_year():
    res = run(line(fort="2", em="06", ey="2022", bg="10") + "\n", year=2023)
    assert [x.art for x in errors(res)] == ["ende_nicht_berichtsjahr"]


def test_record_type_must_be_a():
    res = run(line(satzart="B") + "\n")
    e = errors(res)
    assert [(x.zeile, x.spalte) for x in e] == [(1, "Position 1")]


def test_slots_for_non_family_help_count_one():
    res = run(line(art="11", slots=["201301"]) + "\n")
    assert res.ok
    assert [f.art for f in res.findings] == ["junge_menschen_keine_familienhilfe"]
    assert res.tables["hze_records"].iloc[0]["junge_menschen"] == 1


def test_twelve_slots_give_thirteen_young_people():
    res = run(line(slots=["x"] * 12) + "\n")
    assert res.tables["hze_records"].iloc[0]["junge_menschen"] == 13


def test_duplicate_running_number():
    res = run(line() + "\n" + line() + "\n")
    e = errors(res)
    assert [(x.zeile, x.art) for x in e] == [(2, "kennnummer_doppelt")] and "Zeile 1" in e[0].meldung


def test_binary_file_refused():
    ctx = ImportContext(sozialraeume=sozialraeume(), hash_key=KEY, year=2023)
    res = import_hze_festbreite(b"PK\x03\x04" + b"\x00" * 50, "x.xlsx", ctx)
    assert not res.ok and "Binärdatei" in res.findings[0].meldung
