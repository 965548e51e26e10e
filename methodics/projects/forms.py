"""Forms of municipal projects: the project and a participant's step recorded by the methodist."""

from crispy_forms.helper import FormHelper
from django import forms

from methodics.forms import DateInput, grid_helper
from methodics.models import Event, ParticipantStep, Project, ProjectReportText, Step


class ProjectForm(forms.ModelForm):
    municipality = forms.ChoiceField(label="Муниципалитет")

    class Meta:
        model = Project
        fields = ["title", "goal", "starts_on", "ends_on", "organisations", "events"]
        widgets = {
            "starts_on": DateInput(), "ends_on": DateInput(), "goal": forms.Textarea(attrs={"rows": 3}),
            "organisations": forms.SelectMultiple(attrs={"size": 8}),
            "events": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "organisations": "Удерживайте Ctrl, чтобы выбрать несколько.",
            "events": "Мероприятия муниципалитета в сроки проекта.",
        }

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = list(municipalities)
        self.municipalities = {str(m.pk): m for m in municipalities}
        if self.instance.pk:
            del self.fields["municipality"]
            ids = [self.instance.municipality_id]
        else:
            self.fields["municipality"].choices = [(str(m.pk), m.name) for m in municipalities]
            ids = [m.pk for m in municipalities]
        # No municipality offered yet (a wide scope before its choice): still one query each, which
        # finds nothing, so the page costs the same queries whatever the scope.
        where = {"municipality_id__in": ids} if ids else {"municipality__isnull": True}
        self.fields["organisations"].queryset = self.fields["organisations"].queryset.filter(
            **where
        ).select_related("municipality")
        self.fields["organisations"].required = False
        self.fields["events"].queryset = Event.objects.filter(**where).select_related(
            "organisation", "municipality"
        )
        self.fields["events"].required = False
        self.helper = grid_helper(self, cell="col-md-6", wide=("title", "goal"))

    def clean_municipality(self):
        return self.municipalities[self.cleaned_data["municipality"]]

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Окончание раньше начала.")
        return data


class StepForm(forms.ModelForm):
    class Meta:
        model = ParticipantStep
        fields = ["step", "done_on", "place", "note"]
        widgets = {"done_on": DateInput()}

    def __init__(self, *args, steps: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if steps is not None:
            self.fields["step"].choices = [(s, Step(s).label) for s in steps]
        self.helper = grid_helper(self, cell="col-md-6 col-lg-3")




class ProjectTextForm(forms.Form):
    """The narrative sections of the project's report; prefilled with the saved texts or the defaults."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        from methodics.projects.texts import HELP, LABELS

        super().__init__(*args, **kwargs)
        for name in ProjectReportText.SECTIONS:
            widget = forms.TextInput() if name == "signature" else forms.Textarea(attrs={"rows": 6 if name == "stages" else 4})
            self.fields[name] = forms.CharField(label=LABELS[name], required=False, help_text=HELP.get(name, ""),
                                                widget=widget, max_length=300 if name == "signature" else 20000)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has its token
        self.helper.label_class = "fw-semibold"
