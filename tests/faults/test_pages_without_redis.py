"""With Redis unreachable every page of every role answers as it always does (issue 21): the
permission matrix (tests/matrix, every URL × every role of tests/world.py) crawled with the
figure cache and the Celery broker on a closed port, commit callbacks run (so e-mails and jobs
try the broker), the same statuses and the same effects as with Redis. No 500, anywhere."""

import pytest

from tests.faults.conftest import free_port, portal_on_redis
from tests.matrix import all_cases
from tests.test_permission_matrix import _client, _effect_failure, changes, snapshot, undone
from tests.world import ROLES, World

CASES = all_cases()
# Answers that change with Redis down by design: the health checks are the alarm.
DOWN = {"healthz_queue": 503, "healthz": 503}


@pytest.fixture
def redis_closed(settings):
    with portal_on_redis(settings, f"redis://127.0.0.1:{free_port()}/0"):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize("case", [case.param() for case in CASES])
def test_every_page_answers_as_usual_with_redis_down(case, redis_closed, django_capture_on_commit_callbacks):
    world = World()
    url = case.url(world)
    data = case.data(world) if case.data else {}
    clients = {role: (case.client or _client)(world, role) for role in ROLES}  # the API's cases: a token
    before = snapshot()
    failures = []
    for role in ROLES:
        with undone():
            with django_capture_on_commit_callbacks(execute=True):
                response = getattr(clients[role], case.method)(url, data)
            changed = changes(before, snapshot())
        expected = DOWN.get(case.name, case.expect[role])
        if response.status_code != expected:
            failures.append(f"{role}: expected {expected}, got {response.status_code}")
            continue
        for label in ("core.OutgoingEmail", "core.Notification"):  # written by the commit callbacks run here
            if label not in case.touched:
                changed.pop(label, None)
        if failure := _effect_failure(case, role, response.status_code, changed):
            failures.append(failure)
    assert not failures, f"{case.id} {url} with Redis down: " + "; ".join(failures)
