"""Who may do what: one `can(principal, action, tenant_id)` for every page and command.

Every action is documented in ACTIONS (a test fails when one is used but not documented).
"""
from __future__ import annotations

from dataclasses import dataclass

ACTIONS: dict[str, str] = {
    "view_dashboard": "die Auswertungsseiten eines Jugendamts ansehen (Gäste: nur Demo oder Workshop-Link, mit Unterdrückung)",
    "view_exact": "exakte Zahlen ohne Unterdrückung kleiner Werte sehen (nur das eigene Jugendamt und die fiktive Demo)",
    "download": "Tabellen, Grafiken und Berichte herunterladen",
    "view_quality": "die Datenqualität des eigenen Jugendamts ansehen",
    "upload": "Daten hochladen, Versionen wiederherstellen und alte Versionen löschen",
    "manage_users": "Kolleginnen und Kollegen einladen, befördern, herabstufen, entfernen, Passwort-Links ausstellen",
    "manage_settings": "Einstellungen: Teilnahme am Programmvergleich, Workshop-Links",
    "view_audit_log": "das Protokoll des eigenen Jugendamts lesen",
    "delete_tenant": "das eigene Jugendamt mit allen Daten löschen",
    "view_programme": "die Programmübersicht (wer hat was hochgeladen, ohne Zahlen)",
    "compare": "den Vergleich der zustimmenden, bestätigten Jugendämter (nur Gesamtwerte, unterdrückt)",
    "confirm_tenants": "neue Jugendämter bestätigen oder nicht echte entfernen",
}

TENANT_ROLES = ("admin", "member")
_MEMBER = {"view_dashboard", "view_exact", "download", "view_quality"}
_ADMIN = _MEMBER | {"upload", "manage_users", "manage_settings", "view_audit_log", "delete_tenant"}
_COORDINATOR = {"view_programme", "compare", "confirm_tenants"}
_DEMO_GUEST = {"view_dashboard", "view_exact", "download", "view_quality"}
_WORKSHOP_GUEST = {"view_dashboard", "download"}  # a real tenant through a workshop link: suppressed, read-only


@dataclass(frozen=True)
class Principal:
    role: str  # admin | member | coordinator | guest
    username: str = ""
    tenant_id: int | None = None  # own tenant (admin, member); for a guest: the tenant opened (demo or workshop)
    demo_tenant_id: int | None = None  # the demo tenant's id (open to everyone)
    workshop_tenant_id: int | None = None  # guest: the tenant of a valid workshop link (checked on every run)


def can(p: Principal, action: str, tenant_id: int | None = None) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"undocumented action {action!r}")
    if tenant_id is not None and tenant_id == p.demo_tenant_id and action in _DEMO_GUEST:
        return True  # the fictitious demo municipality is open to everyone, read-only
    if p.role in TENANT_ROLES:
        allowed = _ADMIN if p.role == "admin" else _MEMBER
        return action in allowed and tenant_id is not None and tenant_id == p.tenant_id
    if p.role == "coordinator":
        return action in _COORDINATOR and tenant_id is None
    if p.role == "guest" and p.workshop_tenant_id is not None:
        return action in _WORKSHOP_GUEST and tenant_id == p.workshop_tenant_id
    return False
