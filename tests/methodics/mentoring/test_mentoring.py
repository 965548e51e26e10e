import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from core.errors import DomainError
from methodics.mentoring import selectors, services
from methodics.models import MentoringPair
from methodics.services import MethodicsError
from schools.models import StaffMember
from tests.factories import StaffFactory
from tests.methodics.factories import PairFactory
from tests.world import World

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def w():
    return World()


def young_person(w, **fields):
    """A young specialist by the rule: 25 years old, one year of experience."""
    return StaffFactory(organisation=w.school, birth_date=TODAY.replace(year=TODAY.year - 25),
                        experience_years=1, **fields)


def test_a_pair_is_the_record_of_mentoring_from_its_start_to_its_end(w):
    young = young_person(w)
    pair = services.pair_start(actor=w.user("deputy"), mentee=young, mentor=w.colleague,
                               reason=MentoringPair.Reason.YOUNG_SPECIALIST, starts_on=TODAY)
    assert pair.organisation == w.school and pair.is_active
    assert list(selectors.pairs_of(young)) == list(selectors.pairs_of(w.colleague)) == [pair]

    services.pair_end(actor=w.user("deputy"), pair=pair, ends_on=TODAY, end_note="Адаптация пройдена")
    pair.refresh_from_db()
    assert pair.ends_on == TODAY and pair.end_note == "Адаптация пройдена"
    assert list(selectors.pairs_of(young)) == [pair]  # an ended pair stays in the person's history


def test_a_young_specialist_may_mentor_only_where_the_school_allows_it(w):
    mentee = StaffFactory(organisation=w.school)
    young_mentor = young_person(w)
    with pytest.raises(MethodicsError, match="молодой специалист .* не может быть наставником"):
        services.pair_start(actor=w.user("deputy"), mentee=mentee, mentor=young_mentor,
                            reason=MentoringPair.Reason.NEW_POSITION, starts_on=TODAY)
    assert not MentoringPair.objects.exists()
    services.young_mentors_allow(actor=w.user("deputy"), organisation=w.school, allowed=True)
    pair = services.pair_start(actor=w.user("deputy"), mentee=mentee, mentor=young_mentor,
                               reason=MentoringPair.Reason.NEW_POSITION, starts_on=TODAY)
    assert pair.mentor == young_mentor


def test_only_the_schools_deputy_decides_on_young_mentors(w):
    for role in ("teacher", "director", "municipal_methodist"):
        with pytest.raises(PermissionDenied):
            services.young_mentors_allow(actor=w.user(role), organisation=w.school, allowed=True)
    with pytest.raises(PermissionDenied):
        services.young_mentors_allow(actor=w.user("deputy"), organisation=w.sibling_school, allowed=True)
    w.school.refresh_from_db()
    assert w.school.young_mentors_allowed is False


@pytest.mark.parametrize(("status", "message"), [
    (StaffMember.Status.DISMISSED, "уволен"),
    (StaffMember.Status.MATERNITY, "сейчас не работает"),
])
def test_a_mentor_who_does_not_work_is_refused(w, status, message):
    mentor = StaffFactory(organisation=w.school, status=status, dismissed_on=TODAY if status == "dismissed" else None)
    with pytest.raises(MethodicsError, match=message):
        services.pair_start(actor=w.user("deputy"), mentee=w.colleague, mentor=mentor,
                            reason=MentoringPair.Reason.DEFICITS, starts_on=TODAY)
    assert not MentoringPair.objects.exists()


def test_a_second_open_pair_for_the_same_mentee_is_refused(w):
    young = StaffFactory(organisation=w.school)
    services.pair_start(actor=w.user("deputy"), mentee=young, mentor=w.colleague,
                        reason=MentoringPair.Reason.DEFICITS, starts_on=TODAY)
    with pytest.raises(MethodicsError, match="уже есть действующая пара"):
        services.pair_start(actor=w.user("deputy"), mentee=young, mentor=w.teacher_staff,
                            reason=MentoringPair.Reason.DEFICITS, starts_on=TODAY)
    assert MentoringPair.objects.count() == 1


def test_a_mentor_from_another_school_or_oneself_is_refused_and_nothing_is_written(w):
    young = StaffFactory(organisation=w.school)
    with pytest.raises(DomainError, match="той же организации"):
        services.pair_start(actor=w.user("deputy"), mentee=young, mentor=w.sibling_staff,
                            reason=MentoringPair.Reason.DEFICITS, starts_on=TODAY)
    with pytest.raises(DomainError, match="самому себе"):
        services.pair_start(actor=w.user("deputy"), mentee=young, mentor=young,
                            reason=MentoringPair.Reason.DEFICITS, starts_on=TODAY)
    assert not MentoringPair.objects.exists()


def test_only_the_deputy_of_the_school_manages_pairs(w):
    young = StaffFactory(organisation=w.sibling_school)
    mentor = StaffFactory(organisation=w.sibling_school)
    for role in ("deputy", "municipal_methodist", "director"):
        with pytest.raises(PermissionDenied):
            services.pair_start(actor=w.user(role), mentee=young, mentor=mentor,
                                reason=MentoringPair.Reason.DEFICITS, starts_on=TODAY)


def test_an_end_before_the_start_is_refused(w):
    pair = PairFactory(mentee=w.colleague, mentor=w.teacher_staff)
    with pytest.raises(Exception, match="раньше начала"):
        services.pair_end(actor=w.user("deputy"), pair=pair, ends_on=pair.starts_on - dt.timedelta(days=1))


def test_pairs_active_on_a_day_for_the_indicators(w):
    old = PairFactory(mentee=w.colleague, mentor=w.teacher_staff, starts_on=dt.date(2024, 9, 1),
                      ends_on=dt.date(2025, 5, 31))
    current = PairFactory(mentee=w.sibling_staff, starts_on=dt.date(2025, 9, 1))
    assert set(selectors.pairs_active_on(dt.date(2025, 3, 1))) == {old}
    assert set(selectors.pairs_active_on(dt.date(2025, 10, 1))) == {current}


def test_the_mentoring_page_flags_young_specialists_without_a_mentor(w, client):
    young = young_person(w, last_name="Молодцова")
    client.force_login(w.user("deputy"))
    page = client.get(reverse("methodics:mentoring")).content.decode()
    assert "Молодцова" in page and "без наставника" in page
    response = client.post(reverse("methodics:pair_create", args=[w.school.pk]), {
        "mentee": young.pk, "mentor": w.colleague.pk, "reason": "young_specialist", "starts_on": TODAY.isoformat(),
    })
    assert response.status_code == 302
    page = client.get(reverse("methodics:mentoring")).content.decode()
    assert "действует" in page and "без наставника" not in page


def test_the_methodist_sees_the_pairs_of_the_municipality_not_another(w, client):
    PairFactory(mentee=w.sibling_staff, note="A2")
    PairFactory(mentee=w.other_staff, note="B1")
    assert [p.note for p in selectors.pair_list_for(w.user("municipal_methodist"))] == ["A2"]
    assert list(selectors.pair_list_for(w.user("deputy"))) == []


def test_a_region_chooses_the_municipality_before_the_organisation(client):
    from django.urls import reverse

    from tests.world import World

    w = World()
    client.force_login(w.user("regional_methodist"))
    url = reverse("methodics:mentoring")
    first = client.get(url)
    assert [m.name for m in first.context["municipalities"]] == ["Муниципалитет A", "Муниципалитет B"]
    assert first.context["organisations"] == []
    chosen = client.get(url, {"municipality": w.municipality.pk})
    assert [o.short_name for o in chosen.context["organisations"]] == ["Школа A1", "Школа A2"]
    school = client.get(url, {"municipality": w.municipality.pk, "organisation": w.school.pk})
    assert school.context["selected"] == w.school and school.context["young"] is not None
    moved = client.get(url, {"municipality": w.other_municipality.pk, "organisation": w.school.pk})
    assert moved.context["selected"] is None
    assert [o.short_name for o in moved.context["organisations"]] == ["Школа B1"]
