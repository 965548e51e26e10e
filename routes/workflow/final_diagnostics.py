"""The final diagnostics of a route (docs/spec/workflow.md, «Final diagnostics»): the results re-assess each
deficit the route addressed, and accepting them closes the deficits that reached the threshold.

Three ways to a score, one record per deficit (routes.models.DeficitReassessment): the teacher repeats the
instrument's statements for the deficit's competency when submitting results (diagnostics.services.
score_from_ratings, as in the self-assessment), or an imported result dated within the route's period is
taken, or the reviewer gives their own score when accepting. The deficit's state changes only on acceptance
(diagnostics.services.deficits_reassess): returned results change nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import Q

from diagnostics.models import Assessment, Deficit, Instrument, Score, Statement
from diagnostics.selectors import imported_score_since, reassessment_instrument, reassessment_statements
from diagnostics.services import DiagnosticsError, deficits_reassess, score_from_ratings
from routes.models import DeficitReassessment, Route

Source = Assessment.Source


@dataclass
class FinalItem:
    """One deficit the route addressed, with what its re-assessment needs and has."""

    deficit: Deficit
    instrument: Instrument | None
    statements: list[Statement] = field(default_factory=list)
    imported: Score | None = None
    record: DeficitReassessment | None = None

    @property
    def before(self) -> int | None:
        return self.deficit.source_score.value if self.deficit.source_score_id else None

    @property
    def threshold(self) -> int | None:
        return self.instrument.threshold if self.instrument else None


def addressed_deficits(route: Route):
    """The deficits the route addresses (linked to it or to one of its tasks), in the framework's order."""
    return (Deficit.objects.filter(Q(routes=route) | Q(route_tasks__route=route)).distinct()
            .select_related("competency__group", "source_score__assessment__instrument")
            .order_by("competency__group__order", "competency__order", "pk"))


def final_items(route: Route, *, open_only: bool = True) -> list[FinalItem]:
    records = {r.deficit_id: r for r in route.reassessments.select_related("instrument")}
    deficits = addressed_deficits(route)
    if open_only:
        deficits = deficits.filter(status__in=Deficit.OPEN_STATUSES)
    items = []
    for deficit in deficits:
        instrument = reassessment_instrument(deficit)
        items.append(FinalItem(
            deficit=deficit, instrument=instrument, statements=reassessment_statements(instrument, deficit),
            imported=imported_score_since(deficit, route.starts_on), record=records.get(deficit.pk),
        ))
    return items


def record_teacher(route: Route, *, actor, answers: Mapping[int, Mapping[int, int]] | None) -> list[str]:
    """The teacher's re-assessment with the results: `answers` is deficit pk → {statement pk: rating 1–5}.

    A deficit with statements needs every one answered unless an imported result of the period stands for it;
    a deficit with neither is left to the reviewer. Returns every problem at once ([] — recorded)."""
    problems, rows = [], []
    for item in final_items(route):
        given = {pk: v for pk, v in (answers or {}).get(item.deficit.pk, {}).items() if v}
        name = item.deficit.competency.name
        if item.instrument is None:
            continue
        if item.statements and (given or item.imported is None):
            missing = [s for s in item.statements if s.pk not in given]
            if missing:
                problems.append(f"Итоговая диагностика «{name}»: оцените все утверждения (без ответа — {len(missing)}).")
                continue
            try:
                value = score_from_ratings([given[s.pk] for s in item.statements])
            except DiagnosticsError as exc:
                problems.append(f"Итоговая диагностика «{name}»: {exc}")
                continue
            rows.append((item, value, Source.SELF))
        elif item.imported is not None:
            rows.append((item, item.imported.value, Source.IMPORT))
    if problems:
        return problems
    for item, value, source in rows:
        DeficitReassessment.objects.update_or_create(route=route, deficit=item.deficit, defaults={
            "instrument": item.instrument, "before": item.before, "after": value, "threshold": item.threshold,
            "source": source, "recorded_by": actor, "score": item.imported if source == Source.IMPORT else None,
        })
    return []


def apply_on_accept(route: Route, *, actor, scores: Mapping[int, int | None] | None, taken_on) -> list[str]:
    """The reviewer's own scores (deficit pk → 0–100, None: keep the teacher's) replace the teacher's; every open
    deficit the route addressed needs a score from somebody. Then the deficits are closed or kept in work.
    Returns every problem at once ([] — applied)."""
    problems, results = [], []
    items = final_items(route)
    for item in items:
        name = item.deficit.competency.name
        value = (scores or {}).get(item.deficit.pk)
        if item.instrument is None:
            problems.append(f"Для дефицита «{name}» нет диагностического инструмента: добавьте его в справочник.")
            continue
        if value is not None and not 0 <= value <= 100:
            problems.append(f"Итоговая диагностика «{name}»: балл должен быть от 0 до 100.")
            continue
        if value is not None:
            item.record, _ = DeficitReassessment.objects.update_or_create(route=route, deficit=item.deficit, defaults={
                "instrument": item.instrument, "before": item.before, "after": value, "threshold": item.threshold,
                "source": Source.DEPUTY, "recorded_by": actor, "score": None,
            })
        if item.record is None:
            problems.append(f"Итоговая диагностика «{name}»: педагог ее не провел — укажите свой балл.")
            continue
        results.append(item)
    if problems:
        return problems
    deficits_reassess(
        person=route.person, taken_on=taken_on, recorded_by=actor, note=f"Итоговая диагностика ИОМ {route.academic_year}",
        results=[(i.deficit, i.record.instrument, i.record.after, i.record.source, i.record.score) for i in results],
    )
    for item in results:
        if item.record.score_id is None:
            item.record.score = item.deficit.closed_by_score or Score.objects.filter(
                assessment__person=route.person, competency=item.deficit.competency,
                assessment__taken_on=taken_on, assessment__source=item.record.source,
            ).order_by("-pk").first()
            item.record.save(update_fields=["score"])
    return []
