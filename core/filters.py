"""The one base of every list page's filters (django-filter), laid out by crispy as one bar.

A list page declares a `FilterSet` subclass beside its selectors: the filters say how each value
narrows the queryset, and the page renders `{% include "includes/filter_bar.html" %}` with the
filter set. The queryset handed in is already scoped to the user (the access layer's `visible`);
a filter only narrows it.

The page's `<form method="get" class="row g-2 align-items-end">` is the bar: the include gives
its field cells, and the page adds its buttons as further cells (`col-auto mb-3`, the bottom
margin crispy gives every field cell, so the buttons line up with the inputs).
"""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout
from django import forms

from core.forms import bootstrap_widgets


def filter_bar_helper(form, columns: str) -> FormHelper:
    """A crispy helper that lays the visible fields of `form` out as cells of `columns` with small
    labels, without a <form> tag or a row of its own: the page's bar is the row, and holds the
    tag and the buttons beside the fields."""
    helper = FormHelper(form)
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_class = "small"  # a compact bar, as the portal's other filter bars
    visible = [name for name, field in form.fields.items() if not isinstance(field.widget, forms.HiddenInput)]
    hidden = [name for name in form.fields if name not in visible]
    helper.layout = Layout(*(Column(name, css_class=columns) for name in visible), *hidden)
    return helper


class FilterSet(django_filters.FilterSet):
    """A list page's filters. `columns` is the Bootstrap width of each cell of the bar."""

    columns = "col-sm-6 col-md-3"

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            bootstrap_widgets(form, small=True)
            form.helper = filter_bar_helper(form, self.columns)
        return form

    @property
    def values(self) -> dict:
        """The cleaned filter values (empty when the bar is invalid), for the page's headings."""
        form = self.form
        return form.cleaned_data if form.is_valid() else {}
