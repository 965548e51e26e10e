"""Mentoring: a pair deleted or ended by a concurrent request (tests/methodics/races.py says how the
race is made)."""

import datetime as dt

import pytest
from django.urls import reverse

from methodics.mentoring import services
from methodics.models import MentoringPair
from methodics.services import MethodicsError
from tests.methodics.factories import PairFactory
from tests.methodics.races import deleted_before, page_after
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def test_ending_a_pair_deleted_meanwhile_says_so(w, client, monkeypatch):
    pair = PairFactory(mentee=w.colleague, mentor=w.teacher_staff)
    deleted_before(monkeypatch, services, "pair_end", MentoringPair.objects.filter(pk=pair.pk))
    client.force_login(w.user("deputy"))
    page = page_after(client, reverse("methodics:pair_end", args=[pair.pk]),
                      {"ends_on": dt.date.today().strftime("%d.%m.%Y"), "end_note": ""})
    assert "Наставническая пара уже удалена." in page and not MentoringPair.objects.exists()


def test_a_pair_ended_by_another_request_is_not_ended_twice(w):
    pair = PairFactory(mentee=w.colleague, mentor=w.teacher_staff)
    MentoringPair.objects.filter(pk=pair.pk).update(ends_on=dt.date.today(), end_note="первый")
    with pytest.raises(MethodicsError, match="уже завершена"):
        services.pair_end(actor=w.user("deputy"), pair=pair, ends_on=dt.date.today(), end_note="второй")
    assert MentoringPair.objects.get().end_note == "первый"
