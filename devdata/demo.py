"""Demo data: the municipality of seed 000 with fictional people, and one account per role.

`build_table1_records` creates exactly the raw records behind seed 000's Table 1 (staff,
accounts, credited and refused routes) for any two academic years; the demo uses the last two
completed years so the methodist's dashboard shows the seed's numbers on first opening, and
the acceptance tests call it with the seed's own years.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import words
from core.dates import academic_year_bounds, current_academic_year, last_completed_academic_years
from core.services import made_up_history
from devdata.table1 import METHODICAL_CENTRE, MUNICIPALITY, REGION, TABLE1
from routes.models import Evidence, RoadmapActivity, Route, Transition
from schools.models import Membership, Municipality, Organisation, Region, StaffMember, TimeZone, position_category_of

User = get_user_model()

DEMO_PASSWORD = "demo-iom-2026"  # noqa: S105  (printed by `make run`; load_demo refuses DEBUG off)

SURNAMES = [
    ("Иванов", "Иванова"), ("Петров", "Петрова"), ("Соколов", "Соколова"), ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"), ("Лебедев", "Лебедева"), ("Козлов", "Козлова"), ("Новиков", "Новикова"),
    ("Морозов", "Морозова"), ("Волков", "Волкова"), ("Алексеев", "Алексеева"), ("Семенов", "Семенова"),
    ("Егоров", "Егорова"), ("Павлов", "Павлова"), ("Степанов", "Степанова"), ("Николаев", "Николаева"),
    ("Орлов", "Орлова"), ("Андреев", "Андреева"), ("Макаров", "Макарова"), ("Никитин", "Никитина"),
    ("Захаров", "Захарова"), ("Зайцев", "Зайцева"), ("Соловьев", "Соловьева"), ("Борисов", "Борисова"),
    ("Яковлев", "Яковлева"), ("Григорьев", "Григорьева"), ("Романов", "Романова"), ("Воробьев", "Воробьева"),
]
MALE_NAMES = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Михаил", "Игорь", "Николай", "Павел"]
FEMALE_NAMES = ["Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Анна", "Марина", "Юлия", "Галина"]
PATRONYMICS = [("Иванович", "Ивановна"), ("Петрович", "Петровна"), ("Сергеевич", "Сергеевна"),
               ("Александрович", "Александровна"), ("Викторович", "Викторовна"), ("Николаевич", "Николаевна")]
SUBJECTS = ["математика", "русский язык и литература", "история", "биология", "физика", "химия",
            "английский язык", "начальные классы", "информатика", "география", "физическая культура", "музыка"]
TOPICS = [
    "Формирование функциональной грамотности на уроках",
    "Объективность оценивания образовательных результатов",
    "Анализ результатов ВПР и ГИА для коррекции обучения",
    "Работа с обучающимися с ОВЗ в инклюзивном классе",
    "Цифровые образовательные ресурсы в преподавании предмета",
]


@dataclass
class People:
    rng: random.Random

    def person(self) -> dict:
        female = self.rng.random() < 0.8  # the profession is mostly women
        last = self.rng.choice(SURNAMES)[1 if female else 0]
        first = self.rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        middle = self.rng.choice(PATRONYMICS)[1 if female else 0]
        age = self.rng.randint(23, 62)
        experience = max(0, age - 22 - self.rng.randint(0, 6))
        # a category needs years of practice: none in the first two, the highest after eight (attested in
        # the last five years, never before the person started teaching)
        if experience < 2:
            category = "none"
        else:
            category = self.rng.choice(["conformity", "first", "first", "highest", "highest"] if experience >= 8
                                       else ["conformity", "first"])
        attested = None
        if category != "none":
            attested = dt.date(2026 - min(self.rng.randint(0, 4), experience - 1), self.rng.randint(1, 5),
                               self.rng.randint(1, 28))
        return {
            "last_name": last,
            "first_name": first,
            "middle_name": middle,
            "birth_date": dt.date(2026 - age, self.rng.randint(1, 12), self.rng.randint(1, 28)),
            "experience_years": experience,
            "education": self.rng.choice(["высшее педагогическое", "высшее педагогическое", "высшее",
                                          "среднее профессиональное (педагогическое)"]),
            "qualification_category": category,
            "attested_on": attested,
        }


def _staff(organisation, people: People, position: str, **extra) -> StaffMember:
    data = people.person()
    data.update(extra)
    return StaffMember(organisation=organisation, position=position, **data)


def _account(staff: StaffMember, username: str, roles: list[str], password: str | None = None) -> User:
    user = User(username=username, first_name=staff.first_name, last_name=staff.last_name, email="")
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    staff.user = user
    staff.save(update_fields=["user"])
    for role in roles:
        Membership.objects.create(user=user, role=role, organisation=staff.organisation)
    return user


def _route(person, year: str, status: str, rng: random.Random, credited: bool, chain, deficits) -> Route:
    """A route of a past year as its registry row loads it, with the whole chain: the diagnostics of the
    spring before, its deficits and their tasks, a roadmap from the catalog, marks with evidence as far as
    the route got, the outcome and the final diagnostics (devdata.demo_chains)."""
    from devdata.demo_audit import school_day
    from devdata.demo_chains import roadmap

    start, end = academic_year_bounds(year)
    theme = chain.themes[chain.next % len(chain.themes)]
    chain.next += 1
    submitted = school_day(dt.date(start.year, 9, 8 + person.pk % 12))
    approved = school_day(submitted + dt.timedelta(days=rng.randint(3, 8)))
    credited_on = school_day(approved + dt.timedelta(days=rng.randint(5, 20))) if credited else None
    finished = status in (Route.Status.COMPLETED, Route.Status.ARCHIVED)
    route = Route.objects.create(
        person=person, organisation=person.organisation, academic_year=year, status=status,
        topic=theme.topic, goal=theme.goal, city="с. Новоселово",
        diagnostics_summary="Диагностика весной предыдущего года («" + theme.instrument + "»): дефициты — "
                            + "; ".join(d.competency.name for d in deficits) + ".",
        tasks_text="\n".join(f"{k}. Развить компетенцию «{d.competency.name}»." for k, d in enumerate(deficits, 1)),
        self_education_form="индивидуальная", expected_result=theme.goal + "; представить опыт на ШМО",
        reporting_form="отчет на заседании ШМО",
        starts_on=start, ends_on=end,
        submitted_at=timezone.make_aware(dt.datetime.combine(submitted, dt.time(10, 30))),
        approved_on=approved, credited_on=credited_on,
        defended_on=school_day(credited_on + dt.timedelta(days=rng.randint(4, 12))) if credited_on else None,
        defended_place="ШМО" if person.pk % 3 else "педагогический совет",
        card={"position": person.position, "subject": person.subject, "education": person.education},
    )
    first = school_day((credited_on or approved) + dt.timedelta(days=10))
    activities = roadmap(route, deficits, first, dt.date(end.year, 5, 8))
    # how far the route got: all done when finished; most of it where the period ran out without results
    share = 1.0 if finished else (0.45 + (person.pk % 4) * 0.1 if credited else 0.0)
    done_count = round(len(activities) * share)
    for k, activity in enumerate(activities):
        activity.is_done = k < done_count
        activity.done_on = school_day(activity.deadline - dt.timedelta(days=person.pk % 4)) if activity.is_done else None
        if activity.done_on and activity.done_on < first:
            activity.done_on = activity.deadline
    RoadmapActivity.objects.bulk_create(activities)
    chain.evidence += [a for a in activities if a.is_done]
    if finished:
        route.completed_on = school_day(dt.date(end.year, 5, 18 + person.pk % 8))
        route.outcome = route.outcome_proposed = Route.Outcome.PARTIAL if person.pk % 4 == 0 else Route.Outcome.FULL
        route.reflection = f"Освоила приемы по теме «{words.lower_first(theme.topic)}», применяю их на уроках."
        route.results_comment = "Мероприятия выполнены, результаты подтверждены документами."
        route.save(update_fields=["completed_on", "outcome", "outcome_proposed", "reflection", "results_comment"])
    Transition.objects.create(route=route, action="import", from_status=Route.Status.DRAFT, to_status=status,
                              comment="Загружено из реестра ИОМ")
    chain.pending.append((route, deficits))
    return route


class Chain:
    """What the routes of Table 1 share while they are made: the diagnostics, the themes in turn."""

    def __init__(self):
        from devdata.demo_diagnostics import THEMES, Diagnostics

        self.diagnostics = Diagnostics()
        self.themes = THEMES
        self.next = 0
        self.evidence: list[RoadmapActivity] = []
        self.pending: list[tuple[Route, list]] = []

    def finish(self) -> None:
        """The deficits of every route as its stage leaves them; after the demo's later changes of outcomes
        (seed 002's «не достигнут»), so the final diagnostics agrees with the accepted outcome."""
        from devdata.demo_chains import finish

        for route, _deficits in self.pending:
            route.refresh_from_db(fields=["status", "outcome", "completed_on"])
        finish(self.pending, self.diagnostics)
        self.pending = []


@transaction.atomic
def build_table1_records(municipality: Municipality, years: tuple[str, str], seed: int = 0,
                         chain: "Chain | None" = None) -> list[Organisation]:
    """Create the nine schools of seed 000 with the staff, accounts and routes of Table 1.

    With a `chain` of the caller the deficits are finished by it later (`Chain.finish`), else here.
    """
    from devdata.demo_audit import school_day
    from devdata.demo_chains import evidence

    rng = random.Random(seed)
    people = People(rng)
    own_chain = chain is None
    chain = chain or Chain()
    todo = []  # (person, year, status, credited): diagnosed together, then made one by one
    first, second = years
    slug = 0
    organisations = []
    for order, row in enumerate(TABLE1, start=1):
        org = Organisation.objects.create(
            municipality=municipality, name=row.full_name, short_name=row.short_name, kind="СОШ", order=order
        )
        organisations.append(org)
        deputies = [
            _staff(org, people, "заместитель директора по УВР", subject=rng.choice(SUBJECTS))
            for _ in range(row.deputies)
        ]
        teachers = [
            _staff(org, people, f"учитель ({subject})", subject=subject)
            for subject in (rng.choice(SUBJECTS) for _ in range(row.staff_base - row.deputies))
        ]
        # People outside the staff base, so that the base is a real filter and not a count of rows.
        outside = [
            _staff(org, people, "директор"),
            _staff(org, people, "воспитатель группы продленного дня".split()[0]),
            _staff(org, people, "учитель (начальные классы)", status=StaffMember.Status.MATERNITY),
            _staff(org, people, "учитель (музыка)", is_main_position=False),
            _staff(org, people, "учитель (история)", status=StaffMember.Status.DISMISSED,
                   dismissed_on=academic_year_bounds(second)[0] + dt.timedelta(days=30)),
        ]
        # one insert per school (with the history rows StaffMember.save would leave), not one per person
        for staff in deputies + teachers + outside:
            staff.position_category = position_category_of(staff.position)
        bulk_create_with_history(deputies + teachers + outside, StaffMember)
        for staff in teachers[: row.registered_teachers] + deputies[: row.registered_deputies]:
            slug += 1
            roles = [Membership.Role.TEACHER]
            if staff.position_category == "deputy":
                roles.append(Membership.Role.DEPUTY)
            _account(staff, f"user{slug:03d}", roles)

        # Credited routes: distinct registered people, teachers first, then deputies.
        registered_teachers = teachers[: row.registered_teachers]
        credited_teachers = registered_teachers[: row.credited_first[0] + row.credited_second[0]]
        for i, person in enumerate(credited_teachers):
            year = first if i < row.credited_first[0] else second
            # the second year's routes ended last summer: most with their results accepted, one in three
            # without results (the period-end task makes them «Срок истек», load_demo)
            status = Route.Status.COMPLETED if year == first or i % 3 != 2 else Route.Status.IN_PROGRESS
            todo.append((person, year, status, True))
        for i, person in enumerate(deputies[: row.credited_first[1] + row.credited_second[1]]):
            year = first if i < row.credited_first[1] else second
            status = Route.Status.COMPLETED
            todo.append((person, year, status, True))
        refused = registered_teachers[len(credited_teachers): len(credited_teachers) + row.not_credited_second]
        for person in refused:
            todo.append((person, second, Route.Status.NOT_CREDITED, False))
    themes = [chain.themes[(chain.next + k) % len(chain.themes)] for k in range(len(todo))]
    found = chain.diagnostics.diagnose_many([
        (person, theme, school_day(dt.date(academic_year_bounds(year)[0].year, 4, 14 + person.pk % 10)))
        for (person, year, _s, _c), theme in zip(todo, themes, strict=True)])
    for (person, year, status, credited), deficits in zip(todo, found, strict=True):
        _route(person, year, status, rng, credited, chain, deficits)
    Evidence.objects.bulk_create(evidence(chain.evidence))
    chain.evidence = []
    if own_chain:
        chain.finish()
    return organisations


def _extra_organisation(municipality, people, short_name, name, kind, positions) -> Organisation:
    org = Organisation.objects.create(municipality=municipality, name=name, short_name=short_name, kind=kind, order=100)
    for position, count in positions:
        for _ in range(count):
            _staff(org, people, position).save()
    return org


@transaction.atomic
@made_up_history()
def load_demo(stdout=None) -> list[tuple[str, str, str]]:
    """Create the demo municipality and return (role, login, password) of the demo accounts."""
    years = tuple(last_completed_academic_years(2))
    region = Region.objects.create(name=REGION, time_zone=TimeZone.KRASNOYARSK)  # UTC+7, МСК+4
    municipality = Municipality.objects.create(
        region=region, name=MUNICIPALITY, methodical_centre=METHODICAL_CENTRE,
        credit_mode=Municipality.CreditMode.REGIONAL,
    )
    # the region's school holidays this year and next: this year's drafted routes keep off them
    from devdata.demo_calendar import load_school_holidays

    this_year = academic_year_bounds(current_academic_year(timezone.localdate()))[0].year
    load_school_holidays(region, [this_year, this_year + 1])
    other = Municipality.objects.create(region=region, name="Балахтинский район", methodical_centre="МКУ «Балахтинский ММЦ»")
    from routes.catalog.services import load_initial_catalog

    load_initial_catalog()  # the roadmaps are drafted from it
    chain = Chain()
    schools = build_table1_records(municipality, years, chain=chain)
    people = People(random.Random(1))
    _extra_organisation(municipality, people, "МБДОУ Новоселовский детский сад №1",
                        "Муниципальное бюджетное дошкольное образовательное учреждение Новоселовский детский сад №1",
                        "ДОО", [("заведующий", 1), ("старший воспитатель", 1), ("воспитатель", 12), ("музыкальный руководитель", 1)])
    _extra_organisation(municipality, people, "МБУ ДО Новоселовский ДДТ",
                        "Муниципальное бюджетное учреждение дополнительного образования Новоселовский дом детского творчества",
                        "УДО", [("директор", 1), ("педагог дополнительного образования", 8), ("методист", 1)])
    _extra_organisation(other, people, "МБОУ Балахтинская СОШ №1",
                        "Муниципальное бюджетное общеобразовательное учреждение Балахтинская средняя общеобразовательная школа №1",
                        "СОШ", [("директор", 1), ("заместитель директора по УВР", 1), ("учитель", 15)])

    school = schools[0]
    accounts = []
    password_hash = make_password(DEMO_PASSWORD)

    def demo_user(username, role_label, staff=None, memberships=(), superuser=False, full_name=("", "")):
        # A staff member who already has an account (a registered person of Table 1) keeps it,
        # renamed: the demo must not change the table's "registered" counts.
        if staff is not None and staff.user_id:
            user = staff.user
            user.username = username
        else:
            user = User(username=username, first_name=full_name[0], last_name=full_name[1])
        user.password = password_hash  # hashed once: the demo accounts share the password
        user.is_superuser = user.is_staff = superuser
        user.save()
        if staff is not None:
            staff.user = user
            staff.email = f"{username}@demo.iom"
            staff.save(update_fields=["user", "email"])
            user.first_name, user.last_name, user.email = staff.first_name, staff.last_name, staff.email
            user.save()
        for kwargs in memberships:
            Membership.objects.get_or_create(user=user, **kwargs)
        accounts.append((role_label, username, DEMO_PASSWORD))
        return user

    # the demo teacher: years of practice and last year's route completed, so this year starts from diagnostics
    teacher = StaffMember.objects.filter(
        organisation=school, position_category="teacher", user__isnull=False, experience_years__gte=5,
        routes__academic_year=years[1], routes__status=Route.Status.COMPLETED).order_by("pk").first()
    demo_user("teacher", "Педагог", teacher, [dict(role="teacher", organisation=school)])
    deputy = StaffMember.objects.get(organisation=school, position_category="deputy")
    demo_user("deputy", "Заместитель директора", deputy,
              [dict(role="deputy", organisation=school), dict(role="teacher", organisation=school)])
    director = StaffMember.objects.get(organisation=school, position_category="director")
    demo_user("director", "Директор", director, [dict(role="director", organisation=school)])
    demo_user("methodist", "Методист ММЦ", None, [dict(role="municipal_methodist", municipality=municipality)],
              full_name=("Светлана", "Глаголева"))
    demo_user("regional", "Региональный методист", None, [dict(role="regional_methodist", region=region)],
              full_name=("Ольга", "Мартынова"))
    demo_user("admin", "Администратор", None, [dict(role="admin")], superuser=True, full_name=("Админ", "Портала"))
    # Seed 001: the city of the audit letter, its cohort the last completed year (the audit's default).
    from devdata.demo_audit import load_audit_city

    city = load_audit_city(region, cohort=years[1])
    demo_user("methodist_city", "Методист ЦРО (город)", None,
              [dict(role="municipal_methodist", municipality=city)], full_name=("Таисия", "Левачева"))
    # Seed 002: the project of the first year; then the final diagnostics agree with every accepted outcome.
    from devdata.demo_methodics import load_demo_methodics, load_demo_project

    load_demo_project(municipality, project_year=years[0])
    chain.finish()
    # The portal ran through the summer: routes whose period ended without results are «Срок истек», as
    # the period-end task left them on the day after, and the methodists were told of those still waiting.
    from django.conf import settings

    from routes.tasks import escalate_expired, expire_due

    day_after = academic_year_bounds(years[1])[1] + dt.timedelta(days=1)
    expire_due(timezone.make_aware(dt.datetime.combine(day_after, dt.time(12, 0))))
    escalate_expired(timezone.now(), settings.ROUTE_EXPIRED_METHODIST_DAYS)
    # This year: the demo teacher's self-assessment; the colleagues' routes at every stage; late results.
    from devdata.demo_routes import late_results, load_demo_routes, load_demo_teacher

    load_demo_teacher()
    late_results(school)
    load_demo_routes(school)
    city_school = _city_accounts(city, demo_user)
    load_demo_routes(city_school, deputy_username="deputy_city", creditor_username="methodist_city",
                     city="г. Минусинск", skip_usernames=(), theme_offset=4)
    # Methodical events with attendance, mentoring pairs, the programme of help (methodics).
    load_demo_methodics(municipality, school)
    # The letterheads of both municipalities' letters (the audit letter of seed 001).
    from devdata.demo_letterhead import load_demo_letterheads

    load_demo_letterheads()
    return accounts


def _city_accounts(city: Municipality, demo_user) -> Organisation:
    """The city's first school with a deputy: the deputy's and the director's demo accounts, and accounts for
    its teachers (no password), who make this year's routes there."""
    deputy = (StaffMember.objects.filter(organisation__municipality=city, position_category="deputy",
                                         status=StaffMember.Status.WORKING)
              .select_related("organisation").order_by("organisation__order", "pk").first())
    school = deputy.organisation
    demo_user("deputy_city", "Заместитель директора (город)", deputy,
              [dict(role="deputy", organisation=school), dict(role="teacher", organisation=school)])
    director = StaffMember.objects.filter(organisation=school, position_category="director").first()
    demo_user("director_city", "Директор (город)", director, [dict(role="director", organisation=school)])
    teachers = StaffMember.objects.filter(organisation=school, position_category="teacher",
                                          status=StaffMember.Status.WORKING, user__isnull=True).order_by("pk")[:8]
    for k, staff in enumerate(teachers, start=1):
        _account(staff, f"city{school.pk:02d}_{k:02d}", [Membership.Role.TEACHER])
    return school
