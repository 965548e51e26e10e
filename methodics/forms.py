"""What the forms of every methodics feature share: the date widget, the academic years offered,
the person search box, and the crispy grid a feature's form is laid out in."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone

from core.dates import academic_year_bounds, current_academic_year
from core.forms import BootstrapWidgetsMixin
from diagnostics.models import Competency
from methodics.models import Event


def grid_helper(form, *, cell: str, wide: tuple[str, ...] = ()) -> FormHelper:
    """Crispy lays the fields out in one row of Bootstrap columns: each field of `wide` takes the whole
    row, the others `cell`. The page holds the <form> tag, the CSRF token and the buttons."""
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(Row(*(Column(name, css_class="col-12" if name in wide else cell) for name in form.fields),
                               css_class="g-2"))
    return helper


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def year_choices(around: str | None = None, back: int = 3, ahead: int = 1) -> list[tuple[str, str]]:
    start = int((around or current_academic_year(timezone.localdate()))[:4])
    return [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in range(start + ahead, start - back - 1, -1)]


class EventForm(forms.ModelForm):
    organiser = forms.ChoiceField(label="Организатор")

    class Meta:
        model = Event
        fields = ["kind", "level", "title", "held_on", "place", "hours", "description", "competencies"]
        widgets = {
            "held_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "competencies": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {"competencies": "Удерживайте Ctrl, чтобы выбрать несколько."}

    def __init__(self, *args, organisers: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = Competency.objects.select_related("group")
        self.fields["competencies"].required = False
        if organisers is None:
            del self.fields["organiser"]
        else:
            self.fields["organiser"].choices = organisers
            self.order_fields(["organiser"])

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if not dt.date(2000, 1, 1) <= value <= timezone.localdate() + dt.timedelta(days=2 * 366):
            raise forms.ValidationError("Проверьте дату проведения.")
        return value


class EventFilterForm(BootstrapWidgetsMixin, forms.Form):
    q = forms.CharField(label="Тема", required=False)
    year = forms.ChoiceField(label="Учебный год", required=False)
    kind = forms.ChoiceField(label="Форма", required=False, choices=[("", "Все формы"), *Event.Kind.choices])
    organiser = forms.ChoiceField(label="Организатор", required=False, choices=[
        ("", "Все организаторы"), ("municipal", "Муниципальный методический центр"), ("school", "Школы"),
    ])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Все годы"), *year_choices()]

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            qs = qs.filter(title__icontains=data["q"])
        if data["year"]:
            qs = qs.filter(held_on__range=academic_year_bounds(data["year"]))
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["organiser"] == "municipal":
            qs = qs.filter(organisation__isnull=True)
        elif data["organiser"] == "school":
            qs = qs.filter(organisation__isnull=False)
        return qs


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label="Файл .xlsx или .csv", help_text="Колонки: ОО, Фамилия, Имя, Отчество.")


class LinkForm(forms.Form):
    activity = forms.ChoiceField(label="Мероприятие дорожной карты", widget=forms.RadioSelect)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {str(a.pk): a for a in activities}
        self.fields["activity"].choices = [(str(a.pk), a.title) for a in activities]

    def clean_activity(self):
        return self.activities[self.cleaned_data["activity"]]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Найти сотрудника", required=False, max_length=100)
