"""manage.py as outside checks use it: exit codes, machine output on stdout, German messages on stderr."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

DEMO = ROOT / "assets" / "demo"


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    env = dict(os.environ, STRATEGIEKARTE_DATABASE_URL=f"sqlite:///{tmp / 'cli.sqlite'}",
               STRATEGIEKARTE_DATA_DIR=str(tmp), STRATEGIEKARTE_BCRYPT_ROUNDS="4")

    def run(*args, check=None):
        p = subprocess.run([sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                           text=True)
        if check is not None:
            assert p.returncode == check, (p.returncode, p.stdout[-2000:], p.stderr[-2000:])
        return p

    run.tmp = tmp
    run("create-tenant", "--slug", "astadt", "--name", "Jugendamt Astadt", "--type", "stadt", "--key", "05315000",
        check=0)
    return run


def test_usage_errors_exit_2(cli):
    assert cli("frobnicate").returncode == 2
    assert cli("indicators", "--tenant", "gibtsnicht").returncode == 2
    assert "gibt es nicht" in cli("indicators", "--tenant", "gibtsnicht").stderr
    assert cli("indicators", "--tenant", "astadt", "--indicator", "unbekannt").returncode == 2
    assert cli("breakdown", "--tenant", "astadt", "--table", "unbekannt").returncode == 2
    assert cli("rollback", "--tenant", "astadt", "--version", "99").returncode == 2
    assert cli("import", "--tenant", "astadt", DEMO / "hze_einzeldaten.csv", "--kind", "quatsch").returncode == 2


def test_refused_input_exit_1_and_nothing_stored(cli, tmp_path):
    empty = tmp_path / "leer.xlsx"
    empty.write_bytes(b"")
    p = cli("import", "--tenant", "astadt", empty)
    assert p.returncode == 1 and "leer" in p.stderr and p.stdout == ""
    bad = ROOT / "tests" / "fixtures" / "bad" / "md_negative_count.xlsx"
    p = cli("import", "--tenant", "astadt", bad)
    assert p.returncode == 1 and "Fehler" in p.stderr
    p = cli("import", "--tenant", "astadt", bad, "--dry-run")
    assert p.returncode == 1
    assert json.loads(cli("versions", "--tenant", "astadt", "--format", "json", check=0).stdout) == []
    assert cli("create-tenant", "--slug", "astadt2", "--name", "JUGENDAMT ASTADT").returncode == 1  # same name
    assert cli("create-user", "--username", "anna", "--email", "a@a.de", "--password", "kurz", "--role", "admin",
               "--tenant", "astadt").returncode == 1  # weak password


def test_import_versions_indicators_rollback_export_roundtrip(cli, tmp_path):
    v = cli("import", "--tenant", "astadt", DEMO / "musterstadt_masterdatei.xlsx", check=0)
    assert v.stdout.strip() == "1"
    assert cli("import", "--tenant", "astadt", DEMO / "zuordnung.csv", check=0).stdout.strip() == "2"
    assert cli("import", "--tenant", "astadt", DEMO / "hze_einzeldaten.csv", "--dry-run", check=0).stdout == ""
    assert cli("import", "--tenant", "astadt", DEMO / "hze_einzeldaten.csv", check=0).stdout.strip() == "3"
    versions = json.loads(cli("versions", "--tenant", "astadt", "--format", "json", check=0).stdout)
    assert [x["version"] for x in versions] == [1, 2, 3]
    assert versions[2]["arten"] == {"hze_records": list(range(2015, 2025))}
    assert set(versions[0]) == {"version", "arten", "datei", "zeilen", "benutzer", "zeitpunkt", "aktuell"}

    out = json.loads(cli("indicators", "--tenant", "astadt", "--year", "2024", "--sozialraum", "GESAMT",
                         "--indicator", "hze_dichte", check=0).stdout)
    assert len(out) == 1
    row = out[0]
    assert row["einheit"] == "je 1.000 unter 21" and row["unterdrueckt"] is False
    assert row["wert"] == pytest.approx(row["zaehler"] * 1000 / row["nenner"])  # multiply first, divide once

    # csv and csv-de
    text = cli("indicators", "--tenant", "astadt", "--year", "2024", "--indicator", "hze_dichte", "--format", "csv",
               check=0).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["sozialraum_id"] == "GESAMT" and rows[-1]["sozialraum_id"] == "OHNE"
    assert rows[-1]["sozialraum"] == "nicht zuordenbar"
    raw = subprocess.run([sys.executable, "manage.py", "indicators", "--tenant", "astadt", "--year", "2024",
                          "--indicator", "hze_dichte", "--format", "csv-de"], cwd=ROOT, capture_output=True,
                         env=dict(os.environ, STRATEGIEKARTE_DATABASE_URL=f"sqlite:///{cli.tmp / 'cli.sqlite'}")).stdout
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw.splitlines()[0]

    # breakdown: all categories of the code list, anteil in %
    seg = list(csv.DictReader(io.StringIO(cli("breakdown", "--tenant", "astadt", "--table", "segment", "--year",
                                              "2024", "--sozialraum", "GESAMT", "--format", "csv", check=0).stdout)))
    assert [r["kategorie_code"] for r in seg] == ["EB", "ambulant", "teilstationär", "stationär", "§ 35a"]
    assert sum(float(r["anteil"]) for r in seg) == pytest.approx(100.0)

    # rollback: version 1 again as version 4
    assert cli("rollback", "--tenant", "astadt", "--version", "1", check=0).stdout.strip() == "4"

    # export and re-import into an empty tenant: same figures for what a Masterdatei carries
    out_file = tmp_path / "export.xlsx"
    cli("export", "--tenant", "astadt", "--out", out_file, check=0)
    cli("create-tenant", "--slug", "bstadt", "--name", "Jugendamt Bstadt", check=0)
    cli("import", "--tenant", "bstadt", out_file, check=0)
    a = json.loads(cli("indicators", "--tenant", "astadt", "--indicator", "hze_dichte", check=0).stdout)
    b = json.loads(cli("indicators", "--tenant", "bstadt", "--indicator", "hze_dichte", check=0).stdout)
    assert [(r["jahr"], r["sozialraum_id"], r["zaehler"], r["nenner"]) for r in a] == \
           [(r["jahr"], r["sozialraum_id"], r["zaehler"], r["nenner"]) for r in b]


def test_template_imports_without_error(cli, tmp_path):
    f = tmp_path / "vorlage.xlsx"
    cli("template", "--out", f, check=0)
    p = cli("import", "--tenant", "astadt", f, "--dry-run")
    assert p.returncode in (0, 1)
    assert "Fehler:" not in p.stderr or "keine Daten" in p.stderr


def test_accounts_on_the_command_line(cli):
    cli("create-user", "--username", "anna", "--email", "anna@astadt.de", "--password", "sicheres-passwort-1",
        "--role", "admin", "--tenant", "astadt", check=0)
    cli("create-user", "--username", "kora", "--email", "kora@programm.de", "--password", "sicheres-passwort-2",
        "--role", "coordinator", check=0)
    assert cli("create-user", "--username", "ANNA", "--email", "x@y.de", "--password", "sicheres-passwort-3",
               "--role", "member", "--tenant", "astadt").returncode == 1
    cli("reset-password", "--username", "anna", "--password", "neues-passwort-4", check=0)
    assert cli("reset-password", "--username", "niemand", "--password", "neues-passwort-4").returncode == 2
    cli("consent", "--tenant", "astadt", "on", check=0)


def test_delete_tenant_needs_yes(cli):
    cli("create-tenant", "--slug", "weg", "--name", "Jugendamt Weg", check=0)
    assert cli("delete-tenant", "--slug", "weg").returncode == 2
    cli("delete-tenant", "--slug", "weg", "--yes", check=0)
    assert cli("versions", "--tenant", "weg").returncode == 2


def test_public_output_is_suppressed_before_filtering(cli):
    full = json.loads(cli("indicators", "--tenant", "astadt", "--year", "2024", "--public", check=0).stdout)
    one = json.loads(cli("indicators", "--tenant", "astadt", "--year", "2024", "--sozialraum", "02", "--public",
                         check=0).stdout)
    assert one == [r for r in full if r["sozialraum_id"] == "02"]
    assert all(r["wert"] is None for r in full if r["unterdrueckt"])
    counts = [r["wert"] for r in full if r["einheit"] in ("Fälle", "Verfahren", "Maßnahmen", "Personen")]
    assert not any(v in (1, 2) for v in counts)
