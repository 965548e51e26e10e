from django import forms

from core.links import WebLinkField
from diagnostics.models import Competency
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
