"""The final diagnostics of a route (docs/spec/workflow.md, «Final diagnostics»): the results re-assess every
deficit the route addressed; accepting them closes those at the threshold and keeps the rest in work for the
next route. Also the figure «Преодолено дефицитов» and the per-year rule of multi-year routes
(docs/spec/reports.md, «Routes of year Y»)."""

import datetime as dt

import pytest
from django.utils import timezone

from core import figures
from core.dates import current_academic_year
from core.figures import Period
from diagnostics.models import Assessment, Deficit, Instrument, Score
from diagnostics.services import refresh_deficits
from reports.selectors.dashboards import route_status_counts, routes_of_year
from routes.drafting.services import drafting_deficits
from routes.models import DeficitReassessment, Route
from routes.roadmap import services as roadmap
from routes.selectors import spans_year_q
from routes.services import RouteError
from routes.workflow import services as workflow
from routes.workflow.forms import AcceptResultsForm, ResultsForm
from schools.models import Organisation
from tests.diagnostics.factories import competency
from tests.routes.factories import ActivityFactory, RouteFactory
from tests.world import World

pytestmark = pytest.mark.django_db
S = Route.Status
CODES = ("М1", "М2", "М3")


@pytest.fixture
def w():
    return World()


def self_instrument() -> Instrument:
    return Instrument.objects.get(is_self_assessment=True)


def with_deficits(person, codes=CODES, value=30) -> list[Deficit]:
    """A self-assessment below the threshold in each competency: one detected deficit each."""
    assessment = Assessment.objects.create(person=person, instrument=self_instrument(), source=Assessment.Source.SELF,
                                           taken_on=timezone.localdate() - dt.timedelta(days=200))
    for code in codes:
        Score.objects.create(assessment=assessment, competency=competency(code), value=value)
    detected, _ = refresh_deficits(assessment=assessment)
    return sorted(detected, key=lambda d: d.competency.code)


def route_in_progress(person, deficits) -> Route:
    route = RouteFactory(person=person, status=S.IN_PROGRESS)
    ActivityFactory(route=route, is_done=True, done_on=route.starts_on)
    route.deficits.set(deficits)
    Deficit.objects.filter(pk__in=[d.pk for d in deficits]).update(status=Deficit.Status.IN_WORK)
    return Route.objects.select_related("person__user", "organisation__municipality__region").get(pk=route.pk)


def answers_for(deficits, ratings: dict[str, int]) -> dict[int, dict[int, int]]:
    """Every statement of the self-assessment for each deficit's competency, rated ratings[code]."""
    instrument = self_instrument()
    return {d.pk: {s.pk: ratings[d.competency.code] for s in instrument.statements.filter(competency=d.competency)}
            for d in deficits}


def submit(w, route, answers):
    return workflow.route_submit_results(actor=w.user("teacher"), route=route, reflection="Итоги года",
                                         outcome_proposed="partial", reassessment=answers)


def test_two_deficits_reaching_the_threshold_are_overcome_and_the_third_stays_for_the_next_route(w):
    deficits = with_deficits(w.teacher_staff)
    route = route_in_progress(w.teacher_staff, deficits)
    submit(w, route, answers_for(deficits, {"М1": 5, "М2": 4, "М3": 2}))

    records = {r.deficit.competency.code: r for r in DeficitReassessment.objects.filter(route=route)}
    assert {c: (r.before, r.after, r.threshold, r.source) for c, r in records.items()} == {
        "М1": (30, 100, 60, "self"), "М2": (30, 75, 60, "self"), "М3": (30, 25, 60, "self")}
    # submitted results change no deficit: the reviewer has not accepted them yet
    assert set(Deficit.objects.filter(pk__in=[d.pk for d in deficits]).values_list("status", flat=True)) == {"in_work"}

    workflow.route_accept_results(actor=w.user("deputy"), route=route, outcome="partial")
    states = dict(Deficit.objects.filter(person=w.teacher_staff).values_list("competency__code", "status"))
    assert states == {"М1": "overcome", "М2": "overcome", "М3": "in_work"}
    overcome = Deficit.objects.get(person=w.teacher_staff, competency__code="М1")
    assert overcome.closed_on == timezone.localdate() and overcome.closed_by_score.value == 100
    assert all(r.score_id for r in DeficitReassessment.objects.filter(route=route))
    # the final diagnostics is the person's diagnostics too
    final = Assessment.objects.get(person=w.teacher_staff, note__startswith="Итоговая диагностика")
    assert dict(final.scores.values_list("competency__code", "value")) == {"М1": 100, "М2": 75, "М3": 25}
    # the deficit still in work is what the next route's drafting offers
    assert [d.competency.code for d in drafting_deficits(w.teacher_staff)] == ["М3"]


def test_every_deficit_not_reassessed_is_named_at_once_and_nothing_is_kept(w):
    deficits = with_deficits(w.teacher_staff)
    route = route_in_progress(w.teacher_staff, deficits)
    partial = answers_for(deficits[:1], {"М1": 5})
    with pytest.raises(RouteError) as refusal:
        submit(w, route, partial)
    message = str(refusal.value)
    assert competency("М2").name in message and competency("М3").name in message
    assert competency("М1").name not in message
    route.refresh_from_db()
    assert route.status == S.IN_PROGRESS and not DeficitReassessment.objects.exists()


def test_an_imported_result_of_the_period_stands_in_and_the_deputy_may_replace_a_score(w):
    deficits = with_deficits(w.teacher_staff, codes=("М1", "М2"))
    route = route_in_progress(w.teacher_staff, deficits)
    external = Assessment.objects.create(
        person=w.teacher_staff, instrument=Instrument.objects.get(name="Наблюдение урока заместителем директора"),
        source=Assessment.Source.IMPORT, taken_on=route.starts_on + dt.timedelta(days=100))
    imported = Score.objects.create(assessment=external, competency=competency("М2"), value=80)
    submit(w, route, answers_for(deficits[:1], {"М1": 4}))  # М2: the imported result
    record = DeficitReassessment.objects.get(route=route, deficit=deficits[1])
    assert (record.after, record.source, record.score_id) == (80, "import", imported.pk)

    workflow.route_accept_results(actor=w.user("deputy"), route=route, outcome="partial",
                                  final_scores={deficits[0].pk: 40, deficits[1].pk: None})
    records = {r.deficit_id: r for r in DeficitReassessment.objects.filter(route=route)}
    assert (records[deficits[0].pk].after, records[deficits[0].pk].source) == (40, "deputy")
    states = dict(Deficit.objects.filter(person=w.teacher_staff).values_list("competency__code", "status"))
    assert states == {"М1": "in_work", "М2": "overcome"}
    assert Deficit.objects.get(competency__code="М2", person=w.teacher_staff).closed_by_score_id == imported.pk


def test_returned_results_change_no_deficit_and_a_resubmission_replaces_the_scores(w):
    deficits = with_deficits(w.teacher_staff, codes=("М1",))
    route = route_in_progress(w.teacher_staff, deficits)
    submit(w, route, answers_for(deficits, {"М1": 5}))
    workflow.route_return_results(actor=w.user("deputy"), route=route, comment="Уточните рефлексию")
    assert Deficit.objects.get(pk=deficits[0].pk).status == "in_work"
    route.refresh_from_db()
    submit(w, route, answers_for(deficits, {"М1": 3}))
    assert DeficitReassessment.objects.get(route=route).after == 50


def test_the_forms_ask_the_statements_and_the_reviewer_must_score_where_nobody_did(w):
    deficits = with_deficits(w.teacher_staff, codes=("М1",))
    route = route_in_progress(w.teacher_staff, deficits)
    form = ResultsForm({"reflection": "Итоги", "outcome_proposed": "full"}, route=route)
    assert not form.is_valid()
    statement_fields = [name for name in form.fields if name.startswith(f"fd_{deficits[0].pk}_")]
    assert len(statement_fields) == 2 and all(name in form.errors for name in statement_fields)

    accept = AcceptResultsForm({"outcome": "full"}, route=route)
    assert not accept.is_valid() and f"fd_{deficits[0].pk}" in accept.errors
    accept = AcceptResultsForm({"outcome": "full", f"fd_{deficits[0].pk}": "70"}, route=route)
    assert accept.is_valid() and accept.cleaned_data["final_scores"] == {deficits[0].pk: 70}


def test_the_route_page_and_the_document_show_before_and_after(w, client):
    from routes.documents.builders import iom_context

    deficits = with_deficits(w.teacher_staff, codes=("М1",))
    route = route_in_progress(w.teacher_staff, deficits)
    submit(w, route, answers_for(deficits, {"М1": 5}))
    workflow.route_accept_results(actor=w.user("deputy"), route=route, outcome="full")
    client.force_login(w.user("teacher"))
    page = client.get(f"/routes/{route.pk}/").content.decode()
    assert "Итоговая диагностика дефицитов" in page and "Преодолен" in page
    route.refresh_from_db()
    rows = iom_context(route)["final_diagnostics"]
    assert rows == [(competency("М1").name, "30", "100", "60", "Самооценка", "преодолен")]


def test_deficits_overcome_is_a_figure_of_the_year_by_the_closing_date(w):
    deficits = with_deficits(w.teacher_staff)
    route = route_in_progress(w.teacher_staff, deficits)
    submit(w, route, answers_for(deficits, {"М1": 5, "М2": 5, "М3": 1}))
    workflow.route_accept_results(actor=w.user("deputy"), route=route, outcome="partial")
    school = Organisation.objects.filter(pk=w.school.pk)
    year = current_academic_year()
    assert figures.read("deficits_overcome", school, Period.of_years([year])).count == 2
    municipality = Organisation.objects.filter(municipality=w.municipality)
    assert figures.read("deficits_overcome", municipality, Period.of_years([year])).count == 2
    previous = f"{int(year[:4]) - 1}-{int(year[:4])}"
    assert figures.read("deficits_overcome", school, Period.of_years([previous])).count == 0


# ---------------------------------------------------------------- periods (item 1)


def test_a_multi_year_route_counts_in_each_academic_year_it_spans(w):
    two_years = RouteFactory(person=w.teacher_staff, academic_year="2025-2026", status=S.IN_PROGRESS,
                             starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2027, 8, 31))
    RouteFactory(person=w.colleague, academic_year="2026-2027", status=S.DRAFT)
    school = Organisation.objects.filter(pk=w.school.pk)
    assert routes_of_year(school, "2025-2026") == 1
    assert routes_of_year(school, "2026-2027") == 2
    assert routes_of_year(school, "2027-2028") == 0
    counts = {code: n for code, _, n in route_status_counts(school, "2026-2027")}
    assert counts["in_progress"] == 1 and counts["draft"] == 1
    assert list(Route.objects.filter(spans_year_q("2020-2021", "2025-2026"))) == [two_years]


def test_a_route_without_dates_counts_in_its_academic_year(w):
    route = RouteFactory(person=w.teacher_staff, academic_year="2025-2026", starts_on=None, ends_on=None)
    assert list(Route.objects.filter(spans_year_q("2025-2026"))) == [route]
    assert not Route.objects.filter(spans_year_q("2026-2027")).exists()


def test_a_running_multi_year_route_refuses_a_second_one(w):
    today = timezone.localdate()
    RouteFactory(person=w.teacher_staff, academic_year="2020-2021", status=S.IN_PROGRESS,
                 starts_on=today - dt.timedelta(days=400), ends_on=today + dt.timedelta(days=300))
    with pytest.raises(RouteError, match="еще действует"):
        roadmap.route_create(actor=w.user("teacher"), person=w.teacher_staff)


def test_a_deficit_closed_by_a_later_diagnostic_says_so_rather_than_passing_for_this_routes_score(w, client):
    """The person's newer self-assessment closed the deficit before these results were accepted: the results'
    score stays below the threshold, and the row says what closed it."""
    from routes.documents.builders import iom_context

    deficits = with_deficits(w.teacher_staff, codes=("М1",))
    route = route_in_progress(w.teacher_staff, deficits)
    submit(w, route, answers_for(deficits, {"М1": 2}))
    closed = timezone.localdate() - dt.timedelta(days=3)
    Deficit.objects.filter(pk=deficits[0].pk).update(status=Deficit.Status.OVERCOME, closed_on=closed)
    route.refresh_from_db()
    rows = iom_context(route)["final_diagnostics"]
    assert rows[0][-1] == f"преодолен по диагностике от {closed:%d.%m.%Y}"
    client.force_login(w.user("teacher"))
    page = client.get(f"/routes/{route.pk}/").content.decode()
    assert f"Преодолен по диагностике от {closed:%d.%m.%Y}" in page
