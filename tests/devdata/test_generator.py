"""generate_data: size S has the promised shape and is the same twice."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from devdata.generator import BENCH_PASSWORD, generate
from diagnostics.models import Assessment, Deficit, Score
from methodics.models import MentoringPair
from routes.models import RoadmapActivity, Route, RouteTask, Transition
from schools.models import Membership, Municipality, Organisation, Region, StaffMember, position_category_of
from schools.selectors import is_young_specialist

WRITTEN = [RoadmapActivity, RouteTask, Transition, Route.deficits.through, Route, Deficit, Score, Assessment,
           Membership, MentoringPair, StaffMember, get_user_model(), Organisation, Municipality, Region]

TODAY = dt.date(2026, 11, 20)


def _snapshot():
    """Counts and the first names in a stable order: what two runs must agree on."""
    staff = StaffMember.objects.order_by("organisation__order", "organisation__short_name", "pk")
    return {
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "staff": StaffMember.objects.count(),
        "routes": Route.objects.count(),
        "activities": RoadmapActivity.objects.count(),
        "assessments": Assessment.objects.count(),
        "scores": Score.objects.count(),
        "deficits": Deficit.objects.count(),
        "tasks": RouteTask.objects.count(),
        "memberships": Membership.objects.count(),
        "pairs": list(MentoringPair.objects.order_by("mentee__organisation__short_name", "mentee__last_name", "pk")
                      .values_list("mentee__last_name", "mentor__last_name", "starts_on")),
        "first_names": list(staff.values_list("first_name", flat=True)[:50]),
        "statuses": list(Route.objects.order_by("person__organisation__short_name", "pk")
                         .values_list("status", flat=True)[:50]),
    }


def _wipe():
    """Remove every generated row; foreign keys are checked at commit, and the test rolls back."""
    with connection.cursor() as cursor:
        for model in WRITTEN:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


@pytest.mark.django_db
def test_size_s_has_the_promised_counts_and_is_the_same_twice():
    first = generate("S", today=TODAY, history=False)
    snapshot = _snapshot()
    assert snapshot["municipalities"] == 1
    assert snapshot["organisations"] == 10
    assert snapshot["staff"] == 300
    assert snapshot["routes"] == 300  # one route per person
    assert snapshot["activities"] == 3000  # ten per route
    assert snapshot["assessments"] == 300
    assert snapshot["scores"] == 6000  # twenty per person
    assert 0 < snapshot["deficits"] == snapshot["tasks"]  # a task answers each deficit
    assert first.counts["routes.RoadmapActivity"] == 3000
    # young teachers are mentored through pairs, never by a young mentor, inside their organisation
    assert snapshot["pairs"]
    for pair in MentoringPair.objects.select_related("mentor", "mentee"):
        assert is_young_specialist(pair.mentee, TODAY) and not is_young_specialist(pair.mentor, TODAY)
        assert pair.organisation_id == pair.mentee.organisation_id == pair.mentor.organisation_id

    _wipe()
    generate("S", today=TODAY, history=False)
    assert _snapshot() == snapshot


@pytest.mark.django_db
def test_position_category_is_derived_although_save_is_never_called():
    generate("S", today=TODAY, history=False)
    for position, category in StaffMember.objects.values_list("position", "position_category").distinct():
        assert category == position_category_of(position)
    assert StaffMember.objects.filter(position_category="deputy").exists()
    assert StaffMember.objects.filter(position_category="educator").exists()


@pytest.mark.django_db
def test_history_is_written_in_bulk_unless_skipped():
    generate("S", today=TODAY)
    assert StaffMember.history.count() == 300
    assert RoadmapActivity.history.filter(history_change_reason="generate_data").count() == 3000


@pytest.mark.django_db
def test_accounts_log_in_with_the_bench_password(client):
    generate("S", today=TODAY, history=False)
    deputy = Membership.objects.filter(role="deputy").select_related("user").first().user
    assert client.login(username=deputy.username, password=BENCH_PASSWORD)
    assert Membership.objects.filter(role="municipal_methodist").count() == 1


@pytest.mark.django_db
def test_refuses_a_second_copy_and_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=false"):
        call_command("generate_data", size="S")
    settings.DEBUG = True
    call_command("generate_data", size="S", skip_history=True)
    with pytest.raises(CommandError, match="уже сгенерированы"):
        call_command("generate_data", size="S")
