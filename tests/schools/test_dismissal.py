"""Dismissal leaves nothing dangling (issue 16, item 5): what it affects is shown first; confirming
withdraws the routes «уволен» (their deficits released), ends the pairs on the date and lists the
mentees needing a new mentor on «Наставничество», all in one step; re-hiring restores nothing."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from diagnostics.models import Deficit
from methodics.mentoring.selectors import mentees_needing_mentor
from methodics.mentoring.services import MENTOR_DISMISSED
from methodics.models import MentoringPair
from routes.models import Route
from schools import services
from schools.models import Membership, StaffMember
from tests.diagnostics.factories import DeficitFactory
from tests.factories import StaffFactory, UserFactory
from tests.methodics.factories import PairFactory
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


@pytest.fixture
def deputy_client(client, w):
    client.force_login(w.user("deputy"))
    return client


@pytest.fixture
def mentor_world(w):
    """The teacher has a route in progress addressing a deficit, mentors a colleague and is mentored."""
    teacher = w.teacher_staff
    deficit = DeficitFactory(person=teacher, status=Deficit.Status.IN_WORK)
    route = RouteFactory(person=teacher, status=Route.Status.IN_PROGRESS)
    route.deficits.add(deficit)
    finished = RouteFactory(person=teacher, status=Route.Status.COMPLETED, academic_year="2023/2024",
                            starts_on=dt.date(2023, 9, 1), ends_on=dt.date(2024, 8, 31))
    mentee = w.colleague
    as_mentor = PairFactory(mentor=teacher, mentee=mentee, organisation=w.school)
    as_mentee = PairFactory(mentor=w.deputy_staff, mentee=teacher, organisation=w.school)
    return {"teacher": teacher, "deficit": deficit, "route": route, "finished": finished, "mentee": mentee,
            "as_mentor": as_mentor, "as_mentee": as_mentee}


def test_the_page_shows_what_the_dismissal_affects_before_anything_changes(deputy_client, w, mentor_world):
    response = deputy_client.get(reverse("staff_dismiss", args=[w.teacher_staff.pk]))
    text = response.content.decode()
    assert "Что изменится при увольнении" in text
    assert reverse("routes:route_detail", args=[mentor_world["route"].pk]) in text
    assert reverse("routes:route_detail", args=[mentor_world["finished"].pk]) not in text  # finished: untouched
    assert mentor_world["mentee"].short_name in text and "нужен новый наставник" in text
    mentor_world["route"].refresh_from_db()
    assert mentor_world["route"].status == Route.Status.IN_PROGRESS


def test_confirming_withdraws_the_routes_ends_the_pairs_and_lists_the_mentees(deputy_client, w, mentor_world):
    today = timezone.localdate()
    response = deputy_client.post(reverse("staff_dismiss", args=[w.teacher_staff.pk]),
                                  {"dismissed_on": today.strftime("%d.%m.%Y")})
    assert response.status_code == 302
    assert response.url == f"{reverse('methodics:mentoring')}?organisation={w.school.pk}"
    route = mentor_world["route"]
    route.refresh_from_db()
    assert route.status == Route.Status.WITHDRAWN
    assert route.transitions.get(to_status=Route.Status.WITHDRAWN).comment == "уволен"
    mentor_world["deficit"].refresh_from_db()
    assert mentor_world["deficit"].status == Deficit.Status.DETECTED  # released by the withdrawal
    mentor_world["finished"].refresh_from_db()
    assert mentor_world["finished"].status == Route.Status.COMPLETED
    for key, note in (("as_mentor", MENTOR_DISMISSED), ("as_mentee", "Наставляемый уволен")):
        pair = MentoringPair.objects.get(pk=mentor_world[key].pk)
        assert pair.ends_on == today and pair.end_note == note
    assert list(mentees_needing_mentor(w.school, today)) == [mentor_world["mentee"]]
    page = deputy_client.get(response.url).content.decode()
    assert "Нужен новый наставник" in page and mentor_world["mentee"].full_name in page


def test_a_new_pair_takes_the_mentee_off_the_list(w, mentor_world):
    services.staff_dismiss(actor=w.user("deputy"), staff=w.teacher_staff, dismissed_on=timezone.localdate())
    PairFactory(mentor=w.deputy_staff, mentee=mentor_world["mentee"], organisation=w.school,
                starts_on=timezone.localdate())
    assert list(mentees_needing_mentor(w.school)) == []


def test_a_failure_in_the_middle_leaves_nothing_changed(w, mentor_world):
    with mock.patch("methodics.mentoring.services.pairs_end_at_dismissal", side_effect=RuntimeError("boom")):
        with pytest.raises(RuntimeError):
            services.staff_dismiss(actor=w.user("deputy"), staff=w.teacher_staff, dismissed_on=timezone.localdate())
    teacher = StaffMember.objects.get(pk=w.teacher_staff.pk)
    assert teacher.status == StaffMember.Status.WORKING and teacher.user.is_active
    assert Route.objects.get(pk=mentor_world["route"].pk).status == Route.Status.IN_PROGRESS
    assert Deficit.objects.get(pk=mentor_world["deficit"].pk).status == Deficit.Status.IN_WORK
    assert MentoringPair.objects.filter(ends_on__isnull=True).count() == 2
    assert Membership.objects.filter(user=teacher.user, organisation=w.school).exists()


def test_the_staff_form_dismisses_through_the_same_service(deputy_client, w, mentor_world):
    from schools.services import STAFF_EDITABLE_FIELDS

    teacher = w.teacher_staff
    data = {key: getattr(teacher, key) for key in STAFF_EDITABLE_FIELDS}
    data.update(status=StaffMember.Status.DISMISSED, dismissed_on=timezone.localdate())
    services.staff_update(actor=w.user("deputy"), staff=teacher, data=data)
    assert Route.objects.get(pk=mentor_world["route"].pk).status == Route.Status.WITHDRAWN
    assert not MentoringPair.objects.filter(ends_on__isnull=True).exists()


def test_rehiring_restores_nothing(w, mentor_world):
    from schools.services import STAFF_EDITABLE_FIELDS

    teacher = w.teacher_staff
    services.staff_dismiss(actor=w.user("deputy"), staff=teacher, dismissed_on=timezone.localdate())
    teacher.refresh_from_db()
    data = {key: getattr(teacher, key) for key in STAFF_EDITABLE_FIELDS}
    data.update(status=StaffMember.Status.WORKING, dismissed_on=None)
    services.staff_update(actor=w.user("deputy"), staff=teacher, data=data)
    teacher.refresh_from_db()
    assert teacher.status == StaffMember.Status.WORKING
    assert Route.objects.get(pk=mentor_world["route"].pk).status == Route.Status.WITHDRAWN
    assert Deficit.objects.get(pk=mentor_world["deficit"].pk).status == Deficit.Status.DETECTED
    assert not MentoringPair.objects.filter(ends_on__isnull=True).exists()
    assert not teacher.user.is_active and not Membership.objects.filter(user=teacher.user).exists()
    assert list(mentees_needing_mentor(w.school)) == [mentor_world["mentee"]]


def test_reviews_only_the_dismissed_deputy_holds_are_listed(w):
    waiting = RouteFactory(person=w.colleague, status=Route.Status.SUBMITTED)
    effects = services.dismissal_effects(w.deputy_staff)
    assert effects.reviews == [waiting]
    second = StaffFactory(organisation=w.school, position="заместитель директора по ВР",
                          user=UserFactory())
    Membership.objects.create(user=second.user, role=Membership.Role.DEPUTY, organisation=w.school)
    assert services.dismissal_effects(w.deputy_staff).reviews == []  # another deputy reviews it too


def test_a_pair_starting_after_the_date_ends_the_day_it_starts(w):
    later = timezone.localdate() + dt.timedelta(days=5)
    pair = PairFactory(mentor=w.teacher_staff, mentee=w.colleague, organisation=w.school, starts_on=later)
    services.staff_dismiss(actor=w.user("deputy"), staff=w.teacher_staff, dismissed_on=timezone.localdate())
    pair.refresh_from_db()
    assert pair.ends_on == later
