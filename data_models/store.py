"""Versioned storage of a tenant's data.

Every upload is one new version (numbered 1, 2, 3 … per tenant without gaps). It stores one immutable slice per data
kind and year it touched (kinds replaced whole use year -1) and switches the tenant's current slices, all in one
transaction; `tenants.data_version` is bumped in the same transaction, so caches keyed by it never serve stale data.
A failed or interrupted import leaves the previous data untouched (nothing is committed).
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import InternalError, OperationalError

from data_models import db
from data_models.db import write_transaction
from data_models.audit import log_event
from data_models.findings import FEHLER, Finding
from data_models.importers.base import ImportResult
from data_models.schema import (
    BOOL, FLOAT, INT, KIND_LABELS, STR, TABLES, WHOLE_KINDS, _text_column, conform, empty, object_codes,
)

WHOLE_YEAR = -1


class StoreError(Exception):
    """A refusal in German (unknown version, nothing to store, storage failure a user can act on)."""


log = logging.getLogger("strategiekarte")
_NOT_SAVED = "Es wurde nichts gespeichert; die bisherigen Daten sind unverändert."


@contextmanager
def _storage_guard():
    """A write the database refuses (disk full, read-only file or server, connection lost) becomes a StoreError
    in German. The transaction is rolled back by then, so no partial version exists. The driver's message goes to
    the server log (not SQLAlchemy's text, which would repeat the statement's parameters)."""
    try:
        yield
    except (OperationalError, InternalError) as exc:
        detail = str(getattr(exc, "orig", None) or exc)
        log.error("Speichern fehlgeschlagen: %s", detail)
        text = detail.casefold()
        if "full" in text or "no space" in text or "quota" in text:
            raise StoreError("Der Speicherplatz der Datenbank ist erschöpft. " + _NOT_SAVED
                             + " Bitte wenden Sie sich an den Betrieb.") from None
        if "readonly" in text or "read-only" in text or "read only" in text:
            raise StoreError("Die Datenbank ist schreibgeschützt und nimmt gerade keine Änderungen an. " + _NOT_SAVED
                             + " Bitte wenden Sie sich an den Betrieb.") from None
        raise StoreError("Die Datenbank hat das Speichern abgelehnt oder ist nicht erreichbar. " + _NOT_SAVED
                         + " Bitte versuchen Sie es in einigen Minuten erneut.") from None


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def serialise(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False, compression="zstd")
    return buf.getvalue()


def deserialise(kind: str, payload: bytes) -> pd.DataFrame:
    return conform(kind, pd.read_parquet(io.BytesIO(payload)))


def _write_parquet(table: pa.Table) -> bytes:
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=False)  # slices are always read whole
    return buf.getvalue()


_ARROW_TYPES = {INT: pa.int64(), FLOAT: pa.float64(), BOOL: pa.bool_()}
DICTIONARY_SHARE = 0.25  # a text column with at most this share of distinct values is stored dictionary-encoded


def _is_canonical(kind: str, frame: pd.DataFrame) -> bool:
    cols = TABLES[kind]
    return list(frame.columns) == list(cols) and all(str(frame[c].dtype) == t for c, t in cols.items())


def _text_to_arrow(values) -> pa.Array:
    """An object array of str/None (NaN counts as None) -> Arrow text: dictionary-encoded when it has few distinct
    values (codes, ids: read back as a dictionary, so loading makes one Python str per distinct value, not per row),
    plain otherwise (the keyed hashes). Raises ArrowTypeError for values that are not text.

    Distinct values are found by object identity first (an importer's column repeats a few parsed objects); where
    equal texts are separate objects (frames from pandas strings or workbooks), by value, unless the first 1,000
    values already show a column of mostly distinct values."""
    n = len(values)
    codes, objects = object_codes(values)
    if len(objects) <= DICTIONARY_SHARE * n:
        value_codes, uniques = pd.factorize(objects, use_na_sentinel=True)  # equal text in two objects: one entry
        codes = value_codes[codes]
    elif len(pd.unique(values[:1000])) <= DICTIONARY_SHARE * min(n, 1000):
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if len(uniques) > DICTIONARY_SHARE * n:
            return pa.array(values, type=pa.string(), from_pandas=True)
    else:
        return pa.array(values, type=pa.string(), from_pandas=True)
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32), mask=codes < 0),
                                          pa.array(uniques, type=pa.string(), from_pandas=True))


def to_arrow(kind: str, frame: pd.DataFrame) -> pa.Table:
    """A frame of the kind as the Arrow table that storage writes (canonical columns, in canonical order).

    A frame that already has the canonical columns and dtypes (what the importers build) is converted column by
    column without `conform`, which would copy and check every cell of every text column once more."""
    if _is_canonical(kind, frame):
        try:
            return _arrow_columns(kind, frame)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            pass  # a text column holds other values (numbers ...): conform makes text of them
    return _arrow_columns(kind, conform(kind, frame))


def _arrow_columns(kind: str, frame: pd.DataFrame) -> pa.Table:
    arrays, fields = [], []
    for col, dtype in TABLES[kind].items():
        s = frame[col]
        if dtype == STR:
            arr = _text_to_arrow(s.to_numpy(dtype=object))
        else:
            arr = pa.array(s.array, type=_ARROW_TYPES[dtype], from_pandas=True)
        arrays.append(arr)
        fields.append(pa.field(col, arr.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _text_values(chunk: pa.Array) -> np.ndarray:
    """One stored Arrow text column chunk -> object array of str/None (one Python str per distinct value where the
    chunk is dictionary-encoded)."""
    t = chunk.type
    if pa.types.is_dictionary(t) and (pa.types.is_string(t.value_type) or pa.types.is_large_string(t.value_type)):
        k = len(chunk.dictionary)
        uniques = np.empty(k + 1, dtype=object)
        uniques[:k] = chunk.dictionary.to_pylist()
        uniques[k] = None
        return uniques[chunk.indices.fill_null(k).to_numpy(zero_copy_only=False)]
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return chunk.to_numpy(zero_copy_only=False)
    if pa.types.is_null(t):
        return np.full(len(chunk), None, dtype=object)
    return _text_column(pd.Series(chunk.to_pandas()))  # numbers etc. in a text column (as conform does)


_INFERRED_TEXT = pd.Series(np.array(["x"], dtype=object)).dtype  # what pandas makes of a column of str


def _is_text(t: pa.DataType) -> bool:
    if pa.types.is_dictionary(t):
        t = t.value_type
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t)


def _text_series(chunks: list[pa.Array]) -> pd.Series:
    """Stored chunks of a text column -> the column as loading always gave it (`conform`, then pandas' inference
    when the frame is built): pandas' str dtype (missing = NaN) where the column holds any text, an object column
    of None where it holds none. Built from Arrow directly: no Python str per row, no inference pass."""
    n = sum(len(c) for c in chunks)
    if not all(_is_text(c.type) for c in chunks) or _INFERRED_TEXT == object:
        values = np.concatenate([_text_values(c) for c in chunks]) if chunks else np.empty(0, dtype=object)
        return pd.Series(values)  # numbers etc. in a text column: as before, text, then pandas' inference
    if all(c.null_count == len(c) for c in chunks):
        return pd.Series(np.full(n, None, dtype=object), dtype=object, copy=False)
    arr = pa.chunked_array([c.cast(pa.large_string()) for c in chunks], type=pa.large_string())
    return pd.Series(_INFERRED_TEXT.__from_arrow__(arr), copy=False)


def _typed_values(dtype: str, chunks: list[pa.Array]):
    """Stored Arrow chunks of a count/amount/flag column -> the pandas extension array of `dtype`."""
    target = _ARROW_TYPES[dtype]
    if all(c.type == target or pa.types.is_null(c.type) for c in chunks):
        arr = pa.chunked_array([c if c.type == target else c.cast(target) for c in chunks], type=target)
        return pd.api.types.pandas_dtype(dtype).__from_arrow__(arr)
    parts = [pd.Series(c.to_pandas()) for c in chunks]
    return pd.concat(parts, ignore_index=True).astype(dtype).array  # other stored types: as conform does


def from_arrow(kind: str, tables: list[pa.Table]) -> pd.DataFrame:
    """The canonical frame of the kind from stored Arrow tables (slices), column by column (no `to_pandas` of the
    whole table and no second pass through `conform`); the same columns and dtypes as `conform` gave."""
    n = sum(t.num_rows for t in tables)
    cols = {}
    for col, dtype in TABLES[kind].items():
        chunks = []
        for t in tables:
            if col in t.column_names:
                chunks.extend(c for c in t.column(col).chunks if len(c))
            elif t.num_rows:
                chunks.append(pa.nulls(t.num_rows))
        if dtype == STR:
            cols[col] = _text_series(chunks)
        else:
            cols[col] = pd.Series(_typed_values(dtype, chunks) if chunks else pd.array([], dtype=dtype), copy=False)
    return pd.DataFrame(cols, index=pd.RangeIndex(n), copy=False)


def _lock_tenant(conn: Connection, tenant_id: int) -> int:
    """Bump and return the tenant's data version; the row lock serialises writers of one tenant (PostgreSQL)."""
    n = conn.execute(update(db.tenants).where(db.tenants.c.id == tenant_id)
                     .values(data_version=db.tenants.c.data_version + 1)).rowcount
    if n != 1:
        raise StoreError("Dieses Jugendamt gibt es nicht.")
    return conn.execute(select(db.tenants.c.data_version).where(db.tenants.c.id == tenant_id)).scalar_one()


def _next_version(conn: Connection, tenant_id: int) -> int:
    last = conn.execute(select(func.max(db.versions.c.version)).where(db.versions.c.tenant_id == tenant_id)).scalar()
    return (last or 0) + 1


def _split(kind: str, frame: pd.DataFrame) -> list[tuple[int, pa.Table]]:
    """The frame as Arrow tables per year (rows in their order; rows without a year are not stored), or one table
    for the kinds replaced whole."""
    table = to_arrow(kind, frame)
    if kind in WHOLE_KINDS:
        return [(WHOLE_YEAR, table)]
    jahr = table.column("jahr").to_numpy(zero_copy_only=False)  # float with NaN where missing
    valid = ~np.isnan(jahr) if jahr.dtype.kind == "f" else np.ones(len(jahr), dtype=bool)
    if not valid.all():
        table, jahr = table.filter(pa.array(valid)), jahr[valid]
    jahr = jahr.astype(np.int64)
    if len(jahr) > 1 and (np.diff(jahr) < 0).any():
        order = np.argsort(jahr, kind="stable")  # the rows of a year keep their order (as groupby does)
        table, jahr = table.take(pa.array(order)), jahr[order]
    years, starts, counts = np.unique(jahr, return_index=True, return_counts=True)
    return [(int(y), table.slice(int(a), int(c))) for y, a, c in zip(years, starts, counts)]


PARALLEL_ROWS = 200_000  # from this many rows the slices are encoded in parallel (Arrow releases the GIL)


def _payloads(parts: dict[str, list[tuple[int, pa.Table]]]) -> dict[tuple[str, int], tuple[bytes, int]]:
    """The Parquet payload and row count per (kind, year)."""
    items = [((k, y), t) for k, v in parts.items() for y, t in v]
    if len(items) > 1 and sum(t.num_rows for _, t in items) >= PARALLEL_ROWS:
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            blobs = list(pool.map(_write_parquet, [t for _, t in items]))
    else:
        blobs = [_write_parquet(t) for _, t in items]
    return {key: (blob, t.num_rows) for (key, t), blob in zip(items, blobs)}


def _make_current(conn: Connection, tenant_id: int, kind: str, jahr: int, slice_id: int) -> None:
    c = db.current_slices
    conn.execute(delete(c).where(and_(c.c.tenant_id == tenant_id, c.c.kind == kind, c.c.jahr == jahr)))
    conn.execute(insert(c).values(tenant_id=tenant_id, kind=kind, jahr=jahr, slice_id=slice_id))


def _personal_column(spalte: str) -> bool:
    """Record columns whose values are not kept anywhere (Kennnummer, Geburtsmonat, Geburtsjahr)."""
    low = (spalte or "").casefold()
    return "kennnummer" in low or "geburt" in low


def save_import(engine: Engine, tenant_id: int, user: str, result: ImportResult, data: bytes) -> int:
    """Store an accepted import as a new version and make it current. Returns the version number."""
    if not result.ok:
        raise StoreError("Die Datei enthält Fehler und wurde nicht gespeichert.")
    parts = {kind: _split(kind, frame) for kind, frame in result.tables.items() if kind in TABLES}
    parts = {k: v for k, v in parts.items() if v}
    if not parts:
        raise StoreError("Die Datei enthält keine Daten, die gespeichert werden könnten.")
    arten = {k: (None if k in WHOLE_KINDS else [y for y, _ in v]) for k, v in parts.items()}
    zeilen = {k: int(sum(t.num_rows for _, t in v)) for k, v in parts.items()}
    # findings kept with the version; case numbers and birth dates are personal data and never stored
    # (einzeldaten.md: minimisation), so a finding about those columns keeps its message but not the cell value
    notes = [{**f.as_dict(), "wert": "" if _personal_column(f.spalte) else f.as_dict()["wert"]}
             for f in result.findings if f.schwere != FEHLER][:500]
    payloads = _payloads(parts)
    with _storage_guard(), write_transaction(engine) as conn:
        _lock_tenant(conn, tenant_id)
        number = _next_version(conn, tenant_id)
        version_id = conn.execute(insert(db.versions).values(
            tenant_id=tenant_id, version=number, created_at=datetime.now(timezone.utc), benutzer=user,
            datei=result.datei[:255], datei_hash=file_hash(data), import_kind=result.kind,
            arten=json.dumps(arten), zeilen=json.dumps(zeilen), findings=json.dumps(notes, ensure_ascii=False),
        ).returning(db.versions.c.id)).scalar_one()
        for (kind, jahr), (payload, rows) in payloads.items():
            slice_id = conn.execute(insert(db.slices).values(
                tenant_id=tenant_id, version_id=version_id, kind=kind, jahr=jahr, zeilen=rows, payload=payload,
            ).returning(db.slices.c.id)).scalar_one()
            _make_current(conn, tenant_id, kind, jahr, slice_id)
        log_event(conn, tenant_id, user, "upload", f"Version {number}: {result.datei[:200]}")
    return number


def rollback(engine: Engine, tenant_id: int, user: str, version: int) -> int:
    """Make the data of upload `version` current again, as a new version that copies its slices."""
    with _storage_guard(), write_transaction(engine) as conn:
        src = conn.execute(select(db.versions).where(and_(
            db.versions.c.tenant_id == tenant_id, db.versions.c.version == version))).first()
        if src is None:
            raise StoreError(f"Eine Version {version} gibt es für dieses Jugendamt nicht.")
        _lock_tenant(conn, tenant_id)
        number = _next_version(conn, tenant_id)
        version_id = conn.execute(insert(db.versions).values(
            tenant_id=tenant_id, version=number, created_at=datetime.now(timezone.utc), benutzer=user,
            datei=src.datei, datei_hash=src.datei_hash, import_kind=src.import_kind, arten=src.arten,
            zeilen=src.zeilen, findings="[]", rollback_of=version,
        ).returning(db.versions.c.id)).scalar_one()
        rows = conn.execute(select(db.slices).where(and_(
            db.slices.c.tenant_id == tenant_id, db.slices.c.version_id == src.id))).all()
        for r in rows:
            slice_id = conn.execute(insert(db.slices).values(
                tenant_id=tenant_id, version_id=version_id, kind=r.kind, jahr=r.jahr, zeilen=r.zeilen,
                payload=r.payload).returning(db.slices.c.id)).scalar_one()
            _make_current(conn, tenant_id, r.kind, r.jahr, slice_id)
        log_event(conn, tenant_id, user, "wiederherstellung", f"Version {version} als Version {number}")
    return number


def data_version(engine: Engine, tenant_id: int) -> int:
    with engine.connect() as conn:
        v = conn.execute(select(db.tenants.c.data_version).where(db.tenants.c.id == tenant_id)).scalar()
    return int(v or 0)


def current_frames(engine: Engine, tenant_id: int, kinds: tuple[str, ...] | None = None) -> dict[str, pd.DataFrame]:
    """The tenant's current canonical frames per kind (every kind of TABLES; empty where nothing is stored)."""
    c, s = db.current_slices, db.slices
    q = (select(s.c.kind, s.c.jahr, s.c.payload).select_from(c.join(s, c.c.slice_id == s.c.id))
         .where(and_(c.c.tenant_id == tenant_id, s.c.tenant_id == tenant_id)).order_by(s.c.kind, s.c.jahr))
    if kinds:
        q = q.where(c.c.kind.in_(kinds))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    # Arrow tables of a kind are converted column by column into one frame (from_arrow): per-slice conversion and a
    # second pass through `conform` cost more than the reading itself (bench/results/latest.md)
    parts: dict[str, list[pa.Table]] = {}
    for r in rows:
        table = pq.read_table(io.BytesIO(r.payload))
        if table.num_rows:
            parts.setdefault(r.kind, []).append(table)
    out = {}
    for kind in (kinds or TABLES):
        tables = parts.get(kind)
        out[kind] = from_arrow(kind, tables) if tables else empty(kind)
    return out


@dataclass
class VersionInfo:
    version: int
    arten: dict
    datei: str
    zeilen: dict
    benutzer: str
    zeitpunkt: datetime
    aktuell: dict
    import_kind: str
    rollback_of: int | None
    findings: list

    def as_json(self) -> dict:
        return {"version": self.version, "arten": self.arten, "datei": self.datei, "zeilen": self.zeilen,
                "benutzer": self.benutzer, "zeitpunkt": self.zeitpunkt.isoformat(timespec="seconds"),
                "aktuell": self.aktuell}

    def describe_arten(self) -> str:
        return describe(self.arten)


def describe(arten: dict) -> str:
    """German text of kinds and years, e.g. "Sozialräume; Bevölkerung 2015–2024"."""
    out = []
    for kind, years in arten.items():
        label = KIND_LABELS.get(kind, kind)
        out.append(label if years is None else f"{label} {_years_text(years)}")
    return "; ".join(out)


def _years_text(years: list[int]) -> str:
    if not years:
        return ""
    ys = sorted(years)
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 2:
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def list_versions(engine: Engine, tenant_id: int) -> list[VersionInfo]:
    v, s, c = db.versions, db.slices, db.current_slices
    with engine.connect() as conn:
        rows = conn.execute(select(v).where(v.c.tenant_id == tenant_id).order_by(v.c.version)).all()
        cur = conn.execute(select(s.c.version_id, s.c.kind, s.c.jahr).select_from(c.join(s, c.c.slice_id == s.c.id))
                           .where(c.c.tenant_id == tenant_id)).all()
    current: dict[int, dict] = {}
    for r in cur:
        d = current.setdefault(r.version_id, {})
        if r.jahr == WHOLE_YEAR:
            d[r.kind] = None
        else:
            d.setdefault(r.kind, []).append(r.jahr)
    out = []
    for r in rows:
        created = r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=timezone.utc)
        out.append(VersionInfo(r.version, json.loads(r.arten), r.datei, json.loads(r.zeilen), r.benutzer, created,
                               {k: (sorted(y) if y is not None else None) for k, y in current.get(r.id, {}).items()},
                               r.import_kind, r.rollback_of, json.loads(r.findings)))
    return out


def last_version(engine: Engine, tenant_id: int) -> VersionInfo | None:
    vs = list_versions(engine, tenant_id)
    return vs[-1] if vs else None


def inventory(engine: Engine, tenant_id: int) -> dict[str, list[int] | None]:
    """Per kind the years currently stored (None for kinds replaced whole). No figures."""
    c = db.current_slices
    with engine.connect() as conn:
        rows = conn.execute(select(c.c.kind, c.c.jahr).where(c.c.tenant_id == tenant_id)).all()
    out: dict[str, list[int] | None] = {}
    for r in rows:
        if r.jahr == WHOLE_YEAR:
            out[r.kind] = None
        else:
            out.setdefault(r.kind, []).append(r.jahr)
    return {k: (sorted(v) if v is not None else None) for k, v in out.items()}


def delete_versions_before(engine: Engine, tenant_id: int, user: str, version: int) -> int:
    """Delete versions older than `version` whose slices are no longer current. Returns how many were deleted."""
    v, s, c = db.versions, db.slices, db.current_slices
    with _storage_guard(), write_transaction(engine) as conn:
        in_use = {r.version_id for r in conn.execute(
            select(s.c.version_id).select_from(c.join(s, c.c.slice_id == s.c.id)).where(c.c.tenant_id == tenant_id))}
        old = conn.execute(select(v.c.id, v.c.version).where(and_(v.c.tenant_id == tenant_id, v.c.version < version))).all()
        ids = [r.id for r in old if r.id not in in_use]
        if ids:
            conn.execute(delete(s).where(and_(s.c.tenant_id == tenant_id, s.c.version_id.in_(ids))))
            conn.execute(delete(v).where(and_(v.c.tenant_id == tenant_id, v.c.id.in_(ids))))
            what = "1 Version" if len(ids) == 1 else f"{len(ids)} Versionen"
            log_event(conn, tenant_id, user, "versionen_geloescht", f"{what} vor Version {version}")
    return len(ids)


def error_findings_message(findings: list[Finding]) -> str:
    n = sum(1 for f in findings if f.schwere == FEHLER)
    return f"{n} Fehler gefunden – es wurde nichts gespeichert."
