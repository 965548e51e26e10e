"""Routes and activities: people matched by organisation + ФИО, dates by the lifecycle's rules."""

import datetime as dt

import pytest

from core.imports import get_kind, run_import
from routes.models import RoadmapActivity, Route, Transition
from schools.models import Municipality
from tests.factories import OrganisationFactory, StaffFactory
from tests.imports.factories import (
    ACTIVITY_HEADER,
    ROUTE_HEADER,
    RouteFactory,
    activity_row,
    csv_bytes,
    route_row,
    xlsx_bytes,
)
from tests.world import World

pytestmark = pytest.mark.django_db


def routes(data, name="routes.xlsx", **kwargs):
    return run_import(get_kind("routes"), data, name, **kwargs)


def activities(data, name="activities.xlsx", **kwargs):
    return run_import(get_kind("activities"), data, name, **kwargs)


@pytest.fixture
def teacher():
    school = OrganisationFactory(short_name="Лицей №2", municipality__credit_mode=Municipality.CreditMode.REGIONAL)
    return StaffFactory(organisation=school, last_name="Петрова", first_name="Анна", middle_name="Сергеевна")


def test_registry_creates_routes_with_default_period_and_logs_the_transition(teacher):
    result = routes(xlsx_bytes(ROUTE_HEADER, [route_row(teacher)]))
    assert result.is_valid, result.error_lines()
    route = Route.objects.get()
    assert (route.person, route.organisation, route.status) == (teacher, teacher.organisation, "in_progress")
    assert (route.starts_on, route.ends_on) == (dt.date(2024, 9, 1), dt.date(2025, 8, 31))
    assert (route.approved_on, route.credited_on) == (dt.date(2024, 9, 20), dt.date(2024, 10, 1))
    transition = Transition.objects.get(route=route)
    assert (transition.action, transition.from_status, transition.to_status) == ("import", "draft", "in_progress")
    assert route.history.count() == 1


def test_the_same_registry_twice_changes_nothing(teacher):
    data = csv_bytes(ROUTE_HEADER, [route_row(teacher), route_row(teacher, **{"Учебный год": "2023-2024",
                     "Статус": "Завершен", "Дата утверждения": "15.09.2023", "Дата зачета": "01.10.2023",
                     "Результат": "достигнут частично"})], encoding="cp1251", delimiter=",")
    assert routes(data, "r.csv").counts["new"] == 2
    assert routes(data, "r.csv").counts == {"new": 0, "update": 0, "unchanged": 2, "error": 0}
    assert Transition.objects.count() == 2


def test_where_the_municipality_does_not_credit_the_credit_date_is_the_approval_date(teacher):
    Municipality.objects.filter(pk=teacher.organisation.municipality_id).update(credit_mode="none")
    assert routes(xlsx_bytes(ROUTE_HEADER, [route_row(teacher, **{"Дата зачета": ""})])).is_valid
    assert Route.objects.get().credited_on == dt.date(2024, 9, 20)


def test_every_route_error_is_listed_and_nothing_written(teacher):
    StaffFactory(organisation=teacher.organisation, last_name="Двойник", first_name="Анна", middle_name="")
    StaffFactory(organisation=teacher.organisation, last_name="Двойник", first_name="Анна", middle_name="")
    rows = [
        route_row(teacher, **{"Дата зачета": ""}),
        route_row(teacher, **{"Учебный год": "2024/2026", "Статус": "Утвержден"}),
        route_row(teacher, **{"Учебный год": "2022-2023", "Статус": "Завершен", "Результат": ""}),
        route_row(teacher, **{"Фамилия": "Неизвестная"}),
        route_row(teacher, **{"Фамилия": "Двойник", "Отчество": ""}),
        route_row(teacher, **{"Учебный год": "2021-2022", "Статус": "Черновик", "Дата утверждения": "01.10.2021",
                              "Дата зачета": "", "Результат": "не достигнут"}),
        route_row(teacher, **{"Учебный год": "2020-2021", "Дата начала": "01.06.2021", "Дата окончания": "01.09.2020",
                              "Дата утверждения": ""}),
        route_row(teacher, **{"Учебный год": "2022-2023", "Статус": "Завершен", "Результат": "достигнут полностью"}),
    ]
    lines = routes(xlsx_bytes(ROUTE_HEADER, rows)).error_lines()
    expected = [
        "row 2: Дата зачета: обязательна для статуса «Реализуется»: муниципалитет «"
        f"{teacher.organisation.municipality}» проводит зачет ИОМ",
        "row 3: Учебный год: учебный год указывается в виде 2022-2023, указано «2024/2026»",
        "row 4: Результат: обязателен для статуса «Завершен»",
        "row 5: Фамилия: в организации «Лицей №2» нет сотрудника «Неизвестная Анна Сергеевна»",
        "row 7: Дата утверждения: ИОМ в статусе «Черновик» еще не утвержден",
        "row 7: Результат: результат указывается для завершенных ИОМ, а статус — «Черновик»",
        "row 8: Дата окончания: окончание периода раньше его начала",
        "row 8: Дата утверждения: обязательна для статуса «Реализуется»",
        "row 9: Учебный год: повторяет строку 4: та же запись указана дважды",
    ]
    for line in expected:
        assert line in lines
    assert any(line.startswith("row 3: Статус: недопустимое значение «Утвержден»") for line in lines)
    assert any(line.startswith("row 6: Фамилия: в организации «Лицей №2» несколько сотрудников") for line in lines)
    assert not Route.objects.exists()


def test_a_methodist_imports_only_routes_of_their_municipality():
    w = World()
    data = xlsx_bytes(ROUTE_HEADER, [route_row(w.colleague, **{"Дата зачета": ""}),
                                     route_row(w.other_staff, **{"Дата зачета": ""})])
    result = routes(data, user=w.user("municipal_methodist"))
    assert result.error_lines() == [
        f"row 3: ОО: нет прав загружать данные организации «{w.other_school.short_name}»: она вне вашей области"]
    assert not Route.objects.exists()


def test_activities_are_created_once_and_matched_by_title_and_deadline(teacher):
    route = RouteFactory(person=teacher, imported=True)
    rows = [
        activity_row(teacher),
        activity_row(teacher, **{"Вид": "course", "Направление": "предметные", "Наименование": "КПК по ФГ",
                                 "Выполнено": "да", "Дата выполнения": "01.12.2024",
                                 "Подтверждающий документ": "Удостоверение №5"}),
        activity_row(teacher, **{"Наименование": "Семинар по ФГ", "Срок": "15.03.2025"}),
    ]
    data = csv_bytes(ACTIVITY_HEADER, rows)
    assert activities(data, "a.csv").counts["new"] == 3
    course = RoadmapActivity.objects.get(title="КПК по ФГ")
    assert (course.route, course.kind.code, course.group.code, course.is_done) == (route, "course", "subject", True)
    assert course.history.count() == 1
    assert activities(data, "a.csv").counts == {"new": 0, "update": 0, "unchanged": 3, "error": 0}
    rows[0] = activity_row(teacher, **{"Выполнено": "да", "Дата выполнения": "14.12.2024"})
    assert activities(csv_bytes(ACTIVITY_HEADER, rows), "a.csv").counts["update"] == 1
    assert RoadmapActivity.objects.get(title="Семинар по ФГ", deadline=dt.date(2024, 12, 15)).done_on == dt.date(2024, 12, 14)


def test_every_activity_error_is_listed_and_nothing_written(teacher):
    RouteFactory(person=teacher, imported=True)
    rows = [
        activity_row(teacher, **{"Учебный год": "2020-2021"}),
        activity_row(teacher, **{"Направление": "Цифровые", "Вид": "Поход", "Наименование": "Поход"}),
        activity_row(teacher, **{"Выполнено": "да", "Наименование": "Вебинар"}),
        activity_row(teacher, **{"Дата выполнения": "01.12.2024", "Наименование": "Открытый урок"}),
        activity_row(teacher, **{"Срок": "", "Наименование": "Публикация"}),
        activity_row(teacher),
        activity_row(teacher),
    ]
    lines = activities(xlsx_bytes(ACTIVITY_HEADER, rows)).error_lines()
    assert "row 2: Учебный год: у педагога нет ИОМ за 2020-2021 учебный год: сначала загрузите реестр ИОМ" in lines
    assert any(line.startswith("row 3: Направление: неизвестное значение «Цифровые»") for line in lines)
    assert any(line.startswith("row 3: Вид: неизвестное значение «Поход»") for line in lines)
    assert "row 4: Дата выполнения: обязательна, если мероприятие выполнено" in lines
    assert "row 5: Дата выполнения: указана дата выполнения, но мероприятие не отмечено выполненным" in lines
    assert "row 6: Срок: обязательное поле не заполнено" in lines
    assert "row 8: Наименование: повторяет строку 7: та же запись указана дважды" in lines
    assert not RoadmapActivity.objects.exists()
