import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone

from core.forms import BootstrapWidgetsMixin
from schools.models import Municipality, Organisation, StaffMember
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


class MentorForm(forms.Form):
    mentor = forms.ModelChoiceField(
        label="Наставник", queryset=StaffMember.objects.none(), required=False,
        empty_label="— без наставника —",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = candidates


class StaffFilterForm(BootstrapWidgetsMixin, forms.Form):
    q = forms.CharField(label="Поиск по ФИО", required=False)
    category = forms.ChoiceField(
        label="Должность", required=False,
        choices=[("", "Все должности"), *StaffMember._meta.get_field("position_category").choices],
    )
    status = forms.ChoiceField(label="Статус", required=False, choices=[("", "Все статусы"), *StaffMember.Status.choices])
    qualification = forms.ChoiceField(
        label="Категория", required=False, choices=[("", "Все категории"), *StaffMember.Category.choices]
    )

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data["q"]:
            for word in data["q"].split()[:3]:
                qs = qs.filter(
                    Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(middle_name__icontains=word)
                )
        if data["category"]:
            qs = qs.filter(position_category=data["category"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["qualification"]:
            qs = qs.filter(qualification_category=data["qualification"])
        return qs


class OrganisationFilterForm(BootstrapWidgetsMixin, forms.Form):
    q = forms.CharField(label="Поиск по названию", required=False)
    municipality = forms.ModelChoiceField(label="Муниципалитет", required=False, queryset=Municipality.objects.none(),
                                          empty_label="Все муниципалитеты")
    kind = forms.ChoiceField(label="Тип", required=False, choices=[("", "Все типы"), *Organisation.Kind.choices])

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["municipality"].queryset = Municipality.objects.filter(
                pk__in=organisations.values("municipality")).order_by("name")

    def filter(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        for word in data["q"].split()[:3]:
            qs = qs.filter(Q(short_name__icontains=word) | Q(name__icontains=word))
        if data["municipality"]:
            qs = qs.filter(municipality=data["municipality"])
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        return qs
