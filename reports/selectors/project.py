"""project — итоги муниципального проекта (seed 002), docs/spec/reports.md "project": the express
review of the project's routes. The project's other figures are methodics.projects.selectors.project_figures."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.numbers import percent
from routes.models import ExpressReview, Route


@dataclass
class ReviewCriterion:
    """One criterion of the express review (0–2 points) over the project's routes."""

    code: str
    label: str
    points: int  # sum of the scores
    reviews: int  # routes reviewed

    @property
    def average(self) -> Decimal | None:
        if not self.reviews:
            return None
        return (Decimal(self.points) / Decimal(self.reviews)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def share(self) -> Decimal | None:
        """The average as a share of the maximum (2 points), %."""
        return percent(self.points, 2 * self.reviews)


def project_review_summary(routes: QuerySet[Route]) -> list[ReviewCriterion]:
    """Seed 002's express review of the routes: the latest review of each route, summed per criterion.

    One aggregate query; a route reviewed twice (sent back, resubmitted) counts by its latest review.
    `routes` is methodics.projects.selectors.project_routes(project).
    """
    latest = ExpressReview.objects.filter(route=OuterRef("route")).order_by("-created_at", "-pk").values("pk")[:1]
    reviews = ExpressReview.objects.filter(route__in=routes, pk=Subquery(latest))
    sums = {code: Coalesce(Sum(code), Value(0)) for code, _label in ExpressReview.CRITERIA}
    figures = reviews.aggregate(n=Count("pk"), **sums)
    return [ReviewCriterion(code, label, figures[code], figures["n"]) for code, label in ExpressReview.CRITERIA]
