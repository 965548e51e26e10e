"""Finding 7 of the security review (lower severity): each test names the behaviour the portal
must have; each failed before its fix.

a) the registry export at the five-jobs limit;  b) an invalid registry filter and the URL;
c) ids beyond the integer range;  d) the per-address login limit;  e) links that leave the portal;
f) the CSRF failure page and the error pages.
"""

import logging

import pytest
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
    # routes: the implementation monitor's filter is caught by the net (OutOfRangeIdMiddleware)
    (f"/routes/monitor/?municipality={HUGE}", 404),
])
def test_a_filter_with_an_id_beyond_the_integer_range_is_refused_without_a_server_error(w, client, path, status):
    client.force_login(w.user("admin"))  # several municipalities: the organisation list depends on the choice
    assert client.get(path).status_code == status


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


urlpatterns = [path("overflowing/", _overflowing_view, name="overflowing"), *portal_urls.urlpatterns]


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
