"""Assignment table (`--kind zuordnung`): Kennnummer -> Sozialraum-ID, optionally per record kind (`Art`: hze, 8a,
42) and `Berichtsjahr`. Replaced whole on upload; the Kennnummer is stored as keyed hash like in the records."""
from __future__ import annotations

import numpy as np
import pandas as pd

from data_models.findings import HINWEIS
from data_models.importers.base import ImportContext, ImportResult
from data_models.importers.reading import normalise_header
from data_models.importers.records_common import (
    BAD, Records, Sink, build_frame, hash_series, read_records, records_from_input,
)
from data_models.importers.records_hze import result

KIND = "zuordnung"
WAS = "Zuordnungstabelle"
COLUMNS: dict[str, list[str]] = {
    "kennnummer": ["Kennnummer", "Kenn-Nr.", "Kennnr", "Fallnummer"],
    "sozialraum_id": ["Sozialraum-ID", "SR-ID"],
    "art": ["Art", "Einzeldatenart", "Datenart"],
    "berichtsjahr": ["Berichtsjahr", "Jahr"],
}
REQUIRED = ["kennnummer", "sozialraum_id"]

_ARTS = {
    "hze": "hze", "27": "hze", "hilfezurerziehung": "hze", "hilfenzurerziehung": "hze", "hzeeinzeldaten": "hze",
    "8a": "8a", "s8a": "8a", "gefaehrdungseinschaetzung": "8a",
    "42": "42", "42a": "42", "s42": "42", "inobhutnahme": "42",
}


def parse_art(text: str):
    return _ARTS.get(normalise_header(text), BAD)


def check_zuordnung(r: Records, ctx: ImportContext) -> pd.DataFrame:
    kn = r.kennnummer()
    r.require("sozialraum_id", "Sozialraum-ID")
    soz = r.sozialraum(ctx.sozialraeume)
    art = r.parsed("art", parse_art, "art_ungueltig",
                   "Art: erlaubt sind „hze“, „8a“, „42“ oder leer (gilt dann für alle Einzeldaten).")
    jahr = r.integer("berichtsjahr", 2000, 2100, "Berichtsjahr")

    keys = pd.DataFrame({"k": kn, "a": art, "j": pd.Series(jahr, dtype="Int64"), "s": soz})
    keep = np.ones(r.n, dtype=bool)
    dup = keys.duplicated(["k", "a", "j"], keep=False).to_numpy() & kn.notna().to_numpy()
    if dup.any():
        pos = np.flatnonzero(dup)
        sub = keys.iloc[pos].copy()
        sub["pos"] = pos
        grp = sub.groupby(["k", "a", "j"], sort=False, dropna=False)
        first = grp["pos"].transform("min").to_numpy()
        first_s = sub["s"].to_numpy(dtype=object)[np.searchsorted(pos, first)]
        later = pos[first != pos]
        first_of = dict(zip(pos, first))
        same_of = dict(zip(pos, first_s == sub["s"].to_numpy(dtype=object)))
        conflict = np.zeros(r.n, dtype=bool)
        repeat = np.zeros(r.n, dtype=bool)
        for p in later:
            (repeat if same_of[p] else conflict)[p] = True
        r.flag(conflict, "kennnummer", "zuordnung_widerspruch",
               lambda p: f"Die Kennnummer ist schon in Zeile {r.zeile[first_of[p]]} (gleiche Art und gleiches "
                         f"Berichtsjahr) einem anderen Sozialraum zugeordnet. Bitte eine der Zeilen korrigieren.")
        r.flag(repeat, "kennnummer", "zuordnung_doppelt",
               lambda p: f"Dieselbe Zuordnung steht schon in Zeile {r.zeile[first_of[p]]}; die Wiederholung wird "
                         f"ignoriert.", schwere=HINWEIS)
        keep &= ~repeat
    frame = build_frame("zuordnung", {
        "kennung": hash_series(ctx.hash_key, kn), "sozialraum_id": soz, "art": art, "berichtsjahr": jahr,
    }, r.n)
    return frame.loc[keep].reset_index(drop=True)


def import_zuordnung(data: bytes, filename: str, ctx: ImportContext) -> ImportResult:
    sink = Sink(filename)
    inp = read_records(data, filename, ctx, COLUMNS, REQUIRED, sink, WAS)
    if inp is None:
        return result(KIND, filename, sink, "zuordnung", None, {})
    r = records_from_input(sink, inp)
    return result(KIND, filename, sink, "zuordnung", check_zuordnung(r, ctx), inp.info)
