"""Findings: problems an importer reports about a user's file, in German.

A `Fehler` blocks the import (nothing is stored); `Warnung` and `Hinweis` do not.
Row numbers are Excel's own (first row of the sheet = 1) or, for text files, the line number.
"""
from __future__ import annotations

from dataclasses import dataclass, asdict
from typing import Any, Iterable

FEHLER = "Fehler"
WARNUNG = "Warnung"
HINWEIS = "Hinweis"
SEVERITIES = (FEHLER, WARNUNG, HINWEIS)
_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}

# German column headers of the findings table (UI and download).
COLUMNS_DE = {
    "schwere": "Schwere",
    "datei": "Datei",
    "blatt": "Blatt",
    "zeile": "Zeile",
    "spalte": "Spalte",
    "wert": "Wert",
    "meldung": "Meldung",
}


@dataclass(frozen=True)
class Finding:
    schwere: str  # FEHLER, WARNUNG or HINWEIS
    meldung: str  # German sentence saying what is wrong and what to change
    datei: str = ""
    blatt: str = ""
    zeile: int | None = None
    spalte: str = ""
    wert: Any = None
    # a stable key for the kind of problem (grouping "50 per sheet, column and kind")
    art: str = ""

    def __post_init__(self):
        if self.schwere not in SEVERITIES:
            raise ValueError(f"unknown severity {self.schwere!r}")

    def as_dict(self) -> dict:
        d = asdict(self)
        d["wert"] = "" if self.wert is None else str(self.wert)
        return d

    def text(self) -> str:
        """One line for the command line (stderr)."""
        where = []
        if self.datei:
            where.append(self.datei)
        if self.blatt:
            where.append(f"Blatt „{self.blatt}“")
        if self.zeile is not None:
            where.append(f"Zeile {self.zeile}")
        if self.spalte:
            where.append(f"Spalte „{self.spalte}“")
        loc = ", ".join(where)
        val = "" if self.wert in (None, "") else f" (Wert: {self.wert})"
        return f"{self.schwere}: {loc}: {self.meldung}{val}" if loc else f"{self.schwere}: {self.meldung}{val}"


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.schwere == FEHLER for f in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by sheet, then row, then severity (as the contract asks)."""
    return sorted(
        findings,
        key=lambda f: (f.datei, f.blatt, f.zeile if f.zeile is not None else -1, _SEVERITY_ORDER[f.schwere], f.spalte),
    )


def findings_frame(findings: Iterable[Finding]):
    """Findings as a pandas DataFrame with German column headers."""
    import pandas as pd

    rows = [f.as_dict() for f in sort_findings(findings)]
    frame = pd.DataFrame(rows, columns=list(COLUMNS_DE) + ["art"])
    return frame.drop(columns=["art"]).rename(columns=COLUMNS_DE)
