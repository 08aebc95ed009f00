"""A table download by a user of a tenant is written to the tenant's audit log when the bytes are built."""
from __future__ import annotations

from data_models import accounts, audit


def test_download_of_a_tenant_user_is_logged_when_built(sqlite_engine, monkeypatch):
    from components import downloads, session

    t = accounts.create_tenant(sqlite_engine, slug="astadt", name="Jugendamt Astadt")
    monkeypatch.setattr(session, "engine", lambda: sqlite_engine)
    monkeypatch.setattr(session, "current_user", lambda: {"username": "anna", "tenant_id": t.id, "role": "member"})
    build = downloads._audited(lambda: b"a;b\n1;2\n", "karte_hze_dichte_2023.csv")
    assert audit.read_log(sqlite_engine, t.id).empty  # rendering the button logs nothing
    assert build() == b"a;b\n1;2\n"
    log = audit.read_log(sqlite_engine, t.id)
    assert list(log[["Benutzer", "Aktion", "Details"]].itertuples(index=False, name=None)) == [
        ("anna", "Download", "karte_hze_dichte_2023.csv")]


def test_guests_and_coordinators_are_not_logged(sqlite_engine, monkeypatch):
    from components import downloads, session

    def build():
        return b"x"

    monkeypatch.setattr(session, "engine", lambda: sqlite_engine)
    for user in (None, {"username": "kora", "tenant_id": None, "role": "coordinator"}):
        monkeypatch.setattr(session, "current_user", lambda u=user: u)
        assert downloads._audited(build, "x.csv") is build
