"""Administrators move reference data through spreadsheets in the admin (django-import-export)."""

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.urls import reverse

from diagnostics.admin import CompetencyResource
from diagnostics.models import Competency, Deficit
from routes.admin import ActivityKindResource
from routes.models import ActivityKind
from tests.diagnostics.factories import DeficitFactory

pytestmark = pytest.mark.django_db


def test_the_framework_exports_and_imports_back_by_code_with_the_group_by_code():
    exported = CompetencyResource().export()
    assert {"code", "name", "group"} <= set(exported.headers)
    row = next(r for r in exported.dict if r["code"] == "М1")
    assert row["group"] == Competency.objects.get(code="М1").group.code

    changed = tablib.Dataset(headers=exported.headers)
    changed.append([("Уточненное название" if h == "name" else row[h]) for h in exported.headers])
    result = CompetencyResource().import_data(changed, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Competency.objects.get(code="М1").name == "Уточненное название"
    assert Competency.objects.filter(code="М1").count() == 1


def test_an_unknown_group_is_a_row_error_and_changes_nothing():
    data = tablib.Dataset(headers=["code", "name", "description", "group", "order"])
    data.append(["М1", "Другое", "", "no-such-group", 1])
    before = Competency.objects.get(code="М1").name
    result = CompetencyResource().import_data(data, dry_run=False, raise_errors=False)
    assert result.has_errors() or result.has_validation_errors()
    assert Competency.objects.get(code="М1").name == before


def test_activity_kinds_import_by_code():
    data = tablib.Dataset(headers=["code", "name", "order"])
    data.append(["seminar", "Семинар-практикум", 3])
    assert not ActivityKindResource().import_data(data, dry_run=False).has_errors()
    assert ActivityKind.objects.get(code="seminar").name == "Семинар-практикум"


def test_the_admin_offers_import_and_export_and_never_edits_a_deficits_state(client):
    client.force_login(get_user_model().objects.create_superuser("root-admin", "root@example.org", "x-secret-42"))
    page = client.get(reverse("admin:diagnostics_competency_changelist")).content.decode()
    assert reverse("admin:diagnostics_competency_import") in page
    assert reverse("admin:diagnostics_competency_export") in page
    deficit = DeficitFactory()
    form = client.get(reverse("admin:diagnostics_deficit_change", args=[deficit.pk])).context["adminform"].form
    assert "status" not in form.fields
    assert Deficit.objects.get(pk=deficit.pk).status == deficit.status
