"""Writes of the ИОМ lifecycle (docs/spec/workflow.md): the transitions route_submit … route_withdraw.

Each takes its states, whose step it is, its required inputs, its refusals and its notices from
the table of routes/workflow/table.py through one helper (`_transition`): it locks the route, checks
the actor's right and the route's state, writes the transition log, and tells the other side after
commit. A refused call changes nothing. `available_actions` and `may` answer what a user may do now.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.dates import format_date
from core.errors import DomainError
from diagnostics.models import Deficit
from diagnostics.services import deficits_release
from routes.models import ExpressReview, RoadmapActivity, Route, Transition
from routes.selectors import CREDIT, REVIEW, may_review
from routes.services import (
    RouteError,
    clean_text,
    credit_reviewers,
    figures_changed,
    is_owner,
    lock_route,
    require_state,
    required_text,
    school_reviewer,
    school_reviewers,
    teacher_of,
    tell,
    validate_period,
)
from routes.workflow import final_diagnostics, review, table
from schools.access import can
from schools.models import StaffMember
from schools.timezones import local_today

Status = Route.Status


def _move(route: Route, *, action: str, to: str, actor, comment: str = "", fields: Iterable[str] = ()) -> Transition:
    figures_changed(route)
    from_status = route.status
    route.status = to
    route._history_user = actor
    route.save(update_fields=["status", "updated_at", *fields])
    return Transition.objects.create(
        route=route, action=action, from_status=from_status, to_status=to, actor=actor, comment=comment
    )


def information_card(person: StaffMember, *, before_year: str) -> dict:
    """The information card as it stands now: the snapshot stored in Route.card at submission.

    Keys: full_name, organisation, position, subject, education, attested_on (DD.MM.YYYY),
    qualification_category, experience_years, courses [{title, done_on, academic_year}], taken_on.
    """
    courses = (
        RoadmapActivity.objects.filter(
            route__person=person, route__academic_year__lt=before_year, kind__code="course", is_done=True
        )
        .select_related("route", "resource")
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
            {"title": c.title, "done_on": format_date(c.done_on), "academic_year": c.route.academic_year,
             "hours": c.resource.hours if c.resource else None}
            for c in courses
        ],
        "taken_on": format_date(local_today(person.organisation)),
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


def _holds_right(rule: table.TransitionRule, user, route: Route) -> bool:
    if rule.who == table.SYSTEM:  # the portal's own step: no user takes it
        return user is None
    if user is None:
        return False
    if rule.who == table.OWNER:
        return is_owner(user, route)
    if rule.who in (REVIEW, CREDIT):
        return may_review(user, route, rule.action)
    return can(user, rule.capability, route.organisation)


def _require_right(rule: table.TransitionRule, actor, route: Route) -> None:
    """The step is the actor's; the owner trying a review step of their own route hears why not."""
    if _holds_right(rule, actor, route):
        return
    if rule.who in (REVIEW, CREDIT) and is_owner(actor, route):
        raise PermissionDenied(table.OWN_ROUTE_REFUSAL[rule.who])
    message = rule.not_yours
    if "{who}" in message:
        message = message.format(who=school_reviewer(route).who)
    raise PermissionDenied(message)


def require_may(user, route: Route, action: str) -> None:
    """Refuse (PermissionDenied with the reason, e.g. «Свой ИОМ не согласуют…») unless the action is the user's."""
    _require_right(table.ACTIONS[action], user, route)


_RECIPIENTS = {table.TEACHER: teacher_of, REVIEW: school_reviewers, CREDIT: credit_reviewers}


def _transition(action: str, *, actor, route: Route, inputs: dict | None = None,
                record: Callable[[str, dict], Iterable[str]] | None = None,
                log: Callable[[str], str] | None = None) -> Route:
    """Take the transition `action` of routes/workflow/table.py: lock the route, check the actor's right, the
    state and the required inputs, let `record(target, required)` check and set what this transition
    records (`required`: the required inputs, stripped; it returns the fields it set), move the route,
    log (`log(comment)`: the logged comment, when it says more than the input) and notify. Runs inside
    the caller's transaction, so a refusal anywhere leaves nothing. `actor` None: the system's step."""
    rule = table.ACTIONS[action]
    inputs = inputs or {}
    lock_route(route)
    _require_right(rule, actor, route)
    require_state(route, rule.sources, rule.verb)
    required = {i.name: required_text(inputs.get(i.name), i.required) for i in rule.inputs if i.required}
    target = rule.target_for(route)
    fields = record(target, required) if record else ()
    comment = clean_text(inputs.get(rule.logged_input)) if rule.logged_input else ""
    _move(route, action=action, to=target, actor=actor, comment=log(comment) if log else comment, fields=fields)
    for notice in rule.notices:
        if notice.when and notice.when != target:
            continue
        users = [user for kind in notice.to for user in _RECIPIENTS[kind](route)]
        tell(users, actor, route, notice.text.format(comment=comment[:150], ends_on=format_date(route.ends_on),
                                                      outcome=route.get_outcome_display().lower()))
    return route


@transaction.atomic
def route_submit(*, actor, route: Route) -> Route:
    def record(target: str, required: dict) -> list[str]:
        problems = submission_problems(route)
        if problems:
            raise RouteError("ИОМ пока нельзя отправить. " + " ".join(problems))
        route.card = information_card(route.person, before_year=route.academic_year)
        route.submitted_at = timezone.now()
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
        if (why := review.comment_needed(route, scores)) and not clean_text(comment):
            raise RouteError(f"Согласовать такой ИОМ можно только с комментарием: {why}. Напишите, почему ИОМ "
                             "согласован, или верните его на доработку.")
        ExpressReview.objects.create(route=route, reviewer=actor, comment=clean_text(comment),
                                     **{code: scores[code] for code in codes})
        route.approved_on = local_today(route.organisation)  # the school's date, wherever the reviewer is
        if target == Status.IN_PROGRESS:  # no credit step: every report counts the credited by one field
            route.credited_on = route.approved_on
            return ["approved_on", "credited_on"]
        return ["approved_on"]

    return _transition("approve", actor=actor, route=route, inputs={"scores": scores, "comment": comment},
                       record=record)


@transaction.atomic
def route_credit(*, actor, route: Route) -> Route:
    def record(target: str, required: dict) -> list[str]:
        route.credited_on = local_today(route.organisation)
        return ["credited_on"]

    return _transition("credit", actor=actor, route=route, record=record)


@dataclass
class BulkCredit:
    done: list[Route]
    failed: list[tuple[Route, str]]  # the route and the Russian reason it was not credited


def route_credit_many(*, actor, routes: Iterable[Route]) -> BulkCredit:
    """Credit several routes, each by its own transition in its own transaction (route_credit): one refused
    (taken meanwhile, no longer awaiting credit, not the actor's) leaves the others credited and is named."""
    result = BulkCredit(done=[], failed=[])
    for route in routes:
        try:
            result.done.append(route_credit(actor=actor, route=route))
        except (DomainError, PermissionDenied) as exc:
            result.failed.append((route, str(exc)))
        except ValidationError as exc:
            result.failed.append((route, " ".join(exc.messages)))
    return result


@transaction.atomic
def route_refuse_credit(*, actor, route: Route, comment: str) -> Route:
    return _transition("refuse_credit", actor=actor, route=route, inputs={"comment": comment})


# ---------------------------------------------------------------- the end of the period


@transaction.atomic
def route_expire(*, route: Route, now: dt.datetime | None = None) -> Route:
    """The system's step (routes.tasks.expire_routes): a route in progress whose period ended before the
    school's today becomes «Срок истек»; the teacher is asked for results, the school reviewers told."""
    def record(target: str, required: dict) -> list[str]:
        route.refresh_from_db(fields=["ends_on"])  # as stored, under the route's lock
        today = local_today(route.organisation, now)
        if route.ends_on is None or route.ends_on >= today:
            raise RouteError("Срок реализации ИОМ еще не истек.")
        route.expired_on = today
        route.expiry_escalated_at = None
        return ["expired_on", "expiry_escalated_at"]

    return _transition("expire", actor=None, route=route, record=record)


@transaction.atomic
def route_extend(*, actor, route: Route, reason: str, ends_on: dt.date | None) -> Route:
    """The school reviewer extends an expired route's period once: a later end date and a reason, logged."""
    before = {}

    def record(target: str, required: dict) -> list[str]:
        route.refresh_from_db(fields=["starts_on", "ends_on", "extended_from"])  # under the route's lock
        if route.extended_from:
            raise RouteError(f"Срок этого ИОМ уже продлевали ({format_date(route.extended_from)} → "
                             f"{format_date(route.ends_on)}): продлить его можно только один раз. "
                             "Примите итоги или закройте ИОМ как не реализованный.")
        if ends_on is None:
            raise ValidationError({"ends_on": "Укажите новую дату окончания."})
        if ends_on <= route.ends_on:
            raise ValidationError({"ends_on": f"Новая дата окончания должна быть позже прежней "
                                              f"({format_date(route.ends_on)})."})
        if ends_on < local_today(route.organisation):
            raise ValidationError({"ends_on": "Новая дата окончания уже прошла: укажите сегодняшнюю или позже."})
        validate_period(route.starts_on, ends_on)  # at most five years from the start
        before["ends_on"] = route.ends_on
        route.extended_from, route.ends_on = route.ends_on, ends_on
        route.extension_reason = required["reason"]
        route.expired_on = route.expiry_escalated_at = None
        return ["extended_from", "ends_on", "extension_reason", "expired_on", "expiry_escalated_at"]

    def log(reason: str) -> str:
        return f"Срок продлен: {format_date(before['ends_on'])} → {format_date(ends_on)}. Причина: {reason}"

    return _transition("extend", actor=actor, route=route, inputs={"reason": reason, "ends_on": ends_on},
                       record=record, log=log)


@transaction.atomic
def route_close_unrealised(*, actor, route: Route, comment: str) -> Route:
    """The school reviewer closes an expired route as not implemented: completed, outcome «не достигнут»."""
    def record(target: str, required: dict) -> list[str]:
        route.outcome = Route.Outcome.NOT_ACHIEVED
        route.results_comment = required["comment"]
        route.completed_on = local_today(route.organisation)
        return ["outcome", "results_comment", "completed_on"]

    return _transition("close_unrealised", actor=actor, route=route, inputs={"comment": comment}, record=record)


# ---------------------------------------------------------------- results


def unexplained(activities: Iterable[RoadmapActivity]) -> list[RoadmapActivity]:
    """Activities neither done nor explained with a «не выполнено» reason."""
    return [a for a in activities if not a.is_done and not a.not_done_reason.strip()]


def _titles(activities: Iterable[RoadmapActivity]) -> str:
    return ", ".join(f"«{a.title}»" for a in activities)


@transaction.atomic
def route_submit_results(*, actor, route: Route, reflection: str, outcome_proposed: str,
                         not_done_reasons: dict[int, str] | None = None,
                         reassessment: dict[int, dict[int, int]] | None = None) -> Route:
    """The teacher's results: the reflection, the proposed outcome, why each activity not done was not
    (`not_done_reasons`: activity pk → reason, kept on the activity), and the final diagnostics of each deficit
    the route addressed (`reassessment`: deficit pk → {statement pk: rating}, final_diagnostics.record_teacher);
    an activity neither done nor explained, or a deficit not re-assessed, refuses the whole submission."""
    def record(target: str, required: dict) -> list[str]:
        if outcome_proposed not in Route.Outcome.values:
            raise RouteError("Оцените результат: достигнут полностью, частично или не достигнут.")
        activities = list(route.activities.order_by("deadline", "pk"))
        for activity in activities:
            reason = clean_text((not_done_reasons or {}).get(activity.pk))
            if not activity.is_done and reason and reason != activity.not_done_reason:
                activity.not_done_reason = reason[:1000]
                activity._history_user = actor
                activity.save(update_fields=["not_done_reason"])
        problems = []
        if missing := unexplained(activities):
            problems.append(f"Итоги пока нельзя отправить: не выполнено и не объяснено мероприятий — "
                            f"{len(missing)} ({_titles(missing)}). Отметьте выполненные или укажите, "
                            "почему не выполнено.")
        else:
            problems += final_diagnostics.record_teacher(route, actor=actor, answers=reassessment)
        if problems:
            raise RouteError(" ".join(problems))
        route.reflection = required["reflection"]
        route.outcome_proposed = outcome_proposed
        return ["reflection", "outcome_proposed"]

    return _transition("submit_results", actor=actor, route=route, record=record, inputs={
        "reflection": reflection, "outcome_proposed": outcome_proposed, "not_done_reasons": not_done_reasons,
        "reassessment": reassessment})


@transaction.atomic
def route_accept_results(*, actor, route: Route, outcome: str, comment: str = "",
                         presented_on: dt.date | None = None, presented_place: str = "",
                         final_scores: dict[int, int | None] | None = None) -> Route:
    """The reviewer accepts the results: the outcome, and the final diagnostics applied (`final_scores`: deficit pk
    → the reviewer's own score, None to keep the teacher's): each deficit the route addressed becomes
    «преодолен» at the threshold, else stays «в работе» for the next route."""
    def record(target: str, required: dict) -> list[str]:
        if outcome not in Route.Outcome.values:
            raise RouteError("Укажите результат: достигнут полностью, частично или не достигнут.")
        not_done = list(route.activities.filter(is_done=False).order_by("deadline", "pk"))
        if outcome == Route.Outcome.FULL and not_done and not clean_text(comment):
            raise RouteError(f"«Достигнут полностью» при невыполненных мероприятиях ({len(not_done)}: "
                             f"{_titles(not_done)}) ставится только с комментарием: объясните, почему цель "
                             "достигнута, или выберите «достигнут частично».")
        today = local_today(route.organisation)
        if presented_on and presented_on > today:
            raise RouteError("Дата представления результатов не может быть в будущем.")
        if problems := final_diagnostics.apply_on_accept(route, actor=actor, scores=final_scores, taken_on=today):
            raise RouteError(" ".join(problems))
        route.outcome = outcome
        route.results_comment = clean_text(comment)
        route.results_presented_on = presented_on
        route.results_presented_place = clean_text(presented_place)
        route.completed_on = today
        return ["outcome", "results_comment", "results_presented_on", "results_presented_place", "completed_on"]

    return _transition("accept_results", actor=actor, route=route, record=record, inputs={
        "outcome": outcome, "comment": comment, "presented_on": presented_on, "presented_place": presented_place,
        "final_scores": final_scores})


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
    «выявлен», except those another live route (table.LIVE) addresses too."""
    addressing = Q(routes=route) | Q(route_tasks__route=route)
    live = Route.objects.filter(status__in=table.LIVE).exclude(pk=route.pk)
    still_addressed = Deficit.objects.filter(Q(routes__in=live) | Q(route_tasks__route__in=live)).values("pk")
    deficits = (Deficit.objects.filter(addressing, status=Deficit.Status.IN_WORK).exclude(pk__in=still_addressed)
                .select_related("person").distinct())
    deficits_release(deficits=deficits)


# ---------------------------------------------------------------- what the actor may do now


# action → the states it starts from
ALLOWED_FROM = {rule.action: list(rule.sources) for rule in table.TRANSITIONS}


def may(user, route: Route, action: str) -> bool:
    """Does the user hold the right to take this action on this route (whatever its state)?"""
    rule = table.ACTIONS.get(action)
    return rule is not None and _holds_right(rule, user, route)


def available_actions(user, route: Route) -> set[str]:
    """The transitions the user may take on the route now (buttons shown on its page); an extension
    only while the period was never extended (route_extend refuses a second one)."""
    return {rule.action for rule in table.TRANSITIONS
            if route.status in rule.sources and not (rule.action == "extend" and route.extended_from)
            and _holds_right(rule, user, route)}
