"""Sessions and access: the re-login cookie (foreign key, forged algorithm, expiry, removed user, logout
elsewhere), sessions ending at the next rerun, throttling through the real login page, pages a role may not
open, and every tenant-scoped function of data_models called with another tenant's ids.

On SQLite and PostgreSQL (`db_url`). The cookie is put into the app through Streamlit's client context (what the
browser sent with the WebSocket handshake); the full browser round trip is in tests/e2e/test_accounts_e2e.py.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import time

import jwt
import pandas as pd
import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import data_models
from data_models import accounts, audit, db, store, workshops
from data_models.accounts import AccountError
from data_models.store import StoreError
from tests.conftest import ROOT
from tests.pages.conftest import login_as, run_app, texts
from tests.reliability.helpers import PW, app_env, small_masterdatei  # noqa: F401  (app_env is a fixture)

COOKIE = "strategiekarte_anmeldung"
KEY = "reliability-test-cookie-key-" + "k" * 20
APP = str(ROOT / "app.py")
REFUSED = "nicht freigegeben"


class FakeClient:
    """What Streamlit knows about the browser: the cookies, headers and address of the WebSocket handshake."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.header_map: dict[str, str] = {}
        self.remote_ip = "192.0.2.10"

    @property
    def headers(self):
        return list(self.header_map.items())


@pytest.fixture
def client(app_env, monkeypatch):
    import streamlit.runtime.context as context

    fake = FakeClient()
    monkeypatch.setattr(context, "_get_client_context", lambda: fake)
    monkeypatch.setenv("STRATEGIEKARTE_COOKIE_KEY", KEY)
    return fake


def token(username: str, key: str = KEY, expires_in: float = 86400, **extra) -> str:
    """A re-login cookie as streamlit-authenticator writes it (HS256 JWT with user name and expiry)."""
    return jwt.encode({"username": username, "exp_date": time.time() + expires_in, **extra}, key, algorithm="HS256")


def sidebar(at) -> str:
    """The visible text of the sidebar (tenant name, "Angemeldet als ...", notices)."""
    return " ".join(str(e.value) for kind in ("markdown", "caption", "info") for e in getattr(at.sidebar, kind))


def logged_in_as(at) -> str | None:
    user = at.session_state["sk_user"] if "sk_user" in at.session_state else None
    return user["username"] if user else None


def fresh_browser(cookie: str | None, fake: FakeClient):
    """A new browser session that sends `cookie` (or none)."""
    fake.cookies.clear()
    if cookie is not None:
        fake.cookies[COOKIE] = cookie
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def signup(engine, office="Jugendamt Astadt", username="anna", email="anna@astadt.de"):
    return accounts.signup(engine, office=office, typ="stadt", key=None, name=username.title(), email=email,
                           username=username, password=PW, password2=PW)


# --- the re-login cookie ----------------------------------------------------------------------------------------

def test_relogin_cookie_is_checked_for_key_algorithm_expiry_and_session(app_env, client):
    tenant, anna = signup(app_env)
    # control: a cookie the app itself would have written logs in, so the refusals below are real refusals
    at = fresh_browser(token("anna"), client)
    assert logged_in_as(at) == "anna" and "Jugendamt Astadt" in sidebar(at) and "Angemeldet als" in sidebar(at)

    refused = {
        "anderer Schlüssel": token("anna", key="ein-ganz-anderer-schluessel-" + "x" * 20),
        "ohne Signatur (alg none)": jwt.encode({"username": "anna", "exp_date": time.time() + 86400}, None,
                                               algorithm="none"),
        "abgelaufen": token("anna", expires_in=-60),
        "kaputt": "kein.gueltiges.token",
        "unbekannter Benutzer": token("niemand"),
    }
    for label, cookie in refused.items():
        at = fresh_browser(cookie, client)
        assert logged_in_as(at) is None, label
        assert "Angemeldet als" not in sidebar(at), label

    # logout in another browser ends the session everywhere: a cookie issued before is worthless
    old_cookie = token("anna")
    time.sleep(0.01)
    accounts.end_sessions(app_env, anna.id)
    assert logged_in_as(fresh_browser(old_cookie, client)) is None
    # a password reset does the same
    time.sleep(0.01)
    fresh = token("anna")
    assert logged_in_as(fresh_browser(fresh, client)) == "anna"
    time.sleep(0.01)
    accounts.reset_password(app_env, "anna", "ein-neues-passwort-2")
    assert logged_in_as(fresh_browser(fresh, client)) is None

    # a removed user's cookie stops working
    bert_token, _ = accounts.create_invitation(app_env, tenant.id, "anna")
    bert = accounts.accept_invitation(app_env, bert_token, name="Bert", email="b@astadt.de", username="bert",
                                      password=PW, password2=PW)
    time.sleep(0.01)
    cookie = token("bert")
    assert logged_in_as(fresh_browser(cookie, client)) == "bert"
    accounts.remove_user(app_env, tenant.id, "anna", bert.id)
    at = fresh_browser(cookie, client)
    assert logged_in_as(at) is None and "Jugendamt Astadt" not in sidebar(at)


def test_removed_or_demoted_user_is_logged_out_at_the_next_rerun(app_env):
    tenant, anna = signup(app_env)
    invite, _ = accounts.create_invitation(app_env, tenant.id, "anna")
    bert = accounts.accept_invitation(app_env, invite, name="Bert", email="b@astadt.de", username="bert",
                                      password=PW, password2=PW)
    accounts.set_role(app_env, tenant.id, "anna", bert.id, "admin")
    session = login_as(app_env, "bert")  # what the browser session holds since bert logged in as admin

    at = run_app(user=session)
    assert "Jugendamt Astadt" in sidebar(at) and "(Administration)" in sidebar(at)
    accounts.set_role(app_env, tenant.id, "anna", bert.id, "member")  # demoted: the admin session must end
    at = run_app(user=session)  # the next rerun of that session (AppTest: a run through app.py)
    assert not at.exception
    assert "Jugendamt Astadt" not in sidebar(at) and "Ihre Sitzung wurde beendet" in sidebar(at)
    assert at.title[0].value == "Strategiekarte"
    # a page reached directly (without app.py's navigation) checks the session itself
    assert REFUSED in texts(_direct("hochladen", session)) and REFUSED in texts(_direct("uebersicht", session))

    session = login_as(app_env, "bert")  # logged in again, now as member
    assert "Jugendamt Astadt" in sidebar(run_app(user=session))
    accounts.remove_user(app_env, tenant.id, "anna", bert.id)
    at = run_app(user=session)
    assert not at.exception
    assert "Jugendamt Astadt" not in sidebar(at) and at.title[0].value == "Strategiekarte"
    assert REFUSED in texts(_direct("uebersicht", session))


# --- throttling -------------------------------------------------------------------------------------------------

def _login(at, username: str, password: str):
    form_inputs = {t.label: t for t in at.text_input}
    form_inputs["Benutzername"].set_value(username)
    form_inputs["Passwort"].set_value(password)
    [b for b in at.button if b.label == "Anmelden"][0].click()
    at.run()
    assert not at.exception, at.exception
    return " ".join(e.value for e in at.error)


def test_login_page_locks_a_user_name_after_five_failures_even_for_the_right_password(app_env, client):
    signup(app_env)
    at = fresh_browser(None, client)
    at.switch_page("pages/anmelden.py").run()
    for i in range(4):
        assert _login(at, "anna", f"falsch-{i}-passwort") == "Benutzername oder Passwort ist falsch."
    assert "15 Minuten gesperrt" in _login(at, "ANNA", "falsch-4-passwort")
    # the right password, from another address, does not help: the lock is on the user name
    client.remote_ip = "198.51.100.7"
    at = fresh_browser(None, client)
    at.switch_page("pages/anmelden.py").run()
    assert "15 Minuten gesperrt" in _login(at, "anna", PW)
    assert logged_in_as(at) is None
    # the lock is in the database: another app process (another engine) sees it too
    from data_models.db import make_engine

    other = make_engine(str(app_env.url.render_as_string(hide_password=False)))
    try:
        with pytest.raises(AccountError, match="gesperrt"):
            accounts.authenticate(other, "anna", PW, client="203.0.113.1")
    finally:
        other.dispose()


def test_login_page_locks_a_client_after_twenty_failures_and_ignores_forged_forwarded_for(app_env, client,
                                                                                       monkeypatch):
    signup(app_env)
    for i in range(20):  # twenty different user names from one address
        accounts.record_login(app_env, f"rate{i}", client.remote_ip, False)
    at = fresh_browser(None, client)
    at.switch_page("pages/anmelden.py").run()
    assert "15 Minuten gesperrt" in " ".join(e.value for e in at.error)
    assert not at.text_input  # no login form at all
    # a forged X-Forwarded-For does not unlock it: the header counts only behind a configured proxy
    client.header_map["X-Forwarded-For"] = "203.0.113.99"
    at = fresh_browser(None, client)
    at.switch_page("pages/anmelden.py").run()
    assert "15 Minuten gesperrt" in " ".join(e.value for e in at.error)
    monkeypatch.setenv("STRATEGIEKARTE_TRUSTED_PROXY", "1")  # behind our own proxy the header is the client
    at = fresh_browser(None, client)
    at.switch_page("pages/anmelden.py").run()
    assert not at.error and [t.label for t in at.text_input] == ["Benutzername", "Passwort"]


# --- pages a role may not open ----------------------------------------------------------------------------------

def _page_actions() -> dict[str, str]:
    """page -> the action its first line requires (`session.require("...")`; `dashboard.start` = view_dashboard).
    Pages without either are public (start, login, sign-up, legal texts)."""
    import re

    out = {}
    for path in sorted((ROOT / "pages").glob("*.py")):
        src = path.read_text(encoding="utf-8")
        m = re.search(r'session\.require\("(\w+)"\)', src)
        if m:
            out[path.stem] = m.group(1)
        elif "dashboard.start(" in src:
            m = re.search(r'dashboard\.start\([^)]*action="(\w+)"', src, re.S)
            out[path.stem] = m.group(1) if m else "view_dashboard"
    return out


def _direct(page: str, user: dict | None):
    """Run a page file on its own, as if someone reached it by URL without the navigation."""
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
    if user:
        at.session_state["sk_user"] = user
    at.run()
    return at


def test_roles_cannot_open_pages_their_role_may_not_use(app_env):
    from data_models.permissions import Principal, can
    from tests.reliability.helpers import tenant_with_data

    tenant = tenant_with_data(app_env, slug="astadt", name="Jugendamt Astadt-Geheim")
    accounts.create_user(app_env, username="mia", email="mia@astadt.de", password=PW, role="member",
                         tenant_slug="astadt")
    accounts.create_user(app_env, username="ada", email="ada@astadt.de", password=PW, role="admin",
                         tenant_slug="astadt")
    accounts.create_user(app_env, username="koordination", email="k@programm.de", password=PW, role="coordinator")
    sessions = {"member": login_as(app_env, "mia"), "admin": login_as(app_env, "ada"),
                "coordinator": login_as(app_env, "koordination"), "guest": None}
    principals = {"member": Principal("member", "mia", tenant.id), "admin": Principal("admin", "ada", tenant.id),
                  "coordinator": Principal("coordinator", "koordination"), "guest": Principal("guest")}

    actions = _page_actions()
    assert {"hochladen", "verwaltung", "programm", "vergleich", "uebersicht", "karte"} <= set(actions)
    checked = 0
    for page, action in actions.items():
        for role, user in sessions.items():
            own = None if role in ("coordinator", "guest") else tenant.id
            if can(principals[role], action, own):
                continue
            at = _direct(page, user)
            shown = texts(at)
            assert not at.exception, (page, role, at.exception)
            assert REFUSED in shown, (page, role)
            assert "Geheim" not in shown and "Nord" not in shown, (page, role)
            assert not at.file_uploader and not at.dataframe and not at.button, (page, role)
            checked += 1
    assert checked >= 25

    # and through the app: a member's navigation has no admin or coordinator pages at all
    at = run_app(user=sessions["member"])
    for page, action in actions.items():
        if action in ("upload", "manage_users", "manage_settings", "view_programme", "compare"):
            with pytest.raises(ValueError):
                at.switch_page(f"pages/{page}.py")
    assert store.list_versions(app_env, tenant.id)[-1].version == 1


# --- every tenant-scoped function of data_models, called with another tenant's ids ------------------------------

def _tenant_scoped_functions() -> set[str]:
    """Public functions of data_models that take the database and a `tenant_id` (all must be listed in _calls)."""
    out = set()
    for info in pkgutil.walk_packages(data_models.__path__, "data_models."):
        if ".migrations" in info.name:
            continue
        mod = importlib.import_module(info.name)
        for name, fn in vars(mod).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != mod.__name__:
                continue
            params = list(inspect.signature(fn).parameters)
            if "tenant_id" in params and params[0] in ("engine", "conn"):  # reads or writes the database
                out.add(f"{mod.__name__.removeprefix('data_models.')}.{name}")
    return out


def _as_text(obj) -> str:
    if isinstance(obj, pd.DataFrame):
        return obj.to_csv(index=False)
    if isinstance(obj, dict):
        return " ".join(f"{k}={_as_text(v)}" for k, v in obj.items())
    if isinstance(obj, (list, tuple, set)):
        return " ".join(_as_text(v) for v in obj)
    if isinstance(obj, bytes):
        return obj.hex() + obj.decode("latin-1")
    if hasattr(obj, "tables") and isinstance(obj.tables, dict):  # schema.Dataset
        return _as_text(obj.tables) + repr(getattr(obj, "tenant_name", ""))
    if hasattr(obj, "sozialraeume") and hasattr(obj, "hash_key"):  # ImportContext
        return _as_text(obj.sozialraeume) + obj.hash_key.hex()
    return repr(obj)


class World:
    """Two tenants: A (whose session calls) and B (whose data must stay out of reach)."""

    def __init__(self, engine):
        from data_models.tenant_data import import_file

        self.e = engine
        self.a = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt", typ="stadt")
        self.b = accounts.create_tenant(engine, slug="bstadt", name="Jugendamt Bstadt-Geheim", typ="stadt")
        for slug, users in (("astadt", ("anna", "alex")), ("bstadt", ("bert", "berta"))):
            for i, u in enumerate(users):
                accounts.create_user(engine, username=u, email=f"{u}@{slug}.de", password=PW,
                                     role="admin" if i == 0 else "member", tenant_slug=slug)
        assert import_file(engine, self.a.id, "anna", small_masterdatei({"01": "A-Nord", "02": "A-Süd"}),
                           "a.xlsx").version == 1
        for i in range(3):
            assert import_file(engine, self.b.id, "bert", small_masterdatei(
                {"01": "B-Geheim-Nord", "02": "B-Geheim-Süd"}, u21=1000 + i), "b-geheim.xlsx").version == i + 1
        self.b_user = accounts.get_user_by_name(engine, "berta").id
        accounts.create_invitation(engine, self.b.id, "bert")
        accounts.create_invitation(engine, self.b.id, "bert", "passwort", user_id=self.b_user)
        self.b_invitations = [i.id for i in accounts.list_invitations(engine, self.b.id)]
        _, link = workshops.create_link(engine, self.b.id, "bert", "Workshop B-Geheim")
        self.b_link = link.id
        accounts.record_login(engine, "bert", "192.0.2.20", False)
        accounts.set_consent(engine, self.b.id, "bert", True)
        self.markers = ["Bstadt", "B-Geheim", "bert", "b-geheim", self._secret(self.b.id)]

    def _secret(self, tid) -> str:
        with self.e.connect() as conn:
            return conn.execute(select(db.tenants.c.secret).where(db.tenants.c.id == tid)).scalar_one()

    def snapshot_b(self) -> str:
        """Every row of tenant B, in every table that carries a tenant id, plus B's login attempts."""
        parts = []
        with self.e.connect() as conn:
            for table in db.metadata.sorted_tables:
                if table is db.tenants:
                    rows = conn.execute(select(table).where(table.c.id == self.b.id)).all()
                elif "tenant_id" in table.c:
                    rows = conn.execute(select(table).where(table.c.tenant_id == self.b.id)).all()
                elif table is db.login_attempts:
                    rows = conn.execute(select(table).where(table.c.username_key.in_(["bert", "berta"]))).all()
                else:
                    continue
                parts.append(f"{table.name}: {sorted(map(repr, rows))}")
        return "\n".join(parts)


def _calls(w: World) -> dict:
    """function -> call made by a session of tenant A; where the function takes an object id, B's id is passed."""
    from data_models import deletion, peer_groups, programme, tenant_data
    from data_models.importers import run_importer

    e, a = w.e, w.a.id
    md = small_masterdatei({"01": "A-Nord", "02": "A-Süd"}, u21=4000)

    def log_event():
        with e.begin() as conn:
            audit.log_event(conn, a, "anna", "export", "Test")

    def save_import():
        result = run_importer(md, "a2.xlsx", "masterdatei", tenant_data.import_context(e, a))
        return store.save_import(e, a, "anna", result, md)

    return {
        # reads
        "accounts.list_users": lambda: accounts.list_users(e, a),
        "accounts.list_invitations": lambda: accounts.list_invitations(e, a),
        "accounts.get_tenant": lambda: accounts.get_tenant(e, a),
        "audit.read_log": lambda: audit.read_log(e, a),
        "audit.log_choices": lambda: audit.log_choices(e, a),
        "store.data_version": lambda: store.data_version(e, a),
        "store.current_frames": lambda: store.current_frames(e, a),
        "store.list_versions": lambda: store.list_versions(e, a),
        "store.last_version": lambda: store.last_version(e, a),
        "store.inventory": lambda: store.inventory(e, a),
        "tenant_data.tenant_secret": lambda: tenant_data.tenant_secret(e, a),
        "tenant_data.import_context": lambda: tenant_data.import_context(e, a),
        "tenant_data.load_dataset": lambda: tenant_data.load_dataset(e, a),
        "tenant_data.preview": lambda: tenant_data.preview(
            e, a, run_importer(md, "a2.xlsx", "masterdatei", tenant_data.import_context(e, a))),
        "workshops.list_links": lambda: workshops.list_links(e, a),
        "deletion.versions_deletable_before": lambda: deletion.versions_deletable_before(e, a, 99),
        # writes aimed at B's objects through A's session: refused or without effect on B
        "accounts.set_role": lambda: accounts.set_role(e, a, "anna", w.b_user, "admin"),
        "accounts.remove_user": lambda: accounts.remove_user(e, a, "anna", w.b_user),
        "accounts.create_invitation": lambda: accounts.create_invitation(e, a, "anna", "passwort",
                                                                         user_id=w.b_user),
        "accounts.revoke_invitation": lambda: [accounts.revoke_invitation(e, a, "anna", i) for i in w.b_invitations],
        "workshops.revoke_link": lambda: workshops.revoke_link(e, a, "anna", w.b_link),
        "store.rollback": lambda: store.rollback(e, a, "anna", 3),  # version 3 exists only in B
        # writes to A itself: B stays as it was
        "audit.log": lambda: audit.log(e, a, "anna", "export", "Test"),
        "audit.log_event": log_event,
        "store.save_import": save_import,
        "tenant_data.import_file": lambda: tenant_data.import_file(e, a, "anna", md, "a3.xlsx").version,
        "store.delete_versions_before": lambda: store.delete_versions_before(e, a, "anna", 99),
        "workshops.create_link": lambda: workshops.create_link(e, a, "anna", "Workshop A")[1],
        "accounts.set_consent": lambda: accounts.set_consent(e, a, "anna", True),
        "peer_groups.set_tenant_type": lambda: peer_groups.set_tenant_type(e, a, "anna", "landkreis"),
        "programme.confirm_tenant": lambda: programme.confirm_tenant(e, a, "koordination"),
        "programme.remove_unconfirmed": lambda: programme.remove_unconfirmed(e, a, "koordination",
                                                                             "Jugendamt Bstadt-Geheim"),
        "deletion.delete_own_tenant": lambda: deletion.delete_own_tenant(e, a, "anna", "Jugendamt Bstadt-Geheim"),
        "deletion.delete_tenant": lambda: deletion.delete_tenant(e, a),  # last: A is gone afterwards
    }


REFUSALS = (AccountError, StoreError, workshops.WorkshopError)


def test_every_tenant_scoped_function_is_checked_below():
    w = type("W", (), {"e": None, "a": type("T", (), {"id": 0}), "b_user": 0, "b_invitations": [], "b_link": 0})
    assert _tenant_scoped_functions() <= set(_calls(w)), (
        "Neue Funktion mit tenant_id: bitte in tests/reliability/test_access.py::_calls mit den Kennungen eines "
        "anderen Jugendamts aufrufen")


def test_no_tenant_scoped_function_reads_or_changes_another_tenants_data(engine):
    from data_models import deletion, programme

    refusals = REFUSALS + (deletion.DeletionError, programme.ProgrammeError)
    w = World(engine)
    outcomes = {}
    for name, call in _calls(w).items():
        before = w.snapshot_b()
        try:
            result, outcome = call(), "ok"
        except refusals as exc:
            result, outcome = str(exc), "abgelehnt"
        text = _as_text(result)
        leaked = [m for m in w.markers if m in text]
        assert not leaked, f"{name} gibt Daten des anderen Jugendamts heraus: {leaked}"
        assert w.snapshot_b() == before, f"{name} hat Daten des anderen Jugendamts verändert"
        outcomes[name] = outcome
    # the calls aimed at B's objects were refused or found nothing to do
    for name in ("accounts.set_role", "accounts.remove_user", "accounts.create_invitation", "store.rollback",
                 "programme.remove_unconfirmed", "deletion.delete_own_tenant"):
        assert outcomes[name] == "abgelehnt", name
    assert accounts.get_tenant(engine, w.a.id) is None  # the last call deleted A, and only A
    assert [v.version for v in store.list_versions(engine, w.b.id)] == [1, 2, 3]
