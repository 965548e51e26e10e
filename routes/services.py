"""What the features of routes share: a route's errors, its lock, its period, who owns and who
reviews it, and how its people are told.

The writes themselves live with their feature: the ИОМ lifecycle in routes/workflow/services.py,
the editing of a route, its roadmap, evidence and comments in routes/roadmap/services.py, drafting
from deficits in routes/drafting/services.py. Each is keyword-only and atomic, checks the actor's
right (through schools.access; who takes a review or credit step on a route, never its owner, is
routes.selectors.route_reviewers) and the route's state, raises a RouteError (or PermissionDenied)
with a Russian message that the view shows as is, and tells the other side after commit.
"""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.urls import reverse

from core.dates import academic_year_bounds, current_academic_year, format_date
from core.errors import DomainError
from core.services import notify
from routes.models import Evidence, Route
from routes.selectors import may_review, route_reviewers, school_reviewer_role
from schools.access import has_capability
from schools.cache import bump_organisations_on_commit
from schools.models import Membership, StaffMember
from schools.timezones import local_today

Status = Route.Status

MIN_PERIOD_MONTHS, MAX_PERIOD_MONTHS = 6, 60


class RouteError(DomainError):
    """A refused action on a route (state, missing data); the message is shown to the user."""


class EditConflict(RouteError):
    """Someone saved the route after this form was opened: the later save is refused."""


CONFLICT_MESSAGE = (
    "ИОМ уже изменил другой пользователь (или вы в другой вкладке) после того, как вы открыли форму. "
    "Ваши изменения не сохранены, чтобы не затереть чужие: обновите страницу и внесите их снова."
)


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


def is_owner(user, record) -> bool:
    """The route a record is part of (the route, one of its activities, an activity's evidence) is the
    user's own: editing a route, marking its activities done and its evidence are its owner's alone."""
    route = record if isinstance(record, Route) else record.activity.route if isinstance(record, Evidence) \
        else record.route
    return user is not None and user.is_authenticated and route.person.user_id == user.pk


def require_state(route: Route, allowed: Iterable[str], what: str) -> None:
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


def lock_route(route: Route) -> Route:
    """Re-read the route under a row lock so two transitions cannot interleave."""
    fresh = (
        Route.objects.select_for_update(of=("self",))
        .select_related("person__user", "organisation__municipality__region")
        .get(pk=route.pk)
    )
    route.status = fresh.status
    route.version = fresh.version
    return fresh


def figures_changed(route: Route) -> None:
    """Dashboard figures of the route's municipality are computed afresh after this write commits."""
    bump_organisations_on_commit(route.organisation_id)


def school_reviewers(route: Route) -> list:
    """Who follows the route for the school: the deputy, or for a deputy's own route the director
    (or the methodist); they hear of submissions, amendments and decisions."""
    return route_reviewers(route, "approve")


def credit_reviewers(route: Route) -> list:
    return route_reviewers(route, "credit")


def teacher_of(route: Route) -> list:
    return [route.person.user] if route.person.user_id else []


def tell(users, actor, route: Route, text: str) -> None:
    recipients = [u for u in users if actor is None or u.pk != actor.pk]
    unique = list({u.pk: u for u in recipients}.values())
    notify(users=unique, text=f"{text} — ИОМ: {route.person.short_name}, {route.academic_year}", url=route_url(route))


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def required_text(value: str, message: str) -> str:
    value = clean_text(value)
    if not value:
        raise RouteError(message)
    return value


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """From today to the end of the academic year; at least half a year (spec: ½ to 5 years)."""
    _, end = academic_year_bounds(current_academic_year(today))
    if end < add_months(today, MIN_PERIOD_MONTHS) - dt.timedelta(days=1):
        end = dt.date(end.year + 1, end.month, end.day)
    return today, end


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


def period_text(starts_on: dt.date, ends_on: dt.date) -> str:
    return f"с {format_date(starts_on)} по {format_date(ends_on)}"


def deadline_error(route: Route, deadline: dt.date | None) -> str:
    """Why an activity's deadline does not fit the route ("" — it fits); the form and the service ask it."""
    if deadline is None:
        return "Укажите срок."
    if route.starts_on and route.ends_on and not route.starts_on <= deadline <= route.ends_on:
        return f"Срок должен быть внутри периода ИОМ: {period_text(route.starts_on, route.ends_on)}."
    return ""


def done_on_error(route: Route, done_on: dt.date | None) -> str:
    """Why a completion date is refused ("" — taken): none, in the future (the school's date), or outside
    the route's period, before its start or after its end. The one rule of the form and the service."""
    if done_on is None:
        return "Укажите дату выполнения."
    if done_on > local_today(route.organisation):
        return "Дата выполнения не может быть в будущем."
    if route.starts_on and done_on < route.starts_on:
        return f"Дата раньше начала ИОМ ({format_date(route.starts_on)})."
    if route.ends_on and done_on > route.ends_on:
        return (f"Дата позже окончания ИОМ ({format_date(route.ends_on)}): отмечайте то, что выполнено "
                "в срок реализации, или попросите заместителя директора продлить срок.")
    return ""


def rows_outside_period(route: Route, starts_on: dt.date, ends_on: dt.date) -> str:
    """Every activity whose deadline a new period would leave outside, in one message ("" — none)."""
    outside = list(route.activities.exclude(deadline__range=(starts_on, ends_on)).order_by("deadline", "pk"))
    if not outside:
        return ""
    rows = "; ".join(f"«{a.title}» ({format_date(a.deadline)})" for a in outside)
    return (f"Сроки мероприятий выходят за новый период {period_text(starts_on, ends_on)}: {rows}. "
            "Сначала перенесите их.")


def staff_record_for(user, organisation=None) -> StaffMember | None:
    """The user's own staff record (where they may keep an ИОМ)."""
    if not has_capability(user, "route.own"):
        return None
    qs = StaffMember.objects.filter(user=user).exclude(status=StaffMember.Status.DISMISSED).select_related(
        "organisation__municipality")
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    return qs.first()
