"""Secrets: no password, password hash, token, code, cookie key or tenant key in logs, page output or exports;
and in production the app refuses to start without a cookie key. Storage on SQLite and PostgreSQL.

The secrets of a whole account life cycle (sign-up, failed and good logins, invitation, password link, reset,
workshop link, uploads) are collected, then everything a person or an operator can see is searched for them:
Python log records and stdout/stderr (streamlit-authenticator prints to stdout), the audit log table and its
downloads, every admin page, the command line's output, and the exports.
"""
from __future__ import annotations

import io
import logging
import sqlite3
import zipfile

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from data_models import accounts, audit, config, db, store, workshops
from data_models.accounts import AccountError
from data_models.config import ConfigError
from data_models.export_masterdatei import masterdatei_bytes
from data_models.tabular_export import csv_de_bytes, xlsx_bytes
from data_models.tenant_data import import_file
from tests.conftest import ROOT
from tests.pages.conftest import login_as
from tests.reliability.helpers import app_env, small_masterdatei  # noqa: F401  (app_env is a fixture)

KEY = "geheimer-cookie-schluessel-" + "Q" * 24
PASSWORDS = {"anmeldung": "Erstes-Passwort-2024", "falsch": "Falsches-Passwort-99", "kollegin": "Kollegin-Pw-123",
             "link": "Neues-Pw-ueber-Link-7", "reset": "Reset-Pw-Kommandozeile-8"}


def _xlsx_text(data: bytes) -> str:
    """Every XML part of a workbook as text (cells, sheet names, properties)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return " ".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())


class Secrets:
    """Everything secret that an account's life produces, collected while it happens."""

    def __init__(self, engine):
        self.e = engine
        self.values: dict[str, str] = {f"Passwort {k}": v for k, v in PASSWORDS.items()}
        self.values["Cookie-Schlüssel"] = KEY

    def add(self, label: str, value: str) -> None:
        self.values[label] = value

    def collect_stored(self) -> None:
        """The hashes the database keeps (they must never be shown either) and each tenant's hashing key."""
        with self.e.connect() as conn:
            for r in conn.execute(select(db.users.c.username, db.users.c.password_hash)):
                self.add(f"Passwort-Hash {r.username}", r.password_hash)
                self.add(f"Passwort-Hash {r.username} (Salz)", r.password_hash[7:29])
            for r in conn.execute(select(db.invitations.c.id, db.invitations.c.token_hash, db.invitations.c.code_hash)):
                self.add(f"Einladung {r.id} Token-Hash", r.token_hash)
                self.add(f"Einladung {r.id} Code-Hash", r.code_hash)
            for r in conn.execute(select(db.workshop_links.c.id, db.workshop_links.c.token_hash)):
                self.add(f"Workshop {r.id} Token-Hash", r.token_hash)
            for r in conn.execute(select(db.tenants.c.slug, db.tenants.c.secret)):
                self.add(f"Schlüssel {r.slug}", r.secret)

    def found_in(self, text: str) -> list[str]:
        """Labels of the secrets in `text`, also in another letter case (user names are stored case-folded)."""
        folded = text.casefold()
        return [label for label, v in self.values.items() if v and (v in text or v.casefold() in folded)]


def life_cycle(engine) -> tuple[Secrets, object]:
    s = Secrets(engine)
    pw = PASSWORDS
    tenant, anna = accounts.signup(engine, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna Admin",
                                   email="anna@astadt.de", username="anna", password=pw["anmeldung"],
                                   password2=pw["anmeldung"])
    with pytest.raises(AccountError):
        accounts.authenticate(engine, "anna", pw["falsch"], client="192.0.2.1")
    with pytest.raises(AccountError):  # a password typed into the user name field by mistake
        accounts.authenticate(engine, pw["falsch"], pw["anmeldung"], client="192.0.2.1")
    accounts.authenticate(engine, "anna", pw["anmeldung"], client="192.0.2.1")
    token, code = accounts.create_invitation(engine, tenant.id, "anna")
    s.add("Einladungs-Token", token)
    s.add("Einladungs-Code", code)
    carla = accounts.accept_invitation(engine, code, name="Carla", email="carla@astadt.de", username="carla",
                                       password=pw["kollegin"], password2=pw["kollegin"])
    link, link_code = accounts.create_invitation(engine, tenant.id, "anna", "passwort", user_id=carla.id)
    s.add("Passwort-Link", link)
    s.add("Passwort-Link-Code", link_code)
    accounts.use_password_link(engine, link, pw["link"], pw["link"])
    accounts.reset_password(engine, "carla", pw["reset"])
    w_token, _ = workshops.create_link(engine, tenant.id, "anna", "Workshop März")
    s.add("Workshop-Token", w_token)
    assert import_file(engine, tenant.id, "anna", small_masterdatei(), "md.xlsx").version == 1
    s.collect_stored()
    return s, tenant


def test_no_secret_in_logs_audit_log_or_exports(engine, caplog, capfd, monkeypatch):
    monkeypatch.setenv("STRATEGIEKARTE_COOKIE_KEY", KEY)
    caplog.set_level(logging.DEBUG)
    s, tenant = life_cycle(engine)
    assert len(s.values) >= 20

    # the audit log (what admins read) and its downloads
    log = audit.read_log(engine, tenant.id)
    assert len(log) >= 8
    shown = log.assign(Zeitpunkt=log["Zeitpunkt"].map(lambda t: f"{t:%d.%m.%Y %H:%M:%S}"))
    for where, text in {"Protokoll": log.to_csv(), "Protokoll CSV": csv_de_bytes(shown).decode("utf-8-sig"),
                        "Protokoll Excel": _xlsx_text(xlsx_bytes(shown))}.items():
        assert not s.found_in(text), (where, s.found_in(text))
    # every table a person can see through the app, and the stored findings of a version
    with engine.connect() as conn:
        rows = [str(r) for t in (db.audit_log, db.login_attempts, db.versions) for r in conn.execute(select(t))]
    assert not s.found_in("\n".join(rows))
    # links, codes and workshop tokens are stored only as their SHA-256
    clear = {k: v for k, v in s.values.items() if k in ("Einladungs-Token", "Einladungs-Code", "Passwort-Link",
                                                          "Passwort-Link-Code", "Workshop-Token")}
    with engine.connect() as conn:
        stored = "\n".join(str(r) for t in (db.invitations, db.workshop_links) for r in conn.execute(select(t)))
    assert len(clear) == 5 and not [k for k, v in clear.items() if v in stored or v.upper() in stored]
    # exports of the tenant's data never carry its hashing key
    exported = _xlsx_text(masterdatei_bytes(store.current_frames(engine, tenant.id)))
    assert not s.found_in(exported)
    # nothing in Python's log records or on stdout/stderr
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    out, err = capfd.readouterr()
    assert not s.found_in(logged + out + err), s.found_in(logged + out + err)


def test_command_line_never_echoes_a_password(engine, capfd, monkeypatch):
    import manage

    monkeypatch.setenv("STRATEGIEKARTE_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    pw = "Kommandozeile-Geheim-42"
    assert manage.main(["create-tenant", "--slug", "cstadt", "--name", "Jugendamt Cstadt"]) == 0
    assert manage.main(["create-user", "--username", "cora", "--email", "cora@cstadt.de", "--password", pw,
                        "--role", "admin", "--tenant", "cstadt"]) == 0
    assert manage.main(["reset-password", "--username", "cora", "--password", pw + "-neu"]) == 0
    assert manage.main(["create-user", "--username", "cora2", "--email", "c2@cstadt.de", "--password", "kurz",
                        "--role", "admin", "--tenant", "cstadt"]) == 1  # refused: the message names the rule only
    out, err = capfd.readouterr()
    with engine.connect() as conn:
        hashes = [h for (h,) in conn.execute(select(db.users.c.password_hash))]
    assert "angelegt" in err and "mindestens 10 Zeichen" in err
    for secret in [pw, pw + "-neu", "kurz", *hashes]:
        assert secret not in out + err


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_admin_pages_show_no_secret(app_env, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("STRATEGIEKARTE_COOKIE_KEY", KEY)
    s, tenant = life_cycle(app_env)
    user = login_as(app_env, "anna")
    seen = []
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["sk_user"] = user
    at.run()
    for page in ("verwaltung", "teilen", "hochladen", "datenqualitaet", "uebersicht"):
        if not (ROOT / "pages" / f"{page}.py").exists():
            continue
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        parts = [str(getattr(el, "value", "")) for kind in ("markdown", "caption", "code", "text", "info", "success",
                                                            "warning", "error", "title", "subheader")
                 for el in getattr(at, kind)]
        parts += [d.value.to_csv() for d in at.dataframe]
        text = "\n".join(parts)
        assert not s.found_in(text), (page, s.found_in(text))
        seen.append(page)
    assert {"verwaltung", "hochladen"} <= set(seen)


def test_database_errors_are_logged_without_statement_parameters(caplog):
    """A failed write is logged with the driver's message only: SQLAlchemy's own text would repeat the
    statement's parameters, which can hold a password hash."""
    from data_models.store import StoreError, _storage_guard

    secret_hash = "$2b$12$abcdefghijklmnopqrstuvCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StoreError, match="Speicherplatz"):
        with _storage_guard():
            raise OperationalError("UPDATE users SET password_hash=?", {"password_hash": secret_hash},
                                   sqlite3.OperationalError("database or disk is full"))
    assert "database or disk is full" in caplog.text and secret_hash not in caplog.text


# --- the cookie key in production --------------------------------------------------------------------------------

def test_production_refuses_a_missing_or_short_cookie_key(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "DATA_DIR", tmp_path)
    monkeypatch.delenv("STRATEGIEKARTE_COOKIE_KEY", raising=False)
    monkeypatch.delenv("STRATEGIEKARTE_ENV", raising=False)
    generated = config.cookie_key()  # locally: a random key, written once
    assert len(generated) >= 32 and (tmp_path / "cookie_key.txt").read_text().strip() == generated
    monkeypatch.setenv("STRATEGIEKARTE_ENV", "production")
    with pytest.raises(ConfigError, match="STRATEGIEKARTE_COOKIE_KEY ist nicht gesetzt"):
        config.cookie_key()  # the key file of a local run does not count in production
    monkeypatch.setenv("STRATEGIEKARTE_COOKIE_KEY", "zu-kurz-1234")
    with pytest.raises(ConfigError, match="zu kurz") as exc:
        config.check_startup()
    assert "zu-kurz-1234" not in str(exc.value)
    monkeypatch.setenv("STRATEGIEKARTE_COOKIE_KEY", KEY)
    assert config.cookie_key() == KEY
    config.check_startup()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_app_in_production_without_cookie_key_shows_only_a_german_error(app_env, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("STRATEGIEKARTE_ENV", "production")
    monkeypatch.delenv("STRATEGIEKARTE_COOKIE_KEY", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] and "STRATEGIEKARTE_COOKIE_KEY ist nicht gesetzt" in at.error[0].value
    assert not at.title and not at.button and not at.text_input  # no start page, no login form
    monkeypatch.setenv("STRATEGIEKARTE_COOKIE_KEY", KEY)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.error and at.title[0].value == "Strategiekarte"
