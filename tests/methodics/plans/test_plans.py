import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from methodics.models import HelpActivity, HelpPlan, Stage
from methodics.plans import selectors, services
from methodics.services import MethodicsError
from routes.models import Route
from tests.factories import StaffFactory
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db

YEAR = "2025-2026"
SCREENSHOTS = Path(__file__).resolve().parents[3] / "screenshots"


@pytest.fixture
def w():
    return World()


@pytest.fixture
def plan(w):
    return services.plan_create(actor=w.user("deputy"), organisation=w.school, academic_year=YEAR)


def test_a_plan_from_the_template_follows_the_yearly_cycle_of_seed_004(plan):
    activities = list(plan.activities.all())
    assert {a.stage for a in activities} == set(Stage.values)
    diagnostics = next(a for a in activities if a.stage == Stage.DIAGNOSTICS)
    assert diagnostics.due_on == dt.date(2026, 4, 30) and diagnostics.timing == "апрель"
    analysis = next(a for a in activities if a.title.startswith("Выполнение комплексного анализа"))
    assert analysis.due_on == dt.date(2025, 9, 30)
    assert plan.directions.count() == 5 and plan.programme_period == "2025-2030"


def test_one_plan_per_school_and_year_and_only_by_its_deputy(w, plan):
    with pytest.raises(MethodicsError, match="уже есть"):
        services.plan_create(actor=w.user("deputy"), organisation=w.school, academic_year=YEAR)
    for role in ("municipal_methodist", "director", "teacher"):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=w.user(role), organisation=w.school, academic_year="2026-2027")
    with pytest.raises(ValidationError):
        services.plan_create(actor=w.user("deputy"), organisation=w.school, academic_year="2026-2028")


def test_a_deadline_outside_the_plan_year_and_a_missing_deadline_are_refused(w, plan):
    direction = plan.directions.first()
    base = {"direction": direction, "stage": Stage.IMPLEMENTATION, "title": "Открытые уроки", "responsible": "Педагоги"}
    with pytest.raises(ValidationError, match="2025-2026"):
        services.plan_activity_add(actor=w.user("deputy"), plan=plan, data={**base, "due_on": dt.date(2027, 1, 10)})
    with pytest.raises(ValidationError, match="Укажите срок"):
        services.plan_activity_add(actor=w.user("deputy"), plan=plan, data=base)
    added = services.plan_activity_add(actor=w.user("deputy"), plan=plan, data={**base, "timing": "в течение года"})
    assert added.plan == plan


def test_the_timeline_counts_what_is_done_and_reads_the_school_records(w, plan):
    first = plan.activities.filter(stage=Stage.DIAGNOSTICS).first()
    services.plan_activity_set_done(actor=w.user("deputy"), activity=first, done=True, done_on=dt.date(2026, 4, 20))
    route = RouteFactory(person=w.teacher_staff, academic_year=YEAR, status=Route.Status.IN_PROGRESS,
                         approved_on=dt.date(2025, 10, 1))
    ActivityFactory(route=route, is_done=True, done_on=dt.date(2025, 11, 1))
    ActivityFactory(route=route)
    StaffFactory(organisation=w.school, attested_on=dt.date(2026, 3, 1))
    stages = {s.stage: s for s in selectors.plan_timeline(plan, selectors.plan_activities(plan))}
    assert (stages["diagnostics"].done, stages["diagnostics"].total, stages["diagnostics"].state) == (1, 1, "done")
    assert stages["implementation"].state == "ahead"
    assert _fact(stages["drafting"], "ИОМ утверждены в этом году")[0] == 1
    assert _fact(stages["implementation"], "ИОМ реализуется сейчас") == (1, None)
    assert _fact(stages["implementation"], "Выполнено мероприятий дорожных карт") == (1, 2)
    assert _fact(stages["summing_up"], "Прошли аттестацию за год")[0] == 1


def _fact(stage, label: str) -> tuple[int, int | None]:
    """A stage's fact as the registry of figures gives it: (count, base), of the figure or of its part."""
    _, value, part = next(f for f in stage.facts if f[0] == label)
    if part:
        return value.part(part).count, value.part(part).base
    return value.count, value.base


def test_the_plan_is_seen_by_its_staff_and_the_methodist_not_by_another_school(w, client, plan):
    url = reverse("methodics:plan_detail", args=[plan.pk])
    other = services.plan_create(actor=_deputy_of(w.sibling_school), organisation=w.sibling_school, academic_year=YEAR)
    client.force_login(w.user("teacher"))
    assert client.get(url).status_code == 200
    assert client.get(reverse("methodics:plan_detail", args=[other.pk])).status_code == 404
    client.force_login(w.user("municipal_methodist"))
    assert client.get(url).status_code == 200
    assert set(selectors.plan_list_for(w.user("municipal_methodist"))) == {plan, other}


def _deputy_of(school):
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory()
    MembershipFactory(user=user, role="deputy", organisation=school)
    return user


def test_the_deputy_marks_an_activity_done_in_place_with_htmx(w, client, plan):
    activity = plan.activities.first()
    client.force_login(w.user("deputy"))
    response = client.post(reverse("methodics:plan_activity_toggle", args=[activity.pk]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and "выполнено" in response.content.decode()
    assert HelpActivity.objects.get(pk=activity.pk).is_done


def test_the_deputy_deletes_an_activity_of_own_plan(w, client, plan):
    activity = plan.activities.first()
    client.force_login(w.user("director"))
    assert client.post(reverse("methodics:plan_activity_delete", args=[activity.pk])).status_code == 403
    client.force_login(w.user("deputy"))
    assert client.post(reverse("methodics:plan_activity_delete", args=[activity.pk])).status_code == 302
    assert not HelpActivity.objects.filter(pk=activity.pk).exists()


def test_the_plan_page_makes_a_bounded_number_of_queries(w, client, plan, django_assert_max_num_queries):
    client.force_login(w.user("deputy"))
    # session, user, memberships; the plan, its activities (with directions and responsible people),
    # the eight figures of the timeline from the registry (one query each), the directions; the layout (unread
    # notifications, two menu checks) and the session save (3) — the same whatever the number of activities.
    with django_assert_max_num_queries(20):
        response = client.get(reverse("methodics:plan_detail", args=[plan.pk]))
    assert response.status_code == 200


def test_the_plan_prints_as_pdf(w, client, plan):
    services.plan_activity_set_done(actor=w.user("deputy"), activity=plan.activities.first(), done=True,
                                    done_on=dt.date(2026, 4, 20))
    client.force_login(w.user("teacher"))
    response = client.get(reverse("methodics:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = SCREENSHOTS / "methodics_plan.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Программа помощи учителям" in text and "Диагностика (апрель)" in text
    assert "выполнено: 1 из 1" in text and "20.04.2026" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / "methodics_plan")], check=True)


def test_plans_are_unique_per_school_and_year_in_the_database(w, plan):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        HelpPlan.objects.create(organisation=w.school, academic_year=YEAR)
