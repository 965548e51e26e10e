"""`make backup` / `make restore` carry the media wherever it lives: the objects of the S3 bucket when
MEDIA_S3_* are set (a real S3 endpoint on 127.0.0.1, tests/s3.py), MEDIA_ROOT otherwise. The database
here is a SQLite file, so these run everywhere; tests/security/test_backup.py does PostgreSQL."""

import json
import sqlite3
import tarfile
from pathlib import Path

import pytest

from tests.s3 import BUCKET, S3Media
from tests.security.test_backup import _make

FILES = {
    "evidence/2026/0f3c-сертификат.pdf": b"%PDF-1.4\n" + bytes(range(256)) * 40,
    "reports/5d1e.xlsx": b"PK\x03\x04" + b"x" * 3000,
    "imports/7a2b/upload.csv": "ФИО;Школа\n".encode(),
}


def sqlite_database(path: Path) -> str:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE probe (value TEXT)")
        db.execute("INSERT INTO probe VALUES ('до копии')")
    return f"sqlite:///{path}"


def archived(folder: Path) -> dict[str, bytes]:
    with tarfile.open(folder / "media.tar.gz") as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}


def restored_rows(path: Path) -> list:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT value FROM probe").fetchall()


@pytest.fixture
def bucket_media(s3_server) -> S3Media:
    media = S3Media(s3_server)
    client = s3_server.client()
    for name, content in FILES.items():
        client.put_object(Bucket=BUCKET, Key=f"{media.prefix}/{name}", Body=content)
    return media


def test_make_backup_takes_the_buckets_objects_and_make_restore_puts_them_back(tmp_path, bucket_media):
    common = {"DATABASE_URL": sqlite_database(tmp_path / "db.sqlite3"), "SECRET_KEY": "backup-test-secret",
              "IOM_REQUIRE_SERVICES": "0", **bucket_media.environment()}
    made = _make("backup", **common, _BACKUP_DIR=tmp_path / "backups")
    assert made.returncode == 0, made.stdout + made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert archived(folder) == FILES
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["media"] == {"storage": "s3", "bucket": BUCKET, "prefix": bucket_media.prefix, "files": 3}

    client = bucket_media.server.client()
    for name in FILES:  # the bucket lost
        client.delete_object(Bucket=BUCKET, Key=f"{bucket_media.prefix}/{name}")
    assert bucket_media.objects() == {}

    made = _make("restore", **common, _BACKUP=folder, _RESTORE_DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert made.returncode == 0, made.stdout + made.stderr
    assert bucket_media.objects() == FILES
    assert restored_rows(tmp_path / "new.sqlite3") == [("до копии",)]


def test_a_backup_of_the_bucket_restores_onto_local_disk_too(tmp_path, bucket_media):
    """A portal moved off the bucket (or a copy looked at on a laptop): --media-root unpacks the same files."""
    common = {"DATABASE_URL": sqlite_database(tmp_path / "db.sqlite3"), "SECRET_KEY": "backup-test-secret",
              "IOM_REQUIRE_SERVICES": "0", **bucket_media.environment()}
    made = _make("backup", **common, _BACKUP_DIR=tmp_path / "backups")
    assert made.returncode == 0, made.stdout + made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    local = {k: v for k, v in common.items() if not k.startswith("MEDIA_S3_")}
    made = _make("restore", **local, MEDIA_ROOT=tmp_path / "media", _BACKUP=folder,
                 _RESTORE_DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert made.returncode == 0, made.stdout + made.stderr
    assert {str(p.relative_to(tmp_path / "media")): p.read_bytes()
            for p in (tmp_path / "media").rglob("*") if p.is_file()} == FILES


def test_make_backup_and_restore_of_local_media_with_a_sqlite_database(tmp_path):
    media = tmp_path / "media"
    for name, content in FILES.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
    common = {"DATABASE_URL": sqlite_database(tmp_path / "db.sqlite3"), "SECRET_KEY": "backup-test-secret",
              "IOM_REQUIRE_SERVICES": "0", "MEDIA_ROOT": media}
    made = _make("backup", **common, _BACKUP_DIR=tmp_path / "backups")
    assert made.returncode == 0, made.stdout + made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert archived(folder) == FILES
    assert json.loads((folder / "manifest.json").read_text())["media"] == {"storage": "local", "files": 3}
    made = _make("restore", **{**common, "MEDIA_ROOT": tmp_path / "restored"}, _BACKUP=folder,
                 _RESTORE_DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert made.returncode == 0, made.stdout + made.stderr
    assert (tmp_path / "restored" / "reports" / "5d1e.xlsx").read_bytes() == FILES["reports/5d1e.xlsx"]
    assert restored_rows(tmp_path / "new.sqlite3") == [("до копии",)]
