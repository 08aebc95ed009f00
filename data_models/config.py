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


def cookie_key() -> str:
    """`STRATEGIEKARTE_COOKIE_KEY`, else a random key written once under data/ (never committed)."""
    key = os.environ.get("STRATEGIEKARTE_COOKIE_KEY")
    if key:
        return key
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "cookie_key.txt"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        os.replace(tmp, path)
    return path.read_text(encoding="utf-8").strip()


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
