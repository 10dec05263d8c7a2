"""Offboarding: hand a trust its data (a checksummed zip), then drop its schema and role.

The export reads every table of the trust's schema in one read-only, repeatable-read owner
transaction, so the CSV and JSON files and their row counts describe a single moment; it
leaves out credentials and keys and decrypts sensitive columns (export_content). The
zip holds tables/<name>.csv and tables/<name>.json, manifest.json (trust, time, schema
version, row counts, SHA-256 and size of each file) and SHA256SUMS (for `sha256sum -c`).

Dropping requires the trust to be suspended (so nothing changes after the export), an
export made since then, and the slug typed as confirmation. The registry row stays as a
tombstone (status 'offboarded', no host names) and the audit log says who did it.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import secrets
from pathlib import Path

import pyzipper
from flask import abort, current_app, send_file
from psycopg import sql
from psycopg.rows import dict_row
from sqlalchemy import Connection, select, text, update

from peerpath import sharding, trust_admin
from peerpath.admin import export_content, service
from peerpath.admin.models import TrustExport, platform_session
from peerpath.database import owner_engine
from peerpath.migrate import VERSION_TABLE
from peerpath.models import Trust
from peerpath.refusal import Refused
from peerpath.tenancy import Tenant, UnknownTenant


class OffboardingRefused(Refused):
    """The message says what to do first."""


def export_dir() -> Path:
    configured = current_app.config.get("EXPORT_DIR") or os.environ.get("PEERPATH_EXPORT_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "exports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _live_trust(conn: Connection, slug: str, *, lock: bool = False) -> Trust:
    query = select(Trust.__table__).where(Trust.slug == slug, Trust.status != "offboarded")
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise UnknownTenant(slug)
    return row


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, default=str, ensure_ascii=False)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _table_files(conn: Connection, trust) -> tuple[dict[str, bytes], dict[str, int]]:
    """tables/<name>.csv and .json for each of the trust's tables, without credentials and
    with sensitive columns decrypted (peerpath.admin.export_content)."""
    raw = conn.connection.driver_connection
    schema, tenant = trust.schema_name, Tenant.from_row(trust)
    encrypted = export_content.encrypted_columns(current_app.extensions["tenant_metadata"])
    tables = [r[0] for r in conn.execute(text(
        "SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"),
        {"s": schema}) if r[0] not in export_content.CREDENTIAL_TABLES]
    files: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for table in tables:
        with raw.cursor(row_factory=dict_row) as cur:
            cur.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(
                sql.Identifier(schema, table)))
            columns = export_content.exported_columns(table, [d.name for d in cur.description])
            rows = [export_content.readable_row(tenant, table,
                                                {c: row[c] for c in columns}, encrypted)
                    for row in cur]
        text_buffer = io.StringIO()
        writer = csv.writer(text_buffer)
        writer.writerow(columns)
        writer.writerows([_csv_value(row[c]) for c in columns] for row in rows)
        counts[table] = len(rows)
        files[f"tables/{table}.csv"] = text_buffer.getvalue().encode()
        files[f"tables/{table}.json"] = json.dumps(rows, default=str, ensure_ascii=False,
                                                   indent=1).encode()
    return files, counts


PASSPHRASE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - no 0/o, 1/l/i


def new_passphrase() -> str:
    """Six groups of five characters (about 148 bits), easy to read out or type."""
    return "-".join("".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(5))
                    for _ in range(6))


def build_export(slug: str, passphrase: str) -> tuple[bytes, dict]:
    """The zip's bytes (every file AES-256 encrypted with `passphrase`; 7-Zip, WinZip and
    `python -m pyzipper` open it) and its manifest."""
    engine = owner_engine(current_app.config["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            trust = _live_trust(conn, slug)
            files, counts = _table_files(conn, trust)
            version = conn.exec_driver_sql(sql.SQL("SELECT max(version_num) FROM {}").format(
                sql.Identifier(trust.schema_name, VERSION_TABLE)).as_string()).scalar()
            conn.exec_driver_sql("COMMIT")
    finally:
        engine.dispose()
    manifest = {
        "trust": {"slug": trust.slug, "name": trust.display_name},
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "schema_version": version,
        "tables": counts,
        "files": {name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                  for name, data in files.items()},
    }
    sums = "".join(f"{entry['sha256']}  {name}\n" for name, entry in manifest["files"].items())
    buffer = io.BytesIO()
    with pyzipper.AESZipFile(buffer, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(passphrase.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        archive.writestr("SHA256SUMS", sums)
    return buffer.getvalue(), manifest


def export_trust(slug: str, *, actor: str, ip: str | None = None) -> TrustExport:
    """Make an encrypted export. Its passphrase is on the returned object (`.passphrase`)
    to show once: it is stored nowhere, so only the person who made the export has it."""
    passphrase = new_passphrase()
    data, manifest = build_export(slug, passphrase)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    file_name = f"{slug}-{stamp}.zip"
    path = export_dir() / file_name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    digest = hashlib.sha256(data).hexdigest()
    with platform_session() as session, session.begin():
        export = TrustExport(trust_slug=slug, file_name=file_name, sha256=digest,
                             size_bytes=len(data), tables=manifest["tables"], actor=actor)
        session.add(export)
        trust_admin.record(session, actor=actor, action="trust.exported", target=slug, ip=ip,
                           detail={"file": file_name, "sha256": digest})
    export.passphrase = passphrase  # not a column: never stored
    return export


def exports_for(session, slug: str) -> list[TrustExport]:
    return list(session.scalars(select(TrustExport).where(TrustExport.trust_slug == slug)
                                .order_by(TrustExport.id.desc())))


def export_path(export: TrustExport) -> Path:
    return export_dir() / Path(export.file_name).name


def offboard(slug: str, confirmation: str, *, actor: str, ip: str | None = None) -> None:
    if (confirmation or "").strip() != slug:
        raise OffboardingRefused(f"Type the trust's short name, {slug}, to confirm")
    engine = owner_engine(current_app.config["DATABASE_URL"])
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
            trust = _live_trust(conn, slug, lock=True)
            if trust.status != "suspended":
                raise OffboardingRefused("Suspend the trust first, then export its data")
            exported = conn.execute(select(TrustExport.id).where(
                TrustExport.trust_slug == slug,
                TrustExport.created_at >= trust.updated_at)).first()
            if not exported:
                raise OffboardingRefused("Export the trust's data first: there is no export "
                                         "made since it was suspended")
            raw = conn.connection.driver_connection
            role = sql.Identifier(trust.role_name)
            raw.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(
                sql.Identifier(trust.schema_name)))
            raw.execute(sql.SQL("DROP OWNED BY {}").format(role))
            if sharding.installed(raw):
                sharding.forget_trust_role(raw, trust.role_name)
            raw.execute(sql.SQL("DROP ROLE {}").format(role))
            conn.execute(update(Trust).where(Trust.slug == slug)
                         .values(status="offboarded", hosts=[]))
            conn.execute(trust_admin.PlatformAuditEntry.__table__.insert().values(
                actor=actor, action="trust.offboarded", target=slug, ip=ip,
                detail={"schema": trust.schema_name, "role": trust.role_name}))
    finally:
        engine.dispose()


def send_export(slug: str, export_id: int, *, actor: str, ip: str | None):
    """The response that downloads one of `slug`'s exports (404 if it is not there),
    with an audit entry: the console and the platform API both serve it this way."""
    with platform_session() as session:
        made = session.get(TrustExport, export_id)
    if made is None or made.trust_slug != slug or not export_path(made).is_file():
        abort(404, "No such export")
    service.record(actor, "trust.export_downloaded", target=slug, ip=ip,
                   detail={"file": made.file_name})
    return send_file(export_path(made), mimetype="application/zip", as_attachment=True,
                     download_name=made.file_name)
