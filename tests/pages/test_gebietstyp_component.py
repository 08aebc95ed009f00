"""The Gebietstyp setting component (components/gebietstyp.py): an admin changes it, a member cannot."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from data_models import accounts
from tests.pages.conftest import login_as

PW = "sicheres-passwort-1"


def _script():
    from components import session
    from components.gebietstyp import render_gebietstyp_setting

    render_gebietstyp_setting(session.context())


def test_admin_changes_the_type_member_sees_it_read_only(app_db):
    tenant, _ = accounts.signup(app_db, office="Jugendamt Kreis Nord", typ="sonstige", key=None, name="Ada",
                                email="ada@nord.de", username="ada", password=PW, password2=PW)
    at = AppTest.from_function(_script, default_timeout=60)
    at.session_state["sk_user"] = login_as(app_db, "ada")
    at.run()
    assert not at.exception and at.selectbox[0].value == "sonstige" and not at.selectbox[0].disabled
    at.selectbox[0].set_value("landkreis").run()
    at.button(key="sk_gebietstyp_speichern").click().run()
    assert not at.exception
    assert accounts.get_tenant(app_db, tenant.id).typ == "landkreis"
    assert at.selectbox[0].value == "landkreis"

    token, _ = accounts.create_invitation(app_db, tenant.id, "ada")
    accounts.accept_invitation(app_db, token, name="Max", email="max@nord.de", username="max", password=PW,
                               password2=PW)
    at = AppTest.from_function(_script, default_timeout=60)
    at.session_state["sk_user"] = login_as(app_db, "max")
    at.run()
    assert at.selectbox[0].disabled and at.selectbox[0].value == "landkreis"
    assert not [b for b in at.button if b.key == "sk_gebietstyp_speichern"]
