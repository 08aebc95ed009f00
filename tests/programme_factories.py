"""Offices with stored data for the programme, workshop and isolation tests (figures chosen so that every expected
value can be computed by hand)."""
from __future__ import annotations

from data_models import accounts, store
from data_models.importers.base import ImportResult
from data_models.schema import TABLES
from tests.data_models.factories import Builder

PW = "sicheres-passwort-1"


def store_dataset(engine, tenant_id: int, builder: Builder, datei: str = "test.xlsx") -> int:
    """Store the builder's aggregated tables as one upload (a Masterdatei) of the tenant; returns the version."""
    ds = builder.build(derive=False)
    tables = {k: ds[k] for k in TABLES if len(ds[k])}
    return store.save_import(engine, tenant_id, "test", ImportResult("masterdatei", datei, tables=tables),
                             datei.encode() + str(tenant_id).encode())


def office_a() -> Builder:
    """Two Sozialräume 01/02, 2023: u21 1000 each, u18 800, u15 500; HzE code 07: 10 and 2 (GESAMT 12 → Eckwert 6,0);
    SGB II 50 + 50 of 1000 u15 → 10 %; Inobhutnahmen 6 + 4 = 10, of them UMA 1 + 1 = 2."""
    b = Builder(["01", "02"], tenant_name="Jugendamt Astadt")
    for sr, hze, io in (("01", 10, 6), ("02", 2, 4)):
        b.pop(2023, sr, u15=500, u18=800, u21=1000).sgb2(2023, sr, 50).hze(2023, sr, "07", andauernd=hze)
        b.s42(2023, sr, io, uma=1, kurz=0, rueckkehr=0)
    return b


def office_b(hze_01: int = 1) -> Builder:
    """The same Sozialraum ids 01/02 with other figures, 2023: u21 500 each; HzE 07 in 01 only (default 1: GESAMT 1,
    suppressed); SGB II 100 of 1000 u15 → 20 %."""
    b = Builder(["01", "02"], tenant_name="Jugendamt Bstadt")
    for sr in ("01", "02"):
        b.pop(2023, sr, u15=500, u18=400, u21=500).sgb2(2023, sr, 100)
    b.hze(2023, "01", "07", andauernd=hze_01)
    return b


def office(engine, slug: str, name: str, *, confirmed: bool = True, consent: bool = True, typ: str = "stadt",
           builder: Builder | None = None, admin: str | None = None, member: str | None = None):
    """A tenant (confirmed by default, like `create-tenant`), its consent, data and users."""
    t = accounts.create_tenant(engine, slug=slug, name=name, typ=typ, confirmed=confirmed)
    if consent:
        accounts.set_consent(engine, t.id, "test", True)
    if builder is not None:
        store_dataset(engine, t.id, builder)
    for role, user in (("admin", admin), ("member", member)):
        if user:
            accounts.create_user(engine, username=user, email=f"{user}@{slug}.de", password=PW, role=role,
                                 tenant_slug=slug, name=user.title())
    return accounts.get_tenant(engine, t.id)


def coordinator(engine, username: str = "kora"):
    return accounts.create_user(engine, username=username, email=f"{username}@programm.de", password=PW,
                                role="coordinator", name="Kora Koordination")
