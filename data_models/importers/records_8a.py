"""§ 8a procedures (`--kind 8a`): one row per completed Gefährdungseinschätzung -> canonical `s8a_records`."""
from __future__ import annotations

import numpy as np
import pandas as pd

from data_models.findings import WARNUNG
from data_models.importers.base import ImportContext, ImportResult
from data_models.importers.records_common import (
    Records, Sink, build_frame, duplicate_check, hash_series, parse_flag, parse_yes_no, read_records,
    records_from_input, validity_check,
)
from data_models.importers.records_hze import result

KIND = "8a"
WAS = "§ 8a-Einzeldaten"
COLUMNS: dict[str, list[str]] = {
    "kennnummer": ["Kennnummer", "Kenn-Nr.", "Kennnr"],
    "jahr": ["Jahr", "Berichtsjahr"],
    "sozialraum_id": ["Sozialraum-ID", "SR-ID"],
    "gemeindeschluessel": ["Gemeindeschlüssel", "AGS", "Amtlicher Gemeindeschlüssel"],
    "geschlecht": ["Geschlecht"],
    "geburtsjahr": ["Geburtsjahr"],
    "ergebnis": ["Ergebnis", "Ergebnis der Gefährdungseinschätzung"],
    "vernachlaessigung": ["Vernachlässigung"],
    "koerperlich": ["körperliche Misshandlung"],
    "psychisch": ["psychische Misshandlung"],
    "sexuell": ["sexuelle Gewalt"],
    "melder": ["Melder", "Bekanntwerden durch"],
    "inanspruchnahme": ["Inanspruchnahme einer Hilfe zum Zeitpunkt", "Inanspruchnahme einer Hilfe"],
    "familiengericht": ["Anrufung des Familiengerichts"],
}
REQUIRED = ["kennnummer", "jahr", "ergebnis"]
TYPES = {"vernachlaessigung": "Vernachlässigung", "koerperlich": "körperliche Misshandlung",
         "psychisch": "psychische Misshandlung", "sexuell": "sexuelle Gewalt"}
MAX_AGE_WARN = 18  # § 8a concerns minors; Jahr - Geburtsjahr can be 18 for a 17-year-old


def check_8a(r: Records, ctx: ImportContext) -> pd.DataFrame:
    kn = r.kennnummer()
    jahr = r.integer("jahr", 2000, 2100, "Jahr", required=True)
    soz = r.sozialraum(ctx.sozialraeume)
    ags = r.ags()
    sex = r.code("geschlecht", "geschlecht", "Geschlecht")
    gy = r.integer("geburtsjahr", 1900, 2100, "Geburtsjahr")
    ergebnis = r.code("ergebnis", "ergebnis_8a", "Ergebnis", required=True)
    melder = r.code("melder", "melder_8a", "Melder")
    inanspr = r.parsed("inanspruchnahme", parse_yes_no, "inanspruchnahme_ungueltig",
                       "Inanspruchnahme einer Hilfe: erlaubt sind 1 (ja), 2 (nein) oder leer.")
    fg = r.parsed("familiengericht", parse_yes_no, "familiengericht_ungueltig",
                  "Anrufung des Familiengerichts: erlaubt sind 1 (ja), 2 (nein) oder leer.")

    no_kwg = ergebnis.isin(["3", "4"]).to_numpy()
    types = {}
    for col, was in TYPES.items():
        v = r.parsed(col, parse_flag, f"{col}_ungueltig",
                     f"{was}: erlaubt sind 1 (ja) sowie leer, 0 oder 2 (nein).")
        yes = v.map(lambda x: x is True).to_numpy(dtype=bool)
        r.flag(yes & no_kwg, col, "art_ohne_gefaehrdung",
               lambda p: f"{was} = ja passt nicht zum Ergebnis {ergebnis.iloc[p]} (keine Kindeswohlgefährdung): Arten "
                         f"der Gefährdung gibt es nur bei Ergebnis 1 (akut) oder 2 (latent). Bitte Ergebnis oder Art "
                         f"korrigieren.")
        if r.has(col):
            types[col] = pd.array(yes, dtype="boolean")  # empty, 0 and 2 = nein
        else:
            types[col] = pd.array([None] * r.n, dtype="boolean")  # column not delivered: unknown

    j = pd.array(jahr, dtype="Int64").to_numpy(dtype=float, na_value=np.nan)
    g = pd.array(gy, dtype="Int64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        alter = j - g
        r.flag(alter < 0, "geburtsjahr", "geburtsjahr_nach_jahr",
               lambda p: f"Das Geburtsjahr liegt nach dem Jahr des Verfahrens ({int(j[p])}): bitte prüfen.")
        r.flag(alter > MAX_AGE_WARN, "geburtsjahr", "alter_volljaehrig",
               lambda p: f"Alter {int(alter[p])} Jahre: Gefährdungseinschätzungen betreffen Minderjährige, bitte "
                         f"das Geburtsjahr prüfen.", schwere=WARNUNG)
    alter_ok = np.where(alter >= 0, alter, np.nan)

    validity_check(r, soz, jahr, ctx.sozialraeume)
    duplicate_check(r, pd.DataFrame({"k": kn, "j": pd.Series(jahr)}), "Kennnummer", "Jahr")
    return build_frame("s8a_records", {
        "jahr": jahr, "kennung": hash_series(ctx.hash_key, kn), "sozialraum_id": soz, "gemeindeschluessel": ags,
        "geschlecht": sex, "alter": pd.array(np.where(np.isnan(alter_ok), None, alter_ok), dtype="Int64"),
        "ergebnis": ergebnis, **types, "melder": melder, "inanspruchnahme": inanspr, "familiengericht": fg,
    }, r.n)


def import_8a(data: bytes, filename: str, ctx: ImportContext) -> ImportResult:
    sink = Sink(filename)
    inp = read_records(data, filename, ctx, COLUMNS, REQUIRED, sink, WAS)
    if inp is None:
        return result(KIND, filename, sink, "s8a_records", None, {})
    r = records_from_input(sink, inp)
    return result(KIND, filename, sink, "s8a_records", check_8a(r, ctx), inp.info)
