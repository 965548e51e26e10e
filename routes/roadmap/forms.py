"""Forms of a route's content (the note, the roadmap, evidence, comments): they parse and validate
input; the services decide."""

from crispy_forms.layout import HTML
from django import forms
from django.core.exceptions import ValidationError

from core.links import WebLinkField
from diagnostics.models import CompetencyGroup
from routes.forms import DateInput, cell, grid_helper
from routes.models import ActivityKind, CatalogResource, Evidence, RoadmapActivity, Route, RouteTask
from routes.roadmap.services import NOTE_FIELDS
from routes.services import deadline_error, done_on_error, rows_outside_period, validate_period
from schools.timezones import local_today


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RouteCreateForm(forms.Form):
    copy_from = forms.ModelChoiceField(
        queryset=Route.objects.none(), required=False, label="Скопировать из прежнего ИОМ",
        empty_label="— пустой ИОМ —",
        help_text="Пояснительная записка и невыполненные мероприятия перенесутся в новый ИОМ, сроки — в новый период.",
    )

    def __init__(self, *args, earlier=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_from"].queryset = earlier if earlier is not None else Route.objects.none()
        self.fields["copy_from"].label_from_instance = lambda r: f"{r.academic_year}: {r.topic or 'без темы'}"


class NoteForm(VersionMixin, forms.ModelForm):
    class Meta:
        model = Route
        fields = NOTE_FIELDS
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "diagnostics_summary": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 2}),
            "tasks_text": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "diagnostics_summary": "Какие диагностики пройдены и какие дефициты выявлены.",
            "self_education_form": "Например: индивидуальная, групповая, коллективная.",
            "reporting_form": "Например: выступление на ШМО, открытый урок, публикация.",
            "ends_on": "Срок реализации — от полугода до пяти лет.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = grid_helper(
            "version",
            cell("col-md-8", "topic"), cell("col-md-4", "city"),
            cell("col-12", "diagnostics_summary"),
            cell("col-md-6", "goal"), cell("col-md-6", "tasks_text"),
            cell("col-md-6", "self_education_form"), cell("col-md-6", "reporting_form"),
            cell("col-12", "expected_result"),
            cell("col-md-3", "starts_on"), cell("col-md-3", "ends_on"),
        )

    def clean(self):
        """Every error at once: the period's (½ to 5 years, each row inside it) beside the fields' own."""
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if "starts_on" in self.errors or "ends_on" in self.errors:
            return data
        try:
            validate_period(starts_on, ends_on)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.add_error(name, messages)
            return data
        if self.instance.pk and (outside := rows_outside_period(self.instance, starts_on, ends_on)):
            self.add_error("ends_on", outside)
        return data


STALE_PAGE = ('{% if form.version.errors %}<div class="col-12"><div class="alert alert-danger py-2 mb-0" role="alert">'
              'Страница устарела: обновите ее.</div></div>{% endif %}')


class ActivityForm(VersionMixin, forms.ModelForm):
    class Meta:
        model = RoadmapActivity
        fields = ["group", "kind", "level", "task", "title", "deadline", "expected_result", "confirming_document",
                  "note", "resource"]
        # `resource`: the catalog item chosen in the picker (routes.drafting.services.resource_row), kept hidden
        widgets = {"deadline": DateInput(), "resource": forms.HiddenInput()}
        labels = {"task": "задача ИОМ"}

    def __init__(self, *args, route: Route, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = CompetencyGroup.objects.filter(in_roadmap=True)
        self.fields["group"].empty_label = None
        self.fields["kind"].queryset = ActivityKind.objects.all()
        self.fields["resource"].queryset = CatalogResource.objects.filter(is_active=True)
        self.fields["resource"].required = False
        self.fields["task"].queryset = RouteTask.objects.filter(route=route)
        self.fields["task"].required = False
        self.fields["confirming_document"].help_text = "Диплом, сертификат, справка, ссылка…"
        if route.starts_on and route.ends_on:
            self.fields["deadline"].help_text = (
                f"С {route.starts_on:%d.%m.%Y} по {route.ends_on:%d.%m.%Y}.")
        if not self.fields["task"].queryset.exists():
            del self.fields["task"]
        # No version field: the row's form sends the page's #route-version (hx-include), which every
        # refresh of the roadmap brings up to date.
        self.helper = grid_helper(
            HTML(STALE_PAGE),
            cell("col-md-3", "group"), cell("col-md-3", "kind"), cell("col-md-2", "level"),
            cell("col-md-2", "deadline"), *([cell("col-md-2", "task")] if "task" in self.fields else []),
            cell("col-12", "title"),
            cell("col-md-4", "expected_result"), cell("col-md-4", "confirming_document"), cell("col-md-4", "note"),
            "resource",
        )
        self.route = route

    def clean(self):
        """The deadline against the route's period beside the required fields: every error at once."""
        data = super().clean()
        if data.get("deadline") and (message := deadline_error(self.route, data["deadline"])):
            self.add_error("deadline", message)
        return data


class DoneForm(forms.Form):
    done_on = forms.DateField(label="Дата выполнения", widget=DateInput())
    evidence_kind = forms.ChoiceField(label="Вид подтверждения",
                                      choices=[c for c in Evidence.Kind.choices if c[0] != Evidence.Kind.LINK])
    file = forms.FileField(label="Файл (PDF, JPEG, PNG, DOCX, XLSX)", required=False)
    url = WebLinkField(label="Или ссылка", required=False)
    note = forms.CharField(label="Примечание", required=False, max_length=500)

    def __init__(self, *args, route: Route, has_evidence: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.route = route
        self.has_evidence = has_evidence
        if not self.is_bound:
            today = local_today(route.organisation)  # after the period: its last day, the latest date taken
            self.initial.setdefault("done_on", min(today, route.ends_on) if route.ends_on else today)
            self.initial.setdefault("evidence_kind", Evidence.Kind.CERTIFICATE)
        self.helper = grid_helper(
            cell("col-md-2", "done_on"), cell("col-md-2", "evidence_kind"), cell("col-md-4", "file"),
            cell("col-md-4", "url"), cell("col-12", "note"),
        )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url") and not self.has_evidence:
            self.add_error("file", "Приложите подтверждающий документ (файл или ссылку).")
        if data.get("done_on") and (message := done_on_error(self.route, data["done_on"])):
            self.add_error("done_on", message)
        return data


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=Evidence.Kind.choices)
    file = forms.FileField(label="Файл", required=False)
    url = WebLinkField(label="Ссылка", required=False)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError("Приложите файл или укажите ссылку.")
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label="Комментарий", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    activity = forms.IntegerField(required=False, widget=forms.HiddenInput)
