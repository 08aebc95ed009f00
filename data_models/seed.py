"""The demo municipality Musterstadt: generated files in assets/demo/, imported through the normal importers."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from sqlalchemy.engine import Engine

from data_models import accounts
from data_models.config import ROOT
from data_models.deletion import delete_tenant
from data_models.findings import FEHLER

DEMO_DIR = ROOT / "assets" / "demo"
DEMO_NAME = "Musterstadt (Demo, fiktiv)"
# import order: Sozialräume first (the records are checked against them), assignment before records
DEMO_FILES = [
    ("musterstadt_masterdatei.xlsx", "masterdatei"),
    ("zuordnung.csv", "zuordnung"),
    ("hze_einzeldaten.csv", "hze"),
    ("8a_einzeldaten.csv", "8a"),
    ("42_einzeldaten.csv", "42"),
    ("musterstadt.geojson", "geometrie"),
]


class SeedError(Exception):
    pass


def demo_files(directory: Path = DEMO_DIR) -> list[tuple[Path, str]]:
    """The demo files, generated when missing (same seed, same files)."""
    if not all((directory / name).exists() for name, _ in DEMO_FILES):
        from data_models.demo import generate_demo

        generate_demo(directory)
    return [(directory / name, kind) for name, kind in DEMO_FILES]


def seed_demo(engine: Engine, *, reset: bool = False, if_missing: bool = False,
              log: Callable[[str], None] = lambda s: None) -> int | None:
    """Create (or with reset: recreate) the demo tenant and import its files. Returns the last version number."""
    from data_models.tenant_data import import_file

    existing = accounts.get_tenant_by_slug(engine, accounts.DEMO_SLUG)
    if existing and if_missing and not reset:
        log("Die Demo-Kommune Musterstadt ist bereits vorhanden.")
        return None
    if existing and reset:
        delete_tenant(engine, existing.id)
        existing = None
    if existing is None:
        existing = accounts.create_tenant(engine, slug=accounts.DEMO_SLUG, name=DEMO_NAME, typ="stadt",
                                          confirmed=True, is_demo=True)
    version = None
    for path, kind in demo_files():
        outcome = import_file(engine, existing.id, "Demo-Generator", path.read_bytes(), path.name, kind=kind)
        errors = [f for f in outcome.result.findings if f.schwere == FEHLER]
        if errors:
            raise SeedError(f"Demo-Datei {path.name} wurde abgelehnt: " + "; ".join(f.text() for f in errors[:5]))
        version = outcome.version
        log(f"{path.name}: Version {version}")
    log("Demo-Kommune Musterstadt ist bereit.")
    return version
