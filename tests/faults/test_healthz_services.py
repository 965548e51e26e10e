"""/healthz against real services: a Redis server of the test's own as cache and broker, a real Celery
worker on it (the worker part pings it with a timeout). The worker stopped is named; Redis stopped
names the cache, the broker and the worker (nothing can reach a worker without its broker)."""

import json

import pytest
from django.urls import reverse

from tests.faults.conftest import portal_on_redis, real_processes


def parts(client) -> tuple[int, dict]:
    response = client.get(reverse("healthz"))
    body = json.loads(response.content)
    return response.status_code, {name: part["status"] for name, part in body["parts"].items()}


@real_processes
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_green_with_redis_and_a_worker_and_the_worker_named_once_it_stops(client, settings, redis_server,
                                                                          start_worker):
    with portal_on_redis(settings, redis_server.url()):
        status, before = parts(client)
        assert status == 503 and before["worker"] == "fail"  # no worker yet
        assert before["broker"] == before["cache"] == "ok"

        worker = start_worker(redis_server.url())
        status, running = parts(client)
        assert status == 200 and set(running.values()) == {"ok"}, running

        worker.stop()
        status, stopped = parts(client)
        assert status == 503 and stopped == {**running, "worker": "fail"}


@pytest.mark.django_db
def test_redis_stopped_names_the_cache_the_broker_and_the_worker(client, settings, redis_server):
    with portal_on_redis(settings, redis_server.url()):
        status, up = parts(client)
        assert up["cache"] == up["broker"] == "ok"
        redis_server.stop()
        response = client.get(reverse("healthz"))
        body = json.loads(response.content)
        assert response.status_code == 503
        assert body["failing"] == ["cache", "broker", "worker"]
        assert body["parts"]["database"]["status"] == body["parts"]["storage"]["status"] == "ok"
