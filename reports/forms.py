from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout
from django import forms
from django.urls import reverse

from core.dates import current_academic_year, last_completed_academic_years
from methodics.models import Project
from reports.models import AuditLetterText, MunicipalReportText, ReportJob
from schools.access import municipalities_for, organisations_for
from schools.choosers import limit_organisation_choices
from schools.models import Region


def recent_years(count: int = 6) -> list[str]:
    start = int(current_academic_year()[:4])
    return [f"{y}-{y + 1}" for y in range(start, start - count, -1)]


FORMAT_LABELS = {"xlsx": "Excel", "pdf": "PDF", "docx": "Word", "csv": "CSV"}


def kind_formats(kind: str) -> tuple[str, ...]:
    """The formats a report kind is built in, as its builder declares them (reports.builders)."""
    from reports.builders import BUILDERS

    builder = BUILDERS.get(kind)
    return builder.formats if builder else ()


def format_refusal(kind: str, fmt: str) -> str | None:
    """The Russian refusal of a format the kind has no builder for, or None."""
    formats = kind_formats(kind)
    if fmt in formats:
        return None
    label = dict(ReportJob.Kind.choices).get(kind, kind)
    offered = ", ".join(FORMAT_LABELS[f] for f in formats if f != "csv")
    return f"Отчет «{label}» не выпускается в формате {FORMAT_LABELS.get(fmt, fmt)}: выберите {offered}."


class KindSelect(forms.Select):
    """Each report kind names its formats (data-formats), so the page offers only those (static/js/portal.js)."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"]["data-formats"] = " ".join(kind_formats(str(value)))
        return option


class ReportOrderForm(forms.Form):
    kind = forms.ChoiceField(label="Отчет", choices=[c for c in ReportJob.Kind.choices if c[0] != "registry"],
                             widget=KindSelect(attrs={"data-formats-for": "id_format"}))
    format = forms.ChoiceField(label="Формат", choices=[c for c in ReportJob.Format.choices if c[0] != "csv"])
    municipality = forms.ModelChoiceField(label="Муниципалитет", queryset=None, required=False, empty_label=None)
    organisation = forms.ModelChoiceField(label="Организация (для отчета по школе)", queryset=None, required=False,
                                          empty_label="— по муниципалитету —")
    years = forms.MultipleChoiceField(label="Учебные годы", required=False, widget=forms.CheckboxSelectMultiple)
    cohort = forms.ChoiceField(label="Год утверждения ИОМ (аудит)", required=False)
    project = forms.ModelChoiceField(label="Муниципальный проект (итоги проекта)", queryset=None, required=False,
                                     empty_label="—")
    region = forms.ModelChoiceField(label="Регион (отчет по региону)", queryset=None, required=False, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        regions = Region.objects.filter(
            pk__in=municipalities_for(user, "report.regional").values("region_id")).order_by("name")
        self.fields["region"].queryset = regions
        if not regions.exists():  # the region's report is for the region's methodists
            del self.fields["region"]
            self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] != "region"]
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
        elif data.get("kind") == "region":
            if not data.get("region"):
                raise forms.ValidationError("Выберите регион.")
        elif not data.get("municipality") and not data.get("organisation"):
            raise forms.ValidationError("Выберите муниципалитет или организацию.")
        if data.get("kind") and data.get("format") and (refusal := format_refusal(data["kind"], data["format"])):
            raise forms.ValidationError(refusal)
        return data

    def params(self) -> dict:
        data = self.cleaned_data
        if data.get("kind") == "project":
            project = data["project"]
            return {"project_id": project.pk, "municipality_id": project.municipality_id}
        if data.get("kind") == "region":
            return {"region_id": data["region"].pk, "years": sorted(data.get("years") or last_completed_academic_years(2)),
                    "cohort": data.get("cohort") or ""}
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
        if data["kind"] == "region":
            return f"{data['region'].name}; {', '.join(params['years'])}; аудит ИОМ {params['cohort'] or params['years'][-1]}"
        scope = data.get("organisation") or data.get("municipality")
        return f"{scope}; " + (f"ИОМ {params['cohort']}" if data["kind"] == "audit" else ", ".join(params["years"]))


class _TextsForm(forms.ModelForm):
    """A methodist's texts of one document: edited with a version check, laid out by crispy inside the
    template's own <form> and buttons; the labels head long text areas."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has its token
        self.helper.label_class = "fw-semibold"


class ReportTextForm(_TextsForm):
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


class AuditTextForm(_TextsForm):
    """The methodist's words of the audit letter; an empty field takes the portal's default."""

    class Meta:
        model = AuditLetterText
        fields = ["number", "basis", "conclusion", "recommendations"]
        widgets = {f: forms.Textarea(attrs={"rows": 5}) for f in ["basis", "conclusion", "recommendations"]}
        help_texts = {
            "number": "Исходящий номер письма, например 01-12/347. Дата — день формирования письма.",
            "basis": "Первый абзац: основание и цель аудита (например, приказ управления образования).",
            "conclusion": "Вывод по итогам аудита; после него портал добавит проблемные направления по цифрам.",
            "recommendations": "Рекомендации руководителям общеобразовательных организаций, по одной в строке. "
                               "Адресные рекомендации школам ниже 50 % портал пишет сам.",
        }
