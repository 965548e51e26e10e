from django import forms

from core.links import WebLinkField
from diagnostics.models import Competency, CompetencyGroup
from routes.models import CatalogResource


class CatalogFilterForm(forms.Form):
    text = forms.CharField(label="Поиск", required=False)
    kind = forms.ChoiceField(label="Тип", required=False, choices=[("", "Все типы"), *CatalogResource.Kind.choices])
    group = forms.ModelChoiceField(label="Группа компетенций", required=False, empty_label="Все группы",
                                   queryset=CompetencyGroup.objects.all())
    competency = forms.ModelChoiceField(label="Компетенция", required=False, empty_label="Все компетенции",
                                        queryset=Competency.objects.select_related("group").order_by("group__order", "order"))
    registry_only = forms.BooleanField(label="Только федеральный реестр ДПП", required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": data["text"].strip(), "kind": data["kind"], "group": data["group"],
            "competency": data["competency"], "registry_only": data["registry_only"],
        }


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
