import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.cache import bump_on_commit
from core.logging import log_security_event
from core.services import send_email_now
from schools.access import require
from schools.models import Membership, PositionCategory, StaffMember

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


class DomainError(Exception):
    """A refused action; its message is shown to the user as is (in Russian)."""


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
    changed = []
    for key in STAFF_EDITABLE_FIELDS:
        if key in data and getattr(staff, key) != data[key]:
            setattr(staff, key, data[key])
            changed.append(key)
    _check_dismissal(staff)
    staff.full_clean()
    if changed:
        staff.save()
        if staff.user_id and staff.status == StaffMember.Status.DISMISSED:
            _deactivate_account(staff)
        bump_on_commit(staff.organisation.municipality_id)
    return staff


@transaction.atomic
def staff_dismiss(*, actor, staff: StaffMember, dismissed_on: dt.date) -> StaffMember:
    require(actor, "staff.manage", staff.organisation)
    if staff.status == StaffMember.Status.DISMISSED:
        raise DomainError("Сотрудник уже уволен.")
    staff.status = StaffMember.Status.DISMISSED
    staff.dismissed_on = dismissed_on
    staff.save(update_fields=["status", "dismissed_on", "updated_at"])
    if staff.user_id:
        _deactivate_account(staff)
    bump_on_commit(staff.organisation.municipality_id)
    return staff


def _deactivate_account(staff: StaffMember) -> None:
    # A dismissed person keeps no access: is_active=False ends their sessions on the next request.
    user = staff.user
    if user.is_active and not user.memberships.exclude(organisation=staff.organisation).exists():
        user.is_active = False
        user.save(update_fields=["is_active"])


@transaction.atomic
def staff_assign_mentor(*, actor, staff: StaffMember, mentor: StaffMember | None) -> StaffMember:
    require(actor, "staff.manage", staff.organisation)
    if mentor is not None:
        if mentor.pk == staff.pk:
            raise DomainError("Сотрудник не может быть наставником самому себе.")
        if mentor.organisation_id != staff.organisation_id:
            raise DomainError("Наставник должен работать в той же организации.")
        if mentor.status != StaffMember.Status.WORKING:
            raise DomainError("Наставником может быть только работающий сотрудник.")
    staff.mentor = mentor
    staff.save(update_fields=["mentor", "updated_at"])
    bump_on_commit(staff.organisation.municipality_id)
    return staff


def ensure_account(*, staff: StaffMember) -> tuple[object, bool]:
    """Give a staff member with an e-mail a portal account and the role of their position.

    Returns (user, created). Used by the invitation and by the staff import. The caller holds
    the transaction and has checked the right.
    """
    if not staff.email:
        raise DomainError("Чтобы пригласить сотрудника, укажите его e-mail.")
    created = False
    user = staff.user
    if user is None:
        user = User.objects.filter(username__iexact=staff.email).first()
        if user is not None and StaffMember.objects.filter(user=user).exclude(pk=staff.pk).exists():
            raise DomainError("Этот e-mail уже используется другим сотрудником.")
        if user is None:
            user = User(username=staff.email.lower(), email=staff.email.lower())
            user.set_unusable_password()
            created = True
        user.first_name, user.last_name = staff.first_name, staff.last_name
        user.save()
        staff.user = user
        staff.save(update_fields=["user", "updated_at"])
    role = ROLE_OF_CATEGORY[staff.position_category]
    Membership.objects.get_or_create(user=user, role=role, organisation=staff.organisation)
    if role != Membership.Role.TEACHER:
        # Deputies and directors keep their own ИОМ too: they are also teachers.
        Membership.objects.get_or_create(user=user, role=Membership.Role.TEACHER, organisation=staff.organisation)
    return user, created


def invitation_link(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def staff_invite(*, actor, staff: StaffMember, request=None):
    require(actor, "staff.invite", staff.organisation)
    user, _ = ensure_account(staff=staff)
    bump_on_commit(staff.organisation.municipality_id)
    send_invitation(user=user, staff=staff)
    log_security_event("invitation_sent", request, staff_id=staff.pk)
    return user


def send_invitation(*, user, staff: StaffMember) -> None:
    link = invitation_link(user)

    def _send():
        send_email_now(
            to=user.email,
            subject="Приглашение в ИОМ-портал",
            body=(
                f"Здравствуйте, {staff.first_name} {staff.middle_name}!\n\n"
                f"Вас пригласили в ИОМ-портал ({staff.organisation.short_name}). "
                "Чтобы войти, задайте пароль по ссылке ниже. Ваш логин — адрес этой почты."
            ),
            url=link,
        )

    transaction.on_commit(_send)


@transaction.atomic
def grant_role(*, actor, user, role: str, organisation=None, municipality=None, region=None) -> Membership:
    """Administrators grant roles; the change is written to the security log."""
    if not actor.is_superuser and Membership.Role.ADMIN not in {m.role for m in actor.memberships.all()}:
        raise DomainError("Роли назначает администратор.")
    membership = Membership(user=user, role=role, organisation=organisation, municipality=municipality, region=region)
    membership.full_clean()
    membership.save()
    log_security_event("role_granted", None, actor_id=actor.pk, target_user_id=user.pk, role=role)
    return membership

