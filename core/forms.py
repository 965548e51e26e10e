from django import forms


class BootstrapWidgetsMixin:
    """Give plain Django widgets Bootstrap classes (for forms rendered without crispy)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select form-select-sm"
            elif isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
                css = "form-check-input"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
