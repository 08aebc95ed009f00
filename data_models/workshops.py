"""Workshop links: an admin hands out a link that opens the tenant's dashboard read-only for guests, with
suppression (privacy.md). The token is random (`secrets.token_urlsafe(24)`: 192 bits), stored only as its
SHA-256 hash, expires (default 14 days) and can be revoked. `resolve(engine, token)` is called on every run of a
guest's session, so a revocation takes effect at the next rerun.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Engine

from data_models import db
from data_models.audit import log_event

DEFAULT_DAYS = 14
MAX_DAYS = 90
MAX_LABEL = 120
TOKEN_BYTES = 24  # 192 bits (privacy.md: at least 128)

STATUS_ACTIVE, STATUS_EXPIRED, STATUS_REVOKED = "gültig", "abgelaufen", "widerrufen"


class WorkshopError(Exception):
    """A refusal in German (an unusable link, a bad label or expiry)."""


@dataclass(frozen=True)
class WorkshopLink:
    id: int
    tenant_id: int
    label: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None

    def status(self, at: datetime | None = None) -> str:
        if self.revoked_at is not None:
            return STATUS_REVOKED
        if self.expires_at <= (at or now()):
            return STATUS_EXPIRED
        return STATUS_ACTIVE


def now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(dt: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes: they were stored as UTC."""
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def _link(row) -> WorkshopLink:
    return WorkshopLink(row.id, row.tenant_id, row.label, row.created_by, _aware(row.created_at),
                        _aware(row.expires_at), _aware(row.revoked_at))


def create_link(engine: Engine, tenant_id: int, actor: str, label: str, days: int = DEFAULT_DAYS,
                at: datetime | None = None) -> tuple[str, WorkshopLink]:
    """A new link for the tenant: returns the token (shown once, for `?workshop=TOKEN`) and the stored link."""
    label = " ".join((label or "").split())
    if not label:
        raise WorkshopError("Bitte eine Bezeichnung angeben (z. B. „Workshop Jugendhilfeausschuss März“).")
    if len(label) > MAX_LABEL:
        raise WorkshopError(f"Die Bezeichnung darf höchstens {MAX_LABEL} Zeichen lang sein.")
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise WorkshopError(f"Die Gültigkeit muss zwischen 1 und {MAX_DAYS} Tagen liegen.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    created = at or now()
    with db.write_transaction(engine) as conn:
        exists = conn.execute(select(db.tenants.c.id).where(db.tenants.c.id == tenant_id)).first()
        if exists is None:
            raise WorkshopError("Dieses Jugendamt gibt es nicht.")
        link_id = conn.execute(insert(db.workshop_links).values(
            tenant_id=tenant_id, token_hash=token_hash(token), label=label, created_by=actor, created_at=created,
            expires_at=created + timedelta(days=days)).returning(db.workshop_links.c.id)).scalar_one()
        log_event(conn, tenant_id, actor, "workshop_link_erstellt", f"„{label}“, {days} Tage gültig")
        row = conn.execute(select(db.workshop_links).where(db.workshop_links.c.id == link_id)).one()
    return token, _link(row)


def list_links(engine: Engine, tenant_id: int) -> list[WorkshopLink]:
    """The tenant's links, newest first."""
    w = db.workshop_links
    with engine.connect() as conn:
        rows = conn.execute(select(w).where(w.c.tenant_id == tenant_id).order_by(w.c.created_at.desc(),
                                                                                  w.c.id.desc())).all()
    return [_link(r) for r in rows]


def revoke_link(engine: Engine, tenant_id: int, actor: str, link_id: int) -> bool:
    """Revoke one of the tenant's links (a link of another tenant is left alone). True when it was open."""
    w = db.workshop_links
    with db.write_transaction(engine) as conn:
        row = conn.execute(select(w.c.label).where(and_(w.c.id == link_id, w.c.tenant_id == tenant_id,
                                                        w.c.revoked_at.is_(None)))).first()
        if row is None:
            return False
        conn.execute(update(w).where(and_(w.c.id == link_id, w.c.tenant_id == tenant_id)).values(revoked_at=now()))
        log_event(conn, tenant_id, actor, "workshop_link_widerrufen", f"„{row.label}“")
    return True


def resolve(engine: Engine, token: str | None, at: datetime | None = None) -> WorkshopLink:
    """The usable link behind `token`, or WorkshopError with a German message (unknown, expired, revoked)."""
    t = (token or "").strip()
    if not t or len(t) > 200:
        raise WorkshopError("Dieser Workshop-Link ist ungültig. Bitte fragen Sie die Moderation nach dem "
                            "aktuellen Link.")
    w = db.workshop_links
    with engine.connect() as conn:
        row = conn.execute(select(w).where(w.c.token_hash == token_hash(t))).first()
    if row is None:
        raise WorkshopError("Dieser Workshop-Link ist ungültig. Bitte fragen Sie die Moderation nach dem "
                            "aktuellen Link.")
    link = _link(row)
    status = link.status(at)
    if status == STATUS_REVOKED:
        raise WorkshopError("Dieser Workshop-Link wurde widerrufen. Die Daten sind nicht mehr abrufbar.")
    if status == STATUS_EXPIRED:
        raise WorkshopError(f"Dieser Workshop-Link ist am {link.expires_at:%d.%m.%Y} abgelaufen. Die Daten sind "
                            "nicht mehr abrufbar.")
    return link
