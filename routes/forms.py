"""Forms of the routes app: they parse and validate input; the services decide."""

from django import forms
from django.utils import timezone

from core.forms import BootstrapWidgetsMixin
from core.ids import parse_id
from core.links import WebLinkField
from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, Evidence, ExpressReview, RoadmapActivity, Route, RouteTask
from routes.services import NOTE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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


class ActivityForm(VersionMixin, forms.ModelForm):
    class Meta:
        model = RoadmapActivity
        fields = ["group", "kind", "level", "task", "title", "deadline", "expected_result", "confirming_document",
                  "note"]
        widgets = {"deadline": DateInput()}
        labels = {"task": "задача ИОМ"}

    def __init__(self, *args, route: Route, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = CompetencyGroup.objects.filter(in_roadmap=True)
        self.fields["group"].empty_label = None
        self.fields["kind"].queryset = ActivityKind.objects.all()
        self.fields["task"].queryset = RouteTask.objects.filter(route=route)
        self.fields["task"].required = False
        self.fields["confirming_document"].help_text = "Диплом, сертификат, справка, ссылка…"
        if route.starts_on and route.ends_on:
            self.fields["deadline"].help_text = (
                f"С {route.starts_on:%d.%m.%Y} по {route.ends_on:%d.%m.%Y}.")
        if not self.fields["task"].queryset.exists():
            del self.fields["task"]


class DoneForm(forms.Form):
    done_on = forms.DateField(label="дата выполнения", widget=DateInput())
    evidence_kind = forms.ChoiceField(label="вид подтверждения",
                                      choices=[c for c in Evidence.Kind.choices if c[0] != Evidence.Kind.LINK])
    file = forms.FileField(label="файл (PDF, JPEG, PNG, DOCX, XLSX)", required=False)
    url = WebLinkField(label="или ссылка", required=False)
    note = forms.CharField(label="примечание", required=False, max_length=500)

    def __init__(self, *args, has_evidence: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_evidence = has_evidence
        if not self.is_bound:
            self.initial.setdefault("done_on", timezone.localdate())
            self.initial.setdefault("evidence_kind", Evidence.Kind.CERTIFICATE)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url") and not self.has_evidence:
            self.add_error("file", "Приложите подтверждающий документ (файл или ссылку).")
        return data


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="вид", choices=Evidence.Kind.choices)
    file = forms.FileField(label="файл", required=False)
    url = WebLinkField(label="ссылка", required=False)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError("Приложите файл или укажите ссылку.")
        return data


class CommentForm(forms.Form):
    text = forms.CharField(label="комментарий", widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    activity = forms.IntegerField(required=False, widget=forms.HiddenInput)


# ---------------------------------------------------------------- transition forms


class ConfirmForm(forms.Form):
    """Transitions that record nothing but the time (submit, recall, credit, archive)."""


class CommentRequiredForm(forms.Form):
    comment = forms.CharField(label="комментарий", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                              error_messages={"required": "Комментарий обязателен: напишите, что нужно исправить."})


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="причина", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                             help_text="Например: педагог уволился.",
                             error_messages={"required": "Укажите причину отзыва ИОМ."})


class ExpressReviewForm(forms.Form):
    """Seed 002's express review: five criteria, each 0–2."""

    comment = forms.CharField(label="комментарий к согласованию", widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = {}
        for code, label in ExpressReview.CRITERIA:
            criteria[code] = forms.TypedChoiceField(
                label=label, choices=ExpressReview.SCORE_CHOICES, coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "Поставьте балл по этому критерию."},
            )
        self.fields = {**criteria, **self.fields}

    def clean(self):
        data = super().clean()
        if all(code in data for code, _ in ExpressReview.CRITERIA):
            data["scores"] = self.scores()  # the `scores` input of the approve transition
        return data

    def scores(self) -> dict:
        return {code: self.cleaned_data[code] for code, _ in ExpressReview.CRITERIA}


class ResultsForm(forms.Form):
    reflection = forms.CharField(label="рефлексия", widget=forms.Textarea(attrs={"rows": 6}), max_length=8000,
                                 help_text="Что получилось, что нет и почему; как изменилась ваша работа.")
    outcome_proposed = forms.ChoiceField(label="результат, по вашей оценке", choices=Route.Outcome.choices,
                                         widget=forms.RadioSelect)


class AcceptResultsForm(forms.Form):
    outcome = forms.ChoiceField(label="результат", choices=Route.Outcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="комментарий наставника / заместителя", widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=4000)
    presented_on = forms.DateField(label="дата представления результатов", required=False, widget=DateInput())
    presented_place = forms.CharField(label="где представлены", required=False, max_length=300,
                                      help_text="ШМО, педсовет, РМО, конференция…")


ACTION_FORMS = {
    "submit": ConfirmForm,
    "recall": ConfirmForm,
    "return": CommentRequiredForm,
    "approve": ExpressReviewForm,
    "credit": ConfirmForm,
    "refuse_credit": CommentRequiredForm,
    "submit_results": ResultsForm,
    "accept_results": AcceptResultsForm,
    "return_results": CommentRequiredForm,
    "archive": ConfirmForm,
    "withdraw": WithdrawForm,
}


class MonitorFilterForm(BootstrapWidgetsMixin, forms.Form):
    """Filters of the implementation monitor.

    A scope of several municipalities (a regional methodist, an administrator) chooses the
    municipality first and then one of its organisations: a region's thousands of organisations
    are never put into one <select>.
    """

    municipality = forms.ModelChoiceField(queryset=None, required=False, label="муниципалитет",
                                          empty_label="все муниципалитеты")
    organisation = forms.ModelChoiceField(queryset=None, required=False, label="организация",
                                          empty_label="все организации")
    year = forms.ChoiceField(label="учебный год", required=False)

    def __init__(self, *args, organisations, years, **kwargs):
        from schools.models import Municipality

        super().__init__(*args, **kwargs)
        municipalities = list(Municipality.objects.filter(pk__in=organisations.values("municipality"))
                              .order_by("name"))
        if len(municipalities) <= 1:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities])
            chosen = parse_id(self.data.get("municipality"))  # "²" passes isdigit(), 10**30 overflows SQLite
            organisations = organisations.filter(municipality_id=chosen) if chosen else organisations.none()
            self.fields["organisation"].help_text = "" if chosen else "выберите муниципалитет"
        self.fields["organisation"].queryset = organisations
        self.fields["year"].choices = [("", "все годы")] + [(y, y) for y in years]
