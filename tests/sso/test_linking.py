"""The linking rule of single sign-on (docs/sso.md), on the function both integrations call.

A directory or identity-provider identity signs in to the account linked to the one working
(not dismissed) staff record with its e-mail; anything else is refused with a Russian message and
logged, and no refused sign-in writes anything. Roles are the portal's, unless a mapping names them.
"""

import logging

import pytest
from django.contrib.auth import get_user_model

from schools.models import AccountLinkInvitation, Membership, StaffMember
from schools.sso.linking import SsoIdentity, SsoRefused, sso_sign_in
from tests.factories import MembershipFactory, OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
EMAIL = "ivanova@school.example"


def identity(*emails, groups=None, source="ldap"):
    return SsoIdentity(source=source, subject=f"uid=x,{source}", emails=tuple(emails or (EMAIL,)),
                       groups=frozenset(groups) if groups is not None else None)


@pytest.fixture
def school():
    return OrganisationFactory()


@pytest.fixture
def linked(school):
    """A working teacher whose record is linked to the account an invitation made (login = e-mail)."""
    user = UserFactory(username=EMAIL, email=EMAIL)
    MembershipFactory(user=user, role=Membership.Role.TEACHER, organisation=school)
    return StaffFactory(organisation=school, email=EMAIL, user=user)


def refused(ident, **kwargs) -> SsoRefused:
    with pytest.raises(SsoRefused) as caught:
        sso_sign_in(identity=ident, **kwargs)
    return caught.value


def test_signs_in_to_the_account_linked_to_the_staff_record(linked):
    assert sso_sign_in(identity=identity()) == linked.user


def test_the_email_is_compared_without_case(linked):
    assert sso_sign_in(identity=identity("IVANOVA@School.Example")) == linked.user


def test_one_of_several_directory_addresses_may_be_the_record_s(linked):
    assert sso_sign_in(identity=identity("old@elsewhere.example", EMAIL)) == linked.user


def test_an_account_whose_login_is_not_the_e_mail_is_found_by_its_e_mail(school):
    user = UserFactory(username="ivanova", email=EMAIL)
    StaffFactory(organisation=school, email=EMAIL, user=user)
    assert sso_sign_in(identity=identity()) == user


def test_no_staff_record_is_refused_and_logged_without_a_new_account(caplog):
    before = User.objects.count()
    with caplog.at_level(logging.INFO, logger="iom.security"):
        refusal = refused(identity())
    assert refusal.reason == "no_staff" and EMAIL in refusal.message
    assert "сотрудника" in refusal.message  # Russian, says what to do
    assert User.objects.count() == before
    record = next(r for r in caplog.records if r.getMessage() == "sso_refused")
    assert record.reason == "no_staff" and record.source == "ldap" and record.identity == EMAIL


def test_an_identity_without_an_e_mail_is_refused():
    assert refused(SsoIdentity(source="oidc", subject="sub-1", emails=())).reason == "no_email"


def test_several_working_records_with_the_address_are_refused(school):
    StaffFactory(organisation=school, email=EMAIL)
    StaffFactory(organisation=OrganisationFactory(), email=EMAIL.upper())
    before = User.objects.count()
    assert refused(identity()).reason == "several_staff"
    assert User.objects.count() == before


def test_a_dismissed_staff_member_cannot_sign_in(linked):
    linked.status = StaffMember.Status.DISMISSED
    linked.save()
    refusal = refused(identity())
    assert refusal.reason == "dismissed" and "уволен" in refusal.message


def test_a_dismissed_record_beside_a_working_one_is_ignored(linked):
    StaffFactory(organisation=OrganisationFactory(), email=EMAIL.upper(), status=StaffMember.Status.DISMISSED)
    assert sso_sign_in(identity=identity()) == linked.user


def test_maternity_leave_is_not_dismissal(linked):
    linked.status = StaffMember.Status.MATERNITY
    linked.save()
    assert sso_sign_in(identity=identity()) == linked.user


@pytest.mark.parametrize("flag", ["is_superuser", "is_staff"])
def test_administrators_keep_their_passwords(linked, flag):
    setattr(linked.user, flag, True)
    linked.user.save()
    assert refused(identity()).reason == "privileged"


def test_a_switched_off_account_is_refused(linked):
    linked.user.is_active = False
    linked.user.save()
    assert refused(identity()).reason == "inactive"


def test_a_record_whose_e_mail_was_changed_does_not_open_the_linked_account(linked):
    """The record's e-mail is contact data a staff manager edits: typing one's own directory address
    into a colleague's record must not sign one in as the colleague."""
    linked.email = "deputy@school.example"
    linked.save()
    assert refused(identity("deputy@school.example")).reason == "account_mismatch"


def test_a_record_without_an_account_gets_one_without_roles_and_keeps_it(school):
    staff = StaffFactory(organisation=school, email=EMAIL)
    user = sso_sign_in(identity=identity("Ivanova@School.Example"))
    staff.refresh_from_db()
    assert staff.user == user and user.username == EMAIL and user.email == EMAIL
    assert not user.has_usable_password() and not user.is_staff and not user.is_superuser
    assert user.memberships.count() == 0  # roles come from the portal: the deputy's invitation
    assert (user.first_name, user.last_name) == (staff.first_name, staff.last_name)
    again = sso_sign_in(identity=identity())
    assert again == user and User.objects.filter(email__iexact=EMAIL).count() == 1


def test_an_existing_account_of_the_school_is_reused_not_duplicated(school):
    account = UserFactory(username=EMAIL, email=EMAIL)
    MembershipFactory(user=account, role=Membership.Role.TEACHER, organisation=school)
    staff = StaffFactory(organisation=school, email=EMAIL)
    invitation = AccountLinkInvitation.objects.create(
        staff=staff, user=account, role="teacher", expires_at="2999-01-01T00:00:00Z")
    assert sso_sign_in(identity=identity()) == account
    staff.refresh_from_db()
    invitation.refresh_from_db()
    assert staff.user == account and User.objects.filter(email__iexact=EMAIL).count() == 1
    assert invitation.closed_at is not None  # answered by the link itself


@pytest.mark.parametrize("make, reason", [
    (lambda school: UserFactory(username=EMAIL, email=EMAIL, is_superuser=True), "privileged"),
    (lambda school: UserFactory(username=EMAIL, email=EMAIL, is_active=False), "inactive"),
    (lambda school: StaffFactory(email="other@school.example", organisation=school,
                                 user=UserFactory(username=EMAIL, email=EMAIL)).user, "linked_elsewhere"),
    (lambda school: MembershipFactory(user=UserFactory(username=EMAIL, email=EMAIL), role="municipal_methodist",
                                      municipality=school.municipality).user, "account_elsewhere"),
    (lambda school: [UserFactory(username=EMAIL), UserFactory(username="ivanova", email=EMAIL)][0], "several_accounts"),
])
def test_an_existing_account_the_school_does_not_own_is_never_linked(school, make, reason):
    make(school)
    staff = StaffFactory(organisation=school, email=EMAIL)
    accounts = User.objects.count()
    assert refused(identity()).reason == reason
    staff.refresh_from_db()
    assert staff.user is None and User.objects.count() == accounts


def test_roles_are_the_portal_s_without_a_mapping(linked):
    MembershipFactory(user=linked.user, role=Membership.Role.DEPUTY, organisation=linked.organisation)
    before = sorted(linked.user.memberships.values_list("role", flat=True))
    sso_sign_in(identity=identity(groups={"cn=iom-directors,ou=groups"}))
    assert sorted(linked.user.memberships.values_list("role", flat=True)) == before


MAPPING = {"cn=iom-deputies,ou=groups": frozenset({"deputy"}), "cn=iom-directors,ou=groups": frozenset({"director"})}


def test_a_mapping_grants_the_mapped_roles_in_the_record_s_organisation_only(linked):
    user = sso_sign_in(identity=identity(groups={"CN=IOM-Deputies,OU=Groups", "cn=other"}), role_mapping=MAPPING)
    assert set(user.memberships.values_list("role", "organisation")) == {
        ("teacher", linked.organisation.pk), ("deputy", linked.organisation.pk)}


def test_a_mapping_takes_away_a_mapped_role_the_directory_no_longer_gives(linked):
    other = OrganisationFactory()
    MembershipFactory(user=linked.user, role=Membership.Role.DIRECTOR, organisation=linked.organisation)
    MembershipFactory(user=linked.user, role=Membership.Role.DIRECTOR, organisation=other)
    MembershipFactory(user=linked.user, role=Membership.Role.MUNICIPAL_METHODIST,
                      municipality=linked.organisation.municipality)
    sso_sign_in(identity=identity(groups=set()), role_mapping=MAPPING)
    # the unmapped teacher role and every role outside the record's organisation stay
    assert set(linked.user.memberships.values_list("role", "organisation")) == {
        ("teacher", linked.organisation.pk), ("director", other.pk), ("municipal_methodist", None)}


def test_a_refused_sign_in_changes_no_role(linked):
    linked.user.is_active = False
    linked.user.save()
    refused(identity(groups={"cn=iom-directors,ou=groups"}), role_mapping=MAPPING)
    assert list(linked.user.memberships.values_list("role", flat=True)) == ["teacher"]
