from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.attention import Item
from core.dates import current_academic_year, format_date
from core.numbers import format_percent, percent
from routes.models import Route
from routes.selectors import credit_queue_q, review_queue_q
from routes.services import staff_record_for
from schools.access import has_capability, scope_q
from schools.timezones import before_local_today, local_today

Status = Route.Status


def own_routes(user) -> list[Item]:
    """The teacher's own routes that wait for them: returned, refused credit, overdue activities."""
    if not has_capability(user, "route.own"):
        return []
    overdue = Q(activities__is_done=False) & before_local_today(
        "activities__deadline", region="organisation__municipality__region")  # the school's date
    routes = list(
        Route.objects.filter(person__user=user).select_related("organisation__municipality__region").annotate(
            overdue=Count("activities", filter=overdue), total=Count("activities"),
            done=Count("activities", filter=Q(activities__is_done=True)),
        ).order_by("-academic_year")[:5]
    )
    items = []
    for route in routes:
        url = reverse("routes:route_detail", args=[route.pk])
        if route.status == Status.IN_PROGRESS:
            items.append(_running(route, url))
        if route.status in (Status.RETURNED, Status.NOT_CREDITED):
            items.append(Item(title=f"ИОМ {route.academic_year}: {route.get_status_display().lower()}", url=url,
                              level="warning", detail="Посмотрите комментарии, доработайте ИОМ и отправьте снова."))
        elif route.status == Status.IN_PROGRESS and route.overdue:
            items.append(Item(title=f"ИОМ {route.academic_year}: просроченные мероприятия", url=url,
                              count=route.overdue, level="danger",
                              detail="Отметьте выполнение с подтверждающим документом или перенесите срок."))
    year = current_academic_year(timezone.localdate())  # the user's own zone (the middleware's)
    if not any(r.academic_year == year for r in routes) and staff_record_for(user) is not None:
        items.append(Item(title=f"Составьте ИОМ на {year} учебный год", url=reverse("routes:my_routes"),
                          level="info", detail="Создайте пустой ИОМ или скопируйте прежний."))
    return items


def _running(route: Route, url: str) -> Item:
    """The teacher's route being implemented: its progress and the next deadline not yet met."""
    progress = percent(route.done, route.total)
    following = (route.activities.filter(is_done=False, deadline__gte=local_today(route.organisation))
                 .order_by("deadline", "pk").first())
    detail = f"Выполнено {route.done} из {route.total} мероприятий"
    detail += f" ({format_percent(progress)} %)." if progress is not None else "."
    if following is not None:
        detail += f" Ближайший срок — {format_date(following.deadline)}: {following.title}."
    return Item(title=f"Мой ИОМ {route.academic_year}: реализуется", url=url, level="primary",
                progress=int(progress or 0), detail=detail)


# Routes being implemented, past their period (the hourly task's «Срок истек») or with results on review are
# unfinished once their period has ended: its end date passed at the school, or, for a route without dates,
# its academic year closed. A route of several years (seeds 003, 004) is not unfinished while its period runs.
UNFINISHED = (Status.IN_PROGRESS, Status.EXPIRED, Status.RESULTS_SUBMITTED)


def unfinished_of_closed_years(user) -> list[Item]:
    """Routes whose period has ended and that are still not completed, per academic year, in the user's scope."""
    if not has_capability(user, "route.view"):
        return []
    year = current_academic_year(timezone.localdate())
    period_over = before_local_today("ends_on", region="organisation__municipality__region") | Q(
        ends_on__isnull=True, academic_year__lt=year)
    rows = (Route.objects.filter(scope_q(user, "route.view"), period_over, status__in=UNFINISHED)
            .order_by("-academic_year").values("academic_year").annotate(n=Count("pk"))[:3])
    return [Item(title=f"ИОМ {row['academic_year']} уч. г. не завершены", count=row["n"], level="warning",
                 url=reverse("routes:monitor") + "?" + urlencode({"year": row["academic_year"]}),
                 detail="Срок реализации закончился: примите итоги, продлите срок или закройте ИОМ.")
            for row in rows]


def waiting_for_review(user) -> list[Item]:
    if not has_capability(user, "route.review"):
        return []
    counts = Route.objects.filter(review_queue_q(user)).aggregate(
        plans=Count("pk", filter=Q(status=Status.SUBMITTED)),
        results=Count("pk", filter=Q(status=Status.RESULTS_SUBMITTED)),
    )
    url = reverse("routes:review_queue")
    items = []
    if counts["plans"]:
        items.append(Item(title="ИОМ ждут согласования", url=url, count=counts["plans"], level="warning",
                          detail="Проведите экспресс-экспертизу и согласуйте или верните на доработку."))
    if counts["results"]:
        items.append(Item(title="Итоги ИОМ ждут проверки", url=url, count=counts["results"], level="warning"))
    return items


def waiting_for_credit(user) -> list[Item]:
    if not has_capability(user, "route.credit"):
        return []
    count = Route.objects.filter(credit_queue_q(user), status=Status.AWAITING_CREDIT).count()
    if not count:
        return []
    return [Item(title="ИОМ ждут зачета", url=reverse("routes:credit_queue"), count=count, level="warning",
                 detail="Согласованные в школах ИОМ: поставьте «зачет» или «не зачтен».")]


PROVIDERS = [own_routes, waiting_for_review, waiting_for_credit, unfinished_of_closed_years]
