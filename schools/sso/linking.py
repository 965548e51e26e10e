"""Which portal account a directory or identity-provider identity signs in to (docs/sso.md).

The one rule of both integrations, LDAP and OpenID Connect:

- the identity's e-mail (the directory attribute or the provider's claim the administrator chose)
  finds the one working (not dismissed) staff record with that e-mail; none, several or only
  dismissed ones: refused;
- that record's account is the one signed in to, if the account itself has that address as login
  or e-mail: a record's e-mail is contact data a staff manager edits, and typing one's own directory
  address into a colleague's record must not open the colleague's account;
- a record without an account takes the one account with its address when an invitation could link
  it without asking its owner (schools.services.address_refusal, is_school_account), or a new one with
  no role; an account is never duplicated;
- administrators (superusers, Django staff users) and switched-off accounts are refused: they keep
  local passwords and the administrator's decisions;
- roles are the portal's Memberships; a configured mapping manages only the roles it names, and
  only in the staff record's organisation.

A refusal writes nothing, raises SsoRefused with a Russian sentence for the login page, and is
written to the security log (`sso_refused`).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.functions import Lower

from core import words
from core.cache import bump_on_commit
from core.errors import DomainError
from core.logging import log_security_event
from schools.access import is_privileged_account, is_school_account
from schools.models import AccountLinkInvitation, Membership, StaffMember
from schools.services import (
    REFUSAL_INACTIVE,
    REFUSAL_LINKED,
    REFUSAL_PRIVILEGED,
    REFUSAL_SEVERAL,
    accounts_with_address,
    address_refusal,
)

User = get_user_model()

# Roles a mapping may give: those held over one organisation, the staff record's.
MAPPABLE_ROLES = frozenset(role for role, scope in Membership.SCOPE_OF_ROLE.items() if scope == "organisation")

_ADDRESS_REASONS = {
    REFUSAL_PRIVILEGED: "privileged", REFUSAL_SEVERAL: "several_accounts", REFUSAL_LINKED: "linked_elsewhere",
    REFUSAL_INACTIVE: "inactive",
}


@dataclass(frozen=True)
class SsoIdentity:
    source: str  # "ldap" or "oidc", for the security log
    subject: str  # the directory entry's DN or the provider's `sub`, for the security log
    emails: tuple[str, ...]  # the values of the link attribute or claim
    groups: frozenset[str] | None = None  # group DNs or claim values, read only when a role mapping is configured


class SsoRefused(DomainError):
    """A sign-in through the directory or the provider that the portal does not accept."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason  # a code for the security log and the tests
        self.message = message



@transaction.atomic
def sso_sign_in(*, identity: SsoIdentity, role_mapping: dict[str, frozenset[str]] | None = None,
                request=None) -> User:
    """The account `identity` signs in to, linked or created as the rule says; raises SsoRefused.

    `role_mapping`: group (lower-cased) → roles; None when no mapping is configured, and then no
    role changes. Called by the backends inside Django's authenticate(); the caller logs the user in.
    """
    try:
        staff = _working_record(identity)
        user = _account_of(staff, identity, request)
    except SsoRefused as refusal:
        log_security_event("sso_refused", request, source=identity.source, reason=refusal.reason,
                           identity=", ".join(identity.emails)[:254], subject=identity.subject[:254])
        raise
    if role_mapping is not None:
        _apply_role_mapping(user=user, staff=staff, groups=identity.groups or frozenset(), mapping=role_mapping)
    return user


def _working_record(identity: SsoIdentity) -> StaffMember:
    wanted = {email.strip().lower() for email in identity.emails if email and email.strip()}
    if not wanted:
        raise SsoRefused("no_email", "Каталог или провайдер входа не сообщил e-mail учетной записи: войти через "
                                     "него нельзя. Обратитесь к администратору портала.")
    shown = ", ".join(sorted(wanted))
    records = list(StaffMember.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=wanted)
                   .select_for_update(of=("self",)).select_related("user", "organisation"))
    working = [record for record in records if record.status != StaffMember.Status.DISMISSED]
    if not working and records:
        raise SsoRefused("dismissed", f"Сотрудник с e-mail {shown} уволен: вход через единую учетную запись закрыт.")
    if not working:
        raise SsoRefused("no_staff", f"В портале нет работающего сотрудника с e-mail {shown}. Попросите заместителя "
                                     "директора указать этот e-mail в карточке сотрудника.")
    if len(working) > 1:
        raise SsoRefused("several_staff", f"E-mail {shown} указан в нескольких карточках сотрудников: войти нельзя, "
                                          "пока администратор портала не исправит карточки.")
    return working[0]


def _check_account(user) -> None:
    if is_privileged_account(user):
        raise SsoRefused("privileged", "Администратор портала входит только по своему логину и паролю.")
    if not user.is_active:
        raise SsoRefused("inactive", "Учетная запись отключена. Обратитесь к заместителю директора.")


def _account_of(staff: StaffMember, identity: SsoIdentity, request) -> User:
    address = staff.email.lower()
    if staff.user_id is not None:
        user = staff.user
        if address not in {user.username.lower(), user.email.lower()}:
            raise SsoRefused("account_mismatch", "Карточка сотрудника связана с учетной записью с другим e-mail: "
                                                 "обратитесь к администратору портала.")
        _check_account(user)
        return user
    accounts = accounts_with_address([address]).get(address, [])
    if refusal := address_refusal(accounts):
        raise SsoRefused(_ADDRESS_REASONS[refusal], words.sentence(refusal))
    if accounts:
        user = accounts[0]
        if not is_school_account(user, staff.organisation):
            raise SsoRefused("account_elsewhere", f"У учетной записи с e-mail {address} есть роли в другой организации: "
                                                  "связать ее с карточкой сотрудника можно только приглашением, "
                                                  "которое владелец примет, войдя по паролю.")
        event = "sso_account_linked"
    else:
        user = User(username=address, email=address, first_name=staff.first_name, last_name=staff.last_name)
        user.set_unusable_password()
        user.save()
        event = "sso_account_created"
    staff.user = user
    staff.save(update_fields=["user", "updated_at"])
    # A pending request to link this record is answered by the link itself.
    AccountLinkInvitation.objects.filter(staff=staff, accepted_at__isnull=True, closed_at__isnull=True).update(
        closed_at=staff.updated_at)
    log_security_event(event, request, source=identity.source, staff_id=staff.pk, target_user_id=user.pk)
    bump_on_commit(staff.organisation.municipality_id)
    return user


def _apply_role_mapping(*, user, staff: StaffMember, groups: frozenset[str], mapping: dict[str, frozenset[str]]):
    """The roles the mapping names follow the directory in the record's organisation; no other role changes."""
    mapping = {group.lower(): roles for group, roles in mapping.items()}
    managed = frozenset().union(*mapping.values()) & MAPPABLE_ROLES
    given = frozenset().union(*(mapping.get(group.lower(), frozenset()) for group in groups)) & managed
    held = {m.role: m for m in Membership.objects.filter(user=user, organisation=staff.organisation, role__in=managed)}
    for role in sorted(given - held.keys()):
        Membership.objects.create(user=user, role=role, organisation=staff.organisation)
    for role in sorted(held.keys() - given):
        held[role].delete()  # one by one: each deletion is in the history and the security log
    if given != held.keys():
        bump_on_commit(staff.organisation.municipality_id)
