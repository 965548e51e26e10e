"""What the forms of routes' features share."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker; the value goes out as ISO, the only format it reads."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
