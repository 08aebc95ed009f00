"""Machine output per cli.md: json, csv, csv-de (BOM, semicolon, decimal comma, German headers, '.' when
suppressed) and CSV formula-injection protection."""
import json

import pandas as pd
import pytest

from data_models.indicators import compute_breakdown, compute_indicators
from data_models.indicators.output import protect, render, to_csv, to_csv_de, to_json
from data_models.privacy import suppress
from tests.data_models.factories import Builder, sozialraum


@pytest.fixture()
def frame():
    ds = Builder([sozialraum("01", "=HYPERLINK(\"x\")"), sozialraum("02", "Süd")]).pop(2023, "01", u21=50000) \
        .hze(2023, "01", "07", andauernd=1500, beendet=71).build()
    return compute_indicators(ds, indicators=["hze_dichte", "hze_faelle"])


def test_json_matches_the_cli_example(frame):
    rows = json.loads(to_json(frame))
    assert rows[0] == {"jahr": 2023, "sozialraum_id": "GESAMT", "sozialraum": "Gesamt", "indikator": "hze_dichte",
                       "wert": None, "zaehler": 1571, "nenner": None, "einheit": "je 1.000 unter 21",
                       "unterdrueckt": False}  # 02 has no population -> GESAMT null
    assert rows[2] == {"jahr": 2023, "sozialraum_id": "01", "sozialraum": "=HYPERLINK(\"x\")",
                       "indikator": "hze_dichte", "wert": 31.42, "zaehler": 1571, "nenner": 50000,
                       "einheit": "je 1.000 unter 21", "unterdrueckt": False}
    assert rows[3]["wert"] == 1571 and rows[3]["nenner"] is None
    assert '"zaehler": 1571,' in to_json(frame)  # whole numbers without ".0"


def test_json_keeps_full_precision():
    f = pd.DataFrame({"wert": pd.array([1 / 3, None], dtype="Float64"), "x": ["a", "b"]})
    assert json.loads(to_json(f)) == [{"wert": 1 / 3, "x": "a"}, {"wert": None, "x": "b"}]


def test_csv(frame):
    lines = to_csv(frame).split("\n")
    assert lines[0] == "jahr,sozialraum_id,sozialraum,indikator,wert,zaehler,nenner,einheit,unterdrueckt"
    assert lines[1] == "2023,GESAMT,Gesamt,hze_dichte,,1571,,je 1.000 unter 21,false"
    # the formula-like name gets a leading ' (and is quoted because of the inner quotes)
    assert lines[3] == '2023,01,"\'=HYPERLINK(""x"")",hze_dichte,31.42,1571,50000,je 1.000 unter 21,false'
    assert lines[4].startswith("2023,01,") and ",hze_faelle,1571,1571,,Fälle,false" in lines[4]


def test_csv_de(frame):
    data = to_csv_de(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Jahr;Sozialraum-ID;Sozialraum;Indikator;Wert;Zähler;Nenner;Einheit;unterdrückt"
    assert lines[3] == '2023;01;"\'=HYPERLINK(""x"")";hze_dichte;31,42;1571;50000;je 1.000 unter 21;nein'


def test_csv_de_shows_suppressed_values_as_dot():
    ds = (Builder(["01", "02"]).pop(2023, "01", u21=1000).pop(2023, "02", u21=1000)
          .hze(2023, "01", "07", andauernd=2).hze(2023, "02", "07", andauernd=40).build())
    s = suppress(compute_indicators(ds, indicators=["hze_faelle"]))
    lines = to_csv_de(s).decode("utf-8-sig").split("\r\n")
    assert lines[1] == "2023;GESAMT;Gesamt;hze_faelle;42;42;;Fälle;nein"
    assert lines[2] == "2023;01;Sozialraum 01;hze_faelle;.;;;Fälle;ja"
    assert lines[3] == "2023;02;Sozialraum 02;hze_faelle;.;;;Fälle;ja"  # 42 - 40 would give the 2
    assert to_csv(s).split("\n")[2] == "2023,01,Sozialraum 01,hze_faelle,,,,Fälle,true"


def test_breakdown_output_with_suppression():
    ds = Builder(["01"]).hze(2023, "01", "07", andauernd=1).hze(2023, "01", "11", andauernd=5).build()
    b = suppress(compute_breakdown(ds, "segment", sozialraum="01"), "breakdown")
    lines = to_csv_de(b).decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Jahr;Sozialraum-ID;Sozialraum;Kategorie-Code;Kategorie;Anzahl;Anteil (%);unterdrückt"
    assert lines[1] == "2023;01;Sozialraum 01;EB;Erziehungsberatung;0;0;nein"
    assert lines[2] == "2023;01;Sozialraum 01;ambulant;ambulante Hilfen;.;.;ja"  # 1 Fall
    assert lines[4] == "2023;01;Sozialraum 01;stationär;stationäre Hilfen;.;.;ja"  # 6 - 0 - 0 - 0 = 5 -> also hidden


def test_formula_injection_protection():
    assert protect("=SUM(A1)") == "'=SUM(A1)"
    for text in ("+49", "-x", "@cmd", "\tx"):
        assert protect(text).startswith("'")
    assert protect("Süd") == "Süd"
    f = pd.DataFrame({"sozialraum": ["-Bezirk", "Nord"], "wert": [-3.5, 2.0]})
    assert to_csv(f) == "sozialraum,wert\n'-Bezirk,-3.5\nNord,2\n"  # numbers are never prefixed
    assert to_csv_de(f).decode("utf-8-sig") == "Sozialraum;Wert\r\n'-Bezirk;-3,5\r\nNord;2\r\n"


def test_render_dispatch(frame):
    assert render(frame, "json") == to_json(frame)
    assert isinstance(render(frame, "csv-de"), bytes)
    with pytest.raises(ValueError, match="Unbekanntes Format"):
        render(frame, "xml")
