"""Audit log per tenant (privacy.md): who, when, what for logins, uploads, rollbacks, exports, downloads, user and
settings changes, deletions; never a password, token, code or figure. SQLite and PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import insert, select

from data_models import accounts, audit, db, store, workshops
from data_models.importers.base import ImportResult
from data_models.permissions import Principal, can
from tests.conftest import ROOT

PW = "sicheres-passwort-1"
NEW_PW = "ganz-neues-passwort-2"


def upload(engine, tid, user: str, n: int) -> int:
    soz = pd.DataFrame({"sozialraum_id": ["01"], "name": ["Nord"]})
    bev = pd.DataFrame([{"jahr": 2023, "sozialraum_id": "01", "a0_3": n, "insgesamt": n * 10}])
    return store.save_import(engine, tid, user, ImportResult("masterdatei", "bevoelkerung.xlsx",
                                                              tables={"sozialraeume": soz, "bevoelkerung": bev}),
                             str(n).encode())


def entries(engine, tid) -> list[tuple[str, str, str]]:
    """(benutzer, aktion, details) oldest first."""
    a = db.audit_log
    with engine.connect() as conn:
        rows = conn.execute(select(a.c.benutzer, a.c.aktion, a.c.details).where(a.c.tenant_id == tid)
                            .order_by(a.c.id)).all()
    return [tuple(r) for r in rows]


def test_every_event_is_logged_without_secrets_or_figures(engine):
    tenant, anna = accounts.signup(engine, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna",
                                   email="anna@astadt.de", username="anna", password=PW, password2=PW)
    secrets_seen = [PW, NEW_PW]
    token, code = accounts.create_invitation(engine, tenant.id, "anna")
    secrets_seen += [token, code]
    bert = accounts.accept_invitation(engine, token, name="Bert", email="b@astadt.de", username="bert",
                                      password=PW, password2=PW)
    accounts.authenticate(engine, "anna", PW, client="10.0.0.1")
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(engine, "bert", "falsches-passwort-9", client="10.0.0.2")
    secrets_seen.append("falsches-passwort-9")
    with pytest.raises(accounts.AccountError):  # an unknown user name belongs to no tenant: no entry anywhere
        accounts.authenticate(engine, "niemand", PW, client="10.0.0.3")
    upload(engine, tenant.id, "anna", 4711)
    upload(engine, tenant.id, "anna", 815)
    store.rollback(engine, tenant.id, "anna", 1)
    store.delete_versions_before(engine, tenant.id, "anna", 3)
    accounts.set_role(engine, tenant.id, "anna", bert.id, "admin")
    accounts.set_role(engine, tenant.id, "anna", bert.id, "member")
    ptoken, pcode = accounts.create_invitation(engine, tenant.id, "anna", "passwort", user_id=bert.id)
    secrets_seen += [ptoken, pcode]
    accounts.use_password_link(engine, ptoken, NEW_PW, NEW_PW)
    accounts.set_consent(engine, tenant.id, "anna", True)
    wtoken, link = workshops.create_link(engine, tenant.id, "anna", "Workshop März", days=7)
    secrets_seen.append(wtoken)
    workshops.revoke_link(engine, tenant.id, "anna", link.id)
    accounts.reset_password(engine, "bert", PW)
    accounts.remove_user(engine, tenant.id, "anna", bert.id)

    assert entries(engine, tenant.id) == [
        ("anna", "registrierung", "Jugendamt „Jugendamt Astadt“ registriert"),
        ("anna", "einladung_erstellt", ""),
        ("bert", "einladung_angenommen", ""),
        ("anna", "anmeldung", ""),
        ("bert", "anmeldung_fehlgeschlagen", ""),
        ("anna", "upload", "Version 1: bevoelkerung.xlsx"),
        ("anna", "upload", "Version 2: bevoelkerung.xlsx"),
        ("anna", "wiederherstellung", "Version 1 als Version 3"),
        ("anna", "versionen_geloescht", "2 Versionen vor Version 3"),
        ("anna", "rolle_geaendert", "bert: member → admin"),
        ("anna", "rolle_geaendert", "bert: admin → member"),
        ("anna", "passwort_link_erstellt", "bert"),
        ("bert", "passwort_geaendert", ""),
        ("anna", "einwilligung", "ein"),
        ("anna", "workshop_link_erstellt", "„Workshop März“, 7 Tage gültig"),
        ("anna", "workshop_link_widerrufen", "„Workshop März“"),
        ("Kommandozeile", "passwort_zurueckgesetzt", "bert"),
        ("anna", "benutzer_entfernt", "bert"),
    ]
    with engine.connect() as conn:
        a = db.audit_log  # the timestamp is left out: its microseconds may contain any short digit string
        every = [" ".join(str(v) for v in r) for r in conn.execute(select(a.c.benutzer, a.c.aktion, a.c.details))]
    assert not any("niemand" in e for e in every)
    for text in every:
        for secret in secrets_seen:
            assert secret not in text
        assert "4711" not in text and "815" not in text  # no figure of the uploads


def test_read_log_filters_and_isolation(engine):
    a = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt")
    b = accounts.create_tenant(engine, slug="bstadt", name="Jugendamt Bstadt")
    # 23:30 German summer time on 30.06. is 21:30 UTC: the entry belongs to the 30th in the German calendar
    rows = [(a.id, datetime(2026, 6, 30, 21, 30, tzinfo=timezone.utc), "anna", "upload", "Version 1: m.xlsx"),
            (a.id, datetime(2026, 6, 30, 22, 30, tzinfo=timezone.utc), "bert", "anmeldung", ""),  # 01.07. 00:30
            (a.id, datetime(2026, 7, 2, 8, 0, tzinfo=timezone.utc), "anna", "download", "karte.csv"),
            (b.id, datetime(2026, 7, 1, 8, 0, tzinfo=timezone.utc), "cora", "upload", "Version 1: b.xlsx"),
            (None, datetime(2026, 7, 1, 9, 0, tzinfo=timezone.utc), "anna", "jugendamt_geloescht", "„X“")]
    with engine.begin() as conn:
        for tid, at, user, action, details in rows:
            conn.execute(insert(db.audit_log).values(tenant_id=tid, at=at, benutzer=user, aktion=action,
                                                     details=details))
    log = audit.read_log(engine, a.id)
    assert list(log["Aktion"]) == ["Download", "Anmeldung", "Upload"]  # newest first, German labels, only tenant A
    assert [f"{t:%d.%m.%Y %H:%M}" for t in log["Zeitpunkt"]] == ["02.07.2026 10:00", "01.07.2026 00:30",
                                                                  "30.06.2026 23:30"]
    assert list(audit.read_log(engine, a.id, actions=["upload", "download"])["Benutzer"]) == ["anna", "anna"]
    assert list(audit.read_log(engine, a.id, user="bert")["Aktion"]) == ["Anmeldung"]
    day = audit.read_log(engine, a.id, since=date(2026, 6, 30), until=date(2026, 6, 30))
    assert list(day["Details"]) == ["Version 1: m.xlsx"]
    assert len(audit.read_log(engine, a.id, since=date(2026, 7, 1), until=date(2026, 7, 2))) == 2
    assert audit.log_choices(engine, a.id) == (["anmeldung", "download", "upload"], ["anna", "bert"])


def test_only_admins_may_read_the_log():
    assert can(Principal("admin", "anna", 1), "view_audit_log", 1)
    assert not can(Principal("admin", "anna", 1), "view_audit_log", 2)
    assert not can(Principal("member", "bert", 1), "view_audit_log", 1)
    assert not can(Principal("coordinator", "kora"), "view_audit_log", 1)
    assert not can(Principal("coordinator", "kora"), "view_audit_log", None)
    assert not can(Principal("guest", "", 1, demo_tenant_id=1), "view_audit_log", 1)


def test_every_action_written_in_the_code_has_a_german_label():
    import re

    written = set()
    for path in [*ROOT.joinpath("data_models").rglob("*.py"), *ROOT.joinpath("components").rglob("*.py"),
                 ROOT / "manage.py"]:
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r"log(?:_event)?\([^()]*?,\s*[^()]*?,\s*\"([a-z_]+)\"", text))
    assert {"upload", "anmeldung", "download", "export", "jugendamt_geloescht"} <= written
    assert written <= set(audit.ACTION_LABELS), written - set(audit.ACTION_LABELS)


def test_cli_export_is_logged(db_url, engine, tmp_path):
    t = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt")
    upload(engine, t.id, "anna", 12)
    env = dict(os.environ, STRATEGIEKARTE_DATABASE_URL=db_url)
    p = subprocess.run([sys.executable, "manage.py", "export", "--tenant", "astadt", "--out",
                        str(tmp_path / "m.xlsx")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert entries(engine, t.id)[-1] == ("Kommandozeile", "export", "Masterdatei")


def test_log_entries_are_written_with_the_change_or_not_at_all(engine):
    t = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt")
    with pytest.raises(store.StoreError):
        store.rollback(engine, t.id, "anna", 9)
    with pytest.raises(accounts.AccountError):
        accounts.set_role(engine, t.id, "anna", 12345, "admin")
    assert entries(engine, t.id) == []
