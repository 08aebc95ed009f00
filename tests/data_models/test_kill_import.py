"""An import process killed with SIGKILL while reading, converting or writing leaves the previous version current
and the database consistent (SQLite and PostgreSQL)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from data_models import accounts, store
from data_models.tenant_data import import_file
from tests.conftest import ROOT

DEMO = ROOT / "assets" / "demo"

CHILD = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from data_models.database import init_db
    from data_models import store, tenant_data
    import data_models.importers as importers

    point = sys.argv[2]
    engine = init_db(sys.argv[1])

    def stall(label):
        print(label, flush=True)
        time.sleep(60)

    if point == "lesen":
        real = importers.run_importer
        def slow(*a, **k):
            stall("LESEN")
            return real(*a, **k)
        tenant_data.run_importer = slow
    elif point == "umrechnen":
        real = importers.run_importer
        def slow(*a, **k):
            result = real(*a, **k)
            stall("UMRECHNEN")
            return result
        tenant_data.run_importer = slow
    elif point == "schreiben":
        real = store._make_current
        calls = []
        def slow(*a):
            real(*a)
            calls.append(1)
            if len(calls) == 1:  # slice written and switched, transaction not yet committed
                stall("SCHREIBEN")
        store._make_current = slow
    data = open(sys.argv[3], "rb").read()
    tenant_data.import_file(engine, int(sys.argv[4]), "kill-test", data, "hze.csv", kind="hze")
    print("FERTIG", flush=True)
""")


@pytest.mark.parametrize("point", ["lesen", "umrechnen", "schreiben"])
def test_kill_during_import_keeps_previous_data(db_url, engine, point, tmp_path):
    t = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt")
    for name, kind in (("musterstadt_masterdatei.xlsx", "masterdatei"), ("hze_einzeldaten.csv", "hze")):
        assert import_file(engine, t.id, "anna", (DEMO / name).read_bytes(), name, kind=kind).version
    before_versions = [v.as_json() for v in store.list_versions(engine, t.id)]
    before_hze = store.current_frames(engine, t.id, kinds=("hze_records",))["hze_records"]
    # a changed file: every record of 2024 moves to Sozialraum 01
    changed = tmp_path / "hze.csv"
    lines = (DEMO / "hze_einzeldaten.csv").read_text(encoding="utf-8-sig").splitlines()
    changed.write_text("\n".join(lines[:1] + [l for l in lines[1:] if ";2024;" in l]), encoding="utf-8")

    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(ROOT)))
    proc = subprocess.Popen([sys.executable, str(script), db_url, point, str(changed), str(t.id)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    marker = proc.stdout.readline().strip()
    assert marker == point.upper()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)

    engine.dispose()  # drop pooled connections; the killed process's locks are gone with it
    assert [v.as_json() for v in store.list_versions(engine, t.id)] == before_versions
    after = store.current_frames(engine, t.id, kinds=("hze_records",))["hze_records"]
    assert after.equals(before_hze)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    # and the next import works
    assert import_file(engine, t.id, "anna", changed.read_bytes(), "hze.csv", kind="hze").version == 3
