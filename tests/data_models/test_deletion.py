"""Deletion for real (privacy.md "Data protection"): a whole tenant, old versions, retention; SQLite and PostgreSQL.

"No row with the tenant's id remains in any table" is checked over every table of `db.metadata`, so a table added
later is covered too.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, insert, select

from data_models import accounts, db, store, workshops
from data_models.deletion import DeletionError, delete_own_tenant, delete_tenant, purge_expired, tenant_tables
from data_models.tenant_data import tenant_secret
from tests.conftest import ROOT
from tests.data_models.test_dsgvo_minimisation import HZE, _import_everything, _sozialraeume

PW = "sicheres-passwort-1"


def populate(engine, slug: str) -> accounts.Tenant:
    """A tenant with something in every kind of table: users, invitations, versions, slices, audit, links, logins."""
    t = accounts.create_tenant(engine, slug=slug, name=f"Jugendamt {slug.title()}", typ="stadt")
    admin = accounts.create_user(engine, username=f"{slug}-admin", email=f"admin@{slug}.de", password=PW,
                                 role="admin", tenant_slug=slug)
    member = accounts.create_user(engine, username=f"{slug}-mitglied", email=f"m@{slug}.de", password=PW,
                                  role="member", tenant_slug=slug)
    _import_everything(engine, t.id)
    store.rollback(engine, t.id, admin.username, 2)
    accounts.create_invitation(engine, t.id, admin.username)
    accounts.create_invitation(engine, t.id, admin.username, "passwort", user_id=member.id)
    accounts.set_consent(engine, t.id, admin.username, True)
    workshops.create_link(engine, t.id, admin.username, "Workshop März")
    accounts.authenticate(engine, admin.username, PW, client="10.0.0.1")
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(engine, member.username, "falsches-passwort", client="10.0.0.2")
    return accounts.get_tenant(engine, t.id)


def rows_per_table(engine, tenant_id: int) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t).where(t.c.tenant_id == tenant_id))
                .scalar_one() for t in tenant_tables()}


def all_text(engine) -> str:
    out = []
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                out.extend(str(v) for v in row if not isinstance(v, (bytes, memoryview)))
    return "\n".join(out)


def test_every_row_of_the_tenant_goes_and_the_other_tenant_stays(engine):
    gone = populate(engine, "weg")
    stays = populate(engine, "bleibt")
    before = rows_per_table(engine, gone.id)
    # the fixture really filled every table known today (so "nothing remains" below means something)
    for name in db.TENANT_TABLES:
        assert before[name] > 0, f"Tabelle {name} hat im Test keine Zeile des Jugendamts"
    other_before = rows_per_table(engine, stays.id)
    secret = tenant_secret(engine, gone.id).hex()
    with engine.connect() as conn:
        attempts = conn.execute(select(func.count()).select_from(db.login_attempts)).scalar_one()
    assert attempts == 4  # two per tenant

    counts = delete_tenant(engine, gone.id, actor="weg-admin")

    assert counts["tenants"] == 1 and counts["slices"] == before["slices"]
    assert all(n == 0 for n in rows_per_table(engine, gone.id).values())
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:  # ANY table, also those without a tenant_id column
            for col in table.c:
                if col.name in ("tenant_id",) or (table.name == "tenants" and col.name == "id"):
                    n = conn.execute(select(func.count()).select_from(table).where(col == gone.id)).scalar_one()
                    assert n == 0, (table.name, col.name)
        users = conn.execute(select(db.users.c.username)).scalars().all()
        keys = conn.execute(select(db.login_attempts.c.username_key)).scalars().all()
    assert sorted(users) == ["bleibt-admin", "bleibt-mitglied"]
    assert sorted(keys) == ["bleibt-admin", "bleibt-mitglied"]  # the deleted users' login attempts went too
    text = all_text(engine)
    assert secret not in text and "weg-mitglied" not in text and "m@weg.de" not in text
    assert rows_per_table(engine, stays.id) == other_before
    assert store.current_frames(engine, stays.id)["hze_records"].shape[0] == 3
    # the operator's log keeps who deleted which office (no tenant id, no figures)
    with engine.connect() as conn:
        log = conn.execute(select(db.audit_log).where(db.audit_log.c.tenant_id.is_(None))).all()
    assert [(r.benutzer, r.aktion, r.details) for r in log] == [
        ("weg-admin", "jugendamt_geloescht", "„Jugendamt Weg“ (weg) mit allen Daten gelöscht")]
    with pytest.raises(DeletionError):
        delete_tenant(engine, gone.id)


def test_admin_deletes_own_tenant_only_with_its_name(engine):
    t = accounts.create_tenant(engine, slug="astadt", name="Jugendamt  Astadt", typ="stadt")
    _sozialraeume(engine, t.id)
    store.save_import(engine, t.id, "anna", *_hze_result(engine, t.id))
    for typed in ("", "Jugendamt Bstadt", "Astadt"):
        with pytest.raises(DeletionError, match="nichts gelöscht"):
            delete_own_tenant(engine, t.id, "anna", typed)
    assert accounts.get_tenant(engine, t.id) is not None and rows_per_table(engine, t.id)["slices"] > 0
    delete_own_tenant(engine, t.id, "anna", "  jugendamt astadt ")  # case and spaces do not matter
    assert accounts.get_tenant(engine, t.id) is None
    assert all(n == 0 for n in rows_per_table(engine, t.id).values())

    demo = accounts.create_tenant(engine, slug="musterstadt", name="Musterstadt", is_demo=True)
    with pytest.raises(DeletionError, match="seed-demo"):
        delete_own_tenant(engine, demo.id, "anna", "Musterstadt")


def _hze_result(engine, tid):
    from data_models.importers import run_importer
    from data_models.tenant_data import import_context

    return run_importer(HZE, "hze.csv", "hze", import_context(engine, tid)), HZE


def test_deleting_old_versions_removes_their_payloads(engine):
    t = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt", typ="stadt")
    _import_everything(engine, t.id)  # versions 1-6: Sozialräume, Zuordnung, HzE, § 8a, § 42, Satzart A
    res, data = _hze_result(engine, t.id)
    store.save_import(engine, t.id, "anna", res, data)  # version 7 replaces the HzE records of 2023 (version 3)
    before = store.current_frames(engine, t.id)
    with engine.connect() as conn:
        slices_v3 = conn.execute(select(func.count()).select_from(db.slices.join(db.versions)).where(
            db.versions.c.tenant_id == t.id, db.versions.c.version == 3)).scalar_one()
    assert slices_v3 == 1

    assert store.delete_versions_before(engine, t.id, "anna", 7) == 1  # only version 3 holds nothing current
    assert [v.version for v in store.list_versions(engine, t.id)] == [1, 2, 4, 5, 6, 7]
    after = store.current_frames(engine, t.id)
    for kind, frame in before.items():
        assert after[kind].equals(frame), kind
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(db.slices).where(db.slices.c.tenant_id == t.id)).scalar_one()
        log = conn.execute(select(db.audit_log.c.aktion, db.audit_log.c.details).where(
            db.audit_log.c.aktion == "versionen_geloescht")).all()
    assert n == 6  # one slice per remaining version (each touched one kind and year)
    assert [tuple(r) for r in log] == [("versionen_geloescht", "1 Version vor Version 7")]


def test_retention_purges_old_login_attempts_invitations_and_audit_entries(engine, monkeypatch):
    t = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt", typ="stadt")
    now = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
    with engine.begin() as conn:
        for days, client in [(0.5, "neu"), (2, "alt")]:
            conn.execute(insert(db.login_attempts).values(username_key="x", client=client,
                                                          at=now - timedelta(days=days), success=False))
        for days, label in [(10, "neu"), (800, "alt")]:
            conn.execute(insert(db.audit_log).values(tenant_id=t.id, at=now - timedelta(days=days), benutzer="a",
                                                     aktion="upload", details=label))
        for i, (created, used) in enumerate([(now - timedelta(days=5), None),  # open
                                             (now - timedelta(days=40), now - timedelta(days=35)),  # used long ago
                                             (now - timedelta(days=40), now - timedelta(days=10))]):  # used lately
            conn.execute(insert(db.invitations).values(
                tenant_id=t.id, purpose="einladung", token_hash=f"t{i}", code_hash=f"c{i}", created_by="a",
                created_at=created, expires_at=created + timedelta(days=7), used_at=used))
    # the invitation used 10 days ago expired 33 days ago: expiry counts too, so only the open one stays
    assert purge_expired(engine, now=now) == {"login_attempts": 1, "invitations": 2, "audit_log": 1}
    with engine.connect() as conn:
        assert conn.execute(select(db.login_attempts.c.client)).scalars().all() == ["neu"]
        assert conn.execute(select(db.audit_log.c.details)).scalars().all() == ["neu"]
        assert conn.execute(select(db.invitations.c.token_hash)).scalars().all() == ["t0"]
    monkeypatch.setenv("STRATEGIEKARTE_PROTOKOLL_TAGE", "5")
    assert purge_expired(engine, now=now)["audit_log"] == 1


def test_manage_delete_tenant_removes_every_row(db_url, engine):
    gone = populate(engine, "weg")
    stays = populate(engine, "bleibt")
    env = dict(os.environ, STRATEGIEKARTE_DATABASE_URL=db_url)

    def cli(*args):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)

    p = cli("delete-tenant", "--slug", "weg")
    assert p.returncode == 2 and "--yes" in p.stderr
    assert rows_per_table(engine, gone.id)["slices"] > 0  # nothing deleted without --yes
    assert cli("delete-tenant", "--slug", "gibtsnicht", "--yes").returncode == 2
    p = cli("delete-tenant", "--slug", "weg", "--yes")
    assert p.returncode == 0, p.stderr
    assert "gelöscht" in p.stderr
    assert all(n == 0 for n in rows_per_table(engine, gone.id).values())
    assert accounts.get_tenant(engine, gone.id) is None
    assert rows_per_table(engine, stays.id)["slices"] > 0
