"""schools.choosers: a scope of several municipalities chooses the municipality first and is offered
that municipality's organisations only; a scope of one municipality is offered everything, unasked."""

import pytest
from django import forms
from django.template import Context, Template

from core.ids import MAX_ID
from schools.choosers import choose_municipality, limit_organisation_choices, municipalities_of
from schools.models import Municipality, Organisation
from tests.world import World

pytestmark = pytest.mark.django_db

HUGE = str(MAX_ID + 1)


@pytest.fixture
def w():
    return World()


class ScopeForm(forms.Form):
    municipality = forms.ModelChoiceField(queryset=None, required=False, empty_label="Все")
    organisation = forms.ModelChoiceField(queryset=None, required=False, empty_label="Все")

    def __init__(self, *args, organisations, all_label="Все", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_of(organisations)
        self.fields["municipality"].empty_label = all_label
        self.fields["organisation"].queryset = organisations.order_by("short_name")
        self.wide = limit_organisation_choices(self)


def offered(form):
    return [label for value, label in form.fields["organisation"].widget.choices if value]


def region(w):
    return Organisation.objects.filter(municipality__region=w.region)


def test_a_wide_scope_lists_no_organisation_until_a_municipality_is_chosen(w):
    form = ScopeForm(organisations=region(w))
    assert form.wide and offered(form) == []
    assert form.fields["organisation"].help_text == "Сначала выберите муниципалитет."
    chosen = ScopeForm({"municipality": w.other_municipality.pk}, organisations=region(w))
    assert offered(chosen) == ["Школа B1"] and not chosen.fields["organisation"].help_text


def test_the_municipality_the_page_opens_with_or_the_first_one_shown_is_the_choice(w):
    opened = ScopeForm(initial={"municipality": w.other_municipality.pk}, organisations=region(w))
    assert offered(opened) == ["Школа B1"]
    first_shown = ScopeForm(organisations=region(w), all_label=None)  # no "all": the select shows A first
    assert offered(first_shown) == ["Школа A1", "Школа A2"]


def test_any_organisation_of_the_scope_is_still_accepted(w):
    form = ScopeForm({"organisation": w.other_school.pk}, organisations=region(w))
    assert offered(form) == [] and form.is_valid() and form.cleaned_data["organisation"] == w.other_school
    outside = ScopeForm({"organisation": w.far_school.pk}, organisations=region(w))
    assert not outside.is_valid()


@pytest.mark.parametrize("value", ["²", HUGE, "abc"])
def test_a_municipality_that_is_no_id_lists_nothing_and_says_choose(w, value):
    form = ScopeForm({"municipality": value}, organisations=region(w))
    assert offered(form) == [] and "municipality" in form.errors
    assert form.fields["organisation"].help_text


def test_a_scope_of_one_municipality_is_offered_all_its_organisations_without_a_choice(w):
    form = ScopeForm(organisations=Organisation.objects.filter(municipality=w.municipality))
    assert not form.wide and offered(form) == ["Школа A1", "Школа A2"]
    assert not form.fields["organisation"].help_text


def test_the_choice_costs_the_same_queries_before_and_after(w, django_assert_num_queries):
    # the municipalities (two are enough to know) and the organisations offered, chosen or not
    with django_assert_num_queries(2):
        ScopeForm(organisations=region(w))
    with django_assert_num_queries(2):
        ScopeForm({"municipality": w.municipality.pk}, organisations=region(w))


def render(choice) -> str:
    return Template('{% include "schools/_municipality_chooser.html" %}').render(
        Context({"municipality_choice": choice}))


def test_a_page_of_a_wide_scope_offers_nothing_before_the_choice_and_shows_the_chooser(w):
    choice = choose_municipality(municipalities_of(region(w)), None)
    assert choice.wide and choice.chosen is None and choice.offered == []
    assert [m.name for m in choice.municipalities] == ["Муниципалитет A", "Муниципалитет B"]
    assert not choice.organisations_of(region(w)).exists()
    html = render(choice)
    assert 'method="get"' in html and "data-autosubmit" in html and 'name="municipality"' in html
    assert 'id="chooser-municipality"' in html and "Выберите муниципалитет" in html
    assert "form-select-sm" in html and 'class="form-label small' in html


def test_the_chosen_municipality_narrows_what_the_page_offers(w):
    choice = choose_municipality(municipalities_of(region(w)), str(w.other_municipality.pk))
    assert choice.chosen == w.other_municipality and choice.offered == [w.other_municipality]
    assert [o.short_name for o in choice.organisations_of(region(w))] == ["Школа B1"]
    html = render(choice)
    assert f'<option value="{w.other_municipality.pk}" selected>' in html and "Выберите муниципалитет" not in html


@pytest.mark.parametrize("value", ["²", HUGE, "-1"])
def test_a_value_that_is_no_municipality_of_the_scope_chooses_none(w, value):
    choice = choose_municipality(municipalities_of(region(w)), value)
    assert choice.chosen is None and not choice.organisations_of(region(w)).exists()
    assert "invalid-feedback" in render(choice)


def test_a_municipality_outside_the_scope_is_not_chosen(w):
    choice = choose_municipality(municipalities_of(region(w)), str(w.far_municipality.pk))
    assert choice.chosen is None and choice.offered == []


def test_a_scope_of_one_municipality_has_nothing_to_choose(w):
    organisations = Organisation.objects.filter(municipality=w.municipality)
    choice = choose_municipality(municipalities_of(organisations), None)
    assert not choice.wide and choice.chosen == w.municipality and choice.offered == [w.municipality]
    assert choice.organisations_of(organisations) is organisations
    assert render(choice).strip() == ""


def test_no_municipality_at_all_offers_nothing(w):
    choice = choose_municipality(Municipality.objects.none(), "1")
    assert not choice.wide and choice.chosen is None and choice.offered == []
