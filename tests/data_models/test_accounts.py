"""Accounts on SQLite and PostgreSQL: sign-up, uniqueness, passwords, invitations, roles, throttling, sessions."""
from __future__ import annotations

from datetime import timedelta
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, update

from data_models import accounts, db
from data_models.accounts import AccountError

PW = "sicheres-passwort-1"


def signup(engine, office="Jugendamt Astadt", username="anna", email="anna@astadt.de", **kw):
    args = dict(office=office, typ="stadt", key=None, name="Anna Admin", email=email, username=username,
                password=PW, password2=PW)
    args.update(kw)
    return accounts.signup(engine, **args)


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_signup_creates_unconfirmed_tenant_and_admin(engine):
    tenant, user = signup(engine, key="05315000")
    assert tenant.slug == "jugendamt-astadt" and tenant.confirmed is False and tenant.consent is False
    assert tenant.schluessel == "05315000"
    assert user.role == "admin" and user.tenant_id == tenant.id
    with engine.connect() as conn:
        stored = conn.execute(select(db.users.c.password_hash)).scalar_one()
    assert stored.startswith("$2") and PW not in stored  # bcrypt hash only


@pytest.mark.parametrize("field,kw,message", [
    ("office", {"office": "JUGENDAMT astadt"}, "bereits registriert"),
    ("username", {"office": "Jugendamt B", "username": "ANNA", "email": "b@b.de"}, "bereits vergeben"),
    ("email", {"office": "Jugendamt B", "username": "bert", "email": "Anna@Astadt.DE"}, "bereits ein Konto"),
])
def test_duplicates_in_any_letter_case_are_refused(engine, field, kw, message):
    signup(engine)
    with pytest.raises(AccountError) as exc:
        signup(engine, **kw)
    assert message in exc.value.errors[field]
    assert count(engine, db.tenants) == 1 and count(engine, db.users) == 1  # nothing half-created


@pytest.mark.parametrize("kw,field", [
    ({"office": ""}, "office"),
    ({"name": "   "}, "name"),
    ({"password": "neun-9-ch", "password2": "neun-9-ch"}, "password"),  # 9 characters
    ({"password2": "anders-als-vorher"}, "password2"),
    ({"username": "anna1234567", "password": "anna1234567", "password2": "anna1234567"}, "password"),
    ({"office": "x" * 2000}, "office"),
    ({"email": "kein-at-zeichen"}, "email"),
    ({"key": "1234"}, "key"),
    ({"username": "<script>"}, "username"),
])
def test_bad_signup_input_gets_german_message_and_stores_nothing(engine, kw, field):
    with pytest.raises(AccountError) as exc:
        signup(engine, **kw)
    assert field in exc.value.errors
    assert count(engine, db.tenants) == 0 and count(engine, db.users) == 0


def test_script_and_formula_in_office_name_are_stored_as_text(engine):
    tenant, _ = signup(engine, office='<script>alert(1)</script> =HYPERLINK("x")')
    assert accounts.get_tenant(engine, tenant.id).name == '<script>alert(1)</script> =HYPERLINK("x")'


def test_password_rules():
    assert accounts.password_problem("123456789") is not None  # 9 characters
    assert accounts.password_problem("1234567890") is None  # 10 characters
    assert "Benutzername" in accounts.password_problem("Anna.Admin1", "anna.admin1")


def test_invitation_flow_token_and_code(engine):
    tenant, admin = signup(engine)
    token, code = accounts.create_invitation(engine, tenant.id, admin.username)
    assert len(token) >= 40  # 32 random bytes, url-safe
    assert accounts.invitation_tenant(engine, token).id == tenant.id
    member = accounts.accept_invitation(engine, code.lower(), name="Bert", email="bert@astadt.de",
                                        username="bert", password=PW, password2=PW)
    assert member.role == "member" and member.tenant_id == tenant.id
    with pytest.raises(AccountError) as exc:  # used once already (by code; the token is the same invitation)
        accounts.accept_invitation(engine, token, name="C", email="c@astadt.de", username="carl",
                                   password=PW, password2=PW)
    assert "bereits verwendet" in exc.value.errors["token"]


def test_expired_and_revoked_invitations(engine):
    tenant, admin = signup(engine)
    token, _ = accounts.create_invitation(engine, tenant.id, admin.username)
    with engine.begin() as conn:
        conn.execute(update(db.invitations).values(expires_at=accounts.now() - timedelta(minutes=1)))
    with pytest.raises(AccountError) as exc:
        accounts.accept_invitation(engine, token, name="B", email="b@x.de", username="bert", password=PW, password2=PW)
    assert "abgelaufen" in exc.value.errors["token"]
    token2, _ = accounts.create_invitation(engine, tenant.id, admin.username)
    inv = [i for i in accounts.list_invitations(engine, tenant.id) if i.status == "offen"][0]
    accounts.revoke_invitation(engine, tenant.id, admin.username, inv.id)
    with pytest.raises(AccountError) as exc:
        accounts.accept_invitation(engine, token2, name="B", email="b@x.de", username="bert", password=PW, password2=PW)
    assert "widerrufen" in exc.value.errors["token"]
    assert count(engine, db.users) == 1


def test_admin_of_other_tenant_cannot_touch_users(engine):
    ta, admin_a = signup(engine)
    tb, admin_b = signup(engine, office="Jugendamt B", username="bert", email="b@b.de")
    with pytest.raises(AccountError):
        accounts.remove_user(engine, tb.id, "bert", admin_a.id)
    with pytest.raises(AccountError):
        accounts.set_role(engine, tb.id, "bert", admin_a.id, "member")
    assert accounts.get_user(engine, admin_a.id).role == "admin"


def test_last_admin_cannot_be_demoted_or_removed(engine):
    tenant, admin = signup(engine)
    with pytest.raises(AccountError):
        accounts.set_role(engine, tenant.id, admin.username, admin.id, "member")
    with pytest.raises(AccountError):
        accounts.remove_user(engine, tenant.id, admin.username, admin.id)
    token, _ = accounts.create_invitation(engine, tenant.id, admin.username)
    bert = accounts.accept_invitation(engine, token, name="Bert", email="b@x.de", username="bert", password=PW, password2=PW)
    accounts.set_role(engine, tenant.id, admin.username, bert.id, "admin")
    accounts.set_role(engine, tenant.id, "bert", admin.id, "member")  # now allowed: bert is admin
    assert {u.username: u.role for u in accounts.list_users(engine, tenant.id)} == {"anna": "member", "bert": "admin"}


def test_throttle_after_five_failures_per_user(engine):
    signup(engine)
    for _ in range(5):
        with pytest.raises(AccountError) as exc:
            accounts.authenticate(engine, "anna", "falsches-passwort", client="1.2.3.4")
        assert "falsch" in exc.value.errors["form"]
    with pytest.raises(AccountError) as exc:  # the right password is refused now
        accounts.authenticate(engine, "anna", PW, client="5.6.7.8")
    assert "15 Minuten gesperrt" in exc.value.errors["form"]
    # older than 15 minutes: the lock is over
    with engine.begin() as conn:
        conn.execute(update(db.login_attempts).values(at=accounts.now() - timedelta(minutes=16)))
    assert accounts.authenticate(engine, "ANNA", PW, client="5.6.7.8").username == "anna"


def test_throttle_per_client_after_twenty_failures(engine):
    signup(engine)
    for i in range(20):
        with pytest.raises(AccountError):
            accounts.authenticate(engine, f"unbekannt{i}", "x", client="9.9.9.9")
    assert accounts.lock_message(engine, "anna", "9.9.9.9") is not None
    assert accounts.lock_message(engine, "anna", "1.1.1.1") is None


def test_session_epoch_ends_sessions(engine):
    _, user = signup(engine)
    started = accounts.epoch_now()
    assert accounts.session_valid(engine, "anna", started) is not None
    accounts.end_sessions(engine, user.id)
    assert accounts.session_valid(engine, "anna", started) is None
    assert accounts.session_valid(engine, "anna", accounts.epoch_now() + 1) is not None


def test_parallel_signups_with_same_office_name_give_one_winner(engine):
    def attempt(i):
        try:
            signup(engine, office="Jugendamt Parallel", username=f"user{i}", email=f"u{i}@x.de")
            return "ok"
        except AccountError as exc:
            return exc.errors.get("office", "other")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(attempt, range(20)))
    assert results.count("ok") == 1
    assert all("bereits registriert" in r for r in results if r != "ok")
    assert count(engine, db.tenants) == 1 and count(engine, db.users) == 1


def test_credentials_dict_for_authenticator(engine):
    signup(engine, username="Anna.B")
    creds = accounts.credentials(engine)["usernames"]
    assert creds["Anna.B"] is creds["anna.b"] and creds["anna.b"]["roles"] == ["admin"]
    assert creds["anna.b"]["password"].startswith("$2")
