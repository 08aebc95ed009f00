"""Tenants, users, roles, invitations, login throttling. Passwords only as bcrypt hashes.

Every refusal a user can cause is an `AccountError` carrying German messages per form field; nothing is half-created
(each operation is one transaction, uniqueness is enforced by unique indexes on case-folded keys).
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import bcrypt
from sqlalchemy import and_, func, insert, select, update, delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from data_models import db
from data_models.audit import log_event

ROLES = ("admin", "member", "coordinator")
ROLE_LABELS = {"admin": "Administration", "member": "Mitglied", "coordinator": "Programmkoordination"}
TENANT_TYPES = {
    "stadt": "kreisfreie Stadt",
    "landkreis": "Landkreis",
    "kreisangehoerig": "kreisangehörige Stadt mit eigenem Jugendamt",
    "sonstige": "sonstiges Jugendamt",
}
DEMO_SLUG = "musterstadt"
INVITATION_DAYS = 7
MAX_NAME = 120
MAX_FAILED_PER_USER = 5
MAX_FAILED_PER_CLIENT = 20
LOCK_MINUTES = 15

_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62})$")
_USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")
_EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_KEY_RE = re.compile(r"^(\d{5}|\d{6}|\d{8})$")


class AccountError(Exception):
    """A refusal the user caused: `errors` maps form field -> German message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class User:
    id: int
    username: str
    name: str
    email: str
    role: str
    tenant_id: int | None
    session_epoch: int = 0


@dataclass(frozen=True)
class Tenant:
    id: int
    slug: str
    name: str
    typ: str
    schluessel: str | None
    confirmed: bool
    consent: bool
    is_demo: bool
    created_at: datetime
    data_version: int


def now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(dt: datetime) -> datetime:
    """SQLite returns naive datetimes: they were stored as UTC."""
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def hash_password(password: str) -> str:
    # cost 12 in production; tests lower it through the environment to stay fast
    rounds = max(4, min(15, int(os.environ.get("STRATEGIEKARTE_BCRYPT_ROUNDS", "12"))))
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def password_problem(password: str, username: str = "") -> str | None:
    """German message when the password breaks the rules of privacy.md, else None."""
    if len(password) < 10:
        return "Das Passwort muss mindestens 10 Zeichen lang sein."
    if len(password.encode("utf-8")) > 72:
        return "Das Passwort darf höchstens 72 Bytes lang sein."
    if username and password.casefold() == username.casefold():
        return "Das Passwort darf nicht der Benutzername sein."
    return None


def _check_name(value: str, field: str, label: str, errors: dict) -> str:
    value = " ".join((value or "").split())
    if not value:
        errors[field] = f"Bitte {label} angeben."
    elif len(value) > MAX_NAME:
        errors[field] = f"{label[0].upper() + label[1:]} darf höchstens {MAX_NAME} Zeichen lang sein."
    return value


def _check_user_fields(name, email, username, password, password2, errors: dict) -> tuple[str, str, str]:
    name = _check_name(name, "name", "einen Namen", errors)
    email = (email or "").strip()
    if not email:
        errors["email"] = "Bitte eine E-Mail-Adresse angeben."
    elif len(email) > 254 or not _EMAIL_RE.match(email):
        errors["email"] = "Bitte eine gültige E-Mail-Adresse angeben (z. B. name@stadt.de)."
    username = (username or "").strip()
    if not username:
        errors["username"] = "Bitte einen Benutzernamen angeben."
    elif not _USERNAME_RE.match(username):
        errors["username"] = (
            "Der Benutzername darf 3 bis 64 Zeichen lang sein: Buchstaben ohne Umlaute, Ziffern, Punkt, "
            "Binde- und Unterstrich; er beginnt mit einem Buchstaben oder einer Ziffer."
        )
    if password != password2:
        errors["password2"] = "Die beiden Passwörter stimmen nicht überein."
    problem = password_problem(password or "", username)
    if problem:
        errors["password"] = problem
    return name, email, username


def _unique_user_checks(conn, email: str, username: str, errors: dict) -> None:
    if username and conn.execute(select(db.users.c.id).where(db.users.c.username_key == fold(username))).first():
        errors["username"] = "Dieser Benutzername ist bereits vergeben."
    if email and conn.execute(select(db.users.c.id).where(db.users.c.email_key == fold(email))).first():
        errors["email"] = "Für diese E-Mail-Adresse gibt es bereits ein Konto."


def _insert_user(conn, tenant_id, name, email, username, password, role) -> int:
    return conn.execute(
        insert(db.users).values(
            tenant_id=tenant_id, username=username, username_key=fold(username), email=email,
            email_key=fold(email), name=name, password_hash=hash_password(password), role=role,
            session_epoch=0, created_at=now(),
        ).returning(db.users.c.id)
    ).scalar_one()


def _integrity_message(exc: IntegrityError) -> dict[str, str]:
    text = str(exc.orig).lower()
    if "email" in text:
        return {"email": "Für diese E-Mail-Adresse gibt es bereits ein Konto."}
    if "username" in text:
        return {"username": "Dieser Benutzername ist bereits vergeben."}
    if "slug" in text or "name_key" in text:
        return {"office": "Ein Jugendamt mit diesem Namen ist bereits registriert."}
    return {"form": "Die Angaben konnten nicht gespeichert werden, weil ein Eintrag bereits existiert."}


def slugify(name: str) -> str:
    table = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
    s = name.casefold().translate(table)
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return (s or "jugendamt")[:48]


def _free_slug(conn, base: str) -> str:
    slug, n = base, 1
    while conn.execute(select(db.tenants.c.id).where(db.tenants.c.slug == slug)).first():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _tenant_insert(conn, slug, name, typ, key, confirmed, is_demo=False) -> int:
    return conn.execute(
        insert(db.tenants).values(
            slug=slug, name=name, name_key=fold(name), typ=typ, schluessel=key or None, confirmed=confirmed,
            consent=False, is_demo=is_demo, secret=secrets.token_hex(32), data_version=0, created_at=now(),
        ).returning(db.tenants.c.id)
    ).scalar_one()


def _check_tenant_fields(office: str, typ: str, key: str | None, errors: dict) -> tuple[str, str, str | None]:
    office = _check_name(office, "office", "den Namen des Jugendamts", errors)
    if typ not in TENANT_TYPES:
        errors["typ"] = "Bitte die Art des Jugendamts auswählen."
    key = (key or "").strip() or None
    if key and not _KEY_RE.match(key):
        errors["key"] = (
            "Der Schlüssel besteht aus 5 Ziffern (Kreisschlüssel), 8 Ziffern (Gemeindeschlüssel) "
            "oder 6 Ziffern (Jugendamtsnummer)."
        )
    return office, typ, key


def signup(engine: Engine, *, office: str, typ: str, key: str | None, name: str, email: str, username: str,
           password: str, password2: str) -> tuple[Tenant, User]:
    """Register an office and its first admin in one transaction. New offices are unconfirmed."""
    errors: dict[str, str] = {}
    office, typ, key = _check_tenant_fields(office, typ, key, errors)
    name, email, username = _check_user_fields(name, email, username, password, password2, errors)
    try:
        with db.write_transaction(engine) as conn:
            if office and conn.execute(select(db.tenants.c.id).where(db.tenants.c.name_key == fold(office))).first():
                errors["office"] = "Ein Jugendamt mit diesem Namen ist bereits registriert."
            _unique_user_checks(conn, email, username, errors)
            if errors:
                raise AccountError(errors)
            tenant_id = _tenant_insert(conn, _free_slug(conn, slugify(office)), office, typ, key, confirmed=False)
            user_id = _insert_user(conn, tenant_id, name, email, username, password, "admin")
            log_event(conn, tenant_id, username, "registrierung", f"Jugendamt „{office}“ registriert")
    except IntegrityError as exc:
        raise AccountError(_integrity_message(exc)) from None
    return get_tenant(engine, tenant_id), get_user(engine, user_id)


def create_tenant(engine: Engine, *, slug: str, name: str, typ: str = "sonstige", key: str | None = None,
                  confirmed: bool = True, is_demo: bool = False) -> Tenant:
    """Command-line creation (`manage.py create-tenant`): confirmed by default."""
    errors: dict[str, str] = {}
    if not _SLUG_RE.match(slug or ""):
        errors["slug"] = "Der Kurzname (slug) darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten."
    name, typ, key = _check_tenant_fields(name, typ, key, errors)
    if errors:
        raise AccountError(errors)
    try:
        with db.write_transaction(engine) as conn:
            if conn.execute(select(db.tenants.c.id).where(db.tenants.c.slug == slug)).first():
                raise AccountError({"slug": f"Ein Jugendamt mit dem Kurznamen „{slug}“ gibt es bereits."})
            if conn.execute(select(db.tenants.c.id).where(db.tenants.c.name_key == fold(name))).first():
                raise AccountError({"office": "Ein Jugendamt mit diesem Namen ist bereits registriert."})
            tenant_id = _tenant_insert(conn, slug, name, typ, key, confirmed, is_demo)
    except IntegrityError as exc:
        raise AccountError(_integrity_message(exc)) from None
    return get_tenant(engine, tenant_id)


def create_user(engine: Engine, *, username: str, email: str, password: str, role: str,
                tenant_slug: str | None = None, name: str | None = None) -> User:
    """Command-line creation of a tenant user (admin/member) or a coordinator (no tenant)."""
    if role not in ROLES:
        raise AccountError({"role": "Die Rolle muss admin, member oder coordinator sein."})
    errors: dict[str, str] = {}
    name, email, username = _check_user_fields(name or username, email, username, password, password, errors)
    try:
        with db.write_transaction(engine) as conn:
            tenant_id = None
            if role != "coordinator":
                if not tenant_slug:
                    raise AccountError({"tenant": "Für admin und member bitte --tenant angeben."})
                row = conn.execute(select(db.tenants.c.id).where(db.tenants.c.slug == tenant_slug)).first()
                if row is None:
                    raise AccountError({"tenant": f"Ein Jugendamt „{tenant_slug}“ gibt es nicht."})
                tenant_id = row.id
            _unique_user_checks(conn, email, username, errors)
            if errors:
                raise AccountError(errors)
            user_id = _insert_user(conn, tenant_id, name, email, username, password, role)
            if tenant_id:
                log_event(conn, tenant_id, "Kommandozeile", "benutzer_angelegt", f"{username} ({role})")
    except IntegrityError as exc:
        raise AccountError(_integrity_message(exc)) from None
    return get_user(engine, user_id)


def _user(row) -> User:
    return User(row.id, row.username, row.name, row.email, row.role, row.tenant_id, row.session_epoch)


def _tenant(row) -> Tenant:
    return Tenant(row.id, row.slug, row.name, row.typ, row.schluessel, row.confirmed, row.consent, row.is_demo,
                  _aware(row.created_at), row.data_version)


def get_user(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(db.users).where(db.users.c.id == user_id)).first()
    return _user(row) if row else None


def get_user_by_name(engine: Engine, username: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(db.users).where(db.users.c.username_key == fold(username))).first()
    return _user(row) if row else None


def get_tenant(engine: Engine, tenant_id: int) -> Tenant | None:
    with engine.connect() as conn:
        row = conn.execute(select(db.tenants).where(db.tenants.c.id == tenant_id)).first()
    return _tenant(row) if row else None


def get_tenant_by_slug(engine: Engine, slug: str) -> Tenant | None:
    with engine.connect() as conn:
        row = conn.execute(select(db.tenants).where(db.tenants.c.slug == slug)).first()
    return _tenant(row) if row else None


def list_tenants(engine: Engine) -> list[Tenant]:
    with engine.connect() as conn:
        rows = conn.execute(select(db.tenants).order_by(db.tenants.c.name_key)).all()
    return [_tenant(r) for r in rows]


def credentials(engine: Engine) -> dict:
    """The credentials dict for streamlit-authenticator, built from the database on each run.

    Keys are the user names as stored and their case-folded form (same entry), so login ignores letter case.
    """
    with engine.connect() as conn:
        rows = conn.execute(select(db.users.c.username, db.users.c.username_key, db.users.c.email,
                                   db.users.c.name, db.users.c.password_hash, db.users.c.role)).all()
    out: dict[str, dict] = {}
    for r in rows:
        entry = {"email": r.email, "name": r.name, "password": r.password_hash, "roles": [r.role],
                 "failed_login_attempts": 0, "logged_in": False}
        out[r.username] = entry
        out.setdefault(r.username_key, entry)
    return {"usernames": out}


# --- login throttling ------------------------------------------------------------------------------------------

def _attempt_key(conn, username: str | None) -> str:
    """What `login_attempts.username_key` stores for a typed user name: the case-folded name of an existing
    account; for any other text only a SHA-256 digest, because people type their password into the user name
    field by mistake, and a password must never be stored or shown in clear text."""
    key = fold(username or "")[:64]
    if not key or conn.execute(select(db.users.c.id).where(db.users.c.username_key == key)).first():
        return key
    return "h:" + hashlib.sha256(fold(username).encode("utf-8")).hexdigest()[:62]


def lock_message(engine: Engine, username: str | None, client: str) -> str | None:
    """German message when logins for this user name or client are locked, else None."""
    since = now() - timedelta(minutes=LOCK_MINUTES)
    a = db.login_attempts
    with engine.connect() as conn:
        by_client = conn.execute(select(func.count()).where(
            and_(a.c.client == client, a.c.success.is_(False), a.c.at >= since))).scalar_one()
        by_user = 0
        if username:
            by_user = conn.execute(select(func.count()).where(and_(
                a.c.username_key == _attempt_key(conn, username), a.c.success.is_(False), a.c.at >= since))
            ).scalar_one()
    if by_user >= MAX_FAILED_PER_USER or by_client >= MAX_FAILED_PER_CLIENT:
        return (f"Zu viele fehlgeschlagene Anmeldeversuche. Die Anmeldung ist für {LOCK_MINUTES} Minuten gesperrt. "
                "Bitte versuchen Sie es später erneut oder wenden Sie sich an Ihre Administration.")
    return None


def record_login(engine: Engine, username: str | None, client: str, success: bool) -> None:
    user = get_user_by_name(engine, username) if username else None
    with db.write_transaction(engine) as conn:
        conn.execute(insert(db.login_attempts).values(
            username_key=_attempt_key(conn, username), client=client[:64], at=now(), success=success))
        if user and user.tenant_id:
            log_event(conn, user.tenant_id, user.username,
                      "anmeldung" if success else "anmeldung_fehlgeschlagen", "")


def authenticate(engine: Engine, username: str, password: str, client: str = "local") -> User:
    """Check a password with throttling (command line, tests and the login form's fallback)."""
    msg = lock_message(engine, username, client)
    if msg:
        raise AccountError({"form": msg})
    user = get_user_by_name(engine, username)
    hashed = None
    if user:
        with engine.connect() as conn:
            hashed = conn.execute(select(db.users.c.password_hash).where(db.users.c.id == user.id)).scalar_one()
    if not user or not check_password(password, hashed):
        record_login(engine, username, client, False)
        raise AccountError({"form": "Benutzername oder Passwort ist falsch."})
    record_login(engine, username, client, True)
    return user


# --- sessions ---------------------------------------------------------------------------------------------------

def epoch_now() -> int:
    return int(time.time() * 1000)


def end_sessions(engine: Engine, user_id: int) -> None:
    """Invalidate every session of the user started before now (logout everywhere, removal, password reset)."""
    with db.write_transaction(engine) as conn:
        conn.execute(update(db.users).where(db.users.c.id == user_id).values(session_epoch=epoch_now()))


def session_valid(engine: Engine, username: str, started_ms: int) -> User | None:
    """The user when a session started at `started_ms` is still valid, else None (removed or logged out)."""
    user = get_user_by_name(engine, username)
    if user is None or started_ms <= user.session_epoch:
        return None
    return user


# --- users of a tenant ------------------------------------------------------------------------------------------

def list_users(engine: Engine, tenant_id: int) -> list[User]:
    with engine.connect() as conn:
        rows = conn.execute(select(db.users).where(db.users.c.tenant_id == tenant_id)
                            .order_by(db.users.c.username_key)).all()
    return [_user(r) for r in rows]


def _admin_count(conn, tenant_id: int) -> int:
    return conn.execute(select(func.count()).where(
        and_(db.users.c.tenant_id == tenant_id, db.users.c.role == "admin"))).scalar_one()


def set_role(engine: Engine, tenant_id: int, actor: str, user_id: int, role: str) -> None:
    if role not in ("admin", "member"):
        raise AccountError({"role": "Unbekannte Rolle."})
    with db.write_transaction(engine) as conn:
        row = conn.execute(select(db.users).where(
            and_(db.users.c.id == user_id, db.users.c.tenant_id == tenant_id))).first()
        if row is None:
            raise AccountError({"form": "Diese Person gehört nicht zu Ihrem Jugendamt."})
        if row.role == "admin" and role != "admin" and _admin_count(conn, tenant_id) <= 1:
            raise AccountError({"form": "Die letzte Administratorin bzw. der letzte Administrator kann nicht "
                                        "herabgestuft werden."})
        conn.execute(update(db.users).where(db.users.c.id == user_id).values(role=role))
        log_event(conn, tenant_id, actor, "rolle_geaendert", f"{row.username}: {row.role} → {role}")


def remove_user(engine: Engine, tenant_id: int, actor: str, user_id: int) -> None:
    with db.write_transaction(engine) as conn:
        row = conn.execute(select(db.users).where(
            and_(db.users.c.id == user_id, db.users.c.tenant_id == tenant_id))).first()
        if row is None:
            raise AccountError({"form": "Diese Person gehört nicht zu Ihrem Jugendamt."})
        if row.role == "admin" and _admin_count(conn, tenant_id) <= 1:
            raise AccountError({"form": "Die letzte Administratorin bzw. der letzte Administrator kann nicht "
                                        "entfernt werden."})
        conn.execute(delete(db.users).where(db.users.c.id == user_id))
        log_event(conn, tenant_id, actor, "benutzer_entfernt", row.username)


def reset_password(engine: Engine, username: str, password: str) -> User:
    user = get_user_by_name(engine, username)
    if user is None:
        raise AccountError({"username": f"Einen Benutzer „{username}“ gibt es nicht."})
    problem = password_problem(password, user.username)
    if problem:
        raise AccountError({"password": problem})
    with db.write_transaction(engine) as conn:
        conn.execute(update(db.users).where(db.users.c.id == user.id)
                     .values(password_hash=hash_password(password), session_epoch=epoch_now()))
        if user.tenant_id:
            log_event(conn, user.tenant_id, "Kommandozeile", "passwort_zurueckgesetzt", user.username)
    return user


# --- invitations ------------------------------------------------------------------------------------------------

def _sha(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Invitation:
    id: int
    purpose: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    revoked_at: datetime | None
    username: str | None = None

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "widerrufen"
        if self.used_at:
            return "eingelöst"
        if self.expires_at < now():
            return "abgelaufen"
        return "offen"


def create_invitation(engine: Engine, tenant_id: int, actor: str, purpose: str = "einladung",
                      user_id: int | None = None) -> tuple[str, str]:
    """A one-time token (for the link `?einladung=TOKEN`) and a short code; only their hashes are stored."""
    token = secrets.token_urlsafe(32)
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    with db.write_transaction(engine) as conn:
        for_whom = ""  # the audit entry names whose password link it is (never the link or code)
        if user_id is not None:
            ok = conn.execute(select(db.users.c.id, db.users.c.username).where(
                and_(db.users.c.id == user_id, db.users.c.tenant_id == tenant_id))).first()
            if not ok:
                raise AccountError({"form": "Diese Person gehört nicht zu Ihrem Jugendamt."})
            for_whom = ok.username
        conn.execute(insert(db.invitations).values(
            tenant_id=tenant_id, purpose=purpose, token_hash=_sha(token), code_hash=_sha(code.upper()),
            user_id=user_id, created_by=actor, created_at=now(), expires_at=now() + timedelta(days=INVITATION_DAYS)))
        log_event(conn, tenant_id, actor, "einladung_erstellt" if purpose == "einladung" else "passwort_link_erstellt",
                  for_whom)
    return token, code


def list_invitations(engine: Engine, tenant_id: int) -> list[Invitation]:
    i, u = db.invitations, db.users
    with engine.connect() as conn:
        rows = conn.execute(select(i, u.c.username).select_from(i.outerjoin(u, i.c.user_id == u.c.id))
                            .where(i.c.tenant_id == tenant_id).order_by(i.c.created_at.desc())).all()
    return [Invitation(r.id, r.purpose, r.created_by, _aware(r.created_at), _aware(r.expires_at),
                       r.used_at and _aware(r.used_at), r.revoked_at and _aware(r.revoked_at), r.username)
            for r in rows]


def revoke_invitation(engine: Engine, tenant_id: int, actor: str, invitation_id: int) -> None:
    with db.write_transaction(engine) as conn:
        n = conn.execute(update(db.invitations).where(and_(
            db.invitations.c.id == invitation_id, db.invitations.c.tenant_id == tenant_id,
            db.invitations.c.used_at.is_(None))).values(revoked_at=now())).rowcount
        if n:
            log_event(conn, tenant_id, actor, "einladung_widerrufen", "")


def _open_invitation(conn, token_or_code: str, purpose: str):
    t = (token_or_code or "").strip()
    if not t:
        raise AccountError({"token": "Bitte den Einladungscode eingeben."})
    i = db.invitations
    row = conn.execute(select(i).where(and_(i.c.purpose == purpose,
                                            (i.c.token_hash == _sha(t)) | (i.c.code_hash == _sha(t.upper()))))).first()
    if row is None:
        raise AccountError({"token": "Dieser Einladungslink oder -code ist ungültig."})
    if row.revoked_at is not None:
        raise AccountError({"token": "Diese Einladung wurde widerrufen. Bitte bitten Sie um eine neue."})
    if row.used_at is not None:
        raise AccountError({"token": "Diese Einladung wurde bereits verwendet."})
    if _aware(row.expires_at) < now():
        raise AccountError({"token": "Diese Einladung ist abgelaufen. Bitte bitten Sie um eine neue."})
    return row


def invitation_tenant(engine: Engine, token_or_code: str, purpose: str = "einladung") -> Tenant:
    """The tenant an open invitation belongs to (raises AccountError when it is not usable)."""
    with engine.connect() as conn:
        row = _open_invitation(conn, token_or_code, purpose)
    return get_tenant(engine, row.tenant_id)


def accept_invitation(engine: Engine, token_or_code: str, *, name: str, email: str, username: str,
                      password: str, password2: str) -> User:
    errors: dict[str, str] = {}
    name, email, username = _check_user_fields(name, email, username, password, password2, errors)
    try:
        with db.write_transaction(engine) as conn:
            row = _open_invitation(conn, token_or_code, "einladung")
            _unique_user_checks(conn, email, username, errors)
            if errors:
                raise AccountError(errors)
            # mark used first: a concurrent second use updates no row
            n = conn.execute(update(db.invitations).where(and_(
                db.invitations.c.id == row.id, db.invitations.c.used_at.is_(None))).values(used_at=now())).rowcount
            if n != 1:
                raise AccountError({"token": "Diese Einladung wurde bereits verwendet."})
            user_id = _insert_user(conn, row.tenant_id, name, email, username, password, "member")
            log_event(conn, row.tenant_id, username, "einladung_angenommen", "")
    except IntegrityError as exc:
        raise AccountError(_integrity_message(exc)) from None
    return get_user(engine, user_id)


def use_password_link(engine: Engine, token_or_code: str, password: str, password2: str) -> User:
    with db.write_transaction(engine) as conn:
        row = _open_invitation(conn, token_or_code, "passwort")
        urow = conn.execute(select(db.users).where(db.users.c.id == row.user_id)).first()
        if urow is None:
            raise AccountError({"token": "Dieses Konto gibt es nicht mehr."})
        errors = {}
        if password != password2:
            errors["password2"] = "Die beiden Passwörter stimmen nicht überein."
        problem = password_problem(password, urow.username)
        if problem:
            errors["password"] = problem
        if errors:
            raise AccountError(errors)
        conn.execute(update(db.invitations).where(db.invitations.c.id == row.id).values(used_at=now()))
        conn.execute(update(db.users).where(db.users.c.id == urow.id)
                     .values(password_hash=hash_password(password), session_epoch=epoch_now()))
        log_event(conn, row.tenant_id, urow.username, "passwort_geaendert", "")
    return _user(urow)


def set_consent(engine: Engine, tenant_id: int, actor: str, consent: bool) -> None:
    with db.write_transaction(engine) as conn:
        conn.execute(update(db.tenants).where(db.tenants.c.id == tenant_id).values(consent=consent))
        log_event(conn, tenant_id, actor, "einwilligung", "ein" if consent else "aus")
