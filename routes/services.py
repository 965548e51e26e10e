"""Writes of the routes app: the ИОМ lifecycle of spec/workflow.md and the editing of a route.

Every function is keyword-only and atomic; it checks the actor's right (through
schools.access; who takes a review or credit step on a route, never its owner, is
routes.selectors.route_reviewers) and the route's state, raises a RouteError (or PermissionDenied) with a
Russian message that the view shows as is, writes the transition log, and notifies the other
side after commit. A refused call changes nothing. The transitions take their states, rights,
required inputs, refusals and notices from the table of routes/workflow.py (`_transition`).
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from core.dates import academic_year_bounds, current_academic_year, format_date
from core.errors import DomainError
from core.links import NOT_A_WEB_URL, is_web_url
from core.services import notify
from core.uploads import StorageUnavailable, store_file, validate_evidence_upload
from diagnostics.models import Deficit
from diagnostics.services import deficits_release
from routes import workflow
from routes.models import (
    Comment,
    Evidence,
    ExpressReview,
    RoadmapActivity,
    Route,
    RouteTask,
    Transition,
)
from routes.selectors import CREDIT, REVIEW, may_review, route_reviewers, school_reviewer_role
from schools.access import can, has_capability
from schools.cache import bump_organisations_on_commit
from schools.models import Membership, StaffMember

Status = Route.Status

NOTE_FIELDS = [
    "city", "diagnostics_summary", "topic", "goal", "tasks_text", "self_education_form", "expected_result",
    "starts_on", "ends_on", "reporting_form",
]
ACTIVITY_FIELDS = [
    "task", "group", "kind", "level", "title", "deadline", "expected_result", "confirming_document", "note",
    "resource",
]
# Fields whose change in an approved route is an amendment ("moving" an activity).
AMENDMENT_FIELDS = {"deadline", "title", "group", "kind", "level"}
MIN_PERIOD_MONTHS, MAX_PERIOD_MONTHS = 6, 60


class RouteError(DomainError):
    """A refused action on a route (state, missing data); the message is shown to the user."""


class EditConflict(RouteError):
    """Someone saved the route after this form was opened: the later save is refused."""


CONFLICT_MESSAGE = (
    "ИОМ уже изменил другой пользователь (или вы в другой вкладке) после того, как вы открыли форму. "
    "Ваши изменения не сохранены, чтобы не затереть чужие: обновите страницу и внесите их снова."
)


# ---------------------------------------------------------------- helpers


def _now() -> dt.datetime:
    return timezone.now()


def _today() -> dt.date:
    return timezone.localdate()


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)


def route_url(route: Route) -> str:
    return reverse("routes:route_detail", args=[route.pk])


def _is_owner(user, route: Route) -> bool:
    return user is not None and user.is_authenticated and route.person.user_id == user.pk


def is_owner(user, record) -> bool:
    """The route a record is part of (the route, one of its activities, an activity's evidence) is the
    user's own: editing a route, marking its activities done and its evidence are its owner's alone."""
    route = record if isinstance(record, Route) else record.activity.route if isinstance(record, Evidence) \
        else record.route
    return _is_owner(user, route)


def _require_owner(user, route: Route, what: str) -> None:
    if not _is_owner(user, route):
        raise PermissionDenied(f"{what} может только сам педагог, чей это ИОМ.")


def _require_state(route: Route, allowed: Iterable[str], what: str) -> None:
    allowed = tuple(allowed)
    if route.status not in allowed:
        labels = ", ".join(f"«{Status(s).label}»" for s in allowed)
        raise RouteError(f"{what} нельзя: ИОМ в статусе «{route.get_status_display()}», а нужно {labels}.")


def can_review(user, route: Route) -> bool:
    """Nobody reviews their own route. The school steps (return, approve, accept or return results,
    extend, close unrealised) belong to the deputies of the route's school; a deputy's own route to
    the director of the school, else the municipal methodists (routes.selectors.reviews_q, and its
    reverse route_reviewers for who is told)."""
    return may_review(user, route, "approve")


def can_credit(user, route: Route) -> bool:
    """Credit belongs to the regional methodists of the route's region, or the municipal ones where the
    municipality credits itself, never the owner; where the owner is the only one, to the methodists
    of the other level (routes.selectors.reviews_q)."""
    return may_review(user, route, "credit")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


class ReviewerName(NamedTuple):
    """Who reviews a route for the school, in the words of a message."""

    who: str  # nominative: «Согласует ИОМ …»
    to_whom: str  # dative: «ИОМ уйдет …»
    why: str = ""  # why not the deputy, the usual reviewer


_SCHOOL_REVIEWER = {
    Membership.Role.DEPUTY: ReviewerName("заместитель директора школы педагога",
                                         "заместителю директора школы педагога"),
    Membership.Role.DIRECTOR: ReviewerName("директор школы", "директору школы", "это ИОМ заместителя директора"),
    Membership.Role.MUNICIPAL_METHODIST: ReviewerName(
        "методист муниципалитета", "методисту муниципалитета",
        "это ИОМ заместителя директора, а у директора школы нет учетной записи в портале"),
}


def school_reviewer(route: Route) -> ReviewerName:
    """Who takes the school review of this route (routes.selectors.school_reviewer_role): a deputy's own
    route goes to the director, or to the municipal methodist where the director has no account."""
    return _SCHOOL_REVIEWER[school_reviewer_role(route)]


def _lock(route: Route) -> Route:
    """Re-read the route under a row lock so two transitions cannot interleave."""
    fresh = (
        Route.objects.select_for_update(of=("self",))
        .select_related("person__user", "organisation__municipality__region")
        .get(pk=route.pk)
    )
    route.status = fresh.status
    route.version = fresh.version
    return fresh


def _figures_changed(route: Route) -> None:
    """Dashboard figures of the route's municipality are computed afresh after this write commits."""
    bump_organisations_on_commit(route.organisation_id)


def _move(route: Route, *, action: str, to: str, actor, comment: str = "", fields: Iterable[str] = ()) -> Transition:
    _figures_changed(route)
    from_status = route.status
    route.status = to
    route._history_user = actor
    route.save(update_fields=["status", "updated_at", *fields])
    return Transition.objects.create(
        route=route, action=action, from_status=from_status, to_status=to, actor=actor, comment=comment
    )


def _school_reviewers(route: Route) -> list:
    """Who follows the route for the school: the deputy, or for a deputy's own route the director
    (or the methodist); they hear of submissions, amendments and decisions."""
    return route_reviewers(route, "approve")


def _credit_reviewers(route: Route) -> list:
    return route_reviewers(route, "credit")


def _teacher(route: Route) -> list:
    return [route.person.user] if route.person.user_id else []


def _tell(users, actor, route: Route, text: str) -> None:
    recipients = [u for u in users if actor is None or u.pk != actor.pk]
    unique = list({u.pk: u for u in recipients}.values())
    notify(users=unique, text=f"{text} — ИОМ: {route.person.short_name}, {route.academic_year}", url=route_url(route))


def _text(value: str | None) -> str:
    return (value or "").strip()


def _required_text(value: str, message: str) -> str:
    value = _text(value)
    if not value:
        raise RouteError(message)
    return value


def _actor_name(actor) -> str:
    return (actor.get_full_name() or actor.username) if actor else "система"


# ---------------------------------------------------------------- creating and editing a route


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """From today to the end of the academic year; at least half a year (spec: ½ to 5 years)."""
    _, end = academic_year_bounds(current_academic_year(today))
    if end < add_months(today, MIN_PERIOD_MONTHS) - dt.timedelta(days=1):
        end = dt.date(end.year + 1, end.month, end.day)
    return today, end


@transaction.atomic
def route_create(*, actor, person: StaffMember, copy_from: Route | None = None) -> Route:
    """A new draft route of the actor for the current academic year, empty or copied from an earlier one."""
    if person.user_id != actor.pk:
        raise PermissionDenied("Создать ИОМ можно только себе.")
    _require(can(actor, "route.own", person.organisation), "Составлять ИОМ могут педагоги и руководители школы.")
    if person.status == StaffMember.Status.DISMISSED:
        raise RouteError("Сотрудник уволен: новый ИОМ составить нельзя.")
    today = _today()
    year = current_academic_year(today)
    if Route.objects.filter(person=person, academic_year=year).exists():
        raise RouteError(f"ИОМ на {year} учебный год уже есть: откройте его.")
    starts_on, ends_on = default_period(today)
    route = Route(
        person=person, organisation=person.organisation, academic_year=year, status=Status.DRAFT,
        starts_on=starts_on, ends_on=ends_on,
    )
    if copy_from is not None:
        if copy_from.person_id != person.pk:
            raise PermissionDenied("Скопировать можно только свой прежний ИОМ.")
        for name in NOTE_FIELDS:
            if name not in ("starts_on", "ends_on"):
                setattr(route, name, getattr(copy_from, name))
    route._history_user = actor
    route.save()
    _figures_changed(route)
    Transition.objects.create(route=route, action="create", from_status=Status.DRAFT, to_status=Status.DRAFT,
                              actor=actor, comment=f"Скопирован из ИОМ {copy_from.academic_year}" if copy_from else "")
    if copy_from is not None:
        _copy_roadmap(copy_from, route)
    return route


def _copy_roadmap(source: Route, route: Route) -> None:
    """Tasks and not-yet-done activities move to the new route, deadlines shifted into its period."""
    shift_years = int(route.academic_year[:4]) - int(source.academic_year[:4])
    task_map = {}
    for task in source.tasks.all():
        task_map[task.pk] = RouteTask.objects.create(
            route=route, deficit=task.deficit, problem=task.problem, educational_task=task.educational_task,
            order=task.order,
        )
    for order, activity in enumerate(source.activities.filter(is_done=False).order_by("group__order", "order", "pk")):
        try:
            deadline = activity.deadline.replace(year=activity.deadline.year + shift_years)
        except ValueError:  # 29 February
            deadline = activity.deadline.replace(year=activity.deadline.year + shift_years, day=28)
        deadline = min(max(deadline, route.starts_on), route.ends_on)
        RoadmapActivity.objects.create(
            route=route, task=task_map.get(activity.task_id), group=activity.group, kind=activity.kind,
            level=activity.level, title=activity.title, deadline=deadline, expected_result=activity.expected_result,
            confirming_document=activity.confirming_document, note=activity.note, resource=activity.resource,
            order=order,
        )


def _require_content_editor(actor, route: Route, *, amendments: bool = False) -> None:
    _require_owner(actor, route, "Изменять ИОМ")
    allowed = list(Route.EDITABLE_STATUSES) + ([Status.IN_PROGRESS] if amendments else [])
    if route.status not in allowed:
        if route.status == Status.IN_PROGRESS:
            raise RouteError("В реализуемом ИОМ можно добавлять мероприятия и переносить сроки; "
                             "пояснительная записка не меняется.")
        raise RouteError(f"ИОМ в статусе «{route.get_status_display()}» сейчас не редактируется.")


def _bump_version(route: Route, expected_version: int) -> None:
    """Optimistic concurrency: the save goes through only if nobody saved since the form was opened."""
    updated = Route.objects.filter(pk=route.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=_now()
    )
    if not updated:
        raise EditConflict(CONFLICT_MESSAGE)
    route.version = expected_version + 1
    _figures_changed(route)


def validate_period(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    errors = {}
    if not starts_on:
        errors["starts_on"] = "Укажите начало срока реализации."
    if not ends_on:
        errors["ends_on"] = "Укажите окончание срока реализации."
    if not errors:
        if ends_on <= starts_on:
            errors["ends_on"] = "Окончание должно быть позже начала."
        elif ends_on < add_months(starts_on, MIN_PERIOD_MONTHS) - dt.timedelta(days=1):
            errors["ends_on"] = "Срок реализации ИОМ — не меньше полугода."
        elif ends_on > add_months(starts_on, MAX_PERIOD_MONTHS) - dt.timedelta(days=1):
            errors["ends_on"] = "Срок реализации ИОМ — не больше пяти лет."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def route_update_note(*, actor, route: Route, data: dict, expected_version: int) -> Route:
    """Save the title page and explanatory note (a stale form is refused, nothing is overwritten)."""
    _lock(route)
    _require_content_editor(actor, route)
    starts_on = data.get("starts_on", route.starts_on)
    ends_on = data.get("ends_on", route.ends_on)
    validate_period(starts_on, ends_on)
    outside = route.activities.exclude(deadline__range=(starts_on, ends_on)).order_by("deadline").first()
    if outside is not None:
        raise ValidationError({"ends_on": (
            f"Срок мероприятия «{outside.title}» ({format_date(outside.deadline)}) выходит за новый период: "
            "сначала перенесите его."
        )})
    _bump_version(route, expected_version)
    changed = [name for name in NOTE_FIELDS if name in data]
    for name in changed:
        setattr(route, name, data[name])
    route._history_user = actor
    route.save(update_fields=[*changed, "version", "updated_at"])
    if "deficits" in data:
        route.deficits.set(data["deficits"])
    return route


def _clean_activity(route: Route, activity: RoadmapActivity) -> None:
    errors = {}
    if not (activity.title or "").strip():
        errors["title"] = "Укажите мероприятие."
    if activity.deadline is None:
        errors["deadline"] = "Укажите срок."
    elif route.starts_on and route.ends_on and not (route.starts_on <= activity.deadline <= route.ends_on):
        errors["deadline"] = (
            f"Срок должен быть внутри периода ИОМ: с {format_date(route.starts_on)} по {format_date(route.ends_on)}."
        )
    if activity.task_id and activity.task.route_id != route.pk:
        errors["task"] = "Задача относится к другому ИОМ."
    if errors:
        raise ValidationError(errors)


def _log_amendment(route: Route, actor, text: str) -> None:
    Transition.objects.create(route=route, action="amend", from_status=route.status, to_status=route.status,
                              actor=actor, comment=text)


@transaction.atomic
def activity_add(*, actor, route: Route, data: dict, expected_version: int) -> RoadmapActivity:
    _lock(route)
    _require_content_editor(actor, route, amendments=True)
    activity = RoadmapActivity(route=route, **{k: data[k] for k in ACTIVITY_FIELDS if k in data})
    _clean_activity(route, activity)
    _bump_version(route, expected_version)
    activity.order = (route.activities.filter(group=activity.group).aggregate(m=Max("order"))["m"] or 0) + 1
    activity._history_user = actor
    activity.save()
    if route.status == Status.IN_PROGRESS:
        _log_amendment(route, actor, f"Добавлено мероприятие «{activity.title}», срок {format_date(activity.deadline)}")
        _tell(_school_reviewers(route), actor, route, "В реализуемый ИОМ добавлено мероприятие")
    return activity


def _stored_activity(route: Route, pk: int) -> RoadmapActivity:
    """The activity as stored; the route's lock keeps it from changing until commit."""
    activity = route.activities.select_related("task").filter(pk=pk).first()
    if activity is None:
        raise RouteError("Мероприятие уже удалено из ИОМ: обновите страницу.")
    activity.route = route
    return activity


@transaction.atomic
def activity_update(*, actor, activity: RoadmapActivity, data: dict, expected_version: int) -> RoadmapActivity:
    route = activity.route
    _lock(route)
    _require_content_editor(actor, route, amendments=True)
    # Compare with the stored row, not with `activity`: a ModelForm bound to it has already copied the
    # posted values into it, and the amendment log and the done-activity guard would see no change.
    activity = _stored_activity(route, activity.pk)
    before = {name: getattr(activity, name) for name in ACTIVITY_FIELDS}
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    changed = [name for name in ACTIVITY_FIELDS if getattr(activity, name) != before[name]]
    if route.status == Status.IN_PROGRESS and activity.is_done and changed:
        raise RouteError("Выполненное мероприятие не меняется: снимите отметку о выполнении, если она ошибочна.")
    _clean_activity(route, activity)
    _bump_version(route, expected_version)
    activity._history_user = actor
    activity.save()
    amended = AMENDMENT_FIELDS.intersection(changed)
    if route.status == Status.IN_PROGRESS and amended:
        if "deadline" in amended:
            text = (f"Перенесен срок «{activity.title}»: {format_date(before['deadline'])} → "
                    f"{format_date(activity.deadline)}")
        else:
            text = f"Изменено мероприятие «{activity.title}»"
        _log_amendment(route, actor, text)
        _tell(_school_reviewers(route), actor, route, "Изменен реализуемый ИОМ")
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: RoadmapActivity, expected_version: int) -> None:
    route = activity.route
    _lock(route)
    _require_content_editor(actor, route)
    _bump_version(route, expected_version)
    activity._history_user = actor
    activity.delete()


@transaction.atomic
def activity_move(*, actor, activity: RoadmapActivity, direction: str, expected_version: int) -> None:
    """Swap the activity with its neighbour inside its competency group ("up" or "down")."""
    route = activity.route
    _lock(route)
    _require_content_editor(actor, route, amendments=True)
    siblings = list(route.activities.filter(group=activity.group).order_by("order", "deadline", "pk"))
    index = next(i for i, a in enumerate(siblings) if a.pk == activity.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(siblings):
        raise RouteError("Мероприятие уже стоит первым (или последним) в своем разделе.")
    _bump_version(route, expected_version)
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for order, item in enumerate(siblings, start=1):
        if item.order != order:
            item.order = order
            item._history_user = actor
            item.save(update_fields=["order"])
    if route.status == Status.IN_PROGRESS:
        _log_amendment(route, actor, f"Мероприятие «{activity.title}» перемещено {'выше' if direction == 'up' else 'ниже'}")


@transaction.atomic
def activity_mark_done(*, actor, activity: RoadmapActivity, done_on: dt.date, note: str | None = None,
                       upload=None, evidence_kind: str = Evidence.Kind.CERTIFICATE, url: str = "") -> RoadmapActivity:
    """The teacher marks an activity of a route under implementation done, with the date and evidence."""
    route = activity.route
    _lock(route)
    _require_owner(actor, route, "Отмечать выполнение")
    _require_state(route, [Status.IN_PROGRESS], "Отмечать выполнение")
    if done_on is None:
        raise ValidationError({"done_on": "Укажите дату выполнения."})
    if done_on > _today():
        raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
    if route.starts_on and done_on < route.starts_on:
        raise ValidationError({"done_on": f"Дата раньше начала ИОМ ({format_date(route.starts_on)})."})
    if upload is not None or url:
        _save_evidence(actor=actor, activity=activity, kind=evidence_kind, upload=upload, url=url)
    elif not activity.evidence.exists():
        raise ValidationError({"file": "Приложите подтверждающий документ (файл или ссылку)."})
    activity.is_done = True
    activity.done_on = done_on
    fields = ["is_done", "done_on"]
    if note is not None:
        activity.note = note
        fields.append("note")
    activity._history_user = actor
    activity.save(update_fields=fields)
    _figures_changed(route)
    return activity


@transaction.atomic
def activity_unmark_done(*, actor, activity: RoadmapActivity) -> RoadmapActivity:
    route = activity.route
    _lock(route)
    _require_owner(actor, route, "Снимать отметку о выполнении")
    _require_state(route, [Status.IN_PROGRESS], "Снимать отметку о выполнении")
    activity.is_done, activity.done_on = False, None
    activity._history_user = actor
    activity.save(update_fields=["is_done", "done_on"])
    _figures_changed(route)
    return activity


def _save_evidence(*, actor, activity: RoadmapActivity, kind: str, upload=None, url: str = "") -> Evidence:
    if kind not in Evidence.Kind.values:
        raise ValidationError({"kind": "Выберите вид подтверждения."})
    if upload is None and not url:
        raise ValidationError({"file": "Приложите файл или укажите ссылку."})
    if upload is None and not is_web_url(url):
        # The forms check this too; an import, a task or the shell call the service directly.
        raise ValidationError({"url": NOT_A_WEB_URL})
    evidence = Evidence(activity=activity, kind=Evidence.Kind.LINK if upload is None else kind, uploaded_by=actor)
    if upload is not None:
        checked = validate_evidence_upload(upload)
        evidence.original_name = checked.original_name
        evidence.content_type = checked.content_type
        evidence.size = checked.size
        try:  # a failed write leaves no file behind and says so in Russian (core.uploads.store_file)
            store_file(evidence.file, checked.original_name, checked.content)
        except StorageUnavailable as exc:
            raise RouteError(str(exc)) from exc
    else:
        evidence.url = url
    try:
        evidence.full_clean(exclude=["file"])
        evidence.save()
    except Exception:
        if evidence.file:
            evidence.file.storage.delete(evidence.file.name)  # no orphan file for a refused row
        raise
    return evidence


@transaction.atomic
def evidence_add(*, actor, activity: RoadmapActivity, kind: str, upload=None, url: str = "") -> Evidence:
    route = activity.route
    _lock(route)
    _require_owner(actor, route, "Добавлять подтверждения")
    _require_state(route, [Status.IN_PROGRESS], "Добавлять подтверждения")
    return _save_evidence(actor=actor, activity=activity, kind=kind, upload=upload, url=url)


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    route = evidence.activity.route
    _lock(route)
    _require_owner(actor, route, "Удалять подтверждения")
    _require_state(route, [Status.IN_PROGRESS], "Удалять подтверждения")
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------- comments


def can_comment(user, route: Route) -> bool:
    """A route is commented on by its owner, its school reviewer (route.review) and, while it awaits
    credit, the one who credits it (route.credit)."""
    return _is_owner(user, route) or can_review(user, route) or (
        route.status == Status.AWAITING_CREDIT and can_credit(user, route)
    )


@transaction.atomic
def comment_add(*, actor, route: Route, text: str, activity: RoadmapActivity | None = None) -> Comment:
    if not can_comment(actor, route):
        raise PermissionDenied(f"Комментировать этот ИОМ могут педагог, {school_reviewer(route).who}, который "
                               "его согласует, и методист, проверяющий ИОМ для зачета.")
    if route.status in (Status.ARCHIVED, Status.WITHDRAWN):
        raise RouteError(f"ИОМ в статусе «{route.get_status_display()}»: комментарии закрыты.")
    text = _required_text(text, "Напишите текст комментария.")
    if activity is not None and activity.route_id != route.pk:
        raise RouteError("Мероприятие относится к другому ИОМ.")
    comment = Comment.objects.create(route=route, activity=activity, author=actor, text=text)
    where = f" к мероприятию «{activity.title}»" if activity else ""
    if _is_owner(actor, route):
        others = _school_reviewers(route) + (_credit_reviewers(route) if route.status == Status.AWAITING_CREDIT else [])
        others += [c.author for c in route.comments.select_related("author").exclude(author=actor)]
    else:
        others = _teacher(route)
    _tell(others, actor, route, f"Новый комментарий{where}: {text[:120]}")
    return comment


def may_resolve(user, comment: Comment) -> bool:
    """A comment is marked resolved by the route's owner, its author or the route's school reviewer."""
    return _is_owner(user, comment.route) or comment.author_id == user.pk or can_review(user, comment.route)


@transaction.atomic
def comment_resolve(*, actor, comment: Comment) -> Comment:
    route = comment.route
    _require(may_resolve(actor, comment), "Отметить комментарий учтенным могут педагог или автор комментария.")
    if comment.resolved:
        raise RouteError("Комментарий уже отмечен как учтенный.")
    comment.resolved = True
    comment.save(update_fields=["resolved"])
    if comment.author_id != actor.pk:
        _tell([comment.author], actor, route, f"Комментарий учтен: {comment.text[:80]}")
    return comment


# ---------------------------------------------------------------- transitions (spec/workflow.md, routes/workflow.py)


def information_card(person: StaffMember, *, before_year: str) -> dict:
    """The information card as it stands now: the snapshot stored in Route.card at submission.

    Keys: full_name, organisation, position, subject, education, attested_on (DD.MM.YYYY),
    qualification_category, experience_years, courses [{title, done_on, academic_year}], taken_on.
    """
    courses = (
        RoadmapActivity.objects.filter(
            route__person=person, route__academic_year__lt=before_year, kind__code="course", is_done=True
        )
        .select_related("route")
        .order_by("done_on", "pk")
    )
    return {
        "full_name": person.full_name,
        "organisation": person.organisation.name,
        "position": person.position,
        "subject": person.subject,
        "education": person.education,
        "attested_on": format_date(person.attested_on),
        "qualification_category": person.get_qualification_category_display(),
        "experience_years": person.experience_years,
        "courses": [
            {"title": c.title, "done_on": format_date(c.done_on), "academic_year": c.route.academic_year}
            for c in courses
        ],
        "taken_on": format_date(_today()),
    }


def submission_problems(route: Route) -> list[str]:
    """What is missing before the route can be submitted (shown to the teacher next to the button)."""
    problems = []
    labels = {"topic": "тема самообразования", "goal": "цель", "tasks_text": "задачи",
              "expected_result": "ожидаемый результат", "reporting_form": "форма отчетности"}
    missing = [label for name, label in labels.items() if not (getattr(route, name) or "").strip()]
    if missing:
        problems.append("В пояснительной записке не заполнено: " + ", ".join(missing) + ".")
    try:
        validate_period(route.starts_on, route.ends_on)
    except ValidationError as exc:
        problems.extend(m for messages in exc.message_dict.values() for m in messages)
    activities = list(route.activities.all())
    if not activities:
        problems.append("В дорожной карте нет ни одного мероприятия.")
    elif route.starts_on and route.ends_on:
        outside = [a for a in activities if not route.starts_on <= a.deadline <= route.ends_on]
        if outside:
            problems.append(f"Сроки {len(outside)} мероприятий вне периода ИОМ.")
    return problems


def _holds_right(rule: workflow.TransitionRule, user, route: Route) -> bool:
    if rule.who == workflow.OWNER:
        return _is_owner(user, route)
    if rule.who in (REVIEW, CREDIT):
        return may_review(user, route, rule.action)
    return can(user, rule.capability, route.organisation)


def _require_right(rule: workflow.TransitionRule, actor, route: Route) -> None:
    """The step is the actor's; the owner trying a review step of their own route hears why not."""
    if _holds_right(rule, actor, route):
        return
    if rule.who in (REVIEW, CREDIT) and _is_owner(actor, route):
        raise PermissionDenied(workflow.OWN_ROUTE_REFUSAL[rule.who])
    message = rule.not_yours
    if "{who}" in message:
        message = message.format(who=school_reviewer(route).who)
    raise PermissionDenied(message)


def require_may(user, route: Route, action: str) -> None:
    """Refuse (PermissionDenied with the reason, e.g. «Свой ИОМ не согласуют…») unless the action is the user's."""
    _require_right(workflow.ACTIONS[action], user, route)


_RECIPIENTS = {workflow.TEACHER: _teacher, REVIEW: _school_reviewers, CREDIT: _credit_reviewers}


def _transition(action: str, *, actor, route: Route, inputs: dict | None = None,
                record: Callable[[str, dict], Iterable[str]] | None = None) -> Route:
    """Take the transition `action` of routes/workflow.py: lock the route, check the actor's right, the
    state and the required inputs, let `record(target, required)` check and set what this transition
    records (`required`: the required inputs, stripped; it returns the fields it set), move the route,
    log and notify. Runs inside the caller's transaction, so a refusal anywhere leaves nothing."""
    rule = workflow.ACTIONS[action]
    inputs = inputs or {}
    _lock(route)
    _require_right(rule, actor, route)
    _require_state(route, rule.sources, rule.verb)
    required = {i.name: _required_text(inputs.get(i.name), i.required) for i in rule.inputs if i.required}
    target = rule.target_for(route)
    fields = record(target, required) if record else ()
    comment = _text(inputs.get(rule.logged_input)) if rule.logged_input else ""
    _move(route, action=action, to=target, actor=actor, comment=comment, fields=fields)
    for notice in rule.notices:
        if notice.when and notice.when != target:
            continue
        users = [user for kind in notice.to for user in _RECIPIENTS[kind](route)]
        _tell(users, actor, route, notice.text.format(comment=comment[:150],
                                                      outcome=route.get_outcome_display().lower()))
    return route


@transaction.atomic
def route_submit(*, actor, route: Route) -> Route:
    def record(target: str, required: dict) -> list[str]:
        problems = submission_problems(route)
        if problems:
            raise RouteError("ИОМ пока нельзя отправить. " + " ".join(problems))
        route.card = information_card(route.person, before_year=route.academic_year)
        route.submitted_at = _now()
        return ["card", "submitted_at"]

    return _transition("submit", actor=actor, route=route, record=record)


@transaction.atomic
def route_recall(*, actor, route: Route) -> Route:
    def record(target: str, required: dict) -> list[str]:
        reviewed = route.comments.exclude(author=actor)
        if route.submitted_at:
            reviewed = reviewed.filter(created_at__gte=route.submitted_at)
        if reviewed.exists():
            who = school_reviewer(route).who
            raise RouteError(f"{who[0].upper()}{who[1:]} уже оставил комментарии: отозвать ИОМ нельзя, "
                             "дождитесь решения.")
        return []

    return _transition("recall", actor=actor, route=route, record=record)


@transaction.atomic
def route_return(*, actor, route: Route, comment: str) -> Route:
    return _transition("return", actor=actor, route=route, inputs={"comment": comment})


@transaction.atomic
def route_approve(*, actor, route: Route, scores: dict, comment: str = "") -> Route:
    """Approve with the express review; straight to implementation where no credit is required."""
    def record(target: str, required: dict) -> list[str]:
        codes = [code for code, _ in ExpressReview.CRITERIA]
        if any(scores.get(code) not in (0, 1, 2) for code in codes):
            raise RouteError("Оцените все пять критериев экспресс-экспертизы баллом 0, 1 или 2.")
        ExpressReview.objects.create(route=route, reviewer=actor, comment=_text(comment),
                                     **{code: scores[code] for code in codes})
        route.approved_on = _today()
        if target == Status.IN_PROGRESS:  # no credit step: every report counts the credited by one field
            route.credited_on = route.approved_on
            return ["approved_on", "credited_on"]
        return ["approved_on"]

    return _transition("approve", actor=actor, route=route, inputs={"scores": scores, "comment": comment},
                       record=record)


@transaction.atomic
def route_credit(*, actor, route: Route) -> Route:
    def record(target: str, required: dict) -> list[str]:
        route.credited_on = _today()
        return ["credited_on"]

    return _transition("credit", actor=actor, route=route, record=record)


@transaction.atomic
def route_refuse_credit(*, actor, route: Route, comment: str) -> Route:
    return _transition("refuse_credit", actor=actor, route=route, inputs={"comment": comment})


@transaction.atomic
def route_submit_results(*, actor, route: Route, reflection: str, outcome_proposed: str) -> Route:
    def record(target: str, required: dict) -> list[str]:
        if outcome_proposed not in Route.Outcome.values:
            raise RouteError("Оцените результат: достигнут полностью, частично или не достигнут.")
        route.reflection = required["reflection"]
        route.outcome_proposed = outcome_proposed
        return ["reflection", "outcome_proposed"]

    return _transition("submit_results", actor=actor, route=route,
                       inputs={"reflection": reflection, "outcome_proposed": outcome_proposed}, record=record)


@transaction.atomic
def route_accept_results(*, actor, route: Route, outcome: str, comment: str = "",
                         presented_on: dt.date | None = None, presented_place: str = "") -> Route:
    def record(target: str, required: dict) -> list[str]:
        if outcome not in Route.Outcome.values:
            raise RouteError("Укажите результат: достигнут полностью, частично или не достигнут.")
        if presented_on and presented_on > _today():
            raise RouteError("Дата представления результатов не может быть в будущем.")
        route.outcome = outcome
        route.results_comment = _text(comment)
        route.results_presented_on = presented_on
        route.results_presented_place = _text(presented_place)
        route.completed_on = _today()
        return ["outcome", "results_comment", "results_presented_on", "results_presented_place", "completed_on"]

    return _transition("accept_results", actor=actor, route=route, record=record, inputs={
        "outcome": outcome, "comment": comment, "presented_on": presented_on, "presented_place": presented_place})


@transaction.atomic
def route_return_results(*, actor, route: Route, comment: str) -> Route:
    return _transition("return_results", actor=actor, route=route, inputs={"comment": comment})


@transaction.atomic
def route_archive(*, actor, route: Route) -> Route:
    return _transition("archive", actor=actor, route=route)


@transaction.atomic
def route_withdraw(*, actor, route: Route, reason: str) -> Route:
    def record(target: str, required: dict) -> list[str]:
        _release_deficits(route)
        return []

    return _transition("withdraw", actor=actor, route=route, inputs={"reason": reason}, record=record)


def _release_deficits(route: Route) -> None:
    """The deficits the route addresses (linked to it or to one of its tasks) go back from «в работе» to
    «выявлен», except those another live route (workflow.LIVE) addresses too."""
    addressing = Q(routes=route) | Q(route_tasks__route=route)
    live = Route.objects.filter(status__in=workflow.LIVE).exclude(pk=route.pk)
    still_addressed = Deficit.objects.filter(Q(routes__in=live) | Q(route_tasks__route__in=live)).values("pk")
    deficits = (Deficit.objects.filter(addressing, status=Deficit.Status.IN_WORK).exclude(pk__in=still_addressed)
                .select_related("person").distinct())
    deficits_release(deficits=deficits)


# ---------------------------------------------------------------- what the actor may do now


# action → the states it starts from
ALLOWED_FROM = {rule.action: list(rule.sources) for rule in workflow.TRANSITIONS}


def may(user, route: Route, action: str) -> bool:
    """Does the user hold the right to take this action on this route (whatever its state)?"""
    rule = workflow.ACTIONS.get(action)
    return rule is not None and _holds_right(rule, user, route)


def available_actions(user, route: Route) -> set[str]:
    """The transitions the user may take on the route now (buttons shown on its page)."""
    return {rule.action for rule in workflow.TRANSITIONS
            if route.status in rule.sources and _holds_right(rule, user, route)}


def staff_record_for(user, organisation=None) -> StaffMember | None:
    """The user's own staff record (where they may keep an ИОМ)."""
    if not has_capability(user, "route.own"):
        return None
    qs = StaffMember.objects.filter(user=user).exclude(status=StaffMember.Status.DISMISSED).select_related(
        "organisation__municipality")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.first()

