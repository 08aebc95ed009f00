"""Shared fixtures: a fresh database per test, on SQLite and (when TEST_DATABASE_URL is set) on PostgreSQL."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("STRATEGIEKARTE_BCRYPT_ROUNDS", "4")

settings.register_profile("ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("thorough", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

PG_URL = os.environ.get("TEST_DATABASE_URL")
_pg_ready = False


def _truncate_all(engine) -> None:
    from data_models.db import metadata

    names = ", ".join(t.name for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path):
    """The URL of an empty, migrated database (SQLite file per test; PostgreSQL truncated per test)."""
    global _pg_ready
    from data_models.database import init_db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
        init_db(url)
        return url
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL ist nicht gesetzt (make test setzt es)")
    engine = init_db(PG_URL) if not _pg_ready else None
    _pg_ready = True
    from data_models.db import get_engine

    _truncate_all(engine or get_engine(PG_URL))
    return PG_URL


@pytest.fixture
def engine(db_url):
    from data_models.db import get_engine

    return get_engine(db_url)


@pytest.fixture
def sqlite_engine(tmp_path):
    from data_models.database import init_db

    return init_db(f"sqlite:///{tmp_path / 'test.sqlite'}")


@pytest.fixture(autouse=True)
def _unfreeze_gc():
    """The app freezes long-lived objects after loading data (components/data_access._freeze_long_lived); in a long
    test run that would keep every earlier test's cyclic garbage. Give it back to the collector after each test."""
    import gc

    yield
    gc.unfreeze()
