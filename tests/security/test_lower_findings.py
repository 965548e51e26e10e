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
