"""Staff writes move the municipality's cached dashboard figures: the next visit shows the new numbers."""


import pytest
from django.utils import timezone

from schools import services
from tests.dashboard_figures import dashboard, methodist_client, school_staff
from tests.world import World

pytestmark = pytest.mark.django_db


def test_a_new_and_a_dismissed_teacher_change_the_school_staff_at_once(client, django_capture_on_commit_callbacks):
    w = World()
    client = methodist_client(client, w)
    before = school_staff(dashboard(client, w), "Школа A1")
    with django_capture_on_commit_callbacks(execute=True):
        person = services.staff_create(actor=w.user("deputy"), organisation=w.school, data={
            "last_name": "Смирнова", "first_name": "Ольга", "position": "учитель биологии",
            "is_main_position": True, "status": "working",
        })
    assert school_staff(dashboard(client, w), "Школа A1") == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_dismiss(actor=w.user("deputy"), staff=person, dismissed_on=timezone.localdate())
    assert school_staff(dashboard(client, w), "Школа A1") == before
