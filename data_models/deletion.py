"""Deleting data for real (DSGVO): rows are removed, not flagged.

- `delete_tenant`: the tenant and every row of every table that carries its `tenant_id` (found from the table
  definitions, so a table added later is covered without touching this module), plus the login attempts of its
  users, in one transaction. Nothing of the tenant is kept on disk outside the database (uploads live as slices in
  the database). What remains is one entry in the operator's log (tenant-less): who deleted which office when.
- `delete_own_tenant`: the same for an admin on *Verwaltung*, after the office's name was typed as confirmation.
- `purge_expired`: retention limits (login attempts, finished invitations, old audit entries), run at app start.
- Deleting old versions of the data is `store.delete_versions_before` (versions that still hold current data stay).
"""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, or_, select
from sqlalchemy.engine import Engine

from data_models import db
from data_models.audit import log_event
from data_models.db import write_transaction

LOGIN_ATTEMPT_DAYS = 1  # throttling looks back 15 minutes; a day is enough to spot an attack in the database
INVITATION_DAYS = 30  # used, revoked or expired invitations and password links are kept this long for the list
AUDIT_DAYS_DEFAULT = 730  # STRATEGIEKARTE_PROTOKOLL_TAGE


class DeletionError(Exception):
    """A deletion the user asked for that is refused (German message)."""


def tenant_tables() -> list:
    """Every table with a `tenant_id` column, dependent tables first (safe delete order)."""
    return [t for t in reversed(db.metadata.sorted_tables) if "tenant_id" in t.c]


def delete_tenant(engine: Engine, tenant_id: int, actor: str = "Kommandozeile") -> dict[str, int]:
    """Remove the tenant and every row that carries its id, in one transaction. Returns rows deleted per table."""
    counts: dict[str, int] = {}
    with write_transaction(engine) as conn:
        row = conn.execute(select(db.tenants.c.slug, db.tenants.c.name).where(db.tenants.c.id == tenant_id)).first()
        if row is None:
            raise DeletionError("Dieses Jugendamt gibt es nicht (mehr).")
        user_keys = list(conn.execute(select(db.users.c.username_key).where(db.users.c.tenant_id == tenant_id))
                         .scalars())
        for table in tenant_tables():
            counts[table.name] = conn.execute(delete(table).where(table.c.tenant_id == tenant_id)).rowcount
        if user_keys:
            a = db.login_attempts
            counts["login_attempts"] = conn.execute(delete(a).where(a.c.username_key.in_(user_keys))).rowcount
        counts["tenants"] = conn.execute(delete(db.tenants).where(db.tenants.c.id == tenant_id)).rowcount
        log_event(conn, None, actor, "jugendamt_geloescht", f"„{row.name}“ ({row.slug}) mit allen Daten gelöscht")
    return counts


def name_matches(tenant_name: str, typed: str) -> bool:
    """The typed confirmation: the office's name, ignoring letter case and extra spaces."""
    def fold(text: str) -> str:
        return " ".join(str(text or "").split()).casefold()

    return bool(fold(typed)) and fold(typed) == fold(tenant_name)


def delete_own_tenant(engine: Engine, tenant_id: int, actor: str, typed_name: str) -> dict[str, int]:
    """An admin deletes their own office with everything in it, after typing its name."""
    with engine.connect() as conn:
        row = conn.execute(select(db.tenants.c.name, db.tenants.c.is_demo).where(db.tenants.c.id == tenant_id)).first()
    if row is None:
        raise DeletionError("Dieses Jugendamt gibt es nicht (mehr).")
    if row.is_demo:
        raise DeletionError("Die Demo-Kommune wird mit „manage.py seed-demo --reset“ erneuert, nicht hier gelöscht.")
    if not name_matches(row.name, typed_name):
        raise DeletionError(f"Der eingegebene Name stimmt nicht mit „{row.name}“ überein. Es wurde nichts gelöscht.")
    return delete_tenant(engine, tenant_id, actor=actor)


def versions_deletable_before(engine: Engine, tenant_id: int, version: int) -> list[int]:
    """The version numbers `store.delete_versions_before(version)` would delete: older than `version` and holding no
    current data (a version whose data are still current stays, or the data would be lost)."""
    v, s, c = db.versions, db.slices, db.current_slices
    with engine.connect() as conn:
        in_use = set(conn.execute(select(s.c.version_id).select_from(c.join(s, c.c.slice_id == s.c.id))
                                  .where(c.c.tenant_id == tenant_id)).scalars())
        rows = conn.execute(select(v.c.id, v.c.version).where(v.c.tenant_id == tenant_id, v.c.version < version)
                            .order_by(v.c.version)).all()
    return [r.version for r in rows if r.id not in in_use]


def audit_days() -> int:
    """How long audit entries are kept (days); `STRATEGIEKARTE_PROTOKOLL_TAGE`, default 730 (two years)."""
    try:
        return max(1, int(os.environ.get("STRATEGIEKARTE_PROTOKOLL_TAGE", AUDIT_DAYS_DEFAULT)))
    except ValueError:
        return AUDIT_DAYS_DEFAULT


def purge_expired(engine: Engine, now: datetime | None = None) -> dict[str, int]:
    """Delete what has outlived its purpose: login attempts after a day, finished invitations after 30 days,
    audit entries after `audit_days()`. Returns rows deleted per table."""
    now = now or datetime.now(timezone.utc)
    a, i, log = db.login_attempts, db.invitations, db.audit_log
    inv_cut = now - timedelta(days=INVITATION_DAYS)
    with write_transaction(engine) as conn:
        return {
            "login_attempts": conn.execute(delete(a).where(a.c.at < now - timedelta(days=LOGIN_ATTEMPT_DAYS))).rowcount,
            "invitations": conn.execute(delete(i).where(or_(
                i.c.expires_at < inv_cut, i.c.used_at < inv_cut, i.c.revoked_at < inv_cut))).rowcount,
            "audit_log": conn.execute(delete(log).where(log.c.at < now - timedelta(days=audit_days()))).rowcount,
        }

