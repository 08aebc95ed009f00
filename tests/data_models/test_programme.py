"""The programme board and the coordinators' comparison (data_models/programme.py), on SQLite and PostgreSQL, with
values computed by hand; `manage.py compare` and `consent` against cli.md."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import func, select

from data_models import accounts, audit, db, programme
from data_models.accounts import get_tenant_by_slug
from tests.conftest import ROOT
from tests.data_models.factories import Builder
from tests.programme_factories import PW, office, office_a, office_b, store_dataset


def row(frame, slug, indicator, year=2023):
    r = frame[(frame["tenant"] == slug) & (frame["indikator"] == indicator) & (frame["jahr"] == year)]
    assert len(r) == 1, (slug, indicator, len(r))
    return r.iloc[0]


@pytest.fixture
def offices(engine):
    a = office(engine, "astadt", "Jugendamt Astadt", builder=office_a())
    b = office(engine, "bstadt", "Jugendamt Bstadt", typ="landkreis", builder=office_b())
    c = office(engine, "cstadt", "Jugendamt Cstadt", confirmed=False, builder=office_a())  # consents, unconfirmed
    d = office(engine, "dstadt", "Jugendamt Dstadt", consent=False, builder=office_a())  # confirmed, no consent
    return a, b, c, d


# -------------------------------------------------------------------------------------------------- comparison
def test_only_confirmed_consenting_offices_and_only_gesamt(engine, offices):
    frame = programme.compare_frame(engine)
    assert list(frame.columns) == programme.COMPARE_COLUMNS
    assert set(frame["tenant"]) == {"astadt", "bstadt"}
    assert "sozialraum_id" not in frame.columns and "sozialraum" not in frame.columns
    # Astadt 2023: HzE 10 + 2 = 12 over u21 1000 + 1000 -> 6.0 per 1,000; SGB II 100 / 1000 u15 = 10 %
    r = row(frame, "astadt", "hze_dichte")
    assert (r["wert"], r["zaehler"], r["nenner"], bool(r["unterdrueckt"])) == (6.0, 12, 2000, False)
    assert row(frame, "astadt", "hze_faelle")["wert"] == 12
    assert row(frame, "astadt", "sgb2_quote_u15")["wert"] == pytest.approx(10.0)
    # the Sozialraum figure 2 of Astadt never leaves the office: no published value of 2 at all
    published = frame.loc[~frame["unterdrueckt"], ["wert", "zaehler", "nenner"]].stack()
    assert not ((published > 0) & (published < 3)).any()


def test_small_gesamt_counts_are_suppressed_with_numerator_and_denominator(engine, offices):
    frame = programme.compare_frame(engine)
    # Bstadt: 1 HzE in total -> the count and the Eckwert over it are "." (null, unterdrueckt)
    for ind in ("hze_faelle", "hze_dichte"):
        r = row(frame, "bstadt", ind)
        assert r["unterdrueckt"] and pd.isna(r["wert"]) and pd.isna(r["zaehler"]) and pd.isna(r["nenner"])
    assert row(frame, "bstadt", "sgb2_quote_u15")["wert"] == pytest.approx(20.0)  # 200 / 1000
    # Astadt: Inobhutnahmen 10, UMA 2 -> "ohne UMA" (8) would reveal the 2: that Eckwert goes, the 10 stays
    assert row(frame, "astadt", "inobhutnahmen")["wert"] == 10
    assert row(frame, "astadt", "inobhutnahmen_ohne_uma_dichte")["unterdrueckt"]
    assert row(frame, "astadt", "inobhutnahmen_dichte")["wert"] == pytest.approx(10 * 10000 / 1600)


def test_filters_sort_and_peer_group(engine, offices):
    office(engine, "aaa", "Abendstadt", builder=office_b(hze_01=30))  # sorts before Astadt by name
    frame = programme.compare_frame(engine, years=2023, indicators="hze_dichte", peer_group_column=True)
    assert frame["tenant"].tolist() == ["aaa", "astadt", "bstadt"]
    # two kreisfreie Städte and one Landkreis: too few to split by the SGB-II-Quote (peer_groups.py)
    assert frame["vergleichsgruppe"].tolist() == ["Kreisfreie Städte", "Kreisfreie Städte", "Landkreise"]
    assert frame["wert"].tolist()[:2] == [30 * 1000 / 1000, 6.0]
    # a third city: thirds of the SGB-II-Quote 10, 20, 20 % -> cut points 10 + 10 × 2/3 = 16,7 and 20
    office(engine, "estadt", "Jugendamt Estadt", builder=office_b(hze_01=40))
    frame = programme.compare_frame(engine, years=2023, indicators="hze_dichte", peer_group_column=True)
    groups = dict(zip(frame["tenant"], frame["vergleichsgruppe"]))
    assert groups["astadt"] == "Kreisfreie Städte, SGB-II-Quote niedrig (bis 16,7 %)"
    assert groups["aaa"] == groups["estadt"] == "Kreisfreie Städte, SGB-II-Quote mittel (über 16,7 bis 20,0 %)"
    assert groups["bstadt"] == "Landkreise"
    assert programme.compare_frame(engine, years=[2020]).empty
    with pytest.raises(ValueError):
        programme.compare_frame(engine, indicators="gibt_es_nicht")


def test_demo_and_offices_without_data_are_left_out(engine):
    office(engine, "leer", "Jugendamt Leer")
    accounts.create_tenant(engine, slug="musterstadt", name="Musterstadt", confirmed=True, is_demo=True)
    demo = get_tenant_by_slug(engine, "musterstadt")
    accounts.set_consent(engine, demo.id, "test", True)
    store_dataset(engine, demo.id, office_a())
    assert programme.compare_frame(engine).empty
    assert [t.slug for t in programme.participants(engine)] == ["leer"]
    assert "musterstadt" not in set(programme.board(engine)["slug"])


def test_consent_off_removes_the_office_at_once(engine, offices):
    a = offices[0]
    accounts.set_consent(engine, a.id, "anna", False)
    assert set(programme.compare_frame(engine)["tenant"]) == {"bstadt"}


def test_scatter_points_and_line(engine, offices):
    office(engine, "estadt", "Jugendamt Estadt", builder=office_b(hze_01=40))  # 40 / 1000 u21 -> 40, SGB II 20 %
    frame = programme.compare_frame(engine)
    pts = programme.scatter_points(frame, 2023)
    # Bstadt's Eckwert is suppressed: it is not a point
    assert pts["sozialraum_id"].tolist() == ["astadt", "estadt"]
    assert pts["hze_dichte"].tolist() == [6.0, 40.0]
    assert pts["bev_u21"].tolist() == [2000, 1000]
    assert programme.least_squares(pts) is None  # two offices: no line
    office(engine, "fstadt", "Jugendamt Fstadt", builder=office_b(hze_01=30))  # (20 %, 30)
    pts = programme.scatter_points(programme.compare_frame(engine), 2023)
    slope, intercept, r2 = programme.least_squares(pts)
    # x = 10, 20, 20; y = 6, 40, 30: mean x 50/3, mean y 76/3; Sxy = 340/3 * ... computed exactly below
    xs, ys = [10, 20, 20], [6, 40, 30]
    mx, my = sum(xs) / 3, sum(ys) / 3
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    assert slope == pytest.approx(sxy / sxx) and slope == pytest.approx(2.9)
    assert intercept == pytest.approx(my - 2.9 * mx)


# --------------------------------------------------------------------------------------------------------- board
def test_board_kinds_years_dates_and_no_figures(engine, offices):
    b = programme.board(engine)
    assert b["slug"].tolist() == ["astadt", "bstadt", "cstadt", "dstadt"]
    a = b.set_index("slug").loc["astadt"]
    assert a["daten"] == "Sozialräume; Bevölkerung 2023; SGB II 2023; HzE 2023; § 42 2023"
    assert a["uploads"] == 1 and a["bestaetigt"] and a["zustimmung"]
    assert a["letzter_upload"] is not None and a["registriert"] is not None
    c = b.set_index("slug").loc["cstadt"]
    assert not c["bestaetigt"] and c["zustimmung"]
    # no figure of any office on the board: only text, dates, flags and the number of uploads
    assert set(b.columns) == set(programme.BOARD_COLUMNS)
    assert programme.describe_inventory({}) == "noch keine Daten"


def test_board_signup_is_unconfirmed(engine):
    accounts.signup(engine, office="Jugendamt Neu", typ="landkreis", key="05111", name="Nina", email="n@neu.de",
                    username="nina", password=PW, password2=PW)
    b = programme.board(engine)
    assert b["name"].tolist() == ["Jugendamt Neu"]
    assert not b["bestaetigt"].iloc[0] and not b["zustimmung"].iloc[0]
    assert b["daten"].iloc[0] == "noch keine Daten" and b["uploads"].iloc[0] == 0
    assert pd.isna(b["letzter_upload"].iloc[0])


def test_confirm_logs_and_brings_the_office_into_the_comparison(engine, offices):
    c = offices[2]
    assert programme.confirm_tenant(engine, c.id, "kora") is True
    assert programme.confirm_tenant(engine, c.id, "kora") is False  # already confirmed
    assert "cstadt" in set(programme.compare_frame(engine)["tenant"])
    log = audit.read_log(engine, c.id)
    assert "kora" in set(log["Benutzer"])


def test_remove_unconfirmed_deletes_every_row(engine, offices):
    c = offices[2]
    accounts.create_user(engine, username="carl", email="carl@c.de", password=PW, role="admin", tenant_slug="cstadt")
    with pytest.raises(programme.ProgrammeError):
        programme.remove_unconfirmed(engine, c.id, "kora", "Jugendamt Falsch")
    with pytest.raises(programme.ProgrammeError):  # a confirmed office is never removed here
        programme.remove_unconfirmed(engine, offices[0].id, "kora", "Jugendamt Astadt")
    assert programme.remove_unconfirmed(engine, c.id, "kora", "  jugendamt   CSTADT ") == "Jugendamt Cstadt"
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if "tenant_id" in table.c:
                n = conn.execute(select(func.count()).select_from(table).where(table.c.tenant_id == c.id)).scalar()
                assert n == 0, table.name
        assert conn.execute(select(db.tenants).where(db.tenants.c.id == c.id)).first() is None
    assert accounts.get_user_by_name(engine, "carl") is None
    assert get_tenant_by_slug(engine, "astadt") is not None  # the others are untouched
    assert len(programme.board(engine)) == 3
    with pytest.raises(programme.ProgrammeError):
        programme.confirm_tenant(engine, c.id, "kora")


# ------------------------------------------------------------------------------------------------ command line
def manage(url, *args):
    import os

    env = dict(os.environ, STRATEGIEKARTE_DATABASE_URL=url)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def test_cli_compare_and_consent(db_url, engine):
    office(engine, "astadt", "Jugendamt Astadt", builder=office_a(), consent=False)
    office(engine, "bstadt", "Jugendamt Bstadt", builder=office_b(), typ="landkreis")
    r = manage(db_url, "consent", "--tenant", "astadt", "on")
    assert r.returncode == 0, r.stderr
    r = manage(db_url, "compare", "--year", "2023", "--indicator", "hze_dichte", "--peer-group")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == [
        {"jahr": 2023, "tenant": "astadt", "name": "Jugendamt Astadt", "indikator": "hze_dichte", "wert": 6,
         "zaehler": 12, "nenner": 2000, "einheit": "je 1.000 unter 21", "unterdrueckt": False,
         "vergleichsgruppe": "Kreisfreie Städte"},
        {"jahr": 2023, "tenant": "bstadt", "name": "Jugendamt Bstadt", "indikator": "hze_dichte", "wert": None,
         "zaehler": None, "nenner": None, "einheit": "je 1.000 unter 21", "unterdrueckt": True,
         "vergleichsgruppe": "Landkreise"},
    ]
    r = manage(db_url, "compare", "--year", "2023", "--indicator", "hze_faelle", "--format", "csv-de")
    lines = r.stdout.encode("utf-8").decode("utf-8-sig").splitlines()
    assert lines[0] == "Jahr;Jugendamt-Kennung;Jugendamt;Indikator;Wert;Zähler;Nenner;Einheit;unterdrückt"
    assert lines[1:] == ["2023;astadt;Jugendamt Astadt;hze_faelle;12;12;;Fälle;nein",
                         "2023;bstadt;Jugendamt Bstadt;hze_faelle;.;;;Fälle;ja"]
    r = manage(db_url, "consent", "--tenant", "astadt", "off")
    assert r.returncode == 0 and "aus" in r.stderr
    r = manage(db_url, "compare", "--format", "csv")
    assert r.returncode == 0 and "astadt" not in r.stdout and "bstadt" in r.stdout
    assert manage(db_url, "compare", "--indicator", "nope").returncode == 2
    assert manage(db_url, "consent", "--tenant", "nope", "on").returncode == 2
