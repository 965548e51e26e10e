"""`manage.py check --deploy` reports nothing with production variables, and the session limits
come from the environment. Each runs in a fresh process, as production starts."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def _production_env(tmp_path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES",
                                                        # set while a browser test's Playwright loop lives
                                                        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "iom.example.org",
    })
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def _run(args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "DEBUG"], _production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_does_complain_when_debug_is_left_on(tmp_path):
    # The check above can fail: with DEBUG on it must (security.W018 and the cookie warnings).
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path, DEBUG="true"))
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


def test_session_limits_come_from_the_environment(tmp_path):
    env = _production_env(tmp_path, SESSION_IDLE_SECONDS="600", SESSION_ABSOLUTE_SECONDS="7200")
    result = _run(["shell", "--no-imports", "-c", "from django.conf import settings as s; "
                   "print(s.SESSION_IDLE_SECONDS, s.SESSION_COOKIE_AGE, s.SESSION_COOKIE_SECURE, s.DEBUG)"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["600", "7200", "True", "False"]


def test_a_malformed_session_limit_stops_the_start(tmp_path):
    result = _run(["check"], _production_env(tmp_path, SESSION_IDLE_SECONDS="half an hour"))
    assert result.returncode != 0
    assert "SESSION_IDLE_SECONDS must be an integer" in result.stderr
