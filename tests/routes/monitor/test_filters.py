"""The implementation monitor's filters (routes.monitor.filters.MonitorFilter): the query parameters
municipality, organisation and year, the newest year by default, the municipality first where the
scope has several, pages of 50; a row is a staff member, their route of the year or «Нет ИОМ»."""

import pytest
from django.urls import reverse

from routes.models import Route
from tests.factories import StaffFactory
from tests.routes.factories import RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status


@pytest.fixture
def w():
    return World()


def _route(person, year="2025-2026", status=S.IN_PROGRESS):
    return RouteFactory(person=person, academic_year=year, status=status)


def _names(response) -> set[str]:
    """The people whose row shows a route of the year."""
    return {row.person.full_name for row in response.context["rows"] if row.route}


def test_the_newest_year_is_shown_unless_the_query_names_one(w, client):
    _route(w.teacher_staff, "2025-2026")
    _route(w.colleague, "2024-2025", status=S.COMPLETED)
    _route(w.deputy_staff, "2025-2026", status=S.WITHDRAWN)  # withdrawn: the deputy's row says «Нет ИОМ»
    client.force_login(w.user("deputy"))
    url = reverse("routes:monitor")

    first = client.get(url)
    assert _names(first) == {w.teacher_staff.full_name}
    assert first.context["filters"].form["year"].value() == "2025-2026"
    assert [c[0] for c in first.context["filters"].form.fields["year"].choices] == ["", "2025-2026", "2024-2025"]
    assert _names(client.get(url, {"year": "2024-2025"})) == {w.colleague.full_name}
    assert _names(client.get(url, {"year": ""})) == {w.teacher_staff.full_name, w.colleague.full_name}
    deputy_row = next(r for r in first.context["rows"] if r.person == w.deputy_staff)
    assert deputy_row.state == "none" and deputy_row.state_label == "Нет ИОМ"
    # a year the scope has no routes of is no choice: the bar says so and narrows nothing
    wrong = client.get(url, {"year": "1999-2000"})
    assert "year" in wrong.context["filters"].errors and len(_names(wrong)) == 2


def test_the_next_page_stays_in_the_year_shown(w, client):
    for _ in range(51):
        _route(StaffFactory(organisation=w.school), "2025-2026")
    _route(w.colleague, "2024-2025", status=S.COMPLETED)
    client.force_login(w.user("deputy"))
    first = client.get(reverse("routes:monitor"))
    staff = 51 + 4  # and the four staff members of the World's school A1
    assert first.context["page"].paginator.count == staff and len(first.context["rows"]) == 50
    assert "?page=2" in first.content.decode()
    second = client.get(reverse("routes:monitor"), {"page": 2})
    assert len(second.context["rows"]) == staff - 50 and w.colleague.full_name not in _names(second)


def test_a_scope_of_one_municipality_chooses_the_organisation_at_once(w, client):
    _route(w.teacher_staff)
    _route(w.sibling_staff)
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("routes:monitor"))
    fields = response.context["filters"].form.fields
    assert "municipality" not in fields
    assert set(fields["organisation"].queryset) == {w.school, w.sibling_school}
    narrowed = client.get(reverse("routes:monitor"), {"organisation": w.sibling_school.pk})
    assert _names(narrowed) == {w.sibling_staff.full_name}


def test_a_scope_of_several_municipalities_chooses_the_municipality_first(w, client):
    _route(w.teacher_staff)
    _route(w.other_staff)
    client.force_login(w.user("regional_methodist"))
    url = reverse("routes:monitor")

    unchosen = client.get(url)
    fields = unchosen.context["filters"].form.fields
    assert set(fields["municipality"].queryset) == {w.municipality, w.other_municipality}
    assert [v for v, _ in fields["organisation"].widget.choices if v] == []  # none offered before the choice
    assert "выберите муниципалитет" in unchosen.content.decode()
    assert _names(unchosen) == {w.teacher_staff.full_name, w.other_staff.full_name}

    chosen = client.get(url, {"municipality": w.other_municipality.pk})
    offered = chosen.context["filters"].form.fields["organisation"].widget.choices
    assert [label for value, label in offered if value] == [str(w.other_school)]
    assert _names(chosen) == {w.other_staff.full_name}
    # a school of the scope is taken as it is (a link to its rows needs no municipality), and with
    # another municipality chosen both narrow, as on the registry (schools.choosers)
    school = client.get(url, {"organisation": w.school.pk})
    assert _names(school) == {w.teacher_staff.full_name}
    mixed = client.get(url, {"municipality": w.other_municipality.pk, "organisation": w.school.pk})
    assert not mixed.context["filters"].errors and _names(mixed) == set()


def test_the_bar_is_the_shared_filter_bar(w, client):
    client.force_login(w.user("regional_methodist"))
    html = client.get(reverse("routes:monitor")).content.decode()
    # municipality, organisation, year, state, overdue, progress from/to, position, mentor, sort
    assert html.count('class="col-6 col-md-3 col-xl-2') == 10
    for name in ("municipality", "organisation", "year", "state", "overdue", "progress_min", "progress_max",
                 "position", "mentor", "sort"):
        assert f'name="{name}"' in html
    assert "form-select-sm" in html
