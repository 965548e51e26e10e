"""Writes of the programmes of help: the plan (from the typical programme or empty), its directions
and activities, and their completion.

Keyword-only and atomic; the actor needs plans.manage over the plan's organisation. A refusal is a
MethodicsError or a ValidationError; a row deleted meanwhile is AlreadyDeleted (methodics.services).
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.dates import academic_year_bounds, format_date
from methodics.models import HelpActivity, HelpDirection, HelpPlan
from methodics.plans import programme_template
from methodics.services import GONE, MethodicsError, locked, stored, written_or_gone
from schools.access import require
from schools.models import Organisation
from schools.timezones import local_today

PLAN_FIELDS = ["title", "programme_period", "goal"]
ACTIVITY_FIELDS = ["direction", "stage", "title", "due_on", "timing", "responsible", "responsible_person", "note"]


def _check_year(academic_year: str) -> None:
    try:
        academic_year_bounds(academic_year)
    except ValueError:
        raise ValidationError({"academic_year": "Учебный год указывается как 2025-2026."}) from None


@transaction.atomic
def plan_create(*, actor, organisation: Organisation, academic_year: str, from_template: bool = True) -> HelpPlan:
    require(actor, "plans.manage", organisation)
    _check_year(academic_year)
    if HelpPlan.objects.filter(organisation=organisation, academic_year=academic_year).exists():
        raise MethodicsError(f"Программа помощи {organisation.short_name} на {academic_year} уже есть.")
    start = int(academic_year[:4])
    plan = HelpPlan(organisation=organisation, academic_year=academic_year, created_by=actor,
                    programme_period=f"{start}-{start + 5}", goal=programme_template.GOAL)
    plan.full_clean()
    plan._history_user = actor
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:  # the same programme created by a concurrent request
        raise MethodicsError(f"Программа помощи {organisation.short_name} на {academic_year} уже есть.") from None
    if from_template:
        for order, (title, aim, activities) in enumerate(programme_template.DIRECTIONS, start=1):
            direction = HelpDirection.objects.create(plan=plan, title=title, aim=aim, order=order)
            HelpActivity.objects.bulk_create(
                HelpActivity(
                    plan=plan, direction=direction, stage=stage, title=text, order=i, timing=timing,
                    due_on=programme_template.due_date(academic_year, month), responsible=responsible,
                )
                for i, (stage, text, month, timing, responsible) in enumerate(activities, start=1)
            )
    return plan


@transaction.atomic
def plan_update(*, actor, plan: HelpPlan, data: dict) -> HelpPlan:
    plan = stored(HelpPlan, plan)
    require(actor, "plans.manage", plan.organisation)
    changed = [k for k in PLAN_FIELDS if k in data and getattr(plan, k) != data[k]]
    for key in changed:
        setattr(plan, key, data[key])
    plan.full_clean()
    if changed:
        plan._history_user = actor
        plan.save(update_fields=[*changed, "updated_at"])
    return plan


@transaction.atomic
def direction_add(*, actor, plan: HelpPlan, title: str, aim: str = "") -> HelpDirection:
    locked(HelpPlan, plan.pk)
    require(actor, "plans.manage", plan.organisation)
    order = (plan.directions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    direction = HelpDirection(plan=plan, title=title, aim=aim, order=order)
    direction.full_clean()
    with written_or_gone(HelpDirection, message=GONE[HelpPlan], model=HelpPlan):
        direction.save()
    return direction


def _check_activity(plan: HelpPlan, activity: HelpActivity) -> None:
    if activity.direction.plan_id != plan.pk:
        raise ValidationError({"direction": "Выберите направление этой программы."})
    if activity.responsible_person and activity.responsible_person.organisation_id != plan.organisation_id:
        raise ValidationError({"responsible_person": "Ответственный должен работать в этой организации."})
    if not activity.due_on and not activity.timing:
        raise ValidationError({"due_on": "Укажите срок: дату или словами (например, «в течение года»)."})
    if activity.due_on:
        start, end = academic_year_bounds(plan.academic_year)
        if not start <= activity.due_on <= end:
            raise ValidationError(
                {"due_on": f"Срок должен быть в {plan.academic_year} учебном году "
                           f"({format_date(start)} — {format_date(end)})."}
            )


@transaction.atomic
def plan_activity_add(*, actor, plan: HelpPlan, data: dict) -> HelpActivity:
    locked(HelpPlan, plan.pk)
    require(actor, "plans.manage", plan.organisation)
    activity = HelpActivity(plan=plan, **{k: data[k] for k in ACTIVITY_FIELDS if k in data})
    _check_activity(plan, activity)
    activity.order = (plan.activities.filter(direction=activity.direction).count()) + 1
    activity.full_clean()
    activity._history_user = actor
    with written_or_gone(HelpActivity):
        activity.save()
    return activity


@transaction.atomic
def plan_activity_update(*, actor, activity: HelpActivity, data: dict) -> HelpActivity:
    activity = stored(HelpActivity, activity)
    require(actor, "plans.manage", activity.plan.organisation)
    changed = [k for k in ACTIVITY_FIELDS if k in data and getattr(activity, k) != data[k]]
    for key in changed:
        setattr(activity, key, data[key])
    _check_activity(activity.plan, activity)
    activity.full_clean()
    if changed:
        activity._history_user = actor
        with written_or_gone(HelpActivity):
            activity.save(update_fields=changed)
    return activity


@transaction.atomic
def plan_activity_delete(*, actor, activity: HelpActivity) -> None:
    locked(HelpActivity, activity.pk)
    require(actor, "plans.manage", activity.plan.organisation)
    activity.delete()


@transaction.atomic
def plan_activity_set_done(*, actor, activity: HelpActivity, done: bool, done_on: dt.date | None = None) -> HelpActivity:
    locked(HelpActivity, activity.pk)
    require(actor, "plans.manage", activity.plan.organisation)
    today = local_today(activity.plan.organisation)
    done_on = done_on or today
    if done and done_on > today:
        raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
    activity.is_done, activity.done_on = done, (done_on if done else None)
    activity._history_user = actor
    activity.save(update_fields=["is_done", "done_on"])
    return activity
