from django.db.models import Count, Q
from django.urls import reverse

from core.attention import PER_ORGANISATION_LIMIT, Item, per_organisation_or_summary
from schools.access import organisations_for
from schools.models import StaffMember
from schools.selectors import cached_scope_figure


def staff_without_account(user) -> list[Item]:
    """Working staff with no portal account, in the organisations where the user invites people."""
    rows = list(
        organisations_for(user, "staff.invite")
        .annotate(missing=Count("staff", filter=Q(staff__status=StaffMember.Status.WORKING, staff__user__isnull=True)))
        .filter(missing__gt=0)
        .values("pk", "short_name", "missing")[: PER_ORGANISATION_LIMIT + 1]
    )
    detail = "Пригласите их в портал, чтобы они могли составить ИОМ."

    def summary():
        scope = organisations_for(user, "staff.invite")
        total = cached_scope_figure(user, "attention.staff_without_account", scope, lambda: StaffMember.objects.filter(
            organisation__in=scope, status=StaffMember.Status.WORKING, user__isnull=True,
        ).count())
        return Item(title="Сотрудники без учетной записи в организациях", count=total, level="warning",
                    url=reverse("organisation_list"), detail=detail)

    return per_organisation_or_summary(rows, lambda row: Item(
        title=f"{row['short_name']}: сотрудники без учетной записи", count=row["missing"], level="warning",
        url=reverse("organisation_detail", args=[row["pk"]]), detail=detail,
    ), summary)


PROVIDERS = [staff_without_account]
