from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.urls import reverse

from core.dates import current_academic_year, last_completed_academic_years
from core.ids import parse_id
from methodics.models import Project
from reports.models import MunicipalReportText, ReportJob
from schools.access import municipalities_for, organisations_for


def limit_organisation_choices(form: forms.Form, field_name: str, municipality_field: str) -> bool:
    """A scope of several municipalities lists in the organisation <select> only the organisations of
    the municipality chosen in the form's data (none until one is chosen): a region's thousands of
    organisations are never rendered at once. Validation still accepts any organisation of the scope."""
    municipality = form.fields[municipality_field]
    municipalities = list(municipality.queryset.values_list("pk", flat=True)[:2])
    if len(municipalities) <= 1:
        return False
    field = form.fields[field_name]
    if form.is_bound:
        chosen = parse_id(form.data.get(municipality_field))
    else:  # the municipality the page was opened with, or the one a select without "all" shows first
        chosen = parse_id(form.initial.get(municipality_field))
        if chosen is None and municipality.empty_label is None:
            chosen = municipalities[0]
    # municipality_id=None (no municipality chosen) still asks the database, so the page costs the
    # same number of queries whatever the scope.
    limited = field.queryset.filter(municipality_id=chosen)
    head = [] if field.empty_label is None else [("", field.empty_label)]
    field.widget.choices = head + [(o.pk, field.label_from_instance(o)) for o in limited]
    if chosen is None:
        field.help_text = "Сначала выберите муниципалитет."
    return True


def recent_years(count: int = 6) -> list[str]:
    start = int(current_academic_year()[:4])
    return [f"{y}-{y + 1}" for y in range(start, start - count, -1)]


class ReportOrderForm(forms.Form):
    kind = forms.ChoiceField(label="Отчет", choices=[c for c in ReportJob.Kind.choices if c[0] != "registry"])
    format = forms.ChoiceField(label="Формат", choices=[c for c in ReportJob.Format.choices if c[0] != "csv"])
    municipality = forms.ModelChoiceField(label="Муниципалитет", queryset=None, required=False, empty_label=None)
    organisation = forms.ModelChoiceField(label="Организация (для отчета по школе)", queryset=None, required=False,
                                          empty_label="— по муниципалитету —")
    years = forms.MultipleChoiceField(label="Учебные годы", required=False, widget=forms.CheckboxSelectMultiple)
    cohort = forms.ChoiceField(label="Год утверждения ИОМ (аудит)", required=False)
    project = forms.ModelChoiceField(label="Муниципальный проект (итоги проекта)", queryset=None, required=False,
                                     empty_label="—")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["municipality"].queryset = municipalities_for(user, "report.municipal")
        self.fields["project"].queryset = Project.objects.filter(
            municipality__in=municipalities_for(user, "report.municipal")).order_by("-starts_on", "title")
        self.fields["organisation"].queryset = organisations_for(user, "report.school").order_by("order", "short_name")
        years = recent_years()
        self.fields["years"].choices = [(y, y) for y in reversed(years)]
        self.fields["years"].initial = last_completed_academic_years(2)
        self.fields["cohort"].choices = [(y, y) for y in years]
        self.fields["cohort"].initial = last_completed_academic_years(1)[0]
        if limit_organisation_choices(self, "organisation", "municipality"):
            # choosing another municipality reloads the organisation list (htmx, the same page by GET)
            self.fields["municipality"].widget.attrs.update({
                "hx-get": reverse("reports:index"), "hx-trigger": "change", "hx-target": "#order-organisation",
                "hx-select": "#order-organisation", "hx-swap": "outerHTML",
            })
        # The template holds the <form> and its button; each field sits in a block named order-<field>
        # (the organisation's is what the htmx reload above replaces).
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has its token
        self.helper.label_class = "small fw-semibold"
        self.helper.layout = Layout(*(
            Div(InlineCheckboxes(name) if name == "years" else name, css_id=f"order-{name}") for name in self.fields))

    def clean(self):
        data = super().clean()
        if data.get("kind") == "project":
            if not data.get("project"):
                raise forms.ValidationError("Выберите муниципальный проект.")
        elif not data.get("municipality") and not data.get("organisation"):
            raise forms.ValidationError("Выберите муниципалитет или организацию.")
        if data.get("kind") != "coverage" and data.get("kind") != "audit" and data.get("format") == "docx":
            raise forms.ValidationError("В Word выпускаются только аналитическая справка и письмо об аудите.")
        return data

    def params(self) -> dict:
        data = self.cleaned_data
        if data.get("kind") == "project":
            project = data["project"]
            return {"project_id": project.pk, "municipality_id": project.municipality_id}
        org = data.get("organisation")
        return {
            "municipality_id": (org.municipality_id if org else data["municipality"].pk),
            "organisation_id": org.pk if org else None,
            "years": sorted(data.get("years") or last_completed_academic_years(2)),
            "cohort": data.get("cohort") or "",
        }

    def description(self) -> str:
        """What the jobs list says about the order."""
        data, params = self.cleaned_data, self.params()
        if data["kind"] == "project":
            return f"Проект «{data['project'].title}» ({data['project'].municipality.name})"
        scope = data.get("organisation") or data.get("municipality")
        return f"{scope}; " + (f"ИОМ {params['cohort']}" if data["kind"] == "audit" else ", ".join(params["years"]))


class ReportTextForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The template holds the <form> and its buttons; the labels head long text areas.
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has its token
        self.helper.label_class = "fw-semibold"

    class Meta:
        model = MunicipalReportText
        fields = ["tasks", "actions", "problems", "recommendations", "signature"]
        widgets = {f: forms.Textarea(attrs={"rows": 6}) for f in ["tasks", "actions", "problems", "recommendations"]}
        help_texts = {
            "tasks": "Одна задача в строке.",
            "actions": "Одно действие в строке.",
            "problems": "Дополнительные выводы к тем, что портал пишет по цифрам; одна мысль в строке.",
            "recommendations": "Строка с двоеточием в конце — адресат («Директорам школ:»), ниже — по одной "
                               "рекомендации в строке. Пусто — рекомендации составятся по цифрам.",
        }
