"""Signing in with the directory's login through the portal's login form, against a real slapd.

The directory (tests/sso/slapd.py) holds ivanova, kozlova (in cn=iom-deputies), petrov (no staff
record in the portal), sidorova (dismissed), chief (the portal's superuser's address) and nomail.
"""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from schools.models import Membership, StaffMember
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory
from tests.sso import slapd
from tests.sso.conftest import configure

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def directory(slapd_server, settings):
    configure(settings, slapd_server.env())
    return slapd_server


@pytest.fixture
def school():
    return OrganisationFactory()


def teacher(school, login, *, account=True, **fields):
    mail = slapd.USERS[login][0].lower()
    user = UserFactory(username=mail, email=mail) if account else None
    if user is not None:
        MembershipFactory(user=user, role=Membership.Role.TEACHER, organisation=school)
    return StaffFactory(organisation=school, email=mail, user=user, **fields)


def sign_in(client, login, password=None):
    password = password if password is not None else slapd.USERS[login][1]
    return client.post(reverse("login"), {"username": login, "password": password})


def signed_in_as(client):
    return client.session.get("_auth_user_id")


def form_error(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_the_directory_login_signs_in_to_the_staff_record_s_account(client, directory, school):
    staff = teacher(school, "ivanova")
    response = sign_in(client, "ivanova")
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_as(client) == str(staff.user.pk)
    assert client.session["_auth_user_backend"] == "schools.sso.directory.PortalLDAPBackend"
    assert client.get(reverse("home")).status_code == 200  # the session holds on the next request


def test_the_account_is_not_changed_by_the_directory(client, directory, school):
    staff = teacher(school, "ivanova")
    staff.user.first_name = "Мария"
    staff.user.save()
    password_hash = staff.user.password
    sign_in(client, "ivanova")
    staff.user.refresh_from_db()
    assert staff.user.first_name == "Мария" and staff.user.password == password_hash
    assert staff.user.username == "ivanova@school.example"


def test_a_wrong_directory_password_is_the_usual_refusal(client, directory, school):
    teacher(school, "ivanova")
    response = sign_in(client, "ivanova", "not-the-password")
    assert response.status_code == 200 and signed_in_as(client) is None
    assert "Неверный логин или пароль" in form_error(response)


def test_a_directory_user_without_a_staff_record_is_refused_with_the_reason(client, directory, caplog):
    accounts = User.objects.count()
    with caplog.at_level(logging.INFO, logger="iom.security"):
        response = sign_in(client, "petrov")
    assert signed_in_as(client) is None and User.objects.count() == accounts
    assert "нет работающего сотрудника с e-mail petrov@school.example" in form_error(response)
    refusal = next(r for r in caplog.records if r.getMessage() == "sso_refused")
    assert refusal.source == "ldap" and refusal.reason == "no_staff"
    assert refusal.subject == f"uid=petrov,{slapd.PEOPLE}"


def test_a_dismissed_staff_member_cannot_sign_in(client, directory, school):
    teacher(school, "sidorova", status=StaffMember.Status.DISMISSED, dismissed_on="2026-01-31")
    response = sign_in(client, "sidorova")
    assert signed_in_as(client) is None and "уволен" in form_error(response)


def test_a_directory_entry_without_mail_is_refused(client, directory):
    response = sign_in(client, "nomail")
    assert signed_in_as(client) is None and "не сообщил e-mail" in form_error(response)


def test_the_administrator_keeps_the_local_password(client, directory, school):
    chief = UserFactory(username="chief", email="chief@school.example", is_superuser=True, is_staff=True)
    StaffFactory(organisation=school, email="chief@school.example", user=chief)
    response = sign_in(client, "chief")
    assert signed_in_as(client) is None and "только по своему логину и паролю" in form_error(response)
    assert sign_in(client, "chief", "pass-word-123").status_code == 302  # tests.factories.UserFactory's
    assert signed_in_as(client) == str(chief.pk)
    assert client.session["_auth_user_backend"] == "django.contrib.auth.backends.ModelBackend"


def test_local_passwords_still_work_beside_the_directory(client, directory, school):
    staff = teacher(school, "ivanova")
    assert sign_in(client, "ivanova@school.example", "pass-word-123").status_code == 302
    assert signed_in_as(client) == str(staff.user.pk)


def test_a_first_sign_in_links_a_new_account_without_roles_and_the_second_reuses_it(client, directory, school):
    staff = teacher(school, "ivanova", account=False)
    assert sign_in(client, "ivanova").status_code == 302
    staff.refresh_from_db()
    assert staff.user is not None and staff.user.memberships.count() == 0
    client.logout()
    assert sign_in(client, "ivanova").status_code == 302
    assert signed_in_as(client) == str(staff.user.pk)
    assert User.objects.filter(email__iexact="ivanova@school.example").count() == 1


def test_roles_are_the_portal_s_although_the_directory_has_groups(client, directory, school):
    staff = teacher(school, "kozlova")
    sign_in(client, "kozlova")
    assert signed_in_as(client) == str(staff.user.pk)
    assert list(staff.user.memberships.values_list("role", flat=True)) == ["teacher"]


def test_a_configured_mapping_gives_the_mapped_role_in_the_record_s_organisation(client, slapd_server, settings,
                                                                                 school):
    configure(settings, slapd_server.env(
        LDAP_GROUP_SEARCH_BASE=slapd.GROUPS,
        LDAP_ROLE_MAPPING=f'{{"{slapd.DEPUTIES.upper()}": "deputy", "{slapd.DIRECTORS}": "director"}}'))
    staff = teacher(school, "kozlova")
    MembershipFactory(user=staff.user, role=Membership.Role.DIRECTOR, organisation=school)
    elsewhere = MembershipFactory(user=staff.user, role=Membership.Role.DIRECTOR, organisation=OrganisationFactory())
    sign_in(client, "kozlova")
    assert signed_in_as(client) == str(staff.user.pk)
    assert set(staff.user.memberships.values_list("role", "organisation")) == {
        ("teacher", school.pk), ("deputy", school.pk), ("director", elsewhere.organisation_id)}


def test_an_unreachable_directory_says_so(client, settings, school):
    configure(settings, {"LDAP_SERVER_URI": "ldap://127.0.0.1:9", "LDAP_USER_SEARCH_BASE": slapd.PEOPLE,
                         "LDAP_TIMEOUT": "2"})
    teacher(school, "ivanova")
    response = sign_in(client, "ivanova")
    assert signed_in_as(client) is None and "Каталог учетных записей сейчас не отвечает" in form_error(response)


@pytest.mark.axes
def test_failed_directory_sign_ins_count_towards_the_lock(client, directory, school, settings):
    teacher(school, "ivanova")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "ivanova", "wrong").status_code == 200
    assert sign_in(client, "ivanova", "wrong").status_code == 429
    assert sign_in(client, "ivanova").status_code == 429  # the right directory password is refused too
    assert signed_in_as(client) is None


def test_local_passwords_for_administrators_only_when_asked(client, slapd_server, settings, school):
    configure(settings, slapd_server.env(SSO_LOCAL_PASSWORDS="admins"))
    staff = teacher(school, "ivanova")
    admin_role = MembershipFactory(user=UserFactory(username="portal-admin"), role=Membership.Role.ADMIN).user
    superuser = UserFactory(username="root-admin", is_superuser=True)
    assert sign_in(client, "ivanova@school.example", "pass-word-123").status_code == 200  # the teacher's password
    assert signed_in_as(client) is None
    assert sign_in(client, "ivanova").status_code == 302 and signed_in_as(client) == str(staff.user.pk)
    for administrator in (admin_role, superuser):
        client.logout()
        assert sign_in(client, administrator.username, "pass-word-123").status_code == 302
        assert signed_in_as(client) == str(administrator.pk)
