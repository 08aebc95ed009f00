#!/usr/bin/env python3
"""Strategiekarte command line (contract: docs/cli.md, mirroring the domain's cli.md).

Exit codes: 0 done; 1 input refused (findings printed, nothing stored); 2 wrong usage.
Messages for people are German and go to stderr; machine output (JSON, CSV) goes to stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class Usage(Exception):
    """Wrong usage: unknown tenant, indicator, Sozialraum, table or version (exit 2)."""


class Refused(Exception):
    """Refused input (exit 1)."""


def say(text: str) -> None:
    print(text, file=sys.stderr)


def engine():
    from data_models.database import init_db

    return init_db()


def tenant_or_usage(eng, slug: str):
    from data_models.accounts import get_tenant_by_slug

    t = get_tenant_by_slug(eng, slug)
    if t is None:
        raise Usage(f"Ein Jugendamt „{slug}“ gibt es nicht.")
    return t


def account_call(fn, *args, **kwargs):
    from data_models.accounts import AccountError

    try:
        return fn(*args, **kwargs)
    except AccountError as exc:
        if "tenant" in exc.errors and "gibt es nicht" in exc.errors["tenant"]:
            raise Usage(exc.errors["tenant"]) from None
        raise Refused("\n".join(exc.errors.values())) from None


# --- commands ----------------------------------------------------------------------------------------------------

def cmd_init_db(args) -> int:
    engine()
    say("Datenbank ist auf dem neuesten Stand.")
    return EXIT_OK


def cmd_create_tenant(args) -> int:
    from data_models.accounts import create_tenant

    t = account_call(create_tenant, engine(), slug=args.slug, name=args.name, typ=args.type, key=args.key)
    say(f"Jugendamt „{t.name}“ angelegt (Kurzname {t.slug}, bestätigt).")
    return EXIT_OK


def cmd_create_user(args) -> int:
    from data_models.accounts import create_user

    if args.role in ("admin", "member") and not args.tenant:
        raise Usage("Für die Rollen admin und member bitte --tenant angeben.")
    if args.role == "coordinator" and args.tenant:
        raise Usage("Koordinatorinnen und Koordinatoren gehören zu keinem Jugendamt: --tenant weglassen.")
    u = account_call(create_user, engine(), username=args.username, email=args.email, password=args.password,
                     role=args.role, tenant_slug=args.tenant, name=args.name)
    say(f"Benutzer „{u.username}“ ({u.role}) angelegt.")
    return EXIT_OK


def cmd_reset_password(args) -> int:
    from data_models.accounts import get_user_by_name, reset_password

    eng = engine()
    if get_user_by_name(eng, args.username) is None:
        raise Usage(f"Einen Benutzer „{args.username}“ gibt es nicht.")
    account_call(reset_password, eng, args.username, args.password)
    say(f"Passwort für „{args.username}“ gesetzt; alle bestehenden Sitzungen sind beendet.")
    return EXIT_OK


def cmd_template(args) -> int:
    from data_models.template import write_template

    write_template(args.out)
    say(f"Vorlage geschrieben: {args.out}")
    return EXIT_OK


def _print_findings(findings) -> None:
    from data_models.findings import sort_findings

    for f in sort_findings(findings):
        say(f.text())


def cmd_import(args) -> int:
    from data_models.tenant_data import import_file

    eng = engine()
    t = tenant_or_usage(eng, args.tenant)
    path = Path(args.file)
    if not path.is_file():
        raise Refused(f"Die Datei „{args.file}“ gibt es nicht oder sie ist nicht lesbar.")
    data = path.read_bytes()
    if args.kind == "hze-festbreite" and args.year is None:
        raise Usage("Für --kind hze-festbreite bitte das Berichtsjahr mit --year angeben.")
    from data_models.store import StoreError

    try:
        outcome = import_file(eng, t.id, "Kommandozeile", data, path.name, kind=args.kind, year=args.year,
                              crs=args.crs, id_property=args.id_property, dry_run=args.dry_run)
    except StoreError as exc:  # the database refused the write (disk full, read-only): nothing stored
        raise Refused(str(exc)) from None
    _print_findings(outcome.result.findings)
    if not outcome.result.ok:
        n = sum(1 for f in outcome.result.findings if f.schwere == "Fehler")
        say(f"{n} Fehler – es wurde nichts gespeichert.")
        return EXIT_REFUSED
    if args.dry_run:
        say("Prüfung ohne Fehler (--dry-run: nichts gespeichert).")
        return EXIT_OK
    print(outcome.version)
    say(f"Gespeichert als Version {outcome.version}.")
    return EXIT_OK


def cmd_versions(args) -> int:
    from data_models.store import list_versions

    eng = engine()
    t = tenant_or_usage(eng, args.tenant)
    vs = list_versions(eng, t.id)
    if args.format == "json":
        print(json.dumps([v.as_json() for v in vs], ensure_ascii=False, indent=1))
    else:
        for v in vs:
            print(f"{v.version}\t{v.zeitpunkt:%d.%m.%Y %H:%M}\t{v.benutzer}\t{v.datei}\t{v.describe_arten()}")
    return EXIT_OK


def cmd_rollback(args) -> int:
    from data_models.store import StoreError, rollback

    eng = engine()
    t = tenant_or_usage(eng, args.tenant)
    try:
        n = rollback(eng, t.id, "Kommandozeile", args.version)
    except StoreError as exc:
        raise Usage(str(exc)) from None
    print(n)
    say(f"Version {args.version} ist wieder aktuell (als Version {n}).")
    return EXIT_OK


def _output(frame, fmt: str) -> None:
    from data_models.indicators import output

    if fmt == "json":
        sys.stdout.write(output.to_json(frame) + "\n")
    elif fmt == "csv":
        sys.stdout.write(output.to_csv(frame))
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(output.to_csv_de(frame))
        sys.stdout.buffer.flush()


def _dataset(eng, t):
    from data_models.tenant_data import load_dataset

    return load_dataset(eng, t.id, t.name)


def cmd_indicators(args) -> int:
    from data_models.indicators import catalogue
    from data_models.indicators.engine import public_indicators

    eng = engine()
    t = tenant_or_usage(eng, args.tenant)
    if args.indicator and args.indicator not in catalogue.CATALOGUE:
        raise Usage(f"Einen Indikator „{args.indicator}“ gibt es nicht.")
    ds = _dataset(eng, t)
    _check_sozialraum(ds, args.sozialraum)
    # public: suppress the complete frame first, then filter (else a filtered cell could be recovered)
    frame = public_indicators(ds, years=[args.year] if args.year else None, sozialraum=args.sozialraum,
                              indicators=[args.indicator] if args.indicator else None, public=args.public)
    _output(frame, args.format)
    return EXIT_OK


def _check_sozialraum(ds, sozialraum) -> None:
    if sozialraum and sozialraum not in ("GESAMT", "OHNE") and sozialraum not in set(ds["sozialraeume"]["sozialraum_id"]):
        raise Usage(f"Einen Sozialraum „{sozialraum}“ gibt es in diesem Jugendamt nicht.")


def cmd_breakdown(args) -> int:
    from data_models.indicators.breakdowns import BREAKDOWNS, public_breakdown

    eng = engine()
    t = tenant_or_usage(eng, args.tenant)
    if args.table not in BREAKDOWNS:
        raise Usage(f"Eine Aufschlüsselung „{args.table}“ gibt es nicht. Möglich: {', '.join(BREAKDOWNS)}.")
    ds = _dataset(eng, t)
    _check_sozialraum(ds, args.sozialraum)
    frame = public_breakdown(ds, args.table, years=[args.year] if args.year else None, sozialraum=args.sozialraum,
                             public=args.public)
    _output(frame, args.format)
    return EXIT_OK


def cmd_export(args) -> int:
    from data_models.audit import log
    from data_models.export_masterdatei import write_masterdatei
    from data_models.schema import SHEETS

    eng = engine()
    t = tenant_or_usage(eng, args.tenant)
    ds = _dataset(eng, t)  # aggregated tables include what the records give (HzE, § 8a, § 42 per Sozialraum)
    write_masterdatei({k: ds[k] for k in SHEETS}, args.out)
    log(eng, t.id, "Kommandozeile", "export", "Masterdatei")
    say(f"Masterdatei geschrieben: {args.out}")
    return EXIT_OK


def cmd_compare(args) -> int:
    from data_models.indicators import catalogue
    from data_models.programme import compare_frame

    if args.indicator and args.indicator not in catalogue.CATALOGUE:
        raise Usage(f"Einen Indikator „{args.indicator}“ gibt es nicht.")
    # GESAMT only, suppressed per office before filtering (data_models/programme.py)
    frame = compare_frame(engine(), years=args.year, indicators=args.indicator, peer_group_column=args.peer_group)
    _output(frame, args.format)
    return EXIT_OK


def cmd_consent(args) -> int:
    from data_models.accounts import set_consent

    eng = engine()
    t = tenant_or_usage(eng, args.tenant)
    set_consent(eng, t.id, "Kommandozeile", args.state == "on")
    say(f"Teilnahme am Programmvergleich für „{t.name}“: {'ein' if args.state == 'on' else 'aus'}.")
    return EXIT_OK


def cmd_delete_tenant(args) -> int:
    from data_models.deletion import delete_tenant

    eng = engine()
    t = tenant_or_usage(eng, args.slug)
    if not args.yes:
        raise Usage("Zum Löschen bitte --yes angeben (alle Daten des Jugendamts werden entfernt).")
    delete_tenant(eng, t.id)
    say(f"Jugendamt „{t.name}“ und alle seine Daten wurden gelöscht.")
    return EXIT_OK


def cmd_seed_demo(args) -> int:
    from data_models.seed import seed_demo

    eng = engine()
    version = seed_demo(eng, reset=args.reset, if_missing=args.if_missing, log=say)
    if version is not None:
        print(version)
    return EXIT_OK


def cmd_report(args) -> int:
    from data_models.report import ReportError, ReportRequest, create_report

    eng = engine()
    t = tenant_or_usage(eng, args.tenant)
    for path in (args.out, args.xlsx):  # before the work: a file that cannot be written is refused
        folder = Path(path).resolve().parent if path else None
        if folder is not None and not (folder.is_dir() and os.access(folder, os.W_OK)):
            raise Refused(f"Die Datei „{path}“ lässt sich nicht schreiben: den Ordner gibt es nicht oder er ist "
                          "schreibgeschützt.")
    try:
        files = create_report(eng, t, "Kommandozeile", ReportRequest(year=args.year, public=args.public),
                              xlsx=bool(args.xlsx))
    except ReportError as exc:
        raise Usage(str(exc)) from None
    for path, data in ((args.out, files.pdf), (args.xlsx, files.xlsx)):
        if not path:
            continue
        try:
            Path(path).write_bytes(data)
        except OSError:
            raise Refused(f"Die Datei „{path}“ lässt sich nicht schreiben.") from None
        say(f"Bericht {args.year}{' (öffentliche Fassung)' if args.public else ''} geschrieben: {path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="manage.py", description="Strategiekarte – Kommandozeile")
    sub = p.add_subparsers(dest="command", required=True, metavar="BEFEHL")

    s = sub.add_parser("init-db", help="Datenbankschema anlegen oder aktualisieren")
    s.set_defaults(func=cmd_init_db)

    s = sub.add_parser("create-tenant", help="ein Jugendamt anlegen (bestätigt)")
    s.add_argument("--slug", required=True)
    s.add_argument("--name", required=True)
    s.add_argument("--type", default="sonstige", choices=["stadt", "landkreis", "kreisangehoerig", "sonstige"])
    s.add_argument("--key", "--ags", dest="key")
    s.set_defaults(func=cmd_create_tenant)

    s = sub.add_parser("create-user", help="einen Benutzer anlegen")
    s.add_argument("--username", required=True)
    s.add_argument("--email", required=True)
    s.add_argument("--password", required=True)
    s.add_argument("--role", required=True, choices=["admin", "member", "coordinator"])
    s.add_argument("--tenant")
    s.add_argument("--name")
    s.set_defaults(func=cmd_create_user)

    s = sub.add_parser("reset-password", help="ein neues Passwort setzen")
    s.add_argument("--username", required=True)
    s.add_argument("--password", required=True)
    s.set_defaults(func=cmd_reset_password)

    s = sub.add_parser("template", help="die leere Masterdatei-Vorlage schreiben")
    s.add_argument("--out", required=True)
    s.set_defaults(func=cmd_template)

    s = sub.add_parser("import", help="eine Datei importieren")
    s.add_argument("--tenant", required=True)
    s.add_argument("file")
    s.add_argument("--kind", choices=["masterdatei", "hze", "hze-festbreite", "8a", "42", "zuordnung", "geometrie"])
    s.add_argument("--year", type=int)
    s.add_argument("--crs")
    s.add_argument("--id-property", dest="id_property")
    s.add_argument("--dry-run", action="store_true")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("versions", help="die Versionen eines Jugendamts")
    s.add_argument("--tenant", required=True)
    s.add_argument("--format", choices=["json", "text"], default="text")
    s.set_defaults(func=cmd_versions)

    s = sub.add_parser("rollback", help="eine frühere Version wiederherstellen")
    s.add_argument("--tenant", required=True)
    s.add_argument("--version", required=True, type=int)
    s.set_defaults(func=cmd_rollback)

    for name, func, extra in (("indicators", cmd_indicators, "indicator"), ("breakdown", cmd_breakdown, "table")):
        s = sub.add_parser(name, help="Indikatoren" if name == "indicators" else "eine Aufschlüsselung")
        s.add_argument("--tenant", required=True)
        if extra == "table":
            s.add_argument("--table", required=True)
        s.add_argument("--year", type=int)
        s.add_argument("--sozialraum")
        if extra == "indicator":
            s.add_argument("--indicator")
        s.add_argument("--public", action="store_true")
        s.add_argument("--format", choices=["json", "csv", "csv-de"], default="json")
        s.set_defaults(func=func)

    s = sub.add_parser("export", help="die aktuellen Daten als Masterdatei")
    s.add_argument("--tenant", required=True)
    s.add_argument("--out", required=True)
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("compare", help="Vergleich der bestätigten, zustimmenden Jugendämter (nur Gesamtwerte)")
    s.add_argument("--year", type=int)
    s.add_argument("--indicator")
    s.add_argument("--peer-group", dest="peer_group", action="store_true")
    s.add_argument("--format", choices=["json", "csv", "csv-de"], default="json")
    s.set_defaults(func=cmd_compare)

    s = sub.add_parser("consent", help="Teilnahme am Programmvergleich ein- oder ausschalten")
    s.add_argument("--tenant", required=True)
    s.add_argument("state", choices=["on", "off"])
    s.set_defaults(func=cmd_consent)

    s = sub.add_parser("delete-tenant", help="ein Jugendamt mit allen Daten löschen")
    s.add_argument("--slug", required=True)
    s.add_argument("--yes", action="store_true")
    s.set_defaults(func=cmd_delete_tenant)

    s = sub.add_parser("report", help="der Bericht für den Jugendhilfeausschuss (PDF, optional Excel)")
    s.add_argument("--tenant", required=True)
    s.add_argument("--year", required=True, type=int)
    s.add_argument("--out", required=True, help="Datei für den PDF-Bericht")
    s.add_argument("--public", action="store_true", help="öffentliche Fassung: kleine Zahlen unterdrückt")
    s.add_argument("--xlsx", help="zusätzlich die Tabellen als Excel-Datei")
    s.set_defaults(func=cmd_report)

    s = sub.add_parser("seed-demo", help="die Demo-Kommune Musterstadt anlegen oder erneuern")
    s.add_argument("--reset", action="store_true")
    s.add_argument("--if-missing", action="store_true", help="nur anlegen, wenn es sie noch nicht gibt")
    s.set_defaults(func=cmd_seed_demo)
    return p


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except Usage as exc:
        say(f"Fehler: {exc}")
        return EXIT_USAGE
    except Refused as exc:
        say(f"Abgelehnt: {exc}")
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
