"""Forms of mentoring: a new pair and its end."""

from django import forms
from django.utils import timezone

from core import words
from methodics.forms import DateInput, grid_helper
from methodics.mentoring.selectors import mentor_candidates
from methodics.models import MentoringPair


def mentor_label(person) -> str:
    """A candidate in the mentor picker: name, experience, category and the mentees they have now."""
    years = person.experience_years
    experience = ("стаж не указан" if years is None else "стаж меньше года" if years == 0
                  else f"стаж {words.count(years, 'год', 'года', 'лет')}")
    category = person.get_qualification_category_display()
    if person.qualification_category in (person.Category.FIRST, person.Category.HIGHEST):
        category = f"{category} категория"
    mentees = getattr(person, "current_mentees", 0)
    busy = f"наставляемых сейчас: {mentees}" if mentees else "наставляемых сейчас нет"
    return f"{person.full_name} — {experience}, {category}, {busy}"


class PairForm(forms.ModelForm):
    class Meta:
        model = MentoringPair
        fields = ["mentee", "mentor", "reason", "starts_on", "note"]
        widgets = {"starts_on": DateInput()}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = staff
        self.fields["mentor"].queryset = mentor_candidates(staff)
        self.fields["mentor"].label_from_instance = mentor_label
        self.fields["mentor"].help_text = "У каждого кандидата: педагогический стаж, квалификационная категория и сколько у него наставляемых сейчас."
        self.fields["starts_on"].initial = timezone.localdate()
        self.helper = grid_helper(self, cell="col-md-6")

    @property
    def mentor_rows(self) -> list:
        """The candidates beside the picker, each with what its label says (mentor_label), in columns."""
        return list(self.fields["mentor"].queryset)

    def clean(self):
        data = super().clean()
        if data.get("mentee") and data.get("mentee") == data.get("mentor"):
            self.add_error("mentor", "Сотрудник не может быть наставником самому себе.")
        return data


class PairEndForm(forms.Form):
    ends_on = forms.DateField(label="Дата окончания", widget=DateInput(), initial=timezone.localdate)
    end_note = forms.CharField(label="Итог наставничества", required=False, max_length=500)
