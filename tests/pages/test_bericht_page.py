"""The page Bericht through AppTest: a member of the demo tenant builds the report (download buttons for PDF and
Excel, audit entry without figures); a guest without login never sees it; a tenant without data gets the empty
state."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_models import accounts
from tests.conftest import ROOT
from tests.pages.conftest import texts

PW = "sicheres-passwort-1"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('bericht') / 'demo.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STRATEGIEKARTE_DATABASE_URL", url)
        from data_models.database import init_db
        from data_models.seed import seed_demo

        engine = init_db(url)
        seed_demo(engine)
        accounts.create_user(engine, username="mia", email="mia@muster.de", password=PW, role="member",
                             tenant_slug="musterstadt")
        accounts.signup(engine, office="Jugendamt Leerstadt", typ="stadt", key=None, name="Lea",
                        email="lea@leer.de", username="lea", password=PW, password2=PW)
        yield engine


@pytest.fixture
def env(demo_db, monkeypatch):
    monkeypatch.setenv("STRATEGIEKARTE_DATABASE_URL", str(demo_db.url))
    return demo_db


def user(engine, name: str) -> dict:
    u = accounts.get_user_by_name(engine, name)
    return {"username": u.username, "role": u.role, "tenant_id": u.tenant_id, "name": u.name,
            "started_ms": accounts.epoch_now() + 1}


def open_bericht(engine, username: str | None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if username:
        at.session_state["sk_user"] = user(engine, username)
    at.run()
    at.switch_page("pages/bericht.py").run()
    return at


def download_buttons(at) -> list:
    return [e for e in at.get("download_button")]


def test_member_builds_report_and_gets_pdf_and_excel_buttons(env):
    from data_models.audit import read_log

    at = open_bericht(env, "mia")
    assert not at.exception, at.exception
    assert at.selectbox(key="b_year").value == 2024  # newest year first
    assert not download_buttons(at)  # nothing built before the click
    at.checkbox(key="b_sec_erlaeuterungen").uncheck()
    at.text_area(key="b_text_zusammenfassung").input("Vorlage für die Sitzung am 12. März.")
    at.button[0].click().run(timeout=180)
    assert not at.exception, at.exception
    buttons = download_buttons(at)
    labels = [b.proto.label for b in buttons]
    assert labels == ["PDF herunterladen", "Excel herunterladen"]
    assert "Der Bericht 2024 ist fertig" in texts(at)
    log = read_log(env, accounts.get_tenant_by_slug(env, "musterstadt").id)
    entry = log[log["Aktion"] == "Bericht"].iloc[0]
    assert entry["Benutzer"] == "mia"
    assert "Bericht 2024 (intern" in entry["Details"] and "erlaeuterungen" not in entry["Details"]
    assert not any(ch.isdigit() for ch in entry["Details"].replace("2024", "").split("Datenstand")[0])


def test_report_page_is_in_the_member_navigation_but_not_for_guests(env):
    at = open_bericht(env, "mia")
    assert "Bericht" in [t.value for t in at.title]
    guest = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    guest.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not registered for a guest
        guest.switch_page("pages/bericht.py")


def test_tenant_without_data_sees_empty_state(env):
    at = open_bericht(env, "lea")
    assert not at.exception
    assert "Bericht erstellen" not in [b.label for b in at.button]
    assert "hochladen" in texts(at).lower()
