"""The report's content model: sections made of text, tables and charts. `content.py` fills it once; `pdf.py` and
`xlsx.py` render the same tables, so the PDF and the workbook cannot disagree.

A table cell is a `Num` (a number with its display format, or suppressed), plain text, or None (empty). The PDF
writes numbers in German format (`data_models.formatting`); the workbook writes them as numbers with an Excel
number format (Excel shows decimal comma and thousands dot in a German installation).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from data_models.formatting import (COUNT_UNITS, DASH, KEINE_DATEN, SUPPRESSED, fmt_change, fmt_de, fmt_eur,
                                    fmt_int, fmt_percent, is_missing)

# display formats of a number: German text (PDF) and Excel number format (workbook)
FORMATS = {
    "count": '#,##0',
    "dec1": '#,##0.0',
    "dec2": '#,##0.00',
    "eur": '#,##0 "€"',
    "pct": '0.0 "%"',
    "chg_pct": '+0.0 "%";-0.0 "%";"±"0.0 "%"',
    "chg_pp": '+0.0 "Pp.";-0.0 "Pp.";"±"0.0 "Pp."',
    "year": '0',
}


def format_for_unit(unit: str | None) -> str:
    """The display format of an indicator value by its unit (as `formatting.fmt_value`)."""
    if unit in COUNT_UNITS:
        return "count"
    if unit == "EUR":
        return "eur"
    if unit == "%":
        return "pct"
    if unit == "Verhältnis":
        return "dec2"
    return "dec1"


@dataclass(frozen=True)
class Num:
    value: float | None
    fmt: str = "dec1"
    suppressed: bool = False

    def text(self, missing: str = KEINE_DATEN, public: bool = False) -> str:
        """German text of the number ("." when suppressed, `missing` when null)."""
        if self.suppressed:
            return SUPPRESSED
        if is_missing(self.value):
            return DASH if self.fmt in ("chg_pct", "chg_pp") else missing  # no change without both values
        v = float(self.value)
        if self.fmt == "count":
            return fmt_int(v, missing, zero_dash=public)
        if self.fmt == "eur":
            return fmt_eur(v, 0, missing)
        if self.fmt == "pct":
            return fmt_percent(v, 1, missing)
        if self.fmt == "dec2":
            return fmt_de(v, 2, missing)
        if self.fmt == "chg_pct":
            return fmt_change(v, "percent", 1, DASH)
        if self.fmt == "chg_pp":
            return fmt_change(v, "pp", 1, DASH).replace("Prozentpunkte", "Pp.")
        if self.fmt == "year":
            return str(int(v))
        return fmt_de(v, 1, missing)


@dataclass
class Column:
    header: str
    width: float = 1.0  # relative width in the PDF
    align: str = "RIGHT"  # LEFT for text columns
    excel_width: float | None = None  # characters; None = from the contents


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[list]  # cells: Num | str | None
    note: str = ""  # below the table (what is counted, source, footnotes)
    sheet_title: str = ""  # shorter title for the workbook (default: title)
    bold_rows: set[int] = field(default_factory=set)  # e.g. the GESAMT row
    font_size: float = 7.8  # in the PDF; smaller for wide tables

    @property
    def has_suppressed(self) -> bool:
        return any(isinstance(c, Num) and c.suppressed for r in self.rows for c in r)


@dataclass
class Chart:
    png: bytes
    caption: str  # what is shown, per what, which year; the data are in the table next to it
    width_cm: float = 17.0
    height_cm: float = 8.5


@dataclass
class Text:
    text: str  # plain text; paragraphs separated by blank lines
    style: str = "body"  # body | small | user (the user's own text)


@dataclass
class Section:
    key: str
    title: str
    blocks: list = field(default_factory=list)  # Text | Table | Chart | PageBreak
    new_page: bool = True

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


class PageBreak:
    """Start a new page inside a section."""


@dataclass
class VersionLine:
    version: int
    zeitpunkt: str  # 31.12.2024 12:00
    datei: str
    daten: str  # which kinds/years of this upload are used


@dataclass
class Report:
    tenant_name: str
    year: int
    previous_year: int
    public: bool
    created: str  # date of creation, German
    versions: list[VersionLine]
    sections: list[Section]
    source: str  # "Quelle: Strategiekarte · … · Datenstand: Version N vom …"
    is_demo: bool = False
