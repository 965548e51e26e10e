"""Seed 001 in the demo: a city whose cohort of routes, counted by the audit (reports.selectors.audit),
gives the figures of the city's internal-audit letter.

Nothing here is random. The counts are the seed's (docs/seeds/README.md: every share over the 284
who still work): each audit group is a list of per-person flags with exactly that many set, spread
over the cohort by a fixed permutation; each implementation bucket fixes how many of a person's
activities are left undone. People's ages, experience and categories are derived from their
index, so they agree with each other (an attested person has the category the attestation gave,
on its date). The routes are loaded as a registry file of the cohort year would load them
(`imported_from`), with their lifecycle dates in causal order inside that year.

Mentoring is recorded as mentoring activities and methodics.MentoringPair rows only.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from core.dates import academic_year_bounds
from devdata.demo import FEMALE_NAMES, MALE_NAMES, PATRONYMICS, SURNAMES
from devdata.demo_diagnostics import Diagnostics, Theme
from diagnostics.models import CompetencyGroup
from methodics.models import MentoringPair
from routes.catalog.data import CATALOG
from routes.models import ActivityKind, CatalogResource, Evidence, Level, RoadmapActivity, Route, Transition
from schools.models import Municipality, Organisation, Region, StaffMember, position_category_of

CITY = "город Минусинск"
CITY_CENTRE = "МКУ «Центр развития образования и оценки качества»"
CITY_PLACE = "г. Минусинск"

# (short name, kind, people with a cohort route, of them dismissed since). 320 developed, 36 dismissed.
SCHOOLS = [
    ("МБОУ гимназия № 1", Organisation.Kind.GYMNASIUM, 34, 4),
    ("МБОУ-СОШ № 2", Organisation.Kind.SOSH, 28, 3),
    ("МАОУ лицей № 3", Organisation.Kind.LYCEUM, 30, 3),
    ("МБОУ-СОШ № 4", Organisation.Kind.SOSH, 26, 3),
    ("МБОУ-СОШ № 5", Organisation.Kind.SOSH, 24, 3),
    ("МБОУ-СОШ № 6", Organisation.Kind.SOSH, 22, 3),
    ("МБОУ-ООШ № 7", Organisation.Kind.OOSH, 14, 2),
    ("МБОУ-СОШ № 9", Organisation.Kind.SOSH, 26, 3),
    ("МБОУ-СОШ № 12", Organisation.Kind.SOSH, 24, 3),
    ("МБОУ-СОШ № 16", Organisation.Kind.SOSH, 28, 3),
    ("МБОУ-СОШ № 19", Organisation.Kind.SOSH, 26, 3),
    ("МБОУ-СОШ № 23", Organisation.Kind.SOSH, 38, 3),
]
FULL_NAMES = {
    Organisation.Kind.GYMNASIUM: "Муниципальное бюджетное общеобразовательное учреждение гимназия № {n}",
    Organisation.Kind.LYCEUM: "Муниципальное автономное общеобразовательное учреждение лицей № {n}",
    Organisation.Kind.OOSH: "Муниципальное бюджетное общеобразовательное учреждение основная общеобразовательная "
                            "школа № {n}",
    Organisation.Kind.SOSH: "Муниципальное бюджетное общеобразовательное учреждение средняя общеобразовательная "
                            "школа № {n}",
}

# The seed's figures over the 284 who still work (79,2 % = 225 …).
GROUP_COUNTS = {"courses": 225, "events": 281, "attestation": 75, "experience": 252, "contests": 87,
                "publications": 108, "mentoring": 146, "expert": 115}
BUCKET_COUNTS = {"impl_100": 127, "impl_70": 136, "impl_50": 13, "impl_lt50": 8}
# The eight under 50 %, all in the three schools the letter names: (school, done groups, undone activities).
LOW = [
    ("МБОУ гимназия № 1", ("courses", "events"), 3),
    ("МБОУ гимназия № 1", ("events",), 2),
    ("МБОУ гимназия № 1", ("courses", "events", "experience"), 4),
    ("МБОУ-СОШ № 2", ("events",), 3),
    ("МБОУ-СОШ № 2", ("courses",), 2),
    ("МБОУ-СОШ № 2", ("events", "publications"), 3),
    ("МБОУ-СОШ № 23", (), 3),
    ("МБОУ-СОШ № 23", ("events", "experience"), 3),
]
# A fixed permutation per group: person j (of n) is flagged when (j × step + offset) mod n < count.
STEPS = {"courses": (7, 3), "events": (11, 40), "attestation": (13, 5), "experience": (17, 90), "contests": (19, 21),
         "publications": (25, 60), "mentoring": (5, 11), "expert": (29, 150)}

GROUP_KINDS = {
    "courses": ["course"], "events": ["seminar", "webinar", "conference"], "attestation": ["attestation"],
    "experience": ["open_lesson", "master_class", "experience"], "contests": ["contest", "olympiad"],
    "publications": ["publication"], "mentoring": ["mentoring"], "expert": ["expert"],
}
# Competency group of the roadmap, level, confirming document, by activity kind.
KIND_PLACE = {
    "course": ("subject", Level.REGIONAL, "удостоверение о повышении квалификации"),
    "seminar": ("methodical", Level.MUNICIPAL, "сертификат участника"),
    "webinar": ("psycho_pedagogical", Level.FEDERAL, "сертификат участника"),
    "conference": ("methodical", Level.MUNICIPAL, "программа конференции, тезисы"),
    "attestation": ("professional_personal", Level.REGIONAL, "приказ министерства образования об установлении категории"),
    "open_lesson": ("methodical", Level.SCHOOL, "конспект урока, лист наблюдения"),
    "master_class": ("methodical", Level.MUNICIPAL, "программа мастер-класса"),
    "experience": ("methodical", Level.MUNICIPAL, "справка о выступлении"),
    "contest": ("professional_personal", Level.MUNICIPAL, "диплом или сертификат участника"),
    "olympiad": ("subject", Level.REGIONAL, "сертификат участника"),
    "publication": ("professional_personal", Level.MUNICIPAL, "ссылка на публикацию"),
    "mentoring": ("professional_personal", Level.SCHOOL, "план работы пары, отзыв наставляемого"),
    "expert": ("professional_personal", Level.MUNICIPAL, "приказ о составе комиссии (жюри)"),
    "self_education": ("subject", Level.SCHOOL, "конспект, подборка материалов"),
    "rmo": ("methodical", Level.SCHOOL, "протокол заседания ШМО"),
    "internship": ("psycho_pedagogical", Level.MUNICIPAL, "отчет о стажировке"),
}
EXTRA_TITLES = {
    "seminar": ["Городской семинар «Формирующее оценивание на уроке»",
                "Семинар ЦРО «Смысловое чтение в основной школе»"],
    "webinar": ["Вебинар Академии Минпросвещения «Рабочие программы по ФОП: типичные ошибки»"],
    "conference": ["Краевая научно-практическая конференция «Современный урок: практики и результаты»"],
    "attestation": ["Аттестация на квалификационную категорию (портфолио, экспертиза практики)"],
    "open_lesson": ["Открытый урок на городском методическом дне", "Открытый урок по теме самообразования для ШМО"],
    "master_class": ["Мастер-класс на городском методическом объединении учителей-предметников"],
    "experience": ["Выступление на городском методическом объединении с обобщением опыта",
                   "Представление опыта на муниципальной конференции «Практики сопровождения педагогов»"],
    "contest": ["Городской конкурс методических разработок «Мой лучший урок»", "Конкурс «Цифровой урок» (краевой этап)"],
    "olympiad": ["Всероссийская олимпиада педагогов по предмету (отборочный этап)"],
    "publication": ["Публикация методической разработки урока на сайте ЦРО",
                    "Статья в сборнике материалов муниципальной педагогической конференции",
                    "Публикация рабочей программы курса внеурочной деятельности в сетевом издании (СМИ)"],
    "expert": ["Работа в составе жюри муниципального этапа ВсОШ", "Эксперт предметной комиссии ОГЭ",
               "Экспертиза рабочих программ в составе методического совета школы"],
    "rmo": ["Выступление на заседании ШМО по теме самообразования"],
    "internship": ["Стажировка на базе МАОУ лицей № 3 «Проектная деятельность обучающихся»"],
}
MENTORING_TITLES = {
    "mentor": "Наставничество: сопровождение молодого педагога (целевая программа наставничества)",
    "peer": "Наставничество «педагог — педагог»: сопровождение коллеги по теме ИОМ",
    "mentee": "Работа в паре «наставник — молодой педагог» (наставляемый)",
}
TOPICS = [
    ("Формирование функциональной грамотности на уроках", "Освоить приемы формирования функциональной грамотности"),
    ("Объективность оценивания образовательных результатов", "Применять единые критерии оценивания и формирующее оценивание"),
    ("Анализ результатов ВПР и ГИА для коррекции обучения", "Строить коррекцию обучения по результатам оценочных процедур"),
    ("Обучение детей с ОВЗ в инклюзивном классе", "Разрабатывать адаптированные задания для обучающихся с ОВЗ"),
    ("Смысловое чтение на уроках предмета", "Использовать стратегии смыслового чтения в преподавании"),
    ("Цифровые образовательные ресурсы ФГИС «Моя школа»", "Включать цифровые ресурсы в уроки и домашние задания"),
    ("Проектная и исследовательская деятельность обучающихся", "Организовать проектную работу обучающихся по предмету"),
    ("Работа с одаренными детьми и подготовка к олимпиадам", "Выстроить систему подготовки обучающихся к олимпиадам"),
    ("Воспитательный потенциал урока и «Разговоры о важном»", "Реализовать воспитательные задачи на уроке и классном часе"),
]
# The competencies each topic's route addresses and the instrument of the April diagnostics that found them.
CITY_THEMES = {topic: Theme(topic, goal, codes, instrument) for (topic, goal), (codes, instrument) in zip(TOPICS, [
    (("П3", "М2"), "Диагностика функциональной грамотности педагогов"),
    (("М4", "М3"), "Предметно-методическое тестирование (ЦНППМ)"),
    (("М5", "П4"), "Предметно-методическое тестирование (ЦНППМ)"),
    (("ПП2", "ПП1"), "Анализ конкретных ситуаций (кейсы)"),
    (("М2", "П3"), "Диагностика функциональной грамотности педагогов"),
    (("ИКТ1", "ИКТ2"), "Экспертная оценка открытого урока"),
    (("М6", "ПЛ3"), "Экспертная оценка открытого урока"),
    (("П1", "П4"), "Предметно-методическое тестирование (ЦНППМ)"),
    (("ПП3", "ПП6"), "Опрос «360 градусов» (коллеги, обучающиеся, родители)"),
], strict=True)}
SUBJECTS = ["математика", "русский язык и литература", "история и обществознание", "биология", "физика", "химия",
            "английский язык", "начальные классы", "информатика", "география", "физическая культура", "музыка",
            "технология", "ИЗО"]
MORE_SURNAMES = [("Белов", "Белова"), ("Комаров", "Комарова"), ("Титов", "Титова"), ("Федоров", "Федорова"),
                 ("Медведев", "Медведева"), ("Тарасов", "Тарасова"), ("Гусев", "Гусева"), ("Киселев", "Киселева"),
                 ("Виноградов", "Виноградова"), ("Богданов", "Богданова"), ("Филиппов", "Филиппова"),
                 ("Шевченко", "Шевченко"), ("Калинин", "Калинина")]
MORE_FEMALE = ["Людмила", "Валентина", "Надежда", "Оксана", "Евгения", "Виктория", "Ксения", "Алена"]


@dataclass
class CohortPerson:
    index: int
    school: str
    dismissed: bool = False
    groups: tuple[str, ...] = ()
    bucket: str = ""
    undone: int = 0
    staff: StaffMember | None = None
    attested_on: dt.date | None = None
    activities: list = field(default_factory=list)


def flags(count: int, n: int, step: int, offset: int) -> list[bool]:
    """Exactly `count` of `n` people flagged, spread by the permutation j → (j·step + offset) mod n."""
    marks = [(j * step + offset) % n < count for j in range(n)]
    assert sum(marks) == count, (count, n, step)  # the step must be coprime with n
    return marks


def undone_for(bucket: str, done: int, j: int) -> int:
    """How many activities to leave undone for `done` done ones to fall in the bucket (done ÷ all)."""
    if bucket == "impl_100":
        return 0
    if bucket == "impl_70":
        return 2 if done >= 6 and j % 2 else 1  # needs done ≥ 3
    return 3 * done // 7 + 1  # impl_50: ≥ 50 % and < 70 %


def in_bucket(bucket: str, done: int, total: int) -> bool:
    if bucket == "impl_100":
        return done == total
    if bucket == "impl_70":
        return done < total and done * 100 >= total * 70
    if bucket == "impl_50":
        return total * 50 <= done * 100 < total * 70
    return done * 100 < total * 50


def plan_cohort() -> list[CohortPerson]:
    """Who is dismissed, who has done what, and in which bucket: the seed's counts exactly."""
    people, regular = [], []
    low_left = list(LOW)
    for short_name, _kind, n, dismissed in SCHOOLS:
        for k in range(n):
            person = CohortPerson(index=len(people), school=short_name, dismissed=k >= n - dismissed)
            people.append(person)
            low = next((x for x in low_left if x[0] == short_name), None) if not person.dismissed and k % 5 == 1 else None
            if low is not None:
                low_left.remove(low)
                person.groups, person.bucket, person.undone = low[1], "impl_lt50", low[2]
            elif not person.dismissed:
                regular.append(person)
    assert not low_left and len(regular) == 284 - len(LOW)
    n = len(regular)
    group_flags = {}
    for code, count in GROUP_COUNTS.items():
        already = sum(code in g for _s, g, _u in LOW)
        group_flags[code] = flags(count - already, n, *STEPS[code])
    buckets = [b for b, c in BUCKET_COUNTS.items() if b != "impl_lt50" for _ in range(c)]
    for j, person in enumerate(regular):
        person.groups = tuple(code for code in GROUP_COUNTS if group_flags[code][j])
        person.bucket = buckets[(j * 97) % n]
    for person in people:
        if person.dismissed:  # a part of the route done before they left; not counted in any share
            person.groups = ("courses", "events") if person.index % 2 else ("events",)
            person.undone = 3
    return people


# -- people ---------------------------------------------------------------------------------------------

def _person_data(i: int, cohort_start: dt.date, min_experience: int = 0) -> dict:
    female = i % 6 != 0
    surnames = SURNAMES + MORE_SURNAMES
    last = surnames[(i * 7) % len(surnames)][1 if female else 0]
    first = (FEMALE_NAMES + MORE_FEMALE)[(i * 5) % 18] if female else MALE_NAMES[(i * 5) % len(MALE_NAMES)]
    middle = PATRONYMICS[(i * 11) % len(PATRONYMICS)][1 if female else 0]
    experience = max((i * 13) % 38, min_experience)
    age = 22 + experience + (i * 7) % 6
    return {
        "last_name": last, "first_name": first, "middle_name": middle,
        "birth_date": dt.date(cohort_start.year - age, 1 + (i * 5) % 12, 1 + (i * 3) % 28),
        "experience_years": experience,
        "education": "среднее профессиональное (педагогическое)" if experience < 8 and i % 7 == 0
        else "высшее педагогическое",
    }


def _category(data: dict, i: int, attested_on: dt.date | None, cohort_start: dt.date) -> dict:
    """The category and its date: the cohort's attestation when there was one, else one within five years."""
    experience = data["experience_years"]
    if attested_on is not None:
        return {"qualification_category": "highest" if experience >= 10 and i % 3 else "first",
                "attested_on": attested_on}
    if experience < 3:
        return {"qualification_category": "none", "attested_on": None}
    category = ("highest" if experience >= 15 and i % 2 else "first") if experience >= 6 else \
        ("conformity" if i % 3 else "first")
    years_ago = 1 + i % 4
    return {"qualification_category": category,
            "attested_on": dt.date(cohort_start.year - years_ago, 3 + i % 3, 10 + i % 15)}


# -- dates ----------------------------------------------------------------------------------------------

def school_day(day: dt.date) -> dt.date:
    """The next working school day: not a weekend, not the winter holidays (30 Dec – 8 Jan)."""
    while True:
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())
        elif (day.month == 12 and day.day >= 30) or (day.month == 1 and day.day <= 8):
            day = dt.date(day.year if day.month == 1 else day.year + 1, 1, 9)
        else:
            return day


def _slot(start: dt.date, k: int, count: int, i: int) -> dt.date:
    """The k-th of `count` deadlines spread from mid-October to mid-May of the year starting `start`."""
    first, last = dt.date(start.year, 10, 15), dt.date(start.year + 1, 5, 12)
    span = (last - first).days
    return school_day(first + dt.timedelta(days=span * k // max(count - 1, 1) - (i % 9)))


# -- titles ---------------------------------------------------------------------------------------------

def _titles() -> dict[str, list[str]]:
    titles: dict[str, list[str]] = {}
    for item in CATALOG:
        titles.setdefault(item["activity"], []).append(item["title"])
    for kind, extra in EXTRA_TITLES.items():
        titles.setdefault(kind, []).extend(extra)
    return titles


def _activity_title(kind: str, titles: dict, i: int, person: CohortPerson, category: str) -> str:
    if kind == "mentoring":
        experience = person.staff.experience_years
        return MENTORING_TITLES["mentee" if experience < 3 else "mentor" if experience >= 10 else "peer"]
    if kind == "attestation":
        label = "высшую" if category == "highest" else "первую"
        return f"Аттестация на {label} квалификационную категорию"
    if kind == "course":
        return f"КПК «{titles['course'][i % len(titles['course'])]}»"
    options = titles[kind]
    return options[i % len(options)]


# -- the load -------------------------------------------------------------------------------------------

def _organisations(municipality: Municipality) -> dict[str, Organisation]:
    orgs = []
    for order, (short_name, kind, _n, _d) in enumerate(SCHOOLS, start=1):
        number = short_name.rsplit("№", 1)[1].strip()
        orgs.append(Organisation(municipality=municipality, short_name=short_name, kind=kind, order=order,
                                 name=FULL_NAMES[kind].format(n=number)))
    return {o.short_name: o for o in Organisation.objects.bulk_create(orgs)}


def _staff(people: list[CohortPerson], orgs: dict[str, Organisation], cohort_start: dt.date) -> list[StaffMember]:
    """The cohort's people, then in every school a director and colleagues who made no route that year."""
    staff = []
    for p in people:
        org = orgs[p.school]
        deputy = p.index % 13 == 4
        subject = SUBJECTS[(p.index * 3) % len(SUBJECTS)]
        attested = school_day(dt.date(cohort_start.year + 1, 2 + p.index % 3, 5 + p.index % 20)) \
            if "attestation" in p.groups and not p.dismissed else None
        # a deputy has years of teaching behind them; a category needs a few years of practice
        data = _person_data(p.index, cohort_start, 12 if deputy else 3 + p.index % 4 if attested else 0)
        p.attested_on = attested
        data.update(_category(data, p.index, attested, cohort_start))
        position = "заместитель директора по УВР" if deputy else f"учитель ({subject})"
        extra = {}
        if p.dismissed:
            extra = {"status": StaffMember.Status.DISMISSED,
                     "dismissed_on": school_day(dt.date(cohort_start.year, 12, 10) + dt.timedelta(days=5 * (p.index % 36)))}
        p.staff = StaffMember(organisation=org, position=position, subject=subject, **data, **extra)
        staff.append(p.staff)
    others = []
    for order, org in enumerate(orgs.values()):
        for k, position in enumerate(["директор", "учитель (начальные классы)", "учитель (математика)",
                                      "учитель (английский язык)", "педагог-психолог"]):
            i = 1000 + order * 10 + k
            data = _person_data(i, cohort_start, 15 if k == 0 else 0)
            data.update(_category(data, i, None, cohort_start))
            others.append(StaffMember(organisation=org, position=position, **data))
    for member in staff + others:
        member.position_category = position_category_of(member.position)
    StaffMember.objects.bulk_create(staff + others)
    return staff


def _route(p: CohortPerson, year: str, start: dt.date, tz) -> Route:
    i = p.index
    topic, goal = TOPICS[i % len(TOPICS)]
    submitted = school_day(start + dt.timedelta(days=6 + i % 14))
    approved = school_day(submitted + dt.timedelta(days=3 + i % 6))
    credited = school_day(approved + dt.timedelta(days=4 + i % 8))
    defended = school_day(credited + dt.timedelta(days=7 + i % 12))
    route = Route(
        person=p.staff, organisation=p.staff.organisation, academic_year=year, city=CITY_PLACE,
        card={"position": p.staff.position, "subject": p.staff.subject, "education": p.staff.education},
        topic=topic, goal=goal,
        diagnostics_summary="Диагностика профессиональных дефицитов (апрель): предметно-методическое тестирование "
                            "и самооценка по профстандарту.",
        tasks_text=f"1. Пройти обучение по теме «{topic}».\n2. Применить освоенное на уроках.\n"
                   "3. Представить опыт коллегам.",
        self_education_form="индивидуальная", expected_result="Методические материалы, открытый урок, выступление",
        reporting_form="выступление на ШМО", starts_on=start, ends_on=dt.date(start.year + 1, 5, 31),
        submitted_at=dt.datetime.combine(submitted, dt.time(10, 0), tzinfo=tz),
        approved_on=approved, credited_on=credited, defended_on=defended,
        defended_place="ШМО учителей-предметников" if i % 3 else "педагогический совет",
        status=Route.Status.IN_PROGRESS,
        imported_at=dt.datetime.combine(dt.date(start.year + 1, 6, 28), dt.time(12, 0), tzinfo=tz),
        imported_from=f"Реестр ИОМ {CITY_PLACE} {year}.xlsx",
    )
    if not p.dismissed:
        completed = school_day(dt.date(start.year + 1, 5, 20) + dt.timedelta(days=i % 18))
        outcome = {"impl_100": Route.Outcome.FULL, "impl_70": Route.Outcome.PARTIAL,
                   "impl_50": Route.Outcome.PARTIAL if i % 2 else Route.Outcome.NOT_ACHIEVED,
                   "impl_lt50": Route.Outcome.NOT_ACHIEVED}[p.bucket]
        route.status = Route.Status.COMPLETED
        route.completed_on = completed
        route.results_presented_on = school_day(completed - dt.timedelta(days=5))
        route.results_presented_place = "заседание ШМО"
        route.outcome = route.outcome_proposed = outcome
        route.reflection = "Итоги реализации ИОМ представлены на ШМО; материалы размещены в методической копилке."
        route.results_comment = {
            Route.Outcome.FULL: "Все мероприятия выполнены, результаты подтверждены документами.",
            Route.Outcome.PARTIAL: "Большая часть мероприятий выполнена; невыполненное перенести в ИОМ следующего года.",
            Route.Outcome.NOT_ACHIEVED: "Выполнено меньше половины мероприятий: нужен контроль заместителя директора.",
        }[outcome]
    return route


def _activities(p: CohortPerson, route: Route, start: dt.date, titles, kinds, groups, resources) -> list:
    i = p.index
    done_kinds = [GROUP_KINDS[g][i % len(GROUP_KINDS[g])] for g in p.groups]
    if p.bucket != "impl_lt50" and not p.dismissed:
        done_kinds.append("self_education")  # everyone outside the lowest bucket read on their topic
        while p.bucket == "impl_70" and len(done_kinds) < 3:
            done_kinds.append("rmo" if len(done_kinds) % 2 else "internship")
        p.undone = p.undone or undone_for(p.bucket, len(done_kinds), i)
    flagged = {k for g in p.groups for k in GROUP_KINDS[g]}
    spare = [k for k in ("publication", "contest", "open_lesson", "expert", "master_class", "internship", "attestation")
             if k not in flagged] + ["internship", "rmo", "conference"]
    undone_kinds = spare[:p.undone]
    plan = [(k, True) for k in done_kinds] + [(k, False) for k in undone_kinds]
    first = ("self_education", "course", "seminar", "webinar")  # reading and courses open the year
    plan.sort(key=lambda x: first.index(x[0]) if x[0] in first else len(first))
    dismissed_on = p.staff.dismissed_on
    rows = []
    for k, (kind, done) in enumerate(plan):
        deadline = _slot(start, k, len(plan), i)
        if kind == "attestation" and done:
            deadline = p.attested_on
        if dismissed_on and deadline >= dismissed_on:
            done = False
        group, level, document = KIND_PLACE[kind]
        title = _activity_title(kind, titles, i + k, p, p.staff.qualification_category)
        rows.append(RoadmapActivity(
            route=route, group=groups[group], kind=kinds[kind], level=level, title=title[:500], order=k,
            deadline=deadline, expected_result=document, confirming_document=document, is_done=done,
            done_on=min(deadline, school_day(deadline - dt.timedelta(days=i % 4))) if done else None,
            resource=resources.get(title.removeprefix("КПК «").removesuffix("»")),
        ))
    p.activities = rows
    return rows


def _mentoring_pairs(people: list[CohortPerson], start: dt.date) -> list[MentoringPair]:
    """Pairs in each school between its young mentees and its experienced mentors of the cohort."""
    pairs = []
    by_school: dict[str, list[CohortPerson]] = {}
    for p in people:
        if "mentoring" in p.groups and not p.dismissed:
            by_school.setdefault(p.school, []).append(p)
    for members in by_school.values():
        mentees = [p for p in members if p.staff.experience_years < 3]
        mentors = [p for p in members if p.staff.experience_years >= 10]
        for mentee, mentor in zip(mentees, mentors, strict=False):
            pairs.append(MentoringPair(
                organisation=mentee.staff.organisation, mentor=mentor.staff, mentee=mentee.staff,
                reason=MentoringPair.Reason.YOUNG_SPECIALIST, starts_on=school_day(start + dt.timedelta(days=14)),
                ends_on=dt.date(start.year + 1, 5, 31), end_note="Молодой педагог освоил планирование и анализ урока.",
                note="Целевая программа наставничества",
            ))
    return MentoringPair.objects.bulk_create(pairs)


def load_audit_city(region: Region, cohort: str) -> Municipality:
    """Create the city of seed 001 with its cohort `cohort` (the routes approved in that academic year)."""
    from devdata.demo_chains import evidence, finish, link  # it reads school_day from here

    start = academic_year_bounds(cohort)[0]
    tz = timezone.get_current_timezone()
    municipality = Municipality.objects.create(region=region, name=CITY, methodical_centre=CITY_CENTRE,
                                               credit_mode=Municipality.CreditMode.MUNICIPAL)
    orgs = _organisations(municipality)
    people = plan_cohort()
    _staff(people, orgs, start)
    routes = Route.objects.bulk_create([_route(p, cohort, start, tz) for p in people])
    titles = _titles()
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    groups = {g.code: g for g in CompetencyGroup.objects.all()}
    resources = dict(CatalogResource.objects.values_list("title", "pk"))
    resources = {t: CatalogResource(pk=pk) for t, pk in resources.items()}
    activities = []
    diagnostics = Diagnostics()
    chains = []
    # the chain: the April diagnostics found the deficits of the route's theme; its tasks answer them
    found = diagnostics.diagnose_many([(p.staff, CITY_THEMES[r.topic], school_day(dt.date(start.year, 4, 8 + p.index % 12)))
                                       for p, r in zip(people, routes, strict=True)])
    for p, route, deficits in zip(people, routes, found, strict=True):
        activities += _activities(p, route, start, titles, kinds, groups, resources)
        done = sum(a.is_done for a in p.activities)
        assert p.dismissed or in_bucket(p.bucket, done, len(p.activities)), (p.index, p.bucket, done)
        link(route, deficits, p.activities)
        chains.append((route, deficits))
    RoadmapActivity.objects.bulk_create(activities)
    Evidence.objects.bulk_create(evidence(activities))
    finish(chains, diagnostics)
    Transition.objects.bulk_create(
        Transition(route=r, action="import", from_status=Route.Status.DRAFT, to_status=r.status,
                   comment=f"Загружено из реестра ИОМ ({r.imported_from})")
        for r in routes
    )
    _mentoring_pairs(people, start)
    return municipality
