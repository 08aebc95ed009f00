import pandas as pd

from components import tables, theme
from data_models.findings import FEHLER, HINWEIS, WARNUNG, Finding
from tests.components.factories import tidy


def test_format_table_german():
    f = tidy([(2023, "01", "Nord", 31.45, 1571, 50000, False),
              (2023, "02", "Süd", None, None, 0, False),
              (2023, "03", "Ost", 12.0, 2, 90, True)])
    f.loc[0, "einheit"] = "je 1.000 unter 21"
    f.loc[1, "einheit"] = "Fälle"
    table, notes = tables.format_table(f)
    assert list(table.columns) == ["Jahr", "Sozialraum-ID", "Sozialraum", "Indikator", "Wert", "Zähler", "Nenner",
                                   "Einheit"]  # the flag column is not shown: "." says it
    assert table.iloc[0].tolist() == ["2023", "01", "Nord", "hze_dichte", "31,5", "1.571", "50.000",
                                      "je 1.000 unter 21"]
    assert table.iloc[1, 4:7].tolist() == ["keine Daten", "keine Daten", "0"]
    assert table.iloc[2, 4:7].tolist() == [".", ".", "."]
    assert notes == [theme.SUPPRESSED_FOOTNOTE, theme.NO_DATA_FOOTNOTE]


def test_format_table_decimals_and_zero_dash():
    f = pd.DataFrame({"kategorie": ["a", "b"], "anzahl": [1234, 0], "anteil": [99.95, 0.05]})
    table, notes = tables.format_table(f, decimals={"anteil": 1}, zero_dash=True)
    assert table["Anzahl"].tolist() == ["1.234", "–"]
    assert table["Anteil (%)"].tolist() == ["100,0", "0,1"]  # 99.95 -> 100,0 and 0.05 -> 0,1 (half away from 0)
    assert notes == ["„–“ = genau null."]
    assert tables.numeric_columns(f) == ["Anzahl", "Anteil (%)"]


def _f(n, blatt="HzE", spalte="Art der Hilfe", art="code", schwere=FEHLER, zeile=None):
    return Finding(schwere, f"Unbekannter Code in Zeile {n}.", datei="m.xlsx", blatt=blatt, zeile=zeile or n,
                   spalte=spalte, wert="99", art=art)


def test_limit_findings_50_per_sheet_column_kind():
    findings = [_f(i) for i in range(2, 122)]  # 120 of one kind
    findings += [_f(i, art="leer", schwere=WARNUNG) for i in range(2, 5)]  # 3 of another kind, same column
    findings += [_f(i, spalte="Beendet") for i in range(2, 62)]  # 60 in another column
    shown, omitted = tables.limit_findings(findings)
    assert len(shown) == 50 + 3 + 50
    assert sorted(g["weitere"] for g in omitted) == [10, 70]  # 120 - 50 and 60 - 50
    frame, notes = tables.findings_view(findings)
    assert list(frame.columns) == ["Schwere", "Datei", "Blatt", "Zeile", "Spalte", "Wert", "Meldung"]
    assert len(frame) == 103
    assert any(n.startswith("… und 70 weitere Meldungen (Fehler) wie „Unbekannter Code in Zeile 52\\.“ in "
                            "Blatt „HzE“, Spalte „Art der Hilfe“") for n in notes)


def test_omitted_note_escapes_user_text():
    findings = [_f(i, blatt="<b>*Blatt*</b>", art="x") for i in range(52)]
    _, omitted = tables.limit_findings(findings)
    text = tables.omitted_text(omitted[0])
    assert "&lt;b&gt;\\*Blatt\\*&lt;/b&gt;" in text and "<b>" not in text
    assert text.startswith("… und 2 weitere Meldungen")


def test_findings_summary():
    fs = [_f(1), _f(2), _f(3, schwere=WARNUNG), _f(4, schwere=HINWEIS), _f(5, schwere=HINWEIS)]
    assert tables.findings_summary(fs) == "2 Fehler, 1 Warnung, 2 Hinweise"
    assert tables.findings_summary([]) == "keine Meldungen"
