"""A request budget per token, kept in the cache; a cache that fails lets requests through (docs/operations.md)."""

import pytest

from api.throttling import TokenRateThrottle
from tests.api.helpers import like, token_client
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})


def test_a_token_past_its_budget_answers_429_and_another_token_is_not_held_up(three_a_minute):
    world = World()
    busy = token_client(like(world.user("deputy"))[1])
    assert [busy.get("/api/v1/organisations/").status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = busy.get("/api/v1/organisations/")
    assert int(refused["Retry-After"]) > 0
    assert "Запрос был проигнорирован" in refused.json()["detail"]
    assert token_client(like(world.user("deputy"))[1]).get("/api/v1/organisations/").status_code == 200


class BrokenCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("redis is down")

    set = get


def test_a_failing_cache_lets_requests_through(three_a_minute, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "cache", BrokenCache())
    client = token_client(like(World().user("deputy"))[1])
    assert {client.get("/api/v1/organisations/").status_code for _ in range(5)} == {200}
