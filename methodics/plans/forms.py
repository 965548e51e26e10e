"""Forms of the programmes of help: a new plan, its heading, a direction and an activity."""

from django import forms
from django.utils import timezone

from core.dates import current_academic_year
from methodics.forms import DateInput, year_choices
from methodics.models import HelpActivity, Stage
from schools.models import StaffMember


class PlanCreateForm(forms.Form):
    organisation = forms.ChoiceField(label="Организация")
    academic_year = forms.ChoiceField(label="Учебный год")
    from_template = forms.BooleanField(
        label="Заполнить по типовой программе помощи (направления и мероприятия годового цикла)",
        required=False, initial=True,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [(str(o.pk), o.short_name) for o in organisations]
        self.fields["academic_year"].choices = year_choices(back=1, ahead=1)
        self.fields["academic_year"].initial = current_academic_year(timezone.localdate())

    def clean_organisation(self):
        return self.organisations[self.cleaned_data["organisation"]]


class PlanForm(forms.Form):
    title = forms.CharField(label="Название", max_length=300)
    programme_period = forms.CharField(label="Срок реализации программы", max_length=20, required=False)
    goal = forms.CharField(label="Цель", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DirectionForm(forms.Form):
    title = forms.CharField(label="Направление", max_length=500)
    aim = forms.CharField(label="Цель направления", max_length=500, required=False)


class PlanActivityForm(forms.ModelForm):
    class Meta:
        model = HelpActivity
        fields = ["direction", "stage", "title", "due_on", "timing", "responsible", "responsible_person", "note"]
        widgets = {"due_on": DateInput(), "title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"].queryset = plan.directions.all()
        self.fields["stage"].choices = Stage.choices
        self.fields["responsible_person"].queryset = StaffMember.objects.filter(
            organisation=plan.organisation, status=StaffMember.Status.WORKING
        )
