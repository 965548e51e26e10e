"""The demo proves the seeds: `manage.py load_demo` once for the module, then the portal's own report
builders (the `Данные` sheets) give seed 000's Table 1, seed 001's audit letter and seed 002's project
figures, counted from the demo's records.
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from core.dates import last_completed_academic_years
from core.declension import phrase
from devdata.demo_audit import CITY
from devdata.table1 import MUNICIPALITY, TABLE1
from methodics.models import Project
from routes.models import Route
from schools.models import Municipality
from tests.reports.helpers import build_file, data_sheet

pytestmark = pytest.mark.django_db

SHARES = [47.6, 16.7, 93.3, 59.1, 27.7, 27.8, 33.3, 56.3, 30.0]  # seed 000, rounded half up
# seed 001: code → (people, share %), every share over the 284 who still work
AUDIT = {
    "developed": (320, None), "dismissed": (36, None), "base": (284, None), "orgs_implementing": (12, 100.0),
    "courses": (225, 79.2), "events": (281, 98.9), "attestation": (75, 26.4),
    "impl_100": (127, 44.7), "impl_70": (136, 47.9), "impl_50": (13, 4.6), "impl_lt50": (8, 2.8),
    "experience": (252, 88.7), "contests": (87, 30.6), "publications": (108, 38.0), "mentoring": (146, 51.4),
    "expert": (115, 40.5),
}
LOW_SCHOOLS = "МБОУ гимназия № 1, МБОУ-СОШ № 2, МБОУ-СОШ № 23"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded by its command once; rolled back after the module."""
    with django_db_blocker.unblock(), override_settings(DEBUG=True):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = io.StringIO()
            call_command("load_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def by_code(rows: list[dict]) -> dict[str, dict]:
    return {r["Код"]: r for r in rows}


def test_seed_000_table_1_of_the_last_two_completed_years(demo):
    first, second = last_completed_academic_years(2)
    municipality = Municipality.objects.get(name=MUNICIPALITY)
    rows = data_sheet(build_file("coverage", municipality_id=municipality.pk, years=[first, second]))
    assert [r["ОО"] for r in rows] == [s.short_name for s in TABLE1] + ["Итого"]
    total = rows[-1]
    assert total["Сотрудники"] == 213
    assert (total["Зарегистрированы: педагоги"], total["Зарегистрированы: завучи"]) == (84, 13)
    assert (total[f"Зачтено {first}: педагоги"], total[f"Зачтено {first}: завучи"]) == (38, 11)
    assert (total[f"Зачтено {second}: педагоги"], total[f"Зачтено {second}: завучи"]) == (35, 1)
    assert total["Доля с ИОМ, %"] == 39.9
    assert [r["Доля с ИОМ, %"] for r in rows[:-1]] == SHARES


def test_seed_001_the_citys_audit_of_the_last_completed_year(demo):
    city = Municipality.objects.get(name=CITY)
    cohort = last_completed_academic_years(1)[0]
    content = build_file("audit", municipality_id=city.pk, cohort=cohort)
    rows = by_code(data_sheet(content))
    assert {code: (rows[code]["Количество"], rows[code]["Доля, %"]) for code in AUDIT} == AUDIT
    assert all(rows[code]["База"] == 284 for code in AUDIT if code not in {"developed", "dismissed", "base",
                                                                           "orgs_implementing"})
    assert rows["orgs_implementing"]["База"] == 12  # every organisation of the city is general-education

    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(content), read_only=True)["Аудит"]
    labels = [row[1] for row in sheet.iter_rows(values_only=True) if row and isinstance(row[1], str)]
    assert f"реализовали ИОМ менее чем на 50 % ({LOW_SCHOOLS})" in labels


def test_seed_001_letter_names_the_three_schools_below_half(demo):
    from reports.builders import ReportParams
    from reports.builders.audit import AuditReport

    city = Municipality.objects.get(name=CITY)
    report = AuditReport(ReportParams.from_dict({"municipality_id": city.pk,
                                                 "cohort": last_completed_academic_years(1)[0]}))
    report.compute()
    assert report.audit.low_organisations == LOW_SCHOOLS.split(", ")
    # addressed recommendations, to the heads of the schools named in the genitive («МБОУ гимназии № 1»)
    assert all(phrase(school, "gent") in report.addressed for school in LOW_SCHOOLS.split(", "))
    assert report.letterhead.addressee == ["Начальнику управления образования администрации города Минусинска",
                                           "Мирчук Т.В."]
    assert report.letterhead.salutation == "Уважаемая Тамара Владимировна!"
    assert report.letterhead.signatory == "О.В. Мартынова"


def test_seed_002_the_project_io_m_v_deystvii(demo):
    project = Project.objects.get(title="ИОМ в действии", municipality__name=MUNICIPALITY)
    rows = data_sheet(build_file("project", project_id=project.pk))
    figures = by_code([r for r in rows if r["Код"] != "event"])
    organisations = project.municipality.organisations.count()
    assert (figures["organisations_total"]["Значение"], figures["organisations_with_route"]["Значение"]) == (
        organisations, organisations)  # all the municipality's organisations take part
    assert figures["routes_developed"]["Значение"] == 60
    assert figures["routes_completed"]["Значение"] == 40  # completed with the outcome achieved fully or partly
    # the seed's 53 "участники проекта муниципального уровня" are those with all four steps (spec "project")
    assert figures["participants_all_steps"]["Значение"] == 53
    assert figures["participants"]["Значение"] == 60
    events = [(r["Показатель"], r["Значение"]) for r in rows if r["Код"] == "event"]

    def attendance(title: str) -> int:
        (value,) = [n for label, n in events if title in label]
        return value

    assert attendance("Методическая консультация по ИОМ") == 19
    assert attendance("Профессиональная самооценка педагога") == 41
    assert attendance("Проектирование ИОМ педагога") == 15


def test_seed_002_the_participants_steps_are_in_order(demo):
    from methodics.projects.selectors import project_participants

    project = Project.objects.get(title="ИОМ в действии", municipality__name=MUNICIPALITY)
    participants = project_participants(project)
    for p in participants:
        dates = [s.on for s in p.steps if s.done]
        assert None not in dates and dates == sorted(dates), p.participant
        assert all(s.source == "route" for s in p.steps if s.done)  # read from the route, not asserted beside it
    assert sum(p.all_done for p in participants) == 53


def test_every_completed_demo_route_has_an_outcome_and_dates_in_causal_order(demo):
    finished = Route.objects.filter(status__in=[Route.Status.COMPLETED, Route.Status.ARCHIVED])
    assert finished.count() > 300
    assert not finished.filter(outcome="").exists()
    # the cohort loaded from the registry file (this year's routes of the city are checked by the chain test)
    city = Route.objects.filter(organisation__municipality__name=CITY, academic_year=last_completed_academic_years(1)[0])
    for route in city.only("submitted_at", "approved_on", "credited_on", "defended_on", "completed_on", "status"):
        chain = [route.submitted_at.date(), route.approved_on, route.credited_on, route.defended_on]
        if route.status == Route.Status.COMPLETED:
            chain.append(route.completed_on)
        assert chain == sorted(chain) and len(set(chain)) == len(chain), route.pk


def test_the_city_has_its_own_methodist_account(demo):
    assert "логин: methodist_city" in demo


def test_every_demo_route_is_a_chain_from_diagnostics_to_results(demo):
    """Diagnostics before the route → its deficits → a task per deficit → every activity on a task; completed
    routes leave no deficit «в работе»; this year's themes differ inside a school; dates in causal order."""
    from collections import Counter

    from core.dates import current_academic_year
    from diagnostics.models import Deficit
    from routes.models import RoadmapActivity

    routes = Route.objects.all()
    assert current_academic_year
    assert not routes.filter(deficits__isnull=True).exists()
    assert not RoadmapActivity.objects.filter(task__isnull=True).exists()
    assert not RoadmapActivity.objects.filter(task__deficit__isnull=True).exists()
    for route in routes.prefetch_related("deficits__source_score__assessment"):
        for deficit in route.deficits.all():
            assert deficit.source_score.assessment.taken_on <= (route.submitted_at.date() if route.submitted_at
                                                                else route.approved_on), route.pk
    finished = routes.filter(status=Route.Status.COMPLETED)
    assert not finished.filter(outcome="").exists()
    # a deficit not overcome is «в работе» again only when this year's route took it over
    carried = Deficit.objects.filter(routes__academic_year=current_academic_year())
    assert not Deficit.objects.filter(routes__in=finished, status=Deficit.Status.IN_WORK).exclude(
        pk__in=carried).exists()
    assert Deficit.objects.filter(routes__in=finished.filter(outcome="full"), status=Deficit.Status.OVERCOME).exists()
    assert Deficit.objects.filter(status=Deficit.Status.IN_WORK).exists()  # «в работе» is not 0
    year = current_academic_year()
    themes = Counter(routes.filter(academic_year=year).values_list("organisation_id", "topic"))
    assert themes and max(themes.values()) == 1
    for route in routes.exclude(submitted_at=None):
        chain = [route.submitted_at.date(), route.approved_on, route.credited_on, route.defended_on]
        chain = [d for d in chain if d is not None]
        assert chain == sorted(chain), route.pk
        first_mark = route.activities.filter(is_done=True).order_by("done_on").first()
        if first_mark and route.credited_on and not route.imported_from:  # the city's file: its own dates
            assert first_mark.done_on >= route.credited_on, route.pk
        if route.completed_on:
            assert route.completed_on >= chain[-1], route.pk
    # deadlines on school days, never in the summer or the New Year holidays
    for deadline in RoadmapActivity.objects.filter(route__organisation__municipality__name=MUNICIPALITY,
                                                  route__organisation__kind="СОШ").values_list("deadline", flat=True):
        assert deadline.month not in (6, 7, 8) and not (deadline.month == 1 and deadline.day <= 8), deadline


def test_people_are_plausible(demo):
    from schools.models import StaffMember

    for s in StaffMember.objects.exclude(qualification_category="none").exclude(experience_years=None):
        assert s.experience_years >= 2, s.pk
    assert not StaffMember.objects.filter(qualification_category="highest", experience_years__lt=3).exists()


def test_every_role_has_a_journey_ready(demo):
    from django.contrib.auth import get_user_model

    from core.dates import current_academic_year
    from diagnostics.models import Deficit
    from routes import selectors

    users = {u.username: u for u in get_user_model().objects.all()}
    year = current_academic_year()
    teacher = users["teacher"]
    assert not Route.objects.filter(person__user=teacher, academic_year=year).exists()
    assert Deficit.objects.filter(person__user=teacher, status=Deficit.Status.DETECTED,
                                  source_score__assessment__source="self").exists()
    queue = selectors.review_queue(users["deputy"])
    statuses = {r.status for r in queue}
    assert {Route.Status.SUBMITTED, Route.Status.RESULTS_SUBMITTED} <= statuses
    assert any(r.transitions.filter(action="return").exists() for r in queue)
    assert Route.objects.filter(organisation=users["deputy"].staff_member.organisation,
                                status=Route.Status.EXPIRED).exists()
    assert selectors.credit_queue(users["regional"])
    assert selectors.credit_queue(users["methodist_city"])
    # the director's school has routes under implementation below half
    school = Route.objects.filter(person__user=teacher).first().organisation
    low = [r for r in Route.objects.filter(organisation=school, academic_year=year, status=Route.Status.IN_PROGRESS)
           if r.activities.filter(is_done=True).count() * 2 < r.activities.count()]
    assert low
