"""Concurrency: parallel sign-ups with one office name, two admins importing at the same moment, a restore while
others read. Each worker has its own engine (as each app process has), on SQLite and PostgreSQL."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from data_models import accounts, db, store
from data_models.accounts import AccountError
from data_models.db import make_engine
from data_models.tenant_data import import_file, load_dataset
from tests.reliability.helpers import PW, frames_text, small_masterdatei, tenant_with_data

OFFICE_TAKEN = "Ein Jugendamt mit diesem Namen ist bereits registriert."


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_twenty_parallel_signups_with_one_office_name_give_one_winner(db_url, engine):
    n = 20
    barrier = threading.Barrier(n)
    # the same name as people type it: letter case and spaces differ
    spellings = ["Jugendamt Parallelstadt", "jugendamt parallelstadt", "JUGENDAMT  Parallelstadt",
                 " Jugendamt Parallelstadt "]

    def attempt(i: int) -> str:
        own = make_engine(db_url)  # every worker its own connection pool, like separate app processes
        try:
            barrier.wait(30)
            accounts.signup(own, office=spellings[i % len(spellings)], typ="stadt", key=None, name=f"Person {i}",
                            email=f"p{i}@parallel.de", username=f"person{i}", password=PW, password2=PW)
            return "ok"
        except AccountError as exc:
            return exc.errors.get("office") or repr(exc.errors)
        except Exception as exc:  # noqa: BLE001 - "database is locked" or a deadlock would land here
            return f"unerwartet: {exc!r}"
        finally:
            own.dispose()

    with ThreadPoolExecutor(max_workers=n) as pool:
        results = list(pool.map(attempt, range(n)))
    assert results.count("ok") == 1, results
    assert [r for r in results if r != "ok"] == [OFFICE_TAKEN] * (n - 1)
    assert count(engine, db.tenants) == 1 and count(engine, db.users) == 1
    # the losers left nothing behind: their user names are still free
    assert sum(accounts.get_user_by_name(engine, f"person{i}") is not None for i in range(n)) == 1


def test_two_admins_importing_at_once_give_two_complete_versions_and_one_current(db_url, engine, monkeypatch):
    tenant = tenant_with_data(engine)
    for name in ("anna", "bert"):
        accounts.create_user(engine, username=name, email=f"{name}@astadt.de", password=PW, role="admin",
                             tenant_slug="astadt")
    files = {"anna": ("anna.xlsx", small_masterdatei(u21=2000, hze=20)),
             "bert": ("bert.xlsx", small_masterdatei({"01": "Nord", "02": "Süd"}, u21=3000, hze=30))}

    # both reach the write at the same moment; the first inside keeps its transaction open a little, so the
    # second must wait for it (SQLite: BEGIN IMMEDIATE; PostgreSQL: the tenant row lock)
    barrier = threading.Barrier(2)
    real_tx, real_switch = store.write_transaction, store._make_current
    inside = threading.local()

    def synchronised_tx(eng):
        barrier.wait(30)
        return real_tx(eng)

    def slow_switch(*args):
        real_switch(*args)
        if not getattr(inside, "slept", False):
            inside.slept = True
            time.sleep(0.3)

    monkeypatch.setattr(store, "write_transaction", synchronised_tx)
    monkeypatch.setattr(store, "_make_current", slow_switch)

    def upload(user: str) -> int:
        own = make_engine(db_url)
        try:
            name, data = files[user]
            return import_file(own, tenant.id, user, data, name).version
        finally:
            own.dispose()

    with ThreadPoolExecutor(max_workers=2) as pool:
        got = dict(zip(files, pool.map(upload, files)))
    monkeypatch.undo()

    assert sorted(got.values()) == [2, 3]
    versions = store.list_versions(engine, tenant.id)
    assert [v.version for v in versions] == [1, 2, 3]
    last = max(got, key=got.get)
    # version 3 is current for everything it touched; versions 1 and 2 for nothing
    assert versions[2].datei == files[last][0] and versions[2].aktuell == versions[2].arten
    assert versions[0].aktuell == {} and versions[1].aktuell == {}
    # both versions are complete: the same slices as the first upload, each with its own rows
    with engine.connect() as conn:
        per_version = dict(conn.execute(select(db.versions.c.version, func.count(db.slices.c.id))
                                        .select_from(db.versions.join(db.slices))
                                        .where(db.versions.c.tenant_id == tenant.id)
                                        .group_by(db.versions.c.version)).all())
    assert per_version == {1: 5, 2: 5, 3: 5}
    # nothing mixed: the current data are exactly the last file's, in every table
    expected = import_file(engine, tenant.id, "check", files[last][1], "check.xlsx", dry_run=True).result.tables
    current = store.current_frames(engine, tenant.id, kinds=tuple(expected))
    assert frames_text(current) == frames_text({k: store.deserialise(k, store.serialise(f))
                                                for k, f in expected.items()})
    assert store.data_version(engine, tenant.id) == 3


def _state(engine, tenant_id) -> str:
    return repr(frames_text(store.current_frames(engine, tenant_id)))


def test_restore_during_reads_shows_old_or_new_never_a_mix(db_url, engine, monkeypatch):
    tenant = tenant_with_data(engine, data=small_masterdatei(u21=1000, hze=3))
    old = _state(engine, tenant.id)
    assert import_file(engine, tenant.id, "anna", small_masterdatei(u21=5000, hze=50), "neu.xlsx").version == 2
    new = _state(engine, tenant.id)
    assert old != new

    # 1. a read while a restore is half done (one table switched, the others not yet): still the old state
    half_done, read_done = threading.Event(), threading.Event()
    real_switch = store._make_current

    def paused_switch(*args):
        real_switch(*args)
        if not half_done.is_set():
            half_done.set()
            assert read_done.wait(30)

    monkeypatch.setattr(store, "_make_current", paused_switch)
    writer_engine = make_engine(db_url)
    writer = threading.Thread(target=store.rollback, args=(writer_engine, tenant.id, "anna", 1))
    writer.start()
    assert half_done.wait(30)
    assert _state(engine, tenant.id) == new  # version 2 is still current for the reader
    read_done.set()
    writer.join(30)
    monkeypatch.undo()
    assert _state(engine, tenant.id) == old  # version 3 = the data of version 1
    writer_engine.dispose()

    # 2. readers in a loop while restores switch back and forth: every read is one of the two, derived data too
    stop = threading.Event()
    seen: list[str] = []
    derived_ok = {load_dataset(engine, tenant.id)["bevoelkerung"].to_csv(index=False): "alt"}
    store.rollback(engine, tenant.id, "anna", 2)
    derived_ok[load_dataset(engine, tenant.id)["bevoelkerung"].to_csv(index=False)] = "neu"

    def reader():
        own = make_engine(db_url)
        try:
            while not stop.is_set():
                seen.append(_state(own, tenant.id))
                ds = load_dataset(own, tenant.id)
                seen.append("abgeleitet " + derived_ok.get(ds["bevoelkerung"].to_csv(index=False), "GEMISCHT"))
        finally:
            own.dispose()

    readers = [threading.Thread(target=reader) for _ in range(2)]
    for r in readers:
        r.start()
    restores = 0
    while restores < 8 or (len(seen) < 12 and restores < 200):  # until the readers have read often enough
        store.rollback(engine, tenant.id, "anna", 1 if restores % 2 == 0 else 2)
        restores += 1
    stop.set()
    for r in readers:
        r.join(30)
    states = [s for s in seen if not s.startswith("abgeleitet")]
    assert len(states) >= 6 and set(states) <= {old, new}
    assert set(s for s in seen if s.startswith("abgeleitet")) <= {"abgeleitet alt", "abgeleitet neu"}
    assert [v.version for v in store.list_versions(engine, tenant.id)] == list(range(1, 5 + restores))
