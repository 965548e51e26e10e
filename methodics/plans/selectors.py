"""Reads of the programmes of help: scoped querysets and the yearly timeline of seed 004 with what
the school's records say about each stage.

A programme belongs to an organisation: lists are limited by schools.access.scope_q; an object
outside the user's scope answers 404.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from core.figures import Period, Value, read
from methodics.models import HelpActivity, HelpPlan, Stage
from routes.models import Route
from schools.access import get_for, organisations_for, scope_q
from schools.models import Organisation
from schools.timezones import local_today


def plan_list_for(user) -> QuerySet[HelpPlan]:
    return (
        HelpPlan.objects.filter(scope_q(user, "methodics.view"))
        .select_related("organisation__municipality")
        .annotate(
            activity_count=Count("activities"),
            done_count=Count("activities", filter=Q(activities__is_done=True)),
        )
        .order_by("-academic_year", "organisation__order", "organisation__short_name")
    )


def plan_visible_for(user) -> QuerySet[HelpPlan]:
    return HelpPlan.objects.filter(scope_q(user, "methodics.view")).select_related("organisation__municipality")


def plan_get_for(user, pk: int) -> HelpPlan:
    return get_for(user, plan_visible_for(user), pk)


def plan_activity_visible_for(user) -> QuerySet[HelpActivity]:
    return HelpActivity.objects.filter(scope_q(user, "methodics.view", prefix="plan__organisation")).select_related(
        "plan__organisation__municipality", "direction")


def plan_activity_get_for(user, pk: int) -> HelpActivity:
    return get_for(user, plan_activity_visible_for(user), pk)


@dataclass
class StageView:
    stage: str
    label: str
    activities: list = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.activities)

    @property
    def done(self) -> int:
        return sum(1 for a in self.activities if a.is_done)

    @property
    def state(self) -> str:
        if self.total and self.done == self.total:
            return "done"
        return "in_work" if self.done else "ahead"

    @property
    def state_label(self) -> str:
        return {"done": "выполнено", "in_work": "в работе", "ahead": "не начато"}[self.state]


def plan_activities(plan: HelpPlan) -> list[HelpActivity]:
    today = local_today(plan.organisation)  # overdue on the school's own date
    activities = list(plan.activities.select_related("direction", "responsible_person"))
    for activity in activities:
        activity.overdue = bool(activity.due_on and not activity.is_done and activity.due_on < today)
    return activities


def plan_timeline(plan: HelpPlan, activities: list[HelpActivity]) -> list[StageView]:
    """The yearly cycle of seed 004 with the plan's activities of each stage and the facts from the records."""
    facts = plan_stage_facts(plan)
    stages = [StageView(stage=value, label=label, facts=facts[value]) for value, label in Stage.choices]
    by_stage = {s.stage: s for s in stages}
    for activity in activities:
        by_stage[activity.stage].activities.append(activity)
    return stages


def plan_stage_facts(plan: HelpPlan) -> dict[str, list[tuple[str, Value, str]]]:
    """What the school's records say about each stage of the plan's year: (label, figure, part) from the registry
    of figures (core.figures), over the plan's organisation and academic year, so the programme shows the
    numbers the school dashboard and the reports show."""
    school = Organisation.objects.filter(pk=plan.organisation_id)
    year = Period.of_years([plan.academic_year])

    def fact(code: str, label: str = "", part: str = "") -> tuple[str, Value, str]:
        value = read(code, school, year)
        return label or value.name, value, part

    statuses = read("route_statuses", school, year)
    return {
        Stage.DIAGNOSTICS: [fact("assessed_share")],
        Stage.DRAFTING: [
            fact("school_route_share", "Сотрудники с ИОМ на этот год"),
            fact("iom_share", "ИОМ утверждены в этом году"),
            fact("mentoring_pairs_year"),
        ],
        Stage.IMPLEMENTATION: [
            ("ИОМ реализуется сейчас", statuses, Route.Status.IN_PROGRESS),
            fact("roadmap_activities_done"),
        ],
        Stage.SUMMING_UP: [
            ("ИОМ завершено", statuses, Route.Status.COMPLETED),
            fact("routes_results_presented"),
            fact("attested_share"),
        ],
    }


def plan_organisations_for_create(user) -> QuerySet[Organisation]:
    return organisations_for(user, "plans.manage").order_by("order", "short_name")
