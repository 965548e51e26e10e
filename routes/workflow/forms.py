"""Forms of the transitions, one per action of routes/workflow/table.py (the monitor's filters: filters.py)."""

import datetime as dt

from django import forms

from diagnostics.services import SCALE_LABELS
from routes.forms import DateInput
from routes.models import ExpressReview, Route
from routes.services import MAX_PERIOD_MONTHS, add_months
from routes.workflow.final_diagnostics import final_items


class ConfirmForm(forms.Form):
    """Transitions that record nothing but the time (submit, recall, credit, archive)."""


class CommentRequiredForm(forms.Form):
    comment = forms.CharField(label="Комментарий", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                              error_messages={"required": "Комментарий обязателен: напишите, что нужно исправить."})


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Причина", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                             help_text="Например: педагог уволился.",
                             error_messages={"required": "Укажите причину отзыва ИОМ."})


class ExpressReviewForm(forms.Form):
    """Seed 002's express review: five criteria, each 0–2."""

    comment = forms.CharField(label="Комментарий к согласованию", widget=forms.Textarea(attrs={"rows": 3}),
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
    """The teacher's results; one «почему не выполнено» field per activity not done (its `not_done_reasons`
    input: activity pk → reason), each required, so that every missing reason shows at once."""

    reflection = forms.CharField(label="Рефлексия", widget=forms.Textarea(attrs={"rows": 6}), max_length=8000,
                                 help_text="Что получилось, что нет и почему; как изменилась ваша работа.")
    outcome_proposed = forms.ChoiceField(label="Результат, по вашей оценке", choices=Route.Outcome.choices,
                                         widget=forms.RadioSelect)

    def __init__(self, *args, route: Route, **kwargs):
        super().__init__(*args, **kwargs)
        self.not_done = list(route.activities.filter(is_done=False).order_by("deadline", "pk"))
        for activity in self.not_done:
            self.fields[f"reason_{activity.pk}"] = forms.CharField(
                label=f"Почему не выполнено: «{activity.title}» (срок {activity.deadline:%d.%m.%Y})",
                initial=activity.not_done_reason, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": "Мероприятие не выполнено: укажите причину (или отметьте его "
                                            "выполненным на странице ИОМ)."})

        # The final diagnostics: the instrument's statements for each open deficit's competency, rated as in the
        # self-assessment; optional where an imported result of the period stands for it (its `reassessment`
        # input: deficit pk → {statement pk: rating}).
        self.final = final_items(route)
        scale = [(str(k), f"{k} — {label}") for k, label in SCALE_LABELS.items()]
        for item in self.final:
            for statement in item.statements:
                imported = item.imported
                self.fields[f"fd_{item.deficit.pk}_{statement.pk}"] = forms.TypedChoiceField(
                    label=f"Итоговая диагностика «{item.deficit.competency.name}»: {statement.text}",
                    choices=scale, coerce=int, widget=forms.RadioSelect, required=imported is None,
                    help_text=(f"Есть результат внешней диагностики от {imported.assessment.taken_on:%d.%m.%Y}: "
                               f"{imported.value} (порог {item.threshold}); ответьте, чтобы заменить его."
                               if imported else f"Порог дефицита — {item.threshold} баллов из 100."),
                    error_messages={"required": "Оцените утверждение: без итоговой диагностики итоги не отправить."})

    def clean(self):
        data = super().clean()
        data["not_done_reasons"] = {a.pk: data.get(f"reason_{a.pk}", "") for a in self.not_done}
        data["reassessment"] = {
            item.deficit.pk: {s.pk: data.get(f"fd_{item.deficit.pk}_{s.pk}") for s in item.statements
                              if data.get(f"fd_{item.deficit.pk}_{s.pk}")}
            for item in self.final}
        return data


class ExtendForm(forms.Form):
    ends_on = forms.DateField(label="Новая дата окончания", widget=DateInput(),
                              error_messages={"required": "Укажите новую дату окончания."})
    reason = forms.CharField(label="Причина продления", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                             error_messages={"required": "Укажите причину продления срока."})

    def __init__(self, *args, route: Route, **kwargs):
        super().__init__(*args, **kwargs)
        latest = add_months(route.starts_on, MAX_PERIOD_MONTHS) - dt.timedelta(days=1) if route.starts_on else None
        self.fields["ends_on"].help_text = (
            f"Позже {route.ends_on:%d.%m.%Y}" + (f", не позже {latest:%d.%m.%Y} (пять лет от начала)." if latest else "."))
        self.route = route

    def clean(self):
        """The date's own rule beside the missing reason (route_extend checks all of them again)."""
        data = super().clean()
        ends_on = data.get("ends_on")
        if ends_on and self.route.ends_on and ends_on <= self.route.ends_on:
            self.add_error("ends_on", f"Новая дата окончания должна быть позже прежней "
                                      f"({self.route.ends_on:%d.%m.%Y}).")
        return data


class CloseUnrealisedForm(forms.Form):
    comment = forms.CharField(label="почему ИОМ не реализован", widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=4000,
                              error_messages={"required": "Напишите, почему ИОМ не реализован: комментарий обязателен."})


class AcceptResultsForm(forms.Form):
    outcome = forms.ChoiceField(label="Результат", choices=Route.Outcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="Комментарий наставника / заместителя", widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=4000)
    presented_on = forms.DateField(label="Дата представления результатов", required=False, widget=DateInput())
    presented_place = forms.CharField(label="Где представлены", required=False, max_length=300,
                                      help_text="ШМО, педсовет, РМО, конференция…")

    def __init__(self, *args, route: Route, **kwargs):
        """One score field per open deficit of the route (its `final_scores` input): empty keeps the teacher's
        re-assessment, required where there is none."""
        super().__init__(*args, **kwargs)
        self.final = final_items(route)
        for item in self.final:
            record = item.record
            self.fields[f"fd_{item.deficit.pk}"] = forms.IntegerField(
                label=f"Итоговая диагностика «{item.deficit.competency.name}», балл заместителя",
                min_value=0, max_value=100, required=record is None,
                help_text=(f"Было {item.before if item.before is not None else '—'}, по итоговой диагностике "
                           f"({record.get_source_display().lower()}) {record.after}, порог {item.threshold}. "
                           "Оставьте пустым, чтобы принять этот балл." if record else
                           f"Педагог итоговую диагностику не провел: поставьте балл (порог {item.threshold})."),
                error_messages={"required": "Поставьте балл итоговой диагностики: педагог ее не провел.",
                                "min_value": "Балл — от 0 до 100.", "max_value": "Балл — от 0 до 100."})

    def clean(self):
        data = super().clean()
        data["final_scores"] = {item.deficit.pk: data.get(f"fd_{item.deficit.pk}") for item in self.final}
        return data


# Forms built for one route (their fields or help depend on it): the view passes route=.
ROUTE_FORMS = {ResultsForm, ExtendForm, AcceptResultsForm}

ACTION_FORMS = {
    "submit": ConfirmForm,
    "recall": ConfirmForm,
    "return": CommentRequiredForm,
    "approve": ExpressReviewForm,
    "credit": ConfirmForm,
    "refuse_credit": CommentRequiredForm,
    "extend": ExtendForm,
    "submit_results": ResultsForm,
    "accept_results": AcceptResultsForm,
    "return_results": CommentRequiredForm,
    "close_unrealised": CloseUnrealisedForm,
    "archive": ConfirmForm,
    "withdraw": WithdrawForm,
}
