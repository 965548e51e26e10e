"""Writes of mentoring: a pair starts (the mentor is set on the mentee's staff card) and ends.

Keyword-only and atomic; the actor needs mentoring.manage over the pair's organisation. A refusal is a
MethodicsError or a ValidationError; a row deleted meanwhile is AlreadyDeleted (methodics.services).
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
from schools.models import StaffMember
from schools.services import staff_assign_mentor


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
    # staff_assign_mentor checks the pair itself (same school, working mentor, not oneself).
    staff_assign_mentor(actor=actor, staff=mentee, mentor=mentor)
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
    mentee = StaffMember.objects.select_related("organisation").filter(pk=pair.mentee_id).first()
    if mentee is not None and mentee.mentor_id == pair.mentor_id:
        staff_assign_mentor(actor=actor, staff=mentee, mentor=None)
    return pair
