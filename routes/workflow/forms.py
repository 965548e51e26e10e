"""Forms of the transitions, one per action of routes/workflow/table.py (the monitor's filters: filters.py)."""

from django import forms

from routes.forms import DateInput
from routes.models import ExpressReview, Route


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
    reflection = forms.CharField(label="Рефлексия", widget=forms.Textarea(attrs={"rows": 6}), max_length=8000,
                                 help_text="Что получилось, что нет и почему; как изменилась ваша работа.")
    outcome_proposed = forms.ChoiceField(label="Результат, по вашей оценке", choices=Route.Outcome.choices,
                                         widget=forms.RadioSelect)


class AcceptResultsForm(forms.Form):
    outcome = forms.ChoiceField(label="Результат", choices=Route.Outcome.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label="Комментарий наставника / заместителя", widget=forms.Textarea(attrs={"rows": 3}),
                              required=False, max_length=4000)
    presented_on = forms.DateField(label="Дата представления результатов", required=False, widget=DateInput())
    presented_place = forms.CharField(label="Где представлены", required=False, max_length=300,
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
