"""Data minimisation (privacy.md "Data protection", einzeldaten.md storage rules), on SQLite and PostgreSQL.

Records of every kind (HzE as CSV and as the fixed-width 2007 record, § 8a, § 42, assignment table) are imported
the way the upload page and `manage.py import` do it; then EVERY column of EVERY table is read back, Parquet
payloads decoded, and searched for the birth dates and the plain case numbers of the input. None may be there; the
stored age and keyed hashes must still be right (so the minimised data still serve the indicators).
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re

import pandas as pd
import pyarrow.parquet as pq
from sqlalchemy import select

from data_models import accounts, db, store
from data_models.derive import derive_dataset
from data_models.importers.base import ImportResult
from data_models.importers.records_common import hash_kennnummer
from data_models.tenant_data import import_file, tenant_secret
from tests.data_models.test_hze_festbreite import line

# Case numbers as the case software writes them, and their normalised forms (einzeldaten: hashed after normalising)
KENNNUMMERN = ["AZ-77311", "0088123", "55667788", "VF-40917", "IN-31337", "00944", "55667799"]
NORMALISED = ["AZ-77311", "88123", "55667788", "VF-40917", "IN-31337", "944"]
# birth years nobody else uses in these files (report years 2023, begin years 2020-2023)
BIRTH_YEARS = ["2011", "2013", "2012", "2009", "2007", "2006", "2004"]


def _sozialraeume(engine, tid) -> None:
    soz = pd.DataFrame({"sozialraum_id": ["01", "02"], "name": ["Nord", "Süd"], "team": [None, None],
                        "gemeindeschluessel": ["01001000", None]})
    store.save_import(engine, tid, "anna", ImportResult("masterdatei", "sr.xlsx", tables={"sozialraeume": soz}),
                      b"sr")


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    return ("\n".join(";".join(r) for r in [header, *rows]) + "\n").encode("utf-8")


HZE = _csv(
    ["Kennnummer", "Berichtsjahr", "Sozialraum-ID", "Gemeindeschlüssel", "Art der Hilfe", "Beginn Monat",
     "Beginn Jahr", "Ende Monat", "Ende Jahr", "Geschlecht", "Geburtsmonat", "Geburtsjahr", "Grund 1",
     "Beendigungsgrund"],
    [["AZ-77311", "2023", "01", "", "07", "3", "2020", "", "", "1", "11", "2011", "11", ""],
     # no Sozialraum-ID: assigned through the assignment table below (the hash must still match)
     ["0088123", "2023", "", "", "08", "9", "2022", "6", "2023", "2", "4", "2013", "12", ""]])  # no Beendigungsgrund: Warnung
S8A = _csv(["Kennnummer", "Jahr", "Sozialraum-ID", "Geschlecht", "Geburtsjahr", "Ergebnis"],
           [["55667788", "2023", "02", "2", "2012", "3"],
            ["55667799", "2023", "02", "1", "2004", "4"]])  # aged 19: a Warnung that names the Geburtsjahr column
S42 = _csv(["Kennnummer", "Jahr", "Sozialraum-ID", "Art der Maßnahme", "Beginn", "Ende", "Geschlecht", "Geburtsjahr"],
           [["VF-40917", "2023", "01", "1", "01.03.2023", "20.03.2023", "1", "2009"],
            ["IN-31337", "2023", "", "2", "05.05.2023", "07.05.2023", "1", "2007"]])
ZUORDNUNG = _csv(["Kennnummer", "Sozialraum-ID", "Art"], [["88123", "02", "hze"], ["IN-31337", "01", "42"]])
FESTBREITE = (line(lfd="00944", gm="08", gy="2006", by="2021", bm="02", ags="01001000") + "\n").encode("ascii")


def _import_everything(engine, tid) -> None:
    _sozialraeume(engine, tid)
    for data, name, kind, year in [(ZUORDNUNG, "zuordnung.csv", "zuordnung", None), (HZE, "hze.csv", "hze", None),
                                   (S8A, "8a.csv", "8a", None), (S42, "42.csv", "42", None),
                                   (FESTBREITE, "satzart_a.txt", "hze-festbreite", 2022)]:
        outcome = import_file(engine, tid, "anna", data, name, kind=kind, year=year)
        assert outcome.version is not None, [f.text() for f in outcome.result.findings]


HEX = re.compile(r"^[0-9a-f]{20,}$")  # keyed hashes, file hashes, the tenant secret


def _every_stored_value(engine):
    """(table, column, value) for every cell of every table; Parquet payloads decoded into their cells and columns."""
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(select(table)).mappings():
                for col, value in row.items():
                    if isinstance(value, (bytes, memoryview)):
                        frame = pq.read_table(io.BytesIO(bytes(value))).to_pandas()
                        for c in frame.columns:
                            yield table.name, f"{col}:{c} (Spaltenname)", str(c)
                            for v in frame[c].tolist():
                                yield table.name, f"{col}:{c}", v
                    else:
                        yield table.name, col, value


def _leaks(value, needle: str) -> bool:
    """Whether a stored cell contains `needle`. Hex digests and timestamps can contain any short digit string by
    chance (and are not input data): there only an exact match counts."""
    if value is None or isinstance(value, (dt.datetime, dt.date)):
        return False
    text = str(value)
    if HEX.match(text) or not isinstance(value, str):
        return text.casefold() == needle.casefold()
    return needle.casefold() in text.casefold()


def test_no_birth_date_and_no_plain_case_number_anywhere(engine):
    t = accounts.create_tenant(engine, slug="datenschutz", name="Jugendamt Datenschutz", typ="stadt")
    _import_everything(engine, t.id)

    cells = list(_every_stored_value(engine))
    payload_cells = [c for c in cells if ":" in c[1]]
    assert len(payload_cells) > 50  # the payloads were really decoded (guards against a silent no-op)
    key = tenant_secret(engine, t.id)
    stored = {v for _, col, v in payload_cells if col.endswith(":kennung")}
    assert {hash_kennnummer(key, k) for k in KENNNUMMERN} <= stored  # the records are there, as keyed hashes
    for table, col, value in cells:
        if col.endswith("(Spaltenname)"):  # no stored record column for a birth date
            assert "geburt" not in str(value).casefold(), (table, col)
        for needle in [*KENNNUMMERN, *NORMALISED, *BIRTH_YEARS]:
            assert not _leaks(value, needle), (table, col, value, needle)
    # the findings stored with the versions are there (the Warnung), but carry no case number as value
    with engine.connect() as conn:
        notes = [json.loads(r) for r in conn.execute(select(db.versions.c.findings)).scalars()]
    assert any("Beendigungsgrund" in json.dumps(n, ensure_ascii=False) for n in notes)
    assert any("Alter 19 Jahre" in json.dumps(n, ensure_ascii=False) for n in notes)  # kept, without the year


def test_minimised_records_still_serve_age_and_matching(engine):
    t = accounts.create_tenant(engine, slug="datenschutz", name="Jugendamt Datenschutz", typ="stadt")
    _import_everything(engine, t.id)
    key = tenant_secret(engine, t.id)
    frames = store.current_frames(engine, t.id)

    hze = frames["hze_records"].set_index("kennung")
    a, b = hash_kennnummer(key, "AZ-77311"), hash_kennnummer(key, "0088123")
    # age at begin, month-exact: (2020*12+3 - 2011*12-11) div 12 = 100 div 12 = 8; (2022*12+9 - 2013*12-4) div 12 = 9
    assert int(hze.loc[a, "alter_beginn"]) == 8 and int(hze.loc[b, "alter_beginn"]) == 9
    # fixed-width record of 2022: begin 02/2021, born 08/2006 -> (2021*12+2 - 2006*12-8) div 12 = 174 div 12 = 14
    c = hash_kennnummer(key, "944")
    assert int(hze.loc[c, "alter_beginn"]) == 14 and int(hze.loc[c, "jahr"]) == 2022
    s8a = frames["s8a_records"]
    assert s8a["alter"].tolist() == [11, 19]  # 2023 - 2012, 2023 - 2004
    s42 = frames["s42_records"].set_index("kennung")
    assert int(s42.loc[hash_kennnummer(key, "VF-40917"), "dauer_tage"]) == 19
    assert int(s42.loc[hash_kennnummer(key, "IN-31337"), "alter"]) == 16

    # the assignment table still matches the hashed numbers: 0088123 (HzE) -> 02, IN-31337 (§ 42) -> 01
    derived = derive_dataset(frames)
    hze_2023 = derived.tables["hze"]
    hze_2023 = hze_2023[hze_2023["jahr"] == 2023].set_index(["sozialraum_id", "hilfeart"])
    assert int(hze_2023.loc[("02", "08"), "beendet"]) == 1
    assert int(hze_2023.loc[("01", "07"), "andauernd"]) == 1
    s42_agg = derived.tables["s42"].set_index(["jahr", "sozialraum_id"])
    assert int(s42_agg.loc[(2023, "01"), "uma"]) == 1  # Art 2 = unaccompanied, assigned by the table

    # a keyed hash: the same number gives another value in another tenant, whose secret is different
    other = accounts.create_tenant(engine, slug="anderes", name="Jugendamt Anderes", typ="stadt")
    other_key = tenant_secret(engine, other.id)
    assert other_key != key and len(key) >= 16
    assert hash_kennnummer(other_key, "AZ-77311") != a


def test_masterdatei_export_carries_no_secret_hash_or_birth_year(engine):
    import zipfile

    from data_models.export_masterdatei import masterdatei_bytes
    from data_models.schema import SHEETS

    t = accounts.create_tenant(engine, slug="datenschutz", name="Jugendamt Datenschutz", typ="stadt")
    _import_everything(engine, t.id)
    key = tenant_secret(engine, t.id)
    derived = derive_dataset(store.current_frames(engine, t.id))
    data = masterdatei_bytes({k: derived[k] for k in SHEETS})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "Nord" in xml and "HzE" in xml  # the export has content
    for needle in [key.hex(), hash_kennnummer(key, "AZ-77311"), "AZ-77311", "VF-40917", "55667788"]:
        assert needle not in xml, needle
    cells = re.findall(r"<v>([^<]*)</v>|<t[^>]*>([^<]*)</t>", xml)
    values = {a or b for a, b in cells}
    assert not values & set(BIRTH_YEARS)  # no birth year as a cell value
