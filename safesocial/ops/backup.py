"""One archive holds everything a trust needs back after losing its server: the database (SQLite's online backup, or
`pg_dump` in custom format), the media and evidence files, the audit checkpoints kept outside the database and the
generated keys. A manifest lists each file's SHA-256; a restore checks every hash before it touches anything.

Media and evidence go into the archive under `media/` wherever they are kept: from the media folder on disk, or, with
STORAGE_BACKEND=s3, every object of the bucket (under AWS_LOCATION), copied down through the storage API. A restore
puts them back into whichever storage the restoring server uses, so an archive also moves files from disk to S3."""

from __future__ import annotations

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
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, connections

from safesocial.storage import stored_names

MANIFEST = "manifest.json"
FORMAT = 1


class RestoreRefused(Exception):
    """The archive is damaged, incomplete or not one of ours: nothing was changed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_args(db: dict) -> tuple[list[str], dict[str, str]]:
    """libpq's connection options for pg_dump and pg_restore; the password travels in the environment only."""
    args = [f"--dbname={db['NAME']}"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args.append(f"{flag}={db[key]}")
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return args, env


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return "sqlite"
    if connection.vendor == "postgresql":
        args, env = _pg_args(connection.settings_dict)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", *args], env=env, check=True)
        return "postgresql"
    raise ImproperlyConfigured(f"SafeSocial backs up SQLite and PostgreSQL databases, not {connection.vendor}.")


def _media_on_disk() -> bool:
    return isinstance(default_storage, FileSystemStorage)


def _sources() -> dict[str, Path]:
    """Where each part lives on this server's disk, by its name in the archive."""
    on_disk = {"media": Path(settings.MEDIA_ROOT)} if _media_on_disk() else {}
    return {
        **on_disk,
        "secrets": Path(settings.SECRETS_DIR),
        "audit-checkpoints.jsonl": Path(settings.AUDIT_CHECKPOINT_FILE),
    }


def _safe_name(name: str) -> str:
    if not name or PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
        raise ValueError(f"a stored file's name leads outside the media folder: {name!r}")
    return name


def _download_media(into: Path) -> dict[str, Path]:
    """Each file of a storage not on this disk (the S3 bucket), copied into `into`, by its name in the archive."""
    files = {}
    for name in stored_names(default_storage):
        target = into / _safe_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as stored, target.open("wb") as copy:
            shutil.copyfileobj(stored, copy, 1 << 20)
        files[f"media/{name}"] = target
    return files


def _upload_media(media: Path) -> None:
    """Make the storage hold exactly the archive's files, as the media folder on disk is replaced: each file under
    its own name (an object of that name is replaced), and objects the archive does not have are deleted."""
    wanted = {p.relative_to(media).as_posix(): p for p in sorted(media.rglob("*")) if p.is_file()}
    for name in set(stored_names(default_storage)) - set(wanted):
        default_storage.delete(name)
    for name, path in wanted.items():
        default_storage.delete(name)
        with path.open("rb") as f:
            saved = default_storage.save(name, File(f, name=name))
        if saved != name:
            raise RuntimeError(f"the storage kept {name} as {saved}: restore again with nothing else running")


def backup_create(output: Path) -> Path:
    """Write the archive to `output` (a .tar.gz) and return its path."""
    with tempfile.TemporaryDirectory() as work:
        database = Path(work) / "database"
        vendor = _dump_database(database)
        files = {"database": database}
        for name, source in _sources().items():
            if source.is_file():
                files[name] = source
            elif source.is_dir():
                files.update({f"{name}/{p.relative_to(source)}": p for p in sorted(source.rglob("*")) if p.is_file()})
        if not _media_on_disk():
            files.update(_download_media(Path(work) / "media"))
        manifest = {
            "format": FORMAT,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": vendor,
            "media": "local" if _media_on_disk() else "s3",  # where they came from: either restores into either
            "files": {name: _sha256(path) for name, path in files.items()},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            for name, path in files.items():
                archive.add(path, arcname=name, recursive=False)
        partial.chmod(0o600)  # it holds the keys
        partial.replace(output)
    return output


def _unpack_verified(archive_path: Path, into: Path) -> dict:
    """Extract into `into`, then check the manifest: every file listed, none more, every hash equal."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise RestoreRefused(f"{archive_path} is not a readable backup archive ({exc})") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        listed = manifest["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise RestoreRefused(f"{archive_path} has no valid {MANIFEST}: not a SafeSocial backup") from None
    if manifest.get("format") != FORMAT:
        raise RestoreRefused(
            f"{archive_path} is a backup in format {manifest.get('format')}; this version reads {FORMAT}"
        )
    present = {str(p.relative_to(into)) for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    problems = [f"missing: {name}" for name in sorted(set(listed) - present)]
    problems += [f"not in the manifest: {name}" for name in sorted(present - set(listed))]
    problems += [f"altered: {name}" for name in sorted(present & set(listed)) if _sha256(into / name) != listed[name]]
    if problems:
        raise RestoreRefused(f"{archive_path} is damaged, nothing was restored: " + "; ".join(problems))
    if manifest.get("database") != connection.vendor:
        raise RestoreRefused(
            f"{archive_path} holds a {manifest.get('database')} database; this server uses {connection.vendor}"
        )
    return manifest


def _restore_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()
        return
    connections.close_all()
    args, env = _pg_args(connection.settings_dict)
    subprocess.run(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(dump)],
        env=env,
        check=True,
    )


def _replace(source: Path, target: Path) -> None:
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target)
    else:
        shutil.copy2(source, target)


def backup_restore(archive_path: Path) -> dict:
    """Put the database and files back as the archive has them; refuse, changing nothing, if any hash differs.
    Restart the server afterwards: a running process keeps the keys it started with."""
    with tempfile.TemporaryDirectory() as work:
        unpacked = Path(work)
        manifest = _unpack_verified(archive_path, unpacked)
        _restore_database(unpacked / "database")
        for name, target in _sources().items():
            if (unpacked / name).exists():
                _replace(unpacked / name, target)
        if not _media_on_disk() and (unpacked / "media").is_dir():
            _upload_media(unpacked / "media")
        secrets = Path(settings.SECRETS_DIR)
        for path in secrets.rglob("*") if secrets.is_dir() else ():
            path.chmod(0o600 if path.is_file() else 0o700)
    return manifest
