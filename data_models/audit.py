"""Audit log per tenant: who did what when. Never a password, token or figure."""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from data_models import db

ACTION_LABELS = {
    "registrierung": "Registrierung",
    "anmeldung": "Anmeldung",
    "anmeldung_fehlgeschlagen": "Anmeldung fehlgeschlagen",
    "abmeldung": "Abmeldung",
    "upload": "Upload",
    "wiederherstellung": "Wiederherstellung",
    "export": "Export",
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
}


def log_event(conn: Connection, tenant_id: int | None, user: str, action: str, details: str = "") -> None:
    """Write one entry inside the caller's transaction."""
    conn.execute(insert(db.audit_log).values(
        tenant_id=tenant_id, at=datetime.now(timezone.utc), benutzer=(user or "")[:64], aktion=action,
        details=(details or "")[:500]))


def log(engine: Engine, tenant_id: int | None, user: str, action: str, details: str = "") -> None:
    with engine.begin() as conn:
        log_event(conn, tenant_id, user, action, details)


def read_log(engine: Engine, tenant_id: int, limit: int = 2000) -> pd.DataFrame:
    a = db.audit_log
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.at, a.c.benutzer, a.c.aktion, a.c.details)
                            .where(a.c.tenant_id == tenant_id).order_by(a.c.at.desc()).limit(limit)).all()
    frame = pd.DataFrame(rows, columns=["Zeitpunkt", "Benutzer", "Aktion", "Details"])
    frame["Aktion"] = frame["Aktion"].map(lambda v: ACTION_LABELS.get(v, v))
    return frame
