"""Who is using this browser session: the login form of streamlit-authenticator, the re-login cookie (read and
written here), our own checks against the database (throttling, session epoch, removed users), and the page context.

Session state holds who is logged in (`sk_user`), the guest's chosen tenant (`sk_guest`) and the cookie bookkeeping
(`sk_cookie`: a write the browser has not confirmed yet; `sk_cookie_read`); tests set `sk_user` directly (the
`current_user()` seam), because the cookie component does not run under AppTest.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone

import streamlit as st

from data_models import accounts, audit
from data_models.accounts import Tenant
from data_models.config import ConfigError, check_startup, cookie_expiry_days, database_url, cookie_key, trusted_proxy
from data_models.database import init_db
from data_models.permissions import Principal, can

log = logging.getLogger("strategiekarte")


def _navigation_is_ours() -> None:
    """Streamlit treats a `pages/` folder as an old-style multipage app until the first `st.navigation` call of
    the process: a browser whose first request after a server start is a sub-page (e.g. reconnecting to /karte
    after a restart) got that page file without app.py – no session check, every page file listed in the sidebar –
    and kept it until some session opened "/". Every page that shows a tenant's data or a form imports this
    module (the legal texts and the indicator help do not: they show nothing of a tenant), so the first such run
    switches the old mode off for the process, as st.navigation would."""
    try:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
    except (ImportError, AttributeError):  # another Streamlit version: nothing to switch off
        pass


_navigation_is_ours()
COOKIE_NAME = "strategiekarte_anmeldung"
LOGIN_FIELDS = {"Form name": "Anmelden", "Username": "Benutzername", "Password": "Passwort", "Login": "Anmelden"}


@st.cache_resource(max_entries=4)
def _engine(url: str):
    return init_db(url)


def engine():
    """One engine per process and database URL (schema upgraded once; retention limits applied daily)."""
    url = database_url()
    eng = _engine(url)
    _housekeeping(url)
    return eng


@st.cache_resource(ttl=86400, max_entries=4, show_spinner=False)
def _housekeeping(url: str) -> bool:
    """Retention limits (data_models.deletion.purge_expired: old login attempts, finished invitations, old audit
    entries): at the first run of a process, then at most once a day."""
    from data_models.deletion import purge_expired

    try:
        purge_expired(_engine(url))
    except Exception as exc:  # a busy or read-only database must not stop the app; the next day tries again
        log.warning("Aufräumen nach Aufbewahrungsfristen fehlgeschlagen: %s", exc)
    return True


@st.cache_data(ttl=60, max_entries=4)
def demo_tenant_id(engine_url: str) -> int | None:
    t = accounts.get_tenant_by_slug(engine(), accounts.DEMO_SLUG)
    return t.id if t else None


def demo_id() -> int | None:
    return demo_tenant_id(str(engine().url))


def client_address() -> str:
    if trusted_proxy():
        fwd = st.context.headers.get("X-Forwarded-For", "")
        if fwd:
            return fwd.split(",")[0].strip()[:64]
    return (getattr(st.context, "ip_address", None) or "lokal")[:64]


def authenticator():
    """A fresh Authenticate per run (never shared between sessions), fed from the database: the login form only.

    It neither writes the re-login cookie (expiry 0 switches its writing off) nor logs in from it (the `logout`
    flag set by `restore_from_cookie`): the app does both itself, after its own checks (`start_session`,
    `write_cookie`, `restore_from_cookie`)."""
    import streamlit_authenticator as stauth

    return stauth.Authenticate(accounts.credentials(engine()), COOKIE_NAME, cookie_key(), 0,
                               auto_hash=False, login_sleep_time=0)


def current_user() -> dict | None:
    """The logged-in user as stored in the session: {username, role, tenant_id, started_ms}."""
    return st.session_state.get("sk_user")


def set_user(user: accounts.User, started_ms: int) -> None:
    st.session_state["sk_user"] = {"username": user.username, "role": user.role, "tenant_id": user.tenant_id,
                                   "name": user.name, "started_ms": started_ms}
    st.session_state.pop("sk_guest", None)


def clear_user() -> None:
    st.session_state.pop("sk_user", None)


def start_session(user: accounts.User) -> None:
    """After a login, a sign-up or an accepted invitation: the session, and a re-login cookie for this browser."""
    set_user(user, accounts.epoch_now() + 1)
    days = cookie_expiry_days()
    if days > 0:
        import jwt

        expires = time.time() + days * 86400  # streamlit-authenticator's token format: user name and expiry
        _queue_cookie(jwt.encode({"username": user.username, "exp_date": expires}, cookie_key(), algorithm="HS256"),
                      expires)


def _queue_cookie(token: str | None, expires: float = 0.0) -> None:
    """Write (or with None remove) the re-login cookie on the following runs, until the browser confirms it.

    The cookie is written from JavaScript by extra_streamlit_components' cookie component (an iframe), which does
    it only once it has mounted. The pages that log someone in switch to the start page at once, and that removed
    a component rendered by the login run before it had written anything (streamlit-authenticator's own writer
    lost the cookie in 3 of 8 logins measured in Chromium, and the logout its removal nearly always). So app.py
    renders the component on every run (`write_cookie`) until it reports back; each queued write gets a new key,
    so a new component, which reports again."""
    st.session_state["sk_cookie"] = {"token": token, "expires": expires, "key": f"sk_cookie_{time.time_ns()}"}


def write_cookie() -> None:
    """At the start of every run (app.py): render the queued cookie write; drop it once the browser confirmed."""
    job = st.session_state.get("sk_cookie")
    if not job:
        return
    from extra_streamlit_components.CookieManager import _component_func

    if job["token"] is None:
        done = _component_func(method="delete", cookie=COOKIE_NAME, key=job["key"], default=False)
    else:
        expires = datetime.fromtimestamp(job["expires"], timezone.utc).isoformat(timespec="seconds")
        done = _component_func(method="set", cookie=COOKIE_NAME, value=job["token"], key=job["key"], default=False,
                               options={"path": "/", "expires": expires, "sameSite": "strict"})
    if done:
        st.session_state.pop("sk_cookie", None)


def restore_from_cookie() -> None:
    """On the first run of a browser session: log in from a valid re-login cookie, unless its session has ended
    since (logout, password reset, removal: the session epoch). The browser's cookies are those it sent when the
    session opened (`st.context.cookies` does not change during a session), so they are read once; a cookie that
    does not log in is removed.

    The cookie is read here, not by streamlit-authenticator: its reading rendered a cookie component on every such
    run (one more script run when the component reported) and, with a second `Authenticate` on the login page, a
    duplicate element key that broke the login page for any browser holding an ended session's cookie."""
    if st.session_state.get("sk_cookie_read"):
        return
    st.session_state["sk_cookie_read"] = True
    st.session_state["logout"] = True  # streamlit-authenticator's flag: its login form never logs in from a cookie
    token = st.context.cookies[COOKIE_NAME] if COOKIE_NAME in st.context.cookies else None
    if current_user() or not token:
        return
    user, issued_ms = _cookie_session(token)
    if user is None:
        _forget_authenticator()
        return
    set_user(user, issued_ms)


def _cookie_session(token: str) -> tuple[accounts.User | None, int]:
    """The user of a re-login cookie and when it was issued, if it is signed with our key (HS256 only), has not
    expired, and its session has not ended since; else (None, 0)."""
    import jwt

    try:
        payload = jwt.decode(token, cookie_key(), algorithms=["HS256"])
        username, expires = str(payload["username"]), float(payload["exp_date"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):  # broken, forged, another key or algorithm
        return None, 0
    if expires <= time.time():
        return None, 0
    issued_ms = int((expires - cookie_expiry_days() * 86400) * 1000)
    return accounts.session_valid(engine(), username, issued_ms), issued_ms


def _forget_authenticator() -> None:
    """Log out of streamlit-authenticator's session state (its login form appears again) and remove the re-login
    cookie from this browser."""
    for key in ("authentication_status", "username", "name", "email", "roles"):
        st.session_state[key] = None
    _queue_cookie(None)


def check_session() -> None:
    """Every run: a removed user, or a session ended by logout elsewhere or a password reset, is logged out."""
    u = current_user()
    if not u:
        return
    user = accounts.session_valid(engine(), u["username"], u["started_ms"])
    if user is None or user.role != u["role"] or user.tenant_id != u["tenant_id"]:
        clear_user()
        _forget_authenticator()
        st.session_state["sk_notice"] = "Ihre Sitzung wurde beendet. Bitte melden Sie sich erneut an."


def logout() -> None:
    u = current_user()
    if u:
        user = accounts.get_user_by_name(engine(), u["username"])
        if user:
            accounts.end_sessions(engine(), user.id)  # ends the session everywhere, not only in this browser
            if user.tenant_id:
                audit.log(engine(), user.tenant_id, user.username, "abmeldung")
    clear_user()
    _forget_authenticator()


@dataclass(frozen=True)
class Context:
    principal: Principal
    tenant: Tenant | None  # the tenant whose data this session looks at (own, demo, or workshop)
    read_only: bool
    public: bool  # figures leave their tenant: apply suppression

    @property
    def role(self) -> str:
        return self.principal.role


def context() -> Context:
    u = current_user()
    demo = demo_id()
    if u:
        p = Principal(u["role"], u["username"], u["tenant_id"], demo)
        tenant = accounts.get_tenant(engine(), u["tenant_id"]) if u["tenant_id"] else None
        if tenant is None and u["role"] == "coordinator" and st.session_state.get("sk_guest") == demo and demo:
            tenant = accounts.get_tenant(engine(), demo)
        return Context(p, tenant, read_only=u["role"] != "admin", public=False)
    guest_tid = st.session_state.get("sk_guest")
    if guest_tid and guest_tid == demo:
        return Context(Principal("guest", "", guest_tid, demo), accounts.get_tenant(engine(), demo), True, False)
    from components import workshop

    link = workshop.current_link(engine())  # checked against the database on every run (revoked, expired)
    if link is not None:
        tenant = accounts.get_tenant(engine(), link.tenant_id)
        if tenant is not None:  # a real tenant, read-only, suppressed
            p = Principal("guest", "", tenant.id, demo, workshop_tenant_id=tenant.id)
            return Context(p, tenant, read_only=True, public=True)
    return Context(Principal("guest", "", None, demo), None, True, True)


def allowed(ctx: Context, action: str) -> bool:
    return can(ctx.principal, action, ctx.tenant.id if ctx.tenant else None)


def require(action: str) -> Context:
    """The page's context, or stop the page with a German message when the action is not allowed.

    The session is checked against the database here too (not only in app.py): a page reached without the
    navigation (Streamlit's pages/ folder) never trusts a role or tenant that has changed since login."""
    check_session()
    ctx = context()
    if not allowed(ctx, action):
        st.warning("Diese Seite ist für Ihre Rolle nicht freigegeben. Bitte melden Sie sich mit einem "
                   "berechtigten Konto an.")
        st.stop()
    return ctx


def check_config() -> None:
    """At the start of every run: refuse to run with unsafe settings (production without a cookie key)."""
    try:
        check_startup()
    except ConfigError as exc:
        st.error(str(exc))
        st.stop()


DATABASE_TROUBLE = ("Die Datenbank ist gerade nicht erreichbar oder nimmt keine Änderungen an (z. B. weil der "
                    "Speicherplatz erschöpft ist). Es wurde nichts gespeichert; die bisherigen Daten sind unverändert. "
                    "Bitte versuchen Sie es in einigen Minuten erneut und wenden Sie sich an den Betrieb, wenn das "
                    "Problem bleibt.")


def run_page(current) -> None:
    """Run the chosen page; a storage refusal or a database failure becomes a German message, not a stack trace.
    The technical error goes to the server log."""
    from sqlalchemy.exc import InternalError, OperationalError

    from data_models.store import StoreError

    try:
        current.run()
    except StoreError as exc:
        st.error(str(exc))
    except (OperationalError, InternalError) as exc:
        # the driver's message only: SQLAlchemy's own text would repeat the statement's parameters
        log.error("Datenbankfehler auf einer Seite: %s", exc.orig if getattr(exc, "orig", None) else exc)
        st.error(DATABASE_TROUBLE)
