"""What a digest says: the lines of the weekly e-mail (what waits for the user in their scope) and the key figures
of the monthly one. Each line is a sentence with its link; a user with no line gets no e-mail.

The scope is the one the digest's capability reaches (schools.access.scope_of): a deputy's school, a municipal
methodist's municipality, a regional methodist's region, a director's school. Reviews are the user's own queue
(routes.selectors.review_queue_q / credit_queue_q: the reviewer rule), figures come from the registry.
"""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from core import figures, words
from core.dates import academic_year_of
from routes.models import Route, Transition
from routes.selectors import credit_queue_q, review_queue
from schools.access import scope_of
from schools.models import Organisation

Status = Route.Status
WEEK = dt.timedelta(days=7)
# the key figures of the monthly e-mail, in this order (docs/figures.md)
MONTHLY_FIGURES = ("iom_share", "region_credited_year", "roadmap_activities_done", "overdue_activities",
                   "deficits_overcome")


@dataclass(frozen=True)
class Line:
    text: str
    url: str  # a path of the portal; the e-mail makes it absolute


def organisations_of(user, capability: str):
    return Organisation.objects.filter(scope_of(user, capability).organisations_q(""))


def _monitor(**params) -> str:
    return f"{reverse('routes:monitor')}?{urlencode(params)}"


def _waited(days: int) -> str:
    return f"дольше всех — {words.count(days, 'день', 'дня', 'дней')}"


def weekly_lines(user, *, today: dt.date, now: dt.datetime) -> list[Line]:
    """What needs the user this week; empty when nothing does."""
    lines = []
    queue = review_queue(user)
    if queue:
        n, oldest = len(queue), max((r.days_waiting or 0) for r in queue)
        lines.append(Line(f"{n} ИОМ {words.plural(n, 'ждет', 'ждут', 'ждут')} вашего решения "
                          f"(согласование или приемка итогов), {_waited(oldest)}", reverse("routes:review_queue")))
    credit = list(Route.objects.filter(credit_queue_q(user), status=Status.AWAITING_CREDIT)
                  .values_list("approved_on", flat=True))
    if credit:
        n = len(credit)
        oldest = max(((today - day).days for day in credit if day), default=0)
        lines.append(Line(f"{n} ИОМ {words.plural(n, 'ждет', 'ждут', 'ждут')} зачета, {_waited(max(oldest, 0))}",
                          reverse("routes:credit_queue")))
    organisations = organisations_of(user, "digest.weekly")
    in_scope = Route.objects.filter(organisation__in=organisations)
    expired = in_scope.filter(status=Status.EXPIRED).count()
    if expired:
        lines.append(Line(f"{expired} ИОМ в статусе «{Status.EXPIRED.label}»: итоги не представлены",
                          _monitor(state=Status.EXPIRED)))
    year = academic_year_of(today)
    overdue = figures.read("overdue_activities", organisations, figures.Period.of_years([year])).count
    if overdue:
        lines.append(Line(f"{words.count(overdue, 'мероприятие', 'мероприятия', 'мероприятий')} "
                          f"{words.plural(overdue, 'просрочено', 'просрочены', 'просрочено')} в ИОМ, которые "
                          f"реализуются", _monitor(year=year, overdue="yes")))
    results = (Transition.objects.filter(route__in=in_scope, action="submit_results", at__gte=now - WEEK)
               .values("route_id").distinct().count())
    if results:
        lines.append(Line(f"{words.count(results, 'педагог представил', 'педагога представили', 'педагогов представили')}"
                          f" итоги ИОМ за неделю", _monitor(state=Status.RESULTS_SUBMITTED)))
    return lines


def monthly_figures(user, *, today: dt.date) -> list[figures.Value]:
    """The key figures of the user's scope for the current academic year; empty when the scope has no
    organisations or every figure is zero (nothing to report)."""
    organisations = organisations_of(user, "digest.monthly")
    if not organisations.exists():
        return []
    period = figures.Period.of_years([academic_year_of(today)])
    values = [figures.read(code, organisations, period) for code in MONTHLY_FIGURES]
    return values if any(v.count for v in values) else []


def dashboard_url() -> str:
    """The user's own dashboard: reports:dashboard sends each user to their widest scope's."""
    return reverse("reports:dashboard")
