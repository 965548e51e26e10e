from django import forms


class DraftPeriodForm(forms.Form):
    starts_on = forms.DateField(label="Начало реализации", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label="Окончание реализации", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
