"""Workshop links (data_models/workshops.py) on SQLite and PostgreSQL, and the workshop guest's permissions."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from data_models import accounts, audit, db, workshops
from data_models.permissions import ACTIONS, Principal, can


@pytest.fixture
def two(engine):
    a = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt")
    b = accounts.create_tenant(engine, slug="bstadt", name="Jugendamt Bstadt")
    return a, b


def test_create_resolve_and_token_strength(engine, two):
    a, _ = two
    token, link = workshops.create_link(engine, a.id, "anna", "  Workshop   März ", days=14)
    assert link.label == "Workshop März" and link.tenant_id == a.id
    assert link.expires_at - link.created_at == timedelta(days=14)
    # ≥ 128 bits of randomness: 24 random bytes as URL-safe base64 (32 characters of 6 bits)
    assert len(token) == 32 and math.log2(64) * len(token) >= 128
    assert workshops.resolve(engine, token).id == link.id
    # only the hash is stored
    with engine.connect() as conn:
        stored = conn.execute(select(db.workshop_links.c.token_hash)).scalar_one()
    assert stored == workshops.token_hash(token) and token not in stored
    assert "workshop_link_erstellt" in {r for r in _actions(engine, a.id)}


def _actions(engine, tenant_id):
    with engine.connect() as conn:
        return set(conn.execute(select(db.audit_log.c.aktion).where(db.audit_log.c.tenant_id == tenant_id)).scalars())


def test_expired_revoked_and_unknown_give_german_messages(engine, two):
    a, b = two
    past = datetime.now(timezone.utc) - timedelta(days=15)
    old, _ = workshops.create_link(engine, a.id, "anna", "alt", days=14, at=past)
    with pytest.raises(workshops.WorkshopError, match="abgelaufen"):
        workshops.resolve(engine, old)
    token, link = workshops.create_link(engine, a.id, "anna", "neu")
    assert workshops.revoke_link(engine, b.id, "bernd", link.id) is False  # another tenant cannot revoke it
    assert workshops.resolve(engine, token).tenant_id == a.id
    assert workshops.revoke_link(engine, a.id, "anna", link.id) is True
    assert workshops.revoke_link(engine, a.id, "anna", link.id) is False
    with pytest.raises(workshops.WorkshopError, match="widerrufen"):
        workshops.resolve(engine, token)
    for bad in ("", "x" * 300, token[:-1], "A" * 32):
        with pytest.raises(workshops.WorkshopError, match="ungültig"):
            workshops.resolve(engine, bad)
    statuses = {l.label: l.status() for l in workshops.list_links(engine, a.id)}
    assert statuses == {"alt": "abgelaufen", "neu": "widerrufen"}
    assert workshops.list_links(engine, b.id) == []
    labels = set(audit.read_log(engine, a.id)["Aktion"])
    assert {"Workshop-Link erstellt", "Workshop-Link widerrufen"} <= labels


def test_bad_label_or_expiry_is_refused(engine, two):
    a, _ = two
    for label, days in (("", 14), ("x" * 121, 14), ("ok", 0), ("ok", 91), ("ok", "viele")):
        with pytest.raises(workshops.WorkshopError):
            workshops.create_link(engine, a.id, "anna", label, days)
    with pytest.raises(workshops.WorkshopError):
        workshops.create_link(engine, 99999, "anna", "ok")
    assert workshops.list_links(engine, a.id) == []


def test_links_go_with_the_tenant(engine, two):
    from data_models.programme import remove_unconfirmed

    t = accounts.create_tenant(engine, slug="neu", name="Jugendamt Neu", confirmed=False)
    token, _ = workshops.create_link(engine, t.id, "nina", "Workshop")
    remove_unconfirmed(engine, t.id, "kora", "Jugendamt Neu")
    with pytest.raises(workshops.WorkshopError, match="ungültig"):
        workshops.resolve(engine, token)


def test_workshop_guest_permissions():
    guest = Principal("guest", "", 5, demo_tenant_id=9, workshop_tenant_id=5)
    assert can(guest, "view_dashboard", 5) and can(guest, "download", 5)
    for action in ACTIONS:
        if action not in ("view_dashboard", "download"):
            assert not can(guest, action, 5), action  # no exact figures, no upload, no administration
        assert not can(guest, action, 6), action  # never another tenant
        assert not can(guest, action, None), action
    assert can(guest, "view_exact", 9)  # the demo stays open to everyone
    plain = Principal("guest", "", None, demo_tenant_id=9)
    assert not can(plain, "view_dashboard", 5)
