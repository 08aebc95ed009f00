"""The Masterdatei template (empty workbook for download) and the shared workbook builder used by the export.

`write_template(path_or_buffer)` writes: a `Hinweise` sheet (German help for every sheet and rule, and for every
indicator: Zähler, Nenner, Einheit, Zählregel, what moves it, how to read it, its source), one sheet per
data kind with its header row (frozen, widths set), a `Beispiel` column with example rows marked `x` (skipped on
import), drop-down lists for the code columns (Hilfeart, Melder, Kosten-Hilfeart, Anregende Institution) from a
`Codes` sheet. Every text cell is written as a string cell, so a value like `=1+1` is never a formula.
"""
from __future__ import annotations

from typing import Any, Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from data_models.codes import CODES, SEGMENTS
from data_models.importers.masterdatei import COLUMNS, KOSTEN_GESAMT
from data_models.schema import SHEETS

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
EXAMPLE_FONT = Font(italic=True, color="808080")
EXAMPLE_FILL = PatternFill("solid", fgColor="F2F2F2")
VALIDATION_ROWS = 5000  # drop-downs cover data rows 2..VALIDATION_ROWS
BEISPIEL_HEADER = "Beispiel"

SHEET_HELP = {
    "sozialraeume": "Pflichtblatt: alle Sozialräume mit eindeutiger ID. Wird bei jedem Hochladen vollständig ersetzt.",
    "bevoelkerung": "Einwohner am 31.12. des Jahres (Hauptwohnsitz) je Sozialraum und Altersgruppe. Leere Zelle = "
                    "keine Daten.",
    "sgb2": "Kinder im SGB-II-Bezug (Statistik der Bundesagentur für Arbeit) je Sozialraum und Jahr.",
    "hze": "Hilfen zur Erziehung je Sozialraum, Jahr und Hilfeart (nur nötig, wenn keine Einzeldaten hochgeladen "
           "werden). Eine fehlende Hilfeart zählt in einem vorhandenen Jahr als 0.",
    "beratung": "Fallzahlen der Beratung nach §§ 16, 17, 18 und 28 SGB VIII je Sozialraum und Jahr (jede Spalte "
                "optional; leer = keine Daten).",
    "zugaenge": "Zugangswege in die Hilfen (eigene, örtliche Kategorien) je Sozialraum und Jahr; fehlende Zeilen "
                "zählen als 0.",
    "s8a": "Abgeschlossene Gefährdungseinschätzungen nach § 8a (Verfahren, nicht Kinder) je Sozialraum und Jahr. "
           "Jede Gefährdungsart höchstens akut + latent.",
    "s8a_melder": "Wer hat den Fall bekannt gemacht (optional, lange Form): eine Zeile je Sozialraum, Jahr und "
                  "Melder.",
    "s42": "Im Jahr beendete Inobhutnahmen (§ 42 und § 42a) je Sozialraum und Jahr. Jede „davon“-/„anschließend“-"
           "Zahl höchstens so groß wie „Inobhutnahmen“.",
    "kosten": "Ausgaben und Haushaltsansatz in Euro. Je Jahr entweder Codes 01–16 oder Segmente oder „gesamt“ – "
              "nicht gemischt. Sozialraum-ID leer = ganze Kommune.",
    "personal": "Vollzeitstellen der ASD-Fachkräfte je Team und Jahr (Verknüpfung über die Spalte „Team“ im Blatt "
                "„Sozialräume“).",
}

GENERAL_RULES = [
    "So füllen Sie die Masterdatei aus",
    "• Nur das Blatt „Sozialräume“ ist Pflicht. Jedes andere Blatt ersetzt beim Hochladen die Daten der Jahre, die "
    "es enthält; andere Jahre bleiben erhalten.",
    "• Die Kopfzeile muss in einer der ersten 10 Zeilen stehen. Spaltennamen dürfen in Groß-/Kleinschreibung, "
    "Leerzeichen und Bindestrichen abweichen; „Hilfeart“ = „Art der Hilfe“, „Jahr“ = „Berichtsjahr“.",
    "• Zeilen mit einem „x“ in der Spalte „Beispiel“ sind Beispiele und werden beim Hochladen übersprungen. "
    "Bitte löschen oder überschreiben Sie sie.",
    "• Jahr: vierstellig (2000 bis 2100). Sozialraum-ID: genau wie im Blatt „Sozialräume“, oder „OHNE“ für Fälle, "
    "die keinem Sozialraum zugeordnet werden können.",
    "• Anzahlen: ganze Zahlen ab 0 (1.234 ist erlaubt). „-“ bedeutet 0; „.“, „x“ und „…“ bedeuten „keine Daten“. "
    "Eine leere Zelle bedeutet „keine Daten“, nicht 0.",
    "• Geldbeträge in Euro, Nachkommastellen mit Komma (1.234,56) oder Punkt (1234.56).",
    "• Codes: aus der Liste wählen (Blatt „Codes“) oder den Code eintragen (1 = 01).",
    "• Jeder Schlüssel (z. B. Jahr + Sozialraum-ID + Hilfeart) darf je Blatt nur einmal vorkommen.",
    "• Formeln sind erlaubt, wenn Excel ihr Ergebnis gespeichert hat. Verbundene Zellen in der Kopfzeile bitte "
    "vermeiden.",
]


def _put(ws, row: int, col: int, value: Any):
    """Write a cell; text always as a string cell (never a formula)."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def _code_entries(list_name: str) -> list[str]:
    return [f"{code} – {label}" for code, label in CODES[list_name].items()]


# drop-down sources on the Codes sheet: key -> (column title, entries)
CODE_LISTS = {
    "code:art_der_hilfe": ("Art der Hilfe (Blatt HzE)", _code_entries("art_der_hilfe")),
    "kosten_hilfeart": ("Hilfeart im Blatt Kosten", [KOSTEN_GESAMT, *SEGMENTS, *_code_entries("art_der_hilfe")]),
    "code:melder_8a": ("Melder (Blatt § 8a Melder)", _code_entries("melder_8a")),
    "code:anregende_institution": ("Anregende Institution (Blatt Zugänge)", _code_entries("anregende_institution")),
}

EXAMPLES: dict[str, list[list]] = {
    "sozialraeume": [["01", "Nordstadt", "Team Nord", None, None, None],
                     ["02", "Südstadt", "Team Süd", None, 2018, None]],
    "bevoelkerung": [[2024, "01", 310, 295, 402, 488, 301, 290, 640, 12450]],
    "sgb2": [[2024, "01", 412, 530, 210]],
    "hze": [[2024, "01", "07 – § 31 Sozialpädagogische Familienhilfe", 12, 10, 21, 48],
            [2024, "01", "11 – § 34 Heimerziehung, sonstige betreute Wohnform", 4, 3, 9, None]],
    "beratung": [[2024, "01", 35, 12, 20, 140]],
    "zugaenge": [[2024, "01", "Schule", 7, "3 – Schule / Kindertageseinrichtung"]],
    "s8a": [[2024, "01", 8, 14, 22, 30, 12, 4, 6, 2]],
    "s8a_melder": [[2024, "01", "02 – Schule", 11]],
    "s42": [[2024, "01", 18, 5, 4, 7, 6, 8]],
    "kosten": [[2024, None, "gesamt", "1.250.000,00", "1.300.000,00", "85.000,00"]],
    "personal": [[2024, "Team Nord", 6.5, 0.5]],
}


def _header_texts(kind: str) -> list[str]:
    return [c.headers[0] for c in COLUMNS[kind]]


def _write_hinweise(ws) -> None:
    ws.title = "Hinweise"
    _put(ws, 1, 1, "Masterdatei der Strategiekarte").font = Font(bold=True, size=14)
    r = 3
    for i, line in enumerate(GENERAL_RULES):
        c = _put(ws, r, 1, line)
        if i == 0:
            c.font = Font(bold=True, size=12)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    r += 1
    for kind, sheet in SHEETS.items():
        _put(ws, r, 1, f"Blatt „{sheet}“").font = Font(bold=True, size=12)
        r += 1
        _put(ws, r, 1, SHEET_HELP[kind]).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
        for col in COLUMNS[kind]:
            need = "Pflicht" if col.required else "optional"
            text = f"• {col.headers[0]} ({need})" + (f": {col.help}" if col.help else "")
            _put(ws, r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
            r += 1
        r += 1
    _write_indicator_help(ws, r)
    ws.column_dimensions["A"].width = 120


def _write_indicator_help(ws, r: int) -> int:
    """The Kennzahlen part of the Hinweise sheet: how to read them, then every indicator with Zähler, Nenner,
    Einheit, Zählregel, what moves it, how to read it and its source (data_models/indicators/help.py)."""
    from data_models.indicators.help import CONVENTIONS, GENERAL_READING, help_rows

    wrap = Alignment(wrap_text=True, vertical="top")
    _put(ws, r, 1, "Kennzahlen: was sie zählen und wie sie zu lesen sind").font = Font(bold=True, size=14)
    r += 1
    for line in [GENERAL_READING, *(f"• {c}" for c in CONVENTIONS)]:
        _put(ws, r, 1, line).alignment = wrap
        r += 1
    section = None
    for row in help_rows():
        if row["Bereich"] != section:
            section = row["Bereich"]
            r += 1
            _put(ws, r, 1, section).font = Font(bold=True, size=12)
            r += 1
        _put(ws, r, 1, f"{row['Kennzahl']} (Kennung {row['Kennung']})").font = Font(bold=True)
        r += 1
        for field in ("Zähler", "Nenner", "Einheit", "Zählregel", "Was den Wert bewegt", "Wie lesen", "Datenquelle"):
            _put(ws, r, 1, f"• {field}: {row[field]}").alignment = wrap
            r += 1
    return r


def _write_codes(ws) -> dict[str, str]:
    """The Codes sheet; returns drop-down key -> range formula."""
    ranges = {}
    for i, (key, (title, entries)) in enumerate(CODE_LISTS.items(), start=1):
        _put(ws, 1, i, title).font = Font(bold=True)
        for j, entry in enumerate(entries, start=2):
            _put(ws, j, i, entry)
        letter = get_column_letter(i)
        ranges[key] = f"Codes!${letter}$2:${letter}${len(entries) + 1}"
        ws.column_dimensions[letter].width = 48
    ws.freeze_panes = "A2"
    return ranges


def _cell_value(v) -> Any:
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and v != v:
        return None
    if hasattr(v, "item") and not isinstance(v, str):  # numpy scalars
        v = v.item()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return v
    return v


def _is_text_column(parser: str) -> bool:
    return parser in ("id", "text", "ags", "kosten_hilfeart") or parser.startswith("code:")


def build_workbook(tables: dict[str, pd.DataFrame] | None = None, examples: bool = True) -> Workbook:
    """The Masterdatei workbook: Hinweise, one sheet per kind (data rows from `tables` when given), Codes."""
    wb = Workbook()
    _write_hinweise(wb.active)
    sheets = {kind: wb.create_sheet(name) for kind, name in SHEETS.items()}
    ranges = _write_codes(wb.create_sheet("Codes"))
    for kind, ws in sheets.items():
        cols = COLUMNS[kind]
        headers = _header_texts(kind) + [BEISPIEL_HEADER]
        for j, h in enumerate(headers, start=1):
            c = _put(ws, 1, j, h)
            c.font, c.fill = HEADER_FONT, HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="center")
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = max(12, min(45, len(h) + 4))
            if j <= len(cols) and _is_text_column(cols[j - 1].parser):
                ws.column_dimensions[letter].number_format = "@"  # typed "01" stays text in Excel
        for j, col in enumerate(cols, start=1):
            if col.parser in ranges:
                letter = get_column_letter(j)
                dv = DataValidation(type="list", formula1=ranges[col.parser], allow_blank=True,
                                    showErrorMessage=True, errorStyle="warning",
                                    errorTitle="Unbekannter Wert",
                                    error="Bitte einen Eintrag aus der Liste wählen oder einen gültigen Code "
                                          "eintragen.",
                                    promptTitle=col.headers[0], prompt="Aus der Liste wählen", showInputMessage=True)
                dv.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
                ws.add_data_validation(dv)
            if kind == "kosten" and col.parser == "money":
                ws.column_dimensions[get_column_letter(j)].number_format = "#,##0.00"
        ws.row_dimensions[1].height = 45
        ws.freeze_panes = "A2"
        r = 2
        if examples:
            for ex in EXAMPLES[kind]:
                for j, v in enumerate(ex + [None] * (len(cols) - len(ex)), start=1):
                    c = _put(ws, r, j, v)
                    c.font, c.fill = EXAMPLE_FONT, EXAMPLE_FILL
                c = _put(ws, r, len(cols) + 1, "x")
                c.font, c.fill = EXAMPLE_FONT, EXAMPLE_FILL
                r += 1
        frame = (tables or {}).get(kind)
        if frame is not None and len(frame):
            names = [c.name for c in cols]
            present = [n for n in names if n in frame.columns]
            data = frame[present].astype(object).to_numpy()
            idx = {n: i for i, n in enumerate(present)}
            for values in data:
                for j, n in enumerate(names, start=1):
                    if n in idx:
                        _put(ws, r, j, _cell_value(values[idx[n]]))
                r += 1
    return wb


def write_template(path_or_buffer) -> None:
    """Write the empty Masterdatei template (with marked example rows) to a path or binary buffer."""
    build_workbook(None, examples=True).save(path_or_buffer)


def template_bytes() -> bytes:
    import io

    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()


def iter_headers() -> Iterable[tuple[str, list[str]]]:
    """(sheet name, headers) of every data sheet, as the template writes them (for docs and tests)."""
    for kind, name in SHEETS.items():
        yield name, _header_texts(kind)
