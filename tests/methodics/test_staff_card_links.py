"""The staff card links to the person's routes, diagnostics and mentoring, only as far as the viewer may see them;
the mentor picker shows each candidate's experience, category and current mentees (issue 18, item 8)."""

import datetime as dt

import pytest
from django.urls import reverse

from core.dates import current_academic_year
from diagnostics.models import Competency, Deficit
from routes.models import Route
from schools.models import StaffMember
from tests.factories import StaffFactory
from tests.methodics.factories import PairFactory
from tests.routes.factories import RouteFactory, group
from tests.world import World

pytestmark = pytest.mark.django_db


def previous(year: str) -> str:
    start = int(year[:4]) - 1
    return f"{start}-{start + 1}"


def card(client, person) -> str:
    response = client.get(reverse("staff_detail", args=[person.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_card_links_the_routes_and_diagnostics_the_viewer_may_open(client):
    w = World()
    year = current_academic_year()
    here = RouteFactory(person=w.colleague, status=Route.Status.IN_PROGRESS)
    # the colleague's earlier route, written in the sibling school before moving: not the deputy's to see
    there = RouteFactory(person=w.colleague, organisation=w.sibling_school, academic_year=previous(year))
    competency = Competency.objects.create(group=group(), code="K1", name="Оценивание")
    Deficit.objects.create(person=w.colleague, competency=competency, detected_on=dt.date.today())

    client.force_login(w.user("deputy"))
    page = card(client, w.colleague)
    assert reverse("routes:route_detail", args=[here.pk]) in page
    assert reverse("routes:route_history", args=[here.pk]) in page
    assert reverse("routes:route_detail", args=[there.pk]) not in page
    assert client.get(reverse("routes:route_detail", args=[there.pk])).status_code == 404  # the card hid no more
    assert reverse("diagnostics:person", args=[w.colleague.pk]) in page
    assert "Диагностик пока нет; открытых дефицитов: 1." in page
    assert "Наставничество" in page  # the mentoring section stays

    client.force_login(w.user("municipal_methodist"))
    page = card(client, w.colleague)
    assert reverse("routes:route_detail", args=[here.pk]) in page
    assert reverse("routes:route_detail", args=[there.pk]) in page


def test_a_card_without_routes_says_so(client):
    w = World()
    client.force_login(w.user("director"))
    assert "ИОМ, которые вы можете открыть, у сотрудника нет." in card(client, w.colleague)


def test_the_mentor_picker_shows_experience_category_and_current_mentees(client):
    w = World()
    busy = StaffFactory(organisation=w.school, last_name="Опытнова", experience_years=21,
                        qualification_category=StaffMember.Category.HIGHEST)
    free = StaffFactory(organisation=w.school, last_name="Свободнова", experience_years=None,
                        qualification_category=StaffMember.Category.NONE)
    PairFactory(mentee=w.colleague, mentor=busy)
    PairFactory(mentee=StaffFactory(organisation=w.school), mentor=busy)
    PairFactory(mentee=StaffFactory(organisation=w.school), mentor=busy,
                starts_on=dt.date(2020, 9, 1), ends_on=dt.date(2021, 5, 31))  # ended: not counted
    client.force_login(w.user("deputy"))
    form = client.get(reverse("methodics:pair_create", args=[w.school.pk])).context["form"]
    labels = {value.instance.pk: label for value, label in form.fields["mentor"].choices if value}
    assert labels[busy.pk] == f"{busy.full_name} — стаж 21 год, высшая категория, наставляемых сейчас: 2"
    assert labels[free.pk] == f"{free.full_name} — стаж не указан, без категории, наставляемых сейчас нет"
    page = client.get(reverse("methodics:pair_create", args=[w.school.pk])).content.decode()
    assert "стаж 21 год, высшая категория, наставляемых сейчас: 2" in page
    table = page.split('id="candidates-h"')[1]
    row = table.split(busy.full_name)[1].split("</tr>")[0]
    assert "21 год" in row and "высшая" in row and '<td class="text-end">2</td>' in row
