"""Faults: a killed import or restore, lost database connections, a read-only database and a full disk.

Each leaves the previous version current and the database consistent, and a person sees a German message, not a
stack trace. On SQLite and PostgreSQL (`db_url`). The library-level kills while reading, converting and writing
one slice are in tests/data_models/test_kill_import.py; here the command line is killed just before its commit.
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.exc import OperationalError

from data_models import store
from data_models.db import make_engine
from data_models.store import StoreError
from data_models.tenant_data import import_file
from tests.conftest import ROOT
from tests.pages.conftest import login_as
from tests.reliability.helpers import (  # noqa: F401  (app_env is a fixture)
    app_env, small_masterdatei, snapshot, tenant_with_data, terminate_backends,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- kill -9 of the command line, just before the commit --------------------------------------------------------

CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    import manage
    from data_models import store

    def stall(*_a, **_k):
        print("BEREIT", flush=True)
        time.sleep(60)

    point = sys.argv[1]
    if point == "import":  # every slice written and switched, the audit entry too: only the commit is missing
        real = store.log_event
        store.log_event = lambda *a, **k: (real(*a, **k), stall())
    else:  # restore: the first copied slice is current inside the open transaction
        real = store._make_current
        store._make_current = lambda *a: (real(*a), stall())
    sys.exit(manage.main(sys.argv[2:]))
""")


@pytest.mark.parametrize("point", ["import", "rollback"])
def test_kill_9_of_command_line_before_commit_keeps_previous_version(db_url, engine, point, tmp_path):
    t = tenant_with_data(engine)
    assert import_file(engine, t.id, "anna", small_masterdatei(u21=2000), "md2.xlsx").version == 2
    before = snapshot(engine, t.id)
    new_file = tmp_path / "neu.xlsx"
    new_file.write_bytes(small_masterdatei(u21=3000))
    args = (["import", "--tenant", "astadt", str(new_file), "--kind", "masterdatei"] if point == "import"
            else ["rollback", "--tenant", "astadt", "--version", "1"])
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(ROOT)))
    env = dict(os.environ, STRATEGIEKARTE_DATABASE_URL=db_url, STRATEGIEKARTE_DATA_DIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, str(script), point, *args], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env=env)
    assert proc.stdout.readline().strip() == "BEREIT"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    engine.dispose()

    assert snapshot(engine, t.id) == before  # version 2 current, no version 3, data version unchanged
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        orphans = conn.execute(text("SELECT count(*) FROM slices s LEFT JOIN versions v ON v.id = s.version_id "
                                    "WHERE v.id IS NULL")).scalar()
        assert orphans == 0
    # the lock of the killed process is gone: the same command succeeds now
    assert store.rollback(engine, t.id, "anna", 1) == 3


# --- lost connections (PostgreSQL restarted under the running app) ----------------------------------------------

def _postgres_only(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite hat keine Serververbindung, die abreißen könnte")


def test_lost_connections_are_replaced_on_the_next_read(db_url, engine):
    _postgres_only(engine)
    t = tenant_with_data(engine)
    before = snapshot(engine, t.id)
    assert terminate_backends(db_url) >= 1  # the pool's connections are dead now
    assert snapshot(engine, t.id) == before  # pool pre-ping noticed and reconnected
    assert terminate_backends(db_url) >= 1
    assert import_file(engine, t.id, "anna", small_masterdatei(u21=2000), "md2.xlsx").version == 2

    # control: the same event breaks an engine without pre-ping, so the test above measures something
    plain = create_engine(db_url, pool_pre_ping=False)
    try:
        with plain.connect() as conn:
            conn.execute(select(1))
        terminate_backends(db_url)
        with pytest.raises(OperationalError):
            with plain.connect() as conn:
                conn.execute(select(1))
    finally:
        plain.dispose()


def test_page_load_after_lost_connections_shows_the_page(app_env, db_url):
    _postgres_only(app_env)
    from tests.pages.conftest import run_app

    tenant_with_data(app_env)
    from data_models import accounts
    accounts.create_user(app_env, username="anna", email="a@a.de", password="sicheres-passwort-1", role="member",
                         tenant_slug="astadt")
    at = run_app(user=login_as(app_env, "anna"))
    assert not at.exception and at.title[0].value == "Übersicht"
    assert terminate_backends(db_url) >= 1
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Übersicht" and not at.error


# --- read-only database, full disk ------------------------------------------------------------------------------

def _read_only_engine(db_url: str, tmp_path):
    if db_url.startswith("sqlite"):
        path = db_url[len("sqlite:///"):]
        return make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    # a server that accepts no writes (hot standby, `default_transaction_read_only`)
    return create_engine(db_url, pool_pre_ping=True,
                         connect_args={"options": "-c default_transaction_read_only=on"})


def test_read_only_database_gives_german_error_and_no_partial_version(db_url, engine, tmp_path):
    t = tenant_with_data(engine)
    before = snapshot(engine, t.id)
    ro = _read_only_engine(db_url, tmp_path)
    try:
        assert store.list_versions(ro, t.id)[0].version == 1  # reading works
        with pytest.raises(StoreError) as exc:
            import_file(ro, t.id, "anna", small_masterdatei(u21=2000), "md2.xlsx")
        assert "schreibgeschützt" in str(exc.value) and "nichts gespeichert" in str(exc.value)
        with pytest.raises(StoreError, match="schreibgeschützt"):
            store.rollback(ro, t.id, "anna", 1)
    finally:
        ro.dispose()
    assert snapshot(engine, t.id) == before


def _full_disk(db_url: str, engine):
    """An engine whose writes hit a full disk: SQLite with `max_page_count` at the current size; PostgreSQL with a
    trigger that raises the server's own `disk_full` error (SQLSTATE 53100) when a slice is written."""
    if db_url.startswith("sqlite"):
        with engine.connect() as conn:
            pages = conn.execute(text("PRAGMA page_count")).scalar()
        full = make_engine(db_url)

        @event.listens_for(full, "connect")
        def _limit(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 1}")

        return full, lambda: full.dispose()
    with engine.begin() as conn:
        conn.execute(text(
            "CREATE OR REPLACE FUNCTION sk_test_disk_full() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'could not extend file \"base/1/2\": No space left on device' USING ERRCODE = '53100'; "
            "END $$ LANGUAGE plpgsql"))
        conn.execute(text("CREATE TRIGGER sk_test_disk_full BEFORE INSERT ON slices FOR EACH ROW "
                          "EXECUTE FUNCTION sk_test_disk_full()"))

    def undo():
        with engine.begin() as conn:
            conn.execute(text("DROP TRIGGER IF EXISTS sk_test_disk_full ON slices"))
            conn.execute(text("DROP FUNCTION IF EXISTS sk_test_disk_full()"))

    return engine, undo


def test_full_disk_gives_german_error_and_no_partial_version(db_url, engine):
    t = tenant_with_data(engine)
    before = snapshot(engine, t.id)
    full, undo = _full_disk(db_url, engine)
    try:
        big = small_masterdatei(u21=2000)  # five slices: more than the one page left
        with pytest.raises(StoreError) as exc:
            import_file(full, t.id, "anna", big, "gross.xlsx")
        assert "Speicherplatz" in str(exc.value) and "nichts gespeichert" in str(exc.value)
    finally:
        undo()
    assert snapshot(engine, t.id) == before
    # with space again, the same file is stored completely
    assert import_file(engine, t.id, "anna", big, "gross.xlsx").version == 2


def test_command_line_import_on_full_disk_exits_1_with_german_message(db_url, engine, tmp_path, capsys):
    import manage

    t = tenant_with_data(engine)
    before = snapshot(engine, t.id)
    path = tmp_path / "neu.xlsx"
    path.write_bytes(small_masterdatei(u21=2000))

    def full(*_a):
        raise OperationalError("INSERT INTO current_slices ...", {}, sqlite3.OperationalError(
            "database or disk is full"))

    real = store._make_current
    store._make_current = full
    old_url = os.environ.get("STRATEGIEKARTE_DATABASE_URL")
    os.environ["STRATEGIEKARTE_DATABASE_URL"] = db_url
    try:
        assert manage.main(["import", "--tenant", "astadt", str(path)]) == 1
    finally:
        store._make_current = real
        if old_url is None:
            os.environ.pop("STRATEGIEKARTE_DATABASE_URL")
        else:
            os.environ["STRATEGIEKARTE_DATABASE_URL"] = old_url
    err = capsys.readouterr().err
    assert "Speicherplatz der Datenbank ist erschöpft" in err and "Traceback" not in err
    assert snapshot(engine, t.id) == before


# --- the same in the app: German messages instead of a stack trace ----------------------------------------------

def _admin(engine):
    from data_models import accounts

    tenant, _ = accounts.signup(engine, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna",
                                email="a@a.de", username="anna", password="sicheres-passwort-1",
                                password2="sicheres-passwort-1")
    return tenant, login_as(engine, "anna")


def test_upload_page_on_full_disk_says_so_in_german_and_stores_nothing(app_env, monkeypatch):
    from tests.pages.conftest import run_app, texts

    tenant, user = _admin(app_env)
    at = run_app(user=user, page="pages/hochladen.py")
    at.file_uploader[0].set_value(("md.xlsx", small_masterdatei(), XLSX)).run()
    [b for b in at.button if b.label == "Datei prüfen"][0].click()
    at.run()

    def full(*_a):
        raise OperationalError("INSERT INTO slices ...", {}, sqlite3.OperationalError("database or disk is full"))

    monkeypatch.setattr(store, "_make_current", full)
    [b for b in at.button if b.label == "Übernehmen"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert "Speicherplatz der Datenbank ist erschöpft" in " ".join(e.value for e in at.error)
    assert store.list_versions(app_env, tenant.id) == [] and store.data_version(app_env, tenant.id) == 0
    assert "Version 1" not in texts(at)


def test_page_with_unreachable_database_shows_german_message(app_env, monkeypatch):
    from components.session import DATABASE_TROUBLE
    from tests.pages.conftest import run_app

    tenant_with_data(app_env)
    from data_models import accounts
    accounts.create_user(app_env, username="anna", email="a@a.de", password="sicheres-passwort-1", role="member",
                         tenant_slug="astadt")

    def down(*_a, **_k):
        raise OperationalError("SELECT ...", {}, Exception("connection to server at \"127.0.0.1\", port 5432 "
                                                            "failed: Connection refused"))

    monkeypatch.setattr(store, "current_frames", down)
    at = run_app(user=login_as(app_env, "anna"))
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [DATABASE_TROUBLE]
