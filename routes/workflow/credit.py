"""The credit queue's filters, words and figures: its title where the region credits, the state of the region's queue for a
municipality's routes, and each waiting route's express review and days waiting."""

import datetime as dt

import django_filters
from django.db.models import Count, Q
from django.http import QueryDict

from core.dates import current_academic_year
from core.filters import FilterSet
from routes import selectors
from routes.models import ExpressReview, Route
from schools.choosers import municipalities_of
from schools.models import Municipality
from schools.timezones import latest_today, local_today

Status = Route.Status
TITLE = "Зачет ИОМ"
# One thing, one name (issue 22): the menu and the page of a methodist whose municipality the region credits.
REGION_TITLE = "Зачет ИОМ в регионе"
# The states a route of the region's queue can be in, as the municipal page counts them.
REGION_STATES = (Status.AWAITING_CREDIT, Status.NOT_CREDITED)


def queue_title(user) -> str:
    """«Зачет ИОМ в регионе» for a holder of route.credit who credits nothing (their municipality's ИОМ are
    credited by the regional methodist), «Зачет ИОМ» otherwise."""
    if selectors.credits_nothing_itself(user) and selectors.credited_by_region(user):
        return REGION_TITLE
    return TITLE


def region_queue_state(municipalities) -> list[dict]:
    """Per municipality: its routes waiting for the region's credit, not credited, and credited this academic year."""
    year = current_academic_year()
    counts = {
        row["organisation__municipality"]: row for row in
        Route.objects.filter(organisation__municipality__in=municipalities).order_by()
        .values("organisation__municipality").annotate(
            awaiting=Count("pk", filter=Q(status=Status.AWAITING_CREDIT)),
            not_credited=Count("pk", filter=Q(status=Status.NOT_CREDITED)),
            credited=Count("pk", filter=Q(credited_on__isnull=False, academic_year=year)),
        )
    }
    empty = {"awaiting": 0, "not_credited": 0, "credited": 0}
    return [{"municipality": m, "year": year, **{k: counts.get(m.pk, empty)[k] for k in empty}}
            for m in municipalities]


def region_waiting(municipalities, limit: int = 50) -> list[Route]:
    """The municipalities' routes waiting in the region's credit queue, oldest approval first, with their express
    review and days waiting (a municipal methodist follows them; the regional methodist credits them)."""
    routes = (Route.objects.filter(organisation__municipality__in=municipalities, status=Status.AWAITING_CREDIT)
              .select_related(*selectors.ROUTE_RELATED).order_by("approved_on", "pk")[:limit])
    return mark_reviews(list(routes))


def mark_reviews(routes: list[Route]) -> list[Route]:
    """Set on each waiting route `review` (its latest express review, or None) and `days_waiting` (days since
    its approval, the school's date). One query."""
    latest = {}
    for review in ExpressReview.objects.filter(route__in=[r.pk for r in routes]).select_related("reviewer") \
            .order_by("route", "-created_at", "-pk"):
        latest.setdefault(review.route_id, review)
    for route in routes:
        route.review = latest.get(route.pk)
        route.days_waiting = (local_today(route.organisation) - route.approved_on).days if route.approved_on else None
    return routes


class CreditFilter(FilterSet):
    """Filters of the credit queue: the municipality (where the queue spans several) and how long a route has
    waited since its approval (the school's date)."""

    WAITING = [("7", "больше 7 дней"), ("14", "больше 14 дней"), ("30", "больше 30 дней")]

    municipality = django_filters.ModelChoiceFilter(
        field_name="organisation__municipality", queryset=Municipality.objects.none(), label="Муниципалитет",
        empty_label="Все муниципалитеты")
    waiting = django_filters.ChoiceFilter(label="Ждет зачета", choices=WAITING, empty_label="Сколько угодно",
                                          method="filter_waiting")

    class Meta:
        model = Route
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, queryset=None, *, organisations, **kwargs):
        super().__init__(data, queryset, **kwargs)
        municipalities = municipalities_of(organisations)
        if len(municipalities) <= 1:
            del self.filters["municipality"]
        else:
            self.filters["municipality"].queryset = municipalities

    def filter_waiting(self, queryset, name, value):
        """Approved before today minus the days, on the latest date of the country (a school a zone behind is at
        most a day off, never counted as waiting less than it has)."""
        return queryset.filter(approved_on__lt=latest_today() - dt.timedelta(days=int(value)))

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if self.form.is_valid() else queryset
