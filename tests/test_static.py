"""Production's collectstatic (hashed manifest, compression) runs through every static file."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def test_collectstatic_with_the_manifest_storage_succeeds(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'static.sqlite3'}", "SECRET_KEY": secrets.token_urlsafe(50),
                "STATIC_ROOT": str(tmp_path / "static")})
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "static" / "staticfiles.json").exists()
