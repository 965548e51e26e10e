"""The implementation monitor as a working list (routes/monitor/): every staff member with their route's state,
totals per state that filter, the filters of the rows, the sort, the overdue rows behind the count, «Напомнить»
(logged, once a day), the export through a report job; the page's queries do not grow with its rows."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import Notification, OutgoingEmail
from methodics.models import MentoringPair
from reports.models import ReportJob
from routes.models import Reminder, Route, Transition
from tests.factories import StaffFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status
YEAR = "2025-2026"


@pytest.fixture
def w():
    return World()


def _route(person, status, *, done=0, todo=0, overdue=0):
    route = RouteFactory(person=person, academic_year=YEAR, status=status)
    today = timezone.localdate()
    for _ in range(done):
        ActivityFactory(route=route, is_done=True, done_on=today, deadline=today)
    for _ in range(todo):
        ActivityFactory(route=route, deadline=today + dt.timedelta(days=30))
    for _ in range(overdue):
        ActivityFactory(route=route, deadline=today - dt.timedelta(days=3))
    return route


def _rows(response) -> dict:
    return {row.person.pk: row for row in response.context["rows"]}


def test_every_staff_member_is_a_row_with_the_state_of_their_route(w, client):
    _route(w.teacher_staff, S.IN_PROGRESS, done=1, todo=2, overdue=1)
    refused = _route(w.colleague, S.NOT_CREDITED)
    Transition.objects.create(route=refused, action="refuse_credit", from_status=S.AWAITING_CREDIT,
                              to_status=S.NOT_CREDITED, comment="Нет связи задач с дефицитами")
    submitted = StaffFactory(organisation=w.school, position="учитель химии")
    _route(submitted, S.SUBMITTED)
    expired = StaffFactory(organisation=w.school, position="учитель истории")
    _route(expired, S.EXPIRED, overdue=2)  # the registry counts overdue in routes «Реализуется» only
    client.force_login(w.user("deputy"))
    response = client.get(reverse("routes:monitor"))
    rows = _rows(response)
    assert set(rows) == {w.teacher_staff.pk, w.deputy_staff.pk, w.director_staff.pk, w.colleague.pk,
                         submitted.pk, expired.pk}
    teacher = rows[w.teacher_staff.pk]
    assert (teacher.state, teacher.done, teacher.total, teacher.overdue, str(teacher.progress)) == \
        (S.IN_PROGRESS, 1, 4, 1, "25.0")
    assert rows[w.deputy_staff.pk].state_label == "Нет ИОМ" and rows[w.deputy_staff.pk].route is None
    assert rows[w.colleague.pk].refusal == "Нет связи задач с дефицитами"
    assert rows[expired.pk].overdue == 0 and rows[expired.pk].state_label == "Срок истек"
    html = response.content.decode()
    assert "Причина: Нет связи задач с дефицитами" in html
    totals = {label: n for _code, label, n, _url, _chosen in response.context["totals"]}
    assert totals == {"Нет ИОМ": 2, "На согласовании": 1, "Не зачтен": 1, "Реализуется": 1, "Срок истек": 1}
    assert "Все: <b>6</b>" in html
    # a total is a link that filters by its state, and the others stay counted
    link = next(url for code, _label, _n, url, _chosen in response.context["totals"] if code == "none")
    narrowed = client.get(reverse("routes:monitor") + link)
    assert set(_rows(narrowed)) == {w.deputy_staff.pk, w.director_staff.pk}
    assert len(narrowed.context["totals"]) == 5 and "Все: <b>6</b>" in narrowed.content.decode()


def test_the_rows_filter_by_overdue_progress_position_and_mentor_and_sort(w, client):
    _route(w.teacher_staff, S.IN_PROGRESS, done=1, todo=1, overdue=2)  # 25 %
    _route(w.colleague, S.IN_PROGRESS, done=3, todo=1)  # 75 %
    MentoringPair.objects.create(organisation=w.school, mentor=w.deputy_staff, mentee=w.colleague,
                                 reason=MentoringPair.Reason.DEFICITS, starts_on=timezone.localdate())
    client.force_login(w.user("deputy"))
    url = reverse("routes:monitor")
    assert set(_rows(client.get(url, {"overdue": "yes"}))) == {w.teacher_staff.pk}
    assert set(_rows(client.get(url, {"progress_min": "50"}))) == {w.colleague.pk}
    assert set(_rows(client.get(url, {"progress_min": "10", "progress_max": "30"}))) == {w.teacher_staff.pk}
    assert set(_rows(client.get(url, {"position": "director"}))) == {w.director_staff.pk}
    with_mentor = client.get(url, {"mentor": "yes"})
    assert set(_rows(with_mentor)) == {w.colleague.pk}
    assert _rows(with_mentor)[w.colleague.pk].mentor == w.deputy_staff
    assert w.colleague.pk not in _rows(client.get(url, {"mentor": "no"}))
    by_progress = [r.person.pk for r in client.get(url, {"sort": "-progress"}).context["rows"]]
    assert by_progress[:2] == [w.colleague.pk, w.teacher_staff.pk]  # no route (no percent) goes last
    by_overdue = [r.person.pk for r in client.get(url, {"sort": "-overdue"}).context["rows"]]
    assert by_overdue[0] == w.teacher_staff.pk
    # a wrong number is a message on the bar, and the list stays whole
    wrong = client.get(url, {"progress_min": "сто"})
    assert "progress_min" in wrong.context["filters"].errors and len(_rows(wrong)) == 4


def test_the_pages_queries_do_not_grow_with_its_rows(w, client):
    client.force_login(w.user("deputy"))

    def one_more(i):
        person = StaffFactory(organisation=w.school)
        route = _route(person, S.IN_PROGRESS if i % 2 else S.NOT_CREDITED, done=1, overdue=1)
        Transition.objects.create(route=route, action="refuse_credit", from_status=S.AWAITING_CREDIT,
                                  to_status=S.NOT_CREDITED, comment="причина")
        MentoringPair.objects.create(organisation=w.school, mentor=w.colleague, mentee=person,
                                     reason=MentoringPair.Reason.DEFICITS, starts_on=timezone.localdate())

    one_more(0)  # a row of each kind: a route refused credit, a mentor
    client.get(reverse("routes:monitor"))  # warm the per-process caches (figures, menus)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("routes:monitor"))
    for i in range(1, 13):
        one_more(i)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("routes:monitor"))
    assert len(response.context["rows"]) == 17
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


def test_the_overdue_count_opens_that_persons_overdue_rows(w, client):
    route = _route(w.teacher_staff, S.IN_PROGRESS, done=1, todo=1, overdue=2)
    client.force_login(w.user("deputy"))
    html = client.get(reverse("routes:monitor"), {"overdue": "yes"}).content.decode()
    assert 'class="row-overdue"' in html and "1 из 4" in html and "25,0 %" in html
    link = reverse("routes:monitor_overdue", args=[route.pk])
    assert link in html
    page = client.get(link, {"back": "/routes/monitor/?overdue=yes"})
    assert len(page.context["activities"]) == 2 and all(not a.is_done for a in page.context["activities"])
    assert 'href="/routes/monitor/?overdue=yes"' in page.content.decode()
    # back only ever leads to the monitor
    assert client.get(link, {"back": "https://evil.example/"}).context["back"] == reverse("routes:monitor")
    far = _route(w.far_staff, S.IN_PROGRESS, overdue=1)
    assert client.get(reverse("routes:monitor_overdue", args=[far.pk])).status_code == 404


def test_remind_tells_the_selected_in_the_portal_and_by_mail_once_a_day(w, client, django_capture_on_commit_callbacks):
    _route(w.teacher_staff, S.IN_PROGRESS, overdue=2)
    w.user("teacher").__class__.objects.filter(username="teacher").update(email="teacher@example.org")
    others = []
    for username in ("t2", "t3"):
        user = w.user("teacher").__class__.objects.create_user(username=username, email=f"{username}@example.org")
        others.append(StaffFactory(organisation=w.school, user=user, email=user.email))
    client.force_login(w.user("deputy"))
    chosen = [w.teacher_staff.pk, *(p.pk for p in others)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("routes:monitor_remind"), {"staff": chosen, "year": YEAR,
                                                                 "back": "/routes/monitor/?overdue=yes"}, follow=True)
    assert response.redirect_chain[-1][0] == "/routes/monitor/?overdue=yes"
    assert "Напоминание отправлено 3 педагогам." in response.content.decode()
    assert Reminder.objects.count() == 3 and set(Reminder.objects.values_list("sender", flat=True)) == {
        w.user("deputy").pk}
    teacher_note = Notification.objects.get(recipient=w.user("teacher"))
    assert teacher_note.text == "Напоминание: в ИОМ просрочено 2 мероприятия, отметьте выполненные"
    assert Notification.objects.get(recipient=others[0].user).text.startswith("Напоминание: составьте ИОМ на 2025-2026")
    assert OutgoingEmail.objects.filter(to="teacher@example.org").count() == 1
    assert len(mail.outbox) == 3 and all(m.subject == "ИОМ-портал: напоминание" for m in mail.outbox)
    # the same day again: nobody is told twice, and the page says why
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(reverse("routes:monitor_remind"), {"staff": chosen, "year": YEAR}, follow=True)
    assert "3 педагогам уже напоминали сегодня: не чаще одного раза в день." in again.content.decode()
    assert Reminder.objects.count() == 3 and len(mail.outbox) == 3


def test_remind_refuses_nobody_chosen_and_people_outside_the_scope(w, client):
    client.force_login(w.user("deputy"))
    nothing = client.post(reverse("routes:monitor_remind"), {"year": YEAR}, follow=True)
    assert "Отметьте педагогов, которым напомнить." in nothing.content.decode()
    far = client.post(reverse("routes:monitor_remind"), {"staff": [w.far_staff.pk]}, follow=True)
    assert "Отмеченных педагогов нет в вашем списке" in far.content.decode() and not Reminder.objects.exists()
    # a person without an account is named, nobody else is affected
    client.post(reverse("routes:monitor_remind"), {"staff": [w.colleague.pk]})
    assert not Reminder.objects.exists()


def test_the_export_is_a_report_job_of_exactly_the_filtered_rows(w, client, django_capture_on_commit_callbacks):
    _route(w.teacher_staff, S.IN_PROGRESS, done=1, todo=2, overdue=1)
    _route(w.colleague, S.IN_PROGRESS, done=2)
    client.force_login(w.user("deputy"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:monitor_export"), {"overdue": "yes", "year": YEAR, "csrf": "x"})
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.kind == "monitor" and job.status == ReportJob.Status.DONE, job.error
    assert job.params == {"filters": {"overdue": "yes", "year": YEAR}}
    assert "Просрочки: Есть" in job.description
    wb = load_workbook(io.BytesIO(job.file.read()))
    rows = list(wb["Реализация ИОМ"].iter_rows(values_only=True))
    assert rows[0][2] == "ФИО" and len(rows) == 2
    name, state, done, total, share, overdue = rows[1][2], rows[1][5], rows[1][7], rows[1][8], rows[1][9], rows[1][10]
    assert (name, state, done, total, overdue) == (w.teacher_staff.full_name, "Реализуется", 1, 4, 1)
    assert share == pytest.approx(0.25)
    assert wb["Реализация ИОМ"]["J2"].number_format.endswith("%")


def test_a_teacher_has_no_monitor(w, client):
    client.force_login(w.user("teacher"))
    assert client.get(reverse("routes:monitor")).status_code == 403
    assert client.post(reverse("routes:monitor_remind"), {"staff": [w.colleague.pk]}).status_code == 403
    assert client.post(reverse("reports:monitor_export"), {}).status_code == 403
