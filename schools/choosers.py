"""Choose the municipality first: a scope of several municipalities (a regional methodist, an
administrator) never gets a region's thousands of organisations in one <select>.

One rule in two shapes:

- a form that holds both a municipality and an organisation field (a filter bar, a report order):
  `limit_organisation_choices(form)` lists in the organisation <select> only the organisations of
  the municipality chosen in the form;
- a page whose form offers organisations (or what belongs to them) and has no municipality field of
  its own: `choose_municipality(municipalities_of(organisations), request.GET.get("municipality"))`
  reads the page's ?municipality=, `choice.organisations_of(organisations)` narrows the offer, and
  the page includes `schools/_municipality_chooser.html` above its form.

A scope of one municipality offers everything and no choice. Before a choice the organisations
are still asked from the database (none match), so a page costs the same queries at any size.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django import forms
from django.db.models import QuerySet

from core.filters import filter_bar_helper
from core.forms import bootstrap_widgets
from core.ids import parse_id
from schools.models import Municipality, Organisation

CHOOSE_FIRST = "Выберите муниципалитет: форма предложит его организации."


def municipalities_of(organisations: QuerySet[Organisation]) -> QuerySet[Municipality]:
    """The municipalities of `organisations`, by name: what a scope of organisations chooses among."""
    return Municipality.objects.filter(pk__in=organisations.values("municipality")).order_by("name")


def limit_organisation_choices(form: forms.Form, field_name: str = "organisation",
                               municipality_field: str = "municipality", *,
                               help_text: str = "Сначала выберите муниципалитет.") -> bool:
    """A scope of several municipalities lists in the organisation <select> only the organisations of
    the municipality chosen in the form's data (none until one is chosen, and then the field says
    `help_text`). Validation still accepts any organisation of the field's queryset: a link to one
    school's page needs no municipality. Returns whether the scope is wide (the choice limited),
    so a form of a one-municipality scope may drop its municipality field."""
    municipality = form.fields[municipality_field]
    municipalities = list(municipality.queryset.values_list("pk", flat=True)[:2])
    if len(municipalities) <= 1:
        return False
    organisation = form.fields[field_name]
    if form.is_bound:
        chosen = parse_id(form.data.get(municipality_field))
    else:  # the municipality the page was opened with, or the one a select without "all" shows first
        chosen = parse_id(form.initial.get(municipality_field))
        if chosen is None and municipality.empty_label is None:
            chosen = municipalities[0]
    # municipality_id=None (no municipality chosen) still asks the database, so the page costs the
    # same number of queries whatever the scope.
    limited = organisation.queryset.filter(municipality_id=chosen)
    head = [] if organisation.empty_label is None else [("", organisation.empty_label)]
    organisation.widget.choices = head + [(o.pk, organisation.label_from_instance(o)) for o in limited]
    if chosen is None:
        organisation.help_text = help_text
    return True


class MunicipalityChoiceForm(forms.Form):
    """The chooser of schools/_municipality_chooser.html: a GET form of one field, laid out as a filter bar."""

    municipality = forms.TypedChoiceField(label="Муниципалитет", coerce=int, required=False, empty_value=None)

    def __init__(self, data, *, municipalities: list[Municipality], help_text: str = ""):
        # ids of their own: the page's form below may have a municipality field too
        super().__init__(data, auto_id="chooser-%s")
        field = self.fields["municipality"]
        field.choices = [("", "— выберите —"), *((m.pk, m.name) for m in municipalities)]
        field.help_text = help_text
        bootstrap_widgets(self, small=True)
        self.helper = filter_bar_helper(self, "col-sm-6 col-md-4")


@dataclass
class MunicipalityChoice:
    """What the page's ?municipality= chose.

    `municipalities`: those to choose among, empty when there is no choice to make (a scope of one
    municipality, or none); `chosen`: the municipality whose things the page offers (the only one of
    a one-municipality scope), None before a choice; `form`: the chooser, for the template."""

    municipalities: list[Municipality]
    chosen: Municipality | None
    form: MunicipalityChoiceForm | None = dataclass_field(default=None, repr=False)

    @property
    def wide(self) -> bool:
        return bool(self.municipalities)

    @property
    def offered(self) -> list[Municipality]:
        """The municipalities a form may offer now: the chosen one, or none before the choice."""
        return [self.chosen] if self.chosen else []

    def organisations_of(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """`organisations` narrowed to the chosen municipality's (none before a choice) in a wide scope."""
        if not self.wide:
            return organisations
        return organisations.filter(municipality_id=self.chosen.pk if self.chosen else None)


def choose_municipality(municipalities: Iterable[Municipality], value, *,
                        help_text: str = CHOOSE_FIRST) -> MunicipalityChoice:
    """The choice `value` (the page's ?municipality=, text or None) makes among `municipalities`
    (a list or a queryset, asked once). A value that is no municipality of them chooses nothing,
    and the chooser says so."""
    municipalities = list(municipalities)
    if len(municipalities) <= 1:
        return MunicipalityChoice(municipalities=[], chosen=municipalities[0] if municipalities else None)
    wanted = parse_id(value)
    chosen = next((m for m in municipalities if m.pk == wanted), None)
    # bound to what was chosen, so a value that chose nothing is the chooser's error
    form = MunicipalityChoiceForm({"municipality": str(chosen.pk) if chosen else (value or "")},
                                  municipalities=municipalities, help_text="" if chosen else help_text)
    return MunicipalityChoice(municipalities=municipalities, chosen=chosen, form=form)
