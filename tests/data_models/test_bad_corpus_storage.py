"""The bad-input corpus through the real import path, on SQLite and PostgreSQL: every refused file leaves the stored
data, the version list and the data version exactly as they were."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from data_models import accounts, store
from data_models.tenant_data import import_file

BAD = Path(__file__).resolve().parent.parent / "fixtures" / "bad"
# inputs of the corpus that are awkward but valid (title rows, numbers stored as text, a cached formula, a 20 MB
# unpacked workbook below the 500 MB limit ...): they must import, with findings where the importer explains itself
ACCEPTED = {"file_renamed.txt", "file_zipbomb.xlsx", "md_formula_cached.xlsx", "md_formula_like_text.xlsx",
            "md_merged_header.xlsx", "md_numbers_as_text.xlsx", "md_numeric_id.xlsx", "md_title_rows.xlsx",
            "md_valid.xlsx"}
ALL = sorted(p for p in BAD.iterdir() if p.is_file())
FILES = [p for p in ALL if p.name not in ACCEPTED]


def kind_of(name: str) -> tuple[str | None, int | None]:
    for prefix, kind in (("rec_42", "42"), ("rec_8a", "8a"), ("rec_hze_festbreite", "hze-festbreite"),
                         ("rec_hze", "hze"), ("rec_zuordnung", "zuordnung"), ("geo_", "geometrie"),
                         ("md_", "masterdatei")):
        if name.startswith(prefix):
            return kind, (2023 if kind == "hze-festbreite" else None)
    return None, None


def snapshot(engine, tid) -> str:
    frames = store.current_frames(engine, tid)
    return json.dumps({
        "versions": [v.as_json() for v in store.list_versions(engine, tid)],
        "data_version": store.data_version(engine, tid),
        "frames": {k: f.to_csv(index=False) for k, f in frames.items()},
    }, sort_keys=True)


@pytest.fixture
def baseline(engine):
    t = accounts.create_tenant(engine, slug="astadt", name="Jugendamt Astadt", typ="stadt")
    out = import_file(engine, t.id, "anna", (BAD / "md_valid.xlsx").read_bytes(), "md_valid.xlsx")
    assert out.version == 1, [f.text() for f in out.result.findings]
    return engine, t.id


def test_corpus_is_large_enough():
    assert len(FILES) >= 40


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_awkward_but_valid_inputs_are_accepted(baseline, name):
    engine, tid = baseline
    kind, year = kind_of(name)
    out = import_file(engine, tid, "anna", (BAD / name).read_bytes(), name, kind=kind, year=year, dry_run=True)
    assert out.result.ok, [f.text() for f in out.result.findings if f.schwere == "Fehler"]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_refused_file_changes_nothing(baseline, path):
    engine, tid = baseline
    before = snapshot(engine, tid)
    kind, year = kind_of(path.name)
    out = import_file(engine, tid, "anna", path.read_bytes(), path.name, kind=kind, year=year)
    assert not out.result.ok and out.version is None
    errors = [f for f in out.result.findings if f.schwere == "Fehler"]
    assert errors and all(f.meldung and f.datei for f in errors)
    assert snapshot(engine, tid) == before
