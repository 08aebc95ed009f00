"""Impressum and Datenschutzerklärung: operator texts from a file, a default that says what is missing, and a link
from every page (the navigation of every role, the start page included)."""
from __future__ import annotations

import pytest

from data_models import accounts, legal_texts
from tests.pages.conftest import login_as, run_app, texts

PW = "sicheres-passwort-1"


def test_default_says_what_must_be_filled_in(app_db, monkeypatch):
    monkeypatch.delenv("STRATEGIEKARTE_IMPRESSUM", raising=False)
    monkeypatch.delenv("STRATEGIEKARTE_DATENSCHUTZ", raising=False)
    at = run_app(page="pages/impressum.py")
    assert not at.exception and at.title[0].value == "Impressum"
    warning = at.warning[0].value
    assert "noch nicht ausgefüllt" in warning and "STRATEGIEKARTE_IMPRESSUM" in warning
    assert "vertretungsberechtigte Person" in warning and "§ 18 Abs. 2 Medienstaatsvertrag" in warning
    at = run_app(page="pages/datenschutz.py")
    warning = at.warning[0].value
    assert "noch nicht ausgefüllt" in warning and "STRATEGIEKARTE_DATENSCHUTZ" in warning
    assert "Art. 13 DSGVO" in warning and "strategiekarte_anmeldung" in warning


def test_operator_files_from_environment_and_data_dir(app_db, tmp_path, monkeypatch):
    imp = tmp_path / "betreiber" / "impressum.md"
    imp.parent.mkdir()
    imp.write_text("# Landesjugendamt Beispiel\n\nMusterweg 1, 12345 Musterstadt <b>fett</b>\n", encoding="utf-8")
    monkeypatch.setenv("STRATEGIEKARTE_IMPRESSUM", str(imp))
    (tmp_path / "datenschutz.md").write_text("Verantwortlich: Landesjugendamt Beispiel\n", encoding="utf-8")
    monkeypatch.delenv("STRATEGIEKARTE_DATENSCHUTZ", raising=False)  # falls back to <data dir>/datenschutz.md
    at = run_app(page="pages/impressum.py")
    assert not at.warning and not at.error
    shown = texts(at)
    assert "Landesjugendamt Beispiel" in shown and "Musterweg 1" in shown
    assert not any(getattr(m.proto, "allow_html", False) for m in at.markdown)  # operator HTML is not rendered
    at = run_app(page="pages/datenschutz.py")
    assert "Verantwortlich: Landesjugendamt Beispiel" in texts(at) and not at.warning


def test_unreadable_configured_file_is_reported_without_its_path(app_db, tmp_path, monkeypatch):
    monkeypatch.setenv("STRATEGIEKARTE_DATENSCHUTZ", str(tmp_path / "gibtsnicht" / "ds.md"))
    result = legal_texts.datenschutz()
    assert not result.configured and "STRATEGIEKARTE_DATENSCHUTZ" in result.problem
    assert "gibtsnicht" not in result.problem
    at = run_app(page="pages/datenschutz.py")
    assert "lässt sich nicht lesen" in at.error[0].value
    assert "noch nicht ausgefüllt" in at.warning[0].value
    empty = tmp_path / "leer.md"
    empty.write_text("  \n", encoding="utf-8")
    monkeypatch.setenv("STRATEGIEKARTE_DATENSCHUTZ", str(empty))
    assert legal_texts.datenschutz().problem.endswith("ist leer.")


def _people(engine):
    tenant, _ = accounts.signup(engine, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna",
                                email="a@a.de", username="anna", password=PW, password2=PW)
    token, _ = accounts.create_invitation(engine, tenant.id, "anna")
    accounts.accept_invitation(engine, token, name="Bert", email="b@a.de", username="bert", password=PW, password2=PW)
    accounts.create_user(engine, username="kora", email="k@p.de", password=PW, role="coordinator")
    return accounts.create_tenant(engine, slug=accounts.DEMO_SLUG, name="Musterstadt", is_demo=True)


@pytest.mark.parametrize("who", ["start", "demo", "anna", "bert", "kora"])
def test_both_texts_are_in_the_navigation_of_every_role(app_db, who):
    demo = _people(app_db)
    kwargs = {"guest": demo.id} if who == "demo" else {}
    if who not in ("start", "demo"):
        kwargs["user"] = login_as(app_db, who)
    at = run_app(**kwargs)
    assert not at.exception
    for page, title in (("pages/impressum.py", "Impressum"), ("pages/datenschutz.py", "Datenschutzerklärung")):
        at.switch_page(page).run()  # raises ValueError when the page is not in this role's navigation
        assert at.title[0].value == title
