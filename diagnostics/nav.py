from core.nav import NavLink


def _has_staff_card(user) -> bool:
    from schools.models import StaffMember

    return StaffMember.objects.filter(user=user).exists()


NAV = [
    NavLink("Моя диагностика", "diagnostics:my", visible=_has_staff_card),
    NavLink("Диагностика ОО", "diagnostics:overview", ("diagnostics.view",)),
]
