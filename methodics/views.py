"""The hub of methodical support, and what the pages of every feature share (methodics/<feature>/views.py):
where to go after a row was deleted meanwhile (the municipality chooser of a wide scope is schools.choosers).

Thin: selectors read, services write, templates show.
"""

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from core.dates import current_academic_year
from core.forms import redirect_page
from methodics import selectors
from methodics.events import selectors as events
from methodics.plans import selectors as plans
from methodics.projects import selectors as projects
from methodics.services import AlreadyDeleted
from schools.access import capability_required, has_capability


@capability_required("methodics.view")
def index(request):
    user = request.user
    today = timezone.localdate()
    return render(request, "methodics/index.html", {
        "upcoming": events.event_list_for(user).filter(held_on__gte=today).order_by("held_on")[:5],
        "plans": plans.plan_list_for(user).filter(academic_year=current_academic_year(today))[:10],
        "projects": projects.project_list_for(user)[:5],
        "sees_mentoring": has_capability(user, "staff.view"),
        "has_staff_record": bool(events.own_staff_ids(user)),
    })


def gone_to(page: tuple[str, type, int], fallback: str):
    """Where to go when the row the action was about was deleted meanwhile (by another request):
    `page` = (url name, model, pk) if its row is still there, else the list `fallback`."""
    name, model, pk = page
    return lambda exc: reverse(name, args=[pk]) if selectors.row_exists(model, pk) else reverse(fallback)


def gone(request, exc: AlreadyDeleted, page: tuple[str, type, int], fallback: str):
    """Say that the row was deleted meanwhile and go where gone_to says (for views that do more
    with the service's result than run_service covers)."""
    messages.error(request, str(exc))
    return redirect_page(request, gone_to(page, fallback)(exc))
