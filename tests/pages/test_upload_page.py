"""The upload page through AppTest: findings for a bad file (nothing stored), preview and saving, versions."""
from __future__ import annotations

from data_models import accounts, store
from tests.conftest import ROOT
from tests.pages.conftest import login_as, run_app, texts

PW = "sicheres-passwort-1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def admin(app_db):
    tenant, _ = accounts.signup(app_db, office="Jugendamt Astadt", typ="stadt", key=None, name="Anna",
                                email="a@a.de", username="anna", password=PW, password2=PW)
    return tenant, login_as(app_db, "anna")


def click(at, label):
    [b for b in at.button if b.label == label][0].click()
    return at.run()


def test_bad_file_shows_findings_and_stores_nothing(app_db):
    tenant, user = admin(app_db)
    at = run_app(user=user, page="pages/hochladen.py")
    assert not at.exception
    # the uploader's own English texts are drawn in German, with the configured limit (.streamlit/config.toml)
    assert any('"Datei wählen"' in m.value and "bis 200 MB je Datei" in m.value for m in at.markdown)
    data = (ROOT / "tests" / "fixtures" / "bad" / "md_negative_count.xlsx").read_bytes()
    at.file_uploader[0].set_value(("md_negative_count.xlsx", data, XLSX)).run()
    assert at.selectbox[0].value == "masterdatei"  # kind detected
    at = click(at, "Datei prüfen")
    assert not at.exception
    assert "Es wurde nichts gespeichert" in texts(at)
    frames = [d.value for d in at.dataframe]
    assert any("Fehler" in f.to_string() and "md_negative_count.xlsx" in f.to_string() for f in frames)
    assert not any(b.label == "Übernehmen" for b in at.button)
    assert store.list_versions(app_db, tenant.id) == []


def test_valid_file_preview_save_and_restore(app_db):
    tenant, user = admin(app_db)
    at = run_app(user=user, page="pages/hochladen.py")
    data = (ROOT / "assets" / "demo" / "musterstadt_masterdatei.xlsx").read_bytes()
    at.file_uploader[0].set_value(("musterstadt_masterdatei.xlsx", data, XLSX)).run()
    at = click(at, "Datei prüfen")
    assert not at.exception
    preview = [d.value for d in at.dataframe if "Datenart" in d.value.columns][0]
    assert "Bevölkerung" in set(preview["Datenart"]) and preview["Zeilen bisher (dieselben Jahre)"].sum() == 0
    at = click(at, "Übernehmen")
    assert "Version 1" in texts(at)
    assert [v.version for v in store.list_versions(app_db, tenant.id)] == [1]
    # a second upload and a restore of version 1
    at.file_uploader[0].set_value(("musterstadt_masterdatei.xlsx", data, XLSX)).run()
    at = click(at, "Datei prüfen")
    at = click(at, "Übernehmen")
    assert [v.version for v in store.list_versions(app_db, tenant.id)] == [1, 2]
    restore = [b for b in at.button if b.label == "Wiederherstellen" and not b.disabled]
    restore[-1].click()
    at.run()
    assert [v.version for v in store.list_versions(app_db, tenant.id)] == [1, 2, 3]
    assert store.list_versions(app_db, tenant.id)[-1].rollback_of == 1


def test_member_cannot_upload(app_db):
    tenant, _ = admin(app_db)
    token, _ = accounts.create_invitation(app_db, tenant.id, "anna")
    accounts.accept_invitation(app_db, token, name="Bert", email="b@a.de", username="bert", password=PW, password2=PW)
    at = run_app(user=login_as(app_db, "bert"))
    from streamlit.testing.v1 import AppTest

    direct = AppTest.from_file(str(ROOT / "pages" / "hochladen.py"), default_timeout=60)
    direct.session_state["sk_user"] = login_as(app_db, "bert")
    direct.run()
    assert "nicht freigegeben" in texts(direct)
    assert len(direct.file_uploader) == 0
