"""Dashboards, the "Отчеты" page, report downloads, the registry of ИОМ and the report texts.

Thin views: access through schools.access, figures from the modules of reports.selectors (one per
report), writes through reports.services.
"""

from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from core import figures
from core.cache import cached_figure
from core.dates import current_academic_year, last_completed_academic_years
from core.figures import Period, Value
from core.forms import run_service
from core.ids import parse_id
from core.logging import log_security_event
from core.xlsx_tools import data_sheet
from core.xlsx_tools import percent as xlsx_percent
from reports import charts, services
from reports.access import own_jobs
from reports.figures import coverage_values
from reports.filters import RegistryFilter, registry_rows_for
from reports.forms import ReportOrderForm, ReportTextForm, recent_years
from reports.letters import letterhead_hints
from reports.models import FigureSnapshot, Indicator, ReportJob
from reports.selectors.common import EDUCATOR_KINDS, SCHOOL_KINDS
from reports.selectors.coverage import coverage_table, organisations_without_routes, report_text_get
from reports.selectors.dashboards import region_rows, school_routes, staff_without_route, years_with_data
from reports.selectors.implementation import progress_percent
from reports.selectors.indicators import indicator_target, indicator_values
from reports.selectors.registry import registry_page
from reports.texts import coverage_interpretation, coverage_problems, coverage_recommendations, recommendations_text
from schools.access import (
    can,
    capability_required,
    get_for,
    has_capability,
    memberships_granting,
    municipalities_for,
    organisations_for,
)
from schools.models import Organisation, Region
from schools.timezones import local_now, local_today, zone_of_municipality

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --------------------------------------------------------------------------- helpers

def _known_years() -> set[str]:
    return set(recent_years(10))


def _years_from(request) -> list[str]:
    """The period's academic years: ?years=2021-2022&years=2022-2023 (the period form's checkboxes) or
    ?years=2021-2022,2022-2023 (older links), checked; else the last two completed academic years."""
    raw = [y.strip() for value in request.GET.getlist("years") for y in value.split(",") if y.strip()]
    years = sorted({y for y in raw if y in _known_years()})
    return years or last_completed_academic_years(2)


def _year_from(request, default: str | None = None) -> str:
    year = request.GET.get("year", "")
    return year if year in _known_years() else (default or current_academic_year())


def _period(years: list[str], year: str) -> dict:
    """What every dashboard's period form and drill-down links need: the years to choose from (those with
    routes, and the current one), the chosen ones, and the query string the links down carry."""
    return {
        "period_years": years, "period_year": year,
        "period_choices": years_with_data(extra=[*years, year]),
        "period_query": urlencode({"years": ",".join(years), "year": year}),
    }


TREND_YEARS = 5


def _trend(scope, codes: list[str], year: str, cache_ids: list[int] | None = None) -> dict:
    """The key figures of the scope over the five academic years up to `year`, each one academic year, read
    from the registry (core.figures): as many queries per figure and year whatever the size of the scope.
    With `cache_ids` (the municipalities of the scope) the values wait in the figure cache (core.cache)
    until a write there commits."""
    end = int(year[:4])
    years = [f"{y}-{y + 1}" for y in range(end - TREND_YEARS + 1, end + 1)]

    def compute():
        return [[figures.read(code, scope, Period.of_years([y])) for y in years] for code in codes]

    values = compute() if cache_ids is None else cached_figure("dashboard.trend", cache_ids,
                                                              (tuple(codes), year), compute)
    rows = [(figures.get(code), row) for code, row in zip(codes, values, strict=True)]
    share = next(((f, row) for f, row in rows if f.unit == "percent"), None)
    return {
        "years": years, "rows": rows,
        "chart": charts.share_bars([(v.period.years[0], v.percent) for v in share[1]],
                                   title=f"{share[0].name} по учебным годам, %") if share else "",
    }


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
        "overcome": figures.read("deficits_overcome", scope, one_year),
    }
    routes = list(school_routes(organisation, year))
    deficits = [(p.label, p.count) for p in values["deficits"].parts[:8]]
    # the years of the period above (a municipality's Table 1) travel on with the links; the school counts one year
    years = _years_from(request) if request.GET.get("years") else [year]
    return render(request, "reports/school.html", {
        "organisation": organisation, "year": year, "values": values, **_period(years, year),
        "trend_years": _trend(scope, SCHOOL_TREND, year),
        "can_open_staff": can(request.user, "staff.view", organisation),  # the names open the staff cards
        "teachers_url": reverse("routes:monitor") + "?" + urlencode(
            {"municipality": organisation.municipality_id, "organisation": organisation.pk, "year": year}),
        "without_route": staff_without_route(organisation, year),
        "routes": routes, "deficits": deficits,
        "deficit_chart": charts.count_bars(deficits, title="Частые дефициты") if deficits else "",
        "can_audit": _can_order(request.user),
    })


SCHOOL_TREND = ["school_route_share", "assessed_share", "attested_share"]
AREA_TREND = ["iom_share", "region_routes_year", "region_credited_year"]

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
    values["overcome"] = read("deficits_overcome", everyone, Period.of_years([year]))
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
        **_period(years, year), "trend_years": _trend(everyone, AREA_TREND, year, [municipality.pk]),
        "table": table, "rows": rows, "sort": sort, "target": target, "values": values,
        "share_chart": charts.share_bars([(r.name, r.share) for r in table.rows], target,
                                         title="Доля с ИОМ, получившими зачет, по школам, %"),
        "deficits": deficits,
        "deficit_chart": charts.count_bars(deficits, title="Частые дефициты") if deficits else "",
        "interpretation": coverage_interpretation(table),
        "problems": coverage_problems(table, target, uninvolved),
        "indicators": indicators, "iom_share_vs_coverage": figures.get("coverage_share").differs_from,
        "trend": charts.sparkline(snapshots.get("iom_share", [])),
        "can_edit_texts": has_capability(request.user, "report.texts"),
        "can_edit_letterhead": can(request.user, "municipality.letterhead", municipality),
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
        **_period(years, years[-1]), "trend_years": _trend(everyone, AREA_TREND, years[-1], ids),
        "chart": charts.share_bars([(r.municipality.name, r.share) for r in rows], target,
                                   title=f"{iom.name} по муниципалитетам, %"),
    })


# --------------------------------------------------------------------------- the dashboards' tables as XLSX

def _xlsx_download(filename: str, title: str, headers: list[str], rows) -> HttpResponse:
    """One «Данные» sheet of typed cells (core.xlsx_tools: numbers as numbers, shares as percent cells)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    data_sheet(workbook, headers, rows)
    workbook.properties.title = title
    out = BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _region_table(request, pk: int):
    municipalities = municipalities_for(request.user, "report.regional").filter(region_id=pk)
    region = get_for(request.user, Region.objects.filter(pk__in=municipalities.values("region_id")), pk)
    years = _years_from(request)
    headers = ["Муниципалитет", "Педагоги и завучи (все ОО)", "С ИОМ, утвержденным за период", "Доля, %",
               f"ИОМ {years[-1]}", f"Зачтено в {years[-1]}"]
    rows = [[r.municipality.name, r.staff, r.with_route, xlsx_percent(r.share), r.routes_year, r.credited_year]
            for r in region_rows(municipalities, years)]
    return f"{region.name}, {', '.join(years)}", headers, rows


def _municipality_table(request, pk: int):
    municipality = get_for(request.user, municipalities_for(request.user, "report.municipal"), pk)
    years = _years_from(request)
    table = coverage_table(Organisation.objects.filter(municipality=municipality, kind__in=SCHOOL_KINDS), years)
    # Table 1's «10+1» is two numbers, teachers and deputies, as in its report's own sheet
    headers = ["ОУ", "Педагоги + завучи", "Зарегистрированы",
               *(f"Зачтено {y}: {who}" for y in years for who in ("педагоги", "завучи")), "Зачтено за период",
               "Доля с ИОМ, %"]
    rows = [[r.name, r.staff, r.registered, *(n for pair in r.credited for n in pair),
             r.period_teachers + r.period_deputies, xlsx_percent(r.share)] for r in [*table.rows, table.total]]
    return f"{municipality.name}, {', '.join(years)}", headers, rows


def _school_table(request, pk: int):
    organisation = get_for(request.user, organisations_for(request.user, "report.school"), pk)
    year = _year_from(request)
    headers = ["Педагог", "Должность", "Статус ИОМ", "Мероприятий", "Выполнено", "Выполнение, %", "Просрочено"]
    rows = [[r.person.full_name, r.person.position, r.get_status_display(), r.activities_total, r.activities_done,
             xlsx_percent(r.progress), r.activities_overdue] for r in school_routes(organisation, year)]
    return f"{organisation.short_name}, {year}", headers, rows


DASHBOARD_TABLES = {
    "region": ("report.regional", _region_table),
    "municipality": ("report.municipal", _municipality_table),
    "school": ("report.school", _school_table),
}


def dashboard_export(request, scope: str, pk: int):
    """The table of a dashboard, for the period of the page, as an XLSX download (small: one row a
    municipality, a school or a route of one school; the big lists go through the report jobs)."""
    if scope not in DASHBOARD_TABLES:
        raise Http404("Такой таблицы нет.")
    capability, table = DASHBOARD_TABLES[scope]
    if not has_capability(request.user, capability):
        raise PermissionDenied("Эта статистика недоступна для вашей роли.")
    title, headers, rows = table(request, pk)
    log_security_event("dashboard_exported", request=request, scope=scope, object_id=str(pk))
    return _xlsx_download(f"Статистика ИОМ — {title}.xlsx", f"Статистика ИОМ: {title}", headers, rows)


# --------------------------------------------------------------------------- report jobs

def _can_order(user) -> bool:
    return has_capability(user, "report.school") or has_capability(user, "route.view")


def report_index(request):
    if not _can_order(request.user):
        raise PermissionDenied("Отчеты недоступны для вашей роли.")
    opened_with = parse_id(request.GET.get("municipality"))
    initial = {"municipality": opened_with} if opened_with else {}
    if request.GET.get("kind") == ReportJob.Kind.REGION:  # «Заказать отчет по региону» on the region's dashboard
        initial.update(kind=ReportJob.Kind.REGION, region=parse_id(request.GET.get("region")),
                       years=_years_from(request))
    form = ReportOrderForm(request.POST or None, user=request.user, initial=initial or None)
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
        "letterhead_hints": letterhead_hints(request.user),
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
        "can_edit_letterhead": can(request.user, "municipality.letterhead", municipality),
    })
