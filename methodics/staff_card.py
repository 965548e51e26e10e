"""What methodics shows on the staff card (schools.views.staff_detail, through core.registry.contributions):
the person's routes and diagnostics, as far as the viewer may see them (routes.selectors.route_list_for,
diagnostics.selectors: the same scopes as the pages the links open), and the person's mentoring pairs as
mentor and as mentee, active and ended.

Adding and ending a pair go to the pages of «Наставничество» (methodics.mentoring.views.pair_create,
pair_end) with `card=<staff id>`: the same forms, services and rights, and the user returns to the card.
"""

from django.template.loader import render_to_string

from diagnostics.models import Deficit
from diagnostics.selectors import assessment_list_for, deficit_list_for, people_visible_for
from methodics.mentoring.selectors import pairs_of
from routes.selectors import route_list_for, set_progress
from schools.access import can


def routes_and_diagnostics(request, staff) -> str:
    """The person's routes (newest year first, with progress) and diagnostics, each a link to its page;
    nothing the viewer could not open from the route's or the diagnostics' own pages."""
    routes = set_progress(route_list_for(request.user).filter(person=staff).order_by("-academic_year", "-pk")[:10])
    sees_diagnostics = people_visible_for(request.user).filter(pk=staff.pk).exists()
    assessments = deficits = None
    if sees_diagnostics:
        assessments = assessment_list_for(request.user, staff).count()
        deficits = deficit_list_for(request.user, person=staff, statuses=Deficit.OPEN_STATUSES).count()
    return render_to_string("methodics/_staff_card_links.html", {
        "staff": staff, "routes": routes, "sees_diagnostics": sees_diagnostics,
        "assessments": assessments, "deficits": deficits,
    }, request=request)


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


SECTIONS = [routes_and_diagnostics, mentoring]
