"""Mentoring pairs move the municipality's cached dashboard figures: the next visit shows the new numbers."""

import datetime as dt

import pytest

from methodics.mentoring import services
from tests.dashboard_figures import dashboard, indicator, methodist_client
from tests.factories import StaffFactory
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_new_pair_supports_a_young_teacher_at_once(client, django_capture_on_commit_callbacks):
    w = World()
    young = StaffFactory(organisation=w.school, birth_date=dt.date(2001, 5, 1), experience_years=1)
    mentor = StaffFactory(organisation=w.school, experience_years=20)
    client = methodist_client(client, w)
    before = indicator(dashboard(client, w), "young_supported_share").numerator
    with django_capture_on_commit_callbacks(execute=True):
        services.pair_start(actor=w.user("deputy"), mentee=young, mentor=mentor, reason="young_specialist",
                            starts_on=dt.date.today())
    assert indicator(dashboard(client, w), "young_supported_share").numerator == before + 1
