"""Shared fixtures of the browser tests (Playwright driving Debian's Chromium).

    def test_something(portal, browser_page):
        page = browser_page("deputy")          # logged in through the login form
        page.goto(portal.url + "/routes/")
        portal.shot(page, "deputy-queue")      # screenshots/<test name>/NN-deputy-queue.png
        portal.check_accessibility(page)       # axe-core: no serious or critical violation

Every page a test opens is watched: a request to a host other than the portal's, a JavaScript
error in the console, or a first load heavier than 300 KB fails the test at teardown.
The server is Django's live server with WhiteNoise serving static files the way production
does (precompressed vendor files), so the transferred sizes are the real ones.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGE_WEIGHT_LIMIT = 300 * 1024
AXE_URL = "/static/vendor/axe/axe.min.js"
DEMO_PASSWORD = "pass-word-123"  # tests/factories.UserFactory's password


class _PassThrough:
    """Static handler that hands every request to Django, so WhiteNoise serves /static/."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        return self.application(environ, start_response)


class Portal:
    def __init__(self, url: str, test_name: str):
        self.url = url
        self.host = urlparse(url).netloc
        self.folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", test_name)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.counter = 0
        self.problems: list[str] = []

    def shot(self, page, name: str) -> Path:
        self.counter += 1
        path = self.folder / f"{self.counter:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def check_accessibility(self, page) -> None:
        # From the portal's own origin: the page's CSP allows it, and it is not counted as page weight.
        page.add_script_tag(url=self.url + AXE_URL)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, "axe: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in bad
        )

    def assert_no_horizontal_scroll(self, page) -> None:
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"the page scrolls sideways by {overflow}px: {page.url}"

    def watch(self, page) -> None:
        loads: dict[str, int] = {}
        state = {"document": None}

        def on_request(request):
            host = urlparse(request.url).netloc
            if request.url.startswith(("data:", "blob:", "about:")):
                return
            if host and host != self.host:
                self.problems.append(f"request to another host: {request.url}")

        def on_response(response):
            request = response.request
            if request.resource_type == "document" and request.frame == page.main_frame:
                state["document"] = request.url
                loads[request.url] = 0
            document = state["document"]
            if document is None or request.url.endswith(AXE_URL):
                return
            try:
                sizes = request.sizes()
                loads[document] = loads.get(document, 0) + sizes["responseBodySize"] + sizes["responseHeadersSize"]
            except Exception:  # the request was aborted or the page moved on
                return
            if loads[document] > PAGE_WEIGHT_LIMIT:
                self.problems.append(f"page heavier than 300 KB on load: {document} ({loads[document]} bytes)")

        def on_console(message):
            if message.type == "error":
                self.problems.append(f"console error on {page.url}: {message.text}")

        page.on("request", on_request)
        page.on("requestfinished", lambda request: on_response(request.response()) if request.response() else None)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.problems.append(f"JavaScript error on {page.url}: {error}"))


@pytest.fixture(scope="session")
def _portal_server(django_db_setup, django_db_blocker):
    from django.test.testcases import LiveServerThread
    from django.test.utils import override_settings

    from tests.conftest import PLAIN_HTTP

    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True, **PLAIN_HTTP):
        from django.db import connections

        # As pytest-django's live server does: an in-memory SQLite database is shared with the
        # server thread through the test's own connection (two connections lock each other out).
        shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
        for connection in shared.values():
            connection.inc_thread_sharing()
        thread = LiveServerThread("127.0.0.1", _PassThrough, connections_override=shared)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()


@pytest.fixture
def _chromium(portal):
    """Chromium for one test. Playwright's sync API runs an event loop in this thread while it
    lives, and Django then hands the test other connection objects (asgiref's Local is per task
    inside a loop) — ones that lack the serialized contents the next transactional test restores.
    So the loop lives exactly as long as one test, and the flag that lets the ORM run beside it
    is set only meanwhile (check --deploy subprocesses must not inherit it)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def portal(_portal_server, transactional_db, django_db_serialized_rollback, request, settings):
    # Serialized rollback: the flush after a transactional test would otherwise take the data
    # the migrations loaded (activity kinds, competency groups) away from the tests after it.
    settings.AXES_ENABLED = False
    portal = Portal(_portal_server, request.node.name)
    yield portal
    assert not portal.problems, "\n".join(dict.fromkeys(portal.problems))


@pytest.fixture
def browser_page(_chromium, portal):
    """browser_page(username=None, viewport=(1366, 900)) → a watched page, logged in if a username is given."""
    contexts = []

    def open_page(username: str | None = None, password: str = DEMO_PASSWORD, viewport=(1366, 900)):
        # Reduced motion: Bootstrap then skips its transitions, so axe never samples a button
        # halfway through its hover fade (a colour-contrast failure one run in two).
        context = _chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="ru-RU",
                                        reduced_motion="reduce")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        portal.watch(page)
        if username:
            page.goto(portal.url + "/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield open_page
    for context in contexts:
        context.close()
