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
from django.db import transaction

from core import words
from core.dates import academic_year_bounds, last_completed_academic_years
from devdata.table1 import METHODICAL_CENTRE, MUNICIPALITY, REGION, TABLE1
from diagnostics.models import CompetencyGroup
from routes.models import ActivityKind, RoadmapActivity, Route, Transition
from schools.models import Membership, Municipality, Organisation, Region, StaffMember, TimeZone

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
        return {
            "last_name": last,
            "first_name": first,
            "middle_name": middle,
            "birth_date": dt.date(2026 - age, self.rng.randint(1, 12), self.rng.randint(1, 28)),
            "experience_years": max(0, age - 23 - self.rng.randint(0, 5)),
            "education": self.rng.choice(["высшее педагогическое", "высшее", "среднее профессиональное"]),
            "qualification_category": self.rng.choice(
                ["none", "conformity", "first", "first", "highest"]
            ),
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


def _date_in(year: str, rng: random.Random, months=(10, 11, 12, 1, 2, 3, 4, 5)) -> dt.date:
    start, _ = academic_year_bounds(year)
    month = rng.choice(months)
    return dt.date(start.year if month >= 9 else start.year + 1, month, rng.randint(1, 28))


def _route(person, year: str, status: str, rng: random.Random, credited: bool) -> Route:
    start, end = academic_year_bounds(year)
    approved = _date_in(year, rng, months=(9, 10, 11))
    route = Route.objects.create(
        person=person,
        organisation=person.organisation,
        academic_year=year,
        status=status,
        topic=rng.choice(TOPICS),
        goal="Преодоление выявленных профессиональных дефицитов",
        starts_on=start,
        ends_on=end,
        approved_on=approved,
        credited_on=approved + dt.timedelta(days=rng.randint(5, 40)) if credited else None,
        # a completed route has its results accepted with an outcome (routes.workflow route_accept_results);
        # without one the project report counted 0 successfully implemented beside 20 completed routes
        outcome=(Route.Outcome.PARTIAL if person.pk % 4 == 0 else Route.Outcome.FULL)
        if status in (Route.Status.COMPLETED, Route.Status.ARCHIVED) else "",
        # results accepted in mid-May, after the last activity (done by the end of April)
        completed_on=dt.date(end.year, 5, 12 + person.pk % 6)
        if status in (Route.Status.COMPLETED, Route.Status.ARCHIVED) else None,
        card={"position": person.position, "subject": person.subject, "education": person.education},
    )
    groups = list(CompetencyGroup.objects.filter(in_roadmap=True))
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    plan = ["course", "seminar", "open_lesson", "self_education", "publication"]
    finished = status in (Route.Status.COMPLETED, Route.Status.ARCHIVED)
    RoadmapActivity.objects.bulk_create(
        RoadmapActivity(
            route=route, group=groups[i % len(groups)], kind=kinds[code], title=f"{kinds[code].name}: {words.lower_first(route.topic)}",
            deadline=_date_in(year, rng, months=(11, 1, 3, 4, 5)), order=i,
            is_done=finished or (i < 2 and status == Route.Status.IN_PROGRESS),
            done_on=_date_in(year, rng, months=(11, 12, 2, 4)) if finished or (i < 2 and status == Route.Status.IN_PROGRESS) else None,
        )
        for i, code in enumerate(plan)
    )
    Transition.objects.create(route=route, action="import", from_status=Route.Status.DRAFT, to_status=status,
                              comment="Загружено из реестра ИОМ")
    return route


@transaction.atomic
def build_table1_records(municipality: Municipality, years: tuple[str, str], seed: int = 0) -> list[Organisation]:
    """Create the nine schools of seed 000 with the staff, accounts and routes of Table 1."""
    rng = random.Random(seed)
    people = People(rng)
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
        for staff in deputies + teachers + outside:
            staff.save()
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
            status = Route.Status.COMPLETED if year == first else Route.Status.IN_PROGRESS
            _route(person, year, status, rng, credited=True)
        for i, person in enumerate(deputies[: row.credited_first[1] + row.credited_second[1]]):
            year = first if i < row.credited_first[1] else second
            status = Route.Status.COMPLETED if year == first else Route.Status.IN_PROGRESS
            _route(person, year, status, rng, credited=True)
        refused = registered_teachers[len(credited_teachers): len(credited_teachers) + row.not_credited_second]
        for person in refused:
            _route(person, second, Route.Status.NOT_CREDITED, rng, credited=False)
    return organisations


def _extra_organisation(municipality, people, short_name, name, kind, positions) -> Organisation:
    org = Organisation.objects.create(municipality=municipality, name=name, short_name=short_name, kind=kind, order=100)
    for position, count in positions:
        for _ in range(count):
            _staff(org, people, position).save()
    return org


@transaction.atomic
def load_demo(stdout=None) -> list[tuple[str, str, str]]:
    """Create the demo municipality and return (role, login, password) of the demo accounts."""
    years = tuple(last_completed_academic_years(2))
    region = Region.objects.create(name=REGION, time_zone=TimeZone.KRASNOYARSK)  # UTC+7, МСК+4
    municipality = Municipality.objects.create(
        region=region, name=MUNICIPALITY, methodical_centre=METHODICAL_CENTRE,
        credit_mode=Municipality.CreditMode.REGIONAL,
    )
    other = Municipality.objects.create(region=region, name="Балахтинский район", methodical_centre="МКУ «Балахтинский ММЦ»")
    schools = build_table1_records(municipality, years)
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

    def demo_user(username, role_label, staff=None, memberships=(), superuser=False, full_name=("", "")):
        # A staff member who already has an account (a registered person of Table 1) keeps it,
        # renamed: the demo must not change the table's "registered" counts.
        if staff is not None and staff.user_id:
            user = staff.user
            user.username = username
        else:
            user = User(username=username, first_name=full_name[0], last_name=full_name[1])
        user.set_password(DEMO_PASSWORD)
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

    teacher = StaffMember.objects.filter(organisation=school, position_category="teacher", user__isnull=False).first()
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
    # The catalog of resources and diagnostics of part of the teachers (routes, diagnostics apps).
    from devdata.demo_diagnostics import load_demo_diagnostics
    from routes.catalog.services import load_initial_catalog

    load_initial_catalog()
    load_demo_diagnostics(municipality, first_year_start=int(years[0][:4]))
    # Seed 001: the city of the audit letter, its cohort the last completed year (the audit's default).
    from devdata.demo_audit import load_audit_city

    city = load_audit_city(region, cohort=years[1])
    demo_user("methodist_city", "Методист ЦРО (город)", None,
              [dict(role="municipal_methodist", municipality=city)], full_name=("Таисия", "Левачева"))
    # Live routes of the current year at the demo school, made through the lifecycle services.
    from devdata.demo_routes import load_demo_routes

    load_demo_routes(school)
    # Methodical events with attendance, mentoring pairs, the programme of help, the project (methodics).
    from devdata.demo_methodics import load_demo_methodics

    load_demo_methodics(municipality, school, project_year=years[0])
    # The letterheads of both municipalities' letters (the audit letter of seed 001).
    from devdata.demo_letterhead import load_demo_letterheads

    load_demo_letterheads()
    return accounts
