from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from core.attention import Item
from core.dates import current_academic_year
from routes.models import Route
from routes.selectors import credit_queue_q, review_queue_q
from routes.services import staff_record_for
from schools.access import has_capability
from schools.timezones import before_local_today

Status = Route.Status


def own_routes(user) -> list[Item]:
    """The teacher's own routes that wait for them: returned, refused credit, overdue activities."""
    if not has_capability(user, "route.own"):
        return []
    overdue = Q(activities__is_done=False) & before_local_today(
        "activities__deadline", region="organisation__municipality__region")  # the school's date
    routes = list(
        Route.objects.filter(person__user=user).annotate(overdue=Count("activities", filter=overdue))
        .order_by("-academic_year")[:5]
    )
    items = []
    for route in routes:
        url = reverse("routes:route_detail", args=[route.pk])
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


PROVIDERS = [own_routes, waiting_for_review, waiting_for_credit]
