"""The staff card shows the person's mentoring pairs (as mentor and as mentee, active and ended) and adds and ends
them through the pages and services of «Наставничество», returning to the card."""

import datetime as dt

import pytest
from django.urls import reverse

from methodics.models import MentoringPair
from tests.factories import StaffFactory
from tests.methodics.factories import PairFactory
from tests.world import World

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


@pytest.fixture
def w():
    return World()


def card(client, person) -> str:
    response = client.get(reverse("staff_detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_card_lists_pairs_as_mentee_and_as_mentor_active_and_ended(w, client):
    senior = StaffFactory(organisation=w.school, last_name="Старшова")
    junior = StaffFactory(organisation=w.school, last_name="Младшова")
    PairFactory(mentee=w.colleague, mentor=senior, starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 5, 31),
                end_note="Адаптация пройдена")
    open_pair = PairFactory(mentee=w.colleague, mentor=w.teacher_staff, starts_on=dt.date(2025, 9, 1))
    PairFactory(mentee=junior, mentor=w.colleague, starts_on=dt.date(2025, 10, 1))
    client.force_login(w.user("deputy"))
    page = card(client, w.colleague)
    mentors, mentees = page.split('<h3 class="h6">Наставники сотрудника')[1].split('<h3 class="h6">Наставляемые')
    assert "Старшова" in mentors and "по 31.05.2025" in mentors and "Адаптация пройдена" in mentors
    assert w.teacher_staff.last_name in mentors and "действует" in mentors
    assert "Младшова" in mentees
    assert f"{reverse('methodics:pair_end', args=[open_pair.pk])}?card={w.colleague.pk}" in page
    assert "Назначить наставника" not in page  # an open pair already: end it first
    assert f"?mentor={w.colleague.pk}&amp;card={w.colleague.pk}" in page


def test_a_teacher_sees_their_own_mentor_without_the_actions(w, client):
    PairFactory(mentee=w.teacher_staff, mentor=w.colleague)
    client.force_login(w.user("teacher"))
    page = card(client, w.teacher_staff)
    assert w.colleague.full_name in page
    assert "Завершить" not in page and "Назначить наставника" not in page


def test_a_pair_added_from_the_card_goes_through_the_pair_service_and_back_to_the_card(w, client):
    client.force_login(w.user("deputy"))
    page = card(client, w.colleague)
    assert f"?mentee={w.colleague.pk}&amp;card={w.colleague.pk}" in page
    url = f"{reverse('methodics:pair_create', args=[w.school.pk])}?mentee={w.colleague.pk}&card={w.colleague.pk}"
    form = client.get(url)
    assert form.context["form"]["mentee"].value() == w.colleague.pk
    response = client.post(url, {"mentee": w.colleague.pk, "mentor": w.teacher_staff.pk, "reason": "deficits",
                                 "starts_on": TODAY.isoformat()})
    assert response.status_code == 302 and response.url == reverse("staff_detail", args=[w.colleague.pk])
    assert MentoringPair.objects.get().mentor == w.teacher_staff


def test_a_young_mentor_chosen_on_the_card_is_refused_with_the_reason(w, client):
    young = StaffFactory(organisation=w.school, birth_date=TODAY.replace(year=TODAY.year - 24), experience_years=0)
    client.force_login(w.user("deputy"))
    url = f"{reverse('methodics:pair_create', args=[w.school.pk])}?mentor={young.pk}&card={young.pk}"
    response = client.post(url, {"mentee": w.colleague.pk, "mentor": young.pk, "reason": "new_position",
                                 "starts_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "молодой специалист" in response.content.decode() and not MentoringPair.objects.exists()


def test_a_pair_ended_from_the_card_returns_to_the_card(w, client):
    pair = PairFactory(mentee=w.colleague, mentor=w.teacher_staff)
    client.force_login(w.user("deputy"))
    url = f"{reverse('methodics:pair_end', args=[pair.pk])}?card={w.teacher_staff.pk}"
    response = client.post(url, {"ends_on": TODAY.isoformat(), "end_note": "Итог"})
    assert response.status_code == 302 and response.url == reverse("staff_detail", args=[w.teacher_staff.pk])
    pair.refresh_from_db()
    assert pair.ends_on == TODAY


def test_a_card_that_is_not_one_of_the_pair_returns_to_the_mentoring_page(w, client):
    pair = PairFactory(mentee=w.colleague, mentor=w.teacher_staff)
    client.force_login(w.user("deputy"))
    url = f"{reverse('methodics:pair_end', args=[pair.pk])}?card={w.sibling_staff.pk}"
    response = client.post(url, {"ends_on": TODAY.isoformat()})
    assert response.url == f"{reverse('methodics:mentoring')}?organisation={w.school.pk}"


def test_the_staff_list_names_the_mentor_of_the_open_pair(w, client):
    PairFactory(mentee=w.colleague, mentor=w.teacher_staff)
    PairFactory(mentee=w.deputy_staff, mentor=w.colleague, starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 1, 1))
    client.force_login(w.user("deputy"))
    page = client.get(reverse("organisation_detail", args=[w.school.pk]))
    mentors = {s.pk: s.current_mentor for s in page.context["page"]}
    assert mentors[w.colleague.pk] == w.teacher_staff and mentors[w.deputy_staff.pk] is None


def test_the_school_allows_young_mentors_on_the_mentoring_page(w, client):
    client.force_login(w.user("deputy"))
    page = client.get(reverse("methodics:mentoring")).content.decode()
    assert "Разрешить молодым специалистам быть наставниками" in page
    client.post(reverse("methodics:young_mentors", args=[w.school.pk]), {"allowed": "on"})
    w.school.refresh_from_db()
    assert w.school.young_mentors_allowed is True
    client.post(reverse("methodics:young_mentors", args=[w.school.pk]), {})
    w.school.refresh_from_db()
    assert w.school.young_mentors_allowed is False
    assert client.post(reverse("methodics:young_mentors", args=[w.sibling_school.pk]), {}).status_code == 404
