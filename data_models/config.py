"""Configuration from environment variables, with safe local defaults (documented in README.md)."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("STRATEGIEKARTE_DATA_DIR", ROOT / "data"))


def database_url() -> str:
    """`STRATEGIEKARTE_DATABASE_URL`, default a SQLite file under data/."""
    url = os.environ.get("STRATEGIEKARTE_DATABASE_URL")
    if url:
        return url
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DATA_DIR / 'strategiekarte.sqlite'}"


MIN_COOKIE_KEY_LENGTH = 32  # characters; required in production


class ConfigError(Exception):
    """A setting the operator must fix before the app may run (German message, never containing a secret)."""


def production() -> bool:
    """`STRATEGIEKARTE_ENV=production`: no silent defaults for secrets."""
    return os.environ.get("STRATEGIEKARTE_ENV", "").strip().lower() in ("production", "prod")


def cookie_key() -> str:
    """`STRATEGIEKARTE_COOKIE_KEY`, else a random key written once under data/ (never committed).

    In production (`STRATEGIEKARTE_ENV=production`) the key must be set and at least 32 characters long: a key
    file that several app processes would each create for themselves, or a short guessable key, is refused."""
    key = (os.environ.get("STRATEGIEKARTE_COOKIE_KEY") or "").strip()
    if production():
        if not key:
            raise ConfigError(
                "Die Umgebungsvariable STRATEGIEKARTE_COOKIE_KEY ist nicht gesetzt. Im Betrieb "
                "(STRATEGIEKARTE_ENV=production) startet Strategiekarte nur mit einem geheimen Schlüssel für das "
                f"Anmelde-Cookie (mindestens {MIN_COOKIE_KEY_LENGTH} zufällige Zeichen, z. B. aus "
                "`python -c \"import secrets; print(secrets.token_urlsafe(48))\"`).")
        if len(key) < MIN_COOKIE_KEY_LENGTH:
            raise ConfigError(
                f"Der Schlüssel in STRATEGIEKARTE_COOKIE_KEY ist zu kurz: Im Betrieb sind mindestens "
                f"{MIN_COOKIE_KEY_LENGTH} zufällige Zeichen nötig.")
    if key:
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "cookie_key.txt"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        os.replace(tmp, path)
    return path.read_text(encoding="utf-8").strip()


def check_startup() -> None:
    """Refuse to start with settings that are unsafe in production (raises ConfigError with a German message)."""
    cookie_key()


def cookie_expiry_days() -> float:
    """Re-login cookie lifetime (short: logout only removes the cookie in that browser)."""
    return float(os.environ.get("STRATEGIEKARTE_COOKIE_EXPIRY_DAYS", "1"))


def trusted_proxy() -> bool:
    """Take the client address from X-Forwarded-For only behind a trusted proxy."""
    return os.environ.get("STRATEGIEKARTE_TRUSTED_PROXY", "") in ("1", "true", "yes")


def impressum_text() -> str:
    return _text_setting("STRATEGIEKARTE_IMPRESSUM", "impressum.md")


def datenschutz_text() -> str:
    return _text_setting("STRATEGIEKARTE_DATENSCHUTZ", "datenschutz.md")


def _text_setting(env: str, filename: str) -> str:
    """An operator text: the environment variable names a file, else data/<filename>, else a placeholder."""
    path = os.environ.get(env)
    candidates = [Path(path)] if path else []
    candidates.append(DATA_DIR / filename)
    for p in candidates:
        if p.is_file():
            return p.read_text(encoding="utf-8")
    return (
        "**Dieser Text ist noch nicht ausgefüllt.** Der Betreiber dieser Installation muss hier seine Angaben "
        f"eintragen (Datei `data/{filename}` oder Umgebungsvariable `{env}` mit dem Pfad einer Markdown-Datei)."
    )
