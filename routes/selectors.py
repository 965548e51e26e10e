"""Reads of the routes app: querysets already limited to what the user may see.

A teacher sees their own routes (person__user); deputies, directors and methodists see the
routes of the organisations in their "route.view" scope. Anything else answers 404.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from core.dates import academic_year_bounds
from core.numbers import percent
from diagnostics.models import CompetencyGroup
from routes.models import Comment, Evidence, RoadmapActivity, Route, Transition
from schools.access import get_for, has_capability, memberships_of, people_q, scope_q
from schools.models import Membership, Municipality
from schools.timezones import before_local_today, latest_today, local_today

Status = Route.Status
Role = Membership.Role
User = get_user_model()

ROUTE_RELATED = ("person__user", "organisation__municipality__region")


def spans_year_q(*years: str, prefix: str = "") -> Q:
    """Routes whose period spans one of the academic years: the one rule by which every per-year figure picks
    its routes (docs/spec/reports.md, «Routes of year Y»). A route's period (starts_on–ends_on, half a year to
    five years, an extension included) meets the year's 01.09–31.08, so a multi-year route counts in each year
    it spans; a route without both dates counts in its academic year. `prefix` reaches the route through a
    relation ("route__" from an activity)."""
    q = Q(pk__in=[])
    undated = Q(**{f"{prefix}starts_on__isnull": True}) | Q(**{f"{prefix}ends_on__isnull": True})
    for year in years:
        start, end = academic_year_bounds(year)
        q |= Q(**{f"{prefix}starts_on__lte": end, f"{prefix}ends_on__gte": start})
        q |= undated & Q(**{f"{prefix}academic_year": year})
    return q


def _visible_q(user) -> Q:
    q = Q(person__user=user)
    if has_capability(user, "route.view"):
        q |= scope_q(user, "route.view")
    return q


def with_progress(qs: QuerySet[Route]) -> QuerySet[Route]:
    """Annotate activity counts in one grouped query (conditional Count over one join).

    Overdue is past the deadline on the local date of each route's organisation (schools.timezones).
    """
    overdue = Q(activities__is_done=False) & before_local_today(
        "activities__deadline", region="organisation__municipality__region")
    return qs.annotate(
        activities_total=Count("activities"),
        activities_done=Count("activities", filter=Q(activities__is_done=True)),
        activities_overdue=Count("activities", filter=overdue),
    )


def set_progress(routes) -> list[Route]:
    """Attach the percent (one decimal, half up) to rows annotated by with_progress.

    Rows without the annotations (a page of a plain queryset) get the counts from one grouped
    query over the activities of these routes only, so a paginated list costs the page, not the scope.
    """
    rows = list(routes)
    missing = [route.pk for route in rows if not hasattr(route, "activities_total")]
    if missing:
        overdue = Q(is_done=False) & before_local_today("deadline", region="route__organisation__municipality__region")
        counts = {
            row["route"]: row for row in
            RoadmapActivity.objects.filter(route__in=missing).order_by().values("route").annotate(
                total=Count("pk"), done=Count("pk", filter=Q(is_done=True)), overdue=Count("pk", filter=overdue),
            )
        }
        for route in rows:
            if not hasattr(route, "activities_total"):
                row = counts.get(route.pk, {})
                route.activities_total = row.get("total", 0)
                route.activities_done = row.get("done", 0)
                route.activities_overdue = row.get("overdue", 0)
    for route in rows:
        route.progress = percent(route.activities_done, route.activities_total)
        route.progress_value = int(route.progress or 0)
    return rows


def page_of_routes(routes: QuerySet[Route], number, per_page: int = 50):
    """A Paginator page of `routes` whose rows carry progress: the order is taken over narrow id
    rows (a region's sort does not carry every route's text), then the page's routes are read
    with their relations and counted (set_progress), in that order."""
    page = Paginator(routes.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    found = routes.model.objects.filter(pk__in=ids).select_related(*ROUTE_RELATED).in_bulk()
    page.object_list = set_progress(found[pk] for pk in ids)
    return page


def route_list_for(user) -> QuerySet[Route]:
    return Route.objects.filter(_visible_q(user)).select_related(*ROUTE_RELATED).distinct()


def own_routes(user) -> list[Route]:
    qs = Route.objects.filter(person__user=user).select_related(*ROUTE_RELATED).order_by("-academic_year")
    return set_progress(with_progress(qs))


def route_get_for(user, pk: int) -> Route:
    return get_for(user, route_list_for(user), pk)


def activity_visible_for(user) -> QuerySet[RoadmapActivity]:
    """Activities of the routes the user sees."""
    return RoadmapActivity.objects.filter(route__in=route_list_for(user).values("pk")).select_related(
        "route__" + ROUTE_RELATED[0], "route__" + ROUTE_RELATED[1], "group", "kind", "task")


def activity_get_for(user, pk: int) -> RoadmapActivity:
    return get_for(user, activity_visible_for(user), pk)


def evidence_visible_for(user) -> QuerySet[Evidence]:
    return Evidence.objects.filter(activity__route__in=route_list_for(user).values("pk")).select_related(
        "activity__route__person", "activity__route__organisation")


def evidence_get_for(user, pk: int) -> Evidence:
    return get_for(user, evidence_visible_for(user), pk)


def comment_visible_for(user) -> QuerySet[Comment]:
    return Comment.objects.filter(route__in=route_list_for(user).values("pk")).select_related(
        "route__person__user", "route__organisation__municipality")


def comment_get_for(user, pk: int) -> Comment:
    return get_for(user, comment_visible_for(user), pk)


# ---------------------------------------------------------------- the whole route on one page


@dataclass
class GroupSection:
    group: CompetencyGroup
    activities: list = field(default_factory=list)


@dataclass
class RoadmapView:
    route: Route
    sections: list[GroupSection]
    route_comments: list[Comment]
    total: int
    done: int
    overdue: int
    progress: object  # Decimal | None
    progress_value: int
    commented_activity_ids: set[int]
    transitions: list[Transition]


def roadmap_for(route: Route) -> RoadmapView:
    """Everything the route page shows, in a fixed number of queries whatever the roadmap size.

    Queries: activities with group/kind/task (1), their comments with authors (1), their
    evidence (1), route-level comments (1), roadmap groups (1), transitions with actors (1).
    Overdue is past the deadline on the organisation's local date (its region is read with the route).
    """
    today = local_today(route.organisation)
    activities = list(
        route.activities.select_related("group", "kind", "task")
        .prefetch_related(
            Prefetch("comments", queryset=Comment.objects.select_related("author").order_by("created_at")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at")),
        )
        .order_by("group__order", "group__name", "order", "deadline", "pk")
    )
    for activity in activities:
        activity.is_overdue = not activity.is_done and activity.deadline < today
        activity.open_comments = [c for c in activity.comments.all() if not c.resolved]
    by_group = {g.pk: GroupSection(group=g, activities=list(items))
                for g, items in ((k, v) for k, v in groupby(activities, key=lambda a: a.group))}
    sections = [by_group.get(g.pk) or GroupSection(group=g)
                for g in CompetencyGroup.objects.filter(Q(in_roadmap=True) | Q(pk__in=list(by_group)))]
    route_comments = list(route.comments.filter(activity__isnull=True).select_related("author"))
    done = sum(1 for a in activities if a.is_done)
    progress = percent(done, len(activities))
    return RoadmapView(
        route=route,
        sections=sections,
        route_comments=route_comments,
        total=len(activities),
        done=done,
        overdue=sum(1 for a in activities if a.is_overdue),
        progress=progress,
        progress_value=int(progress or 0),
        commented_activity_ids={a.pk for a in activities if a.open_comments},
        transitions=list(route.transitions.select_related("actor")),
    )


@dataclass
class Completion:
    """How far a route got: done ÷ all activities, and the activities not done with their reasons."""

    total: int
    done: int
    progress: object  # Decimal | None
    not_done: list[RoadmapActivity]


def completion_of(route: Route) -> Completion:
    """The completion shown where results are written, accepted or the period extended (two queries)."""
    total = route.activities.count()
    not_done = list(route.activities.filter(is_done=False).select_related("kind").order_by("deadline", "pk"))
    done = total - len(not_done)
    return Completion(total=total, done=done, progress=percent(done, total), not_done=not_done)


# ---------------------------------------------------------------- queues and the monitor


WAITING_DAYS = 5  # after this many days a waiting route is flagged and the deputy reminded


# ---------------------------------------------------------------- who reviews a route (docs/spec/workflow.md)
#
# Nobody reviews their own route. The rule is written once, as a condition over routes
# (`_reviews_q`), and read three ways: the routes a user reviews (queues, dashboard counts,
# `may_review`) and the users who review a route (`route_reviewers`: notifications, reminders).
#
# - School review (return, approve, accept_results, return_results, extend, close_unrealised):
#   the deputies of the route's school. When the owner is a deputy of that school, the step is
#   the director's (a director account of the school other than the owner), and where the school
#   has no such account, the municipal methodists' of the route's municipality (not the owner).
# - Credit (credit, refuse_credit): the regional methodists of the region, or the municipal
#   methodists where the municipality credits itself, never the owner. When the owner is the only
#   one of them, the methodists of the other level of the route's territory (municipal for a
#   regional credit, regional for a municipal one), not the owner.
# - Where nobody is left the route waits in its state; whoever joins later finds it in the queue.

REVIEW, CREDIT = "review", "credit"
STEP_KIND = {
    "return": REVIEW, "approve": REVIEW, "accept_results": REVIEW, "return_results": REVIEW,
    "extend": REVIEW, "close_unrealised": REVIEW,
    "credit": CREDIT, "refuse_credit": CREDIT,
}
# role → (the membership's scope field, the route's path to the same scope)
_ROLE_SCOPE = {
    Role.DEPUTY: ("organisation_id", "organisation_id"),
    Role.DIRECTOR: ("organisation_id", "organisation_id"),
    Role.MUNICIPAL_METHODIST: ("municipality_id", "organisation__municipality_id"),
    Role.REGIONAL_METHODIST: ("region_id", "organisation__municipality__region_id"),
}
_REGIONAL_CREDIT = Q(organisation__municipality__credit_mode=Municipality.CreditMode.REGIONAL)
_MUNICIPAL_CREDIT = Q(organisation__municipality__credit_mode=Municipality.CreditMode.MUNICIPAL)


def _owner() -> OuterRef:
    """The route's owner, seen from a membership subquery of a Route query."""
    return OuterRef("person__user_id")


def _holds(role: str, user=None, *, other_than_owner: bool = False) -> Exists:
    """An active account of a person (`user`: a pk or an expression; None: anyone) holds `role` over
    the route. Service accounts (schools.access.people_q) never count: a director's integration token
    is no director who reviews."""
    field, route_path = _ROLE_SCOPE[role]
    memberships = Membership.objects.filter(people_q("user__"), role=role, user__is_active=True,
                                            **{field: OuterRef(route_path)})
    if user is not None:
        memberships = memberships.filter(user_id=user)
    if other_than_owner:
        memberships = memberships.exclude(user_id=_owner())
    return Exists(memberships)


def _held_by(user, role: str) -> Q:
    """The user (a signed-in account) holds `role` over the route: their memberships, read once per
    request, as a condition on the route's own columns, which its indexes serve."""
    field, route_path = _ROLE_SCOPE[role]
    ids = sorted({getattr(m, field) for m in memberships_of(user) if m.role == role and getattr(m, field)})
    return Q(**{f"{route_path}__in": ids})


def _reviews_q(kind: str, holds, user_at_route) -> Q:
    """Routes whose `kind` steps the user takes.

    The same rule is read from a Route query (the user known: `holds(role)` is `_held_by`) and from a
    User query (`holds(role)` is a membership subquery on the outer user, `user_at_route` its pk).
    """
    not_mine = ~Q(person__user_id=user_at_route)
    if kind == REVIEW:
        owner_is_deputy = _holds(Role.DEPUTY, _owner())
        return not_mine & (
            (holds(Role.DEPUTY) & ~owner_is_deputy)
            | (owner_is_deputy & (
                holds(Role.DIRECTOR)
                | (holds(Role.MUNICIPAL_METHODIST) & ~_holds(Role.DIRECTOR, other_than_owner=True))
            ))
        )
    if kind == CREDIT:
        def by_mode(on_regional, on_municipal) -> Q:
            return (_REGIONAL_CREDIT & on_regional) | (_MUNICIPAL_CREDIT & on_municipal)

        usual = by_mode(holds(Role.REGIONAL_METHODIST), holds(Role.MUNICIPAL_METHODIST))
        other_level = by_mode(holds(Role.MUNICIPAL_METHODIST), holds(Role.REGIONAL_METHODIST))
        owner_credits = by_mode(_holds(Role.REGIONAL_METHODIST, _owner()), _holds(Role.MUNICIPAL_METHODIST, _owner()))
        someone_else_credits = by_mode(_holds(Role.REGIONAL_METHODIST, other_than_owner=True),
                                       _holds(Role.MUNICIPAL_METHODIST, other_than_owner=True))
        return not_mine & (usual | (owner_credits & ~someone_else_credits & other_level))
    raise ValueError(f"no reviewer kind {kind!r}")


def reviews_q(user, step: str) -> Q:
    """Routes (in any state) whose `step` belongs to the user."""
    if not memberships_of(user):  # anonymous, inactive, or holding no role
        return Q(pk__in=[])
    return _reviews_q(STEP_KIND[step], lambda role: _held_by(user, role), user.pk)


def may_review(user, route: Route, step: str) -> bool:
    """Does the step (return, approve, credit, …) on this route belong to the user? One query."""
    return Route.objects.filter(reviews_q(user, step), pk=route.pk).exists()


def credits_routes_of(user, organisation) -> bool:
    """Is the user who usually credits the organisation's routes (the regional methodist of its region,
    or the municipal methodist where the municipality credits itself)? Whose route it is is not asked:
    the caller excludes the owner (the routes import loads routes that do not exist yet)."""
    municipality = organisation.municipality
    if municipality.credit_mode == Municipality.CreditMode.REGIONAL:
        role, field, target = Role.REGIONAL_METHODIST, "region_id", municipality.region_id
    else:
        role, field, target = Role.MUNICIPAL_METHODIST, "municipality_id", municipality.pk
    return any(m.role == role and getattr(m, field) == target for m in memberships_of(user))


def credited_by_region(user) -> list[Municipality]:
    """The municipalities the user is a municipal methodist of whose ИОМ the regional methodist credits
    (credit_mode «regional»): their credit queue is the region's, and the user's page says so."""
    ids = {m.municipality_id for m in memberships_of(user) if m.role == Role.MUNICIPAL_METHODIST and m.municipality_id}
    return list(Municipality.objects.filter(pk__in=ids, credit_mode=Municipality.CreditMode.REGIONAL)
                .select_related("region").order_by("name"))


def credits_nothing_itself(user) -> bool:
    """Does the user, holding route.credit, usually credit no municipality (only the region's queue of theirs to
    follow)? Read once per request (the menu and the credit queue ask it)."""
    cached = getattr(user, "_credits_nothing_itself", None)
    if cached is None:
        municipal = {m.municipality_id for m in memberships_of(user) if m.role == Role.MUNICIPAL_METHODIST}
        regional = {m.region_id for m in memberships_of(user) if m.role == Role.REGIONAL_METHODIST}
        cached = not Municipality.objects.filter(
            Q(pk__in=municipal, credit_mode=Municipality.CreditMode.MUNICIPAL)
            | Q(region_id__in=regional, credit_mode=Municipality.CreditMode.REGIONAL)).exists()
        user._credits_nothing_itself = cached
    return cached


def route_reviewers(route: Route, step: str) -> list:
    """The active accounts the step on this route belongs to (never its owner): one query."""
    organisation = route.organisation
    near = Membership.objects.filter(
        Q(organisation_id=organisation.pk) | Q(municipality_id=organisation.municipality_id)
        | Q(region_id=organisation.municipality.region_id)
    )
    this_route = Route.objects.filter(
        _reviews_q(STEP_KIND[step], lambda role: _holds(role, OuterRef(OuterRef("pk"))), OuterRef("pk")),
        pk=route.pk)
    return list(
        User.objects.filter(pk__in=near.values("user_id"), is_active=True).filter(Exists(this_route)).order_by("pk")
    )


def school_reviewer_role(route: Route) -> str:
    """The role whose holders take the school review of this route (return, approve, results), so that
    a page can name them: Role.DEPUTY; for a deputy's own route Role.DIRECTOR, or Role.MUNICIPAL_METHODIST
    where the school has no director account but the owner's. It is the branch of the REVIEW rule of
    `_reviews_q` the route is in, whether or not an account of the role exists yet; the accounts
    themselves are route_reviewers(route, "approve"). One query."""
    branch = Route.objects.filter(pk=route.pk).annotate(
        owner_is_deputy=_holds(Role.DEPUTY, _owner()),
        has_director=_holds(Role.DIRECTOR, other_than_owner=True),
    ).values_list("owner_is_deputy", "has_director").first()
    owner_is_deputy, has_director = branch or (False, False)
    if not owner_is_deputy:
        return Role.DEPUTY
    return Role.DIRECTOR if has_director else Role.MUNICIPAL_METHODIST


def review_queue_q(user) -> Q:
    """Plans and results waiting for the user's decision (the review queue and its dashboard count)."""
    return reviews_q(user, "approve") & Q(status__in=[Status.SUBMITTED, Status.RESULTS_SUBMITTED])


def review_queue(user) -> list[Route]:
    """Routes waiting for the user: submitted plans and submitted results, oldest first.

    Queries: the user's memberships (once per request) and the routes with person, organisation
    and the activity count.
    """
    qs = Route.objects.filter(review_queue_q(user)).select_related(*ROUTE_RELATED).order_by("submitted_at", "pk")
    rows = set_progress(with_progress(qs))
    now = timezone.now()
    for route in rows:
        route.days_waiting = (now - route.submitted_at).days if route.submitted_at else None
        route.waiting_long = (route.days_waiting or 0) > WAITING_DAYS
    return rows


def credit_queue_q(user) -> Q:
    """Routes whose credit belongs to the user: regional methodist where the municipality
    needs regional credit, municipal methodist where it credits itself; never their own."""
    return reviews_q(user, "credit")


def credit_queue(user) -> QuerySet[Route]:
    """Routes awaiting credit, oldest approval first; paginate, then set_progress on the page."""
    return (
        Route.objects.filter(credit_queue_q(user), status=Status.AWAITING_CREDIT)
        .select_related(*ROUTE_RELATED)
        .order_by("approved_on", "pk")
    )


# The routes being implemented or beyond (the roadmap figure, routes/figures.py), an expired one included (it was
# implemented until its end date and waits for its results; the monitor shows it as such).
MONITORED = [Status.IN_PROGRESS, Status.EXPIRED, Status.RESULTS_SUBMITTED, Status.COMPLETED]


def overdue_activities(organisations, year: str, today: dt.date | None = None) -> int:
    """Not-done activities past their deadline (before `today`) of routes in progress of academic year `year`
    in `organisations`: the school dashboard's and the implementation monitor's «просрочено» (routes/figures.py)."""
    today = today or timezone.localdate()
    return RoadmapActivity.objects.filter(
        spans_year_q(year, prefix="route__"), route__organisation__in=organisations, route__status=Status.IN_PROGRESS,
        is_done=False, deadline__lt=today,
    ).count()


def roadmap_done(organisations, year: str) -> tuple[int, int]:
    """Done activities ÷ all activities of the roadmaps of academic year `year` being implemented or beyond
    (MONITORED: in progress, results on review, completed) in `organisations`."""
    figures = RoadmapActivity.objects.filter(
        spans_year_q(year, prefix="route__"), route__organisation__in=organisations, route__status__in=MONITORED,
    ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(is_done=True)))
    return figures["done"], figures["total"]


def results_presented(organisations, year: str) -> int:
    """Routes of academic year `year` in `organisations` whose results were presented (a date is recorded)."""
    return Route.objects.filter(spans_year_q(year), organisation__in=organisations,
                                results_presented_on__isnull=False).exclude(status=Status.WITHDRAWN).count()


# ---------------------------------------------------------------- reminders (tasks.py)


def activities_due(*, now: dt.datetime, within_days: int = 7) -> QuerySet[RoadmapActivity]:
    """Not-done activities of routes in progress, due within `within_days` days or overdue.

    Bounded by the latest local date in Russia: the caller compares each with its organisation's
    own date (schools.timezones.local_today), its region read here.
    """
    return (
        RoadmapActivity.objects.filter(
            route__status=Status.IN_PROGRESS, is_done=False,
            deadline__lte=latest_today(now) + dt.timedelta(days=within_days),
            route__person__user__isnull=False, route__person__user__is_active=True,
        )
        .select_related("route__person__user", "route__organisation__municipality__region")
        .order_by("route__person__user_id", "deadline")
    )


def routes_past_end(*, now: dt.datetime) -> QuerySet[Route]:
    """Routes in progress whose end date is before the latest local date in Russia: the caller compares each
    with its organisation's own date (schools.timezones.local_today) before expiring it."""
    return (Route.objects.filter(status=Status.IN_PROGRESS, ends_on__lt=latest_today(now))
            .select_related(*ROUTE_RELATED).order_by("ends_on", "pk"))


def routes_expired_unescalated(*, now: dt.datetime, days: int) -> QuerySet[Route]:
    """Routes in «Срок истек» for at least about `days` days whose municipal methodists have not been told yet
    (the caller checks each against its organisation's date)."""
    return (Route.objects.filter(status=Status.EXPIRED, expiry_escalated_at__isnull=True,
                                 expired_on__lte=latest_today(now) - dt.timedelta(days=days))
            .select_related(*ROUTE_RELATED).order_by("expired_on", "pk"))


def municipal_methodists(route: Route) -> list:
    """The active accounts of the municipal methodists of the route's municipality, except its owner."""
    memberships = Membership.objects.filter(people_q("user__"), role=Role.MUNICIPAL_METHODIST,
                                            municipality_id=route.organisation.municipality_id)
    return list(User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
                .exclude(pk=route.person.user_id or 0).order_by("pk"))


def routes_waiting(*, older_than: dt.datetime) -> QuerySet[Route]:
    """Routes waiting for their reviewer (plan or results) since before `older_than`; `waiting_since` is the
    moment of their last move (the submission they wait with)."""
    last_move = Transition.objects.filter(route=OuterRef("pk"), at__gte=older_than)
    moved = Transition.objects.filter(route=OuterRef("pk")).order_by("-at", "-pk").values("at")[:1]
    return (
        Route.objects.filter(status__in=[Status.SUBMITTED, Status.RESULTS_SUBMITTED])
        .exclude(Exists(last_move))
        .annotate(waiting_since=Subquery(moved))
        .select_related("person__user", "organisation__municipality__region")
        .order_by("organisation_id", "submitted_at")
    )


def school_directors(route: Route) -> list:
    """The active accounts of the directors of the route's school, except its owner."""
    memberships = Membership.objects.filter(people_q("user__"), role=Role.DIRECTOR, organisation_id=route.organisation_id)
    return list(User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)
                .exclude(pk=route.person.user_id or 0).order_by("pk"))


def activities_overdue(*, now: dt.datetime) -> QuerySet[RoadmapActivity]:
    """Not-done activities of routes «Реализуется» past their deadline somewhere in Russia (the caller compares each
    with its organisation's date), their route's owner and school read with them."""
    return (
        RoadmapActivity.objects.filter(route__status=Status.IN_PROGRESS, is_done=False, deadline__lt=latest_today(now))
        .select_related("route__person__user", "route__organisation__municipality__region")
        .order_by("route_id", "deadline", "pk")
    )
