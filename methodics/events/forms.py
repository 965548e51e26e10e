"""Forms of events and attendance: the event, the attendance file, and the roadmap activity a
teacher's attendance confirms."""

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.dates import format_date
from diagnostics.models import Competency
from methodics.forms import DateInput, grid_helper
from methodics.models import Event


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
        self.helper = grid_helper(self, cell="col-md-6 col-lg-4", wide=("title", "description", "competencies"))

    def clean_held_on(self):
        value = self.cleaned_data["held_on"]
        if not dt.date(2000, 1, 1) <= value <= timezone.localdate() + dt.timedelta(days=2 * 366):
            raise forms.ValidationError("Проверьте дату проведения.")
        return value


class AttendanceImportForm(forms.Form):
    file = forms.FileField(label="Файл .xlsx или .csv", help_text="Колонки: ОО, Фамилия, Имя, Отчество.")


def _activity_label(activity) -> str:
    """A roadmap activity as a choice: its title, where it sits in the route, and whether the event's kind suits it."""
    suits = mark_safe('<span class="badge text-bg-info">подходит по виду</span>') if activity.suits else ""
    return format_html(
        '{}<span class="d-block small text-body-secondary">{} · {} · срок {} · ИОМ {}</span>{}',
        activity.title, activity.group.name, activity.kind.name, format_date(activity.deadline),
        activity.route.academic_year, suits,
    )


class LinkForm(forms.Form):
    activity = forms.ChoiceField(label="Невыполненные мероприятия ИОМ, который реализуется", widget=forms.RadioSelect)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.activities = {str(a.pk): a for a in activities}
        self.fields["activity"].choices = [(str(a.pk), _activity_label(a)) for a in activities]
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Field("activity", wrapper_class="choice-list"))

    def clean_activity(self):
        return self.activities[self.cleaned_data["activity"]]
