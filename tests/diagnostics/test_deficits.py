import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from diagnostics.models import Deficit
from diagnostics.services import (
    DiagnosticsError,
    assessment_record,
    deficit_add,
    deficit_dismiss,
    deficits_release,
    deficits_take_into_work,
)
from tests.diagnostics.factories import DeficitFactory, competency, instrument
from tests.world import World

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def w():
    return World()


def record(w, value, *, code="М1", days_ago=0, person=None, threshold=None):
    tool = instrument()
    if threshold is not None:
        tool.threshold = threshold
        tool.save()
    return assessment_record(
        actor=w.user("deputy"), person=person or w.colleague, instrument=tool,
        taken_on=TODAY - dt.timedelta(days=days_ago), scores={competency(code): value},
    )


def test_a_score_below_the_threshold_becomes_a_detected_deficit_with_its_source(w):
    assessment, detected, _ = record(w, 59)
    deficit = Deficit.objects.get()
    assert detected == [deficit]
    assert deficit.status == Deficit.Status.DETECTED
    assert deficit.person == w.colleague and deficit.competency.code == "М1"
    assert deficit.source_score.assessment == assessment
    assert deficit.detected_on == TODAY
    assert "Наблюдение урока" in deficit.source_label


def test_a_score_at_the_threshold_is_not_a_deficit(w):
    record(w, 60)
    assert not Deficit.objects.exists()


def test_the_threshold_is_the_instruments_own(w):
    record(w, 70, threshold=75)
    assert Deficit.objects.get().competency.code == "М1"


def test_a_second_low_score_keeps_the_one_open_deficit(w):
    record(w, 40, days_ago=20)
    record(w, 45, days_ago=5)
    assert Deficit.objects.count() == 1


def test_a_later_score_at_or_above_the_threshold_overcomes_the_deficit(w):
    record(w, 40, days_ago=20)
    later, _, overcome = record(w, 72, days_ago=1)
    deficit = Deficit.objects.get()
    assert overcome == [deficit]
    assert deficit.status == Deficit.Status.OVERCOME
    assert deficit.closed_on == TODAY - dt.timedelta(days=1)
    assert deficit.closed_by_score.assessment == later


def test_a_deficit_in_work_is_overcome_too(w):
    record(w, 40, days_ago=20)
    deficit = Deficit.objects.get()
    deficits_take_into_work(actor=w.user("deputy"), deficits=[deficit])
    deficit.refresh_from_db()
    assert deficit.status == Deficit.Status.IN_WORK
    record(w, 90)
    deficit.refresh_from_db()
    assert deficit.status == Deficit.Status.OVERCOME


def test_a_back_dated_good_score_does_not_override_a_newer_low_one(w):
    record(w, 40, days_ago=5)
    record(w, 95, days_ago=50)
    assert Deficit.objects.get().status == Deficit.Status.DETECTED


def test_a_deputy_dismisses_an_open_deficit_with_a_reason(w):
    record(w, 40, days_ago=5)
    deficit = Deficit.objects.get()
    deficit_dismiss(actor=w.user("deputy"), deficit=deficit, reason="Оценка по неполному уроку")
    deficit.refresh_from_db()
    assert deficit.status == Deficit.Status.DISMISSED
    assert deficit.dismissal_reason == "Оценка по неполному уроку"
    assert deficit.closed_by == w.user("deputy") and deficit.closed_on == TODAY


def test_dismissing_needs_a_reason_and_an_open_deficit(w):
    record(w, 40)
    deficit = Deficit.objects.get()
    with pytest.raises(DiagnosticsError, match="причину"):
        deficit_dismiss(actor=w.user("deputy"), deficit=deficit, reason="  ")
    deficit_dismiss(actor=w.user("deputy"), deficit=deficit, reason="ошибка ввода")
    with pytest.raises(DiagnosticsError, match="уже закрыт"):
        deficit_dismiss(actor=w.user("deputy"), deficit=deficit, reason="еще раз")


def test_a_dismissed_deficit_comes_back_only_with_a_new_low_score(w):
    record(w, 40, days_ago=5)
    deficit_dismiss(actor=w.user("deputy"), deficit=Deficit.objects.get(), reason="не подтвердился")
    assert Deficit.objects.filter(status__in=Deficit.OPEN_STATUSES).count() == 0
    record(w, 30)
    assert Deficit.objects.filter(status=Deficit.Status.DETECTED).count() == 1


def test_a_deputy_adds_a_deficit_by_hand_with_the_reason(w):
    deficit = deficit_add(actor=w.user("deputy"), person=w.colleague, competency=competency("ПП2"),
                          reason="Беседа по итогам ПМПК")
    assert deficit.status == Deficit.Status.DETECTED
    assert deficit.added_by == w.user("deputy") and deficit.source_score is None
    assert deficit.source_label == "добавлен вручную"


def test_a_second_open_deficit_of_the_same_competency_is_refused(w):
    DeficitFactory(person=w.colleague, competency=competency("ПП2"))
    with pytest.raises(DiagnosticsError, match="уже есть открытый"):
        deficit_add(actor=w.user("deputy"), person=w.colleague, competency=competency("ПП2"), reason="повтор")


def test_a_manual_deficit_is_overcome_by_a_later_good_score(w):
    deficit = DeficitFactory(person=w.colleague, competency=competency("М1"), detected_on=TODAY - dt.timedelta(days=3))
    record(w, 80)
    deficit.refresh_from_db()
    assert deficit.status == Deficit.Status.OVERCOME


def test_a_deputy_of_another_school_cannot_assess_add_or_dismiss(w):
    with pytest.raises(PermissionDenied):
        record(w, 40, person=w.sibling_staff)
    with pytest.raises(PermissionDenied):
        deficit_add(actor=w.user("deputy"), person=w.sibling_staff, competency=competency("М1"), reason="x")
    deficit = DeficitFactory(person=w.sibling_staff)
    with pytest.raises(PermissionDenied):
        deficit_dismiss(actor=w.user("deputy"), deficit=deficit, reason="x")


def test_the_teacher_cannot_record_an_assessment_of_themselves(w):
    with pytest.raises(PermissionDenied):
        assessment_record(actor=w.user("teacher"), person=w.teacher_staff, instrument=instrument(),
                          taken_on=TODAY, scores={competency("М1"): 10})


def test_a_score_out_of_range_or_of_a_competency_the_instrument_does_not_measure_is_refused(w):
    with pytest.raises(DiagnosticsError, match="от 0 до 100"):
        record(w, 101)
    with pytest.raises(DiagnosticsError, match="не измеряет"):
        record(w, 50, code="ПЛ1")  # the lesson observation does not measure ПЛ1
    assert not Deficit.objects.exists()


def test_taking_into_work_and_releasing(w):
    deficit = DeficitFactory(person=w.teacher_staff)
    deficits_take_into_work(actor=w.user("teacher"), deficits=[deficit])
    assert Deficit.objects.get().status == Deficit.Status.IN_WORK
    deficits_release(deficits=[Deficit.objects.get()])
    assert Deficit.objects.get().status == Deficit.Status.DETECTED


def test_someone_elses_deficit_cannot_be_taken_into_work_by_a_teacher(w):
    deficit = DeficitFactory(person=w.colleague)
    with pytest.raises(DiagnosticsError, match="Недостаточно прав"):
        deficits_take_into_work(actor=w.user("teacher"), deficits=[deficit])


def test_a_deputy_cannot_record_an_assessment_of_themselves(w):
    with pytest.raises(DiagnosticsError, match="себе самому"):
        record(w, 95, person=w.deputy_staff)
    assert not w.deputy_staff.assessments.exists()


def test_a_deputy_cannot_dismiss_their_own_deficit_but_another_reviewer_can(w):
    deficit = DeficitFactory(person=w.deputy_staff)
    with pytest.raises(DiagnosticsError, match="себе самому"):
        deficit_dismiss(actor=w.user("deputy"), deficit=deficit, reason="мне не нужно")
    deficit.refresh_from_db()
    assert deficit.is_open
    deficit_dismiss(actor=w.user("admin"), deficit=deficit, reason="ошибка ввода")
    deficit.refresh_from_db()
    assert deficit.status == Deficit.Status.DISMISSED
