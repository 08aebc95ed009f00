"""Issue 8: the websocket participant of `make bench` (bench/ws_clients.py) speaks Streamlit's protocol correctly
against a real `streamlit run` server – it opens the demo, switches the year, opens the map and switches the
indicator, and the app answers each step as it answers a browser (the URL the app sets, the widgets it shows)."""
from __future__ import annotations

import asyncio
import sys

import pytest

from tests.conftest import ROOT
from tests.e2e.conftest import demo_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e
sys.path.insert(0, str(ROOT / "bench"))

import ws_clients  # noqa: E402


def test_websocket_participant_walks_the_workshop_steps(demo_server):
    async def walk():
        p = ws_clients.Participant("127.0.0.1", demo_server.port)
        await p.connect()
        try:
            seen = {}
            r = await p.rerun(query="demo=1")  # the shared demo link
            seen["open"] = (r.exceptions, list(p.headings), p.query, p.value(p.widget("Jahr")))
            year = p.widget("Jahr")
            r = await p.rerun(changed={year.id: "2019"})
            seen["year"] = (r.exceptions, p.query, p.value(p.widget("Jahr")))
            r = await p.rerun(page="karte")
            seen["map"] = (r.exceptions, list(p.headings), p.query,
                           sorted(w.kind for w in p.widgets.values()))
            ind = p.widget("Kennzahl")
            r = await p.rerun(changed={ind.id: "Einwohner unter 18"})
            seen["indicator"] = (r.exceptions, p.query, p.value(p.widget("Kennzahl")))
            return seen
        finally:
            await p.close()

    seen = asyncio.run(walk())
    exceptions, headings, query, year = seen["open"]
    assert exceptions == [] and "Übersicht" in headings
    assert year == "2024"  # the demo's latest year is preselected
    assert "demo=1" in query and "jahr=2024" in query  # the app writes the filter into the URL
    exceptions, query, year = seen["year"]
    assert exceptions == [] and "jahr=2019" in query and year == "2019"
    exceptions, headings, query, kinds = seen["map"]
    assert exceptions == [] and "Karte" in headings and "<Karte>" in headings
    assert "jahr=2019" in query  # the year survives the page switch (remembered in the session)
    assert kinds.count("selectbox") == 2 and "deck_gl_json_chart" in kinds
    exceptions, query, indicator = seen["indicator"]
    assert exceptions == [] and "indikator=bev_u18" in query and indicator == "Einwohner unter 18"


def test_whole_participant_and_static_files(demo_server):
    paths = ["/", "/_stcore/health", "/_stcore/host-config", "/favicon.png"]
    plan = ws_clients.StaticPlan(before={"Demo öffnen": paths})
    res = asyncio.run(ws_clients.participant("127.0.0.1", demo_server.port, 0, ws_clients.Pacing(), plan))
    assert res["error"] is None
    assert list(res["steps"]) == list(ws_clients.STEPS)
    assert res["static_bytes"] > 1000 and res["ws_bytes"] > 10_000
    # a failed fetch is an error (unknown /static paths get index.html from Streamlit, unknown media a 404)
    with pytest.raises(ws_clients.StepError, match="HTTP 404"):
        asyncio.run(ws_clients.fetch_static("127.0.0.1", demo_server.port, ["/media/gibt-es-nicht.png"]))
