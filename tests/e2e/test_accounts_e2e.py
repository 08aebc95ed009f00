"""Issue 3 in a real browser: sign up A, log out, log in, wrong password, sign up B (sees nothing of A),
invite a colleague into A and log in as the colleague; the re-login cookie that login, sign-up and an accepted
invitation leave in the browser, and that logout removes."""
from __future__ import annotations

import re
import time

import jwt
from playwright.sync_api import expect

from tests.e2e.conftest import login, open_nav, settle

PW = "sicheres-passwort-1"
COOKIE = "strategiekarte_anmeldung"


def relogin_cookie(page, present: bool = True, timeout: float = 10.0) -> dict | None:
    """The re-login cookie in the browser, polled until it is there (or, with present=False, gone): the page
    writes it from JavaScript once its cookie component has mounted."""
    deadline = time.time() + timeout
    while True:
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if bool(found) == present or time.time() > deadline:
            return found[0] if found else None
        page.wait_for_timeout(200)


def stays_logged_in_after_reload(page) -> dict:
    cookie = relogin_cookie(page)
    assert cookie is not None, "no re-login cookie after logging in"
    page.reload()
    settle(page)
    expect(page.get_by_text("Angemeldet als")).to_be_visible()
    return cookie


def signup(page, base, office, username, email):
    page.goto(base + "/registrieren")
    settle(page)
    page.get_by_label("Name des Jugendamts").fill(office)
    page.get_by_label("Ihr Name").fill(f"{username.title()} Admin")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort", exact=True).fill(PW)
    page.get_by_label("Passwort wiederholen").fill(PW)
    page.get_by_role("button", name="Jugendamt registrieren").click()
    expect(page.get_by_text("Angemeldet als")).to_be_visible()


def logout(page):
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("button", name="Demo ansehen")).to_be_visible()


def test_signup_login_isolation_and_invitation(server, page, tmp_path):
    base = server.url
    page.goto(base)
    settle(page)
    expect(page.get_by_role("heading", name="Strategiekarte", exact=True).first).to_be_visible()
    page.screenshot(path=str(tmp_path / "start.png"), full_page=True)

    signup(page, base, "Jugendamt Astadt", "anna", "anna@astadt.de")
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Jugendamt Astadt")).to_be_visible()
    stays_logged_in_after_reload(page)  # the sign-up wrote the re-login cookie
    logout(page)

    login(page, base, "anna", "falsches-passwort")
    expect(page.get_by_text("Benutzername oder Passwort ist falsch.")).to_be_visible()
    login(page, base, "anna", PW)
    expect(page.get_by_text("Angemeldet als")).to_be_visible()

    # invite a colleague
    open_nav(page, "Verwaltung")
    page.get_by_role("tab", name="Einladungen").click()
    page.get_by_role("button", name="Neue Einladung erstellen").click()
    settle(page)
    link = page.locator('[data-testid="stCode"]').first.inner_text()
    token = re.search(r"\?einladung=([\w-]+)", link).group(1)
    logout(page)

    # office B sees nothing of A
    signup(page, base, "Jugendamt Bstadt", "bert", "bert@bstadt.de")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Jugendamt Bstadt")).to_be_visible()
    expect(page.get_by_text("Jugendamt Astadt")).to_have_count(0)
    logout(page)

    # the colleague joins A through the link and logs in
    page.goto(f"{base}/?einladung={token}")
    settle(page)
    expect(page.get_by_text("Jugendamt Astadt")).to_be_visible()
    page.get_by_label("Ihr Name").fill("Carla Kollegin")
    page.get_by_label("E-Mail-Adresse").fill("carla@astadt.de")
    page.get_by_label("Benutzername").fill("carla")
    page.get_by_label("Passwort", exact=True).fill(PW)
    page.get_by_label("Passwort wiederholen").fill(PW)
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_text("Angemeldet als Carla Kollegin (Mitglied)")).to_be_visible()
    stays_logged_in_after_reload(page)  # accepting the invitation wrote the re-login cookie
    logout(page)
    login(page, base, "carla", PW)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Jugendamt Astadt")).to_be_visible()
    page.screenshot(path=str(tmp_path / "member.png"), full_page=True)


def test_cookie_survives_reload_ends_with_logout_and_foreign_key_is_refused(server, page):
    base = server.url
    server.manage("create-tenant", "--slug", "cstadt", "--name", "Jugendamt Cstadt")
    server.manage("create-user", "--username", "cora", "--email", "cora@cstadt.de", "--password", PW,
                  "--role", "admin", "--tenant", "cstadt")
    login(page, base, "cora", PW)
    expect(page.get_by_text("Angemeldet als")).to_be_visible()
    # the cookie the login wrote: the signed token with user name and expiry (1 day, the e2e server's default)
    cookie = relogin_cookie(page)
    assert cookie is not None, "the login did not leave a re-login cookie in the browser"
    payload = jwt.decode(cookie["value"], server.env["STRATEGIEKARTE_COOKIE_KEY"], algorithms=["HS256"])
    assert payload["username"] == "cora" and abs(payload["exp_date"] - (time.time() + 86400)) < 300
    assert cookie["path"] == "/" and cookie["sameSite"] == "Strict" and abs(cookie["expires"] - payload["exp_date"]) < 5
    # a reload is a new Streamlit session: the cookie logs cora in again, on her start page
    page.reload()
    settle(page)
    expect(page.get_by_text("Angemeldet als cora (Administration)")).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Jugendamt Cstadt")).to_be_visible()
    token = cookie["value"]
    logout(page)
    assert relogin_cookie(page, present=False) is None, "the cookie stayed in the browser after logout"
    # the old cookie (if a copy was kept) is worthless after logout: the session epoch moved on
    page.context.add_cookies([{"name": COOKIE, "value": token, "url": base}])
    page.reload()
    settle(page)
    expect(page.get_by_role("button", name="Demo ansehen")).to_be_visible()
    expect(page.get_by_text("Angemeldet als")).to_have_count(0)
    # with that cookie in the browser the login page still works (it broke on a duplicate element key before)
    login(page, base, "cora", PW)
    expect(page.get_by_text("Angemeldet als")).to_be_visible()
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    logout(page)
    # a cookie signed with another key is refused
    forged = jwt.encode({"username": "cora", "exp_date": time.time() + 3600}, "ein-anderer-schluessel" * 2,
                        algorithm="HS256")
    page.context.add_cookies([{"name": COOKIE, "value": forged, "url": base}])
    page.reload()
    settle(page)
    expect(page.get_by_text("Angemeldet als")).to_have_count(0)
