from django.db.models import Q
from django.urls import reverse

from core.attention import Item
from schools.access import organisations_for
from schools.models import StaffMember


def staff_without_account(user) -> list[Item]:
    items = []
    for organisation in organisations_for(user, "staff.invite").filter(
        Q(municipality__isnull=False)
    )[:20]:
        count = StaffMember.objects.filter(
            organisation=organisation, status=StaffMember.Status.WORKING, user__isnull=True
        ).count()
        if count:
            items.append(Item(
                title=f"{organisation.short_name}: сотрудники без учетной записи",
                url=reverse("organisation_detail", args=[organisation.pk]),
                count=count,
                level="warning",
                detail="Пригласите их в портал, чтобы они могли составить ИОМ.",
            ))
    return items


PROVIDERS = [staff_without_account]
