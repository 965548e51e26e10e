from core.nav import NavLink
from schools.models import StaffMember


def _has_staff_record(user) -> bool:
    return StaffMember.objects.filter(user=user).exists()


NAV = [
    NavLink("Методическая работа", "methodics:index", ("methodics.view",)),
    NavLink("Мои мероприятия", "methodics:my_events", ("route.own",), visible=_has_staff_record),
]
