"""§ 27 ff. HzE single-case records (`--kind hze`): CSV or xlsx -> canonical `hze_records`.

One row per help and report year (einzeldaten.md). Stored minimised: age at begin instead of birth month/year,
Kennnummer only as keyed hash.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from data_models.codes import FAMILY_HELP_CODES
from data_models.findings import FEHLER, HINWEIS, WARNUNG, sort_findings
from data_models.importers.base import ImportContext, ImportResult
from data_models.importers.records_common import (
    Records, Sink, build_frame, duplicate_check, hash_series, parse_transfer, parse_yes_no, read_records,
    records_from_input, validity_check,
)

KIND = "hze"
WAS = "HzE-Einzeldaten"

# canonical column -> accepted headers (matched leniently, see reading.normalise_header)
COLUMNS: dict[str, list[str]] = {
    "kennnummer": ["Kennnummer", "Kenn-Nr.", "Kennnr", "Kennnummer der Hilfe"],
    "jahr": ["Berichtsjahr", "Jahr"],
    "sozialraum_id": ["Sozialraum-ID", "SR-ID"],
    "gemeindeschluessel": ["Gemeindeschlüssel", "AGS", "Amtlicher Gemeindeschlüssel"],
    "hilfeart": ["Art der Hilfe", "Hilfeart"],
    "beginn_monat": ["Beginn Monat", "Beginn (Monat)", "Monat Beginn"],
    "beginn_jahr": ["Beginn Jahr", "Beginn (Jahr)", "Jahr Beginn"],
    "ende_monat": ["Ende Monat", "Ende (Monat)", "Monat Ende"],
    "ende_jahr": ["Ende Jahr", "Ende (Jahr)", "Jahr Ende"],
    "geschlecht": ["Geschlecht"],
    "geburtsmonat": ["Geburtsmonat", "Geburt Monat"],
    "geburtsjahr": ["Geburtsjahr", "Geburt Jahr"],
    "ort": ["Ort der Durchführung"],
    "traeger": ["Träger"],
    "grund1": ["Grund 1"],
    "grund2": ["Grund 2"],
    "grund3": ["Grund 3"],
    "anregende": ["Anregende Institution"],
    "situation": ["Situation Herkunftsfamilie", "Situation in der Herkunftsfamilie"],
    "transfer": ["Transferleistungen"],
    "beendigungsgrund": ["Beendigungsgrund"],
    "aufenthalt": ["Anschließender Aufenthalt"],
    "nachfolgende": ["Nachfolgende Hilfe"],
    "nach_8a": ["Vorangegangene Gefährdungseinschätzung"],
    "nach_42": ["Nach vorläufiger Schutzmaßnahme"],
    "junge_menschen": ["Junge Menschen in der Familie", "Junge Menschen"],
}
REQUIRED = ["kennnummer", "jahr", "hilfeart", "beginn_monat", "beginn_jahr", "geschlecht", "geburtsmonat",
            "geburtsjahr", "grund1"]

MAX_AGE = 26
MAX_BEGIN_BACK = 27


def _num(a) -> np.ndarray:
    """Int64 array -> float ndarray with NaN for missing."""
    a = a if isinstance(a, pd.arrays.IntegerArray) else pd.array(a, dtype="Int64")
    return a.to_numpy(dtype=float, na_value=np.nan)


def _int_array(a: np.ndarray) -> pd.arrays.IntegerArray:
    """Float ndarray of whole numbers with NaN for missing -> Int64 array (no per-element conversion)."""
    missing = np.isnan(a)
    return pd.arrays.IntegerArray(np.where(missing, 0, a).astype(np.int64), missing)


def check_hze(r: Records, ctx: ImportContext) -> pd.DataFrame:
    """Validate HzE records (findings go to r.sink) and return the canonical `hze_records` frame.

    `r.text` holds text cells per canonical column (see COLUMNS); the fixed-width importer fills the same columns."""
    kn = r.kennnummer()
    jahr = r.integer("jahr", 2000, 2100, "Berichtsjahr", required=True)
    soz = r.sozialraum(ctx.sozialraeume)
    ags = r.ags()
    art = r.code("hilfeart", "art_der_hilfe", "Art der Hilfe", required=True)
    bm = r.integer("beginn_monat", 1, 12, "Beginn Monat", required=True)
    by = r.integer("beginn_jahr", 1900, 2100, "Beginn Jahr", required=True)
    em = r.integer("ende_monat", 1, 12, "Ende Monat")
    ey = r.integer("ende_jahr", 1900, 2100, "Ende Jahr")
    sex = r.code("geschlecht", "geschlecht", "Geschlecht", required=True)
    gm = r.integer("geburtsmonat", 1, 12, "Geburtsmonat", required=True)
    gy = r.integer("geburtsjahr", 1900, 2100, "Geburtsjahr", required=True)
    ort = r.code("ort", "ort_der_durchfuehrung", "Ort der Durchführung")
    traeger = r.code("traeger", "traeger", "Träger")
    g1 = r.code("grund1", "gruende", "Grund 1", required=True)
    g2 = r.code("grund2", "gruende", "Grund 2")
    g3 = r.code("grund3", "gruende", "Grund 3")
    anregende = r.code("anregende", "anregende_institution", "Anregende Institution")
    situation = r.code("situation", "situation_herkunftsfamilie", "Situation Herkunftsfamilie")
    transfer = r.parsed("transfer", parse_transfer, "transfer_ungueltig",
                        "Transferleistungen: erlaubt sind 1 (ja), 2 (nein), 0 oder leer (unbekannt).")
    bgrund = r.code("beendigungsgrund", "beendigungsgrund", "Beendigungsgrund")
    aufenthalt = r.code("aufenthalt", "aufenthalt", "Anschließender Aufenthalt")
    nachfolgende = r.code("nachfolgende", "nachfolgende_hilfe", "Nachfolgende Hilfe")
    nach_8a = r.parsed("nach_8a", parse_yes_no, "nach_8a_ungueltig",
                       "Vorangegangene Gefährdungseinschätzung: erlaubt sind 1 (ja), 2 (nein) oder leer.")
    nach_42 = r.parsed("nach_42", parse_yes_no, "nach_42_ungueltig",
                       "Nach vorläufiger Schutzmaßnahme: erlaubt sind 1 (ja), 2 (nein) oder leer.")
    jm = r.integer("junge_menschen", 1, 99, "Junge Menschen in der Familie",
                   meldung="Junge Menschen in der Familie muss eine ganze Zahl ab 1 sein (leer = 1).")

    j, bmn, byn, emn, eyn, gmn, gyn = (_num(x) for x in (jahr, bm, by, em, ey, gm, gy))

    # end: both halves or none
    em_txt, ey_txt = r.col("ende_monat").notna().to_numpy(), r.col("ende_jahr").notna().to_numpy()
    half = em_txt != ey_txt
    r.flag(half & ey_txt, "ende_monat", "ende_halb",
           "Ende Jahr ist gefüllt, Ende Monat fehlt: bei beendeten Hilfen beide ausfüllen, bei laufenden beide leer "
           "lassen.")
    r.flag(half & em_txt, "ende_jahr", "ende_halb",
           "Ende Monat ist gefüllt, Ende Jahr fehlt: bei beendeten Hilfen beide ausfüllen, bei laufenden beide leer "
           "lassen.")
    has_end = em_txt | ey_txt

    with np.errstate(invalid="ignore"):
        r.flag(~np.isnan(eyn) & ~np.isnan(j) & (eyn != j), "ende_jahr", "ende_nicht_berichtsjahr",
               lambda p: f"Ende Jahr ({int(eyn[p])}) muss dem Berichtsjahr ({int(j[p])}) entsprechen: eine Hilfe "
                         f"erscheint im Jahr ihres Endes mit Ende, in den Jahren davor ohne Ende.")
        begin = byn * 12 + bmn
        end = eyn * 12 + emn
        r.flag(begin > end, "ende_jahr", "beginn_nach_ende",
               lambda p: f"Der Beginn ({int(bmn[p]):02d}/{int(byn[p])}) liegt nach dem Ende "
                         f"({int(emn[p]):02d}/{int(eyn[p])}): bitte Beginn und Ende prüfen.")
        r.flag((byn > j) | (byn < j - MAX_BEGIN_BACK), "beginn_jahr", "beginn_jahr_bereich",
               lambda p: f"Beginn Jahr ({int(byn[p])}) muss zwischen {int(j[p]) - MAX_BEGIN_BACK} und dem "
                         f"Berichtsjahr {int(j[p])} liegen.")
        age = np.floor((begin - (gyn * 12 + gmn)) / 12)
        r.flag((age < 0) | (age > MAX_AGE), "geburtsjahr", "alter_bereich",
               lambda p: f"Das Alter bei Beginn ({int(age[p])} Jahre, aus Geburts- und Beginnmonat) muss zwischen 0 "
                         f"und {MAX_AGE} liegen: bitte Geburtsmonat/-jahr und Beginn prüfen.",
               werte=r.col("geburtsjahr"))
    age_ok = np.where((age >= 0) & (age <= MAX_AGE), age, np.nan)

    bg_given = bgrund.notna().to_numpy()
    r.flag(bg_given & ~has_end, "beendigungsgrund", "beendigungsgrund_ohne_ende",
           "Ein Beendigungsgrund ist nur bei beendeten Hilfen erlaubt: Ende Monat/Jahr ergänzen oder den "
           "Beendigungsgrund leeren.")
    bg_missing = r.col("beendigungsgrund").isna().to_numpy()
    r.flag(has_end & bg_missing, "beendigungsgrund", "beendigungsgrund_fehlt",
           "Beendete Hilfe ohne Beendigungsgrund: wird als „unbekannt“ gezählt.", schwere=WARNUNG)

    # young people in the family: family helps only (others count 1)
    jm_num = _num(jm)
    family = art.isin(FAMILY_HELP_CODES).to_numpy()
    other_many = ~family & art.notna().to_numpy() & ~np.isnan(jm_num) & (jm_num != 1)
    r.flag(other_many, "junge_menschen", "junge_menschen_keine_familienhilfe",
           "Junge Menschen in der Familie zählt nur bei familienorientierten Hilfen (07, 14–16); für diese Hilfe "
           "wird 1 gezählt.", schwere=HINWEIS)
    jm_num = np.where(np.isnan(jm_num) | other_many, 1, jm_num)

    validity_check(r, soz, jahr, ctx.sozialraeume)
    duplicate_check(r, pd.DataFrame({"k": kn, "j": pd.Series(jahr)}), "Kennnummer", "Berichtsjahr")

    kennung = hash_series(ctx.hash_key, kn)
    return build_frame("hze_records", {
        "jahr": jahr, "kennung": kennung, "sozialraum_id": soz, "gemeindeschluessel": ags,
        "hilfeart": art, "beginn_monat": bm, "beginn_jahr": by, "ende_monat": em, "ende_jahr": ey,
        "geschlecht": sex, "alter_beginn": _int_array(age_ok),
        "ort": ort, "traeger": traeger, "grund1": g1, "grund2": g2, "grund3": g3,
        "anregende": anregende, "situation": situation, "transfer": transfer, "beendigungsgrund": bgrund,
        "aufenthalt": aufenthalt, "nachfolgende": nachfolgende, "nach_8a": nach_8a, "nach_42": nach_42,
        "junge_menschen": _int_array(jm_num),
    }, r.n)


def result(kind: str, filename: str, sink: Sink, table: str, frame: pd.DataFrame | None, info: dict) -> ImportResult:
    """The ImportResult: tables only when there is no Fehler (an import stores everything or nothing)."""
    findings = sort_findings(sink.findings)
    ok = not any(f.schwere == FEHLER for f in findings)
    tables = {table: frame} if (ok and frame is not None) else {}
    if frame is not None:
        info = {**info, "zeilen": int(len(frame))}
        if "jahr" in frame.columns:
            info["jahre"] = sorted(int(y) for y in frame["jahr"].dropna().unique())
    return ImportResult(kind, filename, tables, findings, info)


def import_hze(data: bytes, filename: str, ctx: ImportContext) -> ImportResult:
    sink = Sink(filename)
    inp = read_records(data, filename, ctx, COLUMNS, REQUIRED, sink, WAS)
    if inp is None:
        return result(KIND, filename, sink, "hze_records", None, {})
    r = records_from_input(sink, inp)
    frame = check_hze(r, ctx)
    return result(KIND, filename, sink, "hze_records", frame, inp.info)
