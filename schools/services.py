import datetime as dt
import enum
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import words
from core.cache import bump_on_commit
from core.dates import format_datetime
from core.errors import DomainError  # noqa: F401 (re-exported: schools.services.DomainError is the old name)
from core.logging import log_security_event
from core.models import OutgoingEmail
from core.services import queue_email
from schools.access import has_capability, holders_of, is_invited, is_privileged_account, is_school_account, require
from schools.models import AccountLinkInvitation, Membership, PositionCategory, StaffMember
from schools.selectors import LINK_FOR_ANOTHER_ACCOUNT
from schools.timezones import zone_of_user

User = get_user_model()

STAFF_EDITABLE_FIELDS = [
    "last_name", "first_name", "middle_name", "birth_date", "position", "subject", "is_main_position",
    "status", "dismissed_on", "qualification_category", "attested_on", "experience_years", "education", "email",
]

ROLE_OF_CATEGORY = {
    PositionCategory.TEACHER: Membership.Role.TEACHER,
    PositionCategory.EDUCATOR: Membership.Role.TEACHER,
    PositionCategory.DEPUTY: Membership.Role.DEPUTY,
    PositionCategory.DIRECTOR: Membership.Role.DIRECTOR,
}


def _check_dismissal(staff: StaffMember) -> None:
    if staff.status == StaffMember.Status.DISMISSED and not staff.dismissed_on:
        raise ValidationError({"dismissed_on": "Укажите дату увольнения."})
    if staff.status != StaffMember.Status.DISMISSED:
        staff.dismissed_on = None


@transaction.atomic
def staff_create(*, actor, organisation, data: dict) -> StaffMember:
    require(actor, "staff.manage", organisation)
    staff = StaffMember(organisation=organisation, **{k: data[k] for k in STAFF_EDITABLE_FIELDS if k in data})
    _check_dismissal(staff)
    staff.full_clean()
    staff.save()
    bump_on_commit(organisation.municipality_id)
    return staff


@transaction.atomic
def staff_update(*, actor, staff: StaffMember, data: dict) -> StaffMember:
    require(actor, "staff.manage", staff.organisation)
    # Compare with the stored row, not with `staff`: a ModelForm bound to it has already
    # copied the posted values into it while validating.
    staff = StaffMember.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(pk=staff.pk)
    was_dismissed = staff.status == StaffMember.Status.DISMISSED
    changed = []
    for key in STAFF_EDITABLE_FIELDS:
        if key in data and getattr(staff, key) != data[key]:
            setattr(staff, key, data[key])
            changed.append(key)
    _check_dismissal(staff)
    staff.full_clean()
    if changed:
        # The e-mail of a record is contact data: a linked account keeps its own login and
        # e-mail (copying them over would let a staff manager reset the owner's password).
        staff.save()
        close_stale_link_invitations(changes={staff.pk: set(changed)})
        if staff.status == StaffMember.Status.DISMISSED and not was_dismissed:
            dismissal_apply(actor=actor, staff=staff, dismissed_on=staff.dismissed_on)
        bump_on_commit(staff.organisation.municipality_id)
    return staff


WITHDRAWAL_REASON = "уволен"


@dataclass
class DismissalEffects:
    """What a dismissal touches (dismissal_effects): shown before it, done by dismissal_apply.

    routes: the person's routes not finished (routes.workflow.table.LIVE), withdrawn «уволен»;
    pairs: their mentoring pairs as mentor or mentee still running on the date, ended on it;
    reviews: routes waiting for a school review that only this person's account holds — after the
    dismissal they wait for whoever gets the right (nothing is moved: the deputy sees them listed);
    mentees: the people whose mentor this person was, who need a new one (listed on «Наставничество»).
    """

    staff_pk: int
    routes: list
    pairs: list
    reviews: list

    @property
    def mentees(self) -> list:
        return [pair.mentee for pair in self.pairs
                if pair.mentor_id == self.staff_pk and pair.mentee.status == StaffMember.Status.WORKING]

    def __bool__(self) -> bool:
        return bool(self.routes or self.pairs or self.reviews)


def dismissal_effects(staff: StaffMember, on: dt.date | None = None) -> DismissalEffects:
    """What dismissing `staff` on `on` would change (the preview of the dismissal page, the import's check)."""
    from methodics.mentoring.services import pairs_to_end_at_dismissal
    from routes.models import Route
    from routes.selectors import STEP_KIND, route_reviewers
    from routes.workflow.table import ACTIONS, LIVE

    on = on or timezone.localdate()
    routes = list(Route.objects.filter(person=staff, status__in=LIVE).order_by("starts_on", "pk"))
    reviews = []
    if staff.user_id is not None and staff.user.is_active:
        # The states a school review step starts from; a route waits there for its reviewers.
        waiting = {status for action, kind in STEP_KIND.items() if kind == "review" for status in ACTIONS[action].sources}
        candidates = Route.objects.filter(organisation=staff.organisation, status__in=waiting).exclude(
            person=staff).select_related("person", "organisation__municipality")
        if holders_of("route.review", staff.organisation, local=True).filter(pk=staff.user_id).exists():
            for route in candidates:
                step = next(a for a, k in STEP_KIND.items() if k == "review" and route.status in ACTIONS[a].sources)
                if [u.pk for u in route_reviewers(route, step)] == [staff.user_id]:
                    reviews.append(route)
    pairs = list(pairs_to_end_at_dismissal(staff, on))
    return DismissalEffects(staff_pk=staff.pk, routes=routes, pairs=pairs, reviews=reviews)


def dismissal_apply(*, actor, staff: StaffMember, dismissed_on: dt.date) -> DismissalEffects:
    """The consequences of a dismissal, one way for the dismissal page, the staff form and the import:
    the routes are withdrawn «уволен» through the workflow (which releases their deficits), the pairs
    end on the date, the roles in the organisation end (staff_end_access). The caller holds the
    transaction and has recorded the status: a refusal anywhere (the actor may not withdraw a route,
    say) undoes everything. Re-hiring later restores none of it."""
    from methodics.mentoring.services import pairs_end_at_dismissal
    from routes.workflow.services import route_withdraw

    effects = dismissal_effects(staff, dismissed_on)
    for route in effects.routes:
        route_withdraw(actor=actor, route=route, reason=WITHDRAWAL_REASON)
    if effects.pairs:
        pairs_end_at_dismissal(actor=actor, staff=staff, on=dismissed_on)
    staff_end_access(staff=staff)
    return effects


@transaction.atomic
def staff_dismiss(*, actor, staff: StaffMember, dismissed_on: dt.date) -> DismissalEffects:
    require(actor, "staff.manage", staff.organisation)
    staff = StaffMember.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(pk=staff.pk)
    if staff.status == StaffMember.Status.DISMISSED:
        raise DomainError("Сотрудник уже уволен.")
    staff.status = StaffMember.Status.DISMISSED
    staff.dismissed_on = dismissed_on
    staff.save(update_fields=["status", "dismissed_on", "updated_at"])
    effects = dismissal_apply(actor=actor, staff=staff, dismissed_on=dismissed_on)
    bump_on_commit(staff.organisation.municipality_id)
    return effects


def staff_end_access(*, staff: StaffMember) -> None:
    """A dismissed person loses the roles of this organisation; the account closes only if nothing else is left.

    Only the memberships in this organisation end: a person who also works elsewhere, a
    methodist, an administrator keeps the rest. The account is deactivated (is_active=False ends
    its sessions on the next request) only when the memberships ended were all it had, and
    never a superuser's or a staff user's. Used by staff_dismiss, staff_update and the staff
    import; the caller holds the transaction and has checked the right.
    """
    _close_open_link_invitations(staff.pk)
    user = staff.user
    if user is None:
        return
    memberships = list(user.memberships.all())
    ending = [m for m in memberships if m.organisation_id == staff.organisation_id]
    for membership in ending:
        membership.delete()  # one by one: each deletion is in the history and the security log
    if len(ending) == len(memberships) and user.is_active and not is_privileged_account(user):
        user.is_active = False
        user.save(update_fields=["is_active"])


# --- invitations ---------------------------------------------------------------------------------------------------
#
# A staff manager may open a new account for a new address, and change only the school's own
# account (is_school_account). Any other account belongs to its owner: the manager can only ask,
# and the owner, signed in, accepts (AccountLinkInvitation). Administrators' accounts and
# accounts already tied to another staff record are refused outright.

class InviteOutcome(enum.StrEnum):
    ACCOUNT_CREATED = "account_created"  # a new account; the set-password link is sent
    LINK_RESENT = "link_resent"  # the school's own account without a password yet; the link is sent again
    OWNER_ASKED = "owner_asked"  # somebody's existing account: its owner is asked to accept
    UP_TO_DATE = "up_to_date"  # the linked account is in use: nothing is sent


@dataclass(frozen=True)
class Invitation:
    outcome: InviteOutcome
    user: object
    sent_to: str = ""  # the address written to ("" when nothing is sent)


REFUSAL_PRIVILEGED = ("этот e-mail принадлежит служебной учетной записи портала (администратора): ее нельзя "
                      "связать с сотрудником, укажите другой e-mail")
REFUSAL_SEVERAL = "с этим e-mail связано несколько учетных записей портала: обратитесь к администратору"
REFUSAL_INACTIVE = "учетная запись с этим e-mail отключена: обратитесь к администратору"
REFUSAL_LINKED = ("у учетной записи с этим e-mail уже есть карточка сотрудника (возможно, в другой организации): "
                  "если человек перешел к вам, обратитесь к администратору")



def accounts_with_address(emails) -> dict[str, list]:
    """Lower-cased address → the accounts whose login or e-mail it is (several when they disagree).

    One query for any number of addresses; each account has `linked_staff_pk`, the staff record
    it is tied to, or None.
    """
    wanted = {e.lower() for e in emails if e}
    found: dict[str, list] = {}
    if not wanted:
        return found
    accounts = User.objects.annotate(
        lower_username=Lower("username"), lower_email=Lower("email"), linked_staff_pk=F("staff_member__pk"),
    ).filter(Q(lower_username__in=wanted) | Q(lower_email__in=wanted)).order_by("pk")
    for user in accounts:
        for address in {user.lower_username, user.lower_email} & wanted:
            found.setdefault(address, []).append(user)
    return found


def address_refusal(accounts: list) -> str:
    """Why an unlinked staff record may not be invited at an address with these accounts ("" if it may).

    The staff import checks every row with this before writing; invite_to_portal with it too.
    """
    if not accounts:
        return ""
    if any(is_privileged_account(user) for user in accounts):
        return REFUSAL_PRIVILEGED
    if len(accounts) > 1:
        return REFUSAL_SEVERAL
    if accounts[0].linked_staff_pk is not None:
        return REFUSAL_LINKED
    if not accounts[0].is_active:
        return REFUSAL_INACTIVE
    return ""


def roles_of_position(role: str) -> list[str]:
    # Deputies and directors keep their own ИОМ too: they are also teachers (a teacher's role once).
    return list(dict.fromkeys([role, Membership.Role.TEACHER]))


def _grant_roles(user, staff: StaffMember, role: str) -> None:
    for each in roles_of_position(role):
        Membership.objects.get_or_create(user=user, role=each, organisation=staff.organisation)


def invite_to_portal(*, staff: StaffMember, actor=None, request=None) -> Invitation:
    """Invite a staff member with an e-mail, without ever changing an account that is not the school's.

    - no account has the address: a new account with the roles of the position, and a set-password link;
    - the record's own school account: the roles of the position, and the set-password link
      again while no password is set (never switched on again: that is an administrator's);
    - anybody else's account: nothing changes; its owner gets a link to accept (AccountLinkInvitation);
    - an administrator's account, or one tied to another staff record: refused (DomainError).

    Used by staff_invite and the staff import: the caller holds the transaction and has checked
    the right. `actor` is None on the command line.
    """
    invitation = _invite(staff=staff, actor=actor)
    if invitation.outcome == InviteOutcome.OWNER_ASKED:
        log_security_event("account_link_requested", request, staff_id=staff.pk, target_user_id=invitation.user.pk)
    elif invitation.sent_to:
        log_security_event("invitation_sent", request, staff_id=staff.pk)
    return invitation


def _invite(*, staff: StaffMember, actor) -> Invitation:
    if not staff.email:
        raise DomainError("Чтобы пригласить сотрудника, укажите его e-mail.")
    if staff.status == StaffMember.Status.DISMISSED:
        raise DomainError("Уволенного сотрудника пригласить нельзя.")
    role = ROLE_OF_CATEGORY[staff.position_category]
    if staff.user_id is not None:
        return _invite_linked(staff=staff, role=role, actor=actor)
    accounts = accounts_with_address([staff.email]).get(staff.email.lower(), [])
    refusal = address_refusal(accounts)
    if refusal:
        raise DomainError(words.sentence(refusal))
    if accounts:
        return _ask_owner(staff=staff, user=accounts[0], role=role, actor=actor)
    user = User(username=staff.email.lower(), email=staff.email.lower(), first_name=staff.first_name,
                last_name=staff.last_name)
    user.set_unusable_password()
    user.save()
    staff.user = user
    staff.save(update_fields=["user", "updated_at"])
    _grant_roles(user, staff, role)
    _send_password_link(user=user, staff=staff)
    return Invitation(InviteOutcome.ACCOUNT_CREATED, user, user.email)


def _invite_linked(*, staff: StaffMember, role: str, actor) -> Invitation:
    user = staff.user
    if is_privileged_account(user):
        raise DomainError("Сотрудник связан со служебной учетной записью портала: ее роли меняет только администратор.")
    if not is_school_account(user, staff.organisation):
        held = set(user.memberships.filter(organisation=staff.organisation).values_list("role", flat=True))
        if set(roles_of_position(role)) <= held:
            return Invitation(InviteOutcome.UP_TO_DATE, user)
        return _ask_owner(staff=staff, user=user, role=role, actor=actor)
    if not user.is_active:
        # Closed at a dismissal or by an administrator: an invitation does not undo either.
        raise DomainError("Учетная запись сотрудника отключена: включить ее может администратор.")
    _grant_roles(user, staff, role)
    if user.has_usable_password():
        return Invitation(InviteOutcome.UP_TO_DATE, user)
    if not user.email:
        raise DomainError("У учетной записи сотрудника нет e-mail: обратитесь к администратору.")
    # To the account's own address, never to the record's: the record's e-mail may have been changed.
    _send_password_link(user=user, staff=staff)
    return Invitation(InviteOutcome.LINK_RESENT, user, user.email)


def invitation_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})


def _send_password_link(*, user, staff: StaffMember) -> None:
    link = invitation_link(user)
    to, organisation = user.email, staff.organisation.short_name

    # In the outbox with the invitation's transaction, sent by a Celery task after it commits: the
    # mail server failing never undoes nor fails the invitation (core.services.queue_email).
    queue_email(
        to=to,
        subject="Приглашение в ИОМ-портал",
        body=(
            f"Здравствуйте, {staff.first_name} {staff.middle_name}!\n\n"
            f"Вас пригласили в ИОМ-портал ({organisation}). "
            "Чтобы войти, задайте пароль по ссылке ниже. Ваш логин — адрес этой почты."
        ),
        url=link,
        kind=OutgoingEmail.Kind.INVITATION,
    )


def _ask_owner(*, staff: StaffMember, user, role: str, actor) -> Invitation:
    now = timezone.now()
    invitation = AccountLinkInvitation.objects.select_for_update().filter(
        staff=staff, accepted_at__isnull=True, closed_at__isnull=True).first()
    if invitation is not None and (invitation.user_id != user.pk or invitation.role != role):
        invitation.closed_at = now
        invitation.save(update_fields=["closed_at"])
        invitation = None
    if invitation is None:
        invitation = AccountLinkInvitation.objects.create(
            staff=staff, user=user, role=role, expires_at=now + AccountLinkInvitation.VALID_FOR,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    else:
        invitation.expires_at = now + AccountLinkInvitation.VALID_FOR
        invitation.save(update_fields=["expires_at"])
    to = user.email or staff.email
    _send_link_request(invitation=invitation, to=to)
    return Invitation(InviteOutcome.OWNER_ASKED, user, to)


def _send_link_request(*, invitation: AccountLinkInvitation, to: str) -> None:
    staff = invitation.staff
    link = reverse("account_link_accept", kwargs={"token": invitation.token})
    role = Membership.Role(invitation.role).label.lower()
    # In the recipient's time: their region's, or the inviting school's for an account without roles.
    until = format_datetime(invitation.expires_at, zone_of_user(invitation.user, otherwise=staff.organisation))
    organisation = staff.organisation.short_name

    queue_email(
        to=to,
        subject="ИОМ-портал: подтвердите приглашение",
        body=(
            "Здравствуйте!\n\n"
            f"Вас приглашают в ИОМ-портал как сотрудника организации «{organisation}» (роль: {role}).\n\n"
            "У вас уже есть учетная запись в портале, поэтому без вашего согласия ничего не изменится. "
            "Если приглашение адресовано вам, откройте ссылку, войдите под своей учетной записью и нажмите "
            "«Принять». Если нет — нажмите «Отклонить» или просто не отвечайте на письмо.\n\n"
            f"Ссылка действует до {until}."
        ),
        url=link,
        kind=OutgoingEmail.Kind.ACCOUNT_LINK,
    )


def _close_open_link_invitations(*staff_ids: int) -> None:
    if staff_ids:
        AccountLinkInvitation.objects.filter(staff_id__in=staff_ids, accepted_at__isnull=True,
                                             closed_at__isnull=True).update(closed_at=timezone.now())


def close_stale_link_invitations(*, changes: dict[int, set[str]]) -> None:
    """A request sent to the old address, or for the old position, must not be accepted after a change.

    `changes`: staff pk → the fields changed (one record from staff_update, many from the import).
    """
    _close_open_link_invitations(*(pk for pk, fields in changes.items() if fields & {"email", "position"}))


@transaction.atomic
def staff_invite(*, actor, staff: StaffMember, request=None) -> Invitation:
    require(actor, "staff.invite", staff.organisation)
    staff = StaffMember.objects.select_for_update(of=("self",)).select_related("user", "organisation").get(pk=staff.pk)
    invitation = invite_to_portal(staff=staff, actor=actor, request=request)
    bump_on_commit(staff.organisation.municipality_id)
    return invitation


def _open_invitation_of(invitation: AccountLinkInvitation, actor) -> AccountLinkInvitation:
    """The invitation locked, if `actor` is its account and it can still be answered."""
    if not is_invited(actor, invitation):
        raise PermissionDenied(LINK_FOR_ANOTHER_ACCOUNT)
    invitation = AccountLinkInvitation.objects.select_for_update(of=("self",)).select_related(
        "staff__organisation", "user").get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError("Приглашение уже принято.")
    if invitation.closed_at is not None:
        raise DomainError("Приглашение отклонено или отменено.")
    if invitation.expires_at <= timezone.now():
        raise DomainError("Срок приглашения истек: попросите заместителя директора отправить его еще раз.")
    return invitation


@transaction.atomic
def account_link_accept(*, invitation: AccountLinkInvitation, actor, request=None) -> StaffMember:
    """The owner, signed in as the invited account, joins the staff record and takes its roles."""
    invitation = _open_invitation_of(invitation, actor)
    staff = StaffMember.objects.select_for_update(of=("self",)).select_related("organisation").get(
        pk=invitation.staff_id)
    user = invitation.user
    if staff.status == StaffMember.Status.DISMISSED:
        raise DomainError("Сотрудник уволен: приглашение больше не действует.")
    if is_privileged_account(user):
        raise DomainError("Служебную учетную запись портала нельзя связать с сотрудником.")
    if staff.user_id is not None and staff.user_id != user.pk:
        raise DomainError("Карточка сотрудника уже связана с другой учетной записью.")
    if staff.user_id is None:
        if StaffMember.objects.filter(user=user).exists():
            raise DomainError("Ваша учетная запись уже связана с карточкой другого сотрудника.")
        staff.user = user
        staff.save(update_fields=["user", "updated_at"])
    _grant_roles(user, staff, invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    log_security_event("account_link_accepted", request, staff_id=staff.pk, target_user_id=user.pk,
                       role=invitation.role)
    bump_on_commit(staff.organisation.municipality_id)
    return staff


@transaction.atomic
def account_link_decline(*, invitation: AccountLinkInvitation, actor, request=None) -> None:
    invitation = _open_invitation_of(invitation, actor)
    invitation.closed_at = timezone.now()
    invitation.save(update_fields=["closed_at"])
    log_security_event("account_link_declined", request, staff_id=invitation.staff_id,
                       target_user_id=invitation.user_id)


@transaction.atomic
def grant_role(*, actor, user, role: str, organisation=None, municipality=None, region=None) -> Membership:
    """Administrators grant roles; the change is written to the security log."""
    if not has_capability(actor, "roles.grant"):
        raise DomainError("Роли назначает администратор.")
    membership = Membership(user=user, role=role, organisation=organisation, municipality=municipality, region=region)
    membership.full_clean()
    membership.save()
    log_security_event("role_granted", None, actor_id=actor.pk, target_user_id=user.pk, role=role)
    return membership



@transaction.atomic
def municipality_letterhead_save(*, actor, municipality, data: dict):
    """The letterhead and the people of the municipality's letters (methodist of the municipality,
    regional methodist, administrator)."""
    require(actor, "municipality.letterhead", municipality)
    changed = []
    for field in municipality.LETTERHEAD_FIELDS:
        value = " ".join(str(data.get(field, "")).split())
        if getattr(municipality, field) != value:
            setattr(municipality, field, value)
            changed.append(field)
    if changed:
        municipality.save(update_fields=changed)
    return municipality
