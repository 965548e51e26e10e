"""«Рассылки» (routes/digests): who gets which digest with what, once per period, and the ways to turn them off."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core import figures
from core.dates import academic_year_of
from core.links import absolute_url
from core.logging import redact_path
from core.models import DigestPreference, DigestSent, OutgoingEmail
from routes.digests import content, services
from routes.digests.tasks import send_weekly_digests
from routes.digests.tokens import read_token, token_for
from routes.models import Route, Transition
from tests.factories import StaffFactory
from tests.language.checks import problems
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

Status = Route.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    world = World()
    for role in ("deputy", "director", "municipal_methodist", "regional_methodist", "teacher"):
        user = world.user(role)
        user.email = f"{user.username}@example.org"
        user.save(update_fields=["email"])
    return world


def _waiting_world(w):
    """In the own school: a plan waiting 3 days, an expired route, a route with one overdue activity and new results;
    in the sibling school: another expired route (the municipality's, not the deputy's)."""
    now = timezone.now()
    RouteFactory(person=w.teacher_staff, status=Status.SUBMITTED, submitted_at=now - dt.timedelta(days=3))
    RouteFactory(person=StaffFactory(organisation=w.school), status=Status.EXPIRED)
    RouteFactory(person=w.sibling_staff, status=Status.EXPIRED)
    running = RouteFactory(person=StaffFactory(organisation=w.school), status=Status.IN_PROGRESS)
    ActivityFactory(route=running, deadline=timezone.localdate() - dt.timedelta(days=5), is_done=False)
    submitted = RouteFactory(person=StaffFactory(organisation=w.school), status=Status.RESULTS_SUBMITTED, submitted_at=now)
    Transition.objects.create(route=submitted, action="submit_results", from_status=Status.IN_PROGRESS,
                              to_status=Status.RESULTS_SUBMITTED)


def _texts(user):
    now = timezone.now()
    return [line.text for line in content.weekly_lines(user, today=timezone.localdate(), now=now)]


def test_the_deputy_sees_their_school_and_the_methodist_the_municipality(w):
    _waiting_world(w)
    deputy = _texts(w.user("deputy"))
    assert "2 ИОМ ждут вашего решения (согласование или приемка итогов), дольше всех — 3 дня" in deputy
    assert "1 ИОМ в статусе «Срок истек»: итоги не представлены" in deputy  # not the sibling school's
    assert "1 мероприятие просрочено в ИОМ, которые реализуются" in deputy
    assert "1 педагог представил итоги ИОМ за неделю" in deputy
    methodist = _texts(w.user("municipal_methodist"))
    assert "2 ИОМ в статусе «Срок истек»: итоги не представлены" in methodist
    assert not any("вашего решения" in text for text in methodist)  # the deputy reviews these, not the methodist
    # the overdue count is the registry's figure over the same scope (one number, one definition)
    year = figures.Period.of_years([academic_year_of(timezone.localdate())])
    assert figures.read("overdue_activities", content.organisations_of(w.user("deputy"), "digest.weekly"), year).count == 1


def test_the_weekly_e_mail_reads_as_russian_with_absolute_links_and_its_unsubscribe_link(
        w, django_capture_on_commit_callbacks):
    _waiting_world(w)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_digests("weekly") == 3  # deputy, municipal and regional methodists; the director has no weekly
    email = OutgoingEmail.objects.get(to="deputy@example.org")
    assert email.kind == OutgoingEmail.Kind.DIGEST and email.status == OutgoingEmail.Status.SENT
    message = next(m for m in mail.outbox if m.to == ["deputy@example.org"])  # delivered (locmem here)
    assert absolute_url(reverse("routes:review_queue")) in message.body
    assert "/routes/monitor/?state=expired" in message.body
    assert not problems(message.subject + "\n" + message.body, "weekly digest")
    token = message.body.split("/digests/off/")[1].split("/")[0]
    assert read_token(token) == (w.user("deputy").pk, "weekly")
    assert not OutgoingEmail.objects.filter(to__in=["director@example.org", "teacher@example.org"]).exists()
    assert {m.to[0] for m in mail.outbox} == {"deputy@example.org", "methodist@example.org", "regional@example.org"}


def test_plurals_of_many(w):
    now = timezone.now()
    for _ in range(3):
        RouteFactory(person=StaffFactory(organisation=w.school), status=Status.SUBMITTED, submitted_at=now - dt.timedelta(days=1))
    running = RouteFactory(person=StaffFactory(organisation=w.school), status=Status.IN_PROGRESS)
    for _ in range(5):
        ActivityFactory(route=running, deadline=timezone.localdate() - dt.timedelta(days=2), is_done=False)
    texts = _texts(w.user("deputy"))
    assert "3 ИОМ ждут вашего решения (согласование или приемка итогов), дольше всех — 1 день" in texts
    assert "5 мероприятий просрочено в ИОМ, которые реализуются" in texts


def test_nothing_to_report_sends_nothing(w):
    assert services.send_digests("weekly") == 0
    assert not OutgoingEmail.objects.exists() and not DigestSent.objects.exists()


def test_opt_out_is_respected(w):
    _waiting_world(w)
    DigestPreference.objects.create(user=w.user("deputy"), weekly=False)
    services.send_digests("weekly")
    assert not OutgoingEmail.objects.filter(to="deputy@example.org").exists()
    assert OutgoingEmail.objects.filter(to="methodist@example.org").exists()


def test_a_second_run_of_the_same_week_sends_nothing(w):
    _waiting_world(w)
    first = send_weekly_digests.delay().get()
    assert first == 3
    assert send_weekly_digests.delay().get() == 0
    assert OutgoingEmail.objects.filter(to="deputy@example.org").count() == 1
    assert DigestSent.objects.filter(user=w.user("deputy"), kind="weekly").count() == 1
    # next week it comes again
    services.send_digest(w.user("deputy"), "weekly", now=timezone.now() + dt.timedelta(days=7))
    assert OutgoingEmail.objects.filter(to="deputy@example.org").count() == 2


def test_the_monthly_summary_reads_the_registry_and_links_to_the_dashboard(w):
    running = RouteFactory(person=StaffFactory(organisation=w.school), status=Status.IN_PROGRESS, approved_on=timezone.localdate())
    ActivityFactory(route=running, deadline=timezone.localdate() - dt.timedelta(days=5), is_done=False)
    assert services.send_digests("monthly") == 3  # director, municipal and regional methodists
    email = OutgoingEmail.objects.get(to="director@example.org")
    assert absolute_url(reverse("reports:dashboard")) in email.body
    value = figures.read("overdue_activities", content.organisations_of(w.user("director"), "digest.monthly"),
                         figures.Period.of_years([academic_year_of(timezone.localdate())]))
    assert f"— Просроченные мероприятия: {value.shown} ({value.basis})." in email.body
    assert not problems(email.subject + "\n" + email.body, "monthly digest")
    assert not OutgoingEmail.objects.filter(to="deputy@example.org").exists()
    assert services.send_digests("monthly") == 0


def test_the_unsubscribe_link_works_without_login_and_only_for_its_user(w):
    deputy, methodist = w.user("deputy"), w.user("municipal_methodist")
    DigestPreference.objects.create(user=methodist)
    url = reverse("digests:unsubscribe", args=[token_for(deputy, "weekly")])
    anonymous = Client()
    page = anonymous.get(url)
    assert page.status_code == 200 and "Отписаться от еженедельной сводки дел?" in page.text
    assert not DigestPreference.objects.filter(user=deputy).exists()  # a GET (a mail scanner) changes nothing
    done = anonymous.post(url)
    assert done.status_code == 200 and "Вы отписались" in done.text
    preference = DigestPreference.objects.get(user=deputy)
    assert preference.weekly is False and preference.monthly is True
    assert DigestPreference.objects.get(user=methodist).weekly is True
    assert deputy.pk not in set(services.recipients("weekly").values_list("pk", flat=True))
    forged = token_for(methodist, "weekly")[:-3] + "xyz"
    assert anonymous.post(reverse("digests:unsubscribe", args=[forged])).status_code == 404
    assert DigestPreference.objects.get(user=methodist).weekly is True
    assert redact_path(url) == "/digests/off/***/"


def test_the_page_turns_digests_on_and_off(w, client):
    client.force_login(w.user("municipal_methodist"))
    page = client.get(reverse("digests:page"))
    assert page.status_code == 200 and "Еженедельная сводка дел" in page.text and "Ежемесячная сводка" in page.text
    response = client.post(reverse("digests:page"), {"monthly": "on"})
    assert response.status_code == 302 and response.url == reverse("digests:page"), response.get("Location")
    preference = DigestPreference.objects.get(user=w.user("municipal_methodist"))
    assert (preference.weekly, preference.monthly) == (False, True)
    # a director has only the monthly digest: the weekly box is not shown and its value is kept
    client.force_login(w.user("director"))
    assert "Еженедельная сводка дел" not in client.get(reverse("digests:page")).text
    client.post(reverse("digests:page"), {})
    preference = DigestPreference.objects.get(user=w.user("director"))
    assert (preference.weekly, preference.monthly) == (True, False)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_sends_the_weekly_digest(celery_worker_process):
    world = World()
    deputy = world.user("deputy")
    deputy.email = "deputy-worker@example.org"
    deputy.save(update_fields=["email"])
    RouteFactory(person=world.colleague, status=Status.EXPIRED)
    send_weekly_digests.delay()
    deadline = time.monotonic() + 60
    email = None
    while time.monotonic() < deadline:
        email = OutgoingEmail.objects.filter(to="deputy-worker@example.org").first()
        if email is not None and email.status == OutgoingEmail.Status.SENT:
            break
        time.sleep(0.5)
    assert email is not None and email.status == OutgoingEmail.Status.SENT
    assert email.kind == OutgoingEmail.Kind.DIGEST and email.subject == "ИОМ-портал: что ждет вас на этой неделе"
    assert DigestSent.objects.filter(user=deputy, kind="weekly", email=email).exists()
