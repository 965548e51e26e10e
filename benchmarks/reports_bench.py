"""Report speed: Table 1 for a municipality of 100 schools and 3,000 staff, and the registry export
of 50,000 routes — each beside a hand-written equivalent in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/iom .venv/bin/python -m benchmarks.reports_bench

Runs in a throw-away test database (`test_<name>`), never in the portal's own. Measured:
- Table 1: `reports.selectors.coverage.coverage_table` (the ORM, what dashboards and files call) against
  one hand-written SQL aggregate giving the same numbers, and the whole coverage XLSX;
- the registry: `RegistryReport` writing XLSX (formatted sheet + `Данные`, openpyxl write-only,
  streamed from a server-side cursor) against a raw psycopg cursor + openpyxl write-only export
  of the same rows into the same two sheets.
Times are medians of warm runs; memory is what each export alone adds to the process at its peak
(the kernel's high-water mark is reset to the resident set through /proc/self/clear_refs, and the
resident set before the export is subtracted: the generated data stays resident in this process).
Targets: Table 1 within 2× of the hand-written SQL; the registry export within 1.5× of the floor
in time and under 100 MB of memory. Both exports write the same two sheets, because every XLSX
report carries a `Данные` sheet (docs/spec/reports.md).
"""

import contextlib
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

SCHOOLS, STAFF = 100, 3_000
REGISTRY_ROUTES = int(os.environ.get("BENCH_REGISTRY_ROUTES", "50000"))
YEARS = ["2023-2024", "2024-2025"]
TARGET_RATIO = 2.0
TARGET_EXPORT_RATIO = 1.5
TARGET_MEMORY_MB = 100


def _setup_django() -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("PORTAL_BASE_URL", "http://127.0.0.1:8000")
    os.environ["DEBUG"] = "false"
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/iom_reports_bench"
    os.environ["DJANGO_SETTINGS_MODULE"] = "iom_portal.settings"
    import django

    django.setup()
    from django.db import connection

    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def _generate(rng: random.Random):
    from diagnostics.models import Competency, CompetencyGroup, Deficit
    from routes.models import ActivityKind, RoadmapActivity, Route
    from schools.models import Municipality, Organisation, Region, StaffMember

    region = Region.objects.create(name="Регион замера")
    town = Municipality.objects.create(region=region, name="Муниципалитет Таблицы 1")
    big = Municipality.objects.create(region=region, name="Муниципалитет реестра")
    schools = Organisation.objects.bulk_create(
        Organisation(municipality=town, name=f"Школа {i}", short_name=f"МБОУ СОШ №{i}", kind="СОШ", order=i)
        for i in range(SCHOOLS))
    big_orgs = Organisation.objects.bulk_create(
        Organisation(municipality=big, name=f"ОО {i}", short_name=f"ОО №{i}", kind="СОШ", order=i) for i in range(250))
    group = CompetencyGroup.objects.first()
    kinds = list(ActivityKind.objects.all())
    competencies = list(Competency.objects.all()[:20]) or [Competency.objects.create(group=group, code="X1", name="Х")]

    def people(orgs, n):
        out = []
        for i in range(n):
            category, position = ("deputy", "заместитель директора") if i % 15 == 0 else ("teacher", "учитель")
            status = "working" if i % 40 else rng.choice(["maternity", "dismissed"])
            out.append(StaffMember(organisation=orgs[i % len(orgs)], last_name=f"Фамилия{i:05d}", first_name="Анна",
                                   middle_name="Ивановна", position=position, position_category=category,
                                   status=status))
        return StaffMember.objects.bulk_create(out, batch_size=5000)

    def routes_for(persons, years, share):
        out = []
        for p in persons:
            for y in years:
                if rng.random() < share:
                    start = int(y[:4])
                    approved = dt.date(start, 10, rng.randint(1, 28))
                    credited = approved + dt.timedelta(days=20) if rng.random() < 0.8 else None
                    out.append(Route(person=p, organisation=p.organisation, academic_year=y, status="in_progress",
                                     approved_on=approved, credited_on=credited))
        return Route.objects.bulk_create(out, batch_size=5000)

    town_people = people(schools, STAFF)
    routes_for(town_people, YEARS, 0.45)
    big_people = people(big_orgs, REGISTRY_ROUTES // 2)
    big_routes = routes_for(big_people, YEARS, 1.0)
    activities = []
    for r in big_routes:
        for k in range(5):
            activities.append(RoadmapActivity(route=r, group=group, kind=kinds[k % len(kinds)], title="Мероприятие",
                                              deadline=dt.date(2025, 3, 1), is_done=rng.random() < 0.6, order=k))
        if len(activities) >= 20_000:
            RoadmapActivity.objects.bulk_create(activities)
            activities = []
    RoadmapActivity.objects.bulk_create(activities)
    deficits = Deficit.objects.bulk_create(
        Deficit(person=p, competency=rng.choice(competencies), detected_on=dt.date(2024, 5, 1)) for p in big_people[::5])
    Link = Route.deficits.through
    by_person = {d.person_id: d for d in deficits}
    Link.objects.bulk_create(Link(route_id=r.pk, deficit_id=by_person[r.person_id].pk)
                             for r in big_routes if r.person_id in by_person)
    return town, big


def _median(fn, runs: int = 5, warm: int = 1) -> float:
    for _ in range(warm):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb(fn) -> float:
    """What `fn` adds to the resident memory at its peak: reset the kernel's high-water mark to the
    resident set, run, and subtract the resident set before."""
    with contextlib.suppress(OSError):  # not Linux: the high-water mark then covers the whole run
        Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS")
    fn()
    return _status_mb("VmHWM") - before


# The floor, written by hand: one statement, the same grouping (schools only, so educators never count).
TABLE1_SQL = """
WITH orgs AS (
  SELECT id, short_name, "order" FROM schools_organisation
  WHERE municipality_id = %(m)s AND kind IN ('СОШ', 'ООШ', 'Лицей', 'Гимназия')
), staff AS (
  SELECT s.organisation_id, count(*) AS n,
    count(*) FILTER (WHERE s.position_category = 'deputy') AS d,
    count(*) FILTER (WHERE s.position_category <> 'deputy' AND u.is_active) AS rt,
    count(*) FILTER (WHERE s.position_category = 'deputy' AND u.is_active) AS rd,
    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM routes_route r WHERE r.person_id = s.id
                                   AND r.credited_on BETWEEN %(start)s AND %(end)s)) AS w
  FROM schools_staffmember s JOIN orgs o ON o.id = s.organisation_id LEFT JOIN auth_user u ON u.id = s.user_id
  WHERE s.status = 'working' AND s.is_main_position AND s.position_category IN ('teacher', 'deputy')
  GROUP BY s.organisation_id
), cr AS (
  SELECT r.organisation_id,
    count(*) FILTER (WHERE r.credited_on < %(mid)s AND p.position_category = 'teacher') AS t1,
    count(*) FILTER (WHERE r.credited_on < %(mid)s AND p.position_category = 'deputy') AS d1,
    count(*) FILTER (WHERE r.credited_on >= %(mid)s AND p.position_category = 'teacher') AS t2,
    count(*) FILTER (WHERE r.credited_on >= %(mid)s AND p.position_category = 'deputy') AS d2
  FROM routes_route r JOIN orgs o ON o.id = r.organisation_id JOIN schools_staffmember p ON p.id = r.person_id
  WHERE r.credited_on BETWEEN %(start)s AND %(end)s
  GROUP BY r.organisation_id
)
SELECT o.short_name, coalesce(s.n, 0), coalesce(s.d, 0), coalesce(s.rt, 0), coalesce(s.rd, 0),
       coalesce(c.t1, 0), coalesce(c.d1, 0), coalesce(c.t2, 0), coalesce(c.d2, 0), coalesce(s.w, 0)
FROM orgs o LEFT JOIN staff s ON s.organisation_id = o.id LEFT JOIN cr c ON c.organisation_id = o.id
ORDER BY o."order", o.short_name
"""

REGISTRY_SQL = """
SELECT m.name, o.short_name, p.last_name, p.first_name, p.middle_name, p.position, r.academic_year, r.status,
       r.approved_on, r.credited_on, COALESCE(a.done, 0), COALESCE(a.total, 0), COALESCE(d.names, ''), r.outcome
FROM routes_route r
JOIN schools_organisation o ON o.id = r.organisation_id
JOIN schools_municipality m ON m.id = o.municipality_id
JOIN schools_staffmember p ON p.id = r.person_id
LEFT JOIN (SELECT route_id, count(*) FILTER (WHERE is_done) AS done, count(*) AS total
           FROM routes_roadmapactivity GROUP BY route_id) a ON a.route_id = r.id
LEFT JOIN (SELECT rd.route_id, string_agg(c.name, '; ' ORDER BY c.name) AS names
           FROM routes_route_deficits rd JOIN diagnostics_deficit df ON df.id = rd.deficit_id
           JOIN diagnostics_competency c ON c.id = df.competency_id GROUP BY rd.route_id) d ON d.route_id = r.id
WHERE o.municipality_id = %(m)s
ORDER BY m.name, o.short_name, p.last_name, r.id
"""


def _raw_registry_export(municipality_id: int, path: str) -> int:
    """The floor: psycopg server-side cursor → openpyxl write-only, the same two sheets."""
    from django.db import connection
    from openpyxl import Workbook

    from reports.builders.registry import DATA_HEADERS, HEADERS, OUTCOME, STATUS

    wb = Workbook(write_only=True)
    shown, data = wb.create_sheet("Реестр ИОМ"), wb.create_sheet("Данные")
    shown.append(HEADERS)
    data.append(DATA_HEADERS)
    n = 0
    connection.ensure_connection()
    with connection.connection.transaction(), connection.connection.cursor(name="registry_floor") as cur:
        cur.itersize = 2000
        cur.execute(REGISTRY_SQL, {"m": municipality_id})
        for (mun, org, last, first, middle, position, year, status, approved, credited, done, total, names,
             outcome) in cur:
            name = " ".join(x for x in (last, first, middle) if x)
            share = round(done * 100 / total, 1) if total else 0.0
            s, o = STATUS.get(status, status), OUTCOME.get(outcome, "")
            shown.append([mun, org, name, position, year, s, approved.strftime("%d.%m.%Y") if approved else "",
                          credited.strftime("%d.%m.%Y") if credited else "", share, names, o])
            data.append([mun, org, name, position, year, s, approved, credited, done, total, share, names, o])
            n += 1
    wb.save(path)
    return n


def main() -> int:
    _setup_django()
    from django.db import connection

    from core.dates import academic_year_bounds
    from reports.builders import ReportParams
    from reports.builders.coverage import CoverageReport
    from reports.builders.registry import RegistryReport
    from reports.selectors.coverage import coverage_table
    from reports.selectors.registry import registry_queryset, registry_sorted
    from routes.models import Route
    from schools.models import Organisation

    print(f"Генерация данных: {SCHOOLS} школ и {STAFF} сотрудников; реестр {REGISTRY_ROUTES} ИОМ…", flush=True)
    started = time.perf_counter()
    town, big = _generate(random.Random(1))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"  готово за {time.perf_counter() - started:.1f} с", flush=True)
    ok = True

    # --- Table 1
    schools = Organisation.objects.filter(municipality=town, kind__in=["СОШ", "ООШ", "Лицей", "Гимназия"])
    start, _ = academic_year_bounds(YEARS[0])
    mid, end = academic_year_bounds(YEARS[1])
    params = {"m": town.pk, "start": start, "mid": mid, "end": end}

    def raw_table1():
        with connection.cursor() as cur:
            cur.execute(TABLE1_SQL, params)
            return cur.fetchall()

    orm_rows = coverage_table(schools, YEARS).rows
    raw_rows = raw_table1()
    same = [(r.name, r.staff, r.deputies, r.registered_teachers, r.registered_deputies, *r.credited[0], *r.credited[1],
             r.with_route) for r in orm_rows] == [tuple(x) for x in raw_rows]
    t_orm = _median(lambda: coverage_table(schools, YEARS).rows, runs=9, warm=2)
    t_sql = _median(raw_table1, runs=9, warm=2)
    report_params = ReportParams.from_dict({"municipality_id": town.pk, "years": YEARS})
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "t1.xlsx"

        def coverage_xlsx():
            with out.open("wb") as handle:
                CoverageReport(report_params).render("xlsx", handle)

        t_xlsx = _median(coverage_xlsx, runs=3)
    ratio = t_orm / t_sql
    ok &= same and ratio <= TARGET_RATIO
    print(f"\nТаблица 1, {SCHOOLS} школ / {STAFF} сотрудников (одинаковые числа: {'да' if same else 'НЕТ'}):")
    print(f"  селектор (ORM): {t_orm * 1000:.1f} мс; SQL вручную: {t_sql * 1000:.1f} мс; отношение {ratio:.2f}× "
          f"(цель ≤ {TARGET_RATIO}×) {'OK' if ratio <= TARGET_RATIO else 'ПРЕВЫШЕНО'}")
    print(f"  весь отчет coverage в XLSX: {t_xlsx * 1000:.0f} мс")

    # --- the registry export
    rows = registry_sorted(registry_queryset(Route.objects.filter(organisation__municipality=big)), "municipality")
    count = rows.count()
    with tempfile.TemporaryDirectory() as tmp:
        portal_path, raw_path = Path(tmp) / "portal.xlsx", Path(tmp) / "raw.xlsx"

        def portal_export():
            with portal_path.open("wb") as handle:
                RegistryReport(ReportParams(), queryset=rows).render("xlsx", handle)

        def raw_export():
            _raw_registry_export(big.pk, str(raw_path))

        mem_portal = _peak_mb(portal_export)
        mem_raw = _peak_mb(raw_export)
        t_portal = _median(portal_export, runs=3, warm=0)
        t_raw = _median(raw_export, runs=3, warm=0)
        sizes = portal_path.stat().st_size / 1e6, raw_path.stat().st_size / 1e6
    ratio = t_portal / t_raw
    mem_ok = mem_portal < TARGET_MEMORY_MB
    ok &= ratio <= TARGET_EXPORT_RATIO and mem_ok
    print(f"\nРеестр ИОМ, {count} строк, XLSX (лист для людей + «Данные»):")
    print(f"  портал: {t_portal:.1f} с, память сверх занятой до выгрузки {mem_portal:.0f} МБ, файл {sizes[0]:.1f} МБ")
    print(f"  psycopg + openpyxl вручную: {t_raw:.1f} с, память {mem_raw:.0f} МБ, файл {sizes[1]:.1f} МБ")
    print(f"  отношение времени {ratio:.2f}× (цель ≤ {TARGET_EXPORT_RATIO}×) "
          f"{'OK' if ratio <= TARGET_EXPORT_RATIO else 'ПРЕВЫШЕНО'}; "
          f"память {'OK' if mem_ok else 'ПРЕВЫШЕНА'} (цель < {TARGET_MEMORY_MB} МБ)")
    connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
