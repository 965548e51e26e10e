import pytest

from diagnostics.models import Assessment, Instrument, Score
from diagnostics.services import DiagnosticsError, score_from_ratings, self_assessment_submit
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("ratings", "expected"), [
    ([1, 1], 0),
    ([5, 5], 100),
    ([3, 3], 50),
    ([3, 4], 63),  # mean 3.5 → 62.5 → rounded half up
    ([4, 4], 75),
    ([1, 2], 13),  # 12.5 → 13
    ([2, 2, 3], 33),  # 33.33…
])
def test_ratings_on_the_one_to_five_scale_become_a_score_out_of_a_hundred(ratings, expected):
    assert score_from_ratings(ratings) == expected


@pytest.mark.parametrize("ratings", [[], [0, 3], [6]])
def test_no_ratings_or_a_rating_off_the_scale_is_refused(ratings):
    with pytest.raises(DiagnosticsError):
        score_from_ratings(ratings)


def _self_instrument():
    return Instrument.objects.get(is_self_assessment=True)


def test_the_questionnaire_has_statements_for_every_competency_of_the_framework():
    instrument = _self_instrument()
    from diagnostics.models import Competency

    assert set(instrument.statements.values_list("competency__code", flat=True)) == set(
        Competency.objects.values_list("code", flat=True)
    )
    assert 20 <= Competency.objects.count() <= 30


def test_self_assessment_saves_one_score_per_competency_from_its_statements():
    w = World()
    instrument = _self_instrument()
    answers = {}
    for statement in instrument.statements.select_related("competency"):
        if statement.competency.code == "М4":
            answers[statement.pk] = 1 if statement.order == 1 else 2
        else:
            answers[statement.pk] = 5
    assessment, detected, overcome = self_assessment_submit(actor=w.user("teacher"), instrument=instrument, answers=answers)
    scores = dict(assessment.scores.values_list("competency__code", "value"))
    assert scores["М4"] == 13
    assert scores["П1"] == 100
    assert len(scores) == instrument.statements.values("competency").distinct().count()
    assert assessment.person == w.teacher_staff and assessment.source == Assessment.Source.SELF
    assert [d.competency.code for d in detected] == ["М4"]
    assert overcome == []


def test_an_unanswered_statement_refuses_the_whole_questionnaire_and_writes_nothing():
    w = World()
    instrument = _self_instrument()
    answers = {s.pk: 4 for s in instrument.statements.all()[1:]}
    with pytest.raises(DiagnosticsError, match="без ответа осталось 1"):
        self_assessment_submit(actor=w.user("teacher"), instrument=instrument, answers=answers)
    assert not Assessment.objects.exists() and not Score.objects.exists()


def test_a_user_without_a_staff_card_cannot_take_the_self_assessment():
    w = World()
    with pytest.raises(DiagnosticsError, match="не связана с карточкой"):
        self_assessment_submit(actor=w.user("municipal_methodist"), instrument=_self_instrument(), answers={})


def test_the_validity_intervals_are_those_of_seed_003():
    intervals = {i.name: i.validity_label for i in Instrument.objects.all()}
    assert intervals["Собеседование с педагогом"] == "0,10–0,20"
    assert intervals["Самооценка профессиональных компетенций"] == "0,20–0,40"
    assert intervals["Наблюдение урока заместителем директора"] == "0,30–0,60"
    assert intervals["Предметно-методическое тестирование (ЦНППМ)"] == "0,50–0,70"
    assert intervals["Экспертная оценка открытого урока"] == "0,40–0,70"
    assert intervals["Анализ документации педагога"] == ""


def test_deficits_of_a_self_assessment_are_told_to_the_deputies_of_the_school_only(django_capture_on_commit_callbacks):
    from core.models import Notification
    from tests.world import grant

    w = World()
    grant(w.user("municipal_methodist"), "deputy", organisation=w.other_school)  # a deputy, of another school
    instrument = _self_instrument()
    answers = {statement.pk: 1 for statement in instrument.statements.all()}
    with django_capture_on_commit_callbacks(execute=True):
        self_assessment_submit(actor=w.user("teacher"), instrument=instrument, answers=answers)
    told = set(Notification.objects.filter(text__contains="самооценку").values_list("recipient__username", flat=True))
    assert told == {"deputy"}, "the school's own deputies, not administrators, methodists or other schools"
