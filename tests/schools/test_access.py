import pytest

from schools.access import CAPABILITIES, can, has_capability, holders_of, organisations_for, roles_of, scope_q
from schools.models import Membership, Organisation, StaffMember
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def visible_org_names(user, capability="org.view"):
    return set(organisations_for(user, capability).values_list("short_name", flat=True))


def test_deputy_sees_only_their_school(w):
    assert visible_org_names(w.user("deputy")) == {"Школа A1"}


def test_municipal_methodist_sees_every_school_of_their_municipality_only(w):
    assert visible_org_names(w.user("municipal_methodist")) == {"Школа A1", "Школа A2"}


def test_regional_methodist_sees_every_municipality_of_their_region(w):
    assert visible_org_names(w.user("regional_methodist")) == {"Школа A1", "Школа A2", "Школа B1"}


def test_administrator_sees_everything(w):
    assert visible_org_names(w.user("admin")) == set(Organisation.objects.values_list("short_name", flat=True))


def test_superuser_without_membership_is_an_administrator(w):
    root = UserFactory(username="root", is_superuser=True)
    assert "admin" in roles_of(root)
    assert visible_org_names(root) == set(Organisation.objects.values_list("short_name", flat=True))


def test_teacher_has_no_organisation_wide_view(w):
    assert visible_org_names(w.user("teacher")) == set()
    assert not has_capability(w.user("teacher"), "staff.view")


def test_one_person_with_several_roles_gets_the_union_of_their_rights(w):
    deputy = w.user("deputy")
    assert roles_of(deputy) == {"deputy", "teacher"}
    MembershipFactory(user=deputy, role=Membership.Role.MUNICIPAL_METHODIST, municipality=w.other_municipality)
    deputy._iom_memberships = None  # memberships are cached per request
    assert visible_org_names(deputy) == {"Школа A1", "Школа B1"}
    assert can(deputy, "staff.manage", w.school)
    assert not can(deputy, "staff.manage", w.other_school), "managing staff comes from the deputy role only"


def test_scope_q_filters_staff_through_their_organisation(w):
    names = set(
        StaffMember.objects.filter(scope_q(w.user("municipal_methodist"), "staff.view"))
        .values_list("organisation__short_name", flat=True)
    )
    assert names == {"Школа A1", "Школа A2"}


def test_administrator_scope_survives_being_or_ed_with_another_condition(w):
    from django.db.models import Q

    q = Q(user=w.user("admin")) | scope_q(w.user("admin"), "staff.view")
    assert StaffMember.objects.filter(q).count() == StaffMember.objects.count()


def test_inactive_user_has_no_rights(w):
    deputy = w.user("deputy")
    deputy.is_active = False
    deputy.save()
    deputy._iom_memberships = None
    assert roles_of(deputy) == set()
    assert not can(deputy, "staff.manage", w.school)


def test_credit_scope_can_be_narrowed_to_one_role(w):
    methodist = w.user("municipal_methodist")
    assert can(methodist, "route.credit", w.school)
    assert not can(methodist, "route.credit", w.school, roles={"regional_methodist"})


def test_membership_requires_the_scope_of_its_role():
    from django.core.exceptions import ValidationError

    user = UserFactory()
    org = StaffFactory().organisation
    with pytest.raises(ValidationError, match="муниципалитет"):
        Membership(user=user, role="municipal_methodist", organisation=org).full_clean()
    with pytest.raises(ValidationError, match="администратор"):
        Membership(user=user, role="admin", organisation=org).full_clean()


def usernames(users) -> set[str]:
    return set(users.values_list("username", flat=True))


def test_holders_of_a_capability_over_a_school_are_the_memberships_reaching_it(w):
    assert usernames(holders_of("route.view", w.school)) == {
        "deputy", "director", "methodist", "regional", "admin"}
    assert usernames(holders_of("route.view", w.other_school)) == {"regional", "admin"}
    assert usernames(holders_of("staff.manage", w.school)) == {"deputy", "admin"}


def test_holders_of_a_capability_over_a_municipality_as_a_whole_leave_out_its_schools(w):
    assert usernames(holders_of("methodics.view", w.municipality)) == {"methodist", "regional", "admin"}
    assert usernames(holders_of("projects.manage", w.municipality)) == {"methodist", "admin"}


def test_local_holders_are_the_organisations_own(w):
    assert usernames(holders_of("diagnostics.assess", w.school, local=True)) == {"deputy"}
    assert usernames(holders_of("projects.manage", w.municipality, local=True)) == {"methodist"}


def test_holders_of_are_active_accounts_and_superusers_count_as_administrators(w):
    UserFactory(username="root", is_superuser=True)
    deputy = w.user("deputy")
    deputy.is_active = False
    deputy.save()
    assert usernames(holders_of("staff.manage", w.school)) == {"admin", "root"}
    assert usernames(holders_of("staff.manage", w.school, local=True)) == set()


def test_holders_of_answer_as_can_does(w):
    for capability in CAPABILITIES:
        for target in (w.school, w.other_school, w.far_school, w.municipality, w.far_municipality):
            holders = usernames(holders_of(capability, target))
            for role in ("teacher", "deputy", "director", "municipal_methodist", "regional_methodist", "admin"):
                user = w.user(role)
                assert (user.username in holders) == can(user, capability, target), (capability, target, role)


def test_get_for_answers_404_outside_the_scope_and_403_where_seen_but_not_allowed(w):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from schools.access import get_for

    director, deputy = w.user("director"), w.user("deputy")
    assert get_for(deputy, StaffMember, w.colleague.pk, need="staff.manage") == w.colleague
    with pytest.raises(PermissionDenied, match="^Нельзя$"):
        get_for(director, StaffMember, w.colleague.pk, need="staff.manage", denied="Нельзя")
    with pytest.raises(Http404):
        get_for(deputy, StaffMember, w.other_staff.pk, need="staff.manage")
    # an object rule, by its registered name: the teacher's own staff record is theirs to see, not to manage
    teacher = w.user("teacher")
    assert get_for(teacher, StaffMember, w.teacher_staff.pk, obj_rule="own") == w.teacher_staff
    with pytest.raises(PermissionDenied):
        get_for(teacher, StaffMember, w.teacher_staff.pk, need="staff.manage", obj_rule="own")


def test_owner_of_follows_the_record_a_record_belongs_with(w):
    from diagnostics.models import Competency, Deficit
    from schools.access import owner_of

    deficit = Deficit(person=w.colleague, competency=Competency.objects.first())
    assert owner_of(deficit) == w.school
    assert owner_of(w.municipality) == w.municipality
