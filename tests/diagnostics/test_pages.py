import datetime as dt

import pytest
from django.urls import reverse

from diagnostics.models import Assessment, Deficit, Instrument
from diagnostics.selectors import frequent_deficits_for_municipality
from tests.diagnostics.factories import AssessmentFactory, DeficitFactory, ScoreFactory, competency, instrument
from tests.factories import StaffFactory
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return World()


def _answers(value_for):
    tool = Instrument.objects.get(is_self_assessment=True)
    return tool, {f"s{s.pk}": value_for(s.competency.code) for s in tool.statements.select_related("competency")}


def test_a_teacher_takes_the_self_assessment_and_sees_the_profile_and_deficits(client, w):
    client.force_login(w.user("teacher"))
    tool, data = _answers(lambda code: 2 if code in {"М4", "ПП2"} else 4)
    response = client.post(reverse("diagnostics:self_assessment", args=[tool.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("diagnostics:my")
    assert set(Deficit.objects.values_list("competency__code", flat=True)) == {"М4", "ПП2"}
    page = client.get(reverse("diagnostics:my")).content.decode()
    assert "<svg" in page and "chart-bar-below" in page
    assert "Составить ИОМ по результатам диагностики" in page


def test_an_incomplete_questionnaire_is_returned_with_the_answers_kept(client, w):
    client.force_login(w.user("teacher"))
    tool, data = _answers(lambda code: 3)
    first = next(iter(data))
    del data[first]
    response = client.post(reverse("diagnostics:self_assessment", args=[tool.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "без ответа осталось 1" in page
    assert not Assessment.objects.exists()
    # the statement left out is marked, the answers given are checked again
    assert page.count("statement-error") == 1 and page.count(" checked>") == len(data)
    assert page.count("<fieldset") == len({s.competency.group_id for s in tool.statements.all()})


def test_a_deputy_records_an_observation_for_a_teacher_of_their_school(client, w):
    client.force_login(w.user("deputy"))
    tool = instrument()
    url = reverse("diagnostics:assessment_create", args=[w.colleague.pk]) + f"?instrument={tool.pk}"
    m1 = competency("М1")
    response = client.post(url, {"taken_on": "2025-11-03", "note": "урок в 7Б", f"c{m1.pk}": "45"})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.recorded_by == w.user("deputy") and assessment.note == "урок в 7Б"
    assert Deficit.objects.get().competency == m1


def test_a_deputys_empty_or_out_of_range_scores_are_refused(client, w):
    client.force_login(w.user("deputy"))
    url = reverse("diagnostics:assessment_create", args=[w.colleague.pk]) + f"?instrument={instrument().pk}"
    empty = client.post(url, {"taken_on": "2025-11-03"})
    assert "хотя бы по одной компетенции" in empty.content.decode()
    too_high = client.post(url, {"taken_on": "2025-11-03", f"c{competency('М1').pk}": "150"})
    assert "от 0 до 100" in too_high.content.decode()
    assert not Assessment.objects.exists()


def test_the_assessment_form_is_a_table_a_competency_a_row_with_its_error_beside_it(client, w):
    client.force_login(w.user("deputy"))
    url = reverse("diagnostics:assessment_create", args=[w.colleague.pk]) + f"?instrument={instrument().pk}"
    m1 = competency("М1")
    page = client.post(url, {"taken_on": "2025-11-03", f"c{m1.pk}": "150"}).content.decode()
    row = page[page.index(f'<label for="id_c{m1.pk}">'):]
    row = row[:row.index("</tr>")]
    assert "Балл — от 0 до 100." in row and f'id="id_c{m1.pk}_error"' in row
    assert 'value="150"' in row and "is-invalid" in row and f'aria-describedby="id_c{m1.pk}_error"' in row
    assert page.count("score-input") == len(instrument().competencies.all())
    assert 'class="col-md-6"' in page and 'name="instrument"' in page  # the instrument chooser, beside «Выбрать»


def test_a_deputy_of_another_school_gets_404_on_an_assessment(client, w):
    assessment = AssessmentFactory(person=w.sibling_staff)
    client.force_login(w.user("deputy"))
    assert client.get(reverse("diagnostics:assessment_detail", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("diagnostics:person", args=[w.sibling_staff.pk])).status_code == 404


def _person_with_progress(w, tool):
    person = StaffFactory(organisation=w.school)
    ScoreFactory(assessment=AssessmentFactory(person=person, instrument=tool, taken_on=dt.date(2025, 9, 10)),
                 competency=competency("М1"), value=35)
    ScoreFactory(assessment=AssessmentFactory(person=person, instrument=tool, taken_on=dt.date(2026, 3, 10)),
                 competency=competency("М1"), value=52)
    DeficitFactory(person=person, competency=competency("М1"), detected_on=dt.date(2025, 9, 10))


def test_the_school_page_shows_each_deficits_first_and_latest_score(client, w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tool = instrument()
    for _ in range(3):
        _person_with_progress(w, tool)
    client.force_login(w.user("deputy"))
    url = reverse("diagnostics:school", args=[w.school.pk])
    client.get(url)  # warm the session
    # session, user, memberships, organisation, deficits with their first/latest score subqueries,
    # by-competency aggregate, people with their counts, notifications badge, the menu's staff-card
    # checks (diagnostics, methodics): at most 10, and the same for 3 people as for 9
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    page = response.content.decode()
    assert page.count("35 <span") == 3 and page.count("<strong>52</strong>") == 3
    assert "10.09.2025" in page and "10.03.2026" in page
    for _ in range(6):
        _person_with_progress(w, tool)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("<strong>52</strong>") == 9
    assert len(many) == len(few) <= 10, [q["sql"][:80] for q in many.captured_queries]


def test_the_most_frequent_deficits_of_a_municipality_count_people_and_schools(w, django_assert_num_queries):
    for person in (w.colleague, w.teacher_staff, w.sibling_staff):
        DeficitFactory(person=person, competency=competency("М4"))
    DeficitFactory(person=w.colleague, competency=competency("П3"))
    DeficitFactory(person=w.sibling_staff, competency=competency("П3"), status=Deficit.Status.DISMISSED)
    DeficitFactory(person=w.other_staff, competency=competency("П3"))  # another municipality
    with django_assert_num_queries(1):
        rows = frequent_deficits_for_municipality(w.municipality)
    assert [(r["competency__code"], r["people"], r["schools"]) for r in rows] == [("М4", 3, 2), ("П3", 1, 1)]
    assert frequent_deficits_for_municipality(w.municipality, limit=1)[0]["competency__code"] == "М4"
