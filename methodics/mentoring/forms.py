"""Forms of mentoring: a new pair and its end."""

from django import forms
from django.utils import timezone

from methodics.forms import DateInput, grid_helper
from methodics.models import MentoringPair


class PairForm(forms.ModelForm):
    class Meta:
        model = MentoringPair
        fields = ["mentee", "mentor", "reason", "starts_on", "note"]
        widgets = {"starts_on": DateInput()}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = staff
        self.fields["mentor"].queryset = staff
        self.fields["starts_on"].initial = timezone.localdate()
        self.helper = grid_helper(self, cell="col-md-6")

    def clean(self):
        data = super().clean()
        if data.get("mentee") and data.get("mentee") == data.get("mentor"):
            self.add_error("mentor", "Сотрудник не может быть наставником самому себе.")
        return data


class PairEndForm(forms.Form):
    ends_on = forms.DateField(label="Дата окончания", widget=DateInput(), initial=timezone.localdate)
    end_note = forms.CharField(label="Итог наставничества", required=False, max_length=500)
