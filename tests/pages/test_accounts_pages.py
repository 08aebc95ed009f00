"""Start, sign-up, invitation and administration pages through Streamlit's AppTest."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_models import accounts
from tests.conftest import ROOT
from tests.pages.conftest import login_as, run_app, texts

PW = "sicheres-passwort-1"


def fill_signup(at, **values):
    labels = {"office": "Name des Jugendamts", "name": "Ihr Name", "email": "E-Mail-Adresse",
              "username": "Benutzername", "password": "Passwort", "password2": "Passwort wiederholen"}
    for key, label in labels.items():
        [t for t in at.text_input if t.label == label][0].input(values.get(key, ""))
    [b for b in at.button if b.label == "Jugendamt registrieren"][0].click()
    return at.run()


def test_start_page_is_german_and_offers_three_ways(app_db):
    at = run_app()
    assert not at.exception
    assert at.title[0].value == "Strategiekarte"
    assert "Hilfen zur Erziehung" in texts(at)
    assert [b.label for b in at.button] == ["Demo ansehen"]


def test_signup_creates_office_and_logs_in(app_db):
    at = run_app(page="pages/registrieren.py")
    at = fill_signup(at, office="Jugendamt Astadt", name="Anna", email="anna@astadt.de", username="anna",
                     password=PW, password2=PW)
    assert not at.exception
    assert at.session_state["sk_user"]["username"] == "anna"
    assert accounts.get_tenant_by_slug(app_db, "jugendamt-astadt").confirmed is False


def test_signup_errors_are_german_and_nothing_is_stored(app_db):
    at = run_app(page="pages/registrieren.py")
    at = fill_signup(at, office="<script>alert(1)</script>", name="A", email="a@b.de", username="anna",
                     password="neun-9-ch", password2="anders-123")
    errors = " ".join(e.value for e in at.error)
    assert "mindestens 10 Zeichen" in errors and "stimmen nicht überein" in errors
    assert accounts.list_tenants(app_db) == []
    assert not at.exception


def test_member_sees_tenant_pages_but_not_admin_pages(app_db):
    tenant, _ = accounts.signup(app_db, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna",
                                email="a@a.de", username="anna", password=PW, password2=PW)
    token, _ = accounts.create_invitation(app_db, tenant.id, "anna")
    accounts.accept_invitation(app_db, token, name="Bert", email="b@a.de", username="bert", password=PW, password2=PW)
    at = run_app(user=login_as(app_db, "bert"))
    assert not at.exception
    assert "Jugendamt Astadt" in " ".join(m.value for m in at.sidebar.markdown)
    with pytest.raises(ValueError):  # not registered in the member's navigation: no URL reaches it
        at.switch_page("pages/verwaltung.py")
    # and the page itself refuses a member, should it ever be run
    direct = AppTest.from_file(str(ROOT / "pages" / "verwaltung.py"), default_timeout=60)
    direct.session_state["sk_user"] = login_as(app_db, "bert")
    direct.run()
    assert "nicht freigegeben" in texts(direct)
    assert not any(e.label == "Neue Einladung erstellen" for e in direct.button)


def test_admin_creates_invitation_and_sees_users(app_db):
    accounts.signup(app_db, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna",
                    email="a@a.de", username="anna", password=PW, password2=PW)
    at = run_app(user=login_as(app_db, "anna"), page="pages/verwaltung.py")
    assert not at.exception
    [b for b in at.button if b.label == "Neue Einladung erstellen"][0].click()
    at.run()
    assert any("?einladung=" in c.value for c in at.code)
    assert accounts.list_invitations(app_db, accounts.get_user_by_name(app_db, "anna").tenant_id)[0].status == "offen"


def test_invitation_link_opens_form_and_expired_token_is_refused(app_db):
    tenant, _ = accounts.signup(app_db, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna",
                                email="a@a.de", username="anna", password=PW, password2=PW)
    at = run_app(query={"einladung": "ungueltig"})
    assert "ungültig" in texts(at)
    token, _ = accounts.create_invitation(app_db, tenant.id, "anna")
    at = run_app(query={"einladung": token})
    assert "Jugendamt Astadt" in texts(at)
