"""The report for the Jugendhilfeausschuss: a PDF and an Excel workbook with the same tables (issue 10, cli.md
`report`).

    from data_models.report import ReportRequest, build_report, create_report

- `build_report(ds, request, ...)` → `ReportFiles(pdf, xlsx)` from a loaded Dataset (pages pass their cached one);
- `create_report(engine, tenant, user, request, ...)` loads the tenant's current data, builds the files and writes
  one audit entry (who, when, which year, sections and version – never a figure).

Parts: `content.py` (what the sections say, from the indicator engine and the breakdowns; `--public` suppression
applied to the complete frames first), `charts.py` (matplotlib, server-side), `pdf.py` (reportlab), `xlsx.py`
(openpyxl), `model.py` (the shared content model).
"""
from __future__ import annotations

from dataclasses import dataclass

from data_models.report.content import SECTIONS, ReportError, ReportRequest, build_content

__all__ = ["SECTIONS", "ReportError", "ReportFiles", "ReportRequest", "audit_details", "build_report",
           "create_report", "source_text"]


@dataclass
class ReportFiles:
    pdf: bytes | None
    xlsx: bytes | None
    year: int
    public: bool


def build_report(ds, request: ReportRequest, *, versions=None, inventory=None, source: str = "",
                 is_demo: bool = False, pdf: bool = True, xlsx: bool = True) -> ReportFiles:
    """The PDF and/or the workbook for `request` (ReportError with a German message when it cannot be served)."""
    from dataclasses import replace

    req = replace(request, charts=request.charts and pdf)
    report = build_content(ds, req, versions=versions, inventory=inventory, source=source, is_demo=is_demo)
    pdf_bytes = xlsx_bytes = None
    if pdf:
        from data_models.report.pdf import render_pdf

        pdf_bytes = render_pdf(report)
    if xlsx:
        from data_models.report.xlsx import render_xlsx

        xlsx_bytes = render_xlsx(report)
    return ReportFiles(pdf_bytes, xlsx_bytes, request.year, request.public)


def source_text(tenant_name: str, versions) -> str:
    """"Quelle: Strategiekarte · <Jugendamt> · Datenstand: Version N vom 31.12.2024" (as the pages write it)."""
    last = versions[-1] if versions else None
    if last is None:
        return f"Quelle: Strategiekarte · {tenant_name}"
    return f"Quelle: Strategiekarte · {tenant_name} · Datenstand: Version {last.version} vom {last.zeitpunkt:%d.%m.%Y}"


def audit_details(request: ReportRequest, data_version: int, formats: list[str]) -> str:
    """What the audit log says about a report: year, kind, sections, data version, formats – no figure."""
    kind = "öffentlich" if request.public else "intern"
    secs = ", ".join(request.sections)
    return f"Bericht {request.year} ({kind}; {'/'.join(formats)}; Datenstand {data_version}; Abschnitte: {secs})"


def create_report(engine, tenant, user: str, request: ReportRequest, *, pdf: bool = True,
                  xlsx: bool = True) -> ReportFiles:
    """Load the tenant's current data, build the report and log its creation in the tenant's audit log."""
    from data_models import store
    from data_models.audit import log
    from data_models.tenant_data import load_dataset

    ds = load_dataset(engine, tenant.id, tenant.name)
    versions = store.list_versions(engine, tenant.id)
    files = build_report(ds, request, versions=versions, inventory=store.inventory(engine, tenant.id),
                         source=source_text(tenant.name, versions),
                         is_demo=bool(getattr(tenant, "is_demo", False)), pdf=pdf, xlsx=xlsx)
    formats = [f for f, on in (("PDF", pdf), ("Excel", xlsx)) if on]
    log(engine, tenant.id, user, "bericht", audit_details(request, ds.data_version, formats))
    return files
