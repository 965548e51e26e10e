"""/api/v1/figures/: the mapping of codes to today's selectors, and each figure as the dashboards count it."""

import pytest
from django.utils.module_loading import import_string

from api.figures import figure_list, figure_read
from core.dates import current_academic_year
from routes.models import Route
from schools.models import Organisation
from tests.api.helpers import like, token_client
from tests.routes.factories import RouteFactory
from tests.world import World


def test_the_api_serves_the_registry_of_figures():
    from core.figures import all_figures

    codes = [spec.code for spec in figure_list()]
    assert codes == [f.code for f in all_figures() if f.scope == "organisations"]
    assert {"iom_share", "coverage_share", "route_statuses", "implementation", "audit", "overdue_activities"} <= set(codes)


@pytest.fixture
def world(db):
    return World()


def _client(world, role):
    return token_client(like(world.user(role))[1])


def test_the_list_names_every_code(world):
    body = _client(world, "teacher").get("/api/v1/figures/").json()
    assert [row["code"] for row in body] == [spec.code for spec in figure_list()]


def test_a_schools_figure_is_the_selectors_over_that_school(world):
    year = current_academic_year()
    RouteFactory(person=world.colleague, status=Route.Status.IN_PROGRESS, approved_on=f"{year[:4]}-10-01")
    body = _client(world, "deputy").get(f"/api/v1/figures/iom_share/?organisation={world.school.pk}").json()
    expected = import_string("reports.selectors.indicators.iom_share")(Organisation.objects.filter(pk=world.school.pk), [year])
    assert body["scope"] == {"region": world.region.pk, "municipality": world.municipality.pk,
                             "organisation": world.school.pk}
    assert body["year"] == year and body["on"] is None
    assert body["values"] == [{"code": "iom_share", "label": "Доля педагогических работников, для которых разработаны ИОМ", "count": expected.numerator,
                               "base": expected.denominator, "percent": str(expected.value)}]
    assert expected.numerator == 1


def test_every_figure_reads_over_a_municipality(world):
    client = _client(world, "municipal_methodist")
    for spec in figure_list():
        response = client.get(f"/api/v1/figures/{spec.code}/?municipality={world.municipality.pk}&year=2024-2025")
        assert response.status_code == 200, (spec.code, response.content)
        body = response.json()
        assert body["values"], spec.code
        assert (body["year"] is None) == (spec.period == "today")
    audit = client.get(f"/api/v1/figures/audit/?municipality={world.municipality.pk}&year=2024-2025").json()
    assert [v["code"] for v in audit["values"]][:3] == ["developed", "dismissed", "base"]


def test_the_scope_rules_are_the_dashboards(world):
    deputy = _client(world, "deputy")
    assert deputy.get(f"/api/v1/figures/iom_share/?organisation={world.sibling_school.pk}").status_code == 404
    assert deputy.get(f"/api/v1/figures/iom_share/?municipality={world.municipality.pk}").status_code == 403
    methodist = _client(world, "municipal_methodist")
    assert methodist.get(f"/api/v1/figures/iom_share/?municipality={world.other_municipality.pk}").status_code == 404
    assert methodist.get("/api/v1/figures/iom_share/").status_code == 403
    regional = _client(world, "regional_methodist").get("/api/v1/figures/iom_share/").json()
    assert regional["scope"] == {"region": None, "municipality": None, "organisation": None}


def test_bad_parameters_answer_400_in_russian(world):
    client = _client(world, "admin")
    for query in ("year=2024", "year=2024-2026", "year=0000-0001", "organisation=x"):
        response = client.get(f"/api/v1/figures/iom_share/?{query}")
        assert response.status_code == 400, query
    assert client.get("/api/v1/figures/iom_share/?year=2024-2026").json() == {
        "year": ["Учебный год пишется как 2024-2025: два года подряд."]}
    mismatch = client.get(f"/api/v1/figures/iom_share/?organisation={world.far_school.pk}"
                          f"&municipality={world.municipality.pk}")
    assert mismatch.status_code == 400
    assert client.get("/api/v1/figures/no_such_figure/?organisation=1").status_code == 404


def test_figure_read_takes_the_scope_it_is_given(world):
    spec = next(spec for spec in figure_list() if spec.code == "route_statuses")
    RouteFactory(person=world.far_staff, academic_year="2024-2025")
    values = figure_read(spec, Organisation.objects.filter(pk=world.far_school.pk), "2024-2025")
    assert {(v.code, v.count) for v in values if v.count} == {("draft", 1)}
    assert all(v.base is None and v.percent is None for v in values)
