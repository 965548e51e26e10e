from core.nav import NavLink


def _has_staff_card(user) -> bool:
    from schools.models import StaffMember

    return StaffMember.objects.filter(user=user).exists()


NAV = [
    NavLink("Моя диагностика", "diagnostics:my", visible=_has_staff_card),
    NavLink("Диагностика ОО", "diagnostics:overview", ("diagnostics.view",)),
    # The catalog lives in routes (a roadmap activity points at a resource); it is reached from here
    # because it is where a teacher goes from their deficits.
    NavLink("Каталог ресурсов", "catalog:list"),
]
