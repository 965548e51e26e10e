"""Writes of the diagnostics app: assessments, their scores, and the deficits they reveal.

Deficit states: выявлен (detected) → в работе (in_work, a route addresses it) → преодолен
(overcome: a later score at or above the threshold) or снят (dismissed by a deputy, with a
reason). A deficit is revealed when a competency's *latest* score is below the threshold of
the instrument that produced it.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.services import notify
from diagnostics.models import Assessment, Competency, Deficit, Instrument, Score
from schools.access import can, holders_of, is_own, require
from schools.cache import bump_organisations_on_commit
from schools.models import StaffMember

# The self-assessment scale: how true a statement is of the teacher.
SCALE_MIN, SCALE_MAX = 1, 5
SCALE_LABELS = {
    1: "совсем не про меня",
    2: "скорее нет",
    3: "отчасти",
    4: "скорее да",
    5: "полностью про меня",
}


class DiagnosticsError(DomainError):
    """A refused action; its message is shown to the user as is (in Russian)."""


def score_from_ratings(ratings: Sequence[int]) -> int:
    """Ratings on the 1–5 scale → a score 0–100: the mean distance from the bottom of the scale.

    All 1 → 0, all 5 → 100, a mean of 3.5 → 62.5 → 63 (rounded half up, like every figure of
    the portal).
    """
    if not ratings:
        raise DiagnosticsError("Нет ответов для расчета балла.")
    for rating in ratings:
        if not SCALE_MIN <= rating <= SCALE_MAX:
            raise DiagnosticsError(f"Оценка должна быть от {SCALE_MIN} до {SCALE_MAX}, получено: {rating}.")
    total = Decimal(sum(r - SCALE_MIN for r in ratings)) * 100
    value = total / (Decimal(len(ratings)) * (SCALE_MAX - SCALE_MIN))
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _check_value(competency: Competency, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 100:
        raise DiagnosticsError(f"Балл по компетенции {competency.code} должен быть целым числом от 0 до 100.")
    return value


def _check_person(person: StaffMember) -> None:
    if person.status == StaffMember.Status.DISMISSED:
        raise DiagnosticsError(f"{person.full_name} уволен(а): диагностику уволенных не проводят.")


def judges_another(actor, person: StaffMember) -> bool:
    """Nobody judges their own diagnostics: a deputy records no assessment of themselves and dismisses
    no deficit of their own (an assessment by others would overcome their deficits, a dismissal drop
    them), as nobody reviews their own route."""
    return not is_own(actor, person)


def _check_not_own(actor, person: StaffMember, what: str) -> None:
    if not judges_another(actor, person):
        raise DiagnosticsError(f"{what} себе самому нельзя: это делает другой заместитель директора школы или администратор портала.")


def _save_assessment(*, person, instrument, taken_on, source, recorded_by, scores: Mapping[Competency, int],
                     note: str = "") -> Assessment:
    assessment = Assessment.objects.create(
        person=person, instrument=instrument, taken_on=taken_on, source=source, recorded_by=recorded_by, note=note
    )
    Score.objects.bulk_create(
        Score(assessment=assessment, competency=competency, value=value) for competency, value in scores.items()
    )
    bump_organisations_on_commit(person.organisation_id)
    return assessment


@transaction.atomic
def self_assessment_submit(*, actor, instrument: Instrument, answers: Mapping[int, int],
                           taken_on: dt.date | None = None) -> tuple[Assessment, list[Deficit], list[Deficit]]:
    """The teacher's own questionnaire: ratings per statement → a score per competency.

    Returns the assessment and the deficits it detected and overcame.
    """
    person = StaffMember.objects.select_related("organisation").filter(user=actor).first()
    if person is None:
        raise DiagnosticsError("Ваша учетная запись не связана с карточкой педагога. Обратитесь к заместителю директора.")
    _check_person(person)
    if not instrument.is_self_assessment or not instrument.is_active:
        raise DiagnosticsError("Этот инструмент не предназначен для самооценки.")
    statements = list(instrument.statements.select_related("competency"))
    if not statements:
        raise DiagnosticsError("В анкете нет утверждений.")
    missing = [s for s in statements if s.pk not in answers]
    if missing:
        raise DiagnosticsError(f"Ответьте на все утверждения анкеты: без ответа осталось {len(missing)}.")
    ratings: dict[Competency, list[int]] = {}
    for statement in statements:
        ratings.setdefault(statement.competency, []).append(answers[statement.pk])
    scores = {competency: score_from_ratings(values) for competency, values in ratings.items()}
    assessment = _save_assessment(
        person=person, instrument=instrument, taken_on=taken_on or timezone.localdate(),
        source=Assessment.Source.SELF, recorded_by=actor, scores=scores,
    )
    detected, overcome = refresh_deficits(assessment=assessment)
    if detected:
        notify(
            # the school's own assessors (its deputies), not the methodists and administrators over it
            users=holders_of("diagnostics.assess", person.organisation, local=True).exclude(pk=person.user_id),
            text=f"{person.full_name} прошел(ла) самооценку: выявлено дефицитов — {len(detected)}.",
            url=reverse("diagnostics:person", args=[person.pk]),
        )
    return assessment, detected, overcome


@transaction.atomic
def assessment_record(*, actor, person: StaffMember, instrument: Instrument, taken_on: dt.date,
                      scores: Mapping[Competency, int], note: str = "") -> tuple[Assessment, list[Deficit], list[Deficit]]:
    """A deputy records an assessment by others (an observed lesson, a test) for a teacher of their school."""
    require(actor, "diagnostics.assess", person.organisation)
    _check_not_own(actor, person, "Вносить результаты диагностики")
    _check_person(person)
    if instrument.is_self_assessment:
        raise DiagnosticsError("Самооценку педагог проходит сам; выберите другой инструмент.")
    if not instrument.is_active:
        raise DiagnosticsError("Этот инструмент больше не используется.")
    if taken_on > timezone.localdate():
        raise DiagnosticsError("Дата диагностики не может быть в будущем.")
    if not scores:
        raise DiagnosticsError("Укажите балл хотя бы по одной компетенции.")
    allowed = set(instrument.competencies.values_list("pk", flat=True))
    for competency, value in scores.items():
        if competency.pk not in allowed:
            raise DiagnosticsError(f"Инструмент «{instrument.name}» не измеряет компетенцию {competency.code}.")
        _check_value(competency, value)
    assessment = _save_assessment(
        person=person, instrument=instrument, taken_on=taken_on, source=Assessment.Source.DEPUTY,
        recorded_by=actor, scores=scores, note=note,
    )
    detected, overcome = refresh_deficits(assessment=assessment)
    if person.user_id:
        notify(
            users=[person.user],
            text=f"Внесены результаты диагностики «{instrument.name}» от {taken_on:%d.%m.%Y}.",
            url=reverse("diagnostics:assessment_detail", args=[assessment.pk]),
        )
    return assessment, detected, overcome


def assessment_store_external(*, person: StaffMember, instrument: Instrument, taken_on: dt.date,
                              scores: Mapping[Competency, int], recorded_by=None) -> str:
    """Store one row of an external result (the import). The caller holds the transaction and the right.

    An external result is identified by person + instrument + date, so importing the same file
    twice changes nothing. Returns "created", "updated" or "unchanged".
    """
    for competency, value in scores.items():
        _check_value(competency, value)
    assessment = Assessment.objects.filter(
        person=person, instrument=instrument, taken_on=taken_on, source=Assessment.Source.IMPORT
    ).first()
    if assessment is None:
        assessment = _save_assessment(
            person=person, instrument=instrument, taken_on=taken_on, source=Assessment.Source.IMPORT,
            recorded_by=recorded_by, scores=scores,
        )
        refresh_deficits(assessment=assessment)
        return "created"
    existing = {s.competency_id: s for s in assessment.scores.all()}
    changed = False
    for competency, value in scores.items():
        score = existing.get(competency.pk)
        if score is None:
            Score.objects.create(assessment=assessment, competency=competency, value=value)
            changed = True
        elif score.value != value:
            score.value = value
            score.save(update_fields=["value"])
            changed = True
    if not changed:
        return "unchanged"
    refresh_deficits(assessment=assessment)
    return "updated"


def refresh_deficits(*, assessment: Assessment) -> tuple[list[Deficit], list[Deficit]]:
    """Apply the threshold rule to the scores of one assessment. Runs inside the caller's transaction.

    Only a score that is the person's latest for its competency counts: a back-dated result does
    not override a newer one. Below the instrument's threshold → a detected deficit (unless one is
    open already, or this very score already produced one that was dismissed); at or above →
    an open deficit detected on or before that date is overcome.
    """
    person = assessment.person
    threshold = assessment.instrument.threshold
    scores = list(assessment.scores.select_related("competency"))
    competency_ids = [s.competency_id for s in scores]
    latest_ids = {}
    for score_id, competency_id in (
        Score.objects.filter(assessment__person=person, competency_id__in=competency_ids)
        .order_by("competency_id", "-assessment__taken_on", "-assessment__created_at", "-pk")
        .values_list("pk", "competency_id")
    ):
        latest_ids.setdefault(competency_id, score_id)
    open_deficits = {
        d.competency_id: d
        for d in Deficit.objects.filter(person=person, competency_id__in=competency_ids, status__in=Deficit.OPEN_STATUSES)
    }
    used_sources = set(
        Deficit.objects.filter(source_score__in=scores).values_list("source_score_id", flat=True)
    )
    detected, overcome = [], []
    for score in scores:
        if latest_ids.get(score.competency_id) != score.pk:
            continue
        deficit = open_deficits.get(score.competency_id)
        if score.value < threshold:
            if deficit is None and score.pk not in used_sources:
                detected.append(Deficit.objects.create(
                    person=person, competency=score.competency, source_score=score,
                    detected_on=assessment.taken_on,
                ))
        elif deficit is not None and deficit.detected_on <= assessment.taken_on and deficit.source_score_id != score.pk:
            deficit.status = Deficit.Status.OVERCOME
            deficit.closed_on = assessment.taken_on
            deficit.closed_by_score = score
            deficit.save(update_fields=["status", "closed_on", "closed_by_score"])
            overcome.append(deficit)
    if detected or overcome:
        bump_organisations_on_commit(assessment.person.organisation_id)
    return detected, overcome


@transaction.atomic
def deficit_add(*, actor, person: StaffMember, competency: Competency, reason: str,
                detected_on: dt.date | None = None) -> Deficit:
    """A deputy adds a deficit by hand (from a conversation, a visit, the teacher's request)."""
    require(actor, "diagnostics.assess", person.organisation)
    _check_person(person)
    reason = (reason or "").strip()
    if not reason:
        raise DiagnosticsError("Укажите, на каком основании добавлен дефицит.")
    if Deficit.objects.filter(person=person, competency=competency, status__in=Deficit.OPEN_STATUSES).exists():
        raise DiagnosticsError(f"У педагога уже есть открытый дефицит по компетенции «{competency.name}».")
    deficit = Deficit.objects.create(
        person=person, competency=competency, added_by=actor, reason=reason,
        detected_on=detected_on or timezone.localdate(),
    )
    bump_organisations_on_commit(person.organisation_id)
    if person.user_id:
        notify(
            users=[person.user],
            text=f"Заместитель директора отметил профессиональный дефицит: {competency.name}.",
            url=reverse("diagnostics:my"),
        )
    return deficit


@transaction.atomic
def deficit_dismiss(*, actor, deficit: Deficit, reason: str) -> Deficit:
    """A deputy dismisses an open deficit with a reason (снят)."""
    deficit = Deficit.objects.select_for_update().select_related("person__organisation", "competency").get(pk=deficit.pk)
    require(actor, "diagnostics.assess", deficit.person.organisation)
    _check_not_own(actor, deficit.person, "Снимать дефициты")
    if not deficit.is_open:
        raise DiagnosticsError(f"Дефицит уже закрыт (состояние: {deficit.get_status_display().lower()}).")
    reason = (reason or "").strip()
    if not reason:
        raise DiagnosticsError("Укажите причину снятия дефицита.")
    deficit.status = Deficit.Status.DISMISSED
    deficit.dismissal_reason = reason
    deficit.closed_on = timezone.localdate()
    deficit.closed_by = actor
    deficit.save(update_fields=["status", "dismissal_reason", "closed_on", "closed_by"])
    bump_organisations_on_commit(deficit.person.organisation_id)
    if deficit.person.user_id:
        notify(
            users=[deficit.person.user],
            text=f"Дефицит «{deficit.competency.name}» снят: {reason}",
            url=reverse("diagnostics:my"),
        )
    return deficit


def may_work_on(actor, person: StaffMember) -> bool:
    """A person's deficits are taken into a route (drafting) by the person themselves or by a holder of
    diagnostics.assess over their organisation."""
    return is_own(actor, person) or can(actor, "diagnostics.assess", person.organisation)


def deficits_take_into_work(*, actor, deficits: Iterable[Deficit]) -> list[Deficit]:
    """Detected → in work, when a route addresses them. Runs inside the caller's transaction (drafting)."""
    taken = []
    for deficit in deficits:
        if not may_work_on(actor, deficit.person):
            raise DiagnosticsError("Недостаточно прав, чтобы взять дефицит в работу.")
        if deficit.status == Deficit.Status.DETECTED:
            deficit.status = Deficit.Status.IN_WORK
            deficit.save(update_fields=["status"])
            taken.append(deficit)
        elif deficit.status != Deficit.Status.IN_WORK:
            raise DiagnosticsError(f"Дефицит «{deficit.competency.name}» уже закрыт.")
    bump_organisations_on_commit(*{d.person.organisation_id for d in taken})
    return taken


def deficits_release(*, deficits: Iterable[Deficit]) -> list[Deficit]:
    """In work → detected again, when the route addressing them is withdrawn or deleted.

    Runs inside the caller's transaction; the caller has checked its own right on the route.
    """
    released = []
    for deficit in deficits:
        if deficit.status == Deficit.Status.IN_WORK:
            deficit.status = Deficit.Status.DETECTED
            deficit.save(update_fields=["status"])
            released.append(deficit)
    bump_organisations_on_commit(*{d.person.organisation_id for d in released})
    return released


def deficits_reassess(*, person: StaffMember, taken_on: dt.date, recorded_by,
                      results: Iterable[tuple[Deficit, Instrument, int, str, Score | None]],
                      note: str = "") -> tuple[list[Deficit], list[Deficit]]:
    """The final diagnostics of a route (routes.workflow, accept_results): for each (deficit, instrument, value,
    source, existing score) the value is written as a score of the person (one assessment per instrument and
    source; an imported result is its own score already), and the deficit becomes «преодолен» when the value
    reaches the instrument's threshold, else stays «в работе» (open, so the next route's drafting offers it).
    Runs inside the caller's transaction; the caller has checked its right on the route. Returns (overcome,
    still in work)."""
    assessments: dict[tuple[int, str], Assessment] = {}
    overcome, remaining = [], []
    for deficit, instrument, value, source, existing in results:
        _check_value(deficit.competency, value)
        score = existing
        if score is None:
            key = (instrument.pk, source)
            if key not in assessments:
                assessments[key] = Assessment.objects.create(
                    person=person, instrument=instrument, taken_on=taken_on, source=source,
                    recorded_by=recorded_by, note=note)
            score, _ = Score.objects.update_or_create(
                assessment=assessments[key], competency=deficit.competency, defaults={"value": value})
        if value >= instrument.threshold:
            deficit.status = Deficit.Status.OVERCOME
            deficit.closed_on = taken_on
            deficit.closed_by_score = score
            deficit.save(update_fields=["status", "closed_on", "closed_by_score"])
            overcome.append(deficit)
        else:
            if deficit.status != Deficit.Status.IN_WORK:
                deficit.status = Deficit.Status.IN_WORK
                deficit.save(update_fields=["status"])
            remaining.append(deficit)
    bump_organisations_on_commit(person.organisation_id)
    return overcome, remaining
