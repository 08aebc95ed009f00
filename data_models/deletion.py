"""Deleting data for real (DSGVO): rows are removed, not flagged."""
from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.engine import Engine

from data_models import db
from data_models.db import write_transaction


def delete_tenant(engine: Engine, tenant_id: int) -> None:
    """Remove the tenant and every row that carries its id, in one transaction."""
    with write_transaction(engine) as conn:
        for table in (db.current_slices, db.slices, db.versions, db.invitations, db.audit_log, db.users):
            conn.execute(delete(table).where(table.c.tenant_id == tenant_id))
        conn.execute(delete(db.tenants).where(db.tenants.c.id == tenant_id))
