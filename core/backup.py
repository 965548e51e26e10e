"""Backup and restore of the portal: the database and the media folder, side by side.

A backup is a folder backups/<timestamp>/ holding
  database.dump   — pg_dump in custom format (PostgreSQL), or database.sqlite3 (embedded default);
  media.tar.gz    — the media (evidence, reports, imports): MEDIA_ROOT, or every object under the
                    prefix of the S3 bucket when MEDIA_S3_BUCKET is set, with the same names either way;
  manifest.json   — what is inside, with SHA-256 sums that restore checks first.
Restore loads the dump into an EMPTY database with pg_restore and unpacks the media into the media
storage of the settings it runs with (the bucket, or MEDIA_ROOT; --media-root forces a folder), so a
copy taken on disk restores into a bucket and the other way round. It refuses a database that
already has tables, so a mistyped URL cannot overwrite live data. Media names are unique (generated
at upload), so putting a file back under its name never replaces another file.
"""

import datetime as dt
import hashlib
import json
import mimetypes
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 (pg_dump / pg_restore are the tools of the job)
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.db import connections

from core.storage import STORAGE_ERRORS, s3_bucket

DUMP = "database.dump"
SQLITE = "database.sqlite3"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """A backup or restore cannot go on; the message says why, in Russian."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"Не найдена программа {name}: установите пакет postgresql-client.")
    return path


def _pg_env(db: dict) -> dict:
    """libpq reads the connection from the environment: the password never shows in `ps`."""
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                          ("NAME", "PGDATABASE")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(args: list[str], env: dict) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (fixed tool path, no shell)
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} завершился с ошибкой: {result.stderr.strip()[:2000]}")


def database_settings(url: str | None = None) -> dict:
    if not url:
        return connections["default"].settings_dict
    import environ

    try:
        return environ.Env.db_url_config(url)
    except Exception as exc:  # django-environ raises several types for a bad URL
        raise ImproperlyConfigured(f"Неверный адрес базы данных: {exc}") from exc


def _is_postgres(db: dict) -> bool:
    return db["ENGINE"] == "django.db.backends.postgresql"


def backup(target_root: Path, *, now: dt.datetime | None = None) -> Path:
    """Write a new backup folder under target_root and return it."""
    db = database_settings()
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = Path(target_root) / stamp
    if folder.exists():
        raise BackupError(f"Папка {folder} уже существует.")
    folder.mkdir(parents=True)
    if _is_postgres(db):
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={folder / DUMP}"],
             _pg_env(db))
        database_file = DUMP
    elif db["ENGINE"] == "django.db.backends.sqlite3":
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(folder / SQLITE))
        with target:
            source.backup(target)  # a consistent copy even while the portal writes
        source.close()
        target.close()
        database_file = SQLITE
    else:
        raise BackupError(f"Резервное копирование базы {db['ENGINE']} не поддерживается.")

    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        media = _archive_media(archive)
    manifest = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": db["ENGINE"],
        "database": str(db.get("NAME")),
        "media": media,
        "files": {name: _sha256(folder / name) for name in (database_file, MEDIA)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return folder


def _check_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"В папке {folder} нет {MANIFEST}: это не резервная копия портала.")
    manifest = json.loads(path.read_text())
    for name, digest in manifest["files"].items():
        if not (folder / name).exists() or _sha256(folder / name) != digest:
            raise BackupError(f"Файл {name} резервной копии поврежден или отсутствует (контрольная сумма не совпала).")
    return manifest


def _postgres_is_empty(db: dict) -> bool:
    import psycopg

    conninfo = {"host": db.get("HOST") or None, "port": db.get("PORT") or None, "user": db.get("USER") or None,
                "password": db.get("PASSWORD") or None, "dbname": db["NAME"]}
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v is not None}) as conn:
        count = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()[0]
    return count == 0


def restore(folder: Path, *, database_url: str | None = None, media_root: Path | None = None) -> dict:
    """Load a backup into an empty database and unpack its media. Returns the manifest."""
    folder = Path(folder)
    manifest = _check_manifest(folder)
    db = database_settings(database_url)
    if (folder / DUMP).exists():
        if not _is_postgres(db):
            raise BackupError("Копия снята с PostgreSQL: восстановить ее можно только в PostgreSQL.")
        if not _postgres_is_empty(db):
            raise BackupError(f"База {db['NAME']} не пуста: восстановление выполняется только в пустую базу.")
        _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
              f"--dbname={db['NAME']}", str(folder / DUMP)], _pg_env(db))
    else:
        target = Path(str(db["NAME"]))
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise BackupError("Копия снята с SQLite: восстановить ее можно только в файл SQLite.")
        if target.exists() and target.stat().st_size > 0:
            raise BackupError(f"Файл базы {target} уже существует: восстановление выполняется только в пустую базу.")
        shutil.copyfile(folder / SQLITE, target)

    found = None if media_root is not None else s3_bucket(storages["default"])
    if found is None:
        media_root = Path(media_root or settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA, "r:gz") as archive:
            archive.extractall(media_root, filter="data")  # no absolute paths, no '..', no devices
    else:
        _unpack_into_bucket(folder / MEDIA, *found)
    return manifest


def _archive_media(archive: tarfile.TarFile) -> dict:
    """Add the media to the archive under their storage names; what was taken, for the manifest."""
    found = s3_bucket(storages["default"])
    if found is None:
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            for item in sorted(media_root.iterdir()):
                archive.add(item, arcname=item.name)
        return {"storage": "local", "files": sum(1 for p in media_root.rglob("*") if p.is_file())}
    bucket, prefix = found
    try:
        files = _archive_bucket(archive, bucket, prefix)
    except STORAGE_ERRORS as exc:
        raise BackupError(f"Хранилище файлов s3://{bucket.name}/{prefix} не отвечает или отказало: {exc}") from exc
    return {"storage": "s3", "bucket": bucket.name, "prefix": prefix.rstrip("/"), "files": files}


def _archive_bucket(archive: tarfile.TarFile, bucket, prefix: str) -> int:
    """Every object under the prefix, streamed from the bucket into the archive (memory stays flat)."""
    from botocore.exceptions import ClientError

    files = 0
    for summary in bucket.objects.filter(Prefix=prefix):  # paged by boto3, a thousand keys a request
        name = summary.key[len(prefix):]
        if not name or name.endswith("/"):
            continue  # a folder marker some tools create: nothing the portal stored
        try:
            obj = summary.get()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                continue  # deleted since the listing (an expired report file): gone by design
            raise
        info = tarfile.TarInfo(name)
        info.size, info.mtime = obj["ContentLength"], obj["LastModified"].timestamp()
        body = obj["Body"]
        try:
            archive.addfile(info, body)
        finally:
            body.close()
        files += 1
    return files


def _unpack_into_bucket(path: Path, bucket, prefix: str) -> int:
    """Put every file of the archive back into the bucket under the prefix of the current settings."""
    files = 0
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if member.isdir():
                continue
            member = tarfile.data_filter(member, "/media")  # the same refusals as on disk: no '/', '..', links out
            if not member.isfile():
                continue
            content_type = mimetypes.guess_type(member.name)[0] or "application/octet-stream"
            try:
                bucket.upload_fileobj(archive.extractfile(member), prefix + member.name,
                                      ExtraArgs={"ContentType": content_type})
            except STORAGE_ERRORS as exc:
                raise BackupError(f"Не удалось записать {member.name} в хранилище s3://{bucket.name}/{prefix}: "
                                  f"{exc}") from exc
            files += 1
    return files
