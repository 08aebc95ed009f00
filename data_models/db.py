"""Database tables (SQLAlchemy Core) and engines. The schema is created and upgraded by Alembic (migrations/).

Every table that holds tenant data carries `tenant_id`. Uploaded data are stored as immutable slices (one per
tenant, version, data kind and year; the frame serialised as Parquet); `current_slices` says which slice is current.
"""
from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import (
    BigInteger, Boolean, Column, DateTime, ForeignKey, Index, Integer, LargeBinary, MetaData, String, Table, Text,
    UniqueConstraint, create_engine, event,
)
from sqlalchemy.engine import Engine

metadata = MetaData()

tenants = Table(
    "tenants", metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False, unique=True),  # case-folded name: unique office names
    Column("typ", String(20), nullable=False, default="sonstige"),
    Column("schluessel", String(8)),
    Column("confirmed", Boolean, nullable=False, default=False),
    Column("consent", Boolean, nullable=False, default=False),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("secret", String(64), nullable=False),  # key for hashing case numbers; never exported
    Column("data_version", Integer, nullable=False, default=0),  # bumped by every data change
    Column("created_at", DateTime(timezone=True), nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE")),  # NULL for coordinators
    Column("username", String(64), nullable=False),
    Column("username_key", String(64), nullable=False, unique=True),
    Column("email", String(254), nullable=False),
    Column("email_key", String(254), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("password_hash", String(100), nullable=False),
    Column("role", String(20), nullable=False),  # admin | member | coordinator
    Column("session_epoch", BigInteger, nullable=False, default=0),  # bumped by logout, removal, password reset
    Column("created_at", DateTime(timezone=True), nullable=False),
)

invitations = Table(
    "invitations", metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("purpose", String(20), nullable=False),  # einladung | passwort
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("code_hash", String(64), nullable=False, unique=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE")),  # for password resets
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

login_attempts = Table(
    "login_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("username_key", String(64), nullable=False),
    Column("client", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("success", Boolean, nullable=False),
    Index("ix_login_attempts_user_at", "username_key", "at"),
    Index("ix_login_attempts_client_at", "client", "at"),
)

versions = Table(
    "versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("benutzer", String(64), nullable=False),
    Column("datei", String(255), nullable=False),
    Column("datei_hash", String(64), nullable=False),
    Column("import_kind", String(30), nullable=False),
    Column("arten", Text, nullable=False),  # JSON {kind: [years] | null}
    Column("zeilen", Text, nullable=False),  # JSON {kind: rows}
    Column("findings", Text, nullable=False),  # JSON list of findings (Warnung/Hinweis)
    Column("rollback_of", Integer),
    UniqueConstraint("tenant_id", "version", name="uq_versions_tenant_version"),
)

slices = Table(
    "slices", metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("version_id", Integer, ForeignKey("versions.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("jahr", Integer, nullable=False),  # -1 for kinds replaced whole
    Column("zeilen", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),  # Parquet of the canonical frame
    Index("ix_slices_tenant_version", "tenant_id", "version_id"),
)

current_slices = Table(
    "current_slices", metadata,
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(30), primary_key=True),
    Column("jahr", Integer, primary_key=True),
    Column("slice_id", Integer, ForeignKey("slices.id", ondelete="CASCADE"), nullable=False),
)

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE")),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("benutzer", String(64), nullable=False),
    Column("aktion", String(40), nullable=False),
    Column("details", Text, nullable=False, default=""),
    Index("ix_audit_tenant_at", "tenant_id", "at"),
)

workshop_links = Table(
    "workshop_links", metadata,
    Column("id", Integer, primary_key=True),
    Column("tenant_id", Integer, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 of the token; the token is not stored
    Column("label", String(200), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Index("ix_workshop_links_tenant", "tenant_id"),
)

TENANT_TABLES = ("users", "invitations", "versions", "slices", "current_slices", "audit_log", "workshop_links")


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def make_engine(url: str) -> Engine:
    """A new engine for `url` (SQLite: WAL, busy timeout, foreign keys; PostgreSQL: pool pre-ping)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # let SQLAlchemy issue BEGIN itself so a transaction that starts with a write locks at once
        @event.listens_for(engine, "begin")
        def _begin(conn):  # noqa: ANN001
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("immediate") else "BEGIN")

        @event.listens_for(engine, "connect")
        def _no_pysqlite_begin(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        engine = create_engine(url, pool_pre_ping=True, pool_size=_env_int("STRATEGIEKARTE_DB_POOL_SIZE", 5),
                               max_overflow=_env_int("STRATEGIEKARTE_DB_MAX_OVERFLOW", 10))
    return engine


def _env_int(name: str, default: int) -> int:
    """A whole-number setting from the environment (pool sizes of PostgreSQL, documented in docs/deployment.md)."""
    import os

    try:
        return max(0, int(os.environ.get(name, default)))
    except ValueError:
        return default


@contextmanager
def write_transaction(engine: Engine):
    """A transaction that takes the write lock at once (SQLite: BEGIN IMMEDIATE), so parallel writers queue
    instead of failing with "database is locked" when a read lock would have to be upgraded."""
    with engine.connect() as conn:
        conn.info["immediate"] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop("immediate", None)


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One shared engine per database URL (per process)."""
    return make_engine(url)
