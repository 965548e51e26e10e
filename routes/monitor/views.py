"""The implementation monitor's pages: the list, a person's overdue activities, «Напомнить». Thin: selectors
read, services write. The export is ordered from the list and built by the reports app (reports:monitor_export)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core import figures
from core.figures import Period
from core.forms import run_service
from routes import selectors as route_selectors
from routes.monitor import selectors, services
from routes.monitor.filters import MonitorFilter
from schools.access import capability_required, organisations_for

# The query parameters that make the list what it is: kept by the totals' links, the pages, the sort and the export.
KEPT = ("municipality", "organisation", "year", "state", "overdue", "progress_min", "progress_max", "position",
        "mentor", "sort")


def monitor_filter(user, data) -> MonitorFilter:
    return MonitorFilter(data, user=user, organisations=organisations_for(user, "route.view"),
                         years=selectors.monitor_years(user))


def kept_query(data, **changes) -> str:
    query = data.copy()
    for key in list(query):
        if key not in KEPT:
            del query[key]
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@capability_required("route.view")
def monitor(request):
    filters = monitor_filter(request.user, request.GET)
    page = selectors.monitor_page(filters.qs, request.GET.get("page"))
    chosen_state = filters.values.get("state") or ""
    totals = [(code, label, n, "?" + kept_query(request.GET, state=code, page=None), code == chosen_state)
              for code, label, n in selectors.state_totals(filters.without_state())]
    return render(request, "routes/monitor/monitor.html", {
        "filters": filters, "page": page, "rows": page.object_list, "totals": totals,
        "all_states_url": "?" + kept_query(request.GET, state=None, page=None), "all_count": sum(t[2] for t in totals),
        "overdue": _figure(request.user, filters, "overdue_activities"),
        "done": _figure(request.user, filters, "roadmap_activities_done"),
        "query": kept_query(request.GET, page=None), "year": filters.chosen_year,
        "export": [(k, v) for k, v in request.GET.items() if k in KEPT],
        "back": request.get_full_path(), "sort_columns": _sort_columns(request.GET),
    })


def _sort_columns(data) -> list:
    """The sortable headers: ((key, link, descending key), label); a second click on a header reverses it."""
    columns = []
    for key, label in selectors.SORT_LABELS.items():
        descending = f"-{key}"
        target = descending if data.get("sort") == key else key
        columns.append(((key, kept_query(data, sort=target, page=None), descending), label))
    return columns


def _figure(user, filters: MonitorFilter, code: str):
    """The registry's figure over the organisations and the one year the filter chose (None: every year is
    shown, and a count over every year is no figure of the registry)."""
    data = filters.values
    year = filters.chosen_year
    if not year or not filters.form.is_valid():
        return None
    organisations = organisations_for(user, "route.view")
    if data.get("municipality"):
        organisations = organisations.filter(municipality=data["municipality"])
    if data.get("organisation"):
        organisations = organisations.filter(pk=data["organisation"].pk)
    return figures.read(code, organisations, Period(years=(year,), on=timezone.localdate(), kind="year"))


@capability_required("route.view")
def monitor_overdue(request, pk: int):
    """The overdue activities of one route: where the monitor's overdue count leads."""
    route = route_selectors.route_get_for(request.user, pk)
    return render(request, "routes/monitor/overdue.html", {
        "route": route, "activities": selectors.overdue_activities_of(route),
        "back": _safe_back(request.GET.get("back")),
    })


def _safe_back(value: str | None) -> str:
    monitor_url = reverse("routes:monitor")
    return value if value and value.startswith(monitor_url) else monitor_url


@require_POST
@capability_required("route.view")
def monitor_remind(request):
    back = _safe_back(request.POST.get("back"))
    ids = [v for v in request.POST.getlist("staff") if v.isdigit() and len(v) < 12]
    year = request.POST.get("year") or None
    return run_service(request, lambda: services.remind(actor=request.user, staff_ids=ids, year=year),
                       success_message=lambda result: result.message, redirect_to=back) or redirect(back)
