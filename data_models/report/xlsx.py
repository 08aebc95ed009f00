"""The report's tables as an Excel workbook (openpyxl): a cover sheet, one sheet per chosen section with the same
tables as the PDF, and a sheet that describes every indicator.

Each table is an Excel table (banded rows, filter buttons; Excel shows its headers in place of the column letters
while scrolling through it); the first table's header row is frozen. Numbers are numbers with a number format
(German Excel shows 1.234,5); a suppressed value is the text "." with the footnote below the table; "keine Daten"
is an empty cell. Text cells are always string cells, so a name starting with "=" never becomes a formula.
"""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as XLTable
from openpyxl.worksheet.table import TableStyleInfo

from data_models.indicators.catalogue import by_section
from data_models.report.model import FORMATS, Num, Report, Table

SHEET_NAMES = {
    "zusammenfassung": "Auf einen Blick",
    "karte": "Eckwert HzE Sozialräume",
    "entwicklung": "Entwicklung",
    "leistungen": "Leistungen",
    "ressourcen": "Ressourcen",
    "waechteramt": "Wächteramt",
    "erlaeuterungen": None,  # the sheet "Indikatoren" describes every indicator
    "datenqualitaet": "Datenqualität",
}
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
TITLE_FONT = Font(bold=True, size=14, color="0072B2")
BOLD = Font(bold=True)
NOTE_FONT = Font(italic=True, size=9, color="666666")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def _text(ws, row: int, col: int, text: str, font: Font | None = None, align: Alignment | None = None):
    cell = ws.cell(row=row, column=col)
    cell.value = _ILLEGAL_XML.sub("", str(text))
    cell.data_type = "s"  # never a formula
    if font:
        cell.font = font
    if align:
        cell.alignment = align
    return cell


def _value(ws, row: int, col: int, value, bold: bool = False) -> str:
    """Write one table cell; returns its display text (for the column width)."""
    if isinstance(value, Num):
        if value.suppressed:
            c = _text(ws, row, col, ".", align=Alignment(horizontal="right"))
            shown = "."
        elif value.value is None:
            return ""
        else:
            c = ws.cell(row=row, column=col, value=float(value.value) if value.fmt != "year" else int(value.value))
            c.number_format = FORMATS.get(value.fmt, FORMATS["dec1"])
            shown = value.text()
    elif value is None:
        return ""
    else:
        c = _text(ws, row, col, value)
        shown = str(value)
    if bold:
        c.font = BOLD
    return shown


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in headers:
        h = h.strip() or "Spalte"
        if h in seen:
            seen[h] += 1
            h = f"{h} ({seen[h]})"
        else:
            seen[h] = 1
        out.append(h)
    return out


class _Sheet:
    def __init__(self, ws, title: str, subtitle: str):
        self.ws = ws
        _text(ws, 1, 1, title, TITLE_FONT)
        _text(ws, 2, 1, subtitle, NOTE_FONT)
        self.row = 4
        self.widths: dict[int, float] = {}
        self.frozen = False

    def width(self, col: int, text: str, cap: int = 60) -> None:
        longest = max((len(part) for part in str(text).split("\n")), default=0)
        self.widths[col] = max(self.widths.get(col, 8), min(cap, longest + 2))

    def text(self, text: str, font: Font | None = None) -> None:
        _text(self.ws, self.row, 1, text, font)
        self.row += 1

    def table(self, t: Table, name: str, public: bool) -> None:
        ws = self.ws
        _text(ws, self.row, 1, t.title, BOLD)
        self.row += 1
        head = self.row
        headers = _unique([c.header for c in t.columns])
        for j, h in enumerate(headers, start=1):
            _text(ws, head, j, h, BOLD, Alignment(wrap_text=True, vertical="bottom",
                                                  horizontal="left" if t.columns[j - 1].align == "LEFT" else "right"))
            self.width(j, h, cap=18 if t.columns[j - 1].align != "LEFT" else 40)
        ws.row_dimensions[head].height = 15 * min(3, max(1, max(len(h) // 16 + 1 for h in headers)))
        for i, row in enumerate(t.rows):
            r = head + 1 + i
            for j, v in enumerate(row, start=1):
                shown = _value(ws, r, j, v, bold=i in t.bold_rows)
                if shown:
                    self.width(j, shown, cap=60)
                    if t.columns[j - 1].align == "LEFT" and len(shown) > 60:
                        ws.cell(row=r, column=j).alignment = WRAP_TOP
        last = head + len(t.rows)
        if t.rows:
            ref = f"A{head}:{get_column_letter(len(headers))}{last}"
            xt = XLTable(displayName=name, ref=ref)
            xt.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
            ws.add_table(xt)
        if not self.frozen:
            ws.freeze_panes = ws.cell(row=head + 1, column=2)
            self.frozen = True
        self.row = last + 1
        note = t.note
        if t.has_suppressed and public and "unterdrückt" not in note:
            from data_models.privacy import FOOTNOTE

            note = (note + " " + FOOTNOTE).strip()
        if note:
            _text(ws, self.row, 1, note, NOTE_FONT)
            self.row += 1
        self.row += 1

    def finish(self) -> None:
        for col, w in self.widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = w


def _cover(ws, report: Report) -> None:
    _text(ws, 1, 1, "Bericht für den Jugendhilfeausschuss", TITLE_FONT)
    rows = [("Jugendamt", report.tenant_name), ("Berichtsjahr", str(report.year)),
            ("Vergleichsjahr", str(report.previous_year)), ("Erstellt am", report.created),
            ("Fassung", "öffentlich: kleine Zahlen unterdrückt (.)" if report.public
             else "intern: exakte Zahlen – nicht zur Veröffentlichung")]
    if report.is_demo:
        rows.append(("Hinweis", "Fiktive Demo-Kommune: alle Zahlen sind erfunden."))
    r = 3
    for k, v in rows:
        _text(ws, r, 1, k, BOLD)
        _text(ws, r, 2, v)
        r += 1
    r += 1
    _text(ws, r, 1, "Verwendete Daten", BOLD)
    r += 1
    heads = ["Version", "Hochgeladen"] + ([] if report.public else ["Datei"]) + ["Daten (aktuell verwendet)"]
    for j, h in enumerate(heads, start=1):
        c = _text(ws, r, j, h, BOLD)
        c.fill = HEADER_FILL
    for v in report.versions:
        r += 1
        vals = [v.version, v.zeitpunkt] + ([] if report.public else [v.datei]) + [v.daten]
        for j, x in enumerate(vals, start=1):
            if isinstance(x, int):
                ws.cell(row=r, column=j, value=x)
            else:
                _text(ws, r, j, x, align=WRAP_TOP)
    r += 2
    _text(ws, r, 1, report.source, NOTE_FONT)
    widths = [18, 18] + ([] if report.public else [30]) + [80]
    widths[1] = max(widths[1], min(60, len(report.tenant_name) + 2))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _indicator_sheet(ws) -> None:
    heads = ["ID", "Kennzahl", "Bereich", "Einheit", "Definition", "Was den Wert beeinflusst", "Lesart",
             "Datenquelle", "Veränderung zum Vorjahr in", "nur mit Einzeldaten"]
    widths = [26, 34, 15, 18, 60, 45, 60, 45, 16, 12]
    for j, h in enumerate(heads, start=1):
        _text(ws, 1, j, h, BOLD, Alignment(wrap_text=True, vertical="bottom"))
        ws.column_dimensions[get_column_letter(j)].width = widths[j - 1]
    r = 1
    for _sec, inds in by_section().items():
        for ind in inds:
            r += 1
            vals = [ind.id, ind.label, ind.section, ind.unit, ind.definition, ind.drivers, ind.reading, ind.source,
                    ind.change_label, "ja" if ind.needs_records else "nein"]
            for j, v in enumerate(vals, start=1):
                _text(ws, r, j, v, align=WRAP_TOP)
    xt = XLTable(displayName="Indikatoren", ref=f"A1:{get_column_letter(len(heads))}{r}")
    xt.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    ws.add_table(xt)
    ws.freeze_panes = "C2"


def render_xlsx(report: Report) -> bytes:
    wb = Workbook()
    cover = wb.active
    cover.title = "Bericht"
    _cover(cover, report)
    marking = "öffentliche Fassung (kleine Zahlen unterdrückt)" if report.public else "interne Fassung (exakte Zahlen)"
    n = 0
    for sec in report.sections:
        name = SHEET_NAMES.get(sec.key)
        tables = sec.tables()
        if not name or not tables:
            continue
        sh = _Sheet(wb.create_sheet(name), sec.title, f"{report.tenant_name} · Berichtsjahr {report.year} · "
                                                      f"{marking}")
        for t in tables:
            n += 1
            sh.table(t, f"T{n}_{sec.key}", report.public)
        sh.finish()
    _indicator_sheet(wb.create_sheet("Indikatoren"))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
