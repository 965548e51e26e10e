"""The registry import keeps to the workflow: it loads history where there is none, never moves a route.

The rule (security finding 2): an import may not do what the importing user could not do in the
browser. It creates routes only where none exists, by those who load history (the municipal
methodist, the administrator, the command line), never changes an existing route's state or
dates, never sets a credit date for someone else, and marks what it created.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.dates import current_academic_year
from core.imports import get_kind, kinds_for, run_import
from routes.models import RoadmapActivity, Route, Transition
from schools.models import Municipality
from tests.imports.factories import (
    ACTIVITY_HEADER,
    ROUTE_HEADER,
    RouteFactory,
    activity_row,
    route_row,
    xlsx_bytes,
)
from tests.world import World

pytestmark = pytest.mark.django_db
Status = Route.Status


@pytest.fixture
def w():
    return World()  # municipality A credits through the region (the default credit mode)


def routes(data, user, name="реестр.xlsx"):
    return run_import(get_kind("routes"), data, name, user=user)


def state(route):
    route.refresh_from_db()
    return route.status, route.approved_on, route.credited_on, route.outcome


def test_deputy_routes_import_never_changes_an_existing_route(client, w):
    """The finding: a deputy moved «На проверке (зачет)» to «Реализуется» and «На согласовании» to «Завершен»."""
    awaiting = RouteFactory(person=w.colleague, status=Status.AWAITING_CREDIT, credited_on=None)
    submitted = RouteFactory(person=w.teacher_staff, status=Status.SUBMITTED, approved_on=None, credited_on=None)
    before = state(awaiting), state(submitted)
    data = xlsx_bytes(ROUTE_HEADER, [
        route_row(w.colleague, **{"Статус": "Реализуется", "Дата зачета": "01.10.2024"}),
        route_row(w.teacher_staff, **{"Статус": "Завершен", "Результат": "достигнут полностью"}),
    ])
    deputy = w.user("deputy")

    result = routes(data, deputy)

    assert not result.written
    assert result.error_lines() == ["row 1: файл: загрузка «Реестр ИОМ» недоступна для вашей роли"]
    assert (state(awaiting), state(submitted)) == before
    assert not Transition.objects.exists()
    # …and the browser offers the deputy no registry import at all
    assert "routes" not in {kind.code for kind in kinds_for(deputy)}
    client.force_login(deputy)
    response = client.post(reverse("import_upload", args=["routes"]), {"file": SimpleUploadedFile("r.xlsx", data)})
    assert response.status_code == 403
    assert (state(awaiting), state(submitted)) == before


def test_methodist_import_never_changes_an_existing_route(w):
    awaiting = RouteFactory(person=w.colleague, status=Status.AWAITING_CREDIT, credited_on=None)
    submitted = RouteFactory(person=w.teacher_staff, status=Status.SUBMITTED, approved_on=None, credited_on=None)
    running = RouteFactory(person=w.sibling_staff)
    before = state(awaiting), state(submitted), state(running)
    data = xlsx_bytes(ROUTE_HEADER, [
        route_row(w.colleague, **{"Статус": "Реализуется", "Дата зачета": "", "Тема": ""}),
        route_row(w.teacher_staff, **{"Статус": "Завершен", "Дата зачета": "", "Результат": "достигнут полностью"}),
        route_row(w.sibling_staff, **{"Дата утверждения": "21.09.2024", "Тема": ""}),
        route_row(w.sibling_staff, **{"Учебный год": "2023-2024", "Статус": "Черновик", "Дата утверждения": "",
                                      "Дата зачета": ""}),
    ])

    result = routes(data, w.user("municipal_methodist"))

    lines = result.error_lines()
    assert ("row 2: Статус: ИОМ за 2024-2025 уже есть в портале в статусе «На проверке (зачет)»: статус ИОМ меняется "
            "только в портале, загрузка его не меняет (в файле отличается: статус)") in lines
    assert any(line.startswith("row 3: Статус: ИОМ за 2024-2025 уже есть в портале в статусе «На согласовании»")
               for line in lines)
    assert any(line.startswith("row 4: Дата утверждения: ИОМ за 2024-2025 уже есть в портале: загрузка создает "
                               "только новые ИОМ") for line in lines)
    assert result.rows[3].outcome == "new" and len(lines) == 3  # the new route was fine: the file is not
    assert (state(awaiting), state(submitted), state(running)) == before
    assert Route.objects.count() == 3 and not Transition.objects.exists()


def test_a_row_identical_to_an_existing_route_is_unchanged(w):
    RouteFactory(person=w.colleague, status=Status.AWAITING_CREDIT, credited_on=None)
    result = routes(xlsx_bytes(ROUTE_HEADER, [route_row(w.colleague, **{"Статус": "На проверке (зачет)",
                                                                        "Дата зачета": "", "Тема": ""})]),
                    w.user("municipal_methodist"))
    assert result.is_valid and result.counts == {"new": 0, "update": 0, "unchanged": 1, "error": 0}


def test_import_never_sets_credit_date_where_region_credits(w):
    methodist, admin = w.user("municipal_methodist"), w.user("admin")
    with_credit = xlsx_bytes(ROUTE_HEADER, [route_row(w.colleague)])  # «Реализуется», credited 01.10.2024

    for user in (methodist, admin):  # neither of them credits where the region does
        result = routes(with_credit, user)
        assert result.error_lines() == [
            "row 2: Дата зачета: зачет ИОМ муниципалитета «Муниципалитет A» ставит региональный методист: загрузка "
            "не ставит дату зачета за него — оставьте ячейку пустой"]
        assert not Route.objects.exists()

    # Without the credit date the history is loaded, and the route carries no credit it never got.
    result = routes(xlsx_bytes(ROUTE_HEADER, [route_row(w.colleague, **{"Дата зачета": ""})]), methodist)
    assert result.written, result.error_lines()
    route = Route.objects.get()
    assert (route.status, route.approved_on, route.credited_on) == (Status.IN_PROGRESS, dt.date(2024, 9, 20), None)


def test_the_municipal_methodist_sets_the_credit_date_where_the_municipality_credits_itself(w):
    Municipality.objects.filter(pk=w.municipality.pk).update(credit_mode=Municipality.CreditMode.MUNICIPAL)
    methodist = w.user("municipal_methodist")
    missing = routes(xlsx_bytes(ROUTE_HEADER, [route_row(w.colleague, **{"Дата зачета": ""})]), methodist)
    assert missing.error_lines() == ["row 2: Дата зачета: обязательна для статуса «Реализуется»: муниципалитет "
                                     "«Муниципалитет A» проводит зачет ИОМ"]
    assert routes(xlsx_bytes(ROUTE_HEADER, [route_row(w.colleague)]), methodist).written
    assert Route.objects.get().credited_on == dt.date(2024, 10, 1)


def test_imported_route_is_marked_and_logged(w):
    methodist = w.user("municipal_methodist")
    data = xlsx_bytes(ROUTE_HEADER, [
        route_row(w.colleague, **{"Учебный год": "2022-2023", "Статус": "Завершен", "Дата утверждения": "15.09.2022",
                                  "Дата зачета": "", "Результат": "достигнут частично"}),
        route_row(w.sibling_staff, **{"Статус": "Черновик", "Дата утверждения": "", "Дата зачета": ""}),
    ])

    assert routes(data, methodist, name="Реестр ИОМ 2022.xlsx").written

    for route in Route.objects.all():
        assert route.imported_at is not None and route.imported_from == "Реестр ИОМ 2022.xlsx"
        transition = route.transitions.get()
        assert (transition.action, transition.from_status, transition.to_status, transition.actor) == (
            "import", Status.DRAFT, route.status, methodist)
        assert transition.comment == "Загружено из файла «Реестр ИОМ 2022.xlsx»"
        assert route.history.get().history_user == methodist
    assert set(Route.objects.values_list("status", flat=True)) == {Status.COMPLETED, Status.DRAFT}


def test_a_route_made_in_the_portal_is_not_marked_imported():
    assert RouteFactory().imported_at is None


def test_lifecycle_dates_in_the_future_and_periods_out_of_bounds_are_row_errors(w):
    soon = (dt.date.today() + dt.timedelta(days=30)).strftime("%d.%m.%Y")
    rows = [
        route_row(w.colleague, **{"Дата утверждения": soon, "Дата зачета": ""}),
        route_row(w.sibling_staff, **{"Дата начала": "01.09.2024", "Дата окончания": "01.10.2024",
                                      "Дата зачета": ""}),
    ]
    lines = routes(xlsx_bytes(ROUTE_HEADER, rows), w.user("admin")).error_lines()
    assert lines == ["row 2: Дата утверждения: дата утверждения в будущем",
                     "row 3: Дата окончания: срок реализации ИОМ — не меньше полугода"]
    assert not Route.objects.exists()


def test_a_route_of_the_current_year_is_created_only_as_a_draft(w):
    year = current_academic_year()
    live = route_row(w.colleague, **{"Учебный год": year, "Дата утверждения": "", "Статус": "На согласовании",
                                     "Дата зачета": ""})
    for user in (w.user("municipal_methodist"), None):  # the command line too: the workflow runs in the portal
        result = routes(xlsx_bytes(ROUTE_HEADER, [live]), user)
        assert result.error_lines() == [f"row 2: Статус: ИОМ {year} учебного года ведется в портале: загрузка создает "
                                        "его только в статусе «Черновик», согласование и зачет проходят в портале"]
    assert not Route.objects.exists()
    draft = route_row(w.colleague, **{"Учебный год": year, "Статус": "Черновик", "Дата утверждения": "",
                                      "Дата зачета": ""})
    assert routes(xlsx_bytes(ROUTE_HEADER, [draft]), w.user("municipal_methodist")).written
    assert Route.objects.get().status == Status.DRAFT


def activities(data, user):
    return run_import(get_kind("activities"), data, "мероприятия.xlsx", user=user)


def test_activities_go_only_into_imported_routes_not_taken_up_in_the_portal(w):
    RouteFactory(person=w.colleague)  # made in the portal
    taken_up = RouteFactory(person=w.teacher_staff, imported=True)
    Transition.objects.create(route=taken_up, action="archive", from_status=Status.COMPLETED,
                              to_status=Status.ARCHIVED)
    edited = RouteFactory(person=w.deputy_staff, imported=True, version=2)
    RouteFactory(person=w.sibling_staff, imported=True)
    data = xlsx_bytes(ACTIVITY_HEADER, [activity_row(p) for p in
                                        (w.colleague, w.teacher_staff, w.deputy_staff, w.sibling_staff)])

    lines = activities(data, w.user("municipal_methodist")).error_lines()

    refused = ("Учебный год: ИОМ за 2024-2025 ведется в портале: его дорожная карта меняется только в портале, "
               "загрузка дополняет лишь ИОМ, загруженные из реестра")
    assert lines == [f"row {n}: {refused}" for n in (2, 3, 4)]
    assert not RoadmapActivity.objects.exists()
    assert edited.activities.count() == 0


def test_deputy_cannot_import_activities():
    w = World()
    RouteFactory(person=w.colleague, imported=True)
    result = activities(xlsx_bytes(ACTIVITY_HEADER, [activity_row(w.colleague)]), w.user("deputy"))
    assert result.error_lines() == ["row 1: файл: загрузка «Мероприятия дорожной карты» недоступна для вашей роли"]
    assert not RoadmapActivity.objects.exists()


def test_done_marks_follow_the_browsers_rules(w):
    RouteFactory(person=w.colleague, imported=True)
    RouteFactory(person=w.sibling_staff, imported=True, status=Status.SUBMITTED, approved_on=None, credited_on=None)
    soon = (dt.date.today() + dt.timedelta(days=3)).strftime("%d.%m.%Y")
    rows = [
        activity_row(w.colleague, **{"Срок": "15.12.2025", "Наименование": "После периода"}),
        activity_row(w.colleague, **{"Выполнено": "да", "Дата выполнения": "01.08.2024", "Наименование": "Рано"}),
        activity_row(w.colleague, **{"Выполнено": "да", "Дата выполнения": soon, "Наименование": "Позже"}),
        activity_row(w.sibling_staff, **{"Выполнено": "да", "Дата выполнения": "01.12.2024"}),
        activity_row(w.colleague, **{"Выполнено": "да", "Дата выполнения": "01.12.2024", "Наименование": "Верно"}),
    ]
    lines = activities(xlsx_bytes(ACTIVITY_HEADER, rows), w.user("admin")).error_lines()
    assert lines == [
        "row 2: Срок: срок должен быть внутри периода ИОМ: с 01.09.2024 по 31.08.2025",
        "row 3: Дата выполнения: дата раньше начала ИОМ (01.09.2024)",
        "row 4: Дата выполнения: дата выполнения в будущем",
        "row 5: Выполнено: выполненными отмечаются мероприятия утвержденного ИОМ, а статус ИОМ — «На согласовании»",
    ]
    assert not RoadmapActivity.objects.exists()


def test_the_regional_methodist_loads_credited_history_where_the_region_credits(w):
    Municipality.objects.filter(pk=w.municipality.pk).update(credit_mode=Municipality.CreditMode.REGIONAL)
    regional = w.user("regional_methodist")
    assert routes(xlsx_bytes(ROUTE_HEADER, [route_row(w.colleague)]), regional).written
    assert Route.objects.get().credited_on == dt.date(2024, 10, 1)
    # the municipal methodist does not credit there: the same file is refused from them
    Route.objects.all().delete()
    refused = routes(xlsx_bytes(ROUTE_HEADER, [route_row(w.colleague)]), w.user("municipal_methodist"))
    assert not refused.written and "региональный методист" in refused.error_lines()[0]
    assert not Route.objects.exists()
