"""Coordinator pages (Programmübersicht, Vergleich), the admin page „Teilen und Workshops“ and a workshop guest,
through Streamlit's AppTest against the real app.py."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from streamlit.testing.v1 import AppTest

from data_models import accounts, programme, workshops
from tests.conftest import ROOT
from tests.pages.conftest import login_as, run_app, texts
from tests.programme_factories import PW, coordinator, office, office_a, office_b


def all_text(at) -> str:
    """Visible text including tables and metrics."""
    parts = [texts(at)]
    parts += [str(m.label) + " " + str(m.value) for m in at.metric]
    for df in at.dataframe:
        parts.append(df.value.to_csv(sep="|"))
    parts += [str(c.value) for c in at.code]
    return "\n".join(parts)


@pytest.fixture
def programme_db(app_db):
    office(app_db, "astadt", "Jugendamt Astadt", builder=office_a(), admin="anna", member="arne")
    office(app_db, "bstadt", "Jugendamt Bstadt", builder=office_b(), typ="landkreis", member="bert")
    accounts.signup(app_db, office="Jugendamt Neu", typ="landkreis", key="05111", name="Nina", email="n@neu.de",
                    username="nina", password=PW, password2=PW)
    coordinator(app_db)
    return app_db


def button(at, label):
    return [b for b in at.button if b.label == label]


# ---------------------------------------------------------------------------------------------- coordinators
def test_board_lists_offices_without_figures_and_confirms(programme_db):
    at = run_app(user=login_as(programme_db, "kora"))
    assert not at.exception, at.exception
    text = all_text(at)
    assert at.title[0].value == "Programmübersicht"
    for name in ("Jugendamt Astadt", "Jugendamt Bstadt", "Jugendamt Neu"):
        assert name in text
    assert "unbestätigt" in text and "Sozialräume; Bevölkerung 2023; SGB II 2023; HzE 2023; § 42 2023" in text
    assert [m.value for m in at.metric] == ["3", "1", "2"]
    # no figure of any office: neither Astadt's 12 HzE nor its Eckwert 6,0 nor a Sozialraum name
    assert "6,0" not in text and "Sozialraum 01" not in text
    board_csv = at.dataframe[0].value.to_csv()
    assert ",12," not in board_csv
    button(at, "Bestätigen")[0].click()
    at.run()
    assert accounts.get_tenant_by_slug(programme_db, "jugendamt-neu").confirmed
    assert "„Jugendamt Neu“ ist bestätigt." in texts(at)
    assert not button(at, "Bestätigen")


def test_board_removes_an_unconfirmed_office_after_typing_its_name(programme_db):
    at = run_app(user=login_as(programme_db, "kora"))
    [t for t in at.text_input if t.label == "Name des Jugendamts"][0].input("Jugendamt Neu")
    at.run()
    remove = button(at, "Endgültig entfernen")[0]
    assert not remove.disabled
    remove.click()
    at.run()
    assert not at.exception
    assert accounts.get_tenant_by_slug(programme_db, "jugendamt-neu") is None
    assert accounts.get_user_by_name(programme_db, "nina") is None
    assert "wurde mit allen Daten entfernt" in texts(at)


def test_comparison_shows_gesamt_values_suppressed_with_footnote(programme_db):
    at = run_app(user=login_as(programme_db, "kora"), page="pages/vergleich.py",
                 query={"jahr": "2023", "indikator": "hze_dichte"})
    assert not at.exception, at.exception
    text = all_text(at)
    assert at.selectbox[0].value == 2023 and at.selectbox[1].value == "hze_dichte"
    table = at.dataframe[0].value
    shown = dict(zip(table["Jugendamt"], table["Wert"]))
    assert shown == {"Jugendamt Astadt": "6,0", "Jugendamt Bstadt": "."}
    assert "geheim zu halten" in text or "unterdrückt" in text
    # the unconfirmed office is not compared; nor is a Sozialraum ever named
    assert "Jugendamt Neu" not in text and "Sozialraum" not in "".join(table.columns)
    assert "Sozialraum 01" not in text and "Sozialraum 02" not in text
    assert [d.label for d in at.get("download_button")][:2] == ["Diese Kennzahl als CSV (Excel)",
                                                                "Diese Kennzahl als Excel-Datei"]


def test_comparison_without_participants_says_so(app_db):
    office(app_db, "astadt", "Jugendamt Astadt", builder=office_a(), consent=False)
    coordinator(app_db)
    at = run_app(user=login_as(app_db, "kora"), page="pages/vergleich.py")
    assert not at.exception
    assert "Noch nimmt kein bestätigtes Jugendamt" in texts(at)
    assert not at.dataframe


def test_coordinator_cannot_reach_tenant_pages(programme_db):
    at = run_app(user=login_as(programme_db, "kora"))
    for page in ("uebersicht", "karte", "sozialraeume", "hochladen", "verwaltung", "teilen", "datenqualitaet"):
        with pytest.raises(ValueError):  # not in the coordinator's navigation: no URL reaches it
            at.switch_page(f"pages/{page}.py")
    # and the pages refuse a coordinator if run directly (no tenant to show: the session has none)
    for page in ("uebersicht", "sozialraeume", "teilen"):
        direct = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
        direct.session_state["sk_user"] = login_as(programme_db, "kora")
        direct.query_params["tenant"] = "astadt"
        direct.run()
        assert "nicht freigegeben" in texts(direct), page
        assert "6,0" not in all_text(direct)


def test_tenant_users_cannot_open_programme_pages(programme_db):
    at = run_app(user=login_as(programme_db, "anna"))
    for page in ("programm", "vergleich"):
        with pytest.raises(ValueError):
            at.switch_page(f"pages/{page}.py")
        direct = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
        direct.session_state["sk_user"] = login_as(programme_db, "anna")
        direct.run()
        assert "nicht freigegeben" in texts(direct)
        assert "Jugendamt Bstadt" not in all_text(direct)


# ----------------------------------------------------------------------------------------- Teilen und Workshops
def test_teilen_consent_toggle_and_explanation(programme_db):
    a = accounts.get_tenant_by_slug(programme_db, "astadt")
    at = run_app(user=login_as(programme_db, "anna"), page="pages/teilen.py")
    assert not at.exception, at.exception
    text = texts(at)
    assert at.title[0].value == "Teilen und Workshops"
    assert "keine Sozialraumwerte und keine Einzeldaten" in text and "Gesamtwerte" in text
    assert at.toggle[0].value is True
    at.toggle[0].set_value(False).run()
    assert accounts.get_tenant_by_slug(programme_db, "astadt").consent is False
    assert "Zustimmung zurückgenommen" in texts(at)
    assert "astadt" not in set(programme.compare_frame(programme_db)["tenant"])
    assert a.consent is True


def test_teilen_unconfirmed_office_is_told(programme_db):
    at = run_app(user=login_as(programme_db, "nina"), page="pages/teilen.py")
    assert "noch nicht von der Programmkoordination bestätigt" in texts(at)
    assert at.toggle[0].value is False  # off by default


def test_teilen_creates_lists_and_revokes_workshop_links(programme_db):
    a = accounts.get_tenant_by_slug(programme_db, "astadt")
    at = run_app(user=login_as(programme_db, "anna"), page="pages/teilen.py")
    at.text_input[0].input("Workshop Jugendhilfeausschuss")
    at.selectbox[0].set_value("karte")
    at.checkbox[0].check()
    [b for b in at.button if b.label == "Workshop-Link erstellen"][0].click()
    at.run()
    assert not at.exception, at.exception
    url = at.code[0].value
    assert "/karte?workshop=" in url and url.endswith("&praesentation=1")
    token = url.split("workshop=")[1].split("&")[0]
    assert workshops.resolve(programme_db, token).tenant_id == a.id
    assert "Workshop Jugendhilfeausschuss" in texts(at) and "gültig" in texts(at)
    button(at, "Widerrufen")[0].click()
    at.run()
    with pytest.raises(workshops.WorkshopError):
        workshops.resolve(programme_db, token)
    assert "widerrufen" in texts(at)


def test_member_cannot_open_teilen(programme_db):
    at = run_app(user=login_as(programme_db, "arne"))
    with pytest.raises(ValueError):
        at.switch_page("pages/teilen.py")
    direct = AppTest.from_file(str(ROOT / "pages" / "teilen.py"), default_timeout=60)
    direct.session_state["sk_user"] = login_as(programme_db, "arne")
    direct.run()
    assert "nicht freigegeben" in texts(direct)


# ------------------------------------------------------------------------------------------------ workshop guest
def test_workshop_guest_sees_suppressed_dashboard_read_only(programme_db):
    b = accounts.get_tenant_by_slug(programme_db, "bstadt")
    token, _ = workshops.create_link(programme_db, b.id, "bert", "Workshop")
    at = run_app(query={"workshop": token, "jahr": "2023"})
    assert not at.exception, at.exception
    text = all_text(at)
    assert "Workshop-Ansicht" in text and "Jugendamt Bstadt" in " ".join(m.value for m in at.sidebar.markdown)
    hze = [m for m in at.metric if m.label.replace("\\", "").startswith("HzE-Fälle")][0]
    assert hze.value.startswith(".")  # 1 HzE in Bstadt: suppressed for guests
    for page in ("hochladen", "verwaltung", "teilen", "datenqualitaet", "programm", "vergleich"):
        with pytest.raises(ValueError):
            at.switch_page(f"pages/{page}.py")
    at.switch_page("pages/sozialraeume.py").run()
    assert not at.exception
    assert at.query_params["workshop"] in (token, [token])  # a copied link keeps the view
    assert "Jugendamt Astadt" not in all_text(at)


def test_workshop_guest_cannot_upload_even_when_run_directly(programme_db):
    b = accounts.get_tenant_by_slug(programme_db, "bstadt")
    token, _ = workshops.create_link(programme_db, b.id, "bert", "Workshop")
    for page in ("hochladen", "verwaltung", "teilen", "datenqualitaet"):
        direct = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=60)
        direct.session_state["sk_workshop"] = token
        direct.run()
        assert "nicht freigegeben" in texts(direct), page
        assert not direct.get("file_uploader")


@pytest.mark.parametrize("how", ["expired", "revoked", "unknown"])
def test_unusable_workshop_link_gives_german_message_and_no_data(programme_db, how):
    a = accounts.get_tenant_by_slug(programme_db, "astadt")
    at_time = datetime.now(timezone.utc) - timedelta(days=20) if how == "expired" else None
    token, link = workshops.create_link(programme_db, a.id, "anna", "Workshop", at=at_time)
    if how == "revoked":
        workshops.revoke_link(programme_db, a.id, "anna", link.id)
    if how == "unknown":
        token = token[::-1]
    at = run_app(query={"workshop": token})
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert {"expired": "abgelaufen", "revoked": "widerrufen", "unknown": "ungültig"}[how] in message
    assert "Die Daten sind nicht mehr abrufbar" in message or how == "unknown"
    text = all_text(at)
    assert "Jugendamt Astadt" not in text and not at.metric
    assert at.title[0].value == "Strategiekarte"  # the start page of a guest
    with pytest.raises(ValueError):
        at.switch_page("pages/uebersicht.py")


def test_revoking_takes_effect_at_the_next_run(programme_db):
    a = accounts.get_tenant_by_slug(programme_db, "astadt")
    token, link = workshops.create_link(programme_db, a.id, "anna", "Workshop")
    at = run_app(query={"workshop": token})
    assert "Workshop-Ansicht" in texts(at)
    workshops.revoke_link(programme_db, a.id, "anna", link.id)
    at.run()
    # the page of the link is gone from the navigation (the German message is checked in Chromium, where the
    # start page replaces it; AppTest keeps the old page and renders nothing)
    assert not at.metric and "Workshop-Ansicht" not in texts(at) and "Jugendamt Astadt" not in all_text(at)
    assert "sk_workshop" not in at.session_state and "workshop" not in at.query_params


def test_presentation_mode_from_url(programme_db):
    b = accounts.get_tenant_by_slug(programme_db, "bstadt")
    token, _ = workshops.create_link(programme_db, b.id, "bert", "Workshop")
    at = run_app(query={"workshop": token, "praesentation": "1"})
    assert not at.exception
    assert button(at, "Präsentationsmodus beenden")
    assert not button(at, "Präsentationsmodus")  # the sidebar switch is gone with the sidebar
    assert any('stSidebar"]' in m.value for m in at.markdown if "<style>" in m.value)
    button(at, "Präsentationsmodus beenden")[0].click()
    at.run()
    # (AppTest drops what app.py draws before st.navigation on reruns; the buttons are checked in Chromium)
    assert at.session_state["sk_praesentation"] is False and "praesentation" not in at.query_params
    assert not any("<style>" in m.value and 'stSidebar"]' in m.value for m in at.markdown)


def test_presentation_switch_in_the_sidebar(programme_db):
    at = run_app(user=login_as(programme_db, "kora"))
    assert [b.label for b in at.sidebar.button if b.label.startswith("Präsentation")] == ["Präsentationsmodus"]
    button(at, "Präsentationsmodus")[0].click()
    at.run()
    assert at.session_state["sk_praesentation"] is True and at.query_params["praesentation"] in ("1", ["1"])
