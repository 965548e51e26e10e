"""Reads of the diagnostics app, already limited to what the user may see.

A person's diagnostics are visible to the person themselves and, organisation-wide, to the
holders of `diagnostics.view` in their scope (deputy, director, methodists, administrator).
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from diagnostics.models import Assessment, Competency, CompetencyGroup, Deficit, Instrument, Score, Statement
from schools.access import get_for, has_capability, organisations_for, scope_q
from schools.models import Municipality, Organisation, StaffMember


def _visible_people_q(user, prefix: str = "") -> Q:
    path = f"{prefix}__" if prefix else ""
    q = Q(**{f"{path}user": user})
    if has_capability(user, "diagnostics.view"):
        q |= scope_q(user, "diagnostics.view", prefix=f"{path}organisation")
    return q


# --- the framework -------------------------------------------------------------------------

def framework() -> QuerySet[CompetencyGroup]:
    """Groups with their competencies, in the framework's order."""
    return CompetencyGroup.objects.select_related("roadmap_section").prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.order_by("order", "code"))
    )


def competencies() -> QuerySet[Competency]:
    return Competency.objects.select_related("group")


def instrument_list() -> QuerySet[Instrument]:
    return Instrument.objects.filter(is_active=True).prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.order_by("group__order", "order"))
    ).annotate(statement_count=Count("statements"))


def self_assessment_instruments() -> QuerySet[Instrument]:
    return Instrument.objects.filter(is_active=True, is_self_assessment=True).annotate(
        statement_count=Count("statements")
    )


def self_assessment_instrument_get(pk: int) -> Instrument:
    try:
        return self_assessment_instruments().get(pk=pk)
    except Instrument.DoesNotExist:
        raise Http404("Анкета самооценки не найдена.") from None


def assessable_instruments() -> QuerySet[Instrument]:
    """Instruments a deputy records results of (everything but the self-assessment)."""
    return Instrument.objects.filter(is_active=True, is_self_assessment=False).prefetch_related(
        Prefetch("competencies", queryset=Competency.objects.select_related("group").order_by("group__order", "order"))
    )


def questionnaire(instrument: Instrument) -> list[Statement]:
    return list(instrument.statements.select_related("competency__group").order_by(
        "competency__group__order", "competency__order", "order"
    ))


# --- people --------------------------------------------------------------------------------

def own_person(user) -> StaffMember | None:
    return StaffMember.objects.select_related("organisation__municipality").filter(user=user).first()


def people_visible_for(user) -> QuerySet[StaffMember]:
    """The people whose diagnostics the user may open: themselves, and the diagnostics.view scope."""
    return StaffMember.objects.filter(_visible_people_q(user)).select_related("organisation__municipality", "user")


def person_get_for(user, pk: int) -> StaffMember:
    return get_for(user, people_visible_for(user), pk)


# --- assessments and scores ------------------------------------------------------------------

def assessment_list_for(user, person: StaffMember | None = None) -> QuerySet[Assessment]:
    qs = Assessment.objects.filter(_visible_people_q(user, "person")).select_related(
        "person__organisation", "instrument", "recorded_by"
    )
    if person is not None:
        qs = qs.filter(person=person)
    return qs


def assessment_get_for(user, pk: int) -> Assessment:
    try:
        return assessment_list_for(user).prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("competency__group").order_by(
                "competency__group__order", "competency__order"))
        ).get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404("Диагностика не найдена или недоступна.") from None


@dataclass(frozen=True)
class ProfileRow:
    competency: Competency
    value: int | None
    threshold: int | None
    instrument: str
    taken_on: object

    @property
    def below(self) -> bool:
        return self.value is not None and self.value < self.threshold


def profile(person: StaffMember) -> list[ProfileRow]:
    """The latest score of every competency of the framework (None where never assessed). Two queries."""
    latest: dict[int, Score] = {}
    for score in (
        Score.objects.filter(assessment__person=person)
        .select_related("assessment__instrument")
        .order_by("competency_id", "-assessment__taken_on", "-assessment__created_at", "-pk")
    ):
        latest.setdefault(score.competency_id, score)
    rows = []
    for competency in Competency.objects.select_related("group").order_by("group__order", "order"):
        score = latest.get(competency.pk)
        rows.append(ProfileRow(
            competency=competency,
            value=score.value if score else None,
            threshold=score.assessment.instrument.threshold if score else None,
            instrument=score.assessment.instrument.name if score else "",
            taken_on=score.assessment.taken_on if score else None,
        ))
    return rows


# --- deficits ------------------------------------------------------------------------------

def _score_subquery(descending: bool, field: str = "value"):
    order = ["-assessment__taken_on", "-assessment__created_at", "-pk"] if descending else [
        "assessment__taken_on", "assessment__created_at", "pk"]
    return Subquery(
        Score.objects.filter(assessment__person=OuterRef("person"), competency=OuterRef("competency"))
        .order_by(*order).values(field)[:1]
    )


def with_first_and_latest(qs: QuerySet[Deficit]) -> QuerySet[Deficit]:
    """Before and after: each deficit's first and latest score of its competency, and their dates."""
    return qs.annotate(
        first_value=_score_subquery(False),
        first_on=_score_subquery(False, "assessment__taken_on"),
        latest_value=_score_subquery(True),
        latest_on=_score_subquery(True, "assessment__taken_on"),
    )


def deficit_list_for(user, *, person: StaffMember | None = None, organisation: Organisation | None = None,
                     statuses=None) -> QuerySet[Deficit]:
    qs = Deficit.objects.filter(_visible_people_q(user, "person")).select_related(
        "person__organisation", "competency__group", "source_score__assessment__instrument", "added_by"
    )
    if person is not None:
        qs = qs.filter(person=person)
    if organisation is not None:
        qs = qs.filter(person__organisation=organisation)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return with_first_and_latest(qs).order_by("person__last_name", "person__first_name", "competency__group__order",
                                              "competency__order", "-detected_on")


def deficit_get_for(user, pk: int) -> Deficit:
    return get_for(user, deficit_list_for(user), pk)


def open_deficits_of(person: StaffMember) -> QuerySet[Deficit]:
    """The person's open deficits (detected or in work), in the framework's order, with before/after."""
    return with_first_and_latest(
        Deficit.objects.filter(person=person, status__in=Deficit.OPEN_STATUSES).select_related(
            "competency__group__roadmap_section", "source_score__assessment__instrument"
        )
    ).order_by("competency__group__order", "competency__order")


def reassessment_instrument(deficit: Deficit) -> Instrument | None:
    """The instrument whose statements repeat a deficit's diagnostics: the one that revealed it when it is a
    self-assessment with statements for the competency, else the first active self-assessment that has such
    statements, else any instrument measuring the competency (its threshold; no statements to repeat)."""
    competency = deficit.competency_id
    source = deficit.source_score.assessment.instrument if deficit.source_score_id else None
    if source is not None and source.is_self_assessment and source.statements.filter(competency_id=competency).exists():
        return source
    asked = (Instrument.objects.filter(is_self_assessment=True, is_active=True, statements__competency_id=competency)
             .distinct().order_by("name").first())
    return asked or source or Instrument.objects.filter(competencies__id=competency).order_by("name").first()


def reassessment_statements(instrument: Instrument | None, deficit: Deficit) -> list[Statement]:
    if instrument is None or not instrument.is_self_assessment:
        return []
    return list(instrument.statements.filter(competency_id=deficit.competency_id).order_by("order", "pk"))


def imported_score_since(deficit: Deficit, since) -> Score | None:
    """The person's latest imported score of the deficit's competency taken on or after `since` (the route's start)."""
    qs = Score.objects.filter(assessment__person_id=deficit.person_id, competency_id=deficit.competency_id,
                              assessment__source=Assessment.Source.IMPORT).select_related("assessment__instrument")
    if since:
        qs = qs.filter(assessment__taken_on__gte=since)
    return qs.order_by("-assessment__taken_on", "-pk").first()


def overcome_deficits(organisations, start, end) -> int:
    """Deficits of the organisations' people that became «преодолен» (closing date) between start and end."""
    return Deficit.objects.filter(person__organisation__in=organisations, status=Deficit.Status.OVERCOME,
                                  closed_on__range=(start, end)).count()


# --- schools and municipalities ---------------------------------------------------------------

def organisation_get_for(user, pk: int) -> Organisation:
    try:
        return organisations_for(user, "diagnostics.view").get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404("Организация не найдена или недоступна.") from None


def organisation_overview_for(user) -> QuerySet[Organisation]:
    """Schools in the user's diagnostics scope, in list order; paginate, then with_overview_counts."""
    return (organisations_for(user, "diagnostics.view").select_related("municipality")
            .order_by("municipality__name", "order", "short_name"))


def with_overview_counts(organisations) -> list[Organisation]:
    """The page's organisations with how many people were assessed and their deficits by status
    (`assessed_count`, `detected_count`, `in_work_count`, `overcome_count`): two grouped queries
    over the page's organisations only."""
    organisations = list(organisations)
    ids = [o.pk for o in organisations]
    assessed = dict(
        Assessment.objects.filter(person__organisation__in=ids).order_by().values("person__organisation")
        .annotate(n=Count("person", distinct=True)).values_list("person__organisation", "n")
    )
    deficits = {
        (organisation, status): n for organisation, status, n in
        Deficit.objects.filter(person__organisation__in=ids).order_by().values("person__organisation", "status")
        .annotate(n=Count("pk")).values_list("person__organisation", "status", "n")
    }
    for o in organisations:
        o.assessed_count = assessed.get(o.pk, 0)
        o.detected_count = deficits.get((o.pk, Deficit.Status.DETECTED), 0)
        o.in_work_count = deficits.get((o.pk, Deficit.Status.IN_WORK), 0)
        o.overcome_count = deficits.get((o.pk, Deficit.Status.OVERCOME), 0)
    return organisations


def school_people(organisation: Organisation) -> QuerySet[StaffMember]:
    """Working staff of a school with their assessment and open-deficit counts."""
    return StaffMember.objects.filter(organisation=organisation, status=StaffMember.Status.WORKING).annotate(
        assessment_count=Coalesce(Subquery(
            Assessment.objects.filter(person=OuterRef("pk")).order_by().values("person")
            .annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0),
        open_deficit_count=Coalesce(Subquery(
            Deficit.objects.filter(person=OuterRef("pk"), status__in=Deficit.OPEN_STATUSES).order_by()
            .values("person").annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0),
    ).order_by("last_name", "first_name", "middle_name")


def deficits_by_competency(deficits: QuerySet[Deficit]) -> list[dict]:
    """Counts per competency over a deficit queryset: people, open, overcome, dismissed; most frequent first."""
    return list(
        deficits.order_by().values("competency__code", "competency__name", "competency__group__name").annotate(
            people=Count("person", distinct=True),
            schools=Count("person__organisation", distinct=True),
            open=Count("pk", filter=Q(status__in=Deficit.OPEN_STATUSES)),
            in_work=Count("pk", filter=Q(status=Deficit.Status.IN_WORK)),
            overcome=Count("pk", filter=Q(status=Deficit.Status.OVERCOME)),
            dismissed=Count("pk", filter=Q(status=Deficit.Status.DISMISSED)),
        ).order_by("-people", "competency__group__order", "competency__order")
    )


def school_deficits_by_competency(organisation: Organisation) -> list[dict]:
    """Deficits of one school by competency, dismissed ones left out as on the dashboards (the registry's
    deficit_people, diagnostics/figures.py). The caller has checked the scope. One query."""
    return deficits_by_competency(
        Deficit.objects.filter(person__organisation=organisation).exclude(status=Deficit.Status.DISMISSED))


def frequent_deficits_for_municipality(municipality: Municipality, *, limit: int | None = None,
                                       include_dismissed: bool = False) -> list[dict]:
    """The most frequent deficits by competency across the schools of one municipality. One query.

    Each row: competency__code, competency__name, competency__group__name, people (distinct people
    with such a deficit, the sort key), schools (in how many schools), open, in_work, overcome,
    dismissed. Dismissed deficits were judged not to be deficits, so they are left out unless
    asked for. The caller checks the user's right on the municipality (report.municipal).
    """
    qs = Deficit.objects.filter(person__organisation__municipality=municipality)
    if not include_dismissed:
        qs = qs.exclude(status=Deficit.Status.DISMISSED)
    rows = deficits_by_competency(qs)
    return rows[:limit] if limit else rows
