"""Verwaltung through AppTest: the audit log (filter, download, who sees it) and the deletion dialogs."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import func, insert, select
from streamlit.testing.v1 import AppTest

from data_models import accounts, db, store
from data_models.importers.base import ImportResult
from tests.conftest import ROOT
from tests.pages.conftest import login_as, run_app, texts

PW = "sicheres-passwort-1"


@pytest.fixture
def office(app_db):
    tenant, _ = accounts.signup(app_db, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna",
                                email="a@a.de", username="anna", password=PW, password2=PW)
    token, _ = accounts.create_invitation(app_db, tenant.id, "anna")
    accounts.accept_invitation(app_db, token, name="Bert", email="b@a.de", username="bert", password=PW, password2=PW)
    accounts.authenticate(app_db, "anna", PW)
    with pytest.raises(accounts.AccountError):
        accounts.authenticate(app_db, "bert", "falsches-passwort")
    return tenant


def upload(engine, tid, n: int) -> int:
    soz = pd.DataFrame({"sozialraum_id": ["01"], "name": ["Nord"]})
    bev = pd.DataFrame([{"jahr": 2023, "sozialraum_id": "01", "a0_3": n, "insgesamt": n * 10}])
    return store.save_import(engine, tid, "anna", ImportResult("masterdatei", f"m{n}.xlsx",
                                                                tables={"sozialraeume": soz, "bevoelkerung": bev}),
                             str(n).encode())


def log_tab(at):
    return [t for t in at.tabs if t.label == "Protokoll"][0]


def shown_log(at) -> pd.DataFrame:
    return log_tab(at).dataframe[0].value


def test_admin_reads_filters_and_downloads_the_log(app_db, office):
    upload(app_db, office.id, 7)
    at = run_app(user=login_as(app_db, "anna"), page="pages/verwaltung.py")
    assert not at.exception
    log = shown_log(at)
    assert list(log.columns) == ["Zeitpunkt", "Benutzer", "Aktion", "Details"]
    assert list(log["Aktion"]) == ["Upload", "Anmeldung fehlgeschlagen", "Anmeldung", "Einladung angenommen",
                                   "Einladung erstellt", "Registrierung"]
    assert list(log["Benutzer"]) == ["anna", "bert", "anna", "bert", "anna", "anna"]
    assert log["Details"].iloc[0] == "Version 1: m7.xlsx"
    assert log["Zeitpunkt"].str.match(r"^\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d$").all()
    assert "6 Einträge" in texts(at)
    # filters: action, user
    tab = log_tab(at)
    tab.multiselect[0].select("anmeldung").select("anmeldung_fehlgeschlagen")
    at.run()
    assert list(shown_log(at)["Aktion"]) == ["Anmeldung fehlgeschlagen", "Anmeldung"]
    log_tab(at).selectbox[0].select("bert")
    at.run()
    assert list(shown_log(at)["Benutzer"]) == ["bert"]
    # the period: nothing before yesterday
    log_tab(at).multiselect[0].set_value([])
    yesterday = datetime.now(timezone.utc).date() - timedelta(days=1)
    log_tab(at).date_input[0].set_value((yesterday - timedelta(days=5), yesterday))
    at.run()
    assert len(shown_log(at)) == 0 and "0 Einträge" in texts(at)
    # a download button for the shown log (CSV and Excel)
    labels = [b.proto.label for b in log_tab(at).get("download_button")]
    assert labels == ["Protokoll als CSV (Excel)", "Protokoll als Excel-Datei"]


def test_log_never_shows_other_tenants_or_operator_entries(app_db, office):
    other, _ = accounts.signup(app_db, office="Jugendamt Bstadt", typ="stadt", key=None, name="Cora",
                               email="c@b.de", username="cora", password=PW, password2=PW)
    upload(app_db, other.id, 5)
    with app_db.begin() as conn:
        conn.execute(insert(db.audit_log).values(tenant_id=None, at=datetime.now(timezone.utc), benutzer="x",
                                                 aktion="jugendamt_geloescht", details="„Jugendamt Weg“"))
    at = run_app(user=login_as(app_db, "anna"), page="pages/verwaltung.py")
    log = shown_log(at)
    assert "cora" not in set(log["Benutzer"]) and "x" not in set(log["Benutzer"])
    assert not any("m5.xlsx" in d or "Weg" in d for d in log["Details"])


def test_member_and_coordinator_see_no_log(app_db, office):
    accounts.create_user(app_db, username="kora", email="k@p.de", password=PW, role="coordinator")
    for who in ("bert", "kora"):
        at = run_app(user=login_as(app_db, who))
        with pytest.raises(ValueError):  # not in their navigation
            at.switch_page("pages/verwaltung.py")
        direct = AppTest.from_file(str(ROOT / "pages" / "verwaltung.py"), default_timeout=60)
        direct.session_state["sk_user"] = login_as(app_db, who)
        direct.run()
        assert "nicht freigegeben" in texts(direct) and not direct.dataframe


def _dialog_button(at, label):
    return [b for b in at.button if b.label == label][0]


def test_deleting_old_versions_through_the_dialog(app_db, office):
    for n in (1, 2, 3):
        upload(app_db, office.id, n)
    at = run_app(user=login_as(app_db, "anna"), page="pages/verwaltung.py")
    tab = [t for t in at.tabs if t.label == "Daten löschen"][0]
    assert tab.selectbox[0].value == 3
    assert "Gelöscht würden die Versionen 1, 2." in texts(at)
    _dialog_button(at, "Versionen löschen …").click()
    at.run()
    assert "endgültig gelöscht" in texts(at)  # the confirmation dialog is open; nothing deleted yet
    assert [v.version for v in store.list_versions(app_db, office.id)] == [1, 2, 3]
    _dialog_button(at, "Endgültig löschen").click()
    at.run()
    assert not at.exception
    assert [v.version for v in store.list_versions(app_db, office.id)] == [3]
    assert "2 alte Versionen wurden gelöscht." in texts(at)


def test_deleting_the_office_needs_its_name(app_db, office):
    upload(app_db, office.id, 4)
    at = run_app(user=login_as(app_db, "anna"), page="pages/verwaltung.py")
    _dialog_button(at, "Jugendamt löschen …").click()
    at.run()
    assert "nicht rückgängig" in texts(at)
    name_box = [t for t in at.text_input if t.label.startswith("Zur Bestätigung")][0]
    name_box.input("Jugendamt Bstadt")
    _dialog_button(at, "Jugendamt endgültig löschen").click()
    at.run()
    assert "stimmt nicht" in " ".join(e.value for e in at.error)
    assert accounts.get_tenant(app_db, office.id) is not None
    name_box = [t for t in at.text_input if t.label.startswith("Zur Bestätigung")][0]
    name_box.input("jugendamt astadt")
    _dialog_button(at, "Jugendamt endgültig löschen").click()
    at.run()
    assert not at.exception
    assert accounts.get_tenant(app_db, office.id) is None
    with app_db.connect() as conn:
        for table in db.metadata.sorted_tables:
            if "tenant_id" in table.c:
                n = conn.execute(select(func.count()).select_from(table).where(table.c.tenant_id == office.id))
                assert n.scalar_one() == 0, table.name


def test_app_applies_retention_limits(app_db):
    tenant = accounts.create_tenant(app_db, slug="astadt", name="Jugendamt Astadt")
    old = datetime.now(timezone.utc) - timedelta(days=800)
    with app_db.begin() as conn:
        conn.execute(insert(db.audit_log).values(tenant_id=tenant.id, at=old, benutzer="anna", aktion="upload",
                                                 details="alt"))
        conn.execute(insert(db.login_attempts).values(username_key="anna", client="10.0.0.1", at=old,
                                                      success=False))
    at = run_app()
    assert not at.exception
    with app_db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.audit_log)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(db.login_attempts)).scalar_one() == 0
