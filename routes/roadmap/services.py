"""Writes of a route's content: creating it, its explanatory note, its roadmap, the evidence of
activities done, and the comments on it.

Only the owner edits (in the editable states; a route under implementation takes new activities and
moved deadlines, each logged as an amendment and reported to the school reviewer). Every edit of the
note or the roadmap carries the version the form was opened at: a stale one is refused (EditConflict),
nothing is overwritten.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from core import words
from core.dates import current_academic_year, format_date
from core.links import NOT_A_WEB_URL, is_web_url
from core.uploads import StorageUnavailable, store_file, validate_evidence_upload
from routes.models import Comment, Evidence, RoadmapActivity, Route, RouteTask, Transition
from routes.services import (
    CONFLICT_MESSAGE,
    EditConflict,
    RouteError,
    can_credit,
    can_review,
    credit_reviewers,
    deadline_error,
    default_period,
    done_on_error,
    figures_changed,
    is_owner,
    lock_route,
    period_text,
    require_state,
    required_text,
    rows_outside_period,
    school_reviewer,
    school_reviewers,
    teacher_of,
    tell,
    validate_period,
)
from schools.access import can
from schools.models import StaffMember
from schools.timezones import local_today

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


def _require_owner(user, route: Route, what: str) -> None:
    if not is_owner(user, route):
        raise PermissionDenied(f"{what} может только сам педагог, чей это ИОМ.")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ---------------------------------------------------------------- creating a route and its note


@transaction.atomic
def route_create(*, actor, person: StaffMember, copy_from: Route | None = None) -> Route:
    """A new draft route of the actor for the current academic year, empty or copied from an earlier one."""
    if person.user_id != actor.pk:
        raise PermissionDenied("Создать ИОМ можно только себе.")
    _require(can(actor, "route.own", person.organisation), "Составлять ИОМ могут педагоги и руководители школы.")
    if person.status == StaffMember.Status.DISMISSED:
        raise RouteError("Сотрудник уволен: новый ИОМ составить нельзя.")
    today = local_today(person.organisation)  # the school's academic year and period, not the server's
    year = current_academic_year(today)
    if Route.objects.filter(person=person, academic_year=year).exists():
        raise RouteError(f"ИОМ на {year} учебный год уже есть: откройте его.")
    # A multi-year route still running covers this year too: one route at a time (docs/spec/workflow.md).
    running = (Route.objects.filter(person=person, starts_on__lte=today, ends_on__gte=today)
               .exclude(status__in=(Status.COMPLETED, Status.ARCHIVED, Status.WITHDRAWN)).first())
    if running is not None:
        raise RouteError(f"ИОМ {period_text(running.starts_on, running.ends_on)} еще действует: новый ИОМ "
                         "составляют, когда его итоги приняты или срок закрыт.")
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
    figures_changed(route)
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
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise EditConflict(CONFLICT_MESSAGE)
    route.version = expected_version + 1
    figures_changed(route)


@transaction.atomic
def route_update_note(*, actor, route: Route, data: dict, expected_version: int) -> Route:
    """Save the title page and explanatory note (a stale form is refused, nothing is overwritten)."""
    lock_route(route)
    _require_content_editor(actor, route)
    starts_on = data.get("starts_on", route.starts_on)
    ends_on = data.get("ends_on", route.ends_on)
    validate_period(starts_on, ends_on)
    if outside := rows_outside_period(route, starts_on, ends_on):
        raise ValidationError({"ends_on": outside})
    _bump_version(route, expected_version)
    changed = [name for name in NOTE_FIELDS if name in data]
    for name in changed:
        setattr(route, name, data[name])
    route._history_user = actor
    route.save(update_fields=[*changed, "version", "updated_at"])
    if "deficits" in data:
        route.deficits.set(data["deficits"])
    return route


# ---------------------------------------------------------------- the roadmap and its evidence


def _clean_activity(route: Route, activity: RoadmapActivity) -> None:
    errors = {}
    if not (activity.title or "").strip():
        errors["title"] = "Укажите мероприятие."
    if message := deadline_error(route, activity.deadline):
        errors["deadline"] = message
    if activity.task_id and activity.task.route_id != route.pk:
        errors["task"] = "Задача относится к другому ИОМ."
    if errors:
        raise ValidationError(errors)


def _log_amendment(route: Route, actor, text: str) -> None:
    Transition.objects.create(route=route, action="amend", from_status=route.status, to_status=route.status,
                              actor=actor, comment=text)


@transaction.atomic
def activity_add(*, actor, route: Route, data: dict, expected_version: int) -> RoadmapActivity:
    lock_route(route)
    _require_content_editor(actor, route, amendments=True)
    activity = RoadmapActivity(route=route, **{k: data[k] for k in ACTIVITY_FIELDS if k in data})
    _clean_activity(route, activity)
    _bump_version(route, expected_version)
    activity.order = (route.activities.filter(group=activity.group).aggregate(m=Max("order"))["m"] or 0) + 1
    activity._history_user = actor
    activity.save()
    if route.status == Status.IN_PROGRESS:
        _log_amendment(route, actor, f"Добавлено мероприятие {words.quote(activity.title)}, срок {format_date(activity.deadline)}")
        tell(school_reviewers(route), actor, route, "В реализуемый ИОМ добавлено мероприятие")
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
    lock_route(route)
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
            text = (f"Перенесен срок {words.quote(activity.title)}: {format_date(before['deadline'])} → "
                    f"{format_date(activity.deadline)}")
        else:
            text = f"Изменено мероприятие {words.quote(activity.title)}"
        _log_amendment(route, actor, text)
        tell(school_reviewers(route), actor, route, "Изменен реализуемый ИОМ")
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: RoadmapActivity, expected_version: int) -> None:
    route = activity.route
    lock_route(route)
    _require_content_editor(actor, route)
    _bump_version(route, expected_version)
    activity._history_user = actor
    activity.delete()


@transaction.atomic
def activity_move(*, actor, activity: RoadmapActivity, direction: str, expected_version: int) -> None:
    """Swap the activity with its neighbour inside its competency group ("up" or "down")."""
    route = activity.route
    lock_route(route)
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
        _log_amendment(route, actor, f"Мероприятие {words.quote(activity.title)} перемещено {'выше' if direction == 'up' else 'ниже'}")


@transaction.atomic
def activity_mark_done(*, actor, activity: RoadmapActivity, done_on: dt.date, note: str | None = None,
                       upload=None, evidence_kind: str = Evidence.Kind.CERTIFICATE, url: str = "") -> RoadmapActivity:
    """The teacher marks an activity of a route under implementation done, with the date and evidence."""
    route = activity.route
    lock_route(route)
    _require_owner(actor, route, "Отмечать выполнение")
    require_state(route, Route.MARKING_STATUSES, "Отмечать выполнение")
    if message := done_on_error(route, done_on):
        raise ValidationError({"done_on": message})
    if upload is not None or url:
        _save_evidence(actor=actor, activity=activity, kind=evidence_kind, upload=upload, url=url)
    elif not activity.evidence.exists():
        raise ValidationError({"file": "Приложите подтверждающий документ (файл или ссылку)."})
    activity.is_done = True
    activity.done_on = done_on
    activity.not_done_reason = ""
    fields = ["is_done", "done_on", "not_done_reason"]
    if note is not None:
        activity.note = note
        fields.append("note")
    activity._history_user = actor
    activity.save(update_fields=fields)
    figures_changed(route)
    return activity


@transaction.atomic
def activity_unmark_done(*, actor, activity: RoadmapActivity) -> RoadmapActivity:
    route = activity.route
    lock_route(route)
    _require_owner(actor, route, "Снимать отметку о выполнении")
    require_state(route, Route.MARKING_STATUSES, "Снимать отметку о выполнении")
    activity.is_done, activity.done_on = False, None
    activity._history_user = actor
    activity.save(update_fields=["is_done", "done_on"])
    figures_changed(route)
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
    lock_route(route)
    _require_owner(actor, route, "Добавлять подтверждения")
    require_state(route, Route.MARKING_STATUSES, "Добавлять подтверждения")
    return _save_evidence(actor=actor, activity=activity, kind=kind, upload=upload, url=url)


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    route = evidence.activity.route
    lock_route(route)
    _require_owner(actor, route, "Удалять подтверждения")
    require_state(route, Route.MARKING_STATUSES, "Удалять подтверждения")
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------- comments


def can_comment(user, route: Route) -> bool:
    """A route is commented on by its owner, its school reviewer (route.review) and, while it awaits
    credit, the one who credits it (route.credit)."""
    return is_owner(user, route) or can_review(user, route) or (
        route.status == Status.AWAITING_CREDIT and can_credit(user, route)
    )


@transaction.atomic
def comment_add(*, actor, route: Route, text: str, activity: RoadmapActivity | None = None) -> Comment:
    if not can_comment(actor, route):
        raise PermissionDenied(f"Комментировать этот ИОМ могут педагог, {school_reviewer(route).who}, который "
                               "его согласует, и методист, проверяющий ИОМ для зачета.")
    if route.status in (Status.ARCHIVED, Status.WITHDRAWN):
        raise RouteError(f"ИОМ в статусе «{route.get_status_display()}»: комментарии закрыты.")
    text = required_text(text, "Напишите текст комментария.")
    if activity is not None and activity.route_id != route.pk:
        raise RouteError("Мероприятие относится к другому ИОМ.")
    comment = Comment.objects.create(route=route, activity=activity, author=actor, text=text)
    where = f" к мероприятию {words.quote(activity.title)}" if activity else ""
    if is_owner(actor, route):
        others = school_reviewers(route) + (credit_reviewers(route) if route.status == Status.AWAITING_CREDIT else [])
        others += [c.author for c in route.comments.select_related("author").exclude(author=actor)]
    else:
        others = teacher_of(route)
    tell(others, actor, route, f"Новый комментарий{where}: {words.shorten(text, 120)}")
    return comment


def may_resolve(user, comment: Comment) -> bool:
    """A comment is marked resolved by the route's owner, its author or the route's school reviewer."""
    return is_owner(user, comment.route) or comment.author_id == user.pk or can_review(user, comment.route)


@transaction.atomic
def comment_resolve(*, actor, comment: Comment) -> Comment:
    route = comment.route
    _require(may_resolve(actor, comment), "Отметить комментарий учтенным могут педагог или автор комментария.")
    if comment.resolved:
        raise RouteError("Комментарий уже отмечен как учтенный.")
    comment.resolved = True
    comment.save(update_fields=["resolved"])
    if comment.author_id != actor.pk:
        tell([comment.author], actor, route, f"Комментарий учтен: {words.shorten(comment.text, 80)}")
    return comment
