"""What the forms of routes' features share: the date widget, and the crispy helper that lays a form
out in the cells of the page's Bootstrap row."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout
from django import forms


class DateInput(forms.DateInput):
    """A browser date picker; the value goes out as ISO, the only format it reads."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def grid_helper(*cells) -> FormHelper:
    """A crispy helper rendering the form's fields (and its errors) as the given layout, inside the
    page's own <form> tag: the page keeps its htmx attributes, its CSRF token and its buttons."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*cells)
    return helper


def cell(css_class: str, *fields: str) -> Column:
    """One cell of the row (a Bootstrap column class such as "col-md-3") holding `fields`."""
    return Column(*fields, css_class=css_class)
