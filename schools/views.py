from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from core import words
from core.forms import run_service
from core.registry import contributions
from schools import selectors, services
from schools.access import can, capability_required, get_for
from schools.filters import OrganisationFilter, StaffFilter
from schools.forms import DismissForm, MunicipalityLetterheadForm, StaffForm
from schools.models import Membership, Organisation, StaffMember


@capability_required("municipality.letterhead")
def municipality_letterhead(request, pk: int):
    """The municipality's settings page: the letterhead and the people every letter names."""
    municipality = selectors.letterhead_municipality_get_for(request.user, pk)
    form = MunicipalityLetterheadForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        # a fresh row: the bound form has already copied its values onto `municipality`
        request, lambda: services.municipality_letterhead_save(
            actor=request.user, municipality=selectors.letterhead_municipality_get_for(request.user, pk),
            data=form.cleaned_data),
        form=form, success_message="Реквизиты писем сохранены.",
        redirect_to=reverse("municipality_letterhead", args=[municipality.pk]),
    )):
        return done
    municipality.refresh_from_db()  # the missing list of the saved state, not of the unsaved form
    return render(request, "schools/municipality_letterhead.html", {"municipality": municipality, "form": form})


@capability_required("org.view")
def organisation_list(request):
    filters = OrganisationFilter(request.GET or None, queryset=selectors.organisation_list_for(request.user))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.with_staff_counts(page.object_list)
    return render(request, "schools/organisation_list.html", {"filters": filters, "page": page})


@capability_required("org.view")
def organisation_detail(request, pk: int):
    organisation = selectors.organisation_get_for(request.user, pk)
    staff = selectors.with_current_mentor(selectors.staff_list_for(request.user, organisation))
    filters = StaffFilter(request.GET or None, queryset=staff)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_current_mentors(list(page.object_list))
    return render(request, "schools/organisation_detail.html", {
        "organisation": organisation,
        "filters": filters,
        "page": page,
        "can_manage": can(request.user, "staff.manage", organisation),
    })


def staff_detail(request, pk: int):
    staff = selectors.staff_get_for(request.user, pk)
    can_manage = can(request.user, "staff.manage", staff.organisation)
    return render(request, "schools/staff_detail.html", {
        "staff": staff,
        "can_manage": can_manage,
        # What other apps show on the card (methodics: the person's mentoring pairs), <app>/staff_card.py.
        "sections": [html for section in contributions("staff_card", "SECTIONS") if (html := section(request, staff))],
        "link_invitation": selectors.open_link_invitation(staff) if can_manage else None,
    })


@capability_required("staff.manage")
def staff_create(request, organisation_pk: int):
    organisation = get_for(request.user, Organisation, organisation_pk, need="staff.manage",
                           denied="Добавлять сотрудников может заместитель директора этой организации.")
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.staff_create(actor=request.user, organisation=organisation, data=form.cleaned_data),
        form=form, success_message=lambda staff: f"Сотрудник {staff.full_name} добавлен.",
        redirect_to=lambda staff: reverse("staff_detail", args=[staff.pk]),
    )):
        return done
    return render(request, "schools/staff_form.html", {"form": form, "organisation": organisation})


def staff_edit(request, pk: int):
    staff = get_for(request.user, StaffMember, pk, need="staff.manage",
                    denied="Изменять данные может заместитель директора этой организации.")
    form = StaffForm(request.POST or None, instance=staff)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.staff_update(actor=request.user, staff=staff, data=form.cleaned_data),
        form=form, success_message="Изменения сохранены.", redirect_to=reverse("staff_detail", args=[staff.pk]),
    )):
        return done
    return render(request, "schools/staff_form.html", {"form": form, "organisation": staff.organisation, "staff": staff})


def _dismissal_message(staff: StaffMember, effects: services.DismissalEffects) -> str:
    parts = [f"{staff.full_name}: отмечено увольнение."]
    if effects.routes:
        parts.append(f"Отозвано ИОМ: {len(effects.routes)} (причина «{services.WITHDRAWAL_REASON}»).")
    if effects.pairs:
        parts.append(f"Завершено наставнических пар: {len(effects.pairs)}.")
    if effects.mentees:
        names = ", ".join(person.short_name for person in effects.mentees)
        parts.append(words.sentence(f"Новый наставник нужен (список на странице «Наставничество»): {names}"))
    if effects.reviews:
        parts.append(f"Ждут согласования, которое больше некому провести: {len(effects.reviews)} ИОМ.")
    return " ".join(parts)


def staff_dismiss(request, pk: int):
    staff = get_for(request.user, StaffMember, pk, need="staff.manage",
                    denied="Увольнение оформляет заместитель директора этой организации.")
    form = DismissForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.staff_dismiss(actor=request.user, staff=staff,
                                                dismissed_on=form.cleaned_data["dismissed_on"]),
        form=form, success_message=lambda effects: _dismissal_message(staff, effects),
        # The mentees left without a mentor are assigned one there; otherwise back to the card.
        redirect_to=lambda effects: (f"{reverse('methodics:mentoring')}?organisation={staff.organisation_id}"
                                     if effects.mentees else reverse("staff_detail", args=[staff.pk])),
    )):
        return done
    on = form.cleaned_data["dismissed_on"] if form.is_bound and form.is_valid() else timezone.localdate()
    effects = services.dismissal_effects(staff, on) if staff.status != StaffMember.Status.DISMISSED else None
    return render(request, "schools/staff_dismiss.html", {"form": form, "staff": staff, "effects": effects})


@require_POST
def staff_invite(request, pk: int):
    staff = get_for(request.user, StaffMember, pk, need="staff.invite",
                    denied="Приглашать сотрудников может заместитель директора этой организации.")
    run_service(request, lambda: services.staff_invite(actor=request.user, staff=staff, request=request),
                success_message=lambda invitation: INVITE_MESSAGES[invitation.outcome].format(to=invitation.sent_to))
    return redirect("staff_detail", pk=staff.pk)


INVITE_MESSAGES = {
    services.InviteOutcome.ACCOUNT_CREATED: "Приглашение отправлено на {to}.",
    services.InviteOutcome.LINK_RESENT: "Приглашение отправлено еще раз на {to}.",
    services.InviteOutcome.OWNER_ASKED: (
        "С этим e-mail уже есть учетная запись в портале. Ее владельцу отправлено письмо на {to}: сотрудник "
        "будет связан с учетной записью, когда владелец сам подтвердит приглашение."),
    services.InviteOutcome.UP_TO_DATE: (
        "У сотрудника уже есть учетная запись: он входит со своим паролем, забытый пароль восстанавливается "
        "на странице входа."),
}


def account_link_accept(request, token):
    """The owner of an existing account, signed in as it, sees what the link gives and accepts or declines."""
    invitation = selectors.link_invitation_get_for(request.user, token)
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "accept":
                staff = services.account_link_accept(invitation=invitation, actor=request.user, request=request)
                messages.success(request, f"Приглашение принято: вы сотрудник организации «{staff.organisation}» "
                                          "в портале.")
                return redirect("home")
            if decision == "decline":
                services.account_link_decline(invitation=invitation, actor=request.user, request=request)
                messages.info(request, "Приглашение отклонено: ваша учетная запись не изменилась.")
                return redirect("home")
            messages.error(request, "Нажмите «Принять» или «Отклонить».")
        except services.DomainError as exc:
            messages.error(request, str(exc))
        return redirect("account_link_accept", token=invitation.token)
    return render(request, "registration/invitation_link.html", {
        "invitation": invitation,
        "staff": invitation.staff,
        "state": invitation.state_at(timezone.now()),
        "roles": [Membership.Role(role).label for role in services.roles_of_position(invitation.role)],
    })


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation link is a password-reset token: the person sets their first password."""

    template_name = "registration/invitation_accept.html"
    success_url = reverse_lazy("invitation_done")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
