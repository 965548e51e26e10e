from django import forms

from routes.forms import DateInput, cell, grid_helper


class DraftPeriodForm(forms.Form):
    starts_on = forms.DateField(label="Начало реализации", widget=DateInput())
    ends_on = forms.DateField(label="Окончание реализации", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = grid_helper(cell("col-md-3", "starts_on"), cell("col-md-3", "ends_on"))
