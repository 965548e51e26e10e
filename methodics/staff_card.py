"""What methodics shows on the staff card (schools.views.staff_detail, through core.registry.contributions):
the person's mentoring pairs as mentor and as mentee, active and ended.

Adding and ending a pair go to the pages of «Наставничество» (methodics.mentoring.views.pair_create,
pair_end) with `card=<staff id>`: the same forms, services and rights, and the user returns to the card.
"""

from django.template.loader import render_to_string

from methodics.mentoring.selectors import pairs_of
from schools.access import can


def mentoring(request, staff) -> str:
    pairs = list(pairs_of(staff))
    as_mentee = [p for p in pairs if p.mentee_id == staff.pk]
    as_mentor = [p for p in pairs if p.mentor_id == staff.pk]
    can_manage = can(request.user, "mentoring.manage", staff.organisation)
    return render_to_string("methodics/mentoring/_staff_card.html", {
        "staff": staff, "as_mentee": as_mentee, "as_mentor": as_mentor,
        "has_open_pair": any(p.ends_on is None for p in as_mentee),
        "can_manage": can_manage and staff.status == staff.Status.WORKING,
        "can_end": can_manage,
    }, request=request)


SECTIONS = [mentoring]
