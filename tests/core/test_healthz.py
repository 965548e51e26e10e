"""/healthz for the monitoring: the database, the cache, the broker, a worker and the media storage,
200 when every part answers, 503 naming the parts that do not; anonymous callers read part names and
states only, the monitoring (METRICS_TOKEN or METRICS_ALLOWED_IPS) also reads why. /healthz/live is
the process alone (docker compose's check of the web container). The embedded default (eager Celery,
no broker) is green: the broker and the worker are «не используется».

Real peers: a Redis port nothing listens on, an S3 endpoint (moto) stopped, a PostgreSQL port nothing
listens on (through `manage.py healthz`). With Redis and a real worker: tests/faults/test_healthz_services.py."""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.conftest import ROOT
from tests.faults.conftest import free_port
from tests.s3 import use_s3

pytestmark = pytest.mark.django_db
PARTS = ["database", "cache", "broker", "worker", "storage"]


def health(client, **headers):
    response = client.get(reverse("healthz"), **headers)
    return response, json.loads(response.content)


def test_the_embedded_default_is_green_and_says_the_broker_and_the_worker_are_not_used(client):
    response, body = health(client)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert body["status"] == "ok" and body["failing"] == []
    assert list(body["parts"]) == PARTS
    assert {name: part["status"] for name, part in body["parts"].items()} == {
        "database": "ok", "cache": "ok", "broker": "unused", "worker": "unused", "storage": "ok"}
    assert body["parts"]["worker"]["text"] == "не используется"
    assert body["parts"]["database"]["text"] == "в порядке"
    assert "no-store" in response["Cache-Control"]
    assert client.head(reverse("healthz")).status_code == 200  # monitors that only ask for the status


def test_a_cache_that_does_not_answer_is_named_and_anonymous_callers_learn_nothing_more(client, settings):
    from iom_portal.settings import redis_cache_config

    port = free_port()
    settings.CACHES = {"default": redis_cache_config(f"redis://127.0.0.1:{port}/0")}
    response, body = health(client)
    assert response.status_code == 503
    assert body["status"] == "fail" and body["failing"] == ["cache"]
    assert body["parts"]["cache"] == {"status": "fail", "text": "не отвечает"}
    assert str(port) not in response.content.decode() and "detail" not in json.dumps(body)


def test_the_monitoring_with_the_token_reads_why_a_part_fails(client, settings):
    from iom_portal.settings import redis_cache_config

    settings.METRICS_TOKEN = "monitoring-secret-token"
    settings.CACHES = {"default": redis_cache_config(f"redis://127.0.0.1:{free_port()}/0")}
    _, anonymous = health(client, HTTP_AUTHORIZATION="Bearer wrong-token")
    assert "detail" not in anonymous["parts"]["cache"]
    response, body = health(client, HTTP_AUTHORIZATION="Bearer monitoring-secret-token")
    assert response.status_code == 503
    assert body["parts"]["cache"]["detail"]  # the error the check met
    assert all("seconds" in part for part in body["parts"].values())


def test_an_allowed_address_reads_the_details_too(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    _, outside = health(client)  # the test client comes from 127.0.0.1
    assert "seconds" not in outside["parts"]["database"]
    _, inside = health(client, REMOTE_ADDR="10.1.2.3")
    assert "seconds" in inside["parts"]["database"]


def test_a_media_bucket_that_does_not_answer_is_named(client, settings, own_s3_server):
    use_s3(settings, own_s3_server)
    response, body = health(client)
    assert response.status_code == 200 and body["parts"]["storage"]["status"] == "ok"
    own_s3_server.stop()
    response, body = health(client)
    assert response.status_code == 503 and body["failing"] == ["storage"]


def test_a_local_media_folder_that_cannot_be_written_is_named(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocked)
    response, body = health(client)
    assert response.status_code == 503 and body["failing"] == ["storage"]


def test_plain_text_for_people_reading_it_in_a_terminal(client):
    response = client.get(reverse("healthz"), HTTP_ACCEPT="text/plain")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert text.splitlines()[0] == "в порядке"
    assert "база данных: в порядке" in text and "исполнитель заданий: не используется" in text


def test_live_answers_while_a_part_is_down(client, settings):
    from iom_portal.settings import redis_cache_config

    settings.CACHES = {"default": redis_cache_config(f"redis://127.0.0.1:{free_port()}/0")}
    response = client.get(reverse("healthz_live"))
    assert response.status_code == 200 and response.content == b"ok"


def test_docker_compose_checks_the_web_container_by_its_liveness():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "http://127.0.0.1:8000/healthz/live" in compose


def _command(tmp_path, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"} and not k.startswith("MEDIA_S3_")}
    clean.update(SECRET_KEY="healthz-test-secret", DJANGO_SETTINGS_MODULE="iom_portal.settings",
                 MEDIA_ROOT=str(tmp_path / "media"), **env)
    return subprocess.run([sys.executable, "manage.py", "healthz"], cwd=ROOT, env=clean, capture_output=True,
                          text=True, timeout=120)


def test_the_command_names_the_database_when_it_does_not_answer(tmp_path):
    result = _command(tmp_path, DATABASE_URL=f"postgres://nobody@127.0.0.1:{free_port()}/nothing")
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == "не в порядке: база данных"
    assert "база данных: не отвечает" in result.stdout and "хранилище файлов: в порядке" in result.stdout


def test_the_command_is_green_without_redis(tmp_path):
    result = _command(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[0] == "в порядке"
    assert "брокер заданий: не используется" in result.stdout
