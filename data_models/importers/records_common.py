"""Shared machinery of the single-case record importers (HzE, fixed-width HzE, § 8a, § 42, Zuordnung).

Everything is vectorised: a column is factorised once, each *distinct* raw value is parsed in Python (record files
have few distinct values per column, except `Kennnummer`), and the rules are boolean masks over the rows. Findings are
produced only for failing rows, at most `CAP` per rule and column, plus one summary finding with the count of the rest.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from data_models.codes import CODES, normalise_code
from data_models.findings import FEHLER, HINWEIS, WARNUNG, Finding
from data_models.schema import OHNE, STR, TABLES, object_codes

CAP = 50  # findings per rule and column; the rest is one summary finding


class _Bad:
    """Sentinel for a value that could not be parsed."""

    def __repr__(self):
        return "BAD"


BAD = _Bad()


# --- Kennnummer -----------------------------------------------------------------------------------------------------

def normalise_kennnummer(value) -> str | None:
    """The matching form of a Kennnummer: trimmed, inner blanks removed, upper case; a number written by Excel
    (`123.0`) loses its `.0`; a purely numeric number loses leading zeros (`00123` = `123`, so the fixed-width
    running number matches the assignment table)."""
    text = cell_text(value)
    if text is None:
        return None
    text = re.sub(r"\s+", "", text).upper()
    if re.fullmatch(r"\d+[.,]0+", text):
        text = re.split(r"[.,]", text)[0]
    if text.isdigit():
        text = text.lstrip("0") or "0"
    return text


# a Kennnummer that `normalise_kennnummer` may change: blanks, lower case or other non-ASCII letters, `123.0`, `0…`
_KENNNUMMER_CHANGES = r"\s|[^\x21-\x60\x7b-\x7e]|^\d+[.,]0+$|^0"


def normalise_kennnummern(series: pd.Series) -> pd.Series:
    """`normalise_kennnummer` for a whole column, each distinct value once: a categorical Series for a categorical
    column (CSV, see `arrow_text`), else an object Series of str/None."""
    if series.dtype != object and not isinstance(series.dtype, pd.CategoricalDtype) \
            and pd.api.types.is_string_dtype(series.dtype):
        s = series.str.replace(r"\s+", "", regex=True).str.upper()
        s = s.str.replace(r"^(\d+)[.,]0+$", r"\1", regex=True)
        s = s.str.replace(r"^0+(\d+)$", r"\1", regex=True)
        s = s.where(s.str.len() > 0)
        return pd.Series(s.to_numpy(dtype=object, na_value=None), index=series.index, dtype=object)
    if isinstance(series.dtype, pd.CategoricalDtype):
        return _normalise_distinct(series.cat.codes.to_numpy(), series.cat.categories.to_numpy(dtype=object),
                                   series.index)
    codes, values = factorize_objects(series.to_numpy(dtype=object))
    norm = _normalise_distinct(codes, values, series.index)
    return pd.Series(np.append(norm.cat.categories.to_numpy(dtype=object), None)[norm.cat.codes.to_numpy()],
                     index=series.index, dtype=object, copy=False)


def _normalise_distinct(codes: np.ndarray, values: np.ndarray, index) -> pd.Series:
    """Kennnummern given as codes into distinct values: `normalise_kennnummer` applied to the values that it may
    change (found with one vectorised regex; most case numbers are upper-case ASCII already), values that became
    equal merged; a categorical Series."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = values.copy()
    try:
        change = pc.match_substring_regex(pa.array(values, type=pa.string()), _KENNNUMMER_CHANGES)
        change = np.flatnonzero(change.to_numpy(zero_copy_only=False))
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # not all text (cells of a workbook): each value in Python
        change = np.arange(len(values))
    for i in change:
        values[i] = normalise_kennnummer(values[i])
    lut, uniques = pd.factorize(values, use_na_sentinel=True)
    new_codes = np.append(lut, -1)[codes]
    return pd.Series(pd.Categorical.from_codes(new_codes, dtype=_categories(pd.Index(uniques, dtype=object))),
                     index=index, copy=False)


def _hmac_states(key: bytes):
    """The SHA-256 states after the inner and outer padded key of HMAC-SHA256 (copied per message)."""
    block = 64
    if len(key) > block:
        key = hashlib.sha256(key).digest()
    key = key.ljust(block, b"\0")
    return hashlib.sha256(bytes(b ^ 0x36 for b in key)), hashlib.sha256(bytes(b ^ 0x5C for b in key))


def _hmac_factory(key: bytes) -> Callable[[str], str]:
    # HMAC-SHA256 by hand with copied inner/outer states: the same result as hmac.new(), about twice as fast.
    inner, outer = _hmac_states(key)

    def digest(text: str) -> str:
        i = inner.copy()
        i.update(text.encode("utf-8"))
        o = outer.copy()
        o.update(i.digest())
        return o.hexdigest()[:20]

    return digest


def hash_kennnummer(key: bytes, kennnummer: str) -> str:
    """Keyed hash of a Kennnummer: HMAC-SHA256 of its normalised form with the tenant's secret, hex, first 20 chars."""
    norm = normalise_kennnummer(kennnummer)
    if norm is None:
        raise ValueError("leere Kennnummer")
    return _hmac_factory(key)(norm)


def _digests(key: bytes, values) -> list[str]:
    """`_hmac_factory(key)` of every text in `values`, in one tight loop (this runs once per distinct Kennnummer, up
    to a million times)."""
    inner, outer = _hmac_states(key)
    inner_copy, outer_copy = inner.copy, outer.copy
    out = []
    append = out.append
    for text in values:
        i = inner_copy()
        i.update(text.encode("utf-8"))
        o = outer_copy()
        o.update(i.digest())
        append(o.hexdigest()[:20])
    return out


def hash_series(key: bytes, normalised: pd.Series) -> pd.Series:
    """Keyed hashes of a Series of *normalised* Kennnummern (None stays None); each distinct value once."""
    if isinstance(normalised.dtype, pd.CategoricalDtype):
        codes = normalised.cat.codes.to_numpy()
        uniques = normalised.cat.categories.to_numpy(dtype=object)
    elif normalised.dtype == object:
        codes, uniques = factorize_objects(normalised.to_numpy())
    else:
        codes, uniques = pd.factorize(normalised, use_na_sentinel=True)
    res = np.empty(len(uniques) + 1, dtype=object)
    res[:-1] = _digests(key, uniques)  # str are scalars to numpy
    res[-1] = None  # codes -1 (missing) take this
    return pd.Series(res[codes], index=normalised.index, dtype=object, copy=False)


# --- cell values ----------------------------------------------------------------------------------------------------

def cell_text(value) -> str | None:
    """A raw cell (CSV text, or Excel number/date/bool) as trimmed text; empty -> None.

    Excel numbers that are whole become `"12"`, not `"12.0"`; dates become ISO `JJJJ-MM-TT`."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", " ").strip()
        return text or None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        if pd.isna(value):
            return None
        return value.date().isoformat() if (value.hour, value.minute, value.second) == (0, 0, 0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    if value is pd.NA or value is pd.NaT:
        return None
    text = str(value).strip()
    return text or None


class Mapped:
    """`func` applied once per distinct non-missing value of a Series; masks are computed per distinct value too.

    A categorical Series (CSV columns, see `arrow_text`) is taken by its codes and categories (no hashing of the
    rows); other Series are factorised first."""

    def __init__(self, series: pd.Series, func: Callable, none_value=None):
        self.index = series.index
        if isinstance(series.dtype, pd.CategoricalDtype):
            self.codes = series.cat.codes.to_numpy()  # -1 = missing, which takes results[-1] below
            uniques = series.cat.categories
        elif series.dtype == object:
            self.codes, uniques = factorize_objects(series.to_numpy())
        else:
            self.codes, uniques = pd.factorize(series, use_na_sentinel=True)
        res = np.empty(len(uniques) + 1, dtype=object)
        for i, u in enumerate(uniques):  # element-wise: a result may itself be a tuple or list
            res[i] = func(u)
        res[-1] = none_value
        self.results = res

    def values(self) -> pd.Series:
        return pd.Series(self.results[self.codes], index=self.index, dtype=object, copy=False)

    def mask(self, predicate: Callable[[object], bool]) -> np.ndarray:
        m = np.fromiter((bool(predicate(x)) for x in self.results), dtype=bool, count=len(self.results))
        return m[self.codes]


def factorize_objects(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`pd.factorize(values)` (-1 for missing) for an object array, first by the identity of the elements (cheap),
    then by value among the distinct objects only. The order of the distinct values may differ from pd.factorize.
    Cells read from a workbook are distinct objects even where equal: there (seen on the first 1,000 values) the
    values are factorised directly."""
    if len(values) > 2000 and len(object_codes(values[:1000])[1]) > 500:
        return pd.factorize(values, use_na_sentinel=True)
    codes, objects = object_codes(values)
    value_codes, uniques = pd.factorize(objects, use_na_sentinel=True)
    return value_codes[codes], uniques


def map_unique(series: pd.Series, func: Callable, none_value=None) -> pd.Series:
    """`series.map(func)` evaluated once per distinct non-missing value; missing values give `none_value`."""
    return Mapped(series, func, none_value).values()


def text_series(series: pd.Series) -> pd.Series:
    """Raw cells -> trimmed text, missing where empty. Text columns (CSV) stay pandas strings (fast); categorical
    columns (from `arrow_text`) are clean already; Excel cells become an object Series of str/None."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series
    if series.dtype == object or not pd.api.types.is_string_dtype(series.dtype):
        return map_unique(series, cell_text)
    s = series.str.strip()
    return s.where(s.str.len() > 0)


def arrow_text(column) -> pd.Series:
    """A pyarrow string column (plain or dictionary-encoded, possibly chunked) -> categorical Series of trimmed text,
    missing where empty. The same text as `text_series` of the column as pandas strings, but trimmed and checked
    once per distinct value, and the importers' per-value parsing (`Mapped`) takes the categories and codes as they
    are instead of hashing every row again."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    indices = column.indices
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    dictionary = column.dictionary.cast(pa.string())
    trimmed = pc.utf8_trim_whitespace(dictionary)
    if trimmed.equals(dictionary) and not dictionary.null_count:  # the usual case: distinct already
        uniq, lut = dictionary, None
    else:
        enc = pc.dictionary_encode(trimmed, null_encoding="encode")  # distinct values may coincide once trimmed
        uniq, lut = enc.dictionary, enc.indices.to_numpy(zero_copy_only=False)
    lengths = pc.binary_length(uniq).fill_null(0).to_numpy(zero_copy_only=False)
    filled = lengths > 0
    new_pos = np.cumsum(filled) - 1
    new_pos[~filled] = -1
    lut = np.append(new_pos if lut is None else new_pos[lut], -1)  # lut[-1]: a missing index stays -1
    codes = lut[indices.to_numpy(zero_copy_only=False)]
    cats = pd.Index((uniq if filled.all() else uniq.filter(pa.array(filled))).to_pylist(), dtype=object)
    codes = codes.astype(np.int8 if len(cats) < 127 else np.int16 if len(cats) < 32767 else np.int32, copy=False)
    return pd.Series(pd.Categorical.from_codes(codes, dtype=_categories(cats)), copy=False)


def _categories(distinct: pd.Index) -> pd.CategoricalDtype:
    """The categorical dtype of values known to be distinct and not missing, without pandas checking that again
    (a hash table over up to a million Kennnummern)."""
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    return fast(distinct, False) if fast is not None else pd.CategoricalDtype(distinct)


_INT_RE = re.compile(r"[+]?(\d+)(?:[.,]0+)?")


def parse_int(text: str):
    m = _INT_RE.fullmatch(text)
    return int(m.group(1)) if m else BAD


def parse_code(list_name: str) -> Callable[[str], object]:
    def parse(text: str):
        code = normalise_code(list_name, text)
        return BAD if code is None else code

    return parse


_YES = {"1", "ja", "j", "x"}
_NO = {"2", "nein", "n"}


def parse_yes_no(text: str):
    """`1`/ja -> "1", `2`/nein -> "2"."""
    t = text.casefold()
    if t in _YES or parse_int(t) == 1:
        return "1"
    if t in _NO or parse_int(t) == 2:
        return "2"
    return BAD


def parse_transfer(text: str):
    """Transferleistungen: 1 ja, 2 nein, 0 / unbekannt -> None."""
    t = text.casefold()
    if t in ("0", "unbekannt") or parse_int(t) == 0:
        return None
    return parse_yes_no(text)


def parse_flag(text: str):
    """§ 8a type of Gefährdung: 1 / ja / x = True; 0, 2, nein = False."""
    t = text.casefold()
    if t in _YES or parse_int(t) == 1:
        return True
    if t in _NO or parse_int(t) in (0, 2):
        return False
    return BAD


def parse_ags(text: str):
    """8-digit Gemeindeschlüssel; a 7-digit number (Excel dropped the leading zero) is padded."""
    t = re.sub(r"\s+", "", text)
    m = _INT_RE.fullmatch(t)
    if not m:
        return BAD
    digits = m.group(1) if not t.isdigit() else t
    if len(digits) == 7:
        digits = "0" + digits
    return digits if len(digits) == 8 else BAD


class TwoDigitYear:
    pass


TWO_DIGIT_YEAR = TwoDigitYear()
_DATE_DE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_DATE_DE2 = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2}")
_DATE_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(text: str):
    """`TT.MM.JJJJ`, `T.M.JJJJ`, ISO `JJJJ-MM-TT`, or an Excel date (a date cell, or its serial number 20000-80000).

    Returns a datetime.date, BAD, or TWO_DIGIT_YEAR."""
    t = text.strip()
    m = _DATE_DE.fullmatch(t)
    if m:
        d, mo, y = (int(x) for x in m.groups())
    else:
        m = _DATE_ISO.fullmatch(t)
        if m:
            y, mo, d = (int(x) for x in m.groups())
        elif _DATE_DE2.fullmatch(t):
            return TWO_DIGIT_YEAR
        else:
            n = parse_int(t)
            if n is not BAD and 20000 <= n <= 80000:
                return _EXCEL_EPOCH + dt.timedelta(days=n)
            return BAD
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return BAD


# --- findings -------------------------------------------------------------------------------------------------------

@dataclass
class Sink:
    """Collects findings of one file, at most CAP per (sheet, rule, column) plus a summary finding."""

    datei: str
    findings: list[Finding] = field(default_factory=list)
    cap: int = CAP

    def one(self, schwere: str, meldung: str, blatt: str = "", zeile=None, spalte: str = "", wert=None, art: str = ""):
        self.findings.append(Finding(schwere, meldung, self.datei, blatt, zeile, spalte, wert, art))

    def rows(self, mask, zeilen, blatt, schwere: str, art: str, spalte: str, meldung, werte=None):
        """One finding per row where `mask` is true (positional); `meldung` is a text or a function of the position.

        `zeilen` gives each position's row number, `blatt` each position's sheet (a str for all rows or an array)."""
        mask = np.asarray(mask, dtype=bool)
        pos = np.flatnonzero(mask)
        if not len(pos):
            return 0
        zeilen = np.asarray(zeilen)
        blatt_arr = None if isinstance(blatt, str) else np.asarray(blatt, dtype=object)
        werte_arr = None if werte is None else np.asarray(werte, dtype=object)
        if blatt_arr is None and len(pos) > self.cap:
            counts: dict[str, int] = {blatt: len(pos)}
            iterate = pos[: self.cap]
        else:
            counts = {}
            iterate = pos
        for p in iterate:
            b = blatt if blatt_arr is None else blatt_arr[p]
            if iterate is pos:
                counts[b] = counts.get(b, 0) + 1
                if counts[b] > self.cap:
                    continue
            text = meldung(p) if callable(meldung) else meldung
            wert = None if werte_arr is None else werte_arr[p]
            if isinstance(wert, float) and math.isnan(wert):
                wert = None
            self.findings.append(Finding(schwere, text, self.datei, b, int(zeilen[p]), spalte, wert, art))
        for b, n in counts.items():
            if n > self.cap:
                rest = n - self.cap
                text = f"… und {rest:,} weitere Zeile{'n' if rest != 1 else ''} mit demselben Problem".replace(",", ".")
                text += f": {meldung}" if isinstance(meldung, str) else " (siehe die Zeilen oben)."
                self.findings.append(Finding(schwere, text, self.datei, b, None, spalte, None, art))
        return len(pos)


# --- one table of records, with its checks --------------------------------------------------------------------------

class Records:
    """The text cells of records (canonical column -> object Series of str/None) with their location.

    `zeile` = row or line numbers, `blatt` = sheet per row ("" for CSV and text files), `labels` = the column as the
    user sees it (header as written, or "Positionen 28–29" for fixed-width files)."""

    def __init__(self, sink: Sink, text: dict[str, pd.Series], labels: dict[str, str], zeile, blatt):
        self.sink = sink
        self.n = len(zeile)
        self.text = {k: v.reset_index(drop=True) for k, v in text.items()}
        self.labels = labels
        self.zeile = np.asarray(zeile, dtype=np.int64)
        self.blatt = blatt if isinstance(blatt, str) else np.asarray(blatt, dtype=object)
        # per column: rows already reported (e.g. letters in a fixed-width field), not to be reported again as empty
        self.reported: dict[str, np.ndarray] = {}

    def has(self, col: str) -> bool:
        return col in self.text

    def col(self, col: str) -> pd.Series:
        if col in self.text:
            return self.text[col]
        return pd.Series([None] * self.n, dtype=object)

    def label(self, col: str) -> str:
        return self.labels.get(col, col)

    def flag(self, mask, col: str, art: str, meldung, schwere: str = FEHLER, werte=None):
        if werte is None:
            werte = self.col(col) if col in self.text else None
        return self.sink.rows(np.asarray(mask, dtype=bool), self.zeile, self.blatt, schwere, art, self.label(col),
                              meldung, werte)

    def require(self, col: str, was: str) -> np.ndarray:
        """Fehler for empty cells of a required column; returns the 'missing' mask."""
        missing = self.col(col).isna().to_numpy()
        if col in self.reported:
            missing = missing & ~self.reported[col]
        self.flag(missing, col, f"{col}_fehlt", f"{was} fehlt: Bitte in jeder Zeile ausfüllen.")
        return missing

    def parsed(self, col: str, func, art: str, meldung: str, required: str | None = None,
               schwere: str = FEHLER) -> pd.Series:
        """Parse a column with `func` per distinct value; Fehler for BAD values (then None), and for empty cells when
        `required` (the German name of the field) is given."""
        s = self.col(col)
        if required:
            self.require(col, required)
        m = Mapped(s, func)
        bad = m.mask(lambda v: v is BAD)
        if bad.any():
            self.flag(bad, col, art, meldung, schwere)
            m.results = m.results.copy()
            m.results[[i for i, v in enumerate(m.results) if v is BAD]] = None
        return m.values()

    def integer(self, col: str, lo: int, hi: int, was: str, required: bool = False, meldung: str | None = None
                ) -> pd.Series:
        """Whole number in [lo, hi] -> Int64 (NA where empty or wrong)."""
        def parse(t):
            v = parse_int(t)
            return v if v is BAD or lo <= v <= hi else BAD

        msg = meldung or f"{was} muss eine ganze Zahl von {lo} bis {hi} sein."
        if required:
            self.require(col, was)
        m = Mapped(self.col(col), parse)
        bad = m.mask(lambda v: v is BAD)
        if bad.any():
            self.flag(bad, col, f"{col}_ungueltig", msg)
        # per distinct value, then taken by the codes: no per-row conversion of Python ints (1,000,000 rows)
        ok = np.fromiter((type(v) is int for v in m.results), dtype=bool, count=len(m.results))
        ints = np.fromiter((v if type(v) is int else 0 for v in m.results), dtype=np.int64, count=len(m.results))
        return pd.arrays.IntegerArray(ints[m.codes], ~ok[m.codes])

    def code(self, col: str, list_name: str, was: str, required: bool = False) -> pd.Series:
        codes = CODES[list_name]
        shown = ", ".join(codes) if len(codes) <= 16 else f"{min(codes)}–{max(codes)}"
        msg = f"{was}: unbekannter Schlüssel. Erlaubt sind die Schlüssel {shown} (siehe Codeliste)."
        return self.parsed(col, parse_code(list_name), f"{col}_code", msg, required=was if required else None)

    def kennnummer(self, was: str = "Kennnummer") -> pd.Series:
        self.require("kennnummer", was)
        return normalise_kennnummern(self.col("kennnummer"))

    def ags(self) -> pd.Series:
        s = self.col("gemeindeschluessel")
        m = Mapped(s, parse_ags)
        values = m.values()
        bad = m.mask(lambda v: v is BAD)
        if bad.any():
            self.flag(bad, "gemeindeschluessel", "ags_ungueltig",
                      "Gemeindeschlüssel muss der 8-stellige amtliche Gemeindeschlüssel sein (nur Ziffern).")
            values = values.where(~bad, None)
        padded = map_unique(s, lambda t: len(re.sub(r"\s+", "", t).split(".")[0].split(",")[0]) == 7,
                            none_value=False).to_numpy(dtype=bool) & ~bad
        if padded.any():
            self.flag(padded, "gemeindeschluessel", "ags_ergaenzt",
                      "Gemeindeschlüssel hatte nur 7 Stellen (führende Null fehlte, z. B. durch Excel); die Null wurde "
                      "ergänzt.", schwere=HINWEIS)
        return values

    def sozialraum(self, sozialraeume: pd.DataFrame) -> pd.Series:
        """Validate the Sozialraum-ID column against the tenant's Sozialräume; returns canonical ids or None."""
        s = self.col("sozialraum_id")
        if not s.notna().any():
            return pd.Series([None] * self.n, dtype=object)
        lookup = SozialraumLookup(sozialraeume)
        res = map_unique(s, lookup.resolve)
        kind = map_unique(s, lookup.kind)
        kinds = kind.to_numpy(dtype=object)
        if lookup.empty:
            self.flag(kinds == "unbekannt", "sozialraum_id", "sozialraum_ohne_stammdaten",
                      "Es sind noch keine Sozialräume hinterlegt: Bitte zuerst die Masterdatei mit dem Blatt "
                      "„Sozialräume“ hochladen, dann die Einzeldaten.")
        else:
            self.flag(kinds == "unbekannt", "sozialraum_id", "sozialraum_unbekannt",
                      "Diese Sozialraum-ID steht nicht im Blatt „Sozialräume“. Bitte die ID korrigieren oder den "
                      "Sozialraum in der Masterdatei ergänzen (leer lassen, wenn der Sozialraum über Zuordnungstabelle "
                      "oder Gemeindeschlüssel bestimmt werden soll).")
        num = kinds == "numerisch"
        if num.any():
            self.flag(num, "sozialraum_id", "sozialraum_numerisch",
                      lambda p: f"Sozialraum-ID als „{res.iloc[p]}“ gelesen (numerisch gleich der ID im Blatt "
                                f"„Sozialräume“).", schwere=HINWEIS)
        return res.where(kind != "unbekannt", None)


def validity_check(r: "Records", ids: pd.Series, jahr, sozialraeume: pd.DataFrame) -> None:
    """Warnung for records whose (own) Sozialraum does not exist in the record's year (`gültig ab` / `gültig bis`)."""
    if sozialraeume is None or not len(sozialraeume) or not ids.notna().any():
        return
    bounds = {str(i): (a, b) for i, a, b in zip(sozialraeume["sozialraum_id"], sozialraeume["gueltig_ab"],
                                                  sozialraeume["gueltig_bis"]) if not (pd.isna(a) and pd.isna(b))}
    if not bounds:
        return
    ab = map_unique(ids, lambda i: bounds.get(i, (None, None))[0]).astype("Float64")
    bis = map_unique(ids, lambda i: bounds.get(i, (None, None))[1]).astype("Float64")
    y = pd.Series(pd.array(jahr, dtype="Int64")).astype("Float64")
    outside = ((ab.notna() & (y < ab)) | (bis.notna() & (y > bis))).fillna(False).to_numpy(dtype=bool)

    def text(p):
        a, b = ab.iloc[p], bis.iloc[p]
        span = (f"von {int(a)}" if pd.notna(a) else "") + (" " if pd.notna(a) and pd.notna(b) else "") + (
            f"bis {int(b)}" if pd.notna(b) else "")
        return (f"Der Sozialraum „{ids.iloc[p]}“ besteht laut Blatt „Sozialräume“ nur {span}, der Datensatz gehört "
                f"zum Jahr {int(y.iloc[p])}. Bitte Sozialraum-ID oder „gültig ab/bis“ prüfen.")

    r.flag(outside, "sozialraum_id", "sozialraum_nicht_gueltig", text, schwere=WARNUNG)


class SozialraumLookup:
    """Exact or numerically equal match of a Sozialraum id against the `sozialraeume` frame; `OHNE` is reserved."""

    def __init__(self, sozialraeume: pd.DataFrame | None):
        ids = [] if sozialraeume is None or not len(sozialraeume) else [
            str(v) for v in sozialraeume["sozialraum_id"] if not pd.isna(v)]
        self.ids = set(ids)
        self.empty = not self.ids
        numeric: dict[int, list[str]] = {}
        for i in ids:
            n = parse_int(i)
            if n is not BAD:
                numeric.setdefault(n, []).append(i)
        self.numeric = {n: v[0] for n, v in numeric.items() if len(v) == 1}
        self.folded = {}
        for i in ids:
            self.folded.setdefault(i.casefold(), []).append(i)

    def resolve(self, text) -> str | None:
        text = cell_text(text)
        if text is None:
            return None
        if text in self.ids:
            return text
        if text.casefold() == OHNE.casefold():
            return OHNE
        n = parse_int(text)
        if n is not BAD and n in self.numeric:
            return self.numeric[n]
        cands = self.folded.get(text.casefold(), [])
        if len(cands) == 1:
            return cands[0]
        return None

    def kind(self, text) -> str:
        """"exakt", "numerisch" (or differing only in case), or "unbekannt"."""
        text = cell_text(text)
        if text is None:
            return "leer"
        r = self.resolve(text)
        if r is None:
            return "unbekannt"
        return "exakt" if r == text or r == OHNE else "numerisch"


def duplicate_check(records: Records, keys: pd.DataFrame, was: str, jahr_was: str):
    """Fehler for every later row whose (Kennnummer, year) occurred before; the message names the first row.

    `keys` has columns `k` (normalised Kennnummer) and `j` (year), positional like `records`."""
    valid = (keys["k"].notna() & keys["j"].notna()).to_numpy()
    k_codes, _ = pd.factorize(keys["k"], use_na_sentinel=True)  # categorical Kennnummern: their codes
    j_codes, _ = pd.factorize(keys["j"], use_na_sentinel=True)
    pair = k_codes.astype(np.int64) * (int(j_codes.max(initial=0)) + 2) + j_codes  # one integer per (k, j)
    dup_any = pd.Series(pair).duplicated(keep=False).to_numpy() & valid
    if not dup_any.any():
        return
    pos = np.flatnonzero(dup_any)
    sub = pd.DataFrame({"pair": pair[pos], "pos": pos})
    first_pos = sub.groupby("pair", sort=False)["pos"].transform("min").to_numpy()
    later = np.zeros(records.n, dtype=bool)
    later[pos[first_pos != pos]] = True
    first_of = np.full(records.n, -1, dtype=np.int64)
    first_of[pos] = first_pos
    blatt = records.blatt

    def where(p):
        f = first_of[p]
        b = "" if isinstance(blatt, str) else blatt[f]
        on_sheet = f" im Blatt „{b}“" if (not isinstance(blatt, str) and b != blatt[p]) else ""
        return (f"{was} kommt im {jahr_was} {keys['j'].iloc[p]} mehrfach vor (zuerst in Zeile "
                f"{records.zeile[f]}{on_sheet}). Jede {was} darf je {jahr_was} nur einmal vorkommen.")

    records.flag(later, "kennnummer", "kennnummer_doppelt", where)


# --- output frames --------------------------------------------------------------------------------------------------

def build_frame(kind: str, columns: dict[str, object], n: int) -> pd.DataFrame:
    """A canonical frame (schema.TABLES[kind]) from arrays/Series of length n, cheaply (no per-cell conversion for
    object columns, which must already hold str or None; missing values become None)."""
    out = {}
    for col, dtype in TABLES[kind].items():
        v = columns.get(col)
        if v is None:
            if dtype == STR:
                out[col] = pd.Series(np.full(n, None, dtype=object), dtype=object, copy=False)
            else:
                out[col] = pd.Series(pd.array([None] * n, dtype=dtype), copy=False)
            continue
        if dtype == STR:
            arr = v.to_numpy() if isinstance(v, pd.Series) else np.asarray(v, dtype=object)
            if arr.dtype != object:
                arr = arr.astype(object)
            codes, objects = object_codes(arr)  # missing values are looked for among the distinct objects only
            missing = pd.isna(objects)
            if missing.any():
                objects[missing] = None
                arr = objects[codes]
            out[col] = pd.Series(arr, dtype=object, copy=False)  # dtype=object: no inference of pandas' str dtype
        else:
            out[col] = pd.Series(pd.array(v.array if isinstance(v, pd.Series) else v, dtype=dtype), copy=False)
    return pd.DataFrame(out, copy=False)


# --- reading files --------------------------------------------------------------------------------------------------

@dataclass
class RecordInput:
    """The located record tables of one file, concatenated: raw cells by canonical column, row numbers, sheets."""

    cells: dict[str, pd.Series]
    labels: dict[str, str]
    zeile: np.ndarray
    blatt: object  # str (same sheet for all rows) or an object array per row
    info: dict = field(default_factory=dict)


BEISPIEL = "beispiel"


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def _valid_utf8(buf) -> bool:
    """Whether the bytes are valid UTF-8 (checked by Arrow without decoding into a Python str)."""
    import pyarrow as pa

    try:
        offsets = pa.py_buffer(np.array([0, len(buf)], dtype=np.int64))
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(buf)]).validate(full=True)
        return True
    except (pa.ArrowInvalid, ValueError):
        return False


def _utf8_body(data: bytes):
    """(body, encoding): the file as UTF-8 bytes without BOM (the file itself where it is UTF-8 already: no copy,
    no Python str of the whole file), or (None, encoding) when the general reader has to report the characters."""
    if data.startswith(b"\xef\xbb\xbf"):
        body = memoryview(data)[3:]
        if _valid_utf8(body):
            return body, "utf-8-sig"
        text, encoding = _decode(data)
        return text.encode("utf-8"), encoding
    if _valid_utf8(data):
        return data, "utf-8"
    text, encoding = _decode(data)
    if encoding == "cp1252" and "\ufffd" in text:
        return None, encoding  # the general reader reports undecodable characters
    return text.encode("utf-8"), encoding


_BLANK_LINE = re.compile(rb"\n[ \t]*\r?\n")


def _first_lines(body, n: int) -> bytes:
    """The first `n` lines of `body` (without the line break after the last of them), like
    `"\\n".join(text.split("\\n")[:n])`. `body` is bytes or a memoryview of the end of bytes (after a BOM)."""
    src, off = (body.obj, len(body.obj) - len(body)) if isinstance(body, memoryview) else (body, 0)
    pos = off
    for _ in range(n):
        nxt = src.find(b"\n", pos)
        if nxt < 0:
            break
        pos = nxt + 1
    else:
        return bytes(src[off:pos - 1])
    return bytes(src[off:])


def _read_body_arrow(body, sep: str, skip: int, positions: list[int]):
    """The record rows of a CSV body with pyarrow (all columns as dictionary-encoded text, "" for empty cells):
    ({position: text column}, number of rows), or (None, 0) when pyarrow refuses the file (ragged rows ...)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"f{p}" for p in positions]
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(skip_rows=skip, autogenerate_column_names=True, block_size=4 << 20),
            parse_options=pacsv.ParseOptions(delimiter=sep),
            convert_options=pacsv.ConvertOptions(include_columns=names, column_types={n: text for n in names},
                                                 null_values=[], strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False))
    except (pa.ArrowException, ValueError, KeyError):
        return None, 0
    if table.num_columns != len(positions):
        return None, 0
    return {p: table.column(n) for p, n in zip(positions, names)}, table.num_rows


def _read_csv_fast(data: bytes, filename: str, ctx, columns, required, sink: Sink, was: str):
    """CSV: locate the header on the first lines with `reading`, then read the body with pyarrow (when the file has
    no blank lines; text columns become categoricals, see `arrow_text`), else with pandas' C engine, which keeps
    line numbers exact. Returns (RecordInput | None, handled); handled=False means: use the general reader instead."""
    from data_models.importers import reading

    if len(data) > ctx.max_file_bytes:
        return None, False
    body, encoding = _utf8_body(data)
    if body is None:
        return None, False
    head = _first_lines(body, reading.HEADER_SEARCH_ROWS + 1)
    sheets, fs = reading.read_raw(head, filename if filename.lower().endswith((".csv", ".tsv")) else "x.csv", ctx)
    if not sheets or any(f.schwere == FEHLER for f in fs) or not sheets[0].separator:
        return None, False
    raw = sheets[0]
    table, fs = reading.locate_header(raw, columns, required)
    fs = [_rename_file(f, filename) for f in fs]
    if table is None:
        sink.findings.extend(fs)
        if not any(f.schwere == FEHLER for f in fs):
            sink.one(FEHLER, f"Keine Kopfzeile mit den Spalten der {was} gefunden.", art="kopfzeile_fehlt")
        return None, True
    sink.findings.extend(fs)
    canon = [c for c in table.letters if c in columns]
    positions = [int(table.letters[c]) - 1 for c in canon]
    sep = raw.separator
    n_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    frame = None
    if not _BLANK_LINE.search(body):
        cols, n_rows = _read_body_arrow(body, sep, table.header_row, positions)
        if cols is not None and n_rows == n_lines - table.header_row:
            index = pd.RangeIndex(table.header_row + 1, table.header_row + 1 + n_rows)
            frame = pd.DataFrame({c: arrow_text(cols[p]).set_axis(index) for c, p in zip(canon, positions)},
                                 index=index)
    if frame is None:
        kw = dict(sep=sep, header=None, skiprows=table.header_row, usecols=positions, dtype=str,
                  keep_default_na=False)
        try:
            frame = pd.read_csv(io.BytesIO(body), engine="c", skip_blank_lines=False, na_filter=False, **kw)
        except Exception:  # noqa: BLE001
            return None, False
        if frame.shape[1] != len(positions) or len(frame) != n_lines - table.header_row:
            return None, False  # quoted line breaks or odd line ends: the general reader keeps line numbers exact
        frame.columns = sorted(positions)  # the C engine keeps file order
        frame = frame.rename(columns=dict(zip(positions, canon)))
        frame.index = pd.RangeIndex(table.header_row + 1, table.header_row + 1 + len(frame))
    info = {"container": "csv", "kodierung": encoding, "trennzeichen": sep}
    return _assemble([(frame, table.headers, "")], columns, sink, was, info), True


def _rename_file(f: Finding, filename: str) -> Finding:
    if f.datei == filename:
        return f
    return Finding(f.schwere, f.meldung, filename, f.blatt, f.zeile, f.spalte, f.wert, f.art)


def _assemble(parts, columns, sink: Sink, was: str, info: dict) -> RecordInput | None:
    """Concatenate located tables (frame, headers, sheet name); drop empty rows and example rows."""
    cells: dict[str, list[pd.Series]] = {c: [] for c in columns}
    labels: dict[str, str] = {}
    zeilen, blaetter = [], []
    for frame, headers, name in parts:
        texts = {c: text_series(frame[c]) for c in frame.columns if c in columns or c == BEISPIEL}
        keep = np.zeros(len(frame), dtype=bool)
        for c, t in texts.items():
            if c != BEISPIEL:
                keep |= t.notna().to_numpy()
        if BEISPIEL in texts:
            keep &= ~Mapped(texts[BEISPIEL], lambda v: v.casefold() == "x", none_value=False).mask(bool)
        n = int(keep.sum())
        every = n == len(frame)
        for c in columns:
            if c in texts:
                cells[c].append(texts[c].reset_index(drop=True) if every else texts[c][keep].reset_index(drop=True))
                labels.setdefault(c, headers.get(c, columns[c][0]))
            else:
                cells[c].append(None)
        zeilen.append(np.asarray(frame.index, dtype=np.int64)[keep])
        blaetter.append((name, n))
    n_total = sum(len(z) for z in zeilen)
    if n_total == 0:
        sink.one(FEHLER, f"Die Datei enthält keine Zeilen mit {was} (nur die Kopfzeile).", art="keine_zeilen")
        return None
    out: dict[str, pd.Series] = {}
    for c, lst in cells.items():
        if c == BEISPIEL or all(s is None for s in lst):
            continue
        full = [s if s is not None else pd.Series([None] * len(z), dtype=object) for s, z in zip(lst, zeilen)]
        out[c] = full[0] if len(full) == 1 else pd.concat(full, ignore_index=True)
    zeile = np.concatenate(zeilen)
    names = {name for name, _ in blaetter}
    if len(names) == 1:
        blatt: object = blaetter[0][0]
    else:
        blatt = np.concatenate([np.full(n, name, dtype=object) for name, n in blaetter])
    return RecordInput(out, labels, zeile, blatt, info)


def read_records(data: bytes, filename: str, ctx, columns: dict[str, list[str]], required: list[str],
                 sink: Sink, was: str) -> RecordInput | None:
    """Read a CSV or Excel file of records and locate the header (lenient matching like the Masterdatei).

    Every sheet of a workbook whose header row is found contributes rows (the others are skipped with a Hinweis).
    Returns None (with a Fehler in `sink`) when the file cannot be read or no sheet has the required columns."""
    from data_models.importers import reading

    if not data or not data.strip():
        sink.one(FEHLER, "Die Datei ist leer.", art="datei_leer")
        return None
    columns = {**columns, BEISPIEL: ["Beispiel"]}
    container = reading.sniff_container(data, filename)
    if container == "csv":
        inp, handled = _read_csv_fast(data, filename, ctx, columns, required, sink, was)
        if handled:
            return inp
    sheets, read_findings = reading.read_raw(data, filename, ctx)
    sink.findings.extend(read_findings)
    if not sheets:
        if not any(f.schwere == FEHLER for f in read_findings):
            sink.one(FEHLER, "Die Datei enthält keine Daten.", art="datei_leer")
        return None
    found, failed = [], []
    for raw in sheets:
        table, fs = reading.locate_header(raw, columns, required, clean=False)  # _assemble trims every value
        if table is None:
            failed.append((raw.name, fs))
        else:
            found.append((table, fs))
    if not found:
        for _name, fs in failed:
            sink.findings.extend(fs)
        if not any(f.schwere == FEHLER for f in sink.findings):
            sink.one(FEHLER, f"Keine Kopfzeile mit den Spalten der {was} gefunden.", art="kopfzeile_fehlt")
        return None
    for name, fs in failed:
        # a sheet with a recognisable header but a missing required column is an error; others are skipped
        if any(f.art == "spalte_fehlt" for f in fs):
            sink.findings.extend(fs)
        else:
            sink.one(HINWEIS, f"Blatt „{name}“ enthält keine Kopfzeile mit den Spalten der {was} und wird "
                              "übersprungen.", blatt=name, art="blatt_uebersprungen")
    parts = []
    for table, fs in found:
        sink.findings.extend(fs)
        parts.append((table.frame, table.headers, table.name or ""))
    info = {"container": container}
    if sheets and sheets[0].encoding:
        info.update(kodierung=sheets[0].encoding, trennzeichen=sheets[0].separator)
    return _assemble(parts, columns, sink, was, info)


def records_from_input(sink: Sink, inp: RecordInput) -> Records:
    return Records(sink, inp.cells, inp.labels, inp.zeile, inp.blatt)
