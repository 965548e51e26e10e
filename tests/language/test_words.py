"""The language check (issue 22): every page, e-mail and document the portal builds reads as Russian
without internal labels, wrong plurals, doubled kinds, nested quotes, double full stops, labels in
small letters or texts cut mid-word (the rules: tests/language/checks.py, docs/glossary.md).

Two passes, because each sees what the other cannot:
- the permission matrix's World: every GET URL of the matrix (tests/matrix), as every role the
  matrix lets in (200), so no page is left out;
- the demo (`load_demo`): real texts. Each demo role starts at «/» and follows the links of the
  pages it reaches, at most PER_NAME addresses per URL name (a route page in two states, not all
  ninety routes), downloads included (PDF, DOCX, XLSX); then every report builder in every format,
  the password-reset e-mail, and every notification and e-mail the demo wrote.
"""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve

from tests.language.checks import cut_problems, document_text, label_problems, page_texts, problems
from tests.matrix import all_cases
from tests.test_permission_matrix import undone
from tests.world import ROLES, World

PER_NAME = 2
DOCUMENT_TYPES = ("pdf", "wordprocessingml", "spreadsheetml")
# Links the crawl does not follow: leaving, the admin (Django's own words), files served as they were uploaded.
NOT_FOLLOWED = ("/accounts/logout", "/admin/", "/static/", "/media/", "/routes/evidence/", "/catalog/link/",
                "/healthz", "/metrics", "/api/")


def _figure_codes() -> frozenset:
    from core.figures import all_figures

    return frozenset(f.code for f in all_figures()) | {"audit", "courses", "events", "project"}  # the groups it names


def _read(response, where: str) -> list[str]:
    # Logins (the header, «Пригласил» of a user without a name) are the users' data; «Как считаются показатели» names each
    # figure by the code the API and the exports use, on purpose.
    allowed = frozenset(get_user_model().objects.values_list("username", flat=True))
    if response.wsgi_request.path.startswith("/routes/evidence/"):
        return []  # a teacher's upload, served as it came (the demo's are not real PDFs)
    if urlsplit(response.wsgi_request.path).path.startswith("/figures/"):
        allowed |= _figure_codes()
    content_type = response.get("Content-Type", "")
    if any(kind in content_type for kind in DOCUMENT_TYPES):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        try:
            return problems(document_text(content, content_type), where, allowed)
        except Exception as exc:  # noqa: BLE001 (a document the user cannot open is a finding too)
            return [f"{where}: the document cannot be read: {type(exc).__name__}: {exc}"]
    if "text/html" not in content_type:
        return []
    text, labels = page_texts(response.content.decode())
    return problems(text, where, allowed) + label_problems(labels, where)


@pytest.mark.django_db
def test_every_matrix_page_reads_right_for_every_role_that_sees_it():
    world = World()
    found = []
    # The World's report job holds a placeholder file, not a report: the demo pass reads real ones.
    cases = [c for c in all_cases() if not c.writes and c.client is None and c.name != "reports:download"]
    clients = {}
    for role in ROLES:
        clients[role] = Client()
        if world.user(role) is not None:
            clients[role].force_login(world.user(role))
    for case in cases:
        memo = dict(world._objects)  # what a case builds is rolled back, so it is forgotten too
        with undone():  # a case's objects (a route of a state) would collide with another case's
            url = case.url(world)
            for role, status in case.expect.items():
                if status == 200 and (role != "anonymous" or case.public):
                    found += _read(clients[role].get(url), f"{role} {url}")
        world._objects = memo
    assert not found, "\n".join(sorted(set(found)))


def _links(html: str) -> list[str]:
    return re.findall(r'href="(/[^"#]*)"', html)


def _name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def _crawl(client: Client, role: str) -> list[str]:
    found, seen, per_name, queue = [], set(), {}, ["/"]
    while queue:
        path = queue.pop(0).replace("&amp;", "&")
        name = _name(path)
        if path in seen or name is None or path.startswith(NOT_FOLLOWED) or per_name.get(name, 0) >= PER_NAME:
            continue
        seen.add(path)
        per_name[name] = per_name.get(name, 0) + 1
        response = client.get(path)
        if response.status_code != 200:
            continue
        found += _read(response, f"{role} {path}")
        if "text/html" in response.get("Content-Type", ""):
            queue += [link for link in _links(response.content.decode()) if link not in seen]
    return found


@pytest.fixture
def demo(db, settings):
    from devdata.demo import load_demo

    settings.DEBUG = True
    load_demo()


DEMO_USERS = ["teacher", "deputy", "director", "methodist", "regional", "admin"]


def test_every_demo_page_reads_right(demo):
    found = []
    for username in DEMO_USERS:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        found += _crawl(client, username)
    assert not found, "\n".join(sorted(set(found)))


def test_every_report_document_reads_right(demo):
    from reports.builders import BUILDERS, ReportError, ReportParams, build
    from reports.selectors.registry import registry_queryset
    from routes.models import Route
    from schools.models import Municipality

    municipality = Municipality.objects.filter(organisations__staff__isnull=False).distinct().first()
    found = []
    for kind, builder in BUILDERS.items():
        params = ReportParams.from_dict({"municipality_id": municipality.pk})
        if kind == "project":
            from methodics.models import Project

            params = ReportParams.from_dict({"project_id": Project.objects.first().pk})
        if kind == "region":
            params = ReportParams.from_dict({"region_id": municipality.region_id})
        extra = {"queryset": registry_queryset(Route.objects.all())} if kind == "registry" else {}
        if kind == "monitor":  # the monitor's rows over the whole demo (an administrator's scope), every year
            from django.contrib.auth import get_user_model

            from routes.monitor.selectors import monitor_rows

            extra = {"queryset": monitor_rows(get_user_model().objects.get(username="admin"), None)}
        for fmt in builder.formats:
            out = io.BytesIO()
            try:
                build(kind, fmt, params, out, **extra)
            except ReportError as exc:  # a kind that needs other parameters says so in Russian
                pytest.fail(f"{kind} {fmt}: {exc}")
            types = {"pdf": "pdf", "docx": "wordprocessingml", "xlsx": "spreadsheetml", "csv": "csv"}
            found += problems(document_text(out.getvalue(), types[fmt]), f"{kind}.{fmt}")
    assert not found, "\n".join(sorted(set(found)))


def test_every_e_mail_and_notification_reads_right(demo, client):
    from core.models import Notification, OutgoingEmail
    from core.services import notification_subject

    client.post("/accounts/password/reset/", {"email": "teacher@demo.iom"})
    found = []
    logins = dict(get_user_model().objects.values_list("email", "username"))
    for email in OutgoingEmail.objects.all():
        # the password e-mail names the account's login («teacher» in the demo): the user's data
        login = logins.get(email.to)
        body = re.sub(rf"\b{re.escape(login)}\b", "<login>", email.body) if login else email.body
        found += problems(email.subject + "\n" + body, f"e-mail «{email.subject}»")
        if email.subject.startswith("ИОМ-портал: "):
            found += cut_problems(email.subject.removeprefix("ИОМ-портал: "), 80, f"e-mail subject «{email.subject}»")
    for note in Notification.objects.all():
        found += problems(note.text, "notification") + cut_problems(note.text, 500, "notification")
        # the demo's made-up history sends no e-mail: the subject its e-mail would have, checked from the text
        subject = notification_subject(note.text)
        found += cut_problems(subject.removeprefix("ИОМ-портал: "), 80, f"e-mail subject «{subject}»")
    found += _digest_problems()
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.PASSWORD_RESET).exists()
    assert not found, "\n".join(sorted(set(found)))


def _digest_problems() -> list[str]:
    """The weekly and monthly digests (routes/digests) of every demo account that receives one, e-mail or not."""
    from django.utils import timezone

    from routes.digests import services as digests
    from schools.access import CAPABILITIES
    from schools.models import Membership

    roles = CAPABILITIES["digest.weekly"] | CAPABILITIES["digest.monthly"]
    users = get_user_model().objects.filter(pk__in=Membership.objects.filter(role__in=roles).values("user_id"))
    now, today, found, read = timezone.now(), timezone.localdate(), [], 0
    for user in users:
        for message in (digests.weekly_email(user, today=today, now=now), digests.monthly_email(user, today=today)):
            if message:
                subject, body = message
                found += problems(subject + "\n" + body, f"digest «{subject}»")
                found += cut_problems(subject.removeprefix("ИОМ-портал: "), 80, f"digest subject «{subject}»")
                read += 1
    assert read >= 4, "the demo's deputies and methodists have something in their digests"
    return found
