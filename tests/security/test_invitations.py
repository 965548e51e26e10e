"""Invitations and dismissals never take over or switch off an account the school does not own.

The attack these guard against: a deputy types the e-mail of somebody else's account (a superuser
made by createsuperuser, a methodist of another municipality) into a staff record, invites it and
dismisses the record. Every test checks the database afterwards, not only the answer.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.imports import get_kind, run_import
from schools.models import AccountLinkInvitation, Membership, StaffMember
from tests.factories import MembershipFactory, StaffFactory, UserFactory
from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row
from tests.world import World

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD_LINK = re.compile(r"/accounts/invitation/(?!link/)[^/\s]+/[^/\s]+/")


@pytest.fixture
def w():
    return World()


@pytest.fixture
def deputy_client(client, w):
    client.force_login(w.user("deputy"))
    return client


@pytest.fixture
def owner_client():
    """The browser of an account's owner, apart from the deputy's."""
    return Client()


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root", "root@example.org", "Корень-2026!", first_name="Главный",
                                         last_name="Администратор")


@pytest.fixture
def methodist(w):
    """A methodist of another municipality, with no staff record."""
    user = UserFactory(username="metod@b.example.org", email="metod@b.example.org", first_name="Ольга",
                       last_name="Методистова")
    MembershipFactory(user=user, role="municipal_methodist", municipality=w.other_municipality)
    return user


@pytest.fixture
def teacher_elsewhere(w):
    """A teacher of a school in another municipality (their account, without a staff record here)."""
    user = UserFactory(username="uchitel@b.example.org", email="uchitel@b.example.org", first_name="Павел",
                       last_name="Другой")
    MembershipFactory(user=user, role="teacher", organisation=w.other_school)
    return user


def account_state(user) -> dict:
    """Everything an inviter must never change about somebody else's account."""
    user = User.objects.get(pk=user.pk)
    return {
        "username": user.username, "email": user.email, "first_name": user.first_name,
        "last_name": user.last_name, "password": user.password, "is_active": user.is_active,
        "is_staff": user.is_staff, "is_superuser": user.is_superuser,
        "memberships": sorted(Membership.objects.filter(user=user).values_list(
            "role", "organisation_id", "municipality_id", "region_id")),
        "staff": list(StaffMember.objects.filter(user=user).values_list("pk", flat=True)),
    }


def roles_in(user, organisation) -> set[str]:
    return set(Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True))


def create_staff(deputy_client, w, email, **overrides) -> StaffMember:
    data = {"last_name": "Захватова", "first_name": "Ирина", "middle_name": "", "position": "учитель химии",
            "is_main_position": "on", "status": "working", "qualification_category": "none", "email": email}
    data.update(overrides)
    response = deputy_client.post(reverse("staff_create", args=[w.school.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return StaffMember.objects.get(email=email.lower())


def invite(deputy_client, staff, capture):
    with capture(execute=True):
        return deputy_client.post(reverse("staff_invite", args=[staff.pk]), follow=True)


def link_path(message) -> str:
    found = re.search(r"/accounts/invitation/link/[0-9a-f-]+/", message.body)
    assert found, message.body
    return found.group(0)


# --- inviting an existing account -----------------------------------------------------------------------------------

@pytest.mark.parametrize("owner", ["methodist", "teacher_elsewhere"])
def test_invitation_never_touches_an_account_outside_the_school(
        deputy_client, w, request, owner, django_capture_on_commit_callbacks):
    account = request.getfixturevalue(owner)
    before = account_state(account)
    staff = create_staff(deputy_client, w, account.email)
    response = invite(deputy_client, staff, django_capture_on_commit_callbacks)
    assert "Ее владельцу отправлено письмо" in response.content.decode()
    assert account_state(account) == before
    staff.refresh_from_db()
    assert staff.user is None
    assert not roles_in(account, w.school)
    # the owner is asked, with a link that changes nothing by itself; no set-password link goes anywhere
    [message] = mail.outbox
    assert message.to == [account.email] and "подтвердите" in message.subject
    assert not PASSWORD_LINK.search(message.body)
    invitation = AccountLinkInvitation.objects.get(staff=staff)
    assert invitation.user == account and invitation.accepted_at is None


@pytest.mark.parametrize("kind", ["superuser", "is_staff"])
@pytest.mark.parametrize("matched_by", ["username", "email"])
def test_invitation_to_an_administrators_account_is_refused_and_changes_nothing(
        deputy_client, w, superuser, kind, matched_by, django_capture_on_commit_callbacks):
    account = superuser
    if kind == "is_staff":
        account = UserFactory(username="staffer", email="staffer@example.org", is_staff=True)
    address = account.email if matched_by == "email" else f"{account.username}@example.org"
    if matched_by == "username":
        account.username = address
        account.save(update_fields=["username"])
    before = account_state(account)
    users_before = User.objects.count()
    staff = create_staff(deputy_client, w, address)
    response = invite(deputy_client, staff, django_capture_on_commit_callbacks)
    assert "служебной учетной записи портала" in response.content.decode()
    assert account_state(account) == before
    staff.refresh_from_db()
    assert staff.user is None and User.objects.count() == users_before
    assert not AccountLinkInvitation.objects.exists() and mail.outbox == []


def test_the_whole_attack_leaves_a_superuser_active_and_unchanged(
        deputy_client, w, superuser, django_capture_on_commit_callbacks):
    before = account_state(superuser)
    superuser.username = "root@example.org"  # createsuperuser with the e-mail as the login
    superuser.save(update_fields=["username"])
    before["username"] = "root@example.org"
    staff = create_staff(deputy_client, w, "Root@Example.org")
    invite(deputy_client, staff, django_capture_on_commit_callbacks)
    deputy_client.post(reverse("staff_dismiss", args=[staff.pk]), {"dismissed_on": "01.09.2026"})
    staff.refresh_from_db()
    assert staff.status == "dismissed" and staff.user is None
    assert account_state(superuser) == before


def test_the_whole_attack_leaves_a_foreign_methodist_active_and_unchanged(
        deputy_client, w, methodist, django_capture_on_commit_callbacks):
    before = account_state(methodist)
    staff = create_staff(deputy_client, w, methodist.email)
    invite(deputy_client, staff, django_capture_on_commit_callbacks)
    deputy_client.post(reverse("staff_dismiss", args=[staff.pk]), {"dismissed_on": "01.09.2026"})
    assert account_state(methodist) == before
    invitation = AccountLinkInvitation.objects.get(staff=staff)
    assert invitation.closed_at is not None, "a dismissal voids the request"


def test_invitation_refuses_an_account_already_tied_to_another_staff_record(
        deputy_client, w, teacher_elsewhere, django_capture_on_commit_callbacks):
    w.other_staff.user = teacher_elsewhere
    w.other_staff.save(update_fields=["user"])
    before = account_state(teacher_elsewhere)
    staff = create_staff(deputy_client, w, teacher_elsewhere.email)
    response = invite(deputy_client, staff, django_capture_on_commit_callbacks)
    assert "уже есть карточка сотрудника" in response.content.decode()
    assert account_state(teacher_elsewhere) == before
    assert not AccountLinkInvitation.objects.exists() and mail.outbox == []


def test_an_address_shared_by_two_accounts_is_refused(deputy_client, w, django_capture_on_commit_callbacks):
    first = UserFactory(username="dvoe@example.org")
    second = UserFactory(username="vtoroy", email="Dvoe@example.org")
    before = [account_state(first), account_state(second)]
    staff = create_staff(deputy_client, w, "dvoe@example.org")
    response = invite(deputy_client, staff, django_capture_on_commit_callbacks)
    assert "несколько учетных записей" in response.content.decode()
    assert [account_state(first), account_state(second)] == before
    assert not AccountLinkInvitation.objects.exists()


# --- the owner's answer ---------------------------------------------------------------------------------------------

@pytest.fixture
def asked(deputy_client, w, methodist, django_capture_on_commit_callbacks):
    """A deputy's request to the foreign methodist to join a deputy's record of the school."""
    staff = create_staff(deputy_client, w, methodist.email, position="заместитель директора по ВР")
    invite(deputy_client, staff, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    return staff, link_path(message)


def test_existing_account_owner_must_accept_while_signed_in(owner_client, w, methodist, asked):
    staff, path = asked
    before = account_state(methodist)
    # signed out: the login page first
    owner_client.logout()
    response = owner_client.get(path)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # signed in as anybody else, even the inviter: refused, and a POST changes nothing
    for other in (w.user("deputy"), w.user("admin"), w.user("teacher")):
        owner_client.force_login(other)
        assert owner_client.get(path).status_code == 403
        assert owner_client.post(path, {"decision": "accept"}).status_code == 403
    assert account_state(methodist) == before
    # the owner sees, in Russian, what will be linked; looking changes nothing
    owner_client.force_login(methodist)
    page = owner_client.get(path)
    text = page.content.decode()
    assert page.status_code == 200
    assert w.school.short_name in text and staff.full_name in text
    assert "Заместитель директора, Педагог" in text and "Принять" in text and "Отклонить" in text
    assert account_state(methodist) == before
    # only the owner's POST links the record and grants the roles shown
    response = owner_client.post(path, {"decision": "accept"})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.user == methodist
    assert roles_in(methodist, w.school) == {"deputy", "teacher"}
    after = account_state(methodist)
    assert {k: v for k, v in after.items() if k not in ("memberships", "staff")} == \
        {k: v for k, v in before.items() if k not in ("memberships", "staff")}, "names and flags stay the owner's"
    assert set(before["memberships"]) <= set(after["memberships"]), "roles elsewhere are kept"
    assert AccountLinkInvitation.objects.get(staff=staff).accepted_at is not None
    # a second answer is refused
    owner_client.post(path, {"decision": "accept"})
    assert roles_in(methodist, w.school) == {"deputy", "teacher"}


def test_the_owner_may_decline_and_nothing_changes(owner_client, methodist, asked):
    staff, path = asked
    before = account_state(methodist)
    owner_client.force_login(methodist)
    assert owner_client.post(path, {"decision": "decline"}).status_code == 302
    response = owner_client.post(path, {"decision": "accept"}, follow=True)
    assert "Приглашение отклонено или отменено" in response.content.decode()
    staff.refresh_from_db()
    assert staff.user is None and account_state(methodist) == before
    assert AccountLinkInvitation.objects.get(staff=staff).closed_at is not None


def test_a_post_without_a_decision_changes_nothing(owner_client, methodist, asked):
    staff, path = asked
    before = account_state(methodist)
    owner_client.force_login(methodist)
    response = owner_client.post(path, {}, follow=True)
    assert "Нажмите «Принять» или «Отклонить»" in response.content.decode()
    staff.refresh_from_db()
    assert staff.user is None and account_state(methodist) == before


def test_an_expired_request_cannot_be_accepted(owner_client, methodist, asked):
    staff, path = asked
    AccountLinkInvitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    before = account_state(methodist)
    owner_client.force_login(methodist)
    assert "Срок приглашения истек" in owner_client.get(path).content.decode()
    response = owner_client.post(path, {"decision": "accept"}, follow=True)
    assert "Срок приглашения истек" in response.content.decode()
    staff.refresh_from_db()
    assert staff.user is None and account_state(methodist) == before


@pytest.mark.parametrize("change", [{"email": "drugoy@example.org"}, {"position": "директор"}])
def test_changing_the_address_or_the_position_voids_a_waiting_request(
        deputy_client, owner_client, w, methodist, asked, change):
    staff, path = asked
    data = {"last_name": staff.last_name, "first_name": staff.first_name, "middle_name": "",
            "position": staff.position, "is_main_position": "on", "status": "working",
            "qualification_category": "none", "email": staff.email, **change}
    assert deputy_client.post(reverse("staff_edit", args=[staff.pk]), data).status_code == 302
    before = account_state(methodist)
    owner_client.force_login(methodist)
    owner_client.post(path, {"decision": "accept"})
    staff.refresh_from_db()
    assert staff.user is None and account_state(methodist) == before


def test_a_request_for_a_dismissed_record_cannot_be_accepted(deputy_client, owner_client, methodist, asked):
    staff, path = asked
    deputy_client.post(reverse("staff_dismiss", args=[staff.pk]), {"dismissed_on": "01.09.2026"})
    before = account_state(methodist)
    owner_client.force_login(methodist)
    owner_client.post(path, {"decision": "accept"})
    staff.refresh_from_db()
    assert staff.user is None and account_state(methodist) == before


def test_the_owner_is_asked_again_when_the_linked_record_needs_a_new_role(
        deputy_client, owner_client, w, methodist, asked, django_capture_on_commit_callbacks):
    staff, path = asked
    owner_client.force_login(methodist)
    owner_client.post(path, {"decision": "accept"})
    staff.position = "директор"
    staff.save(update_fields=["position", "position_category"])
    mail.outbox.clear()
    before = account_state(methodist)
    invite(deputy_client, staff, django_capture_on_commit_callbacks)
    assert account_state(methodist) == before, "the account has roles elsewhere: the inviter does not add one"
    [message] = mail.outbox
    assert link_path(message) != path
    owner_client.post(link_path(message), {"decision": "accept"})
    assert "director" in roles_in(methodist, w.school)


# --- re-invitations and e-mail changes of a record that has an account ---------------------------------------------

def test_changing_the_staff_email_never_changes_the_account_and_a_resend_goes_to_the_account(
        deputy_client, w, django_capture_on_commit_callbacks):
    staff = create_staff(deputy_client, w, "novaya@example.org")
    invite(deputy_client, staff, django_capture_on_commit_callbacks)
    staff.refresh_from_db()
    account = staff.user
    before = account_state(account)
    data = {"last_name": staff.last_name, "first_name": staff.first_name, "middle_name": "",
            "position": staff.position, "is_main_position": "on", "status": "working",
            "qualification_category": "none", "email": "deputy-own@example.org"}
    deputy_client.post(reverse("staff_edit", args=[staff.pk]), data)
    assert account_state(account) == before, "the login and e-mail stay the account's"
    mail.outbox.clear()
    response = invite(deputy_client, staff, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [["novaya@example.org"]]
    assert "novaya@example.org" in response.content.decode()


def test_a_reinvitation_never_sends_a_password_link_for_an_account_in_use(
        deputy_client, w, django_capture_on_commit_callbacks):
    teacher = w.teacher_staff
    before = account_state(teacher.user)
    response = invite(deputy_client, teacher, django_capture_on_commit_callbacks)
    assert "уже есть учетная запись" in response.content.decode()
    assert mail.outbox == [] and account_state(teacher.user) == before


def test_a_reinvitation_never_switches_on_a_closed_account(deputy_client, w, django_capture_on_commit_callbacks):
    teacher = w.teacher_staff
    deputy_client.post(reverse("staff_dismiss", args=[teacher.pk]), {"dismissed_on": "01.06.2026"})
    StaffMember.objects.filter(pk=teacher.pk).update(status="working", dismissed_on=None)
    before = account_state(teacher.user)
    response = invite(deputy_client, teacher, django_capture_on_commit_callbacks)
    assert "включить ее может администратор" in response.content.decode()
    assert account_state(teacher.user) == before and not before["is_active"]


def test_a_reinvitation_never_touches_a_linked_administrator(deputy_client, w, superuser,
                                                              django_capture_on_commit_callbacks):
    staff = StaffFactory(organisation=w.school, user=superuser, email="root@example.org")
    before = account_state(superuser)
    response = invite(deputy_client, staff, django_capture_on_commit_callbacks)
    assert "служебной учетной записью" in response.content.decode()
    assert account_state(superuser) == before and mail.outbox == []


# --- dismissal ------------------------------------------------------------------------------------------------------

def test_dismissal_never_deactivates_a_superuser(deputy_client, w, superuser):
    staff = StaffFactory(organisation=w.school, user=superuser)  # linked by an administrator
    MembershipFactory(user=superuser, role="teacher", organisation=w.school)
    deputy_client.post(reverse("staff_dismiss", args=[staff.pk]), {"dismissed_on": "01.06.2026"})
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.is_superuser
    assert not roles_in(superuser, w.school), "the school's roles end all the same"


def test_dismissal_keeps_an_account_with_memberships_elsewhere_active(deputy_client, w):
    user = UserFactory(username="dvuh-shkol@example.org")
    staff = StaffFactory(organisation=w.school, user=user)
    MembershipFactory(user=user, role="teacher", organisation=w.school)
    MembershipFactory(user=user, role="teacher", organisation=w.sibling_school)
    MembershipFactory(user=user, role="municipal_methodist", municipality=w.other_municipality)
    deputy_client.post(reverse("staff_dismiss", args=[staff.pk]), {"dismissed_on": "01.06.2026"})
    user.refresh_from_db()
    assert user.is_active
    assert not roles_in(user, w.school), "the dismissed person loses access to the school"
    assert roles_in(user, w.sibling_school) == {"teacher"}
    assert Membership.objects.filter(user=user, role="municipal_methodist").exists()


def test_dismissal_ends_the_school_roles_and_closes_an_account_that_had_no_others(deputy_client, w):
    teacher = w.teacher_staff
    deputy_client.post(reverse("staff_dismiss", args=[teacher.pk]), {"dismissed_on": "01.06.2026"})
    teacher.user.refresh_from_db()
    assert not teacher.user.is_active
    assert not Membership.objects.filter(user=teacher.user).exists()


def test_dismissal_through_the_edit_form_follows_the_same_rule(deputy_client, w, superuser):
    elsewhere = UserFactory(username="eshche@example.org")
    for user in (superuser, elsewhere):
        MembershipFactory(user=user, role="teacher", organisation=w.school)
    MembershipFactory(user=elsewhere, role="teacher", organisation=w.other_school)
    for user in (superuser, elsewhere):
        staff = StaffFactory(organisation=w.school, user=user)
        data = {"last_name": staff.last_name, "first_name": staff.first_name, "middle_name": staff.middle_name,
                "position": staff.position, "is_main_position": "on", "status": "dismissed",
                "dismissed_on": "2026-06-01", "qualification_category": "none", "email": ""}
        assert deputy_client.post(reverse("staff_edit", args=[staff.pk]), data).status_code == 302
        user.refresh_from_db()
        assert user.is_active and not roles_in(user, w.school)
    assert roles_in(elsewhere, w.other_school) == {"teacher"}


# --- the staff import: what its user could do in the browser, no more ---------------------------------------------

def import_staff(rows, user=None, capture=None):
    if capture is None:
        return run_import(get_kind("staff"), csv_bytes(STAFF_HEADER, rows), "staff.csv", user=user)
    with capture(execute=True):
        return run_import(get_kind("staff"), csv_bytes(STAFF_HEADER, rows), "staff.csv", user=user)


@pytest.mark.parametrize("importer", ["deputy", None])
def test_staff_import_never_links_an_existing_foreign_account(
        w, methodist, importer, django_capture_on_commit_callbacks):
    before = account_state(methodist)
    rows = [staff_row(w.school.short_name, "Захватова", **{"E-mail": methodist.email.upper()})]
    result = import_staff(rows, w.user(importer) if importer else None, django_capture_on_commit_callbacks)
    assert result.is_valid, result.error_lines()
    staff = StaffMember.objects.get(last_name="Захватова")
    assert staff.user is None and account_state(methodist) == before
    assert AccountLinkInvitation.objects.get(staff=staff).user == methodist
    assert [m.to for m in mail.outbox] == [[methodist.email]]
    # importing the file again neither asks again nor changes the account
    mail.outbox.clear()
    import_staff(rows, w.user(importer) if importer else None, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and account_state(methodist) == before


def test_staff_import_refuses_an_administrators_address_and_writes_nothing(w, superuser):
    before = account_state(superuser)
    result = import_staff([staff_row(w.school.short_name, "Захватова", **{"E-mail": "root@example.org"})],
                          w.user("deputy"))
    assert not result.is_valid
    assert any("служебной учетной записи портала" in line for line in result.error_lines())
    assert not StaffMember.objects.filter(last_name="Захватова").exists()
    assert account_state(superuser) == before


def test_staff_import_opens_accounts_only_for_those_who_may_invite(w, django_capture_on_commit_callbacks):
    # The municipal methodist may not invite (nor manage staff) in the browser: their staff file is
    # refused as a whole, so it opens no account and sends no mail.
    users_before = User.objects.count()
    result = import_staff([staff_row(w.school.short_name, "Новенькая", **{"E-mail": "novenkaya@example.org"})],
                          w.user("municipal_methodist"), django_capture_on_commit_callbacks)
    assert not result.is_valid and "недоступна для вашей роли" in result.error_lines()[0]
    assert not StaffMember.objects.filter(last_name="Новенькая").exists()
    assert User.objects.count() == users_before and mail.outbox == []


def test_staff_import_dismissal_keeps_accounts_with_other_roles_and_administrators(w, superuser):
    elsewhere = UserFactory(username="dvuh@example.org")
    people = {}
    for name, user in (("Суперова", superuser), ("Двухшкольная", elsewhere)):
        people[name] = StaffFactory(organisation=w.school, user=user, last_name=name, first_name="Анна",
                                    middle_name="Сергеевна", birth_date=dt.date(1980, 2, 1))
        MembershipFactory(user=user, role="teacher", organisation=w.school)
    MembershipFactory(user=elsewhere, role="teacher", organisation=w.sibling_school)
    rows = [staff_row(w.school.short_name, name, **{"Статус": "уволен", "Дата увольнения": "01.06.2026"})
            for name in people]
    result = import_staff(rows)
    assert result.counts["update"] == 2, result.error_lines()
    for user in (superuser, elsewhere):
        user.refresh_from_db()
        assert user.is_active and not roles_in(user, w.school)
    assert superuser.is_superuser
    assert roles_in(elsewhere, w.sibling_school) == {"teacher"}
