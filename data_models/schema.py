"""The canonical tables of a tenant's data: one pandas DataFrame per data kind.

Importers produce these frames, storage keeps them (versioned per kind and year), indicator functions read them.
Column names are ASCII; the Masterdatei's German headers are mapped in `importers/masterdatei.py`.

dtypes: `jahr` and counts are pandas "Int64" (nullable: <NA> = keine Daten); ids, codes and names are Python
`str` (object/str dtype; codes as in codes.json, e.g. "07"); money and FTE are "Float64".

Kinds whose data are replaced per year carry `jahr`; `sozialraeume`, `zuordnung` and `geometrie` are replaced whole.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from itertools import islice

import numpy as np
import pandas as pd

INT = "Int64"
FLOAT = "Float64"
STR = "object"
BOOL = "boolean"

OHNE = "OHNE"  # reserved Sozialraum id: cases that cannot be assigned to any Sozialraum
OHNE_NAME = "nicht zuordenbar"
GESAMT = "GESAMT"
GESAMT_NAME = "Gesamt"

# kind -> ordered {column: dtype}
TABLES: dict[str, dict[str, str]] = {
    # --- Masterdatei sheets -------------------------------------------------------------------
    "sozialraeume": {
        "sozialraum_id": STR, "name": STR, "team": STR,
        "gemeindeschluessel": STR,  # ";"-separated 8-digit AGS, or None
        "gueltig_ab": INT, "gueltig_bis": INT,
    },
    "bevoelkerung": {
        "jahr": INT, "sozialraum_id": STR,
        "a0_3": INT, "a3_6": INT, "a6_10": INT, "a10_15": INT, "a15_18": INT, "a18_21": INT, "a21_27": INT,
        "insgesamt": INT,
    },
    "sgb2": {"jahr": INT, "sozialraum_id": STR, "lb_u15": INT, "bg_kinder": INT, "bg_alleinerziehend": INT},
    "hze": {
        "jahr": INT, "sozialraum_id": STR, "hilfeart": STR,
        "begonnen": INT, "beendet": INT, "andauernd": INT, "junge_menschen": INT,
    },
    "beratung": {"jahr": INT, "sozialraum_id": STR, "p16": INT, "p17": INT, "p18": INT, "p28": INT},
    "zugaenge": {"jahr": INT, "sozialraum_id": STR, "zugangsweg": STR, "anzahl": INT, "anregende": STR},
    "s8a": {
        "jahr": INT, "sozialraum_id": STR,
        "akut": INT, "latent": INT, "hilfebedarf": INT, "kein_hilfebedarf": INT,
        "vernachlaessigung": INT, "koerperlich": INT, "psychisch": INT, "sexuell": INT,
    },
    "s8a_melder": {"jahr": INT, "sozialraum_id": STR, "melder": STR, "anzahl": INT},
    "s42": {
        "jahr": INT, "sozialraum_id": STR, "inobhutnahmen": INT,
        "uma": INT, "eigener_wunsch": INT, "kurz": INT, "rueckkehr": INT, "ausserhalb": INT,
    },
    "kosten": {
        "jahr": INT,
        "sozialraum_id": STR,  # None = whole municipality
        "hilfeart": STR,  # an Art-der-Hilfe code "01".."16", a segment name of codes.SEGMENTS, or "gesamt"
        "ausgaben": FLOAT, "ansatz": FLOAT, "einnahmen": FLOAT,
    },
    "personal": {"jahr": INT, "team": STR, "vzst": FLOAT, "unbesetzt": FLOAT},
    # --- single-case records (minimised: no birth date, Kennnummer only as keyed hash) -----------
    "hze_records": {
        "jahr": INT,  # Berichtsjahr
        "kennung": STR,  # keyed hash of Kennnummer (per-tenant secret)
        "sozialraum_id": STR,  # as given in the record (validated), else None
        "gemeindeschluessel": STR,
        "hilfeart": STR, "beginn_monat": INT, "beginn_jahr": INT, "ende_monat": INT, "ende_jahr": INT,
        "geschlecht": STR, "alter_beginn": INT, "ort": STR, "traeger": STR,
        "grund1": STR, "grund2": STR, "grund3": STR, "anregende": STR, "situation": STR,
        "transfer": STR,  # "1" ja, "2" nein, None unbekannt
        "beendigungsgrund": STR, "aufenthalt": STR, "nachfolgende": STR,
        "nach_8a": STR, "nach_42": STR,  # "1" ja, "2" nein, None
        "junge_menschen": INT,
    },
    "s8a_records": {
        "jahr": INT, "kennung": STR, "sozialraum_id": STR, "gemeindeschluessel": STR,
        "geschlecht": STR, "alter": INT,  # Jahr - Geburtsjahr
        "ergebnis": STR, "vernachlaessigung": BOOL, "koerperlich": BOOL, "psychisch": BOOL, "sexuell": BOOL,
        "melder": STR, "inanspruchnahme": STR, "familiengericht": STR,
    },
    "s42_records": {
        "jahr": INT, "kennung": STR, "sozialraum_id": STR, "gemeindeschluessel": STR,
        "art": STR, "dauer_tage": INT,  # Ende - Beginn in calendar days
        "geschlecht": STR, "alter": INT,
        "anlass": STR,  # ";"-joined anlass_42 codes, e.g. "1;8"
        "anregende": STR, "anschluss": STR,
    },
    "zuordnung": {"kennung": STR, "sozialraum_id": STR, "art": STR, "berichtsjahr": INT},  # art: hze|8a|42|None
    "geometrie": {
        "sozialraum_id": STR,
        "geometrie": STR,  # GeoJSON geometry (WGS84), simplified for display, coordinates rounded to 5 decimals
        "geometrie_original": STR,  # GeoJSON geometry (WGS84), as delivered (repaired if invalid)
    },
}

# Masterdatei sheets in workbook order: kind -> sheet name
SHEETS = {
    "sozialraeume": "Sozialräume",
    "bevoelkerung": "Bevölkerung",
    "sgb2": "SGB II",
    "hze": "HzE",
    "beratung": "Beratung",
    "zugaenge": "Zugänge",
    "s8a": "§ 8a",
    "s8a_melder": "§ 8a Melder",
    "s42": "§ 42",
    "kosten": "Kosten",
    "personal": "Personal",
}
RECORD_KINDS = ("hze_records", "s8a_records", "s42_records")
WHOLE_KINDS = ("sozialraeume", "zuordnung", "geometrie")  # replaced whole, no year
YEARLY_KINDS = tuple(k for k in TABLES if k not in WHOLE_KINDS)

# German names of the data kinds (versions list, data-quality page)
KIND_LABELS = {
    **SHEETS,
    "hze_records": "HzE-Einzeldaten",
    "s8a_records": "§ 8a-Einzeldaten",
    "s42_records": "§ 42-Einzeldaten",
    "zuordnung": "Zuordnungstabelle",
    "geometrie": "Geometrie",
}

# import kinds of the command line (cli.md --kind) -> what they produce
IMPORT_KINDS = ("masterdatei", "hze", "hze-festbreite", "8a", "42", "zuordnung", "geometrie")


def empty(kind: str) -> pd.DataFrame:
    """An empty frame of the kind with the canonical columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in TABLES[kind].items()})


def _missing(v) -> bool:
    try:
        return v is None or bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def object_codes(values) -> tuple[np.ndarray, np.ndarray]:
    """(codes, objects) of an object array by the *identity* of its elements: `objects[codes]` is `values`.

    Fast (the element addresses are factorised as integers, nothing is hashed or compared as text) and enough where
    values repeat as the same Python objects, which is what the importers and `store.from_arrow` produce: a column
    takes a few parsed objects over and over. Equal values held by different objects get different codes."""
    values = np.ascontiguousarray(values, dtype=object)
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.empty(0, dtype=object)
    addresses = np.ctypeslib.as_array((ctypes.c_size_t * n).from_address(values.ctypes.data))
    codes, uniques = pd.factorize(addresses)  # copies; `values` stays alive (and unchanged) meanwhile
    some = np.empty(len(uniques), dtype=np.intp)
    some[codes] = np.arange(n)  # one position per code (any one: they all hold the same object)
    return codes, values[some]


def _text_column(s: pd.Series) -> np.ndarray:
    """A column as an object array of str/None (numbers etc. become text)."""
    if s.dtype != object and pd.api.types.is_string_dtype(s.dtype):  # pandas' str dtype: values are str already
        return s.to_numpy(dtype=object, na_value=None)
    arr = s.to_numpy(dtype=object, copy=True)
    missing = pd.isna(arr)
    if missing.any():
        arr[missing] = None
    head = list(islice((v for v in arr if v is not None), 50))
    if not all(isinstance(v, str) for v in head):
        arr = np.array([None if _missing(v) else str(v) for v in arr], dtype=object)
    return arr


def conform(kind: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with exactly the canonical columns (missing ones filled with NA) in canonical order and dtype.

    Built column by column from arrays into one new frame (a RangeIndex): no per-cell work for columns that already
    have their dtype, which is what storage hands back (this runs for every stored slice on every load)."""
    n = len(frame)
    cols = {}
    for col, dtype in TABLES[kind].items():
        if col not in frame.columns:
            cols[col] = np.full(n, None, dtype=object) if dtype == STR else pd.array([None] * n, dtype=dtype)
            continue
        s = frame[col]
        if dtype == STR:
            cols[col] = _text_column(s)
        else:
            cols[col] = (s if s.dtype == dtype else s.astype(dtype)).array
    return pd.DataFrame(cols, index=pd.RangeIndex(n))


@dataclass
class Dataset:
    """Everything current for one tenant, derived and ready for indicators.

    `tables[kind]` for every kind of TABLES (empty frames where nothing is uploaded). The aggregated kinds
    (`hze`, `s8a`, `s8a_melder`, `s42`) already have single-case records applied for the years that have records,
    and the record tables carry the assigned `sozialraum_id` (possibly OHNE). `record_years[kind]` lists the
    years for which records (not the aggregated sheet) are the source.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    record_years: dict[str, set[int]] = field(default_factory=dict)
    tenant_name: str = ""
    data_version: int = 0

    def __getitem__(self, kind: str) -> pd.DataFrame:
        if kind not in TABLES:
            return self.tables[kind]
        frame = self.tables.get(kind)
        return empty(kind) if frame is None else frame

    def years(self) -> list[int]:
        """All years that have any yearly data (remembered while the yearly frames are the same objects: pages ask
        on every rerun, and the record tables can hold a million rows)."""
        key = tuple((kind, id(t), len(t)) for kind in YEARLY_KINDS if (t := self.tables.get(kind)) is not None)
        memo = self.__dict__.get("_years_memo")
        if memo is not None and memo[0] == key:
            return list(memo[1])
        ys: set[int] = set()
        for kind in YEARLY_KINDS:
            t = self.tables.get(kind)
            if t is not None and len(t):
                ys.update(int(y) for y in t["jahr"].dropna().unique())
        self.__dict__["_years_memo"] = (key, sorted(ys))
        return sorted(ys)
