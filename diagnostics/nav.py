from core.nav import NavLink


def _has_staff_card(user) -> bool:
    from schools.models import StaffMember

    cached = getattr(user, "_iom_has_staff_card", None)
    if cached is None:
        cached = user._iom_has_staff_card = StaffMember.objects.filter(user=user).exists()
    return cached


# One menu entry whoever you are (the menu is long already): people with a staff card land on their
# own diagnostics, which links to their school's; methodists and administrators on the schools list.
# The catalog of resources is linked from these pages and from drafting.
NAV = [
    NavLink("Диагностика", "diagnostics:my", visible=_has_staff_card),
    NavLink("Диагностика", "diagnostics:overview", ("diagnostics.view",), visible=lambda user: not _has_staff_card(user)),
]
