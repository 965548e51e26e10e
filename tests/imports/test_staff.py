"""Staff import: people matched by organisation + ФИО + birth date, every error at once, accounts."""

import datetime as dt

import pytest
from django.core import mail

from core.imports import get_kind, run_import
from schools.models import Membership, StaffMember
from tests.factories import OrganisationFactory, StaffFactory
from tests.imports.factories import STAFF_HEADER, csv_bytes, staff_row, xlsx_bytes
from tests.world import World

pytestmark = pytest.mark.django_db
STAFF = "staff"


def run(data, name="staff.xlsx", **kwargs):
    return run_import(get_kind(STAFF), data, name, **kwargs)


@pytest.fixture
def school():
    return OrganisationFactory(short_name="МБОУ СОШ №3", name="Муниципальное бюджетное общеобразовательное учреждение СОШ №3")


def test_valid_file_creates_people_with_derived_categories_and_history(school):
    rows = [
        staff_row("МБОУ СОШ №3", "Петрова"),
        staff_row(school.name, "Сидорова", **{"Должность": "Заместитель директора по УВР", "Статус": "",
                                              "Квалификационная категория": ""}),
        staff_row("МБОУ СОШ №3", "Кузнецова", **{"Должность": "старший воспитатель", "Основная должность": "нет",
                                                 "Статус": "уволен", "Дата увольнения": "31.08.2024"}),
    ]
    result = run(xlsx_bytes(STAFF_HEADER, rows))
    assert result.is_valid, result.error_lines()
    assert result.counts == {"new": 3, "update": 0, "unchanged": 0, "error": 0}
    people = {s.last_name: s for s in school.staff.all()}
    assert people["Петрова"].position_category == "teacher"
    assert people["Петрова"].qualification_category == "first"
    assert people["Петрова"].birth_date == dt.date(1980, 2, 1)
    assert people["Сидорова"].position_category == "deputy"
    assert people["Сидорова"].status == "working" and people["Сидорова"].qualification_category == "none"
    assert people["Кузнецова"].position_category == "educator" and not people["Кузнецова"].is_main_position
    assert people["Кузнецова"].dismissed_on == dt.date(2024, 8, 31)
    assert people["Петрова"].history.count() == 1
    assert people["Петрова"].created_at is not None


def test_the_same_file_twice_changes_nothing_the_second_time(school):
    data = csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №3", f"Петрова{i}") for i in range(5)], encoding="cp1251")
    assert run(data, "staff.csv").counts["new"] == 5
    before = list(StaffMember.objects.order_by("pk").values())
    second = run(data, "staff.csv")
    assert second.counts == {"new": 0, "update": 0, "unchanged": 5, "error": 0}
    assert list(StaffMember.objects.order_by("pk").values()) == before
    assert StaffMember.history.count() == 5


def test_a_changed_row_updates_the_person_and_leaves_absent_columns_alone(school):
    person = StaffFactory(organisation=school, last_name="Петрова", first_name="Анна", middle_name="Сергеевна",
                          birth_date=dt.date(1980, 2, 1), position="учитель физики", subject="физика",
                          education="высшее, КГУ")
    data = csv_bytes(["ОО", "Фамилия", "Имя", "Отчество", "Дата рождения", "Должность"],
                     [["МБОУ СОШ №3", "Петрова", "Анна", "Сергеевна", "01.02.1980", "заместитель директора по МР"]],
                     delimiter=",")
    result = run(data, "staff.csv")
    assert result.counts["update"] == 1, result.error_lines()
    person.refresh_from_db()
    assert person.position_category == "deputy"
    assert (person.subject, person.education) == ("физика", "высшее, КГУ")
    assert person.history.first().history_change_reason == "Загрузка из файла"


def test_every_error_is_listed_with_row_and_column_and_nothing_is_written(school):
    StaffFactory(organisation=school, email="taken@example.org")
    rows = [
        staff_row("МБОУ СОШ №3", "Верная"),
        staff_row("Нет такой школы", "Петрова"),
        staff_row("МБОУ СОШ №3", "", **{"Дата рождения": "31.02.1980", "Статус": "в отпуске"}),
        staff_row("МБОУ СОШ №3", "Иванова", **{"Статус": "уволен", "Педагогический стаж": "много"}),
        staff_row("МБОУ СОШ №3", "Смирнова", **{"E-mail": "taken@example.org", "Основная должность": "может быть"}),
        staff_row("МБОУ СОШ №3", "Верная"),
        staff_row("МБОУ СОШ №3", "Орлова", **{"E-mail": "не-адрес", "Квалификационная категория": "вторая"}),
        staff_row("МБОУ СОШ №3", "Юная", **{"Дата рождения": "01.01.2020", "Дата увольнения": "01.01.2024"}),
    ]
    result = run(xlsx_bytes(STAFF_HEADER, rows))
    lines = result.error_lines()
    expected = [
        "row 3: ОО: организация «Нет такой школы» не найдена: укажите краткое или полное наименование",
        "row 4: Фамилия: обязательное поле не заполнено",
        "row 4: Дата рождения: такой даты нет: «31.02.1980»",
        "row 4: Статус: недопустимое значение «в отпуске»; допустимы: работает / декретный отпуск / уволен",
        "row 5: Педагогический стаж: ожидается целое число, указано «много»",
        "row 6: Основная должность: ожидается «да» или «нет», указано «может быть»",
        "row 7: Фамилия: повторяет строку 2: та же запись указана дважды",
        "row 8: E-mail: неверный адрес электронной почты «не-адрес»",
        "row 8: Квалификационная категория: недопустимое значение «вторая»; допустимы: без категории / "
        "соответствие занимаемой должности / первая / высшая / педагог-методист / педагог-наставник",
        "row 9: Дата увольнения: указана дата увольнения, но статус не «уволен»",
        "row 9: Дата рождения: проверьте дату рождения: работнику должно быть не меньше 16 лет",
    ]
    for line in expected:
        assert line in lines
    assert any(line.startswith("row 6: E-mail: этот e-mail уже указан у другого работника") for line in lines)
    assert "row 5: Дата увольнения: обязательна, когда статус «уволен»" in lines
    assert result.counts["error"] == 7
    assert StaffMember.objects.count() == 1  # only the one created above


def test_dismissed_without_date_is_an_error(school):
    result = run(csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №3", "Иванова", **{"Статус": "уволен"})]), "a.csv")
    assert result.error_lines() == ["row 2: Дата увольнения: обязательна, когда статус «уволен»"]


def test_a_row_with_email_gets_an_account_and_an_invitation(school, django_capture_on_commit_callbacks):
    data = csv_bytes(STAFF_HEADER, [
        staff_row("МБОУ СОШ №3", "Петрова", **{"E-mail": "Petrova@School3.ru"}),
        staff_row("МБОУ СОШ №3", "Сидорова", **{"E-mail": "sid@school3.ru", "Должность": "завуч"}),
    ])
    with django_capture_on_commit_callbacks(execute=True):
        assert run(data, "a.csv", user=None).is_valid
    petrova = StaffMember.objects.get(last_name="Петрова")
    assert petrova.user.username == "petrova@school3.ru" and not petrova.user.has_usable_password()
    roles = set(Membership.objects.filter(user=StaffMember.objects.get(last_name="Сидорова").user)
                .values_list("role", flat=True))
    assert roles == {"deputy", "teacher"}
    assert sorted(m.to[0] for m in mail.outbox) == ["petrova@school3.ru", "sid@school3.ru"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert run(data, "a.csv").counts["unchanged"] == 2
    assert mail.outbox == []  # the second time nobody is invited again


def test_two_rows_with_one_email_are_an_error(school):
    data = csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №3", "Петрова", **{"E-mail": "a@b.ru"}),
                                    staff_row("МБОУ СОШ №3", "Сидорова", **{"E-mail": "A@b.ru"})])
    assert run(data, "a.csv").error_lines() == ["row 3: E-mail: повторяет строку 2: та же запись указана дважды"]


def test_dismissal_by_import_closes_the_account(school):
    data = csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №3", "Петрова", **{"E-mail": "p@school3.ru"})])
    run(data, "a.csv")
    user = StaffMember.objects.get().user
    assert user.is_active
    dismissed = csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №3", "Петрова", **{
        "E-mail": "p@school3.ru", "Статус": "уволен", "Дата увольнения": "01.06.2025"})])
    assert run(dismissed, "a.csv").counts["update"] == 1
    user.refresh_from_db()
    assert not user.is_active


def test_same_short_name_in_two_municipalities_needs_the_full_name():
    OrganisationFactory(short_name="МБОУ СОШ №1", name="СОШ №1 города А")
    other = OrganisationFactory(short_name="МБОУ СОШ №1", name="СОШ №1 города Б")
    ambiguous = run(csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №1", "Петрова")]), "a.csv")
    assert ambiguous.error_lines()[0].startswith("row 2: ОО: название «МБОУ СОШ №1» носят несколько организаций")
    assert run(csv_bytes(STAFF_HEADER, [staff_row("СОШ №1 города Б", "Петрова")]), "a.csv").is_valid
    assert other.staff.count() == 1


def test_deputy_importing_another_schools_rows_gets_an_error_naming_the_row():
    w = World()
    data = csv_bytes(STAFF_HEADER, [staff_row(w.school.short_name, "Своя"),
                                    staff_row(w.sibling_school.short_name, "Чужая")])
    result = run(data, "a.csv", user=w.user("deputy"))
    assert result.error_lines() == [
        f"row 3: ОО: нет прав загружать данные организации «{w.sibling_school.short_name}»: она вне вашей области"]
    assert not StaffMember.objects.filter(last_name__in=["Своя", "Чужая"]).exists()


def test_the_municipal_methodist_cannot_import_staff_as_they_cannot_edit_staff_in_the_browser():
    # A staff file dismisses people, opens accounts and sends invitations: the holders of staff.manage
    # (deputies of the school, administrators) do it, in the browser and by file alike.
    w = World()
    methodist = w.user("municipal_methodist")
    rows = csv_bytes(STAFF_HEADER, [staff_row(w.school.short_name, "А"), staff_row(w.sibling_school.short_name, "Б")])
    result = run(rows, "a.csv", user=methodist)
    assert not result.written
    assert "недоступна для вашей роли" in result.file_errors[0][2]
    assert not StaffMember.objects.filter(last_name__in=["А", "Б"]).exists()


def test_a_deputy_imports_their_school_but_not_beyond():
    w = World()
    deputy = w.user("deputy")
    assert run(csv_bytes(STAFF_HEADER, [staff_row(w.school.short_name, "А")]), "a.csv", user=deputy).counts["new"] == 1
    beyond = csv_bytes(STAFF_HEADER, [staff_row(w.sibling_school.short_name, "В")])
    assert "вне вашей области" in run(beyond, "a.csv", user=deputy).errors[0][2]


def test_a_file_without_birth_dates_finds_people_by_name_and_fills_missing_birth_dates(school):
    known = StaffFactory(organisation=school, last_name="Петрова", first_name="Анна", middle_name="Сергеевна",
                         birth_date=dt.date(1980, 2, 1), position="учитель физики")
    unknown = StaffFactory(organisation=school, last_name="Орлова", first_name="Анна", middle_name="Сергеевна",
                           birth_date=None, position="учитель физики")
    no_dates = csv_bytes(["ОО", "Фамилия", "Имя", "Отчество", "Должность"],
                         [["МБОУ СОШ №3", "Петрова", "Анна", "Сергеевна", "учитель физики"]])
    assert run(no_dates, "a.csv").counts["unchanged"] == 1  # not a second Петрова
    with_date = csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №3", "Орлова", **{"Дата рождения": "05.05.1990"})])
    assert run(with_date, "a.csv").counts["update"] == 1
    unknown.refresh_from_db()
    assert unknown.birth_date == dt.date(1990, 5, 5)
    assert StaffMember.objects.count() == 2 and known.pk != unknown.pk


def test_namesakes_need_a_birth_date_to_be_told_apart(school):
    for born in (dt.date(1980, 2, 1), dt.date(1990, 3, 4)):
        StaffFactory(organisation=school, last_name="Петрова", first_name="Анна", middle_name="Сергеевна",
                     birth_date=born)
    data = csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №3", "Петрова", **{"Дата рождения": ""})])
    assert run(data, "a.csv").error_lines() == [
        "row 2: Дата рождения: в организации несколько работников с такими ФИО: укажите дату рождения"]
    assert run(csv_bytes(STAFF_HEADER, [staff_row("МБОУ СОШ №3", "Петрова", **{"Дата рождения": "04.03.1990"})]),
               "a.csv").counts["update"] == 1


def test_a_mentor_column_is_refused_with_a_pointer_to_the_mentoring_page():
    org = OrganisationFactory(short_name="Школа 7")
    rows = [[*staff_row("Школа 7", "Петрова"), "Иванова И. И."]]
    result = run(csv_bytes([*STAFF_HEADER, " наставник "], rows), "staff.csv")
    assert not result.is_valid and not org.staff.exists()
    [(row, column, message)] = result.file_errors
    assert (row, column) == (1, "наставник")
    assert "«Наставничество»" in message and "неизвестный столбец" not in message


def _dismissal_world():
    """A teacher of the world's school with a route in progress and a mentee, and the import row dismissing her."""
    from routes.models import Route
    from tests.methodics.factories import PairFactory
    from tests.routes.factories import RouteFactory

    w = World()
    teacher = StaffFactory(organisation=w.school, last_name="Петрова", first_name="Анна", middle_name="Сергеевна",
                           birth_date=dt.date(1980, 2, 1), position="учитель физики", subject="физика")
    route = RouteFactory(person=teacher, status=Route.Status.IN_PROGRESS)
    pair = PairFactory(mentor=teacher, mentee=w.colleague, organisation=w.school)
    row = staff_row(w.school.short_name, "Петрова", **{"Статус": "уволен",
                                                      "Дата увольнения": dt.date.today().strftime("%d.%m.%Y")})
    return w, teacher, route, pair, csv_bytes(STAFF_HEADER, [row])


def test_a_dismissal_by_import_withdraws_routes_and_ends_pairs_as_the_browser_does():
    from methodics.mentoring.selectors import mentees_needing_mentor

    w, teacher, route, pair, data = _dismissal_world()
    result = run(data, "a.csv", user=w.user("deputy"))
    assert result.counts["update"] == 1, result.error_lines()
    route.refresh_from_db()
    pair.refresh_from_db()
    assert route.status == "withdrawn" and route.transitions.get(to_status="withdrawn").comment == "уволен"
    assert pair.ends_on is not None and list(mentees_needing_mentor(w.school)) == [w.colleague]


def test_a_dismissal_by_import_without_a_user_who_could_is_refused_and_changes_nothing():
    w, teacher, route, pair, data = _dismissal_world()
    result = run(data, "a.csv", user=None)  # the command line: nobody who may withdraw routes
    assert result.error_lines() == ["row 2: Статус: увольнение отзовет ИОМ и завершит наставничество работника: "
                                    "оформите его в портале (карточка сотрудника → «Уволить»)"]
    teacher.refresh_from_db()
    route.refresh_from_db()
    assert teacher.status == "working" and route.status == "in_progress"
