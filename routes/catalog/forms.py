from crispy_forms.layout import Row
from django import forms

from core.links import WebLinkField
from diagnostics.models import Competency
from routes.forms import cell, grid_helper
from routes.models import CatalogResource


class CatalogResourceForm(forms.ModelForm):
    competencies = forms.ModelMultipleChoiceField(
        label="Компетенции", widget=forms.CheckboxSelectMultiple,
        queryset=Competency.objects.select_related("group").order_by("group__order", "order"),
        error_messages={"required": "Отметьте хотя бы одну компетенцию."},
    )

    class Meta:
        model = CatalogResource
        fields = ["kind", "title", "provider", "hours", "in_federal_registry", "url", "level", "activity_kind",
                  "competencies", "is_active"]
        field_classes = {"url": WebLinkField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = grid_helper(Row(
            cell("col-md-3", "kind"), cell("col-md-9", "title"),
            cell("col-md-5", "provider"), cell("col-md-2", "hours"), cell("col-md-5", "url"),
            cell("col-md-3", "level"), cell("col-md-4", "activity_kind"),
            cell("col-md-5 pt-md-4", "in_federal_registry", "is_active"),
            cell("col-12 competency-checks", "competencies"),
            css_class="g-2",
        ))
