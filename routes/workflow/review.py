"""Review rounds: which round a submission is, how long it has waited, what the previous round said and
what changed since the route came back.

A round is one submission of the plan for review. A route sent back (returned, or not credited) and
submitted again is in its next round; a recall by the teacher is no round. What changed is read from
django-simple-history, as on the history page (routes.workflow.history): the route's, its tasks' and its
roadmap rows' records as they stood at the return, compared with the latest by `diff_against`.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q

from core import words
from diagnostics.models import CompetencyGroup, Deficit
from routes.models import ActivityKind, Comment, ExpressReview, RoadmapActivity, Route, RouteTask, Transition
from routes.selectors import WAITING_DAYS
from routes.workflow.history import _display
from schools.timezones import local_today, zone_of_organisation

# The transitions that send a plan back to the teacher: the next submission opens a new round.
SENT_BACK = ("return", "refuse_credit")
# What a reviewer compares between rounds (the lifecycle's own fields are the history page's).
ROUTE_CONTENT = ["city", "diagnostics_summary", "topic", "goal", "tasks_text", "self_education_form",
                 "expected_result", "starts_on", "ends_on", "reporting_form"]
ACTIVITY_CONTENT = ["group", "kind", "level", "title", "deadline", "expected_result", "confirming_document", "note"]
TASK_CONTENT = ["problem", "educational_task"]
# The express review's criterion that seed 002 names the hardest: a 0 on it needs a comment at approval.
KEY_CRITERION = "concrete_competency"
KEY_LABEL = dict(ExpressReview.CRITERIA)[KEY_CRITERION]


def round_label(number: int) -> str:
    """«повторно, 2-й круг» for a resubmission; "" for the first round."""
    return f"повторно, {number}-й круг" if number > 1 else ""


def waited_days(organisation, since: dt.datetime | None, now: dt.datetime | None = None) -> int | None:
    """Whole days from `since` to today, both as dates of the organisation's own zone."""
    if since is None:
        return None
    return (local_today(organisation, now) - since.astimezone(zone_of_organisation(organisation)).date()).days


def mark_rounds(routes: list[Route], now: dt.datetime | None = None) -> list[Route]:
    """Set on each route of a review queue `round` (1, 2, …; results count their own returns), `round_label`,
    `waiting_since` (the transition into its present state) and `days_waiting` (the school's dates). Two queries."""
    ids = [route.pk for route in routes]
    returns = {
        row["route"]: row for row in Transition.objects.filter(route__in=ids).order_by().values("route").annotate(
            plans=Count("pk", filter=Q(action__in=SENT_BACK)), results=Count("pk", filter=Q(action="return_results")))
    }
    since = {}
    for t in Transition.objects.filter(route__in=ids, action__in=("submit", "submit_results")).order_by("at", "pk"):
        since[(t.route_id, t.to_status)] = t.at
    for route in routes:
        row = returns.get(route.pk, {})
        back = row.get("results", 0) if route.status == Route.Status.RESULTS_SUBMITTED else row.get("plans", 0)
        route.round = back + 1
        route.round_label = round_label(route.round)
        route.waiting_since = since.get((route.pk, route.status), route.submitted_at)
        route.days_waiting = waited_days(route.organisation, route.waiting_since, now)
        route.waiting_long = (route.days_waiting or 0) > WAITING_DAYS
    return routes


# ---------------------------------------------------------------- the review page


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class RowChange:
    kind: str  # added / removed / changed
    title: str
    what: str  # «Мероприятие», «Задача»
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class Thread:
    """The comments of one roadmap row (or of the route as a whole) in a round, the teacher's replies among them."""

    title: str
    comments: list[Comment]


@dataclass
class RoundReview:
    number: int
    returned: Transition | None  # the transition that sent the plan back, None in the first round
    fields: list[FieldChange] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    threads: list[Thread] = field(default_factory=list)

    @property
    def label(self) -> str:
        return round_label(self.number)

    @property
    def changed(self) -> bool:
        return bool(self.fields or self.rows)


def _changes(model, new, old, names: list[str], lookups: dict) -> list[FieldChange]:
    order = {name: position for position, name in enumerate(names)}
    delta = sorted(new.diff_against(old, included_fields=names).changes, key=lambda c: order[c.field])
    return [FieldChange(label=words.upper_first(str(model._meta.get_field(c.field).verbose_name)),
                        old=_display(model, c.field, c.old, lookups), new=_display(model, c.field, c.new, lookups))
            for c in delta]


def _row_changes(model, records, at: dt.datetime, names: list[str], lookups: dict, what: str) -> list[RowChange]:
    """Rows added, removed or changed between `at` and now: each row's latest record up to `at` against its latest."""
    then, now = {}, {}
    for record in records:  # oldest first
        now[record.id] = record
        if record.history_date <= at:
            then[record.id] = record
    rows = []
    for pk, latest in now.items():
        before = then.get(pk)
        existed = before is not None and before.history_type != "-"
        exists = latest.history_type != "-"
        title = words.quote(getattr(latest, names[0] if model is RouteTask else "title"))
        if exists and not existed:
            rows.append(RowChange("added", title, what))
        elif existed and not exists:
            rows.append(RowChange("removed", title, what))
        elif exists and (changes := _changes(model, latest, before, names, lookups)):
            rows.append(RowChange("changed", title, what, changes))
    return rows


def round_review(route: Route) -> RoundReview:
    """The present round of a submitted plan: its number, and since the latest return the changes of the
    explanatory note, the tasks and the roadmap rows and the previous round's comments with the replies."""
    transitions = list(route.transitions.select_related("actor").order_by("at", "pk"))
    returns = [t for t in transitions if t.action in SENT_BACK]
    review = RoundReview(number=len(returns) + 1, returned=returns[-1] if returns else None)
    if review.returned is None:
        return review
    at = review.returned.at
    records = list(Route.history.filter(id=route.pk).order_by("history_date", "history_id"))
    before = [r for r in records if r.history_date <= at]
    if before and records:
        review.fields = _changes(Route, records[-1], before[-1], ROUTE_CONTENT, {})
    lookups = {
        "group": dict(CompetencyGroup.objects.values_list("pk", "name")),
        "kind": dict(ActivityKind.objects.values_list("pk", "name")),
    }
    review.rows = _row_changes(
        RouteTask, RouteTask.history.filter(route_id=route.pk).order_by("history_date", "history_id"), at,
        TASK_CONTENT, {}, "Задача")
    review.rows += _row_changes(
        RoadmapActivity, RoadmapActivity.history.filter(route_id=route.pk).order_by("history_date", "history_id"),
        at, ACTIVITY_CONTENT, lookups, "Мероприятие")
    review.threads = _previous_threads(route, transitions, at)
    return review


def _previous_threads(route: Route, transitions: list[Transition], returned_at: dt.datetime) -> list[Thread]:
    """The comments of the round the return closed, from its submission until the resubmission (the
    teacher's replies are written while the plan is back with them), grouped by row, the route's own first."""
    submits = [t.at for t in transitions if t.action == "submit" and t.at <= returned_at]
    start = submits[-1] if submits else None
    end = next((t.at for t in transitions if t.action == "submit" and t.at > returned_at), None)
    comments = route.comments.select_related("author", "activity")
    if start is not None:
        comments = comments.filter(created_at__gte=start)
    if end is not None:
        comments = comments.filter(created_at__lt=end)
    threads: dict[int | None, Thread] = {}
    for comment in comments.order_by("created_at", "pk"):
        key = comment.activity_id
        if key not in threads:
            title = "ИОМ в целом" if key is None else f"Мероприятие {words.quote(comment.activity.title)}"
            threads[key] = Thread(title=title, comments=[])
        comment.is_reply = comment.author_id == route.person.user_id
        threads[key].comments.append(comment)
    return sorted(threads.values(), key=lambda t: t.title != "ИОМ в целом")


def addressed(route: Route) -> dict:
    """The deficits the route addresses (linked to it or to one of its tasks), their competencies, and the
    competency groups its roadmap rows work in."""
    deficits = list(Deficit.objects.filter(Q(routes=route) | Q(route_tasks__route=route)).distinct()
                    .select_related("competency__group").order_by("competency__group__order", "competency__order"))
    groups = list(CompetencyGroup.objects.filter(pk__in=route.activities.values("group_id")).order_by("order"))
    return {"deficits": deficits, "groups": groups}


# ---------------------------------------------------------------- the express review's minimum


def minimum_of(route: Route) -> int:
    return route.organisation.municipality.express_review_minimum


def comment_needed(route: Route, scores: dict) -> str:
    """Why this approval needs a comment ("" when it does not): a sum below the municipality's minimum, or
    a 0 on the criterion «aimed at a concrete competency»."""
    reasons = []
    total = sum(scores.get(code) or 0 for code, _ in ExpressReview.CRITERIA)
    minimum = minimum_of(route)
    if minimum and total < minimum:
        reasons.append(f"сумма баллов {total} из 10 ниже минимума муниципалитета ({minimum})")
    if scores.get(KEY_CRITERION) == 0:
        reasons.append(f"по критерию «{KEY_LABEL}» поставлен 0")
    return "; ".join(reasons)
