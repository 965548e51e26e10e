"""Writes of mentoring: a pair starts and ends; the school allows young specialists to mentor, or not.

MentoringPair is the one record of mentoring (the staff card, the «Наставничество» page and the demo all
write through pair_start and pair_end). Keyword-only and atomic; the actor needs mentoring.manage over
the pair's organisation. A refusal is a MethodicsError or a ValidationError; a row deleted meanwhile is
AlreadyDeleted (methodics.services).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.dates import format_date
from core.services import notify
from methodics.models import MentoringPair
from methodics.services import MethodicsError, locked, written_or_gone
from schools.access import require
from schools.cache import bump_organisations_on_commit
from schools.models import Organisation, StaffMember
from schools.selectors import is_young_specialist


@transaction.atomic
def pair_start(*, actor, mentee: StaffMember, mentor: StaffMember, reason: str, starts_on: dt.date,
               note: str = "") -> MentoringPair:
    require(actor, "mentoring.manage", mentee.organisation)
    fresh_mentee = locked(StaffMember, mentee.pk)
    if MentoringPair.objects.select_for_update().filter(mentee=mentee, ends_on__isnull=True).exists():
        raise MethodicsError(f"У сотрудника {mentee.short_name} уже есть действующая пара: сначала завершите ее.")
    if fresh_mentee.status != StaffMember.Status.WORKING:
        raise MethodicsError("Наставника назначают только работающему сотруднику.")
    if starts_on > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationError({"starts_on": "Дата начала слишком далеко в будущем."})
    _check_mentor(mentee=fresh_mentee, mentor=locked(StaffMember, mentor.pk), on=starts_on)
    pair = MentoringPair(
        organisation=mentee.organisation, mentor=mentor, mentee=mentee, reason=reason, starts_on=starts_on,
        note=note, created_by=actor,
    )
    pair.full_clean()
    pair._history_user = actor
    with written_or_gone(MentoringPair):
        pair.save()
    bump_organisations_on_commit(pair.organisation_id)  # the mentoring indicators of the dashboards
    notify(
        users=[p.user for p in (mentor, mentee) if p.user_id],
        text=f"Наставническая пара: {mentor.short_name} — наставник, {mentee.short_name} — наставляемый, "
             f"с {format_date(starts_on)}.",
        url=reverse("methodics:mentoring"),
    )
    return pair


def _check_mentor(*, mentee: StaffMember, mentor: StaffMember, on: dt.date) -> None:
    if mentor.pk == mentee.pk:
        raise MethodicsError("Сотрудник не может быть наставником самому себе.")
    if mentor.organisation_id != mentee.organisation_id:
        raise MethodicsError("Наставник должен работать в той же организации, что и наставляемый.")
    if mentor.status == StaffMember.Status.DISMISSED:
        raise MethodicsError(f"{mentor.short_name} уволен(а): наставником может быть только работающий сотрудник.")
    if mentor.status != StaffMember.Status.WORKING:
        raise MethodicsError(f"{mentor.short_name} сейчас не работает ({mentor.get_status_display()}): "
                             "наставником может быть только работающий сотрудник.")
    organisation = Organisation.objects.get(pk=mentee.organisation_id)
    if is_young_specialist(mentor, on) and not organisation.young_mentors_allowed:
        raise MethodicsError(
            f"{mentor.short_name} — молодой специалист (моложе 35 лет и стаж меньше 3 лет) и не может быть "
            "наставником. Если школа это допускает, отметьте «Разрешить молодым специалистам быть наставниками» "
            "на странице «Наставничество».")


@transaction.atomic
def pair_end(*, actor, pair: MentoringPair, ends_on: dt.date, end_note: str = "") -> MentoringPair:
    require(actor, "mentoring.manage", pair.organisation)
    pair.ends_on = locked(MentoringPair, pair.pk).ends_on  # a pair ended meanwhile is not ended twice
    if pair.ends_on is not None:
        raise MethodicsError("Эта пара уже завершена.")
    if ends_on < pair.starts_on:
        raise ValidationError({"ends_on": f"Дата окончания раньше начала ({format_date(pair.starts_on)})."})
    if ends_on > timezone.localdate():
        raise ValidationError({"ends_on": "Дата окончания не может быть в будущем."})
    pair.ends_on, pair.end_note = ends_on, end_note
    pair._history_user = actor
    pair.save(update_fields=["ends_on", "end_note"])
    bump_organisations_on_commit(pair.organisation_id)
    return pair


# The end note of a pair ended by a dismissal: the mentoring page lists the mentees whose last pair ended
# with MENTOR_DISMISSED and who have no mentor since (selectors.mentees_needing_mentor).
MENTOR_DISMISSED = "Наставник уволен"
MENTEE_DISMISSED = "Наставляемый уволен"


def pairs_to_end_at_dismissal(staff: StaffMember, on: dt.date):
    """The pairs of the person, as mentor or as mentee, still running on the dismissal date `on`."""
    from django.db.models import Q

    return (MentoringPair.objects.filter(Q(mentor=staff) | Q(mentee=staff))
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
            .select_related("mentor", "mentee").order_by("pk"))


@transaction.atomic
def pairs_end_at_dismissal(*, actor, staff: StaffMember, on: dt.date) -> list[MentoringPair]:
    """End every pair of a dismissed person on the dismissal date (schools.services.staff_dismiss calls it).

    Unlike pair_end the date may be ahead (a dismissal is recorded in advance): the pair runs until then.
    A pair that starts after the date ends the day it starts. The end note says who left."""
    require(actor, "mentoring.manage", staff.organisation)
    pairs = list(pairs_to_end_at_dismissal(staff, on).select_for_update(of=("self",)))
    for pair in pairs:
        pair.ends_on = max(on, pair.starts_on)
        pair.end_note = MENTOR_DISMISSED if pair.mentor_id == staff.pk else MENTEE_DISMISSED
        pair._history_user = actor
        pair.save(update_fields=["ends_on", "end_note"])
    if pairs:
        bump_organisations_on_commit(staff.organisation_id)
    return pairs


@transaction.atomic
def young_mentors_allow(*, actor, organisation: Organisation, allowed: bool) -> Organisation:
    """The school's explicit decision whether young specialists may mentor (pair_start reads it)."""
    require(actor, "mentoring.manage", organisation)
    organisation = locked(Organisation, organisation.pk)
    organisation.young_mentors_allowed = allowed
    organisation.save(update_fields=["young_mentors_allowed"])
    return organisation
