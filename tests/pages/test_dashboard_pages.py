"""Every HzE dashboard page through AppTest: the demo as a guest (plausible figures, no exception), an own tenant
without data (honest empty state), filters in the URL."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data_models import accounts
from tests.conftest import ROOT
from tests.pages.conftest import texts

PAGES = ["uebersicht", "karte", "sozialraeume", "entwicklung", "leistungen", "ressourcen", "datenqualitaet"]
PW = "sicheres-passwort-1"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STRATEGIEKARTE_DATABASE_URL", url)
        from data_models.database import init_db
        from data_models.seed import seed_demo

        engine = init_db(url)
        seed_demo(engine)
        demo = accounts.get_tenant_by_slug(engine, "musterstadt")
        tenant, _ = accounts.signup(engine, office="Jugendamt Leerstadt", typ="stadt", key=None, name="Lea",
                                    email="lea@leer.de", username="lea", password=PW, password2=PW)
        yield engine, demo.id
        del tenant


def open_page(demo_db, page, query=None, guest=True, user=None, monkeypatch=None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if guest:
        at.session_state["sk_guest"] = demo_db[1]
    if user:
        at.session_state["sk_user"] = user
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    return at


@pytest.fixture
def env(demo_db, monkeypatch):
    monkeypatch.setenv("STRATEGIEKARTE_DATABASE_URL", str(demo_db[0].url))
    return demo_db


@pytest.mark.parametrize("page", PAGES)
def test_demo_pages_render_without_exception(env, page):
    at = open_page(env, page)
    assert not at.exception, at.exception[0].message if at.exception else ""
    assert "Fiktive Demo-Kommune" in texts(at)
    assert "Traceback" not in texts(at)


def test_uebersicht_shows_gesamt_values_of_the_engine(env):
    from data_models.indicators.engine import compute_indicators
    from data_models.tenant_data import load_dataset

    at = open_page(env, "uebersicht", query={"jahr": "2023"})
    ind = compute_indicators(load_dataset(env[0], env[1]), years=[2023], sozialraum="GESAMT", indicators=["hze_dichte"])
    expected = ind["wert"].iloc[0]
    metric = [m for m in at.metric if m.label.replace("\\", "").startswith("Eckwert HzE (ohne EB)")][0]
    shown = f"{expected:.1f}".replace(".", ",")
    assert metric.value.startswith(shown)  # e.g. "33,1 je 1.000 unter 21"
    assert "2023" in metric.label
    assert at.query_params["jahr"] in ("2023", ["2023"])


def test_year_in_url_selects_the_year_and_persists(env):
    at = open_page(env, "sozialraeume", query={"jahr": "2019", "indikator": "sgb2_quote_u15"})
    assert not at.exception
    assert at.selectbox[0].value == 2019
    assert at.selectbox[1].value == "sgb2_quote_u15"
    assert "SGB-II-Quote unter 15" in texts(at) or any("SGB-II" in str(s.value) for s in at.selectbox)


def test_unknown_query_values_fall_back_without_error(env):
    at = open_page(env, "karte", query={"jahr": "1899", "indikator": "<script>", "sr": "x,y"})
    assert not at.exception
    assert at.selectbox[0].value == 2024


def test_own_tenant_without_data_sees_empty_state(env):
    u = accounts.get_user_by_name(env[0], "lea")
    user = {"username": u.username, "role": u.role, "tenant_id": u.tenant_id, "name": u.name,
            "started_ms": accounts.epoch_now() + 1}
    for page in ("uebersicht", "karte", "leistungen"):
        at = open_page(env, page, guest=False, user=user)
        assert not at.exception
        body = texts(at)
        assert "Musterstadt" not in body  # nothing of the demo or any other tenant
        assert "hochladen" in body.lower() or "Daten hochladen" in body


@pytest.mark.parametrize("page", ["entwicklung", "karte", "sozialraeume"])
def test_titles_name_the_unit_once(env, page):
    """An indicator whose label ends with its unit ("Inobhutnahmen je 10.000 unter 18"): titles and axes that add
    the unit show it once, not "… je 10.000 unter 18 (je 10.000 unter 18)"."""
    import json

    at = open_page(env, page, query={"indikator": "inobhutnahmen_dichte", "jahr": "2024"})
    assert not at.exception
    assert at.query_params["indikator"] in ("inobhutnahmen_dichte", ["inobhutnahmen_dichte"])
    shown = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    shown += [str(m.value).replace("\\", "") for m in [*at.markdown, *at.caption]]  # Markdown escapes the dot: 10\.000
    assert any("Inobhutnahmen" in s for s in shown)
    assert not any("je 10.000 unter 18 je 10.000 unter 18" in s or "je 10.000 unter 18 (je 10.000 unter 18)" in s
                   for s in shown)
