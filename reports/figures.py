"""The reports' figures in the registry (core.figures): Table 1, the indicators, the dashboards' own, the audit.

Each entry points at the one selector of reports.selectors that computes it; the dashboards, the XLSX/PDF/DOCX
builders and the API read it by code. Two different quantities have two names: Table 1's share
(`coverage_share`: schools only, credited routes) and the regional indicator (`iom_share`: every organisation,
approved routes) — see docs/figures-decisions.md.
"""

from core.figures import Figure, Part
from reports.selectors import audit, coverage, dashboards, implementation, indicators
from routes.figures import SPANNING

STAFF = ("сотрудники базы (работают, по основной должности, педагоги и заместители директора; воспитатели "
         "считаются педагогами только в ДОО и УДО; без декретников)")
STAFF_ = STAFF[0].upper() + STAFF[1:]
SCHOOLS = "школ (СОШ, ООШ, лицеи, гимназии)"


def _fact(fact) -> tuple[int, int]:
    return fact.numerator, fact.denominator


def _coverage_total(organisations, period):
    return coverage.coverage_table(organisations.filter(kind__in=coverage.SCHOOL_KINDS), list(period.years)).total


# Table 1's cards: (count, base) from its total row, so a page that has the table reads them without recounting
TABLE_FIGURES = {
    "coverage_staff": lambda t: (t.staff, None),
    "coverage_registered": lambda t: (t.registered, t.staff),
    "coverage_credited": lambda t: (t.period_teachers + t.period_deputies, None),
    "coverage_share": lambda t: (t.with_route, t.staff),
}


def _table_figure(code: str):
    return lambda organisations, period: TABLE_FIGURES[code](_coverage_total(organisations, period))


def coverage_values(table, period) -> dict:
    """The registry's Table 1 figures from a coverage_table already counted (the dashboard, the analytical report)."""
    from core.figures import Value, get

    return {code: Value(code, get(code).name, *pick(table.total), period, get(code).unit)
            for code, pick in TABLE_FIGURES.items()}


def _statuses(organisations, period) -> list[Part]:
    return [Part(code, label, n) for code, label, n in dashboards.route_status_counts(organisations, period.years[-1])]


def _buckets(organisations, period) -> list[Part]:
    return [Part(f.code, f.label, f.count, f.base)
            for f in implementation.implementation_buckets(organisations, period.years[-1])]


def _audit(organisations, period) -> list[Part]:
    return [Part(f.code, str(f.label), f.count, f.base)
            for f in audit.audit_figures(organisations, period.years[0]).data_rows]


def _region_routes(organisations, period) -> tuple[int, None]:
    return dashboards.routes_of_year(organisations, period.years[-1]), None


def _region_credited(organisations, period) -> tuple[int, None]:
    return dashboards.routes_credited_in_year(organisations, period.years[-1]), None


IOM_SHARE_VS_COVERAGE = (
    "«Доля с ИОМ, получившими зачет» считается по школам и по зачтенным ИОМ (Таблица 1 аналитической справки ММЦ); "
    "региональный показатель «Доля педагогических работников, для которых разработаны ИОМ» — по всем организациям и по утвержденным ИОМ (показатель регионального проекта), поэтому за тот же "
    "период он другой."
)

FIGURES = [
    Figure(
        "coverage_share", "Доля с ИОМ, получившими зачет",
        f"{STAFF_} {SCHOOLS} муниципалитета, у которых есть ИОМ с датой зачета в выбранных учебных "
        f"годах, ÷ сотрудники базы этих школ (Таблица 1 аналитической справки ММЦ).",
        lambda orgs, period: coverage.coverage_share(orgs, list(period.years)),
        differs_from=IOM_SHARE_VS_COVERAGE, app="reports"),
    Figure(
        "coverage_staff", "Сотрудники базы школ",
        f"{STAFF_} {SCHOOLS} на дату отчета (знаменатель Таблицы 1).",
        _table_figure("coverage_staff"), unit="count", app="reports"),
    Figure(
        "coverage_registered", "Зарегистрированы на портале",
        f"{STAFF_} {SCHOOLS} с действующей учетной записью портала ÷ сотрудники базы этих школ.",
        _table_figure("coverage_registered"), unit="count", app="reports"),
    Figure(
        "coverage_credited", "ИОМ зачтено за период",
        f"ИОМ педагогов и завучей {SCHOOLS}, дата зачета которых приходится на выбранные учебные годы (сумма по годам "
        f"Таблицы 1; один человек с двумя зачтенными ИОМ считается дважды).",
        _table_figure("coverage_credited"), unit="count", app="reports"),
    Figure(
        "iom_share", "Доля педагогических работников, для которых разработаны ИОМ",
        f"{STAFF_} всех организаций (школы, ДОО, УДО), у которых есть ИОМ, утвержденный (или дальше) с "
        f"датой утверждения в выбранных учебных годах, ÷ сотрудники базы всех организаций (региональный показатель, "
        f"цель ≥ 10 %).",
        lambda orgs, period: _fact(indicators.iom_share(orgs, list(period.years))),
        differs_from=IOM_SHARE_VS_COVERAGE, app="reports"),
    Figure(
        "registry_courses_share", "Доля педагогических работников, освоивших ДПО по выявленным дефицитам",
        f"{STAFF_} всех организаций с выполненным мероприятием «курсы» (КПК), привязанным к дефициту, "
        f"выполненным в выбранных учебных годах, ÷ сотрудники базы (региональный показатель, цель ≥ 30 %).",
        lambda orgs, period: _fact(indicators.registry_courses_share(orgs, list(period.years))),
        differs_from="аудит (audit, группа courses) считает любые выполненные КПК в ИОМ когорты, "
                     "не только привязанные к дефициту, и над базой аудита.", app="reports"),
    Figure(
        "young_supported_share", "Доля молодых педагогов с наставником",
        "Сотрудники базы — молодые специалисты (на дату моложе 35 лет и со стажем меньше 3 лет, оба условия), "
        "которые на дату наставляемые в действующей паре наставничества или имеют мероприятие «наставничество» в ИОМ, "
        "÷ такие сотрудники.",
        lambda orgs, period: _fact(indicators.young_supported_share(orgs, period.on)),
        period_kind="day", app="reports"),
    Figure(
        "mentoring_schools_share", "Доля школ с наставническими парами",
        f"Школы ({SCHOOLS[5:-1]}), где на дату действует хотя бы одна пара наставничества, ÷ все такие школы.",
        lambda orgs, period: _fact(indicators.mentoring_schools_share(orgs, period.on)),
        period_kind="day", app="reports"),
    Figure(
        "school_route_share", "Доля сотрудников с ИОМ учебного года",
        f"{STAFF_} организации, у которых есть ИОМ в любом статусе, кроме отозванного (в том числе черновик), "
        f"÷ сотрудники базы (дашборд школы: кто еще без ИОМ); {SPANNING[0].lower()}{SPANNING[1:]}.",
        lambda orgs, period: dashboards.route_year_share(orgs, period.years[-1]), period_kind="year",
        differs_from="в coverage_share и iom_share числитель — только зачтенные или утвержденные ИОМ.",
        app="reports"),
    Figure(
        "assessed_share", "Прошли диагностику за год",
        f"{STAFF_} организации, у которых есть результат диагностики профессиональных дефицитов с датой в выбранном "
        f"учебном году, ÷ сотрудники базы.",
        lambda orgs, period: dashboards.assessed_share(orgs, period.years[-1]), period_kind="year", app="reports"),
    Figure(
        "attested_share", "Прошли аттестацию за год",
        f"{STAFF_} организации с датой аттестации в выбранном учебном году ÷ сотрудники базы.",
        lambda orgs, period: dashboards.attested_share(orgs, period.years[-1]), period_kind="year",
        differs_from="аудит (группа attestation) считает аттестацию как мероприятие ИОМ когорты.", app="reports"),
    Figure(
        "route_statuses", "ИОМ по статусам",
        f"{SPANNING} — в организациях, по их статусу сейчас (каждый ИОМ в одном статусе; "
        "«Срок истек» — отдельной строкой).",
        _statuses, unit="count", period_kind="year", app="reports"),
    Figure(
        "implementation", "Выполнение ИОМ",
        f"{SPANNING} — те, что реализуются или дальше (в том числе «Срок истек»), по доле "
        "выполненных мероприятий от всех мероприятий дорожной карты: 100 %, 70–99 %, 50–69 %, меньше 50 % (база — все такие ИОМ).",
        _buckets, unit="count", period_kind="year", app="reports"),
    Figure(
        "region_routes_year", "ИОМ учебного года",
        f"ИОМ всех организаций муниципалитета в любом статусе; {SPANNING[0].lower()}{SPANNING[1:]} (выбранный — последний).",
        _region_routes, unit="count", period_kind="year", app="reports"),
    Figure(
        "region_credited_year", "Зачтено в учебном году",
        "ИОМ всех организаций муниципалитета с датой зачета в выбранном (последнем) учебном году.",
        _region_credited, unit="count", period_kind="year", app="reports"),
    Figure(
        "audit", "Внутренний аудит реализации ИОМ",
        "Люди с ИОМ, утвержденным в учебном году когорты и перешедшим к реализации (реализуется и дальше, "
        "или отозван после; ИОМ на проверке и не зачтенные не входят) — разработали, из них уволенные; доли — "
        "над базой = разработали − уволены: выполнили хотя бы одно мероприятие группы (курсы — любые КПК ИОМ "
        "когорты), выполнение ИОМ когорты по доле выполненных мероприятий; доля организаций, реализующих ИОМ, — "
        "только над общеобразовательными организациями (без ДОО и УДО).",
        _audit, unit="count", period_kind="cohort", app="reports"),
]
