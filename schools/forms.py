import datetime as dt

from crispy_forms.layout import Column, Row
from django import forms
from django.utils import timezone

from core.forms import page_form_helper
from schools.models import Municipality, StaffMember
from schools.services import STAFF_EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StaffForm(forms.ModelForm):
    class Meta:
        model = StaffMember
        fields = STAFF_EDITABLE_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "dismissed_on": DateInput(),
            "attested_on": DateInput(),
        }
        help_texts = {
            "position": "Например: учитель математики, заместитель директора по УВР, воспитатель.",
            "email": "Если указан, сотрудника можно пригласить в портал.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # three fields a line on a wide screen, two on a tablet, one on a phone
        self.helper = page_form_helper(Row(*(Column(name, css_class="col-md-6 col-lg-4") for name in self.fields),
                                           css_class="g-2"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email and StaffMember.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Сотрудник с таким e-mail уже существует.")
        return email

    def clean(self):
        data = super().clean()
        if data.get("status") == StaffMember.Status.DISMISSED and not data.get("dismissed_on"):
            self.add_error("dismissed_on", "Укажите дату увольнения.")
        birth = data.get("birth_date")
        if birth and not (dt.date(1930, 1, 1) <= birth <= timezone.localdate() - dt.timedelta(days=365 * 16)):
            self.add_error("birth_date", "Проверьте дату рождения.")
        return data


class DismissForm(forms.Form):
    dismissed_on = forms.DateField(label="Дата увольнения", widget=DateInput(), initial=timezone.localdate)

    def clean_dismissed_on(self):
        value = self.cleaned_data["dismissed_on"]
        if value > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError("Дата увольнения слишком далеко в будущем.")
        return value


class MunicipalityLetterheadForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = Municipality.LETTERHEAD_FIELDS
        help_texts = {
            "executor_phone": "Как в строке исполнителя: (39132) 2-15-47.",
            "centre_phone": "Например: (39132) 2-15-40.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        wide = {"methodical_centre", "centre_address", "addressee_position"}
        self.helper = page_form_helper(Row(*(
            Column(name, css_class="col-12" if name in wide else "col-md-6") for name in self.fields),
            css_class="g-2"))
