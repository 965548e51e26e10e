"""Dashboards, the "Отчеты" page, report downloads, the registry of ИОМ and the report texts.

Thin views: access through schools.access, figures from the modules of reports.selectors (one per
report), writes through reports.services.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import figures
from core.cache import cached_figure
from core.dates import current_academic_year, last_completed_academic_years
from core.figures import Period, Value
from core.forms import run_service
from core.ids import parse_id
from core.logging import log_security_event
from reports import charts, services
from reports.access import own_jobs
from reports.figures import coverage_values
from reports.filters import RegistryFilter, registry_rows_for
from reports.forms import ReportOrderForm, ReportTextForm, recent_years
from reports.models import FigureSnapshot, Indicator, ReportJob
from reports.selectors.common import EDUCATOR_KINDS, SCHOOL_KINDS
from reports.selectors.coverage import coverage_table, organisations_without_routes, report_text_get
from reports.selectors.dashboards import region_rows, school_routes, staff_without_route
from reports.selectors.implementation import progress_percent
from reports.selectors.indicators import indicator_target, indicator_values
from reports.selectors.registry import registry_page
from reports.texts import coverage_interpretation, coverage_problems, coverage_recommendations, recommendations_text
from schools.access import (
    capability_required,
    get_for,
    has_capability,
    memberships_granting,
    municipalities_for,
    organisations_for,
)
from schools.models import Organisation, Region
from schools.timezones import local_now, local_today, zone_of_municipality

# --------------------------------------------------------------------------- helpers

def _years_from(request) -> list[str]:
    """?years=2021-2022,2022-2023 (checked), else the last two completed academic years."""
    raw = [y.strip() for y in request.GET.get("years", "").split(",") if y.strip()]
    known = set(recent_years(10))
    years = sorted({y for y in raw if y in known})
    return years or last_completed_academic_years(2)


def _year_from(request) -> str:
    year = request.GET.get("year", "")
    return year if year in set(recent_years(10)) else current_academic_year()


@capability_required("report.school")
def dashboard(request):
    """Send each user to the dashboard of their widest scope: the region's, a municipality's, a school's."""
    regional = memberships_granting(request.user, "report.regional")
    if regional:
        # a region's membership names its region; one over everything (an administrator's) starts at the first
        region = next((m.region for m in regional if m.region_id), None) or Region.objects.order_by("name").first()
        if region is None:
            raise Http404("Регионов пока нет.")
        return redirect("reports:region", pk=region.pk)
    municipal = memberships_granting(request.user, "report.municipal")
    municipality = next((m.municipality for m in municipal if m.municipality_id), None)
    if municipality is not None:
        return redirect("reports:municipality", pk=municipality.pk)
    organisation = next(m.organisation for m in memberships_granting(request.user, "report.school")
                        if m.organisation_id)
    return redirect("reports:school", pk=organisation.pk)


# --------------------------------------------------------------------------- dashboards

@capability_required("report.school")
def school_dashboard(request, pk: int):
    organisation = get_for(request.user, organisations_for(request.user, "report.school"), pk)
    year = _year_from(request)
    scope = Organisation.objects.filter(pk=organisation.pk)
    today = local_today(organisation)  # overdue on the school's own date (schools.timezones)
    one_year = Period.of_years([year])
    # every number of the page is a registry figure (core.figures) for the year chosen on the page
    values = {
        "share": figures.read("school_route_share", scope, one_year),
        "overdue": figures.read("overdue_activities", scope, Period(years=(year,), on=today, kind="year")),
        "statuses": figures.read("route_statuses", scope, one_year),
        "buckets": figures.read("implementation", scope, one_year),
        "deficits": figures.read("deficit_people", scope, Period.day(today)),
    }
    routes = list(school_routes(organisation, year))
    deficits = [(p.label, p.count) for p in values["deficits"].parts[:8]]
    return render(request, "reports/school.html", {
        "organisation": organisation, "year": year, "years": recent_years(), "values": values,
        "without_route": staff_without_route(organisation, year),
        "routes": routes, "deficits": deficits,
        "deficit_chart": charts.count_bars(deficits, title="Частые дефициты") if deficits else "",
        "can_audit": _can_order(request.user),
    })


COVERAGE_SORTS = {
    "name": lambda r: r.name,
    "staff": lambda r: r.staff,
    "registered": lambda r: r.registered,
    "period": lambda r: r.period_teachers + r.period_deputies,
    "share": lambda r: (r.share is not None, r.share or 0),
    "last": lambda r: r.last_year_total,
}


@capability_required("report.municipal")
def municipality_dashboard(request, pk: int):
    municipality = get_for(request.user, municipalities_for(request.user, "report.municipal"), pk)
    years = _years_from(request)
    year = _year_from(request)  # the routes' statuses and implementation: one year, chosen on the page
    schools = Organisation.objects.filter(municipality=municipality, kind__in=SCHOOL_KINDS)
    everyone = Organisation.objects.filter(municipality=municipality)
    def figure(name: str, params: tuple, compute):
        # Kept in the cache until a write in this municipality commits (core.cache versions).
        return cached_figure(f"municipality.{name}", [municipality.pk], params, compute)

    table = figure("coverage", (tuple(years),), lambda: coverage_table(schools, years))
    sort = request.GET.get("sort", "")
    rows = list(table.rows)
    if sort.lstrip("-") in COVERAGE_SORTS:
        rows.sort(key=COVERAGE_SORTS[sort.lstrip("-")], reverse=sort.startswith("-"))
    target = indicator_target("iom_share")
    uninvolved = figure("uninvolved", (tuple(years),), lambda: organisations_without_routes(
        everyone.filter(kind__in=EDUCATOR_KINDS), years))
    today = local_now(zone_of_municipality(municipality)).date()  # young specialists and mentoring: on a day
    period = Period.of_years(years)

    def read(code: str, scope, on: Period):
        return figure(f"fig.{code}", (on,), lambda: figures.read(code, scope, on))

    values = coverage_values(table, period)  # Table 1's cards from the table above them (reports/figures.py)
    values["statuses"] = read("route_statuses", everyone, Period.of_years([year]))
    values["buckets"] = read("implementation", everyone, Period.of_years([year]))
    values["deficits"] = read("deficit_people", everyone, Period.day(today))
    deficits = [(p.label, p.count) for p in values["deficits"].parts[:10]]
    # The indicators are read over the period of Table 1 above them (the mentoring ones on today, named so).
    definitions = tuple(Indicator.objects.filter(is_active=True).values_list(
        "pk", "code", "name", "level", "target", "unit", "period", "computation", "order"))
    indicators = figure("indicators", (tuple(years), today, definitions),
                        lambda: indicator_values(everyone, period, today))
    snapshots = {}
    for s in FigureSnapshot.objects.filter(municipality=municipality, code="iom_share").order_by("taken_on")[:400]:
        snapshots.setdefault(s.code, []).append((s.taken_on, s.value))
    return render(request, "reports/municipality.html", {
        "municipality": municipality, "years": years, "years_param": ",".join(years), "year": year,
        "table": table, "rows": rows, "sort": sort, "target": target, "values": values,
        "share_chart": charts.share_bars([(r.name, r.share) for r in table.rows], target,
                                         title="Доля с ИОМ, получившими зачет, по школам, %"),
        "deficits": deficits,
        "deficit_chart": charts.count_bars(deficits, title="Частые дефициты") if deficits else "",
        "interpretation": coverage_interpretation(table),
        "problems": coverage_problems(table, target, uninvolved),
        "indicators": indicators, "iom_share_vs_coverage": figures.get("coverage_share").differs_from,
        "trend": charts.sparkline(snapshots.get("iom_share", [])),
        "year_choices": recent_years(),
        "can_edit_texts": has_capability(request.user, "report.texts"),
    })


@capability_required("report.regional")
def region_dashboard(request, pk: int):
    municipalities = municipalities_for(request.user, "report.regional").filter(region_id=pk)
    region = get_for(request.user, Region.objects.filter(pk__in=municipalities.values("region_id")), pk)
    years = _years_from(request)
    ids = list(municipalities.values_list("pk", flat=True))
    rows = cached_figure("region.rows", ids, (pk, tuple(years)), lambda: region_rows(municipalities, years))
    target = indicator_target("iom_share")
    period = Period.of_years(years)
    everyone = Organisation.objects.filter(municipality__in=municipalities)
    total = cached_figure("region.iom_share", ids, (pk, period), lambda: figures.read("iom_share", everyone, period))
    iom = figures.get("iom_share")
    for r in rows:  # the grouped form of the registry's figures (reports.selectors.dashboards.region_rows)
        r.value = Value("iom_share", iom.name, r.with_route, r.staff, period)
        r.routes_value = Value("region_routes_year", "ИОМ учебного года", r.routes_year, None,
                               Period.of_years([years[-1]]), "count")
        r.credited_value = Value("region_credited_year", "Зачтено в учебном году", r.credited_year, None,
                                 Period.of_years([years[-1]]), "count")
    return render(request, "reports/region.html", {
        "region": region, "years": years, "rows": rows, "target": target, "total": total, "iom": iom,
        "chart": charts.share_bars([(r.municipality.name, r.share) for r in rows], target,
                                   title=f"{iom.name} по муниципалитетам, %"),
    })


# --------------------------------------------------------------------------- report jobs

def _can_order(user) -> bool:
    return has_capability(user, "report.school") or has_capability(user, "route.view")


def report_index(request):
    if not _can_order(request.user):
        raise PermissionDenied("Отчеты недоступны для вашей роли.")
    opened_with = parse_id(request.GET.get("municipality"))
    form = ReportOrderForm(request.POST or None, user=request.user,
                           initial={"municipality": opened_with} if opened_with else None)
    if request.method == "POST" and form.is_valid():
        params = form.params()
        kind, fmt = form.cleaned_data["kind"], form.cleaned_data["format"]
        if done := run_service(
            request, lambda: services.report_job_create(user=request.user, kind=kind, fmt=fmt, params=params,
                                                        description=form.description()),
            form=form, refusal_on_form=False,
            success_message="Отчет заказан: он появится в списке ниже, когда будет готов.", redirect_to="reports:index",
        ):
            return done
    jobs = own_jobs(request.user)[:30]
    return render(request, "reports/index.html", {
        "form": form, "jobs": jobs, "polling": any(j.is_active for j in jobs),
    })


def report_jobs_partial(request):
    """The jobs table alone, polled by htmx while a job is queued or running."""
    if not _can_order(request.user):
        raise PermissionDenied("Отчеты недоступны для вашей роли.")
    jobs = own_jobs(request.user)[:30]
    return render(request, "reports/_jobs.html", {"jobs": jobs, "polling": any(j.is_active for j in jobs)})


def report_download(request, pk):
    # 404: not the user's job, or its file is not ready or has expired; 403: the report is no longer theirs to see.
    ready = own_jobs(request.user).filter(status=ReportJob.Status.DONE).exclude(file="")
    job = get_for(request.user, ready, pk, obj_rule="report.download", denied="Этот отчет вам больше недоступен.")
    log_security_event("report_downloaded", request=request, job_id=str(job.pk), kind=job.kind)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                        content_type=job.content_type)


@require_POST
def report_restart(request, pk):
    job = get_for(request.user, ReportJob, pk)
    run_service(request, lambda: services.report_job_restart(user=request.user, job=job),
                success_message="Отчет поставлен в очередь заново.")
    return redirect("reports:index")


# --------------------------------------------------------------------------- registry

def _registry_filters(data) -> dict[str, str]:
    """The non-empty fields of the registry's filter form in `data`; nothing else (no CSRF token,
    no export format, no stray parameter) is ever copied into a registry URL or an export job."""
    return {k: v for k, v in data.items() if k in RegistryFilter.base_filters and v}


def _registry_url(filters: dict[str, str]) -> str:
    query = urlencode(filters)
    return reverse("reports:registry") + (f"?{query}" if query else "")


@capability_required("route.view")
def registry(request):
    rows, filters = registry_rows_for(request.user, request.GET)
    page = None
    if rows is not None:
        page = registry_page(rows, request.GET.get("page"))
        for route in page.object_list:
            route.progress_value = progress_percent(route.done, route.total)
    query = _registry_filters(request.GET)
    sort = query.pop("sort", "")
    return render(request, "reports/registry.html", {
        "filters": filters, "page": page, "sort": sort, "base_query": urlencode(query),
        "export": list(_registry_filters(request.GET).items()),
        "columns": [
            ("municipality", "Муниципалитет"), ("organisation", "ОО"), ("person", "ФИО"),
            ("position", "Должность"), ("year", "Уч. год"), ("status", "Статус"), ("approved", "Утвержден"),
            ("credited", "Зачтен"), ("progress", "Выполнение"), ("deficits", "Дефициты"), ("outcome", "Результат"),
        ],
    })


@require_POST
@capability_required("route.view")
def registry_export(request):
    data = _registry_filters(request.POST)
    fmt = request.POST.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        messages.error(request, "Реестр выгружается в XLSX или CSV.")
        return redirect(_registry_url(data))
    rows, filters = registry_rows_for(request.user, data)
    if rows is None:
        # The registry page validates the same filter again and shows what is wrong in it.
        messages.error(request, "Фильтр содержит ошибки: исправьте его перед выгрузкой.")
        return redirect(_registry_url(data))
    label = "; ".join(f"{name}: {value}" for name, value in filters.shown().items())
    # A refusal (e.g. five jobs already running: the report form's message) goes back to the registry.
    return run_service(
        request, lambda: services.report_job_create(user=request.user, kind="registry", fmt=fmt,
                                                    params={"filters": data},
                                                    description=f"Реестр ИОМ ({label or 'без фильтра'})"),
        success_message="Выгрузка реестра заказана: файл появится в списке, когда будет готов.",
        redirect_to="reports:index",
    ) or redirect(_registry_url(data))


@require_POST
@capability_required("route.view")
def monitor_export(request):
    """The implementation monitor's rows as XLSX, through a report job (routes.monitor: the list and its filter)."""
    from routes.monitor.views import KEPT, monitor_filter

    data = {k: v for k, v in request.POST.items() if k in KEPT and v}
    back = reverse("routes:monitor") + (f"?{urlencode(data)}" if data else "")
    filters = monitor_filter(request.user, data)
    if not filters.is_valid():
        messages.error(request, "Фильтр содержит ошибки: исправьте его перед выгрузкой.")
        return redirect(back)
    label = "; ".join(f"{name}: {value}" for name, value in filters.shown().items())
    return run_service(
        request, lambda: services.report_job_create(user=request.user, kind="monitor", fmt="xlsx",
                                                    params={"filters": data},
                                                    description=f"Реализация ИОМ ({label or filters.chosen_year or 'все годы'})"),
        success_message="Выгрузка списка заказана: файл появится в списке, когда будет готов.",
        redirect_to="reports:index",
    ) or redirect(back)


# --------------------------------------------------------------------------- the analytical report's texts

@capability_required("report.texts")
def report_texts(request, pk: int):
    municipality = get_for(request.user, municipalities_for(request.user, "report.texts"), pk)
    year = _year_from(request) if request.GET.get("year") else last_completed_academic_years(1)[0]
    text = report_text_get(municipality, year)
    if not text.pk and not text.recommendations:
        schools = Organisation.objects.filter(municipality=municipality, kind__in=SCHOOL_KINDS)
        years = [y for y in last_completed_academic_years(2) if y <= year] or [year]
        table = coverage_table(schools, years)
        others = Organisation.objects.filter(municipality=municipality, kind__in=EDUCATOR_KINDS)
        text.recommendations = recommendations_text(
            coverage_recommendations(table, organisations_without_routes(others, years)))
    form = ReportTextForm(request.POST or None, instance=text, initial={"version": text.version if text.pk else 0})
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.report_text_save(user=request.user, municipality=municipality, year=year,
                                                   data=form.cleaned_data, version=form.cleaned_data["version"]),
        form=form, refusal_on_form=False, success_message="Тексты аналитической справки сохранены.",
        redirect_to=reverse("reports:texts", args=[municipality.pk]) + f"?year={year}",
    )):
        return done
    return render(request, "reports/texts.html", {
        "municipality": municipality, "year": year, "form": form, "year_choices": recent_years(),
    })
