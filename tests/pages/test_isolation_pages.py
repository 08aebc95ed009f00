"""Isolation (privacy.md): what a member, a coordinator and a guest can reach, whatever the URL says, and caches that
never serve one tenant's frame to another. Two offices with the same Sozialraum ids (01, 02) and different figures:
Astadt HzE 10 + 2 = 12 (Eckwert 6,0), Bstadt 30 + 0 = 30 (Eckwert 30,0). AppTest runs all sessions in this process,
so `st.cache_data` / `st.cache_resource` are shared between them, as between browser sessions of one server."""
from __future__ import annotations

import pytest

from data_models import accounts, workshops
from tests.pages.conftest import login_as, run_app, texts
from tests.pages.test_programme_pages import all_text
from tests.programme_factories import coordinator, office, office_a, office_b


@pytest.fixture
def two(app_db):
    a = office(app_db, "astadt", "Jugendamt Astadt", builder=office_a(), admin="anna", member="arne")
    b = office(app_db, "bstadt", "Jugendamt Bstadt", builder=office_b(hze_01=30), admin="berta", member="bert")
    assert (a.data_version, a.id) != (b.data_version, b.id)
    assert accounts.get_tenant(app_db, a.id).data_version == accounts.get_tenant(app_db, b.id).data_version
    coordinator(app_db)
    return app_db, a, b


def hze(at) -> str:
    return [m for m in at.metric if m.label.replace("\\", "").startswith("HzE-Fälle")][0].value.split()[0]


def eckwerte_by_sozialraum(at) -> list[str]:
    """The Eckwert row of the Sozialräume page's table (Gesamt, Sozialraum 01, Sozialraum 02)."""
    table = [d.value for d in at.dataframe if "Kennzahl" in d.value.columns][0]
    row = table[table["Kennzahl"] == "Eckwert HzE (ohne EB)"].iloc[0]
    return [str(row[c]).replace(" ▲", "").replace(" ▼", "") for c in ("Gesamt", "Sozialraum 01", "Sozialraum 02")]


def test_same_sozialraum_ids_different_figures_never_share_cached_frames(two):
    engine, a, b = two
    seen = []
    for user in ("arne", "bert", "anna", "berta", "arne"):  # alternating, all in one process (shared caches)
        at = run_app(user=login_as(engine, user), query={"jahr": "2023"})
        assert not at.exception, at.exception
        seen.append(hze(at))
    assert seen == ["12", "30", "12", "30", "12"]
    for user, expected in (("bert", ["30,0", "60,0", "0,0"]), ("arne", ["6,0", "10,0", "2,0"])):
        at = run_app(user=login_as(engine, user), page="pages/sozialraeume.py",
                     query={"jahr": "2023", "indikator": "hze_dichte"})
        assert eckwerte_by_sozialraum(at) == expected


def test_public_and_exact_frames_of_one_tenant_are_cached_apart(two):
    engine, a, _ = two
    token, _ = workshops.create_link(engine, a.id, "anna", "Workshop")
    for _ in range(2):
        guest = run_app(query={"workshop": token, "jahr": "2023"}, page="pages/sozialraeume.py")
        # Sozialraum 02 has 2 HzE: suppressed for guests, and 01 with it (rule 3). (This table of the Sozialräume
        # page writes a suppressed cell as "keine Daten" rather than "."; what matters here: no figure.)
        shown = eckwerte_by_sozialraum(guest)
        assert shown[0] == "6,0" and all(v in (".", "keine Daten") for v in shown[1:]), shown
        member = run_app(user=login_as(engine, "arne"), page="pages/sozialraeume.py", query={"jahr": "2023"})
        assert eckwerte_by_sozialraum(member) == ["6,0", "10,0", "2,0"]


@pytest.mark.parametrize("query", [
    {"tenant": "bstadt"}, {"tenant_id": "2"}, {"mandant": "2"}, {"demo": "1"}, {"sr": "01,02"},
    {"jahr": "2023", "tenant": "bstadt", "indikator": "hze_dichte"},
])
def test_member_of_a_cannot_reach_b_by_query_parameters(two, query):
    engine, a, b = two
    at = run_app(user=login_as(engine, "arne"), query={"jahr": "2023", **query})
    assert not at.exception
    assert hze(at) == "12"
    text = all_text(at)
    assert "Jugendamt Bstadt" not in text and "Jugendamt Astadt" in " ".join(m.value for m in at.sidebar.markdown)


def test_member_of_a_with_b_in_the_session_or_a_workshop_link_of_b_stays_in_a(two):
    engine, a, b = two
    token, _ = workshops.create_link(engine, b.id, "berta", "Workshop B")
    at = run_app(user=login_as(engine, "arne"), guest=b.id, query={"workshop": token, "jahr": "2023"})
    assert not at.exception
    assert hze(at) == "12" and "Jugendamt Bstadt" not in all_text(at)
    assert "Workshop-Links sind für Gäste gedacht" in " ".join(e.value for e in at.error)
    # a tampered session that claims tenant B for a member of A is ended, not served
    user = login_as(engine, "arne") | {"tenant_id": b.id}
    at = run_app(user=user, query={"jahr": "2023"})
    assert "Jugendamt Bstadt" not in all_text(at) and not at.metric


def test_guest_session_pointing_at_a_real_tenant_gets_nothing(two):
    engine, a, _ = two
    at = run_app(guest=a.id)  # sk_guest is honoured for the demo only
    assert at.title[0].value == "Strategiekarte" and not at.metric
    with pytest.raises(ValueError):
        at.switch_page("pages/uebersicht.py")


def test_coordinator_sees_no_sozialraum_figure_anywhere(two):
    engine, a, b = two
    for page, query in (("pages/programm.py", {}), ("pages/vergleich.py", {"jahr": "2023", "indikator": "hze_dichte"}),
                        ("pages/vergleich.py", {"jahr": "2023", "indikator": "hze_faelle", "sr": "01"})):
        at = run_app(user=login_as(engine, "kora"), page=page, query=query)
        assert not at.exception
        text = all_text(at)
        assert "Sozialraum 01" not in text and "Sozialraum 02" not in text
        # Astadt's Sozialraum Eckwerte 10,0 and 2,0 and Bstadt's 60,0 appear nowhere
        for v in ("10,0", "60,0"):
            assert v not in text, (page, v)
    at = run_app(user=login_as(engine, "kora"), page="pages/vergleich.py", query={"jahr": "2023",
                                                                                  "indikator": "hze_dichte"})
    assert dict(zip(at.dataframe[0].value["Jugendamt"], at.dataframe[0].value["Wert"])) == {
        "Jugendamt Astadt": "6,0", "Jugendamt Bstadt": "30,0"}
    assert texts(at)  # and the page said something


def test_a_deleted_office_s_cached_frames_never_reach_a_new_office_with_its_id(app_db):
    """SQLite gives the id of a deleted last tenant to the next one, whose data version starts again at 1: an
    impostor removed by the coordinator, then the genuine office signs up under the same name."""
    from data_models.programme import remove_unconfirmed
    from tests.programme_factories import PW, store_dataset

    office(app_db, "astadt", "Jugendamt Astadt", builder=office_a())
    fake, _ = accounts.signup(app_db, office="Jugendamt Bstadt", typ="stadt", key=None, name="F", email="f@x.de",
                              username="falsch", password=PW, password2=PW)
    store_dataset(app_db, fake.id, office_b(hze_01=30))
    at = run_app(user=login_as(app_db, "falsch"), query={"jahr": "2023"})
    assert hze(at) == "30"  # cached now
    remove_unconfirmed(app_db, fake.id, "kora", "Jugendamt Bstadt")
    real, _ = accounts.signup(app_db, office="Jugendamt Bstadt", typ="stadt", key=None, name="R", email="r@b.de",
                              username="echt", password=PW, password2=PW)
    store_dataset(app_db, real.id, office_b(hze_01=40))
    assert real.id == fake.id and accounts.get_tenant(app_db, real.id).data_version == 1  # same id, same version
    at = run_app(user=login_as(app_db, "echt"), query={"jahr": "2023"})
    assert hze(at) == "40"
