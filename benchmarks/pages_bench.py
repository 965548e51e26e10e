"""Main pages of every role: SQL queries at S and M (must be equal), server time at S and L (≤ 1.5×).

Pages are found in two ways, so a page added by another app is measured without editing this
file: every URL without arguments that answers 200 with HTML to the role (the menus, queues,
dashboards, registry), and the pages with an argument listed in WITH_ARGUMENT, built from the
bench data (the teacher's own current route, the deputy's school, …). The same person is
used at S and M (M's first municipality is S), so equal query counts mean no query grows with
the data around them. Time is the median of `--runs` GETs through Django's test client in
this process (the whole middleware stack, no network); "первый" is one GET right after the
cache was cleared (dashboards computed, not read from Redis).
"""

import time
from dataclasses import dataclass

from benchmarks.common import Bench, count_queries, median_time, ratio, use_size

# URL names that are not pages of a role, or that change something on GET.
SKIP = {
    "healthz", "healthz_live", "metrics", "login", "logout", "password_change", "password_change_done", "password_reset",
    "password_reset_done", "password_reset_complete", "invitation_done", "notification_read_all",
}
SKIP_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv")

# role → (URL name, what its argument is)
WITH_ARGUMENT = {
    "teacher": [("routes:route_detail", "route"), ("routes:route_history", "route"),
                ("diagnostics:assessment_detail", "assessment"), ("staff_detail", "staff"),
                ("organisation_detail", "organisation")],
    "deputy": [("routes:route_review", "route"), ("routes:route_detail", "route"),
               ("organisation_detail", "organisation"), ("diagnostics:school", "organisation"),
               ("diagnostics:person", "staff"), ("staff_detail", "staff")],
    "director": [("organisation_detail", "organisation"), ("diagnostics:school", "organisation"),
                 ("staff_detail", "staff"), ("routes:route_detail", "route")],
    "municipal_methodist": [("organisation_detail", "organisation"), ("diagnostics:school", "organisation"),
                            ("routes:route_detail", "route")],
    "regional_methodist": [("organisation_detail", "organisation"), ("routes:route_detail", "route")],
    "admin": [("organisation_detail", "organisation")],
}
ROLES = list(WITH_ARGUMENT)
# Pages of these URL names (or namespaces) are dashboards: the load test's 800 ms class.
DASHBOARD_HINTS = ("reports:", "dashboard", "monitor", "overview", "registry", "diagnostics:school")


@dataclass
class Actor:
    role: str
    user: object
    organisation: object | None = None
    route: object | None = None
    staff: object | None = None
    assessment: object | None = None


def actors() -> dict[str, Actor]:
    """One person per role, chosen by the same rule in every bench database."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from core.dates import current_academic_year
    from diagnostics.models import Assessment
    from routes.models import Route
    from schools.models import Membership, Organisation, StaffMember

    User = get_user_model()
    year = current_academic_year()
    found: dict[str, Actor] = {}

    teacher = (User.objects.filter(memberships__role="teacher", staff_member__routes__academic_year=year,
                                   staff_member__routes__status=Route.Status.IN_PROGRESS)
               .exclude(memberships__role__in=["deputy", "director"]).order_by("username").first())
    if teacher:
        staff = teacher.staff_member
        found["teacher"] = Actor("teacher", teacher, staff.organisation, staff.routes.get(academic_year=year), staff,
                                 Assessment.objects.filter(person=staff).order_by("pk").first())
    deputy = (Membership.objects.filter(role="deputy", organisation__routes__academic_year=year,
                                        organisation__routes__status=Route.Status.SUBMITTED)
              .select_related("user", "organisation").order_by("user__username").first())
    if deputy:
        org = deputy.organisation
        found["deputy"] = Actor(
            "deputy", deputy.user, org,
            Route.objects.filter(organisation=org, academic_year=year, status=Route.Status.SUBMITTED).order_by("pk").first(),
            StaffMember.objects.filter(organisation=org, position_category="teacher").order_by("pk").first(),
        )
    director = (Membership.objects.filter(role="director").select_related("user", "organisation")
                .order_by("user__username").first())
    if director:
        org = director.organisation
        found["director"] = Actor(
            "director", director.user, org,
            Route.objects.filter(organisation=org, academic_year=year).order_by("pk").first(),
            StaffMember.objects.filter(organisation=org, position_category="teacher").order_by("pk").first(),
        )
    for role in ("municipal_methodist", "regional_methodist", "admin"):
        membership = Membership.objects.filter(role=role).select_related("user").order_by("user__username").first()
        if membership is None:
            continue
        scope = Q()
        if membership.municipality_id:
            scope = Q(municipality_id=membership.municipality_id)
        elif membership.region_id:
            scope = Q(municipality__region_id=membership.region_id)
        org = Organisation.objects.filter(scope).order_by("pk").first()
        route = Route.objects.filter(organisation__in=Organisation.objects.filter(scope), academic_year=year,
                                     status=Route.Status.AWAITING_CREDIT).order_by("pk").first()
        found[role] = Actor(role, membership.user, org, route)
    return found


def argless_names() -> list[str]:
    """Every URL name that takes no argument (namespaced as `ns:name`)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names = []

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/"):
                    continue
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groups:
                names.append(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return sorted(set(names) - SKIP)


def pages_of(actor: Actor) -> list[tuple[str, str]]:
    """(URL name, path) of the pages to try for this actor."""
    from django.urls import NoReverseMatch, reverse

    pages = []
    for name in argless_names():
        path = reverse(name)
        if not path.endswith(SKIP_SUFFIXES):
            pages.append((name, path))
    for name, what in WITH_ARGUMENT[actor.role]:
        obj = getattr(actor, what)
        if obj is None:
            continue
        try:
            pages.append((name, reverse(name, args=[obj.pk])))
        except NoReverseMatch:
            continue  # not built yet by its app
    return pages


def _get(client, path):
    response = client.get(path)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response


def measure_size(size: str, runs: int, timed: bool) -> dict:
    """{(role, name): {"queries": n, "ms": median, "cold_ms": first, "status": code}} at `size`."""
    from django.core.cache import cache
    from django.test import Client

    use_size(size)
    results = {}
    for role, actor in actors().items():
        client = Client(raise_request_exception=False)
        client.force_login(actor.user)
        for name, path in pages_of(actor):
            cache.clear()
            started = time.perf_counter()
            response = _get(client, path)
            cold = time.perf_counter() - started
            html = response.get("Content-Type", "").startswith("text/html")
            entry = {"status": response.status_code, "path": path, "html": html}
            if response.status_code == 200 and html:
                entry["queries"] = count_queries(lambda p=path, c=client: _get(c, p))
                if timed:
                    entry["ms"] = median_time(lambda p=path, c=client: _get(c, p), runs=runs, warmup=1).ms
                    entry["cold_ms"] = round(cold * 1000, 1)
            results[(role, name)] = entry
    return results


def run(bench: Bench) -> None:
    at = {size: measure_size(size, bench.runs, timed=size in ("S", "L")) for size in ("S", "M", "L")}
    listed = {(role, name) for role, pages in WITH_ARGUMENT.items() for name, _ in pages}
    for key in sorted(at["S"]):
        role, name = key
        s, m, big = at["S"][key], at["M"].get(key, {}), at["L"].get(key, {})
        if s["status"] != 200 or not s["html"]:
            if key in listed and s["status"] != 404:
                bench.note(f"{role}: {name} ответила {s['status']} на S — страница роли не измерена")
            continue
        item = f"{role}: {name}"
        if "queries" in m:
            bench.add("страницы", item, "запросов S (M)", s["queries"],
                      detail=f"S {s['queries']}, M {m['queries']}, L {big.get('queries', '—')}",
                      target="S = M", ok=s["queries"] == m["queries"])
        else:
            bench.add("страницы", item, "запросов S (M)", s["queries"], detail=f"на M: ответ {m.get('status')}",
                      target="S = M", ok=False)
        if "ms" in s and "ms" in big:
            r = ratio(big["ms"], s["ms"])
            kind = "сводка" if any(h in name for h in DASHBOARD_HINTS) else "страница"
            bench.add("страницы", item, "время L/S", r,
                      detail=f"S {s['ms']} мс, L {big['ms']} мс (первый на L {big['cold_ms']} мс, {kind})",
                      target="≤ 1.5", ok=r is not None and r <= 1.5, s_ms=s["ms"], l_ms=big["ms"],
                      l_cold_ms=big["cold_ms"], kind=kind)
        elif big:
            bench.note(f"{item}: на L ответ {big.get('status')}")
