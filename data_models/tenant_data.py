"""What the pages and the command line do with a tenant's data: import, load, describe.

Every function takes the tenant first (after the engine); callers pass the tenant of the session, never a value the
browser sent.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine

from data_models import db, store
from data_models.importers import run_importer
from data_models.importers.base import ImportContext, ImportResult
from data_models.schema import Dataset


def tenant_secret(engine: Engine, tenant_id: int) -> bytes:
    with engine.connect() as conn:
        secret = conn.execute(select(db.tenants.c.secret).where(db.tenants.c.id == tenant_id)).scalar_one()
    return bytes.fromhex(secret)


def import_context(engine: Engine, tenant_id: int, *, year: int | None = None, crs: str | None = None,
                   id_property: str | None = None) -> ImportContext:
    frames = store.current_frames(engine, tenant_id, kinds=("sozialraeume",))
    return ImportContext(sozialraeume=frames["sozialraeume"], hash_key=tenant_secret(engine, tenant_id), year=year,
                         crs=crs, id_property=id_property)


@dataclass
class ImportOutcome:
    result: ImportResult
    version: int | None  # None: refused or dry run


def import_file(engine: Engine, tenant_id: int, user: str, data: bytes, filename: str, *, kind: str | None = None,
                year: int | None = None, crs: str | None = None, id_property: str | None = None,
                dry_run: bool = False) -> ImportOutcome:
    """Validate and convert a file; store it as a new version unless it has errors or this is a dry run."""
    ctx = import_context(engine, tenant_id, year=year, crs=crs, id_property=id_property)
    result = run_importer(data, filename, kind, ctx)
    if dry_run or not result.ok:
        return ImportOutcome(result, None)
    return ImportOutcome(result, store.save_import(engine, tenant_id, user, result, data))


def load_dataset(engine: Engine, tenant_id: int, tenant_name: str = "") -> Dataset:
    """The tenant's current data, derived (records assigned and aggregated) and ready for the indicators."""
    from data_models.derive import derive_dataset

    version = store.data_version(engine, tenant_id)
    return derive_dataset(store.current_frames(engine, tenant_id), tenant_name=tenant_name, data_version=version)


def preview(engine: Engine, tenant_id: int, result: ImportResult):
    """What an accepted import would change: per data kind the years, new rows and rows stored so far."""
    import pandas as pd

    from data_models.schema import KIND_LABELS, WHOLE_KINDS

    current = store.current_frames(engine, tenant_id, kinds=tuple(result.tables))
    rows = []
    for kind, frame in result.tables.items():
        before = current.get(kind)
        if kind in WHOLE_KINDS:
            years_text, old = "alle (wird ganz ersetzt)", 0 if before is None else len(before)
        else:
            years = sorted(int(y) for y in frame["jahr"].dropna().unique())
            years_text = ", ".join(str(y) for y in years)
            old = 0 if before is None or not len(before) else int(before["jahr"].isin(years).sum())
        n_sr = int(frame["sozialraum_id"].nunique()) if "sozialraum_id" in frame.columns else "–"
        rows.append({"Datenart": KIND_LABELS.get(kind, kind), "Jahre": years_text, "Zeilen neu": len(frame),
                     "Zeilen bisher (dieselben Jahre)": old, "Sozialräume": str(n_sr)})
    return pd.DataFrame(rows)
