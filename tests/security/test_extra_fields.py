"""Fields a form does not declare are ignored: a POST cannot move a record to another school,
attach an account, or set an owner, a person or a derived category."""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from schools.models import PositionCategory, StaffMember
from tests.world import World


# What an attacker would add to any POST of the portal.
def hostile_extras(world) -> dict:
    return {
        "organisation": world.far_school.pk, "organisation_id": world.far_school.pk, "school": world.far_school.pk,
        "owner": world.user("admin").pk, "user": world.user("admin").pk, "user_id": world.user("admin").pk,
        "person": world.far_staff.pk, "author": world.user("admin").pk, "created_by": world.user("admin").pk,
        "position_category": PositionCategory.DIRECTOR, "id": 999999, "pk": 999999,
    }


def _staff_data(**overrides) -> dict:
    data = {
        "last_name": "Сидорова", "first_name": "Анна", "middle_name": "Олеговна", "birth_date": "1985-03-04",
        "position": "учитель истории", "subject": "история", "is_main_position": "on", "status": "working",
        "dismissed_on": "", "qualification_category": "first", "attested_on": "2023-05-10",
        "experience_years": "12", "education": "высшее", "email": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def deputy_client(client, world):
    client.force_login(world.user("deputy"))
    return client


def test_staff_create_ignores_organisation_user_and_owner_fields(deputy_client, world):
    response = deputy_client.post(reverse("staff_create", args=[world.school.pk]), {**_staff_data(), **hostile_extras(world)})

    assert response.status_code == 302
    staff = StaffMember.objects.get(last_name="Сидорова")
    assert staff.organisation == world.school
    assert staff.user is None
    assert not staff.mentoring_as_mentee.exists()
    assert staff.position_category == PositionCategory.TEACHER
    assert staff.pk != 999999


def test_staff_edit_ignores_organisation_user_and_owner_fields(deputy_client, world):
    colleague = world.colleague
    user_before = colleague.user_id
    response = deputy_client.post(reverse("staff_edit", args=[colleague.pk]),
                                  {**_staff_data(last_name="Петрова"), **hostile_extras(world)})

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.last_name == "Петрова"
    assert colleague.organisation == world.school
    assert colleague.user_id == user_before
    assert colleague.position_category == PositionCategory.TEACHER
    assert not StaffMember.objects.filter(pk=999999).exists()


def test_staff_dismiss_ignores_status_and_organisation_fields(deputy_client, world):
    colleague = world.colleague
    response = deputy_client.post(reverse("staff_dismiss", args=[colleague.pk]),
                                  {"dismissed_on": "2026-09-01", "status": "working", **hostile_extras(world)})

    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.status == StaffMember.Status.DISMISSED
    assert colleague.organisation == world.school
    assert colleague.user_id is None


def test_a_pair_from_the_staff_card_ignores_organisation_and_author_fields(deputy_client, world):
    colleague = world.colleague
    url = f"{reverse('methodics:pair_create', args=[world.school.pk])}?mentee={colleague.pk}&card={colleague.pk}"
    response = deputy_client.post(url, {"mentee": colleague.pk, "mentor": world.teacher_staff.pk, "reason": "deficits",
                                        "starts_on": "2026-09-01", "status": "dismissed", **hostile_extras(world)})

    assert response.status_code == 302
    pair = colleague.mentoring_as_mentee.get()
    assert pair.organisation == world.school and pair.mentor == world.teacher_staff
    assert pair.created_by == world.user("deputy") and pair.pk != 999999
    colleague.refresh_from_db()
    assert colleague.status == StaffMember.Status.WORKING and colleague.organisation == world.school


# Every ModelForm of the portal's apps, now and later, must list its model fields and leave out
# the ones that say who owns a record or where it belongs: views set those from the URL and the user.
OWNERSHIP_FIELDS = {"owner", "user", "organisation", "school", "person", "staff", "author", "created_by",
                    "municipality", "region", "recipient"}
# A form may expose one of them on purpose; each exception says why.
DECLARED_ON_PURPOSE = {
    # The deputy records a status change with its date; dismissal also has its own view.
    ("schools.forms.StaffForm", "status"),
}
STATE_FIELDS = {"status", "state"}


def _project_modelforms() -> list[type]:
    project_apps = [c for c in apps.get_app_configs() if c.path.startswith(str(settings.BASE_DIR))]
    for config in project_apps:
        for module in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if "form" in module.name.rsplit(".", 1)[-1]:
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = {c.name for c in project_apps}
    return [form for form in subclasses(forms.ModelForm) if form.__module__.split(".")[0] in names]


def test_model_forms_of_the_portal_declare_no_ownership_or_state_fields():
    found = _project_modelforms()
    assert any(form.__name__ == "StaffForm" for form in found)
    problems = []
    for form in found:
        name = f"{form.__module__}.{form.__qualname__}"
        meta_fields = getattr(form._meta, "fields", None)
        if meta_fields == "__all__" or (meta_fields is None and form._meta.model is not None):
            problems.append(f"{name}: list its fields explicitly")
            continue
        # Model fields bound straight from the POST; a field declared on the form itself (a choice
        # among the user's own scopes, filled in __init__) is an explicit decision of that form.
        for field in meta_fields or ():
            if field in OWNERSHIP_FIELDS | STATE_FIELDS and (name, field) not in DECLARED_ON_PURPOSE:
                problems.append(f"{name}.{field}")
    assert not problems, f"Forms taking ownership or state from the POST: {problems}"
