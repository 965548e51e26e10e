from django.db.models import Count, Q
from django.urls import reverse

from core.attention import PER_ORGANISATION_LIMIT, Item, per_organisation_or_summary
from diagnostics.models import Assessment, Deficit
from schools.access import organisations_for
from schools.models import StaffMember
from schools.selectors import cached_scope_figure


def own_diagnostics(user) -> list[Item]:
    """A teacher without any diagnostics is asked to take the self-assessment; detected deficits ask for a route."""
    person = StaffMember.objects.filter(user=user, status=StaffMember.Status.WORKING).first()
    if person is None:
        return []
    url = reverse("diagnostics:my")
    if not Assessment.objects.filter(person=person).exists():
        return [Item(
            title="Пройдите самооценку профессиональных компетенций",
            url=url, level="info",
            detail="Анкета займет около десяти минут; по ее итогам портал покажет дефициты и предложит ИОМ.",
        )]
    detected = Deficit.objects.filter(person=person, status=Deficit.Status.DETECTED).count()
    if detected:
        return [Item(
            title="Выявленные дефициты еще не включены в ИОМ",
            url=url, count=detected, level="warning",
            detail="Составьте ИОМ по результатам диагностики: портал подберет мероприятия из каталога.",
        )]
    return []


def school_deficits(user) -> list[Item]:
    """Deputies: detected deficits of their school that no route addresses yet (a summary for wide scopes)."""
    detected = Q(staff__deficits__status=Deficit.Status.DETECTED, staff__status=StaffMember.Status.WORKING)
    scope = organisations_for(user, "diagnostics.assess").filter(municipality__isnull=False)
    rows = list(
        scope.annotate(detected=Count("staff__deficits", filter=detected))
        .filter(detected__gt=0)
        .values("pk", "short_name", "detected")[: PER_ORGANISATION_LIMIT + 1]
    )
    detail = "Выявленные профессиональные дефициты педагогов, которые еще не взяты в работу."

    def summary():
        total = cached_scope_figure(user, "attention.school_deficits", scope, lambda: Deficit.objects.filter(
            person__organisation__in=scope, status=Deficit.Status.DETECTED,
            person__status=StaffMember.Status.WORKING,
        ).count())
        return Item(title="Дефициты без ИОМ в организациях", url=reverse("diagnostics:overview"),
                    count=total, level="warning", detail=detail)

    return per_organisation_or_summary(rows, lambda row: Item(
        title=f"{row['short_name']}: дефициты без ИОМ",
        url=reverse("diagnostics:school", args=[row["pk"]]),
        count=row["detected"], level="warning", detail=detail,
    ), summary)


PROVIDERS = [own_diagnostics, school_deficits]
