"""Backup and restore: one archive with a consistent copy of the database and every clinical
file, a manifest with checksums, optionally encrypted.

The archive is a tar file (gzip-compressed) holding:
- `database/db.sqlite3` (SQLite's online backup API: consistent while the clinic works) or
  `database/db.pgdump` (`pg_dump --format=custom`: one snapshot transaction);
- `files/<storage>/<path>` for each private file storage (photos, follow-up attachments);
- `manifest.json`: when, what version, which database engine, the newest migration of each
  app, and the size and SHA-256 of every other member.
Encrypted archives are the same tar, sealed in chunks with Fernet (AES-128-CBC + HMAC-SHA256)
under a key only the clinic holds; a wrong key or a changed byte is refused before anything
is restored.

Restore checks everything first (key, manifest, every checksum), then replaces the database
and the files. Nothing is changed when a check fails.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MAGIC = b"MESOBAK1"  # an encrypted archive starts with this
CHUNK = 1024 * 1024
FILE_STORAGES = ("photos", "followup")

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why in plain words."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def _fernet(key: str | None) -> Fernet | None:
    if not key:
        return None
    try:
        return Fernet(key.strip().encode())
    except (ValueError, TypeError):
        raise BackupError(
            "The backup key is not valid: it must be the 44-character key printed by "
            "`mesoclinic backup --new-key`."
        ) from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def _pg_env() -> tuple[list[str], dict]:
    db = connection.settings_dict
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(
            f"`{command[0]}` is not installed: install Debian's postgresql-client."
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")


def _dump_database(target_dir: Path) -> Path:
    if _engine() == "sqlite":
        target = target_dir / "db.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # online, page by page, consistent
        finally:
            destination.close()
        return target
    target = target_dir / "db.pgdump"
    args, env = _pg_env()
    _run(
        [
            "pg_dump",
            *args,
            "--format=custom",
            "--no-owner",
            "--file",
            str(target),
            connection.settings_dict["NAME"],
        ],
        env,
    )
    return target


def _storage_roots() -> dict[str, Path]:
    from django.core.files.storage import storages

    roots = {}
    for name in FILE_STORAGES:
        storage = storages[name]
        location = getattr(storage, "location", None)
        if location is None:
            raise BackupError(
                f"The {name!r} storage is not on this machine's disk; back it up with the "
                "storage provider's own tools."
            )
        roots[name] = Path(location)
    return roots


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def create(output: Path, *, key: str | None = None, progress: Progress = print) -> dict:
    """Write a backup archive to `output` (a file path); return its manifest."""
    fernet = _fernet(key)
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists already; choose a new name.")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="mesoclinic-backup-") as tmp:
        tmp = Path(tmp)
        progress("database: copying…")
        dump = _dump_database(tmp)
        members = [(dump, f"database/{dump.name}")]
        for name, root in _storage_roots().items():
            files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
            files = [p for p in files if not p.name.startswith(".tmp-")]  # half-written
            progress(f"files: {name}: {len(files)}")
            members += [(p, f"files/{name}/{p.relative_to(root).as_posix()}") for p in files]
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": _engine(),
            "migrations": _migrations(),
            "members": {},
        }
        plain = tmp / "archive.tar.gz"
        with tarfile.open(plain, "w:gz") as tar:
            for n, (path, arcname) in enumerate(members, 1):
                manifest["members"][arcname] = {
                    "size": path.stat().st_size,
                    "sha256": _sha256(path),
                }
                tar.add(path, arcname=arcname, recursive=False)
                if n % 200 == 0 or n == len(members):
                    progress(f"archived {n}/{len(members)}")
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        partial = output.with_name(output.name + ".partial")
        if fernet is None:
            shutil.copyfile(plain, partial)
        else:
            progress("encrypting…")
            _seal(plain, partial, fernet)
        os.chmod(partial, 0o600)
        partial.replace(output)  # never a half-written archive under the final name
    progress(f"backup written: {output} ({output.stat().st_size} bytes)")
    return manifest


def _seal(plain: Path, target: Path, fernet: Fernet) -> None:
    with plain.open("rb") as src, target.open("wb") as dst:
        dst.write(MAGIC)
        for block in iter(lambda: src.read(CHUNK), b""):
            token = fernet.encrypt(block)
            dst.write(len(token).to_bytes(4, "big") + token)


def _unseal(archive: Path, target: Path, fernet: Fernet | None) -> None:
    with archive.open("rb") as src:
        sealed = src.read(len(MAGIC)) == MAGIC
        if not sealed:
            if fernet is not None:
                raise BackupError("This backup is not encrypted; restore it without a key.")
            src.seek(0)
            with target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            return
        if fernet is None:
            raise BackupError("This backup is encrypted: give its key (--key-file or BACKUP_KEY).")
        with target.open("wb") as dst:
            while header := src.read(4):
                token = src.read(int.from_bytes(header, "big"))
                try:
                    dst.write(fernet.decrypt(token))
                except InvalidToken:
                    raise BackupError(
                        "The backup cannot be decrypted: the key is wrong or the file is damaged."
                    ) from None


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = tar.getmembers()
    for member in members:
        path = Path(member.name)
        if path.is_absolute() or ".." in path.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"The backup holds an unsafe entry: {member.name!r}.")
    return members


def verify(archive: Path, *, key: str | None = None, workdir: Path, progress: Progress = print):
    """Unpack `archive` into `workdir` and check every member against the manifest.
    Returns the manifest; raises BackupError naming the first problem."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} is not a file.")
    plain = workdir / "archive.tar.gz"
    _unseal(archive, plain, _fernet(key))
    try:
        with tarfile.open(plain, "r:gz") as tar:
            _safe_members(tar)
            tar.extractall(workdir / "x", filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(f"The backup is not a readable archive: {exc}") from None
    root = workdir / "x"
    try:
        manifest = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError):
        raise BackupError("The backup has no readable manifest.json.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {
        "manifest.json"
    }
    listed = set(manifest["members"])
    if present != listed:
        extra, missing = sorted(present - listed), sorted(listed - present)
        raise BackupError(
            f"The backup does not match its manifest: extra {extra}, missing {missing}."
        )
    for n, (name, meta) in enumerate(sorted(manifest["members"].items()), 1):
        path = root / name
        if path.stat().st_size != meta["size"] or _sha256(path) != meta["sha256"]:
            raise BackupError(f"Checksum mismatch for {name}: the backup is damaged.")
        if n % 200 == 0 or n == len(listed):
            progress(f"verified {n}/{len(listed)}")
    return manifest, root


def restore(archive: Path, *, key: str | None = None, progress: Progress = print) -> dict:
    """Check the archive completely, then replace the database and the files with it."""
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="mesoclinic-restore-") as tmp:
        manifest, root = verify(archive, key=key, workdir=Path(tmp), progress=progress)
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this instance uses {engine}."
            )
        newer = {
            app: name
            for app, name in _migrations().items()
            if app in manifest["migrations"] and name < manifest["migrations"][app]
        }
        if newer:
            raise BackupError(
                "The backup is from a newer version of Mesoclinic (migrations "
                f"{sorted(newer)}); upgrade this installation first."
            )
        roots = _storage_roots()
        progress("database: restoring…")
        _restore_database(root / "database", engine)
        for name, target in roots.items():
            source = root / "files" / name
            _replace_tree(source, target)
            count = sum(1 for p in target.rglob("*") if p.is_file()) if target.exists() else 0
            progress(f"files: {name}: {count} restored")
    progress("restore complete")
    return manifest


def _restore_database(folder: Path, engine: str) -> None:
    if engine == "sqlite":
        source = sqlite3.connect(folder / "db.sqlite3")
        try:
            connection.ensure_connection()
            source.backup(connection.connection)  # replaces every page of the live database
        finally:
            source.close()
        return
    connections.close_all()
    args, env = _pg_env()
    _run(
        [
            "pg_restore",
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            connection.settings_dict["NAME"],
            str(folder / "db.pgdump"),
        ],
        env,
    )


def _replace_tree(source: Path, target: Path) -> None:
    """Put `source`'s files at `target`: copied beside it first, then swapped in."""
    staging = target.with_name(target.name + ".restoring")
    old = target.with_name(target.name + ".old")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    if source.exists():
        shutil.copytree(source, staging)
    else:
        staging.mkdir(parents=True)
    for path in [staging, *staging.rglob("*")]:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
    if target.exists():
        target.replace(old)
    staging.replace(target)
    shutil.rmtree(old, ignore_errors=True)
