"""Versioned storage on SQLite and PostgreSQL: versions, per-year replacement, rollback, isolation, atomicity."""
from __future__ import annotations

import threading

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_models import accounts, db, store
from data_models.findings import FEHLER, WARNUNG, Finding
from data_models.importers.base import ImportResult


def tenant(engine, slug="astadt"):
    return accounts.create_tenant(engine, slug=slug, name=f"Jugendamt {slug}", typ="stadt")


def result(pop: dict[tuple[int, str], int], sr=("01", "02"), datei="m.xlsx") -> ImportResult:
    soz = pd.DataFrame({"sozialraum_id": list(sr), "name": [f"SR {s}" for s in sr]})
    bev = pd.DataFrame([{"jahr": y, "sozialraum_id": s, "a0_3": n, "insgesamt": n * 10} for (y, s), n in pop.items()])
    return ImportResult("masterdatei", datei, tables={"sozialraeume": soz, "bevoelkerung": bev},
                        findings=[Finding(WARNUNG, "Hinweis zum Test", datei=datei)])


def pop_of(engine, tid) -> dict:
    frame = store.current_frames(engine, tid)["bevoelkerung"]
    return {(int(r.jahr), r.sozialraum_id): int(r.a0_3) for r in frame.itertuples()}


def test_versions_replace_only_the_years_present(engine):
    t = tenant(engine)
    v1 = store.save_import(engine, t.id, "anna", result({(2022, "01"): 100, (2023, "01"): 110}), b"one")
    v2 = store.save_import(engine, t.id, "anna", result({(2023, "01"): 120, (2024, "01"): 130}), b"two")
    assert (v1, v2) == (1, 2)
    assert pop_of(engine, t.id) == {(2022, "01"): 100, (2023, "01"): 120, (2024, "01"): 130}
    vs = store.list_versions(engine, t.id)
    assert [v.version for v in vs] == [1, 2]
    assert vs[0].arten == {"sozialraeume": None, "bevoelkerung": [2022, 2023]}
    assert vs[0].aktuell == {"bevoelkerung": [2022]}  # Sozialräume and 2023 were replaced by version 2
    assert vs[1].aktuell == {"sozialraeume": None, "bevoelkerung": [2023, 2024]}
    assert vs[1].zeilen == {"sozialraeume": 2, "bevoelkerung": 2}
    assert store.data_version(engine, t.id) == 2


def test_rollback_makes_old_upload_current_as_new_version(engine):
    t = tenant(engine)
    store.save_import(engine, t.id, "anna", result({(2023, "01"): 100}), b"one")
    store.save_import(engine, t.id, "anna", result({(2023, "01"): 999}), b"two")
    v3 = store.rollback(engine, t.id, "anna", 1)
    assert v3 == 3 and pop_of(engine, t.id) == {(2023, "01"): 100}
    assert store.list_versions(engine, t.id)[2].rollback_of == 1
    with pytest.raises(store.StoreError):
        store.rollback(engine, t.id, "anna", 42)


def test_refused_import_stores_nothing(engine):
    t = tenant(engine)
    store.save_import(engine, t.id, "anna", result({(2023, "01"): 100}), b"one")
    bad = result({(2023, "01"): 5})
    bad.findings.append(Finding(FEHLER, "kaputt"))
    with pytest.raises(store.StoreError):
        store.save_import(engine, t.id, "anna", bad, b"bad")
    assert pop_of(engine, t.id) == {(2023, "01"): 100}
    assert len(store.list_versions(engine, t.id)) == 1


def test_failure_in_the_middle_of_writing_rolls_back_everything(engine, monkeypatch):
    t = tenant(engine)
    store.save_import(engine, t.id, "anna", result({(2023, "01"): 100}), b"one")
    calls = {"n": 0}
    real = store._make_current

    def flaky(*args):
        calls["n"] += 1
        if calls["n"] == 2:  # after the first slice switched, before the second
            raise RuntimeError("Verbindung verloren")
        return real(*args)

    monkeypatch.setattr(store, "_make_current", flaky)
    with pytest.raises(RuntimeError):
        store.save_import(engine, t.id, "anna", result({(2023, "01"): 7}, sr=("01", "09")), b"two")
    assert pop_of(engine, t.id) == {(2023, "01"): 100}
    assert list(store.current_frames(engine, t.id)["sozialraeume"]["sozialraum_id"]) == ["01", "02"]
    assert len(store.list_versions(engine, t.id)) == 1 and store.data_version(engine, t.id) == 1


def test_tenants_with_same_ids_never_see_each_other(engine):
    a, b = tenant(engine, "astadt"), tenant(engine, "bstadt")
    store.save_import(engine, a.id, "anna", result({(2023, "01"): 100}), b"a")
    store.save_import(engine, b.id, "bert", result({(2023, "01"): 555}), b"b")
    assert pop_of(engine, a.id) == {(2023, "01"): 100}
    assert pop_of(engine, b.id) == {(2023, "01"): 555}
    assert [v.version for v in store.list_versions(engine, b.id)] == [1]  # numbering per tenant
    with pytest.raises(store.StoreError):
        store.rollback(engine, b.id, "bert", 2)


def test_two_parallel_imports_give_two_complete_versions(engine):
    t = tenant(engine)
    errors = []

    def run(n):
        try:
            store.save_import(engine, t.id, f"user{n}", result({(2023, "01"): n, (2023, "02"): n}), str(n).encode())
        except Exception as exc:  # pragma: no cover - the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in (1, 2)]
    [th.start() for th in threads]
    [th.join() for th in threads]
    assert not errors
    vs = store.list_versions(engine, t.id)
    assert [v.version for v in vs] == [1, 2]
    values = set(pop_of(engine, t.id).values())
    assert len(values) == 1  # never a mix of the two uploads
    winner = vs[1].benutzer
    assert values == {int(winner[-1])}


def test_delete_versions_before_keeps_current_data(engine):
    t = tenant(engine)
    store.save_import(engine, t.id, "anna", result({(2022, "01"): 1}), b"1")
    store.save_import(engine, t.id, "anna", result({(2022, "01"): 2}), b"2")
    store.save_import(engine, t.id, "anna", result({(2023, "01"): 3}), b"3")
    # version 1 is fully replaced; version 2 still holds 2022
    assert store.delete_versions_before(engine, t.id, "anna", 3) == 1
    assert [v.version for v in store.list_versions(engine, t.id)] == [2, 3]
    assert pop_of(engine, t.id) == {(2022, "01"): 2, (2023, "01"): 3}
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.slices)).scalar_one() == 4
