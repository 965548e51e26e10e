from core.nav import NavLink
from schools.access import has_capability
from schools.models import StaffMember


def _teacher_only(user) -> bool:
    # Deputies and directors reach "Мои мероприятия" through the tabs of "Методическая работа":
    # their menu is long enough already.
    return not has_capability(user, "staff.view") and StaffMember.objects.filter(user=user).exists()


NAV = [
    NavLink("Методическая работа", "methodics:index", ("methodics.view",)),
    NavLink("Мои мероприятия", "methodics:my_events", ("route.own",), visible=_teacher_only),
]
