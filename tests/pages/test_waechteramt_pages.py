"""The two Wächteramt pages through AppTest: the demo as a guest (the figures of the engine, the explanation of what
is counted, the multiple-answer note), the year in the URL, and an own tenant without data (honest empty state)."""
from __future__ import annotations

import pytest

from data_models import accounts
from data_models.indicators.engine import compute_indicators
from data_models.tenant_data import load_dataset
from tests.pages.conftest import texts
from tests.pages.test_dashboard_pages import demo_db, open_page  # noqa: F401  (module fixture reused)


@pytest.fixture
def env(demo_db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("STRATEGIEKARTE_DATABASE_URL", str(demo_db[0].url))
    return demo_db


def gesamt(env, year: int, indicator: str) -> float:
    ind = compute_indicators(load_dataset(env[0], env[1]), years=[year], sozialraum="GESAMT",
                             indicators=[indicator])
    return float(ind["wert"].iloc[0])


def metric(at, label_start: str):
    return [m for m in at.metric if m.label.replace("\\", "").startswith(label_start)][0]


def de(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


@pytest.mark.parametrize("page", ["gefaehrdung", "inobhutnahmen"])
def test_demo_pages_render_with_explanation_and_multiple_answer_note(env, page):
    at = open_page(env, page)
    assert not at.exception, at.exception[0].message if at.exception else ""
    body = texts(at)
    assert "Fiktive Demo-Kommune" in body
    assert "Mehrfachnennungen" in body  # Art der Gefährdung / Anlass: shares may add up to more than 100 %
    if page == "gefaehrdung":
        assert "Verfahren, nicht Kinder" in body
        assert "latent" in body and "akut" in body
    else:
        assert "beendet" in body  # measures ended in the year are counted


def test_gefaehrdung_tiles_show_the_engine_values(env):
    at = open_page(env, "gefaehrdung", query={"jahr": "2024"})
    assert not at.exception
    tile = metric(at, "Gefährdungseinschätzungen 2024")
    assert tile.value.startswith(de(gesamt(env, 2024, "verfahren_8a"), 0))
    quote = metric(at, "Gefährdung festgestellt")
    assert quote.value.startswith(de(gesamt(env, 2024, "kwg_quote"), 1))  # 31,8 % in the demo


def test_inobhutnahmen_tiles_follow_the_year_in_the_url(env):
    at = open_page(env, "inobhutnahmen", query={"jahr": "2022"})
    assert not at.exception
    tile = metric(at, "Inobhutnahmen 2022")
    assert tile.value.startswith(de(gesamt(env, 2022, "inobhutnahmen"), 0))
    assert at.query_params["jahr"] in ("2022", ["2022"])
    at = open_page(env, "inobhutnahmen", query={"jahr": "2024"})
    assert metric(at, "Inobhutnahmen 2024").value.startswith("152")  # the demo's 2024 measures


def test_own_tenant_without_data_sees_empty_state(env):
    u = accounts.get_user_by_name(env[0], "lea")
    user = {"username": u.username, "role": u.role, "tenant_id": u.tenant_id, "name": u.name,
            "started_ms": accounts.epoch_now() + 1}
    for page in ("gefaehrdung", "inobhutnahmen"):
        at = open_page(env, page, guest=False, user=user)
        assert not at.exception
        body = texts(at)
        assert "Musterstadt" not in body
        assert "hochladen" in body.lower()
        assert not at.metric
