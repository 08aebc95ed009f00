"""AppTest helpers: the real app.py against a fresh SQLite database; the logged-in user set through the session seam."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("STRATEGIEKARTE_DATABASE_URL", url)
    monkeypatch.setenv("STRATEGIEKARTE_DATA_DIR", str(tmp_path))
    from data_models.database import init_db

    engine = init_db(url)
    yield engine
    # engines and caches are per URL: each test has its own file


def run_app(user: dict | None = None, page: str | None = None, query: dict | None = None, guest: int | None = None):
    at = AppTest.from_file(APP, default_timeout=60)
    if user:
        at.session_state["sk_user"] = user
    if guest:
        at.session_state["sk_guest"] = guest
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def login_as(engine, username: str) -> dict:
    from data_models import accounts

    u = accounts.get_user_by_name(engine, username)
    return {"username": u.username, "role": u.role, "tenant_id": u.tenant_id, "name": u.name,
            "started_ms": accounts.epoch_now() + 1}


def texts(at) -> str:
    """All visible text of the run, for assertions."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)
