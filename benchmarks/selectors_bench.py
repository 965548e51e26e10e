"""Each dashboard figure through its selector against hand-written SQL of the same figure (≤ 2×).

Both sides run on the same bench database and must return the same numbers: a row whose
figures differ is marked as failed whatever the times. The SQL is what a person would write
by hand for PostgreSQL (CTEs, FILTER, EXISTS); it is the floor the ORM is held to. Scopes:
the first municipality of L (about 830 staff) and the whole region of L (50,000 staff).
"""

from dataclasses import dataclass

from benchmarks.common import Bench, median_time, ratio, use_size

EDU = ("ДОО", "УДО")
# Route.IMPLEMENTING_STATUSES and Organisation.SCHOOL_KINDS spelled out, as a hand-written query would.
IMPLEMENTING = ["in_progress", "expired", "results_submitted", "completed", "archived"]
SCHOOLS = ["СОШ", "ООШ", "Лицей", "Гимназия"]
BASE = ("s.status = 'working' AND s.is_main_position AND (s.position_category IN ('teacher', 'deputy') "
        "OR (s.position_category = 'educator' AND o.kind IN ('ДОО', 'УДО')))")
TEACH = "(s.position_category = 'teacher' OR (s.position_category = 'educator' AND o.kind IN ('ДОО', 'УДО')))"
# IMPLEMENTATION_BUCKETS of reports.selectors.implementation over (done, total), in integers.
BUCKETS_SQL = {
    "impl_100": "total > 0 AND done = total",
    "impl_70": "done < total AND done * 100 >= total * 70",
    "impl_50": "done * 100 < total * 70 AND done * 100 >= total * 50",
    "impl_lt50": "(done * 100 < total * 50 OR total = 0)",
}


# routes.selectors.spans_year_q: a route counts in every academic year its period meets; undated by its year.
SPANS = ("((r.starts_on <= %(ye)s AND r.ends_on >= %(ys)s) "
         "OR ((r.starts_on IS NULL OR r.ends_on IS NULL) AND r.academic_year = %(y)s))")


def spans_params(year: str) -> dict:
    from core.dates import academic_year_bounds

    ys, ye = academic_year_bounds(year)
    return {"y": year, "ys": ys, "ye": ye}


def sql(query: str, params) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


@dataclass
class Case:
    name: str
    selector: object  # () -> comparable figures
    hand: object  # () -> comparable figures


# --------------------------------------------------------------------------- coverage (Table 1)

def coverage_selector(orgs, years):
    from reports.selectors.coverage import coverage_table

    t = coverage_table(orgs, years)
    # Sorted: at region scope schools of different municipalities tie on (order, short name).
    rows = sorted((r.name, r.staff, r.deputies, r.registered_teachers, r.registered_deputies, tuple(r.credited),
                   r.with_route) for r in t.rows)
    return rows, [(n.organisation, n.count) for n in t.not_credited_last_year], \
        [(n.organisation, n.count) for n in t.deputies_without_route]


def coverage_hand(municipality_ids, years):
    from core.dates import academic_year_bounds

    (y0s, y0e), (y1s, y1e) = (academic_year_bounds(y) for y in years)
    rows = sql(f"""
        WITH o AS (SELECT id, short_name, "order", kind FROM schools_organisation WHERE municipality_id = ANY(%(m)s)),
        st AS (
            SELECT s.organisation_id AS oid,
                   count(*) FILTER (WHERE {BASE}) AS staff,
                   count(*) FILTER (WHERE {BASE} AND s.position_category = 'deputy') AS deputies,
                   count(*) FILTER (WHERE {BASE} AND {TEACH} AND u.is_active) AS reg_t,
                   count(*) FILTER (WHERE {BASE} AND s.position_category = 'deputy' AND u.is_active) AS reg_d,
                   count(*) FILTER (WHERE {BASE} AND EXISTS (
                       SELECT 1 FROM routes_route r WHERE r.person_id = s.id
                       AND r.credited_on BETWEEN %(ps)s AND %(pe)s)) AS with_route
            FROM schools_staffmember s JOIN o ON o.id = s.organisation_id
            LEFT JOIN auth_user u ON u.id = s.user_id
            GROUP BY s.organisation_id),
        cr AS (
            SELECT r.organisation_id AS oid,
                   count(*) FILTER (WHERE r.credited_on BETWEEN %(y0s)s AND %(y0e)s AND {TEACH}) AS c0t,
                   count(*) FILTER (WHERE r.credited_on BETWEEN %(y0s)s AND %(y0e)s
                                    AND s.position_category = 'deputy') AS c0d,
                   count(*) FILTER (WHERE r.credited_on BETWEEN %(y1s)s AND %(y1e)s AND {TEACH}) AS c1t,
                   count(*) FILTER (WHERE r.credited_on BETWEEN %(y1s)s AND %(y1e)s
                                    AND s.position_category = 'deputy') AS c1d
            FROM routes_route r JOIN o ON o.id = r.organisation_id JOIN schools_staffmember s ON s.id = r.person_id
            WHERE r.credited_on BETWEEN %(ps)s AND %(pe)s
            GROUP BY r.organisation_id)
        SELECT o.short_name, coalesce(st.staff, 0), coalesce(st.deputies, 0), coalesce(st.reg_t, 0),
               coalesce(st.reg_d, 0), coalesce(cr.c0t, 0), coalesce(cr.c0d, 0), coalesce(cr.c1t, 0),
               coalesce(cr.c1d, 0), coalesce(st.with_route, 0)
        FROM o LEFT JOIN st ON st.oid = o.id LEFT JOIN cr ON cr.oid = o.id
        ORDER BY o."order", o.short_name""",  # noqa: S608  (constant fragments, values are parameters)
        {"m": municipality_ids, "ps": y0s, "pe": y1e, "y0s": y0s, "y0e": y0e, "y1s": y1s, "y1e": y1e})
    not_credited = sql(f"""
        SELECT o.short_name, count(*) FROM routes_route r JOIN schools_organisation o ON o.id = r.organisation_id
        WHERE o.municipality_id = ANY(%(m)s) AND {SPANS} AND r.status = 'not_credited'
        GROUP BY o.short_name ORDER BY count(*) DESC, o.short_name""",  # noqa: S608  (constant fragments)
        {"m": municipality_ids, **spans_params(years[-1])})
    without = sql(f"""
        SELECT o.short_name, count(*) FROM schools_staffmember s
        JOIN schools_organisation o ON o.id = s.organisation_id JOIN auth_user u ON u.id = s.user_id
        WHERE o.municipality_id = ANY(%s) AND {BASE} AND s.position_category = 'deputy' AND u.is_active
          AND NOT EXISTS (SELECT 1 FROM routes_route r WHERE r.person_id = s.id AND r.status <> 'withdrawn')
        GROUP BY o.short_name ORDER BY count(*) DESC, o.short_name""",  # noqa: S608
        [municipality_ids])
    return (sorted((r[0], r[1], r[2], r[3], r[4], ((r[5], r[6]), (r[7], r[8])), r[9]) for r in rows),
            [tuple(r) for r in not_credited], [tuple(r) for r in without])


# --------------------------------------------------------------------------- audit (seed 001)

def audit_selector(orgs, cohort):
    from reports.selectors.audit import audit_figures

    a = audit_figures(orgs, cohort)
    return (a.developed, a.dismissed, [(f.code, f.count) for f in a.groups], [(f.code, f.count) for f in a.buckets],
            a.organisations_implementing, a.organisations_total, len(a.low))


def audit_hand(municipality_ids, cohort):
    from core.dates import academic_year_bounds
    from reports.selectors.audit import AUDIT_GROUPS

    start, end = academic_year_bounds(cohort)
    group_columns = ", ".join(
        f"count(*) FILTER (WHERE a.kind_code = ANY(%(g_{code})s) AND a.is_done) AS g_{code}"
        for code, _l, _k in AUDIT_GROUPS)
    people_sql = f"""
        WITH o AS (SELECT id FROM schools_organisation WHERE municipality_id = ANY(%(m)s)),
        a AS (SELECT r.person_id, act.is_done, k.code AS kind_code
              FROM routes_route r JOIN o ON o.id = r.organisation_id
              JOIN routes_roadmapactivity act ON act.route_id = r.id JOIN routes_activitykind k ON k.id = act.kind_id
              WHERE r.approved_on BETWEEN %(s)s AND %(e)s AND r.status = ANY(%(audited)s)),
        p AS (SELECT s.id, s.status, count(a.person_id) FILTER (WHERE a.is_done) AS done,
                     count(a.person_id) AS total, {group_columns}
              FROM schools_staffmember s LEFT JOIN a ON a.person_id = s.id
              WHERE EXISTS (SELECT 1 FROM routes_route r JOIN o ON o.id = r.organisation_id
                            WHERE r.person_id = s.id AND r.approved_on BETWEEN %(s)s AND %(e)s
                              AND r.status = ANY(%(audited)s))
              GROUP BY s.id, s.status)
    """  # noqa: S608  (constant fragments, values are parameters)
    aggregates = ", ".join(
        [f"count(*) FILTER (WHERE status <> 'dismissed' AND g_{code} > 0)" for code, _l, _k in AUDIT_GROUPS]
        + [f"count(*) FILTER (WHERE status <> 'dismissed' AND {cond})" for cond in BUCKETS_SQL.values()])
    params = {"m": municipality_ids, "s": start, "e": end, "audited": IMPLEMENTING + ["withdrawn"]}
    params.update({f"g_{code}": kinds for code, _l, kinds in AUDIT_GROUPS})
    row = sql(people_sql + f"SELECT count(*), count(*) FILTER (WHERE status = 'dismissed'), {aggregates} FROM p",
              params)[0]
    low = sql(people_sql + f"""SELECT s.last_name FROM p JOIN schools_staffmember s ON s.id = p.id
              JOIN schools_organisation org ON org.id = s.organisation_id
              WHERE p.status <> 'dismissed' AND {BUCKETS_SQL['impl_lt50']}
              ORDER BY org."order", org.short_name, s.last_name, s.first_name""", params)
    implementing, total = sql("""
        SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM routes_route r WHERE r.organisation_id = o.id
                   AND r.approved_on BETWEEN %s AND %s AND r.status = ANY(%s))), count(*)
        FROM schools_organisation o WHERE o.municipality_id = ANY(%s) AND o.kind = ANY(%s)""",
        [start, end, IMPLEMENTING, municipality_ids, SCHOOLS])[0]
    n_groups = len(AUDIT_GROUPS)
    return (row[0], row[1], [(code, row[2 + i]) for i, (code, _l, _k) in enumerate(AUDIT_GROUPS)],
            [(code, row[2 + n_groups + i]) for i, code in enumerate(BUCKETS_SQL)], implementing, total, len(low))


# --------------------------------------------------------------------------- dashboards

def status_selector(orgs, year):
    from reports.selectors.dashboards import route_status_counts

    return [(code, n) for code, _label, n in route_status_counts(orgs, year)]


def status_hand(municipality_ids, year):
    from routes.models import Route

    counts = dict(sql("""SELECT r.status, count(*) FROM routes_route r
                         JOIN schools_organisation o ON o.id = r.organisation_id
                         WHERE o.municipality_id = ANY(%s) AND r.academic_year = %s GROUP BY r.status""",
                      [municipality_ids, year]))
    return [(code, counts.get(code, 0)) for code, _label in Route.Status.choices]


def buckets_selector(orgs, year):
    from reports.selectors.implementation import implementation_buckets

    return [(f.code, f.count, f.base) for f in implementation_buckets(orgs, year)]


def buckets_hand(municipality_ids, year):
    conditions = ", ".join(f"count(*) FILTER (WHERE {c})" for c in BUCKETS_SQL.values())
    row = sql(f"""
        WITH r AS (SELECT r.id, count(a.id) AS total, count(a.id) FILTER (WHERE a.is_done) AS done
                   FROM routes_route r JOIN schools_organisation o ON o.id = r.organisation_id
                   LEFT JOIN routes_roadmapactivity a ON a.route_id = r.id
                   WHERE o.municipality_id = ANY(%(m)s) AND {SPANS} AND r.status = ANY(%(st)s)
                   GROUP BY r.id)
        SELECT count(*), {conditions} FROM r""",  # noqa: S608  (constant fragments)
        {"m": municipality_ids, "st": IMPLEMENTING, **spans_params(year)})[0]
    return [(code, row[1 + i], row[0]) for i, code in enumerate(BUCKETS_SQL)]


# Route.APPROVED_STATUSES spelled out, as a hand-written query would (the region's and iom_share's numerator)
APPROVED = ["awaiting_credit", "not_credited", "in_progress", "results_submitted", "completed", "archived"]


def region_selector(municipalities, years):
    from reports.selectors.dashboards import region_rows

    return [(r.municipality.name, r.staff, r.with_route, r.routes_year, r.credited_year)
            for r in region_rows(municipalities, years)]


def region_hand(region_id, years):
    from core.dates import academic_year_bounds
    from reports.selectors.common import period_bounds

    start, end = period_bounds(years)
    ys, ye = academic_year_bounds(years[-1])
    rows = sql(f"""
        WITH st AS (SELECT o.municipality_id AS mid, count(*) AS staff,
                           count(*) FILTER (WHERE EXISTS (SELECT 1 FROM routes_route r WHERE r.person_id = s.id
                                            AND r.status = ANY(%(approved)s)
                                            AND r.approved_on BETWEEN %(s)s AND %(e)s)) AS with_route
                    FROM schools_staffmember s JOIN schools_organisation o ON o.id = s.organisation_id
                    WHERE {BASE} GROUP BY o.municipality_id),
             rt AS (SELECT o.municipality_id AS mid, count(*) FILTER (WHERE r.academic_year = %(y)s) AS routes,
                           count(*) FILTER (WHERE r.credited_on BETWEEN %(ys)s AND %(ye)s) AS credited
                    FROM routes_route r JOIN schools_organisation o ON o.id = r.organisation_id
                    GROUP BY o.municipality_id)
        SELECT m.name, coalesce(st.staff, 0), coalesce(st.with_route, 0), coalesce(rt.routes, 0),
               coalesce(rt.credited, 0)
        FROM schools_municipality m LEFT JOIN st ON st.mid = m.id LEFT JOIN rt ON rt.mid = m.id
        WHERE m.region_id = %(r)s ORDER BY m.name""",  # noqa: S608  (constant fragments)
        {"s": start, "e": end, "y": years[-1], "ys": ys, "ye": ye, "r": region_id, "approved": APPROVED})
    return [tuple(r) for r in rows]


def iom_share_selector(orgs, years):
    from reports.selectors.indicators import iom_share

    fact = iom_share(orgs, years)
    return fact.numerator, fact.denominator


def iom_share_hand(municipality_ids, years):
    from reports.selectors.common import period_bounds

    start, end = period_bounds(years)
    return tuple(sql(f"""
        SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM routes_route r WHERE r.person_id = s.id
                   AND r.status = ANY(%s) AND r.approved_on BETWEEN %s AND %s)), count(*)
        FROM schools_staffmember s JOIN schools_organisation o ON o.id = s.organisation_id
        WHERE o.municipality_id = ANY(%s) AND {BASE}""",  # noqa: S608  (constant fragments)
        [APPROVED, start, end, municipality_ids])[0])


def cases() -> list[Case]:
    from core.dates import current_academic_year, last_completed_academic_years
    from schools.models import Municipality, Organisation

    years = last_completed_academic_years(2)
    current = current_academic_year()
    first = Municipality.objects.order_by("pk").first()
    region_id = first.region_id
    all_ids = list(Municipality.objects.filter(region_id=region_id).values_list("pk", flat=True))
    one, region = [first.pk], all_ids
    orgs_one = Organisation.objects.filter(municipality=first)
    orgs_region = Organisation.objects.filter(municipality__region_id=region_id)
    return [
        Case("Таблица 1, муниципалитет", lambda: coverage_selector(orgs_one, years), lambda: coverage_hand(one, years)),
        Case("Таблица 1, регион", lambda: coverage_selector(orgs_region, years), lambda: coverage_hand(region, years)),
        Case("аудит, муниципалитет", lambda: audit_selector(orgs_one, years[-1]), lambda: audit_hand(one, years[-1])),
        Case("аудит, регион", lambda: audit_selector(orgs_region, years[-1]), lambda: audit_hand(region, years[-1])),
        Case("статусы ИОМ, регион", lambda: status_selector(orgs_region, current),
             lambda: status_hand(region, current)),
        Case("реализация ИОМ, муниципалитет", lambda: buckets_selector(orgs_one, current),
             lambda: buckets_hand(one, current)),
        Case("реализация ИОМ, регион", lambda: buckets_selector(orgs_region, current),
             lambda: buckets_hand(region, current)),
        Case("муниципалитеты региона", lambda: region_selector(Municipality.objects.filter(region_id=region_id), years),
             lambda: region_hand(region_id, years)),
        Case("доля с ИОМ, регион", lambda: iom_share_selector(orgs_region, years), lambda: iom_share_hand(region, years)),
    ]


def run(bench: Bench) -> None:
    use_size("L")
    for case in cases():
        same = case.selector() == case.hand()
        selector = median_time(case.selector, runs=bench.runs)
        hand = median_time(case.hand, runs=bench.runs)
        r = ratio(selector.median, hand.median)
        bench.add("сводки: селектор/SQL", case.name, "L, селектор/SQL", r,
                  detail=f"селектор {selector.ms} мс, SQL {hand.ms} мс" + ("" if same else "; ЦИФРЫ РАСХОДЯТСЯ"),
                  target="≤ 2, цифры совпадают", ok=same and r is not None and r <= 2,
                  selector_ms=selector.ms, sql_ms=hand.ms, same=same)
