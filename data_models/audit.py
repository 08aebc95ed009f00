"""Audit log per tenant (privacy.md "Data protection"): who did what when. Never a password, token, code or figure.

Entries are written inside the transaction of the change they describe (`log_event`), so a change that fails leaves
no entry and an entry never describes something that did not happen. `details` name the object (a version number,
a file name, a user name, a link's label), never its contents. Entries with `tenant_id` NULL are the operator's
(deletion of a whole office); no page shows them. Old entries are removed by `deletion.purge_expired`.

Who writes what (action ids; German labels in ACTION_LABELS):
- accounts: registrierung, anmeldung, anmeldung_fehlgeschlagen (for an existing user name), benutzer_angelegt,
  rolle_geaendert, benutzer_entfernt, einladung_*, passwort_*, einwilligung; components.session: abmeldung
- store: upload, wiederherstellung, versionen_geloescht; workshops: workshop_link_*; peer_groups: gebietstyp
- manage.py export: export; components.downloads: download (every table download from a page, when it is built)
- deletion: jugendamt_geloescht (operator entry)
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pandas as pd
from sqlalchemy import and_, insert, select
from sqlalchemy.engine import Connection, Engine

from data_models import db

ACTION_LABELS = {
    "registrierung": "Registrierung",
    "anmeldung": "Anmeldung",
    "anmeldung_fehlgeschlagen": "Anmeldung fehlgeschlagen",
    "abmeldung": "Abmeldung",
    "upload": "Upload",
    "wiederherstellung": "Wiederherstellung",
    "versionen_geloescht": "Alte Versionen gelöscht",
    "export": "Export",
    "download": "Download",
    "bericht": "Bericht",
    "benutzer_angelegt": "Benutzer angelegt",
    "benutzer_entfernt": "Benutzer entfernt",
    "rolle_geaendert": "Rolle geändert",
    "einladung_erstellt": "Einladung erstellt",
    "einladung_widerrufen": "Einladung widerrufen",
    "einladung_angenommen": "Einladung angenommen",
    "passwort_link_erstellt": "Passwort-Link erstellt",
    "passwort_geaendert": "Passwort geändert",
    "passwort_zurueckgesetzt": "Passwort zurückgesetzt",
    "einwilligung": "Einwilligung Programmvergleich",
    "gebietstyp": "Gebietstyp geändert",
    "workshop_link_erstellt": "Workshop-Link erstellt",
    "workshop_link_widerrufen": "Workshop-Link widerrufen",
    "jugendamt_bestaetigt": "Jugendamt bestätigt",
    "jugendamt_geloescht": "Jugendamt gelöscht",
}
COLUMNS = ["Zeitpunkt", "Benutzer", "Aktion", "Details"]


def _zone():
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Berlin")
    except Exception:  # no time zone database on this machine: show UTC
        return timezone.utc


LOCAL = _zone()


def label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


def log_event(conn: Connection, tenant_id: int | None, user: str, action: str, details: str = "") -> None:
    """Write one entry inside the caller's transaction."""
    conn.execute(insert(db.audit_log).values(
        tenant_id=tenant_id, at=datetime.now(timezone.utc), benutzer=(user or "")[:64], aktion=action[:40],
        details=(details or "")[:500]))


def log(engine: Engine, tenant_id: int | None, user: str, action: str, details: str = "") -> None:
    """Write one entry in its own transaction (events that change nothing else: export, download, logout)."""
    with engine.begin() as conn:
        log_event(conn, tenant_id, user, action, details)


def read_log(engine: Engine, tenant_id: int, *, actions: list[str] | None = None, user: str | None = None,
             since: date | None = None, until: date | None = None, limit: int = 5000) -> pd.DataFrame:
    """The tenant's entries, newest first: Zeitpunkt (German local time), Benutzer, Aktion (German), Details.

    `actions` are action ids; `since`/`until` are calendar days in German local time, both included."""
    a = db.audit_log
    cond = [a.c.tenant_id == tenant_id]
    if actions:
        cond.append(a.c.aktion.in_(list(actions)))
    if user:
        cond.append(a.c.benutzer == user)
    if since:
        cond.append(a.c.at >= _utc(datetime.combine(since, time.min, LOCAL)))
    if until:
        cond.append(a.c.at < _utc(datetime.combine(until + timedelta(days=1), time.min, LOCAL)))
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.at, a.c.benutzer, a.c.aktion, a.c.details).where(and_(*cond))
                            .order_by(a.c.at.desc(), a.c.id.desc()).limit(limit)).all()
    return pd.DataFrame([(_local(r.at), r.benutzer, label(r.aktion), r.details) for r in rows], columns=COLUMNS)


def log_choices(engine: Engine, tenant_id: int) -> tuple[list[str], list[str]]:
    """The action ids and user names that occur in the tenant's log (for the filters), sorted."""
    a = db.audit_log
    with engine.connect() as conn:
        actions = conn.execute(select(a.c.aktion).where(a.c.tenant_id == tenant_id).distinct()).scalars().all()
        users = conn.execute(select(a.c.benutzer).where(a.c.tenant_id == tenant_id).distinct()).scalars().all()
    return sorted(actions, key=label), sorted(users, key=str.casefold)


def _utc(dt: datetime) -> datetime:
    return dt.astimezone(timezone.utc)


def _local(dt: datetime) -> datetime:
    """Stored as UTC (SQLite gives it back without zone) -> German local time."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(LOCAL)
