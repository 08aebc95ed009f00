from components.empty_state import empty_state_text


def test_admin_is_told_what_to_upload():
    text = empty_state_text(["bevoelkerung", "geometrie"], what="die Karte der Sozialräume", year=2023,
                            is_admin=True)
    assert text.startswith("**Für diese Ansicht fehlen Daten für 2023.**")
    assert "- Bevölkerung (Masterdatei, Blatt „Bevölkerung“)" in text
    assert "- Geometrie (Sozialraumgrenzen als GeoJSON oder gezipptes Shapefile)" in text
    assert "Laden Sie die Daten auf der Seite „Daten hochladen“ hoch." in text


def test_member_is_told_who_can_upload_and_unknown_text_is_escaped():
    text = empty_state_text(["hze_records", "<img src=x>"], is_admin=False)
    assert "HzE-Einzeldaten (Einzeldaten der HzE-Statistik" in text
    assert "&lt;img src=x&gt;" in text and "<img" not in text
    assert "Eine Administratorin oder ein Administrator" in text and "Laden Sie" not in text


def test_nothing_uploaded_yet():
    assert empty_state_text([]).startswith("**Es sind noch keine Daten hochgeladen.**")
