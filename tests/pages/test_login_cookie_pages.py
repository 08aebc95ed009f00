"""The re-login cookie after login, sign-up and an accepted invitation (AppTest).

The cookie is written in the browser by a component (JavaScript), which AppTest does not run: these tests check
what the app asks the browser to store and that the app itself accepts it. That the browser really stores it, logs in
again after a reload and loses it at logout is tests/e2e/test_accounts_e2e.py (AppTest does not click the sidebar's
logout button)."""
from __future__ import annotations

import json
import time

import jwt
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data_models import accounts, db
from data_models.config import cookie_key
from tests.pages.conftest import APP, login_as, run_app
from tests.pages.test_accounts_pages import PW, fill_signup

COOKIE = "strategiekarte_anmeldung"


class Browser:
    """What the login page reads of the browser (AppTest has no client address): no cookies, one address."""
    cookies: dict = {}
    headers: list = []
    remote_ip = "192.0.2.10"


@pytest.fixture
def browser(monkeypatch):
    import streamlit.runtime.context as context

    monkeypatch.setattr(context, "_get_client_context", lambda: Browser())


def cookie_writes(at) -> list[dict]:
    """The cookie component's set/delete calls rendered in the run (not its read of all cookies)."""
    out = []
    for el in at.get("component_instance"):
        if el.proto.component_name.endswith("CookieManager.cookie_manager"):
            args = json.loads(el.proto.json_args)
            if args["method"] in ("set", "delete"):
                out.append(args)
    return out


def queued_token(at, username: str) -> int:
    """The queued cookie is the token streamlit-authenticator reads (HS256 with the app's key), valid for one day
    (the default); returns when it counts as issued (what app.py's restore compares with the session epoch)."""
    job = at.session_state["sk_cookie"]
    payload = jwt.decode(job["token"], cookie_key(), algorithms=["HS256"])
    assert payload["username"] == username
    assert abs(payload["exp_date"] - (time.time() + 86400)) < 120
    return int((payload["exp_date"] - 86400) * 1000)


def next_run_through_app(at):
    """The following run of that browser session through app.py: it renders the queued write."""
    nxt = AppTest.from_file(APP, default_timeout=60)
    for key in ("sk_user", "sk_cookie"):
        if key in at.session_state:
            nxt.session_state[key] = at.session_state[key]
    nxt.run()
    assert not nxt.exception, nxt.exception
    return nxt


def login(at, username: str, password: str):
    inputs = {t.label: t for t in at.text_input}
    inputs["Benutzername"].set_value(username)
    inputs["Passwort"].set_value(password)
    [b for b in at.button if b.label == "Anmelden"][0].click()
    return at.run()


def test_login_queues_a_cookie_the_app_accepts_and_app_renders_it(app_db, browser):
    accounts.signup(app_db, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna", email="anna@astadt.de",
                    username="anna", password=PW, password2=PW)
    at = run_app()
    at.switch_page("pages/anmelden.py").run()
    at = login(at, "anna", PW)
    assert not at.exception, at.exception
    assert at.session_state["sk_user"]["username"] == "anna"
    assert "Sie sind angemeldet" in " ".join(e.value for e in at.success)  # the page's run after the login
    with app_db.connect() as conn:  # the login is counted once, not again by that run
        assert conn.execute(select(func.count()).where(db.login_attempts.c.success.is_(True))).scalar_one() == 1
    issued_ms = queued_token(at, "anna")
    assert accounts.session_valid(app_db, "anna", issued_ms).username == "anna"

    nxt = next_run_through_app(at)
    (write,) = cookie_writes(nxt)
    job = at.session_state["sk_cookie"]
    assert write["cookie"] == COOKIE and write["value"] == job["token"] and write["key"] == job["key"]
    assert write["options"]["path"] == "/" and write["options"]["sameSite"] == "strict"
    expires = time.strptime(write["options"]["expires"], "%Y-%m-%dT%H:%M:%S+00:00")
    assert abs(time.mktime(expires) - time.timezone - job["expires"]) <= 1  # UTC


def test_signup_and_accepted_invitation_queue_a_cookie_too(app_db):
    at = run_app(page="pages/registrieren.py")
    at = fill_signup(at, office="Jugendamt Astadt", name="Anna", email="anna@astadt.de", username="anna",
                     password=PW, password2=PW)
    assert not at.exception
    assert accounts.session_valid(app_db, "anna", queued_token(at, "anna")) is not None

    tenant = accounts.get_tenant_by_slug(app_db, "jugendamt-astadt")
    token, _ = accounts.create_invitation(app_db, tenant.id, "anna")
    at = run_app(query={"einladung": token})
    for label, value in {"Ihr Name": "Bert", "E-Mail-Adresse": "bert@astadt.de", "Benutzername": "bert",
                         "Passwort": PW, "Passwort wiederholen": PW}.items():
        [t for t in at.text_input if t.label == label][0].input(value)
    [b for b in at.button if b.label == "Konto anlegen"][0].click()
    at.run()
    assert not at.exception, at.exception
    assert accounts.session_valid(app_db, "bert", queued_token(at, "bert")) is not None


def test_locked_user_with_the_right_password_gets_no_cookie(app_db, browser):
    accounts.signup(app_db, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna", email="anna@astadt.de",
                    username="anna", password=PW, password2=PW)
    for _ in range(accounts.MAX_FAILED_PER_USER):
        accounts.record_login(app_db, "anna", "198.51.100.7", False)  # another address: the lock is on the name
    at = run_app()
    at.switch_page("pages/anmelden.py").run()
    at = login(at, "anna", PW)
    assert not at.exception
    assert "gesperrt" in " ".join(e.value for e in at.error)
    assert "sk_user" not in at.session_state
    assert "sk_cookie" not in at.session_state or at.session_state["sk_cookie"]["token"] is None  # at most a removal
    assert [w for w in cookie_writes(at) if w["method"] == "set"] == []
