from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from core.attention import PER_ORGANISATION_LIMIT, Item, per_organisation_or_summary
from core.dates import current_academic_year
from methodics.mentoring.selectors import MENTEE_CATEGORIES, has_mentor_q
from methodics.models import Attendance, AttendanceLink, HelpActivity, HelpPlan
from routes.models import RoadmapActivity, Route
from schools.access import organisations_for
from schools.models import StaffMember
from schools.selectors import cached_scope_figure, young_specialist_q
from schools.timezones import before_local_today


def events_to_link(user) -> list[Item]:
    """A teacher attended events that could confirm not-done activities of the route under implementation."""
    if not StaffMember.objects.filter(user=user).exists():
        return []
    open_activities = RoadmapActivity.objects.filter(
        route__person_id=OuterRef("person_id"), route__status=Route.Status.IN_PROGRESS, is_done=False
    )
    count = (
        Attendance.objects.filter(person__user=user)
        .exclude(Exists(AttendanceLink.objects.filter(attendance=OuterRef("pk"))))
        .filter(Exists(open_activities))
        .count()
    )
    if not count:
        return []
    return [Item(
        title="Мероприятия, которые можно отметить в ИОМ", url=reverse("methodics:my_events"), count=count,
        detail="Вы участвовали в мероприятиях: отметьте их в дорожной карте как выполненные.",
    )]


def plan_needs_attention(user) -> list[Item]:
    """A deputy's school has no programme of help this year, or has overdue activities in it."""
    today = timezone.localdate()
    year = current_academic_year(today)
    this_year = HelpPlan.objects.filter(organisation=OuterRef("pk"), academic_year=year)
    overdue = HelpActivity.objects.filter(
        before_local_today("due_on", region="plan__organisation__municipality__region"),  # each school's date
        plan__organisation=OuterRef("pk"), plan__academic_year=year, is_done=False,
    ).values("plan__organisation").annotate(n=Count("pk")).values("n")
    scope = organisations_for(user, "plans.manage").annotate(
        plan_id=Subquery(this_year.values("pk")[:1]), overdue=Coalesce(Subquery(overdue), 0),
    )
    missing = list(scope.filter(plan_id__isnull=True).values("short_name")[: PER_ORGANISATION_LIMIT + 1])
    items = per_organisation_or_summary(
        missing,
        lambda row: Item(
            title=f"{row['short_name']}: нет программы помощи на {year}", url=reverse("methodics:plan_create"),
            level="warning", detail="Создайте годовой план работы с педагогами, имеющими дефициты.",
        ),
        lambda: Item(
            title=f"Организации без программы помощи на {year}", url=reverse("methodics:index"), level="warning",
            count=scope.filter(plan_id__isnull=True).count(),
        ),
    )
    late = list(scope.filter(overdue__gt=0).values("short_name", "plan_id", "overdue")[: PER_ORGANISATION_LIMIT + 1])
    items += per_organisation_or_summary(
        late,
        lambda row: Item(
            title=f"{row['short_name']}: просрочены мероприятия программы помощи", count=row["overdue"],
            url=reverse("methodics:plan_detail", args=[row["plan_id"]]), level="danger",
        ),
        lambda: Item(
            title="Просрочены мероприятия программ помощи", url=reverse("methodics:index"), level="danger",
            count=scope.filter(overdue__gt=0).aggregate(n=Sum("overdue"))["n"],
        ),
    )
    return items


def young_without_mentor(user) -> list[Item]:
    # The people flagged «без наставника» on «Наставничество»: the same rule, categories and pairs.
    today = timezone.localdate()
    without_mentor = Q(
        young_specialist_q(today, prefix="staff"), staff__status=StaffMember.Status.WORKING,
        staff__position_category__in=MENTEE_CATEGORIES,
    ) & ~has_mentor_q(today, person="staff")
    scope = organisations_for(user, "mentoring.manage").annotate(young=Count("staff", filter=without_mentor))
    rows = list(scope.filter(young__gt=0).values("pk", "short_name", "young")[: PER_ORGANISATION_LIMIT + 1])
    detail = "Назначьте наставника: молодых педагогов сопровождают в первые три года."
    return per_organisation_or_summary(
        rows,
        lambda row: Item(
            title=f"{row['short_name']}: молодые специалисты без наставника", count=row["young"], level="warning",
            url=f"{reverse('methodics:mentoring')}?organisation={row['pk']}", detail=detail,
        ),
        lambda: Item(
            title="Молодые специалисты без наставника", url=reverse("methodics:mentoring"), level="warning",
            count=cached_scope_figure(user, "attention.young_without_mentor", scope,
                                      lambda: scope.aggregate(n=Sum("young"))["n"],
                                      (today,)),  # young on this day
            detail=detail,
        ),
    )


PROVIDERS = [events_to_link, plan_needs_attention, young_without_mentor]
