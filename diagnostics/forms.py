from crispy_forms.layout import Column, Div, Field, Row
from django import forms
from django.utils import timezone

from core.forms import page_form_helper
from diagnostics.models import Competency, Instrument, Statement
from diagnostics.services import SCALE_LABELS, SCALE_MAX, SCALE_MIN

SCALE_CHOICES = [(value, f"{value} — {label}") for value, label in SCALE_LABELS.items()]


class StatementGroup(Div):
    """A competency group of the questionnaire: a fieldset under the group's name."""

    template = "diagnostics/includes/statement_group.html"

    def __init__(self, legend: str, *fields):
        super().__init__(*fields)
        self.legend = legend


class CompetencyCard(Div):
    """The statements of one competency, on a card headed by the competency."""

    template = "diagnostics/includes/competency_card.html"

    def __init__(self, competency: Competency, *fields):
        super().__init__(*fields)
        self.competency = competency


class SelfAssessmentForm(forms.Form):
    """One radio group per statement of the questionnaire, 1–5, laid out by competency group and competency."""

    def __init__(self, *args, statements: list[Statement], **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = statements
        groups: list[StatementGroup] = []
        for statement in statements:
            name = f"s{statement.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=statement.text, choices=SCALE_CHOICES, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": "Выберите ответ."},
            )
            competency = statement.competency
            if not groups or groups[-1].legend != competency.group.name:
                groups.append(StatementGroup(competency.group.name))
            cards = groups[-1].fields
            if not cards or cards[-1].competency != competency:
                cards.append(CompetencyCard(competency))
            cards[-1].fields.append(Field(name, template="diagnostics/includes/statement.html"))
        self.helper = page_form_helper(*groups)

    def answers(self) -> dict[int, int]:
        return {s.pk: self.cleaned_data[f"s{s.pk}"] for s in self.statements if f"s{s.pk}" in self.cleaned_data}


class InstrumentChoiceForm(forms.Form):
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none(), label="Инструмент", empty_label=None)

    def __init__(self, *args, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = instruments
        # a cell of the page's one-line GET form, beside its «Выбрать» button
        self.helper = page_form_helper(Column("instrument", css_class="col-md-6"))


class AssessmentForm(forms.Form):
    """A deputy's assessment: the date, a note, and a score 0–100 for the competencies measured."""

    taken_on = forms.DateField(label="Дата диагностики", initial=timezone.localdate,
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label="Примечание", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, competencies: list[Competency], **kwargs):
        super().__init__(*args, **kwargs)
        self.competencies = competencies
        for competency in competencies:
            self.fields[f"c{competency.pk}"] = forms.IntegerField(
                label=f"{competency.code} {competency.name}", required=False, min_value=0, max_value=100,
                error_messages={"min_value": "Балл — от 0 до 100.", "max_value": "Балл — от 0 до 100.",
                                "invalid": "Введите целое число от 0 до 100."},
                widget=forms.NumberInput(attrs={"min": 0, "max": 100, "class": "form-control form-control-sm score-input"}),
            )
        # the date and the note side by side, then a table: a competency a row, its score beside it
        self.helper = page_form_helper(
            Row(Column("taken_on", css_class="col-md-3"), Column("note", css_class="col-md-9"), css_class="g-2"),
            Div(*(Field(f"c{c.pk}", template="diagnostics/includes/score_row.html") for c in competencies),
                template="diagnostics/includes/score_table.html"),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.scores():
            raise forms.ValidationError("Укажите балл хотя бы по одной компетенции.")
        return cleaned

    def scores(self) -> dict[Competency, int]:
        return {
            c: self.cleaned_data[f"c{c.pk}"] for c in self.competencies
            if self.cleaned_data.get(f"c{c.pk}") is not None
        }


class DeficitAddForm(forms.Form):
    competency = forms.ModelChoiceField(
        queryset=Competency.objects.select_related("group").order_by("group__order", "order"), label="Компетенция",
    )
    reason = forms.CharField(label="Основание", widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Например: по итогам посещения урока 12.03, беседа на ШМО.")


class DeficitDismissForm(forms.Form):
    reason = forms.CharField(label="Причина снятия", widget=forms.Textarea(attrs={"rows": 3}))


SCALE_HELP = f"Шкала: от {SCALE_MIN} («{SCALE_LABELS[SCALE_MIN]}») до {SCALE_MAX} («{SCALE_LABELS[SCALE_MAX]}»)."
