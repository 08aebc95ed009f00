"""What every importer takes and returns. Importers never write to storage."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from data_models.findings import Finding, has_errors
from data_models.schema import WHOLE_KINDS, empty


@dataclass
class ImportContext:
    """What an importer may know about the tenant (read from the current data, passed in by the caller)."""

    # current canonical `sozialraeume` frame of the tenant (empty when none uploaded yet)
    sozialraeume: pd.DataFrame = field(default_factory=lambda: empty("sozialraeume"))
    # per-tenant secret for the keyed hash of `Kennnummer` (data_models.importers.records_common.hash_kennnummer)
    hash_key: bytes = b""
    # report year for fixed-width HzE records (`--year`)
    year: int | None = None
    # geometry: EPSG code ("EPSG:25832" or "25832") and id property when the file does not say
    crs: str | None = None
    id_property: str | None = None
    # upper limits (bytes) against zip bombs and oversized files
    max_file_bytes: int = 200 * 1024 * 1024
    max_unzipped_bytes: int = 500 * 1024 * 1024


@dataclass
class ImportResult:
    kind: str  # import kind of cli.md: masterdatei, hze, hze-festbreite, 8a, 42, zuordnung, geometrie
    datei: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)  # canonical kind -> frame (schema.TABLES)
    findings: list[Finding] = field(default_factory=list)
    # extra facts for the preview (e.g. chosen geometry id property, detected CRS, encoding)
    info: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)

    def touched(self) -> dict[str, list[int] | None]:
        """Per canonical kind: the years this import replaces (None = the whole kind is replaced)."""
        out: dict[str, list[int] | None] = {}
        for kind, frame in self.tables.items():
            if kind in WHOLE_KINDS:
                out[kind] = None
            else:
                out[kind] = sorted(int(y) for y in frame["jahr"].dropna().unique())
        return out

    def row_counts(self) -> dict[str, int]:
        return {k: int(len(v)) for k, v in self.tables.items()}
