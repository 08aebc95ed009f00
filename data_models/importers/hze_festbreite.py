"""Fixed-width HzE statistics record, 2007 layout ("Satzart A", 155 characters per line): `--kind hze-festbreite`.

The file carries no report year (taken from `ctx.year`, required) and no Sozialraum: the running number becomes the
`Kennnummer` and the Gemeinde (positions 2–9) the `Gemeindeschlüssel` for the assignment. The record is then checked
by the same rules as the HzE table records (`records_hze.check_hze`); findings name the line and the positions.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from data_models.findings import FEHLER, HINWEIS, WARNUNG
from data_models.importers.base import ImportContext, ImportResult
from data_models.importers.records_common import Records, Sink, text_series
from data_models.importers.records_hze import check_hze, result

KIND = "hze-festbreite"
LINE_LENGTH = 155
N_SLOTS, SLOT_START, SLOT_WIDTH = 12, 41, 6  # further young people in the family: positions 41-112

# canonical column (or internal name) -> (first, last) position, 1-based inclusive
FIELDS: dict[str, tuple[int, int]] = {
    "gemeindeschluessel": (2, 9),
    "_jugendamt": (10, 15),
    "kennnummer": (16, 20),
    "beginn_monat": (21, 22),
    "beginn_jahr": (23, 26),
    "_uebernommen": (27, 27),
    "hilfeart": (28, 29),
    "ort": (30, 31),
    "traeger": (32, 33),
    "geschlecht": (34, 34),
    "geburtsmonat": (35, 36),
    "geburtsjahr": (37, 40),
    "_aufenthalt_vor": (113, 114),
    "situation": (115, 115),
    "_herkunft": (116, 116),
    "_sprache": (117, 117),
    "transfer": (118, 118),
    "anregende": (119, 119),
    "_familiengericht": (120, 122),
    "_fortdauer": (123, 123),
    "grund1": (131, 132),
    "grund2": (133, 134),
    "grund3": (135, 136),
    "ende_monat": (137, 138),
    "ende_jahr": (139, 142),
    "beendigungsgrund": (151, 152),
    "aufenthalt": (153, 154),
    "nachfolgende": (155, 155),
}
# German names of the fields for messages
NAMES = {
    "gemeindeschluessel": "Gemeindeschlüssel", "_jugendamt": "Jugendamtsnummer", "kennnummer": "laufende Nummer",
    "beginn_monat": "Beginn Monat", "beginn_jahr": "Beginn Jahr", "_uebernommen": "Übernahme von anderem Jugendamt",
    "hilfeart": "Art der Hilfe", "ort": "Ort der Durchführung", "traeger": "Träger", "geschlecht": "Geschlecht",
    "geburtsmonat": "Geburtsmonat", "geburtsjahr": "Geburtsjahr", "_aufenthalt_vor": "Aufenthalt vor der Hilfe",
    "situation": "Situation Herkunftsfamilie", "_herkunft": "ausländische Herkunft",
    "_sprache": "in der Familie gesprochene Sprache", "transfer": "Transferleistungen",
    "anregende": "Anregende Institution", "_familiengericht": "familiengerichtliche Entscheidungen",
    "_fortdauer": "Hilfe dauert am Jahresende an", "grund1": "Grund 1", "grund2": "Grund 2", "grund3": "Grund 3",
    "ende_monat": "Ende Monat", "ende_jahr": "Ende Jahr", "beendigungsgrund": "Beendigungsgrund",
    "aufenthalt": "Anschließender Aufenthalt", "nachfolgende": "Nachfolgende Hilfe",
}


def positions_label(first: int, last: int) -> str:
    return f"Position {first}" if first == last else f"Positionen {first}–{last}"


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def import_hze_festbreite(data: bytes, filename: str, ctx: ImportContext) -> ImportResult:
    sink = Sink(filename)
    if not data or not data.strip():
        sink.one(FEHLER, "Die Datei ist leer.", art="datei_leer")
        return result(KIND, filename, sink, "hze_records", None, {})
    if ctx.year is None:
        sink.one(FEHLER, "Für die Datei im festen Satzformat (2007) fehlt das Berichtsjahr: Die Datei enthält kein "
                         "Berichtsjahr, bitte beim Hochladen angeben (Kommandozeile: --year).", art="jahr_fehlt")
        return result(KIND, filename, sink, "hze_records", None, {})
    if not 2000 <= int(ctx.year) <= 2100:
        sink.one(FEHLER, f"Das angegebene Berichtsjahr {ctx.year} liegt nicht zwischen 2000 und 2100.",
                 wert=ctx.year, art="jahr_ungueltig")
        return result(KIND, filename, sink, "hze_records", None, {})
    if data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
        sink.one(FEHLER, "Die Datei ist keine Textdatei im festen Satzformat (2007), sondern eine Binärdatei "
                         "(z. B. Excel). Für Excel- oder CSV-Dateien bitte die Art „HzE-Einzeldaten“ wählen.",
                 art="datei_format")
        return result(KIND, filename, sink, "hze_records", None, {})

    lines_all = _decode(data).split("\n")
    raw = pd.Series(lines_all, dtype="str").str.rstrip("\r")
    line_no = np.arange(1, len(raw) + 1)
    nonblank = (raw.str.strip().str.len() > 0).to_numpy()
    raw, line_no = raw[nonblank].reset_index(drop=True), line_no[nonblank]
    if not len(raw):
        sink.one(FEHLER, "Die Datei enthält keine Datensätze.", art="keine_zeilen")
        return result(KIND, filename, sink, "hze_records", None, {})
    records = Records(sink, {}, {}, line_no, "")

    length = raw.str.len().to_numpy()
    too_long = length > LINE_LENGTH
    records.sink.rows(too_long, line_no, "", FEHLER, "zeile_zu_lang", f"Positionen {LINE_LENGTH + 1}ff.",
                      lambda p: f"Die Zeile ist {length[p]} Zeichen lang; ein Datensatz (Satzart A, 2007) hat genau "
                                f"{LINE_LENGTH} Zeichen. Die Positionen {LINE_LENGTH + 1}–{length[p]} sind zu viel: "
                                f"bitte das Satzformat prüfen.", werte=raw.str.slice(LINE_LENGTH).to_numpy())
    short = length < LINE_LENGTH
    records.sink.rows(short, line_no, "", HINWEIS, "zeile_kurz", "",
                      lambda p: f"Die Zeile ist nur {length[p]} Zeichen lang (statt {LINE_LENGTH}); sie wurde mit "
                                f"Leerzeichen aufgefüllt (Editoren entfernen Leerzeichen am Zeilenende).")
    lines = raw.str.pad(LINE_LENGTH, side="right")

    satzart = lines.str.slice(0, 1)
    records.sink.rows((satzart != "A").to_numpy(), line_no, "", FEHLER, "satzart", "Position 1",
                      "Satzart muss „A“ sein (Datensatz der HzE-Statistik, Satzbeschreibung 2007).",
                      werte=satzart.to_numpy())

    text: dict[str, pd.Series] = {}
    labels: dict[str, str] = {}
    reported: dict[str, np.ndarray] = {}
    for name, (a, b) in FIELDS.items():
        field = lines.str.slice(a - 1, b)
        label = positions_label(a, b)
        letters = ~field.str.fullmatch(r" *\d* *").to_numpy(dtype=bool)
        records.sink.rows(letters, line_no, "", FEHLER, "nicht_numerisch", label,
                          f"{label} ({NAMES[name]}) dürfen nur Ziffern oder Leerzeichen enthalten.",
                          werte=field.to_numpy())
        cells = text_series(field.where(~letters, ""))
        text[name] = cells
        labels[name] = label
        reported[name] = letters

    # junge Menschen: non-blank slots + 1
    slots = np.zeros(len(lines), dtype=np.int64)
    for i in range(N_SLOTS):
        a = SLOT_START - 1 + i * SLOT_WIDTH
        slots += (lines.str.slice(a, a + SLOT_WIDTH).str.strip().str.len() > 0).to_numpy(dtype=np.int64)
    text["junge_menschen"] = pd.Series((slots + 1).astype(str), dtype=object)
    labels["junge_menschen"] = positions_label(SLOT_START, SLOT_START + N_SLOTS * SLOT_WIDTH - 1)
    text["jahr"] = pd.Series([str(int(ctx.year))] * len(lines), dtype=object)
    labels["jahr"] = "Berichtsjahr (Angabe beim Hochladen)"

    # position 123: 1 = continues, 2 = ended; the end date wins
    fort = text.pop("_fortdauer")
    has_end = (text["ende_monat"].notna() | text["ende_jahr"].notna()).to_numpy()
    f = fort.to_numpy(dtype=object)
    fort_bad = ~pd.Series(f).isin([None, "1", "2"]).to_numpy()
    records.sink.rows(fort_bad, line_no, "", FEHLER, "fortdauer_ungueltig", labels["_fortdauer"],
                      "Position 123 (Hilfe dauert am Jahresende an) muss 1 (ja), 2 (nein) oder leer sein.", werte=f)
    records.sink.rows((f == "1") & has_end, line_no, "", WARNUNG, "fortdauer_mit_ende", labels["_fortdauer"],
                      "Position 123 sagt „Hilfe dauert an“, aber ein Ende (Positionen 137–142) ist angegeben: das "
                      "Ende gilt, die Hilfe wird als beendet gezählt.", werte=f)
    records.sink.rows((f == "2") & ~has_end, line_no, "", FEHLER, "beendet_ohne_ende", "Positionen 137–142",
                      "Position 123 sagt „Hilfe beendet“, aber Ende Monat/Jahr (Positionen 137–142) fehlen: bitte das "
                      "Ende ergänzen oder Position 123 auf 1 setzen.", werte=f)

    for name in [k for k in text if k.startswith("_")]:
        text.pop(name)
    r = Records(sink, text, labels, line_no, "")
    r.reported = reported
    frame = check_hze(r, ctx)
    return result(KIND, filename, sink, "hze_records", frame, {"container": "text", "zeilen_gesamt": int(len(lines))})
