"""What the forms of every methodics feature share: the date widget, the academic years offered,
the person search box, and the crispy grid a feature's form is laid out in."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone

from core.dates import current_academic_year


def grid_helper(form, *, cell: str, wide: tuple[str, ...] = ()) -> FormHelper:
    """Crispy lays the fields out in one row of Bootstrap columns: each field of `wide` takes the whole
    row, the others `cell`. The page holds the <form> tag, the CSRF token and the buttons."""
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(Row(*(Column(name, css_class="col-12" if name in wide else cell) for name in form.fields),
                               css_class="g-2"))
    return helper


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def year_choices(around: str | None = None, back: int = 3, ahead: int = 1) -> list[tuple[str, str]]:
    start = int((around or current_academic_year(timezone.localdate()))[:4])
    return [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in range(start + ahead, start - back - 1, -1)]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Найти сотрудника", required=False, max_length=100)
