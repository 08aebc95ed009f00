"""Small helpers shared by the reliability tests (no fixtures: test_scale_out.py and the others stay independent)."""
from __future__ import annotations

import json

import pandas as pd

from data_models import accounts, store
from data_models.export_masterdatei import masterdatei_bytes
from tests.conftest import ROOT
from tests.data_models.factories import frame, population_row, sozialraum

DEMO = ROOT / "assets" / "demo"
PW = "sicheres-passwort-1"


def demo_bytes(name: str) -> bytes:
    return (DEMO / name).read_bytes()


def snapshot(engine, tenant_id: int) -> str:
    """Everything a tenant has stored, as one comparable text (versions, data version, current frames)."""
    frames = store.current_frames(engine, tenant_id)
    return json.dumps({
        "versions": [v.as_json() for v in store.list_versions(engine, tenant_id)],
        "data_version": store.data_version(engine, tenant_id),
        "frames": {k: f.to_csv(index=False) for k, f in frames.items()},
    }, sort_keys=True)


def small_masterdatei(names: dict[str, str] | None = None, u21: int = 1000, years=(2023, 2024),
                      hze: int = 3) -> bytes:
    """A small valid Masterdatei: Sozialräume (id -> name), population and HzE of `years`; `u21` and `hze` shift
    the population and the ongoing cases, so that two files differ in every row."""
    names = names or {"01": "Nord", "02": "Süd"}
    tables = {
        "sozialraeume": frame("sozialraeume", [sozialraum(i, n) for i, n in names.items()]),
        "bevoelkerung": frame("bevoelkerung", [population_row(y, i, u15=u21 // 2, u18=u21 * 3 // 4, u21=u21 + k)
                                               for y in years for k, i in enumerate(names)]),
        "hze": frame("hze", [{"jahr": y, "sozialraum_id": i, "hilfeart": "07", "andauernd": hze + k,
                              "beendet": 1, "begonnen": 2}
                             for y in years for k, i in enumerate(names)]),
    }
    return masterdatei_bytes(tables)


def tenant_with_data(engine, slug: str = "astadt", name: str = "Jugendamt Astadt", data: bytes | None = None):
    """A confirmed tenant with one stored version (the small Masterdatei)."""
    from data_models.tenant_data import import_file

    t = accounts.create_tenant(engine, slug=slug, name=name, typ="stadt")
    out = import_file(engine, t.id, "anna", data or small_masterdatei(), "md.xlsx", kind="masterdatei")
    assert out.version == 1, [f.text() for f in out.result.findings]
    return t


def frames_text(frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    return {k: f.to_csv(index=False) for k, f in frames.items()}


# --- fixtures (imported by the test modules that use them) --------------------------------------------------------
import pytest  # noqa: E402


_SCANNED: list = []


def _scan_once(max_workers=None):
    """Every new AppTest scans all installed packages for Streamlit components (about 1 s each time on this
    machine); the installed packages do not change during a test run, so scan once."""
    if not _SCANNED:
        _SCANNED.append(_REAL_SCAN(max_workers))
    return list(_SCANNED[0])


def _real_scan():
    from streamlit.components.v2 import manifest_scanner

    return manifest_scanner.scan_component_manifests


_REAL_SCAN = _real_scan()


@pytest.fixture
def app_env(db_url, tmp_path, monkeypatch):
    """The real app (AppTest) against the test database of `db_url` (SQLite and PostgreSQL); returns its engine.

    Streamlit's caches are process-wide and keyed by tenant id and data version, which repeat between test
    databases: they are cleared before and after each test."""
    import streamlit as st

    from data_models.db import get_engine

    from streamlit.components.v2 import manifest_scanner

    monkeypatch.setattr(manifest_scanner, "scan_component_manifests", _scan_once)
    monkeypatch.setenv("STRATEGIEKARTE_DATABASE_URL", db_url)
    monkeypatch.setenv("STRATEGIEKARTE_DATA_DIR", str(tmp_path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield get_engine(db_url)
    st.cache_data.clear()
    st.cache_resource.clear()


def terminate_backends(url: str) -> int:
    """PostgreSQL: end every other server connection to this test database (what a server restart does to the
    app's pooled connections), without touching other databases on the shared server."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, dbname=u.database,
                         autocommit=True) as conn:
        return conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
