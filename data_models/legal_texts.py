"""The operator's Impressum and Datenschutzerklärung (privacy.md: configurable texts linked from every page).

Each is a Markdown file: the path in `STRATEGIEKARTE_IMPRESSUM` / `STRATEGIEKARTE_DATENSCHUTZ`, else
`<STRATEGIEKARTE_DATA_DIR>/impressum.md` / `datenschutz.md`. Without one the page shows a default that says plainly
that the text is missing and what the operator must fill in; a configured path that cannot be read is reported
(never silently replaced by the default). The texts are shown as Markdown without HTML.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from data_models import config

IMPRESSUM_ENV = "STRATEGIEKARTE_IMPRESSUM"
DATENSCHUTZ_ENV = "STRATEGIEKARTE_DATENSCHUTZ"
MAX_BYTES = 200_000
log = logging.getLogger("strategiekarte")


@dataclass(frozen=True)
class LegalText:
    text: str  # Markdown
    configured: bool  # False: the default (operator has not filled it in) or an unreadable file
    problem: str | None = None  # German message for the operator when a configured file cannot be read


IMPRESSUM_TODO = f"""\
**Dieses Impressum ist noch nicht ausgefüllt.**

Der Betreiber dieser Installation muss hier seine Anbieterkennzeichnung eintragen: eine Markdown-Datei anlegen und
ihren Pfad in der Umgebungsvariablen `{IMPRESSUM_ENV}` angeben (oder die Datei als `impressum.md` im Datenordner
ablegen). Hinein gehören mindestens (§ 5 Digitale-Dienste-Gesetz, § 18 Medienstaatsvertrag):

1. Name und Anschrift der Stelle, die Strategiekarte betreibt (bei einer Behörde: Behörde und Dienstanschrift);
2. die vertretungsberechtigte Person (z. B. Leitung der Behörde oder Geschäftsführung);
3. Kontakt für eine schnelle Verbindung: E-Mail-Adresse und Telefonnummer;
4. die zuständige Aufsichtsbehörde, soweit es eine gibt;
5. Register und Registernummer sowie Umsatzsteuer-Identifikationsnummer, soweit vorhanden;
6. die für den Inhalt verantwortliche Person mit Anschrift (§ 18 Abs. 2 Medienstaatsvertrag).
"""

DATENSCHUTZ_TODO = f"""\
**Diese Datenschutzerklärung ist noch nicht ausgefüllt.**

Der Betreiber dieser Installation muss hier die Informationen nach Art. 13 DSGVO eintragen: eine Markdown-Datei
anlegen und ihren Pfad in der Umgebungsvariablen `{DATENSCHUTZ_ENV}` angeben (oder die Datei als `datenschutz.md`
im Datenordner ablegen). Hinein gehören mindestens:

1. Name und Kontaktdaten des Verantwortlichen (Betreiber) und seiner oder seines Datenschutzbeauftragten;
2. Zwecke und Rechtsgrundlagen der Verarbeitung (Konten, Anmeldung, hochgeladene Daten der Jugendämter,
   Protokoll) – für die Einzeldaten der Jugendämter in Abstimmung mit deren Datenschutzbeauftragten
   (Auftragsverarbeitung nach Art. 28 DSGVO);
3. Empfänger, insbesondere das Rechenzentrum bzw. der Hostingdienstleister;
4. Speicherdauer (Vorgaben der Software: siehe unten);
5. die Rechte der betroffenen Personen (Auskunft, Berichtigung, Löschung, Einschränkung, Widerspruch) und das
   Beschwerderecht bei einer Aufsichtsbehörde.

Was die Software selbst verarbeitet (zum Übernehmen und Anpassen, ausführlich in `docs/datenschutz.md`):

- **Konto:** Name, E-Mail-Adresse, Benutzername, Rolle, Passwort nur als bcrypt-Hash.
- **Anmelde-Cookie** `strategiekarte_anmeldung`: technisch notwendig, hält die Anmeldung für 1 Tag (Vorgabe);
  keine Analyse- oder Werbe-Cookies, kein Tracking, keine Inhalte Dritter (keine Kartenkacheln, keine Schriften
  aus dem Internet).
- **Anmeldeversuche** (Benutzername, IP-Adresse, Zeitpunkt, Erfolg): zum Schutz vor dem Erraten von Passwörtern,
  nach 1 Tag gelöscht.
- **Protokoll** je Jugendamt (wer, wann, was; nie Passwörter oder Zahlen): nach 730 Tagen gelöscht (einstellbar).
- **Einzeldaten** der Jugendämter: datensparsam gespeichert (kein Geburtsdatum, nur das Alter; die Kennnummer nur
  als geheimer Schlüssel-Hash), nur für das eigene Jugendamt sichtbar, jederzeit vollständig löschbar.
"""


def impressum() -> LegalText:
    return _load(IMPRESSUM_ENV, "impressum.md", IMPRESSUM_TODO)


def datenschutz() -> LegalText:
    return _load(DATENSCHUTZ_ENV, "datenschutz.md", DATENSCHUTZ_TODO)


def _data_dir() -> Path:
    return Path(os.environ.get("STRATEGIEKARTE_DATA_DIR", config.DATA_DIR))


def _load(env: str, filename: str, todo: str) -> LegalText:
    configured = os.environ.get(env, "").strip()
    path = Path(configured) if configured else _data_dir() / filename
    if not configured and not path.is_file():
        return LegalText(todo, configured=False)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, ValueError):
        log.warning("%s: %s lässt sich nicht lesen", env, path)  # the path only in the server log
        problem = (f"Die in `{env}` genannte Datei lässt sich nicht lesen (fehlt, ist kein UTF-8-Text oder größer "
                   f"als {MAX_BYTES // 1000} kB). Bitte den Pfad oder die Datei prüfen.")
        return LegalText(todo, configured=False, problem=problem)
    if not text.strip():
        return LegalText(todo, configured=False, problem=f"Die in `{env}` genannte Datei ist leer.")
    return LegalText(text, configured=True)
