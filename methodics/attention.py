from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from core.attention import Item
from core.dates import current_academic_year
from methodics.models import Attendance, AttendanceLink, HelpActivity, HelpPlan
from methodics.selectors import young_specialist_q
from routes.models import RoadmapActivity, Route
from schools.access import organisations_for
from schools.models import StaffMember


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
    year = current_academic_year(timezone.localdate())
    items = []
    for organisation in organisations_for(user, "plans.manage")[:20]:
        plan = HelpPlan.objects.filter(organisation=organisation, academic_year=year).first()
        if plan is None:
            items.append(Item(
                title=f"{organisation.short_name}: нет программы помощи на {year}",
                url=reverse("methodics:plan_create"), level="warning",
                detail="Создайте годовой план работы с педагогами, имеющими дефициты.",
            ))
            continue
        overdue = HelpActivity.objects.filter(plan=plan, is_done=False, due_on__lt=timezone.localdate()).count()
        if overdue:
            items.append(Item(
                title=f"{organisation.short_name}: просрочены мероприятия программы помощи",
                url=reverse("methodics:plan_detail", args=[plan.pk]), count=overdue, level="danger",
            ))
    return items


def young_without_mentor(user) -> list[Item]:
    items = []
    for organisation in organisations_for(user, "mentoring.manage")[:20]:
        count = StaffMember.objects.filter(
            young_specialist_q(), organisation=organisation, status=StaffMember.Status.WORKING, mentor__isnull=True,
            position_category__in=["teacher", "educator"],
        ).count()
        if count:
            items.append(Item(
                title=f"{organisation.short_name}: молодые специалисты без наставника",
                url=f"{reverse('methodics:mentoring')}?organisation={organisation.pk}", count=count, level="warning",
                detail="Назначьте наставника: молодых педагогов сопровождают в первые три года.",
            ))
    return items


PROVIDERS = [events_to_link, plan_needs_attention, young_without_mentor]
