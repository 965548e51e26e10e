"""Finding 7 of the security review (lower severity): each test names the behaviour the portal
must have; each failed before its fix.

a) the registry export at the five-jobs limit;  b) an invalid registry filter and the URL;
c) ids beyond the integer range;  d) the per-address login limit;  e) links that leave the portal;
f) the CSRF failure page and the error pages.
"""

import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse

from iom_portal import urls as portal_urls
from tests.world import World

pytestmark = pytest.mark.django_db

HUGE = str(10**30)


@pytest.fixture
def w():
    return World()


@pytest.fixture
def security_events():
    """The events written to the security log during the test: [(event, fields), ...]."""

    class Capture(logging.Handler):
        def __init__(self):
            super().__init__(level=logging.INFO)
            self.events = []

        def emit(self, record):
            self.events.append((record.getMessage(), vars(record)))

    handler = Capture()
    logger = logging.getLogger("iom.security")
    logger.addHandler(handler)
    yield handler.events
    logger.removeHandler(handler)


# --------------------------------------------------------------------------- c) ids beyond the range

@pytest.mark.parametrize(("path", "status"), [
    # reports: the filter forms list the organisations of the chosen municipality; the filter says
    # the choice is wrong
    (f"/reports/?municipality={HUGE}", 200),
    (f"/reports/registry/?municipality={HUGE}", 200),
    (f"/reports/registry/?organisation={HUGE}&municipality=1", 200),
    ("/reports/registry/?municipality=²", 200),  # str.isdigit() says yes, int() says no
    # routes: the implementation monitor's filter (core.ids.parse_id: no organisation list, the filter says why)
    (f"/routes/monitor/?municipality={HUGE}", 200),
    ("/routes/monitor/?municipality=²", 200),
])
def test_a_filter_with_an_id_beyond_the_integer_range_is_refused_without_a_server_error(w, client, path, status):
    client.force_login(w.user("admin"))  # several municipalities: the organisation list depends on the choice
    assert client.get(path).status_code == status


@pytest.mark.parametrize("value", ["²", HUGE])
def test_the_monitor_filtered_by_a_municipality_that_is_no_id_says_the_choice_is_wrong(w, client, value):
    client.force_login(w.user("admin"))
    response = client.get(reverse("routes:monitor"), {"municipality": value})
    assert response.status_code == 200
    filters = response.context["filters"]
    offered = [v for v, _ in filters.form.fields["organisation"].widget.choices if v]
    assert "municipality" in filters.errors and offered == []
    assert "выберите муниципалитет" in response.content.decode()  # under the organisation list, as with no choice


@pytest.mark.parametrize("value", ["²", HUGE])
def test_the_mentoring_page_with_an_organisation_that_is_no_id_selects_none(w, client, value):
    from tests.methodics.factories import PairFactory

    PairFactory(mentee=w.colleague)
    client.force_login(w.user("municipal_methodist"))  # several organisations: a choice to make
    response = client.get(reverse("methodics:mentoring"), {"organisation": value})
    assert response.status_code == 200
    assert response.context["selected"] is None and response.context["choose"]
    assert w.colleague.full_name in response.content.decode()  # the pairs of the whole scope, as without a choice


@pytest.mark.parametrize("value", ["²", HUGE])
def test_marking_attendance_with_a_person_that_is_no_id_marks_nobody(w, client, value):
    from methodics.models import Attendance
    from tests.methodics.factories import EventFactory

    event = EventFactory(municipality=w.municipality)
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("methodics:attendance_add", args=[event.pk]),
                           {"person": [value], "organisation": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("methodics:event_detail", args=[event.pk]) + "#attendance"
    assert not Attendance.objects.filter(event=event).exists()


@pytest.mark.parametrize("value", ["²", HUGE])
def test_adding_a_project_participant_that_is_no_id_answers_404_and_adds_nobody(w, client, value):
    from methodics.models import ProjectParticipant
    from tests.methodics.factories import ProjectFactory

    project = ProjectFactory(municipality=w.municipality)
    client.force_login(w.user("municipal_methodist"))
    response = client.post(reverse("methodics:participant_add", args=[project.pk]), {"person": value})
    assert response.status_code == 404
    assert not ProjectParticipant.objects.filter(project=project).exists()


def test_a_new_pair_for_a_mentee_that_is_no_id_starts_with_an_empty_form(w, client):
    client.force_login(w.user("deputy"))
    response = client.get(reverse("methodics:pair_create", args=[w.school.pk]), {"mentee": "²"})
    assert response.status_code == 200
    assert response.context["form"].initial == {}


@pytest.mark.parametrize("value", ["²", HUGE])
def test_the_staff_export_of_an_organisation_that_is_no_id_holds_nobody(w, client, value):
    import io

    from openpyxl import load_workbook

    client.force_login(w.user("admin"))
    response = client.get(reverse("import_export", args=["staff"]), {"organisation": value})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert list(book.worksheets[0].iter_rows(min_row=2, values_only=True)) == []


def test_ordering_a_report_with_a_huge_municipality_is_a_form_error(w, client):
    client.force_login(w.user("regional_methodist"))
    response = client.post(reverse("reports:index"), {"kind": "coverage", "format": "xlsx", "municipality": HUGE})
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()


@pytest.mark.parametrize("name", [
    "reports:school", "reports:municipality", "reports:region", "routes:route_detail", "routes:route_history",
    "methodics:event_detail", "diagnostics:person", "diagnostics:school", "organisation_detail",
    "staff_detail",
])
def test_an_id_in_the_path_beyond_the_integer_range_answers_404(w, client, name):
    client.force_login(w.user("admin"))
    assert client.get(reverse(name, args=[10**30])).status_code == 404


def test_a_post_to_an_id_beyond_the_integer_range_answers_404(w, client):
    client.force_login(w.user("teacher"))
    assert client.post(reverse("notification_read", args=[10**30])).status_code == 404


def _overflowing_view(request):
    raise OverflowError("Python int too large to convert to SQLite INTEGER")


def _failing_view(request):
    raise RuntimeError("a bug")


# The urlconf of the tests marked @pytest.mark.urls(__name__): the portal's, and two views that fail.
urlpatterns = [
    path("overflowing/", _overflowing_view, name="overflowing"),
    path("failing/", login_not_required(_failing_view), name="failing"),
    *portal_urls.urlpatterns,
]


@pytest.mark.urls(__name__)
def test_an_overflow_anywhere_answers_the_portals_404_and_is_logged(w, client, security_events):
    client.force_login(w.user("admin"))
    response = client.get("/overflowing/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
    refusals = [fields for event, fields in security_events if event == "not_found"]
    assert refusals and refusals[0]["exception"] == "OverflowError"


# --------------------------------------------------------------------------- a) b) the registry export

def _five_running_jobs(user):
    from reports.models import ReportJob

    ReportJob.objects.bulk_create(
        ReportJob(requester=user, kind="registry", format="xlsx", params={"filters": {}},
                  status=ReportJob.Status.RUNNING) for _ in range(5))


def test_the_registry_export_at_the_five_jobs_limit_says_so_like_the_report_form(w, client):
    from reports.models import ReportJob

    user = w.user("municipal_methodist")
    _five_running_jobs(user)
    client.force_login(user)
    response = client.post(reverse("reports:registry_export"), {"status": "in_progress", "format": "xlsx"},
                           follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][0] == reverse("reports:registry") + "?status=in_progress"
    assert "У вас уже формируются 5 отчетов: дождитесь их готовности." in response.content.decode()
    assert ReportJob.objects.filter(requester=user).count() == 5

    # the report form answers the same limit with the same words
    page = client.post(reverse("reports:index"), {
        "kind": "coverage", "format": "xlsx", "municipality": w.municipality.pk, "years": ["2022-2023"],
    }).content.decode()
    assert "У вас уже формируются 5 отчетов: дождитесь их готовности." in page


def test_an_invalid_registry_filter_on_export_puts_only_the_filter_fields_in_the_url(w, client):
    client.force_login(w.user("municipal_methodist"))
    client.get(reverse("reports:registry"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("reports:registry_export"), {
        "csrfmiddlewaretoken": token, "format": "xlsx", "status": "in_progress",
        "progress_min": "60", "progress_max": "10", "note": "not a filter",
    })
    assert response.status_code == 302
    location = response["Location"]
    assert "csrfmiddlewaretoken" not in location and token not in location
    assert "format" not in location and "note" not in location
    assert location == reverse("reports:registry") + "?status=in_progress&progress_min=60&progress_max=10"
    page = client.get(location).content.decode()
    assert "Нижняя граница выполнения больше верхней" in page


def test_the_registry_links_carry_only_the_filter_fields(w, client):
    from routes.models import Route
    from tests.routes.factories import RouteFactory

    RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    client.force_login(w.user("municipal_methodist"))
    page = client.get(reverse("reports:registry"),
                      {"status": "in_progress", "csrfmiddlewaretoken": "leaked", "page": "1"}).content.decode()
    assert "leaked" not in page
    assert "?status=in_progress&amp;sort=municipality" in page


# --------------------------------------------------------------------------- e) links that leave the portal

HTMX = {"HTTP_HX_REQUEST": "true"}


def _link_evidence(w, url):
    """A stored link, as an older row or another way in might have left it (no form in between)."""
    from routes.models import Evidence, Route
    from tests.routes.factories import ActivityFactory, RouteFactory

    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    return Evidence.objects.create(activity=ActivityFactory(route=route), kind="link", url=url)


def test_a_link_evidence_shows_the_external_site_before_leaving_instead_of_redirecting(w, client):
    evidence = _link_evidence(w, "https://school.example/report?id=5")
    client.force_login(w.user("deputy"))
    response = client.get(reverse("routes:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Вы переходите на внешний сайт: <strong>school.example</strong>" in page
    assert '<a class="btn btn-primary" href="https://school.example/report?id=5" rel="noopener noreferrer">' in page
    assert reverse("routes:route_detail", args=[evidence.activity.route_id]) + "#roadmap" in page


@pytest.mark.parametrize("url", ["ftp://files.example/cert.pdf", "//evil.example/x", "javascript:alert(1)",
                                 "https:evil.example"])
def test_a_stored_link_that_is_not_a_web_address_is_shown_as_text_and_never_followed(w, client, url):
    evidence = _link_evidence(w, url)
    client.force_login(w.user("deputy"))
    response = client.get(reverse("routes:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "не ведет на сайт и не открывается" in page
    assert f'href="{url}"' not in page


def test_an_internationalised_host_is_also_shown_in_ascii(w, client):
    evidence = _link_evidence(w, "https://аpple.com/")  # the first letter is Cyrillic
    client.force_login(w.user("deputy"))
    page = client.get(reverse("routes:evidence_download", args=[evidence.pk])).content.decode()
    assert "аpple.com (xn--pple-43d.com)" in page


def test_a_link_to_the_portal_itself_is_followed_without_a_warning(w, client, settings):
    settings.PORTAL_BASE_URL = "http://portal.example"
    settings.ALLOWED_HOSTS = ["testserver", "portal.example"]
    evidence = _link_evidence(w, "http://portal.example/methodics/events/1/")
    client.force_login(w.user("deputy"))
    response = client.get(reverse("routes:evidence_download", args=[evidence.pk]))
    assert response.status_code == 302 and response["Location"] == "http://portal.example/methodics/events/1/"


def test_the_roadmap_links_a_link_evidence_through_the_warning_page(w, client):
    evidence = _link_evidence(w, "https://school.example/report")
    client.force_login(w.user("deputy"))
    page = client.get(reverse("routes:route_detail", args=[evidence.activity.route_id])).content.decode()
    assert 'href="https://school.example/report"' not in page
    assert f'href="{reverse("routes:evidence_download", args=[evidence.pk])}"' in page


@pytest.mark.parametrize("url", ["ftp://files.example/cert.pdf", "javascript:alert(1)"])
def test_adding_a_link_evidence_accepts_only_a_web_address(w, client, url):
    from routes.models import Evidence, Route
    from tests.routes.factories import ActivityFactory, RouteFactory

    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    activity = ActivityFactory(route=route)
    client.force_login(w.user("teacher"))
    response = client.post(reverse("routes:evidence_add", args=[activity.pk]), {"kind": "link", "url": url}, **HTMX)
    assert "Укажите адрес сайта целиком, начиная с http:// или https://." in response.content.decode()
    response = client.post(reverse("routes:activity_done", args=[activity.pk]), {
        "done_on": "2023-03-01", "evidence_kind": "certificate", "url": url, "note": ""}, **HTMX)
    assert "Укажите адрес сайта целиком, начиная с http:// или https://." in response.content.decode()
    assert not Evidence.objects.filter(activity=activity).exists()


def test_a_scheme_relative_link_is_refused_not_completed(w, client):
    # "//host/…" hides where a link leads; the field completes "school.ru/x" but never "//school.ru/x"
    from routes.models import Evidence, Route
    from tests.routes.factories import ActivityFactory, RouteFactory

    route = RouteFactory(person=w.teacher_staff, status=Route.Status.IN_PROGRESS)
    activity = ActivityFactory(route=route)
    client.force_login(w.user("teacher"))
    response = client.post(reverse("routes:evidence_add", args=[activity.pk]),
                           {"kind": "link", "url": "//school.example/x"}, **HTMX)
    assert "начиная с http:// или https://" in response.content.decode()
    assert not Evidence.objects.filter(activity=activity).exists()


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_opening_a_notification_never_leaves_the_portal(w, client, url):
    from core.models import Notification

    notification = Notification.objects.create(recipient=w.user("teacher"), text="ИОМ утвержден", url=url)
    client.force_login(w.user("teacher"))
    response = client.post(reverse("notification_read", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("notifications")


def test_opening_a_notification_follows_its_local_path(w, client):
    from core.models import Notification

    notification = Notification.objects.create(recipient=w.user("teacher"), text="ИОМ утвержден", url="/routes/")
    client.force_login(w.user("teacher"))
    assert client.post(reverse("notification_read", args=[notification.pk]))["Location"] == "/routes/"


def _catalog_pages(count=51):
    from routes.models import ActivityKind, CatalogResource

    kind = ActivityKind.objects.get(code="seminar")
    CatalogResource.objects.bulk_create(
        CatalogResource(kind="event", title=f"Семинар {i:03}", activity_kind=kind) for i in range(count))


def test_the_pagination_links_encode_every_key_and_value_of_the_query(w, client):
    _catalog_pages()
    client.force_login(w.user("teacher"))
    response = client.get(reverse("catalog:list") + '?kind=event&x%22%3E%3Cb%3Ey=1&a%26page%3D9=%26%3F&text=')
    page = response.content.decode()
    assert response.context["page"].paginator.num_pages == 2
    assert '<b>y' not in page and "a&page=9" not in page
    assert 'href="?kind=event&amp;x%22%3E%3Cb%3Ey=1&amp;a%26page%3D9=%26%3F&amp;text=&amp;page=2"' in page


def test_the_pagination_links_carry_no_csrf_token_and_keep_repeated_keys(w, client):
    _catalog_pages()
    client.force_login(w.user("teacher"))
    page = client.get(reverse("catalog:list") + "?csrfmiddlewaretoken=leaked&kind=course&page=1&kind=event"
                      ).content.decode()
    assert "leaked" not in page
    assert 'href="?kind=course&amp;kind=event&amp;page=2"' in page


# --------------------------------------------------------------------------- d) the per-address login limit

PASSWORD = "pass-word-123"  # tests.factories.UserFactory
WRONG = "not-the-password"


def _login(client, username, password, address="10.0.0.1", **headers):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address,
                       **headers)


def _accounts(n):
    from tests.factories import UserFactory

    return [UserFactory(username=f"teacher{i}").username for i in range(n)]


@pytest.mark.axes
def test_one_address_trying_four_passwords_against_every_account_is_locked_at_twenty(client, settings):
    assert settings.AXES_FAILURE_LIMIT == 5 and settings.AXES_ADDRESS_FAILURE_LIMIT == 20
    *victims, bystander = _accounts(6)
    statuses = [_login(client, name, WRONG).status_code for name in victims for _ in range(4)]
    assert statuses == [200] * 19 + [429]  # no account got its fifth failure: the address did

    locked = _login(client, bystander, PASSWORD)
    page = locked.content.decode()
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert "под разными логинами (20)" in page and "Попробуйте снова через 15 мин." in page
    # another address is not locked, for the same accounts
    assert _login(client, bystander, PASSWORD, address="10.0.0.2").status_code == 302


@pytest.mark.axes
def test_logging_into_an_own_account_does_not_reset_the_address_count(client):
    *victims, own, fresh = _accounts(7)
    for name in victims:
        for _ in range(4 if name != victims[-1] else 3):
            assert _login(client, name, WRONG).status_code == 200
    assert _login(client, own, PASSWORD).status_code == 302  # 19 failures so far: still allowed
    client.logout()
    # the twentieth failure, against an account never tried before, locks the address
    assert _login(client, fresh, WRONG).status_code == 429
    assert "под разными логинами" in _login(client, own, PASSWORD).content.decode()


@pytest.mark.axes
def test_the_address_lock_page_shows_the_real_wait(client):
    import datetime as dt

    from axes.models import AccessAttempt
    from django.utils import timezone

    *victims, bystander = _accounts(6)
    for name in victims:
        for _ in range(4):
            _login(client, name, WRONG)
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=10))

    # the twenty failures of ten minutes ago lock the address for five more minutes
    page = _login(client, bystander, PASSWORD).content.decode()
    assert "под разными логинами" in page and "Попробуйте снова через 5 мин." in page

    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _login(client, bystander, PASSWORD).status_code == 302


@pytest.mark.axes
def test_behind_a_proxy_the_address_limit_counts_the_address_the_proxy_saw(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    *victims, bystander = _accounts(6)
    nginx = "127.0.0.1"
    for i, name in enumerate(victims):
        for j in range(4):  # the attacker varies what it writes itself into X-Forwarded-For
            _login(client, name, WRONG, address=nginx, HTTP_X_FORWARDED_FOR=f"192.0.2.{i * 4 + j}, 203.0.113.7")
    assert _login(client, bystander, PASSWORD, address=nginx,
                  HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7").status_code == 429
    # another client behind the same nginx is not locked
    assert _login(client, bystander, PASSWORD, address=nginx, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


def test_the_client_address_believes_only_the_trusted_proxies(settings):
    from django.test import RequestFactory

    from core.lockout import client_address

    def request(remote, forwarded=None):
        meta = {"REMOTE_ADDR": remote} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
        return RequestFactory().get("/", **meta)

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request("10.0.0.1", "203.0.113.7")) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request("10.0.0.1", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    assert client_address(request("10.0.0.1")) == "10.0.0.1"
    assert client_address(request("10.0.0.1", "not-an-address")) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request("10.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


@pytest.mark.parametrize(("env", "message"), [
    ({"AXES_ADDRESS_FAILURE_LIMIT": "0"}, "AXES_ADDRESS_FAILURE_LIMIT must be at least 1"),
    ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be 0 or more"),
])
def test_a_bad_login_limit_stops_the_start(env, message):
    from tests.test_settings import load_settings

    result = load_settings(**env)
    assert result.returncode != 0 and message in result.stderr


# --------------------------------------------------------------------------- f) the CSRF failure page, the error pages

def _csrf_client(**defaults):
    from django.test import Client

    return Client(enforce_csrf_checks=True, raise_request_exception=False, **defaults)


def test_a_form_with_a_stale_token_gets_the_russian_page_in_the_portal_layout(w, security_events):
    client = _csrf_client()
    client.force_login(w.user("teacher"))
    response = client.post(reverse("notification_read_all"), {"csrfmiddlewaretoken": "stale"},
                           HTTP_REFERER="http://testserver/notifications/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Страница устарела или форма отправлена повторно" in page
    assert "ИОМ-портал" in page and 'class="navbar' in page  # the portal's layout
    assert '<a class="btn btn-primary" href="http://testserver/notifications/">Вернуться на страницу</a>' in page
    assert "CSRF verification failed" not in page and "Forbidden" not in page
    refusals = [fields for event, fields in security_events if event == "refused"]
    assert refusals and refusals[0]["exception"] == "CsrfViewMiddleware"


def test_the_csrf_page_never_links_back_to_another_site(w):
    client = _csrf_client()
    page = client.post(reverse("login"), {"username": "teacher", "password": PASSWORD},
                       HTTP_REFERER="https://evil.example/login").content.decode()
    assert "Страница устарела" in page and "evil.example" not in page
    assert f'href="{reverse("login")}">Ко входу</a>' in page


def test_a_bad_request_is_answered_in_russian(client, settings):
    settings.DEBUG = False
    from django.test import Client

    response = Client(raise_request_exception=False).get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400
    assert "Неверный запрос" in response.content.decode()


@pytest.mark.urls(__name__)
def test_the_error_pages_are_russian(w, client):
    client.force_login(w.user("teacher"))
    assert "Страница не найдена" in client.get("/no-such-page/").content.decode()
    assert "Доступ запрещен" in client.get(reverse("reports:index")).content.decode()
    from django.test import Client

    failing = Client(raise_request_exception=False)
    response = failing.get("/failing/")
    assert response.status_code == 500 and "Произошла ошибка" in response.content.decode()


@pytest.mark.parametrize("url_name", ["notification_read_all", "reports:registry_export"])
def test_a_get_on_a_post_only_action_shows_a_russian_page_not_a_blank_one(w, client, url_name):
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse(url_name))
    assert response.status_code == 405 and "POST" in response["Allow"]
    page = response.content.decode()
    assert "Действие выполняется кнопкой" in page and 'href="/"' in page


def test_an_htmx_get_on_a_post_only_action_keeps_the_bare_405(w, client):
    client.force_login(w.user("municipal_methodist"))
    response = client.get(reverse("notification_read_all"), headers={"HX-Request": "true"})
    assert response.status_code == 405 and response.content == b""
