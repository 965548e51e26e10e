"""The event list's filters (methodics.events.filters.EventFilter): ?q=&year=&kind=&organiser= narrow
the events the user may see, and the bar keeps what was chosen."""

import datetime as dt

import pytest
from django.urls import reverse

from core.dates import academic_year_bounds, current_academic_year
from methodics.events.filters import EventFilter
from methodics.events.selectors import event_list_for
from methodics.models import Event
from tests.methodics.factories import EventFactory
from tests.world import World

pytestmark = pytest.mark.django_db

THIS_YEAR = current_academic_year(dt.date.today())


@pytest.fixture
def w():
    return World()


@pytest.fixture
def events(w):
    start, _ = academic_year_bounds(THIS_YEAR)
    return {
        "seminar": EventFactory(municipality=w.municipality, title="Семинар по ИОМ", held_on=start),
        "course": EventFactory(municipality=w.municipality, title="Курсы ИОМ", kind=Event.Kind.COURSE,
                               held_on=start - dt.timedelta(days=400)),
        "shmo": EventFactory(municipality=w.municipality, organisation=w.school, title="Встреча методобъединения",
                             kind=Event.Kind.SHMO, held_on=start + dt.timedelta(days=30)),
    }


def titles(w, data) -> set[str]:
    return {e.title for e in EventFilter(data, queryset=event_list_for(w.user("municipal_methodist"))).qs}


@pytest.mark.parametrize(("data", "expected"), [
    ({}, {"Семинар по ИОМ", "Курсы ИОМ", "Встреча методобъединения"}),
    ({"q": "ИОМ"}, {"Семинар по ИОМ", "Курсы ИОМ"}),
    ({"year": THIS_YEAR}, {"Семинар по ИОМ", "Встреча методобъединения"}),
    ({"kind": Event.Kind.COURSE}, {"Курсы ИОМ"}),
    ({"organiser": "municipal"}, {"Семинар по ИОМ", "Курсы ИОМ"}),
    ({"organiser": "school"}, {"Встреча методобъединения"}),
    ({"q": "ИОМ", "year": THIS_YEAR, "organiser": "municipal"}, {"Семинар по ИОМ"}),
])
def test_each_filter_narrows_the_events_and_together_they_all_apply(w, events, data, expected):
    assert titles(w, data) == expected


def test_a_value_the_bar_does_not_offer_is_said_on_the_bar_and_narrows_nothing(w, events):
    filters = EventFilter({"year": "1990-1991", "kind": "séance"}, queryset=event_list_for(w.user("municipal_methodist")))
    assert set(filters.form.errors) == {"year", "kind"}
    assert filters.qs.count() == 3


def test_the_years_offered_follow_today_and_each_select_says_all_first(w):
    form = EventFilter({}, queryset=Event.objects.none()).form
    years = [value for value, _ in form.fields["year"].choices]
    assert years[0] == "" and THIS_YEAR in years
    assert [label for _, label in form.fields["kind"].choices][0] == "Все формы"
    assert [label for _, label in form.fields["organiser"].choices][0] == "Все организаторы"


def test_the_list_page_shows_the_bar_with_the_chosen_values_and_the_filtered_events(w, events, client):
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("methodics:event_list"), {"q": "ИОМ", "organiser": "municipal"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="q" value="ИОМ"' in html and '<option value="municipal" selected>' in html
    assert "form-select-sm" in html and html.count('class="col-sm-6 col-md-3"') == 4
    assert "Семинар по ИОМ" in html and "Курсы ИОМ" in html and "Встреча методобъединения" not in html
    assert "Найдено: 2" in html
