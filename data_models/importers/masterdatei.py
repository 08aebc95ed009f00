"""The Masterdatei importer: one workbook -> the canonical frames of `schema.TABLES` (rules of masterdatei.md).

`import_masterdatei(data, filename, ctx)` reads every known sheet present, validates it and returns an
`ImportResult` (kind "masterdatei") with one frame per sheet that holds data rows. Nothing is stored here.

Checks (Fehler unless noted): sheet `Sozialräume` required; required columns; years 2000–2100; counts whole ≥ 0;
codes; Sozialraum-IDs known in `Sozialräume` (numerically equal with a Hinweis; `OHNE` allowed); duplicate row
keys (naming both rows); `insgesamt` ≥ sum of age groups; § 8a types ≤ akut + latent; § 42 `davon`/`anschließend`
≤ Inobhutnahmen; SGB II `davon Alleinerziehende` ≤ `Bedarfsgemeinschaften mit Kindern`; Personal `davon unbesetzt`
≤ `Vollzeitstellen`; Kosten: codes, segments and `gesamt` not mixed in a year; an AGS in two Sozialräume;
`gültig ab` ≤ `gültig bis`.
Warnings: a Sozialraum without any row in a year of a long sheet (HzE, Zugänge, § 8a Melder); data outside a
Sozialraum's `gültig ab`/`gültig bis`; population change > 20 % between consecutive years; helps in a Sozialraum
with population 0; a year present in one sheet but missing in another; a Personal team not linked to any
Sozialraum; negative amounts in Kosten. Hinweise: unknown sheets and columns, `.`/`x`/`…` symbols, numerically
equal ids, `1.234` read as German thousands in money columns.
Not here: "a rate more than 3× the municipality's median of other years" — it needs rates, so the indicator
layer checks it.

Long sheets keep only the rows given (the indicator layer treats missing rows as 0). Sheets without data rows
(only a header, or only example rows) are left out of `tables`, so they replace nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from data_models import codes as C
from data_models.findings import FEHLER, HINWEIS, WARNUNG, Finding, sort_findings
from data_models.importers import values as V
from data_models.importers.base import ImportContext, ImportResult
from data_models.importers.reading import (CellProblem, RawSheet, Table, locate_header, normalise_header, read_raw,
                                           sniff_container)
from data_models.schema import GESAMT, OHNE, SHEETS, STR, TABLES

# ------------------------------------------------------------------------------------------------------------
# the sheet layouts: kind -> [(canonical column, headers (first = the template's), parser, required)]

SR_ID = ["Sozialraum-ID", "Sozialraum-Nr", "Sozialraumnummer", "SR-ID"]
JAHR = ["Jahr", "Berichtsjahr"]
HILFEART = ["Hilfeart", "Art der Hilfe"]


@dataclass(frozen=True)
class Col:
    name: str  # canonical column (schema.TABLES)
    headers: tuple[str, ...]  # accepted headers; the first is written by the template and the export
    parser: str  # year | id | text | count | money | float | ags | code:<list> | kosten_hilfeart
    required: bool = False
    help: str = ""  # German help text for the template's Hinweise sheet


def _c(name, headers, parser, required=False, help=""):
    return Col(name, tuple(headers), parser, required, help)


COLUMNS: dict[str, list[Col]] = {
    "sozialraeume": [
        _c("sozialraum_id", SR_ID, "id", True, "eindeutige Kennung des Sozialraums (z. B. 01); als Text gespeichert"),
        _c("name", ["Name", "Sozialraumname", "Bezeichnung"], "text", True, "Name, der auf Karte und Berichten steht"),
        _c("team", ["Team", "ASD-Team"], "text", False, "zuständiges ASD-Team (Verknüpfung zum Blatt „Personal“)"),
        _c("gemeindeschluessel", ["Gemeindeschlüssel", "AGS", "Amtlicher Gemeindeschlüssel"], "ags", False,
           "nur Landkreise: 8-stelliger Gemeindeschlüssel (mehrere mit „;“ getrennt)"),
        _c("gueltig_ab", ["gültig ab"], "year", False, "erstes Jahr, in dem es den Sozialraum gibt (leer = immer)"),
        _c("gueltig_bis", ["gültig bis"], "year", False, "letztes Jahr, in dem es den Sozialraum gibt (leer = immer)"),
    ],
    "bevoelkerung": [
        _c("jahr", JAHR, "year", True), _c("sozialraum_id", SR_ID, "id", True),
        _c("a0_3", ["0 bis unter 3", "0 - unter 3", "unter 3"], "count", True),
        _c("a3_6", ["3 bis unter 6", "3 - unter 6"], "count", True),
        _c("a6_10", ["6 bis unter 10", "6 - unter 10"], "count", True),
        _c("a10_15", ["10 bis unter 15", "10 - unter 15"], "count", True),
        _c("a15_18", ["15 bis unter 18", "15 - unter 18"], "count", True),
        _c("a18_21", ["18 bis unter 21", "18 - unter 21"], "count", True),
        _c("a21_27", ["21 bis unter 27", "21 - unter 27"], "count", True),
        _c("insgesamt", ["insgesamt", "Einwohner insgesamt", "Bevölkerung insgesamt"], "count", True,
           "alle Einwohner (alle Altersjahre); mindestens die Summe der Altersgruppen"),
    ],
    "sgb2": [
        _c("jahr", JAHR, "year", True), _c("sozialraum_id", SR_ID, "id", True),
        _c("lb_u15", ["Leistungsberechtigte unter 15", "nicht erwerbsfähige Leistungsberechtigte unter 15"], "count",
           True, "nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren (Sozialgeld)"),
        _c("bg_kinder", ["Bedarfsgemeinschaften mit Kindern"], "count"),
        _c("bg_alleinerziehend", ["davon Alleinerziehende", "Alleinerziehende"], "count"),
    ],
    "hze": [
        _c("jahr", JAHR, "year", True), _c("sozialraum_id", SR_ID, "id", True),
        _c("hilfeart", HILFEART, "code:art_der_hilfe", True, "Code 01–16 (siehe Blatt „Codes“)"),
        _c("begonnen", ["begonnen", "begonnene Hilfen"], "count", True, "im Jahr begonnene Hilfen"),
        _c("beendet", ["beendet", "beendete Hilfen"], "count", True, "im Jahr beendete Hilfen"),
        _c("andauernd", ["andauernd am 31.12.", "andauernd", "andauernde Hilfen"], "count", True,
           "am 31.12. andauernde Hilfen"),
        _c("junge_menschen", ["junge Menschen", "erreichte junge Menschen"], "count", False,
           "erreichte junge Menschen (Familienhilfen: eine Familie je Hilfe)"),
    ],
    "beratung": [
        _c("jahr", JAHR, "year", True), _c("sozialraum_id", SR_ID, "id", True),
        _c("p16", ["§ 16", "§ 16 SGB VIII"], "count"), _c("p17", ["§ 17", "§ 17 SGB VIII"], "count"),
        _c("p18", ["§ 18", "§ 18 SGB VIII"], "count"),
        _c("p28", ["§ 28 Erziehungsberatung", "§ 28", "Erziehungsberatung"], "count", False,
           "nur für Jahre ohne Erziehungsberatung (Codes 01–03) im Blatt „HzE“"),
    ],
    "zugaenge": [
        _c("jahr", JAHR, "year", True), _c("sozialraum_id", SR_ID, "id", True),
        _c("zugangsweg", ["Zugangsweg", "Zugang"], "text", True, "freier Text, z. B. Schule, Kita, Polizei"),
        _c("anzahl", ["Anzahl"], "count", True, "im Jahr über diesen Weg begonnene Hilfen"),
        _c("anregende", ["Anregende Institution"], "code:anregende_institution", False,
           "amtlicher Code 1–8 der anregenden Institution"),
    ],
    "s8a": [
        _c("jahr", JAHR, "year", True), _c("sozialraum_id", SR_ID, "id", True),
        _c("akut", ["akute Kindeswohlgefährdung", "akut"], "count", True),
        _c("latent", ["latente Kindeswohlgefährdung", "latent"], "count", True),
        _c("hilfebedarf", ["keine Kindeswohlgefährdung, aber Hilfebedarf", "Hilfebedarf"], "count", True),
        _c("kein_hilfebedarf", ["keine Kindeswohlgefährdung und kein Hilfebedarf", "kein Hilfebedarf"], "count",
           True),
        _c("vernachlaessigung", ["Vernachlässigung"], "count", False,
           "nur bei akut und latent; jede Gefährdungsart höchstens akut + latent"),
        _c("koerperlich", ["körperliche Misshandlung"], "count"),
        _c("psychisch", ["psychische Misshandlung"], "count"),
        _c("sexuell", ["sexuelle Gewalt"], "count"),
    ],
    "s8a_melder": [
        _c("jahr", JAHR, "year", True), _c("sozialraum_id", SR_ID, "id", True),
        _c("melder", ["Melder", "Bekanntwerden durch"], "code:melder_8a", True, "Code 01–12 (siehe Blatt „Codes“)"),
        _c("anzahl", ["Anzahl"], "count", True),
    ],
    "s42": [
        _c("jahr", JAHR, "year", True), _c("sozialraum_id", SR_ID, "id", True),
        _c("inobhutnahmen", ["Inobhutnahmen"], "count", True, "alle im Jahr beendeten Maßnahmen (§ 42 und § 42a)"),
        _c("uma", ["davon nach unbegleiteter Einreise"], "count"),
        _c("eigener_wunsch", ["davon auf eigenen Wunsch"], "count"),
        _c("kurz", ["davon innerhalb von 2 Wochen beendet"], "count"),
        _c("rueckkehr", ["anschließend Rückkehr zu den Sorgeberechtigten"], "count"),
        _c("ausserhalb", ["anschließend Hilfe außerhalb der Familie"], "count"),
    ],
    "kosten": [
        _c("jahr", JAHR, "year", True),
        _c("sozialraum_id", SR_ID, "id", False, "leer = ganze Kommune"),
        _c("hilfeart", HILFEART, "kosten_hilfeart", True,
           "Code 01–16, ein Segment (EB, ambulant, teilstationär, stationär, § 35a) oder „gesamt“ (alle HzE ohne "
           "EB); in einem Jahr nur eine dieser Arten verwenden"),
        _c("ausgaben", ["Ausgaben (EUR)", "Ausgaben", "Ausgaben (€)", "Ausgaben in EUR", "Ist"], "money", True,
           "Bruttoausgaben (Ist) in Euro"),
        _c("ansatz", ["Ansatz (EUR)", "Ansatz", "Ansatz (€)", "Plan"], "money", False,
           "Haushaltsansatz (Plan) in Euro"),
        _c("einnahmen", ["Einnahmen (EUR)", "Einnahmen", "Einnahmen (€)"], "money", False,
           "Kostenbeiträge und Erstattungen in Euro"),
    ],
    "personal": [
        _c("jahr", JAHR, "year", True),
        _c("team", ["Team", "ASD-Team"], "text", True, "wie in der Spalte „Team“ des Blatts „Sozialräume“"),
        _c("vzst", ["Vollzeitstellen", "VZÄ", "Vollzeitäquivalente"], "float", True,
           "Vollzeitstellen der ASD-Fachkräfte (Dezimalzahlen erlaubt)"),
        _c("unbesetzt", ["davon unbesetzt", "unbesetzt"], "float", False, "davon unbesetzte Stellen (leer = 0)"),
    ],
}

# row keys (a key may occur only once per sheet)
KEYS: dict[str, list[str]] = {
    "sozialraeume": ["sozialraum_id"],
    "bevoelkerung": ["jahr", "sozialraum_id"], "sgb2": ["jahr", "sozialraum_id"],
    "hze": ["jahr", "sozialraum_id", "hilfeart"], "beratung": ["jahr", "sozialraum_id"],
    "zugaenge": ["jahr", "sozialraum_id", "zugangsweg"], "s8a": ["jahr", "sozialraum_id"],
    "s8a_melder": ["jahr", "sozialraum_id", "melder"], "s42": ["jahr", "sozialraum_id"],
    "kosten": ["jahr", "sozialraum_id", "hilfeart"], "personal": ["jahr", "team"],
}
# key columns that must not be empty (kosten: sozialraum_id empty = whole municipality)
NOT_EMPTY: dict[str, list[str]] = {k: [c for c in v if not (k == "kosten" and c == "sozialraum_id")]
                                   for k, v in KEYS.items()}
NOT_EMPTY["sozialraeume"] = ["sozialraum_id", "name"]
LONG_KINDS = ("hze", "zugaenge", "s8a_melder")

AGE_COLUMNS = ["a0_3", "a3_6", "a6_10", "a10_15", "a15_18", "a18_21", "a21_27"]
TYPE_COLUMNS_8A = ["vernachlaessigung", "koerperlich", "psychisch", "sexuell"]
DAVON_42 = ["uma", "eigener_wunsch", "kurz", "rueckkehr", "ausserhalb"]

# sheet names that are part of the template but carry no data
IGNORED_SHEETS = {normalise_header(n) for n in ("Hinweise", "Codes", "Listen", "Anleitung", "Hilfe")}
_SHEET_SYNONYMS = {
    "bevoelkerung": ["Einwohner"], "sgb2": ["SGB 2", "SGBII"], "hze": ["Hilfen zur Erziehung"],
    "s8a": ["8a", "Gefährdungseinschätzungen"], "s8a_melder": ["8a Melder", "Melder"],
    "s42": ["42", "Inobhutnahmen"], "personal": ["Stellen"],
}
SHEET_KEYS: dict[str, str] = {}
for _kind, _name in SHEETS.items():
    SHEET_KEYS[normalise_header(_name)] = _kind
    for _syn in _SHEET_SYNONYMS.get(_kind, []):
        SHEET_KEYS.setdefault(normalise_header(_syn), _kind)

_SEGMENT_KEYS = {normalise_header(s): s for s in C.SEGMENTS}
_SEGMENT_KEYS.update({"35a": "§ 35a", "eb": "EB", "erziehungsberatung": "EB"})
_GESAMT_KEYS = {"gesamt", "insgesamt", "hzegesamt", "hzeinsgesamt", "hzeohneeb", "summe"}
KOSTEN_GESAMT = "gesamt"


def parse_kosten_hilfeart(v) -> V.Parsed:
    """Kosten `Hilfeart`: a code 01–16, a segment name (as in codes.SEGMENTS), or "gesamt"."""
    if V._is_empty(v):
        return V.Parsed()
    if isinstance(v, CellProblem):
        return V.Parsed(None, v.message)
    if isinstance(v, str):
        key = normalise_header(v)
        if key in _GESAMT_KEYS:
            return V.Parsed(KOSTEN_GESAMT)
        if key in _SEGMENT_KEYS:
            return V.Parsed(_SEGMENT_KEYS[key])
    p = V.to_code("art_der_hilfe", v)
    if p.error:
        return V.Parsed(None, f"„{V._show(v)}“ ist weder ein Code 01–16 noch ein Segment (EB, ambulant, "
                              "teilstationär, stationär, § 35a) noch „gesamt“.")
    return p


def parse_ags(v) -> V.Parsed:
    """One or several 8-digit Gemeindeschlüssel separated by `;` (or `,`); a 7-digit number (leading 0 lost by
    Excel) is padded with a hint."""
    p = V.to_text(v)
    if p.value is None or p.error:
        return p
    parts = [x.strip() for x in str(p.value).replace(",", ";").split(";") if x.strip()]
    out, hint = [], None
    for part in parts:
        digits = part.replace(" ", "")
        if digits.isdigit() and len(digits) == 7:
            digits = "0" + digits
            hint = (f"Der Gemeindeschlüssel „{part}“ hat 7 Stellen und wurde als „{digits}“ gelesen (die führende 0 "
                    "fehlte, vermutlich als Zahl formatiert).")
        if not (digits.isdigit() and len(digits) == 8):
            return V.Parsed(None, f"„{part}“ ist kein 8-stelliger Gemeindeschlüssel (AGS); mehrere bitte mit „;“ "
                                  "trennen.")
        out.append(digits)
    return V.Parsed(";".join(out) if out else None, None, hint)


PARSERS: dict[str, Callable] = {
    "year": V.to_year, "id": V.to_id, "text": V.to_text, "count": V.to_count, "money": V.to_money,
    "float": V.to_float, "ags": parse_ags, "kosten_hilfeart": parse_kosten_hilfeart,
}


def parser_for(name: str) -> Callable:
    if name.startswith("code:"):
        list_name = name[5:]
        return lambda v: V.to_code(list_name, v)
    return PARSERS[name]


# ------------------------------------------------------------------------------------------------------------
# per-sheet processing


_MAYBE_BOOL = ("boolean", "mixed", "mixed-integer", "unknown-array")


class _Sheet:
    """A located sheet being validated: parsed values plus a findings sink with file/sheet/row/column."""

    def __init__(self, kind: str, table: Table, findings: list[Finding]):
        self.kind, self.table, self.findings = kind, table, findings
        self.cols = {c.name: c for c in COLUMNS[kind]}
        self.df = pd.DataFrame(index=table.frame.index)
        self.bad = pd.DataFrame(False, index=table.frame.index, columns=list(table.frame.columns))

    def add(self, schwere: str, row, column: str | None, wert, meldung: str, art: str) -> None:
        spalte = self.table.header(column) if column else ""
        self.findings.append(Finding(schwere, meldung, datei=self.table.datei, blatt=self.table.name,
                                     zeile=None if row is None else int(row), spalte=spalte,
                                     wert=None if wert is None else V._show(wert), art=art))

    def parse(self) -> None:
        """Parse every column; each distinct raw value is parsed once, findings only for invalid/hinted cells."""
        frame = self.table.frame
        n = len(frame)
        for name, col in self.cols.items():
            if name not in frame.columns:
                self.df[name] = pd.Series([None] * n, index=frame.index, dtype=object)
                continue
            fn = parser_for(col.parser)
            arr = frame[name].to_numpy(dtype=object)
            if pd.api.types.infer_dtype(arr, skipna=True) in _MAYBE_BOOL and any(v.__class__ is bool for v in arr):
                # True == 1 for hashing: parse cell by cell
                parsed = [fn(v) for v in arr]
                codes = np.arange(n)
            else:
                codes, uniques = pd.factorize(arr, use_na_sentinel=True)
                parsed = [fn(u) for u in uniques]
            values = np.empty(len(parsed) + 1, dtype=object)  # last slot: empty cells (code -1)
            values[:-1] = [p.value for p in parsed]
            values[-1] = None
            out = values[np.where(codes < 0, len(parsed), codes)]
            bad = np.zeros(n, dtype=bool)
            flagged = [i for i, p in enumerate(parsed) if p.error or p.hint]
            if flagged:
                for pos in np.flatnonzero(np.isin(codes, flagged)):
                    p = parsed[codes[pos]]
                    row, v = frame.index[pos], arr[pos]
                    if p.error:
                        bad[pos] = True
                        self.add(FEHLER, row, name, v, p.error, f"wert_{col.parser}")
                    else:
                        self.add(HINWEIS, row, name, v, p.hint, f"hinweis_{col.parser}")
            self.df[name] = pd.Series(out, index=frame.index, dtype=object)
            self.bad[name] = bad

    def require_values(self) -> None:
        raw = self.table.frame
        for name in NOT_EMPTY[self.kind]:
            if name not in raw.columns:
                continue
            empty = raw[name].isna().to_numpy() & ~self.bad[name].to_numpy()
            for row in raw.index[empty]:
                self.add(FEHLER, row, name, None, f"Die Zelle ist leer; „{self.table.header(name)}“ muss in jeder "
                         "Zeile ausgefüllt sein.", "pflichtfeld_leer")
                self.bad.loc[row, name] = True

    def num(self, name: str) -> pd.Series:
        return pd.to_numeric(self.df[name], errors="coerce").astype("Float64")


def _check_ids(sh: _Sheet, known: list[str], column: str = "sozialraum_id") -> None:
    """Resolve Sozialraum-IDs against the `Sozialräume` ids: exact, OHNE, or numerically equal (with a Hinweis)."""
    if column not in sh.table.frame.columns:
        return
    known_set = set(known)
    numeric: dict[int, list[str]] = {}
    for k in known:
        if k.isdigit():
            numeric.setdefault(int(k), []).append(k)
    ids = sh.df[column]
    mapping: dict[str, str | None] = {}
    for v in pd.unique(ids.dropna().to_numpy(dtype=object)):
        if v in known_set or v == OHNE:
            mapping[v] = v
        elif v.casefold() == OHNE.casefold():
            mapping[v] = OHNE
        elif v.isdigit() and len(numeric.get(int(v), [])) == 1:
            mapping[v] = numeric[int(v)][0]
        else:
            mapping[v] = None
    if all(mapping.get(v) == v for v in mapping):
        return
    new = ids.map(lambda v: v if v is None else mapping.get(v, v))
    hint_rows = ids.notna() & (new != ids) & new.notna()
    for row in ids.index[hint_rows.to_numpy(dtype=bool)]:
        v = ids[row]
        sh.add(HINWEIS, row, column, v, f"Die Sozialraum-ID „{v}“ wurde als „{mapping[v]}“ gelesen (Blatt "
               "„Sozialräume“).", "id_numerisch")
    unknown = ids.notna() & new.isna()
    for row in ids.index[unknown.to_numpy(dtype=bool)]:
        v = ids[row]
        sh.add(FEHLER, row, column, v, f"Die Sozialraum-ID „{v}“ steht nicht im Blatt „Sozialräume“. Bitte die ID "
               f"korrigieren, den Sozialraum dort ergänzen oder „{OHNE}“ für nicht zuordenbare Fälle verwenden.",
               "id_unbekannt")
        sh.bad.loc[row, column] = True
    sh.df[column] = new.astype(object)


def _check_duplicates(sh: _Sheet) -> None:
    key = KEYS[sh.kind]
    if any(k not in sh.df.columns for k in key):
        return
    ok = ~sh.bad[[k for k in key if k in sh.bad.columns]].any(axis=1)
    sub = pd.DataFrame({k: sh.df.loc[ok, k].astype(object) for k in key})
    for k in key:
        if sh.cols[k].parser == "text":  # free text keys (Zugangsweg, Team) compare case-insensitively
            sub[k] = sub[k].map(lambda v: v.casefold() if isinstance(v, str) else v)
    if sh.kind != "kosten":
        sub = sub[sub.notna().all(axis=1)]
    dup = sub.duplicated(keep=False)
    if not dup.any():
        return
    labels = {"jahr": "Jahr", "sozialraum_id": "Sozialraum-ID", "hilfeart": "Hilfeart", "zugangsweg": "Zugangsweg",
              "melder": "Melder", "team": "Team"}
    for _, group in sub[dup].groupby(key, sort=False):
        rows = list(group.index)
        first = rows[0]
        desc = ", ".join(f"{sh.table.header(k) if k in sh.table.headers else labels[k]} "
                         f"{sh.df.at[first, k] if sh.df.at[first, k] is not None else '(leer)'}" for k in key)
        for row in rows[1:]:
            sh.add(FEHLER, row, key[-1], sh.df.at[row, key[-1]],
                   f"Die Zeile {row} hat denselben Schlüssel ({desc}) wie Zeile {first}; jeder Schlüssel darf nur "
                   "einmal vorkommen. Bitte eine der beiden Zeilen löschen oder korrigieren.", "doppelt")


def _not_more_than(sh: _Sheet, parts: list[str], whole: pd.Series, whole_label: str, art: str) -> None:
    for name in parts:
        if name not in sh.table.frame.columns:
            continue
        part = sh.num(name)
        over = (part > whole).fillna(False).to_numpy(dtype=bool)
        for row in sh.df.index[over]:
            sh.add(FEHLER, row, name, sh.df.at[row, name],
                   f"„{sh.table.header(name)}“ ({V._de(part[row])}) ist größer als {whole_label} "
                   f"({V._de(whole[row])}); bitte korrigieren.", art)


def _sheet_checks(sh: _Sheet) -> None:
    kind, df = sh.kind, sh.df
    if kind == "bevoelkerung" and "insgesamt" in sh.table.frame.columns:
        groups = sum((sh.num(c).fillna(0) for c in AGE_COLUMNS), pd.Series(0.0, index=df.index, dtype="Float64"))
        tot = sh.num("insgesamt")
        bad = (tot < groups).fillna(False).to_numpy(dtype=bool)
        for row in df.index[bad]:
            sh.add(FEHLER, row, "insgesamt", df.at[row, "insgesamt"],
                   f"„insgesamt“ ({V._de(tot[row])}) ist kleiner als die Summe der Altersgruppen "
                   f"({V._de(groups[row])}); „insgesamt“ zählt alle Einwohner und muss mindestens so groß sein.",
                   "insgesamt_zu_klein")
    elif kind == "s8a":
        akut, latent = sh.num("akut"), sh.num("latent")
        either = akut.notna() | latent.notna()
        base = (akut.fillna(0) + latent.fillna(0)).where(either)
        _not_more_than(sh, TYPE_COLUMNS_8A, base, "akut + latent", "art_zu_gross")
    elif kind == "s42":
        _not_more_than(sh, DAVON_42, sh.num("inobhutnahmen"), "„Inobhutnahmen“", "davon_zu_gross")
    elif kind == "sgb2":
        _not_more_than(sh, ["bg_alleinerziehend"], sh.num("bg_kinder"), "„Bedarfsgemeinschaften mit Kindern“",
                       "davon_zu_gross")
    elif kind == "personal":
        for name in ("vzst", "unbesetzt"):
            if name in sh.table.frame.columns:
                neg = (sh.num(name) < 0).fillna(False).to_numpy(dtype=bool)
                for row in df.index[neg]:
                    sh.add(FEHLER, row, name, df.at[row, name], "Stellenzahlen dürfen nicht negativ sein.", "negativ")
        _not_more_than(sh, ["unbesetzt"], sh.num("vzst"), "„Vollzeitstellen“", "davon_zu_gross")
    elif kind == "kosten":
        for name in ("ausgaben", "ansatz", "einnahmen"):
            if name in sh.table.frame.columns:
                neg = (sh.num(name) < 0).fillna(False).to_numpy(dtype=bool)
                for row in df.index[neg]:
                    sh.add(WARNUNG, row, name, df.at[row, name], "Der Betrag ist negativ; bitte prüfen.", "negativ")
        _kosten_mixing(sh)
    elif kind == "sozialraeume":
        _sozialraeume_checks(sh)


_KOSTEN_ARTEN = {"code": "Einzel-Codes (01–16)", "segment": "Segmente", "gesamt": "„gesamt“"}


def _kosten_class(h: str | None) -> str | None:
    if h is None:
        return None
    if h == KOSTEN_GESAMT:
        return "gesamt"
    if h == "EB":
        return "eb_segment"
    if h in C.SEGMENTS:
        return "segment"
    return "eb_code" if h in C.EB_CODES else "code"


def _kosten_mixing(sh: _Sheet) -> None:
    """In one year, use codes, segments or `gesamt`, not a mix (EB rows may stand beside any of them, since EB is
    never part of the HzE figures; but EB as a segment and as codes 01–03 together would count EB twice)."""
    df = sh.df
    cls = df["hilfeart"].map(_kosten_class)
    for year in sorted(y for y in df["jahr"].dropna().unique()):
        in_year = (df["jahr"] == year).fillna(False) & cls.notna()
        kinds = cls[in_year]
        first_rows = {k: int(kinds.index[kinds == k][0]) for k in kinds.unique()}
        main = [k for k in ("code", "segment", "gesamt") if k in first_rows]
        problems = []
        if len(main) > 1:
            problems.append(main)
        if "eb_code" in first_rows and "eb_segment" in first_rows:
            problems.append(["eb_code", "eb_segment"])
        for group in problems:
            names = {"eb_code": "EB-Codes (01–03)", "eb_segment": "das Segment „EB“", **_KOSTEN_ARTEN}
            ordered = sorted(group, key=lambda k: first_rows[k])
            row = first_rows[ordered[-1]]
            desc = " und ".join(f"{names[k]} (erstmals Zeile {first_rows[k]})" for k in ordered)
            sh.add(FEHLER, row, "hilfeart", df.at[row, "hilfeart"],
                   f"Im Jahr {int(year)} sind {desc} gemischt. Bitte je Jahr nur eine Art verwenden, sonst würden "
                   "Ausgaben doppelt gezählt.", "kosten_gemischt")


def _sozialraeume_checks(sh: _Sheet) -> None:
    df = sh.df
    for row, v in df["sozialraum_id"].items():
        if v is not None and v.casefold() in (OHNE.casefold(), GESAMT.casefold()):
            sh.add(FEHLER, row, "sozialraum_id", v, f"„{v}“ ist eine reservierte Kennung und kann kein Sozialraum "
                   "sein. Bitte eine andere ID wählen.", "id_reserviert")
            sh.bad.loc[row, "sozialraum_id"] = True
    if "gemeindeschluessel" in sh.table.frame.columns:
        seen: dict[str, int] = {}
        for row, v in df["gemeindeschluessel"].items():
            if v is None:
                continue
            for ags in v.split(";"):
                if ags in seen and seen[ags] != row:
                    sh.add(FEHLER, row, "gemeindeschluessel", ags,
                           f"Der Gemeindeschlüssel {ags} steht schon in Zeile {seen[ags]} (Sozialraum "
                           f"„{df.at[seen[ags], 'sozialraum_id']}“); eine Gemeinde kann nur zu einem Sozialraum "
                           "gehören.", "ags_doppelt")
                else:
                    seen.setdefault(ags, row)
    ab, bis = sh.num("gueltig_ab"), sh.num("gueltig_bis")
    bad = (ab > bis).fillna(False).to_numpy(dtype=bool)
    for row in df.index[bad]:
        sh.add(FEHLER, row, "gueltig_bis", df.at[row, "gueltig_bis"],
               f"„gültig bis“ ({int(bis[row])}) liegt vor „gültig ab“ ({int(ab[row])}).", "gueltigkeit")


# ------------------------------------------------------------------------------------------------------------
# cross-sheet checks


@dataclass
class _SR:
    ids: list[str]
    names: dict[str, str]
    ab: dict[str, int | None]
    bis: dict[str, int | None]
    teams: set[str]
    known: bool  # Sozialräume are known (from the file or the tenant)

    def valid(self, sid: str, year: int) -> bool:
        a, b = self.ab.get(sid), self.bis.get(sid)
        return (a is None or year >= a) and (b is None or year <= b)


def _sr_info(frame: pd.DataFrame | None) -> _SR:
    if frame is None or not len(frame):
        return _SR([], {}, {}, {}, set(), False)
    frame = frame[~frame["sozialraum_id"].astype(object).map(
        lambda v: v is None or v != v or str(v).casefold() in (OHNE.casefold(), GESAMT.casefold()))]
    ids = [str(v) for v in frame["sozialraum_id"]]

    def year(v):
        return None if v is None or pd.isna(v) else int(v)

    return _SR(ids, {str(r.sozialraum_id): (r.name or "") for r in frame.itertuples()},
               {str(r.sozialraum_id): year(r.gueltig_ab) for r in frame.itertuples()},
               {str(r.sozialraum_id): year(r.gueltig_bis) for r in frame.itertuples()},
               {str(t).strip() for t in frame["team"] if t is not None and t == t and str(t).strip()}, True)


def _validity_warnings(sh: _Sheet, sr: _SR) -> None:
    if not any(sr.ab.values()) and not any(sr.bis.values()):
        return
    df = sh.df
    for row, sid, year in zip(df.index, df["sozialraum_id"], df["jahr"]):
        if sid is None or year is None or sid == OHNE or sid not in sr.ab:
            continue
        if not sr.valid(sid, int(year)):
            a, b = sr.ab.get(sid), sr.bis.get(sid)
            span = f"{a if a else '…'} bis {b if b else '…'}"
            sh.add(WARNUNG, row, "sozialraum_id", sid,
                   f"Der Sozialraum „{sid}“ gilt laut Blatt „Sozialräume“ nur von {span}; die Zeile für {int(year)} "
                   "liegt außerhalb.", "ausserhalb_gueltigkeit")


def _missing_rows_warnings(sh: _Sheet, sr: _SR) -> None:
    """Long sheets: a Sozialraum with no row at all in a year of the sheet is a Warnung."""
    df = sh.df
    if not sr.known:
        return
    present = set(zip(df["jahr"], df["sozialraum_id"]))
    for year in sorted({y for y in df["jahr"] if y is not None}):
        for sid in sr.ids:
            if (year, sid) not in present and sr.valid(sid, int(year)):
                name = sr.names.get(sid, "")
                label = f"„{sid}“" + (f" ({name})" if name else "")
                sh.add(WARNUNG, None, "sozialraum_id", sid,
                       f"Für {int(year)} hat der Sozialraum {label} keine Zeile im Blatt „{sh.table.name}“ – "
                       "vergessen oder wirklich keine? Fehlende Zeilen zählen als 0.", "sozialraum_fehlt")


def _team_warnings(sh: _Sheet, sr: _SR) -> None:
    if not sr.known:
        return
    for row, team in sh.df["team"].items():
        if team is not None and team not in sr.teams:
            sh.add(WARNUNG, row, "team", team,
                   f"Das Team „{team}“ ist keinem Sozialraum zugeordnet (Spalte „Team“ im Blatt „Sozialräume“); "
                   "seine Stellen zählen nur im Gesamtwert.", "team_unbekannt")


def _plausibility(sheets: dict[str, _Sheet], frames: dict[str, pd.DataFrame], findings: list[Finding]) -> None:
    # population change > 20 % between consecutive years of a Sozialraum
    if "bevoelkerung" in frames:
        sh = sheets["bevoelkerung"]
        b = pd.DataFrame({"jahr": sh.df["jahr"], "sid": sh.df["sozialraum_id"], "tot": sh.num("insgesamt")})
        b = b.dropna(subset=["jahr", "sid", "tot"]).sort_values(["sid", "jahr"])
        b["prev"] = b.groupby("sid")["tot"].shift()
        b["prev_jahr"] = b.groupby("sid")["jahr"].shift()
        ch = b[(b["prev"].notna()) & (b["prev"] > 0)]
        ch = ch[((ch["tot"] - ch["prev"]).abs() / ch["prev"] > 0.2).fillna(False)]
        for row, r in ch.iterrows():
            pct = (r["tot"] - r["prev"]) / r["prev"] * 100
            sh.add(WARNUNG, row, "insgesamt", r["tot"],
                   f"Die Einwohnerzahl von „{r['sid']}“ ändert sich von {int(r['prev_jahr'])} auf {int(r['jahr'])} "
                   f"um {V._de(round(float(pct), 1))} % ({V._de(r['prev'])} → {V._de(r['tot'])}); bitte prüfen.",
                   "bevoelkerung_sprung")
    # helps in a Sozialraum with population 0
    if "bevoelkerung" in frames and "hze" in frames:
        pop = sheets["bevoelkerung"]
        zero = {(y, s) for y, s, t in zip(pop.df["jahr"], pop.df["sozialraum_id"], pop.num("insgesamt"))
                if t is not pd.NA and t == 0}
        if zero:
            sh = sheets["hze"]
            tot = sum((sh.num(c).fillna(0) for c in ("begonnen", "beendet", "andauernd")),
                      pd.Series(0.0, index=sh.df.index, dtype="Float64"))
            for row, y, s, t in zip(sh.df.index, sh.df["jahr"], sh.df["sozialraum_id"], tot):
                if (y, s) in zero and t > 0:
                    sh.add(WARNUNG, row, "sozialraum_id", s,
                           f"Im Sozialraum „{s}“ gibt es {int(y)} Hilfen, laut Blatt „Bevölkerung“ aber keine "
                           "Einwohner; bitte prüfen.", "hilfen_ohne_bevoelkerung")
    # a year present in one sheet but missing in another (Sozialraum sheets only: Kosten and Personal often
    # cover fewer years, and their absence does not distort any rate)
    years = {k: {int(y) for y in f["jahr"].dropna()} for k, f in frames.items()
             if "sozialraum_id" in f.columns and "jahr" in f.columns and k != "kosten" and len(f)}
    every = set().union(*years.values()) if years else set()
    for kind, ys in years.items():
        for y in sorted(every - ys):
            others = [sheets[k].table.name for k in years if y in years[k]]
            sh = sheets[kind]
            sh.add(WARNUNG, None, "jahr", y,
                   f"Für {y} gibt es Daten in {', '.join(f'„{o}“' for o in others)}, aber keine im Blatt "
                   f"„{sh.table.name}“ (schon gespeicherte Daten dieses Jahres bleiben erhalten).", "jahr_fehlt")


# ------------------------------------------------------------------------------------------------------------


def canonical(kind: str, df: pd.DataFrame) -> pd.DataFrame:
    """The parsed columns as the canonical frame: schema columns and dtypes, text columns as object with None."""
    out = {}
    for col, dtype in TABLES[kind].items():
        values = df[col].to_numpy(dtype=object) if col in df.columns else np.full(len(df), None, dtype=object)
        if dtype == STR:
            out[col] = pd.Series(values, dtype=object)
        else:
            out[col] = pd.Series(pd.array(values, dtype=dtype))
    return pd.DataFrame(out)


def sheet_kind(name: str) -> str | None:
    """The data kind of a sheet name (matching like headers), or None."""
    return SHEET_KEYS.get(normalise_header(name))


def _locate(raw: RawSheet, kind: str) -> tuple[Table | None, list[Finding]]:
    cols = COLUMNS[kind]
    return locate_header(raw, {c.name: list(c.headers) for c in cols}, [c.name for c in cols if c.required])


def import_masterdatei(data: bytes, filename: str, ctx: ImportContext | None = None) -> ImportResult:
    """Read and validate a Masterdatei. Returns canonical frames for every sheet with data rows and all findings."""
    ctx = ctx or ImportContext()
    result = ImportResult(kind="masterdatei", datei=filename)
    findings: list[Finding] = []
    container = sniff_container(data or b"", filename)
    if data and container in ("csv", "text"):
        result.findings = [Finding(FEHLER, "Die Masterdatei muss eine Excel-Arbeitsmappe sein (.xlsx, .xls oder "
                                   ".ods); diese Datei ist eine Textdatei (CSV).", datei=filename, art="format")]
        return result

    raws, read_findings = read_raw(data, filename, ctx, sheets=lambda n: sheet_kind(n) is not None)
    findings.extend(read_findings)
    if not raws and read_findings:
        result.findings = sort_findings(findings)
        return result

    by_kind: dict[str, RawSheet] = {}
    for raw in raws:
        kind = sheet_kind(raw.name)
        if kind is None:
            if normalise_header(raw.name) not in IGNORED_SHEETS:
                findings.append(Finding(HINWEIS, f"Das Blatt „{raw.name}“ gehört nicht zur Masterdatei und wird "
                                        "ignoriert.", datei=filename, blatt=raw.name, art="blatt_unbekannt"))
            continue
        if kind in by_kind:
            findings.append(Finding(FEHLER, f"Die Blätter „{by_kind[kind].name}“ und „{raw.name}“ meinen dasselbe "
                                    f"Blatt („{SHEETS[kind]}“); bitte eines davon löschen oder zusammenführen.",
                                    datei=filename, blatt=raw.name, art="blatt_doppelt"))
            continue
        by_kind[kind] = raw
    if not any(f.art in ("kaputt",) for f in read_findings) and "sozialraeume" not in by_kind:
        findings.append(Finding(FEHLER, "Das Blatt „Sozialräume“ fehlt. Es ist das einzige Pflichtblatt der "
                                "Masterdatei (Spalten „Sozialraum-ID“ und „Name“).", datei=filename,
                                blatt="Sozialräume", art="blatt_fehlt"))

    sheets: dict[str, _Sheet] = {}
    frames: dict[str, pd.DataFrame] = {}
    sr = _sr_info(ctx.sozialraeume)
    order = ["sozialraeume"] + [k for k in SHEETS if k != "sozialraeume"]
    for kind in order:
        raw = by_kind.get(kind)
        if raw is None:
            continue
        if raw.cells.shape[1] == 0 or not raw.cells.notna().any().any():
            if kind == "sozialraeume":
                findings.append(Finding(FEHLER, "Das Blatt „Sozialräume“ ist leer; es braucht eine Kopfzeile mit "
                                        "„Sozialraum-ID“ und „Name“.", datei=filename, blatt=raw.name,
                                        art="blatt_leer"))
            else:
                findings.append(Finding(HINWEIS, "Das Blatt ist leer und wird ignoriert.", datei=filename,
                                        blatt=raw.name, art="blatt_leer"))
            continue
        table, f = _locate(raw, kind)
        findings.extend(f)
        if table is None:
            continue
        sh = _Sheet(kind, table, findings)
        sh.parse()
        sh.require_values()
        if kind == "sozialraeume":
            _sheet_checks(sh)
            _check_duplicates(sh)
            if len(sh.df):
                frame = canonical(kind, sh.df)
                frames[kind] = frame
                sr = _sr_info(frame)
            else:
                findings.append(Finding(HINWEIS, "Das Blatt „Sozialräume“ enthält keine Sozialräume (nur Kopfzeile "
                                        "oder Beispielzeilen); die gespeicherten Sozialräume bleiben unverändert.",
                                        datei=filename, blatt=raw.name, art="keine_zeilen"))
            sheets[kind] = sh
            continue
        if "sozialraum_id" in sh.df.columns and len(sh.df) and sr.known:
            _check_ids(sh, sr.ids)  # without any known Sozialräume the missing sheet is the one error to report
        _sheet_checks(sh)
        _check_duplicates(sh)
        if "sozialraum_id" in sh.df.columns and len(sh.df):
            _validity_warnings(sh, sr)
        if kind in LONG_KINDS and len(sh.df):
            _missing_rows_warnings(sh, sr)
        if kind == "personal" and len(sh.df):
            _team_warnings(sh, sr)
        sheets[kind] = sh
        if len(sh.df):
            frames[kind] = canonical(kind, sh.df)
    _plausibility(sheets, frames, findings)

    result.tables = {k: frames[k] for k in SHEETS if k in frames}
    result.findings = sort_findings(findings)
    result.info = {"blaetter": {k: by_kind[k].name for k in by_kind}, "container": container}
    return result


__all__ = ["import_masterdatei", "COLUMNS", "KEYS", "sheet_kind", "parse_kosten_hilfeart", "parse_ags",
           "KOSTEN_GESAMT", "TABLES"]
