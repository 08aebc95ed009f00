"""§ 42 measures (`--kind 42`): one row per Inobhutnahme ended in the year -> canonical `s42_records`.

Stored: duration in calendar days (Ende − Beginn), not the dates; age = Jahr − Geburtsjahr.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from data_models.codes import normalise_code
from data_models.findings import WARNUNG
from data_models.importers.base import ImportContext, ImportResult
from data_models.importers.records_common import (
    BAD, TWO_DIGIT_YEAR, Mapped, Records, Sink, build_frame, duplicate_check, hash_series, parse_date, read_records,
    records_from_input, validity_check,
)
from data_models.importers.records_hze import result

KIND = "42"
WAS = "§ 42-Einzeldaten"
COLUMNS: dict[str, list[str]] = {
    "kennnummer": ["Kennnummer", "Kenn-Nr.", "Kennnr"],
    "jahr": ["Jahr", "Berichtsjahr"],
    "sozialraum_id": ["Sozialraum-ID", "SR-ID"],
    "gemeindeschluessel": ["Gemeindeschlüssel", "AGS", "Amtlicher Gemeindeschlüssel"],
    "art": ["Art der Maßnahme", "Art"],
    "beginn": ["Beginn", "Beginn der Maßnahme"],
    "ende": ["Ende", "Ende der Maßnahme"],
    "geschlecht": ["Geschlecht"],
    "geburtsjahr": ["Geburtsjahr"],
    "anlass": ["Anlass", "Anlässe"],
    "anregende": ["Anregende", "Anregende Person", "Anregende Institution"],
    "anschluss": ["Anschließend", "Anschließende Hilfe", "Anschluss"],
}
REQUIRED = ["kennnummer", "jahr", "art", "beginn", "ende"]
MAX_AGE_WARN = 18


def _parse_anlass(text: str):
    """`1;8` (also `1; 8`, `1,8` is not allowed: a comma is a decimal mark) -> sorted, unique codes `"1;8"`."""
    parts = [p for p in re.split(r"\s*;\s*", text.strip()) if p]
    codes = []
    for p in parts:
        c = normalise_code("anlass_42", p)
        if c is None:
            return BAD
        codes.append(c)
    return ";".join(sorted(set(codes), key=int)) if codes else None


def _dates(r: Records, col: str, was: str) -> np.ndarray:
    """Parse a date column; returns datetime64[D] (NaT where empty or wrong); Fehler for wrong values."""
    r.require(col, was)
    m = Mapped(r.col(col), parse_date)
    v = m.values().to_numpy(dtype=object)
    two = m.mask(lambda x: x is TWO_DIGIT_YEAR)
    bad = m.mask(lambda x: x is BAD)
    r.flag(two, col, f"{col}_zweistellig",
           f"{was}: zweistellige Jahreszahlen sind nicht erlaubt (nicht eindeutig). Bitte das Datum mit "
           f"vierstelligem Jahr angeben, z. B. 05.03.2024.")
    r.flag(bad, col, f"{col}_ungueltig",
           f"{was}: kein gültiges Datum. Erlaubt sind TT.MM.JJJJ, T.M.JJJJ, JJJJ-MM-TT oder ein Excel-Datum.")
    ok = np.where(two | bad, None, v)
    return pd.to_datetime(pd.Series(ok, dtype=object)).to_numpy(dtype="datetime64[D]")


def check_42(r: Records, ctx: ImportContext) -> pd.DataFrame:
    kn = r.kennnummer()
    jahr = r.integer("jahr", 2000, 2100, "Jahr", required=True)
    soz = r.sozialraum(ctx.sozialraeume)
    ags = r.ags()
    art = r.code("art", "art_42", "Art der Maßnahme", required=True)
    beginn = _dates(r, "beginn", "Beginn")
    ende = _dates(r, "ende", "Ende")
    sex = r.code("geschlecht", "geschlecht", "Geschlecht")
    gy = r.integer("geburtsjahr", 1900, 2100, "Geburtsjahr")
    anlass = r.parsed("anlass", _parse_anlass, "anlass_code",
                      "Anlass: unbekannter Schlüssel. Erlaubt sind die Schlüssel 1–13, mehrere durch „;“ getrennt "
                      "(z. B. 1;8).")
    anregende = r.code("anregende", "anregende_42", "Anregende")
    anschluss = r.code("anschluss", "anschluss_42", "Anschließend")

    j = pd.array(jahr, dtype="Int64").to_numpy(dtype=float, na_value=np.nan)
    has_b, has_e = ~np.isnat(beginn), ~np.isnat(ende)
    end_year = np.where(has_e, ende.astype("datetime64[Y]").astype(np.int64) + 1970, -1)
    r.flag(has_e & ~np.isnan(j) & (end_year != j), "ende", "ende_nicht_jahr",
           lambda p: f"Das Ende liegt im Jahr {end_year[p]}, die Zeile gehört aber zum Jahr {int(j[p])}: „Jahr“ muss "
                     f"das Jahr des Endes sein.")
    both = has_b & has_e
    dauer = np.full(r.n, np.nan)
    dauer[both] = (ende[both] - beginn[both]).astype(np.int64)
    with np.errstate(invalid="ignore"):
        r.flag(dauer < 0, "beginn", "beginn_nach_ende",
               "Der Beginn liegt nach dem Ende: bitte Beginn und Ende prüfen.")
    dauer = np.where(dauer >= 0, dauer, np.nan)

    g = pd.array(gy, dtype="Int64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        alter = j - g
        r.flag(alter < 0, "geburtsjahr", "geburtsjahr_nach_jahr",
               lambda p: f"Das Geburtsjahr liegt nach dem Jahr der Maßnahme ({int(j[p])}): bitte prüfen.")
        r.flag(alter > MAX_AGE_WARN, "geburtsjahr", "alter_volljaehrig",
               lambda p: f"Alter {int(alter[p])} Jahre: Inobhutnahmen betreffen Minderjährige, bitte das Geburtsjahr "
                         f"prüfen.", schwere=WARNUNG)
    alter = np.where(alter >= 0, alter, np.nan)

    validity_check(r, soz, jahr, ctx.sozialraeume)
    duplicate_check(r, pd.DataFrame({"k": kn, "j": pd.Series(jahr)}), "Kennnummer", "Jahr")
    return build_frame("s42_records", {
        "jahr": jahr, "kennung": hash_series(ctx.hash_key, kn), "sozialraum_id": soz, "gemeindeschluessel": ags,
        "art": art, "dauer_tage": pd.array(np.where(np.isnan(dauer), None, dauer), dtype="Int64"),
        "geschlecht": sex, "alter": pd.array(np.where(np.isnan(alter), None, alter), dtype="Int64"),
        "anlass": anlass, "anregende": anregende, "anschluss": anschluss,
    }, r.n)


def import_42(data: bytes, filename: str, ctx: ImportContext) -> ImportResult:
    sink = Sink(filename)
    inp = read_records(data, filename, ctx, COLUMNS, REQUIRED, sink, WAS)
    if inp is None:
        return result(KIND, filename, sink, "s42_records", None, {})
    r = records_from_input(sink, inp)
    return result(KIND, filename, sink, "s42_records", check_42(r, ctx), inp.info)
