"""Recovery: `make backup` then `make restore` into a fresh, empty PostgreSQL database gives back
the same rows and the same media files. Runs where DATABASE_URL is PostgreSQL (.ci/run)."""

import os
import secrets
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.backup import BackupError, restore
from tests.security.helpers import counted_models
from tests.world import World

ROOT = Path(settings.BASE_DIR)


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="DATABASE_URL is not PostgreSQL"
)


def _url(db: dict, name: str) -> str:
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _pg(tool: str, db: dict, *args: str) -> None:
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    subprocess.run([tool, "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", "postgres", *args],
                   env=env, check=True, capture_output=True)


def _make(target: str, **variables) -> subprocess.CompletedProcess:
    env = {**os.environ, **{k: str(v) for k, v in variables.items() if k.isupper() and not k.startswith("_")}}
    make_vars = [f"{k[1:]}={v}" for k, v in variables.items() if k.startswith("_")]
    return subprocess.run(["make", "-s", target, *make_vars], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def _snapshot(cursor) -> dict:
    """Row counts of every table, and the staff and accounts as values."""
    tables = sorted({m._meta.db_table for m in counted_models()})
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the app registry)
        counts[table] = cursor.fetchone()[0]
    cursor.execute("SELECT id, last_name, first_name, middle_name, organisation_id, user_id FROM schools_staffmember"
                   " ORDER BY id")
    staff = cursor.fetchall()
    cursor.execute("SELECT id, username, password, is_active FROM auth_user ORDER BY id")
    return {"counts": counts, "staff": staff, "users": cursor.fetchall()}


@requires_postgres
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_make_backup_and_make_restore_into_an_empty_database_give_back_rows_and_files(tmp_path, settings):
    import psycopg

    assert _on_postgres()
    World()
    media = Path(settings.MEDIA_ROOT)
    evidence = media / "evidence" / "2026" / "сертификат.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4\n" + secrets.token_bytes(4096))
    (media / "reports").mkdir()
    (media / "reports" / "отчет.xlsx").write_bytes(secrets.token_bytes(1000))
    with connection.cursor() as cursor:
        before = _snapshot(cursor)
    assert before["counts"]["schools_staffmember"] > 0

    db = connection.settings_dict
    common = {"DATABASE_URL": _url(db, db["NAME"]), "MEDIA_ROOT": media, "SECRET_KEY": "backup-test-secret",
              "IOM_REQUIRE_SERVICES": "0"}
    made = _make("backup", **common, _BACKUP_DIR=tmp_path / "backups")
    assert made.returncode == 0, made.stdout + made.stderr
    folder = Path(made.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups"
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}
    assert (folder / "database.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    fresh = f"iom_restore_{secrets.token_hex(4)}"
    restored_media = tmp_path / "restored-media"
    _pg("createdb", db, fresh)
    try:
        made = _make("restore", **{**common, "MEDIA_ROOT": restored_media}, _BACKUP=folder,
                     _RESTORE_DATABASE_URL=_url(db, fresh))
        assert made.returncode == 0, made.stdout + made.stderr

        with psycopg.connect(_url(db, fresh).replace("postgres://", "postgresql://")) as restored:
            after = _snapshot(restored.cursor())
        assert after == before
        for original in (evidence, media / "reports" / "отчет.xlsx"):
            copy = restored_media / original.relative_to(media)
            assert copy.read_bytes() == original.read_bytes()

        # A second restore into the now non-empty database is refused and changes nothing.
        again = _make("restore", **{**common, "MEDIA_ROOT": tmp_path / "again"}, _BACKUP=folder,
                      _RESTORE_DATABASE_URL=_url(db, fresh))
        assert again.returncode != 0
        assert "не пуста" in again.stderr
    finally:
        _pg("dropdb", db, "--if-exists", fresh)


def test_make_restore_without_a_backup_folder_says_how_to_call_it():
    made = _make("restore")
    assert made.returncode != 0
    assert "make restore BACKUP=backups/" in made.stdout


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    folder = tmp_path / "20260101-000000"
    folder.mkdir()
    (folder / "database.dump").write_bytes(b"PGDMP damaged")
    (folder / "media.tar.gz").write_bytes(b"")
    (folder / "manifest.json").write_text(
        '{"created": "2026-01-01T00:00:00+00:00", "engine": "django.db.backends.postgresql", "database": "x",'
        ' "files": {"database.dump": "0000", "media.tar.gz": "0000"}}')
    with pytest.raises(BackupError, match="поврежден"):
        restore(folder, database_url="postgres://nobody@127.0.0.1:1/none", media_root=tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(BackupError, match="не резервная копия"):
        restore(tmp_path, database_url="postgres://nobody@127.0.0.1:1/none")
