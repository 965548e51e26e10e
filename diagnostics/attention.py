from django.urls import reverse

from core.attention import Item
from diagnostics.models import Assessment, Deficit
from schools.access import organisations_for
from schools.models import StaffMember


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
    """Deputies: detected deficits of their school that no route addresses yet."""
    items = []
    for organisation in organisations_for(user, "diagnostics.assess").filter(municipality__isnull=False)[:20]:
        count = Deficit.objects.filter(
            person__organisation=organisation, status=Deficit.Status.DETECTED,
            person__status=StaffMember.Status.WORKING,
        ).count()
        if count:
            items.append(Item(
                title=f"{organisation.short_name}: дефициты без ИОМ",
                url=reverse("diagnostics:school", args=[organisation.pk]),
                count=count, level="warning",
                detail="Выявленные профессиональные дефициты педагогов, которые еще не взяты в работу.",
            ))
    return items


PROVIDERS = [own_diagnostics, school_deficits]
