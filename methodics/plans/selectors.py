"""Reads of the programmes of help: scoped querysets and the yearly timeline of seed 004 with what
the school's records say about each stage.

A programme belongs to an organisation: lists are limited by schools.access.scope_q; an object
outside the user's scope answers 404.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from core.dates import academic_year_bounds
from diagnostics.models import Assessment
from methodics.models import HelpActivity, HelpPlan, MentoringPair, Stage
from routes.models import RoadmapActivity, Route
from schools.access import get_for, organisations_for, scope_q
from schools.models import Organisation, PositionCategory, StaffMember
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


def plan_stage_facts(plan: HelpPlan) -> dict[str, list[tuple[str, str]]]:
    """What the school's records say about each stage of the plan's year (5 queries)."""
    start, end = academic_year_bounds(plan.academic_year)
    org = plan.organisation
    staff = StaffMember.objects.filter(
        organisation=org, status=StaffMember.Status.WORKING,
        position_category__in=[PositionCategory.TEACHER, PositionCategory.DEPUTY, PositionCategory.EDUCATOR],
    ).aggregate(
        total=Count("pk"),
        attested=Count("pk", filter=Q(attested_on__range=(start, end))),
    )
    assessed = (
        Assessment.objects.filter(person__organisation=org, taken_on__range=(start, end))
        .values("person").distinct().count()
    )
    routes = Route.objects.filter(organisation=org).aggregate(
        drafted=Count("pk", filter=Q(academic_year=plan.academic_year) & ~Q(status=Route.Status.WITHDRAWN)),
        approved=Count("pk", filter=Q(academic_year=plan.academic_year, approved_on__isnull=False)),
        in_progress=Count("pk", filter=Q(status=Route.Status.IN_PROGRESS)),
        completed=Count("pk", filter=Q(completed_on__range=(start, end))),
        presented=Count("pk", filter=Q(results_presented_on__range=(start, end))),
    )
    activities = RoadmapActivity.objects.filter(
        route__organisation=org, route__status=Route.Status.IN_PROGRESS
    ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(is_done=True)))
    mentored = MentoringPair.objects.filter(
        organisation=org, starts_on__lte=end
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start)).count()
    return {
        Stage.DIAGNOSTICS: [("Прошли диагностику за год", f"{assessed} из {staff['total']}")],
        Stage.DRAFTING: [
            ("ИОМ составлено на этот год", str(routes["drafted"])),
            ("Из них утверждено", str(routes["approved"])),
            ("Наставнических пар в году", str(mentored)),
        ],
        Stage.IMPLEMENTATION: [
            ("ИОМ реализуется сейчас", str(routes["in_progress"])),
            ("Выполнено мероприятий дорожных карт", f"{activities['done']} из {activities['total']}"),
        ],
        Stage.SUMMING_UP: [
            ("ИОМ завершено за год", str(routes["completed"])),
            ("Итоги представлены", str(routes["presented"])),
            ("Прошли аттестацию за год", str(staff["attested"])),
        ],
    }


def plan_organisations_for_create(user) -> QuerySet[Organisation]:
    return organisations_for(user, "plans.manage").order_by("order", "short_name")
