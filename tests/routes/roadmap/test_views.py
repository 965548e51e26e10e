"""The pages of a route and its content: htmx editing, downloads, comments, bounded queries."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from routes.models import Evidence, Route
from routes.roadmap import services as roadmap
from routes.workflow import services as workflow
from tests.routes.factories import ActivityFactory, CommentFactory, RouteFactory, group, kind
from tests.routes.roadmap.test_uploads import PDF
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def w():
    return World()


def login(client, w, role):
    client.force_login(w.user(role))
    return client


def form_data(route, **overrides):
    data = {"group": group("subject").pk, "kind": kind("course").pk, "level": "regional",
            "title": "КПК «Формирующее оценивание»", "deadline": (route.starts_on + dt.timedelta(days=30)).isoformat(),
            "expected_result": "удостоверение", "confirming_document": "удостоверение", "note": "",
            "version": route.version}
    data.update(overrides)
    return data


def test_my_routes_lists_own_routes_and_creates_a_new_one(client, w):
    login(client, w, "teacher")
    page = client.get(reverse("routes:my_routes"))
    assert "Новый ИОМ на" in page.content.decode()
    response = client.post(reverse("routes:route_create"))
    route = Route.objects.get(person=w.teacher_staff)
    assert response.url == reverse("routes:route_detail", args=[route.pk])
    assert route.status == S.DRAFT and route.starts_on == timezone.localdate()


def test_adding_a_row_via_htmx_refreshes_the_roadmap(client, w):
    route = RouteFactory(person=w.teacher_staff)
    login(client, w, "teacher")
    form = client.get(reverse("routes:activity_add", args=[route.pk]) + f"?group={group('methodical').pk}", **HTMX)
    assert "Новое мероприятие" in form.content.decode()
    response = client.post(reverse("routes:activity_add", args=[route.pk]), form_data(route), **HTMX)
    assert response["HX-Retarget"] == "#roadmap"
    html = response.content.decode()
    assert "КПК «Формирующее оценивание»" in html and 'id="route-version" name="version" value="2"' in html


def test_an_invalid_row_comes_back_with_the_typed_text_and_the_error(client, w):
    route = RouteFactory(person=w.teacher_staff)
    login(client, w, "teacher")
    late = (route.ends_on + dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("routes:activity_add", args=[route.pk]),
                           form_data(route, deadline=late, title="Мой длинный набранный текст"), **HTMX)
    html = response.content.decode()
    assert "HX-Retarget" not in response
    assert "Срок должен быть внутри периода ИОМ" in html
    assert "Мой длинный набранный текст" in html
    assert not route.activities.exists()


def test_a_stale_page_gets_the_conflict_message_and_keeps_the_typed_text(client, w):
    route = RouteFactory(person=w.teacher_staff)
    row = ActivityFactory(route=route, title="Исходное")
    roadmap.activity_update(actor=w.user("teacher"), activity=row, data={"note": "из другой вкладки"},
                            expected_version=1)
    login(client, w, "teacher")
    response = client.post(reverse("routes:activity_edit", args=[row.pk]),
                           form_data(route, title="Моя правка", version=1), **HTMX)
    html = response.content.decode()
    assert "уже изменил другой пользователь" in html and "Моя правка" in html
    row.refresh_from_db()
    assert row.title == "Исходное" and row.note == "из другой вкладки"


def test_the_note_form_refuses_a_stale_version(client, w):
    route = RouteFactory(person=w.teacher_staff)
    login(client, w, "teacher")
    data = {name: getattr(route, name) or "" for name in roadmap.NOTE_FIELDS}
    data.update(starts_on=route.starts_on.isoformat(), ends_on=route.ends_on.isoformat(), topic="Новая тема",
                version=1)
    assert client.post(reverse("routes:route_note", args=[route.pk]), data).status_code == 302
    data["topic"] = "Вторая вкладка"
    response = client.post(reverse("routes:route_note", args=[route.pk]), data)
    assert "уже изменил другой пользователь" in response.content.decode()
    route.refresh_from_db()
    assert route.topic == "Новая тема"


def test_reorder_and_delete_through_htmx(client, w):
    route = RouteFactory(person=w.teacher_staff)
    first = ActivityFactory(route=route, title="Первое", order=1)
    second = ActivityFactory(route=route, title="Второе", order=2)
    login(client, w, "teacher")
    client.post(reverse("routes:activity_move", args=[second.pk]), {"direction": "up", "version": 1}, **HTMX)
    assert list(route.activities.order_by("order").values_list("pk", flat=True)) == [second.pk, first.pk]
    client.post(reverse("routes:activity_delete", args=[first.pk]), {"version": 2}, **HTMX)
    assert list(route.activities.values_list("pk", flat=True)) == [second.pk]


def test_marking_done_with_a_file_and_downloading_it_as_an_attachment(client, w):
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    row = ActivityFactory(route=route)
    login(client, w, "teacher")
    response = client.post(reverse("routes:activity_done", args=[row.pk]), {
        "done_on": timezone.localdate().isoformat(), "evidence_kind": "certificate", "note": "",
        "file": SimpleUploadedFile("сертификат.pdf", PDF, content_type="application/pdf"),
    }, **HTMX)
    assert response["HX-Retarget"] == "#roadmap"
    evidence = Evidence.objects.get()
    login(client, w, "deputy")
    download = client.get(reverse("routes:evidence_download", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF


def test_an_html_file_named_pdf_is_refused_on_the_page(client, w):
    route = RouteFactory(person=w.teacher_staff, status=S.IN_PROGRESS)
    row = ActivityFactory(route=route)
    login(client, w, "teacher")
    response = client.post(reverse("routes:activity_done", args=[row.pk]), {
        "done_on": timezone.localdate().isoformat(), "evidence_kind": "certificate", "note": "мое примечание",
        "file": SimpleUploadedFile("отчет.pdf", b"<html><script>alert(1)</script></html>"),
    }, **HTMX)
    html = response.content.decode()
    assert "не соответствует расширению .pdf" in html and "мое примечание" in html
    row.refresh_from_db()
    assert not row.is_done and not Evidence.objects.exists()


def test_another_schools_evidence_answers_404(client, w):
    route = RouteFactory(person=w.sibling_staff, status=S.IN_PROGRESS)
    row = ActivityFactory(route=route)
    evidence = Evidence.objects.create(activity=row, kind="certificate", url="https://example.org/x")
    evidence.file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF))
    for role in ("teacher", "deputy", "director"):
        login(client, w, role)
        assert client.get(reverse("routes:evidence_download", args=[evidence.pk])).status_code == 404


def test_returned_route_shows_the_teacher_the_commented_row(client, w):
    route = RouteFactory(person=w.teacher_staff, status=S.SUBMITTED)
    row = ActivityFactory(route=route, title="Открытый урок")
    roadmap.comment_add(actor=w.user("deputy"), route=route, activity=row, text="Перенесите на март")
    workflow.route_return(actor=w.user("deputy"), route=route, comment="См. замечание к строке")
    login(client, w, "teacher")
    html = client.get(reverse("routes:route_detail", args=[route.pk])).content.decode()
    assert "См. замечание к строке" in html and "Перенесите на март" in html
    assert f'id="activity-{row.pk}" class="activity-row commented' in html


def _queries(client, url) -> int:
    client.get(url)  # warm-up: the first request after force_login also saves the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("status", [S.DRAFT, S.IN_PROGRESS])
def test_the_route_page_costs_the_same_for_10_and_100_activities(client, w, status):
    """Queries: session, user, memberships, route with person/organisation, activities with
    group/kind/task, their comments with authors, their evidence, route comments, roadmap
    groups, transitions, the latest review, the notifications count, the submission check
    (drafts) and the menu's own checks — none of them per activity."""
    login(client, w, "teacher")
    small = RouteFactory(person=w.teacher_staff, status=status)
    big = RouteFactory(person=w.teacher_staff, status=status, academic_year="2024-2025",
                       starts_on=dt.date(2024, 9, 1), ends_on=dt.date(2025, 8, 31))
    for route, count in ((small, 10), (big, 100)):
        for i in range(count):
            activity = ActivityFactory(route=route, group=group(["subject", "methodical"][i % 2]))
            CommentFactory(route=route, activity=activity, author=w.user("deputy"))
    small_count = _queries(client, reverse("routes:route_detail", args=[small.pk]))
    big_count = _queries(client, reverse("routes:route_detail", args=[big.pk]))
    assert small_count == big_count
    assert small_count <= 20


def test_commenting_on_another_schools_route_answers_404(client, w):
    route = RouteFactory(person=w.sibling_staff, status=S.SUBMITTED)
    login(client, w, "deputy")
    response = client.post(reverse("routes:comment_add", args=[route.pk]), {"text": "чужой"})
    assert response.status_code == 404
    assert not route.comments.exists()


def test_a_route_loaded_from_a_file_says_so_next_to_its_status(w, client):
    loaded_at = timezone.make_aware(dt.datetime(2024, 5, 15, 12, 0))
    route = RouteFactory(person=w.teacher_staff, status=Route.Status.COMPLETED, imported_at=loaded_at,
                         imported_from="ИОМ <2023>.xlsx")
    typed = RouteFactory(person=w.teacher_staff, academic_year="2022-2023")
    client.force_login(w.user("deputy"))
    page = client.get(reverse("routes:route_detail", args=[route.pk])).content.decode()
    assert "Загружен из файла «ИОМ &lt;2023&gt;.xlsx» 15.05.2024" in page
    assert "Загружен из файла" not in client.get(reverse("routes:route_detail", args=[typed.pk])).content.decode()
