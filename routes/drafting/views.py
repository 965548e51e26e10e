from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from core.dates import current_academic_year
from core.forms import run_service
from diagnostics.selectors import own_person
from routes import services as route_services
from routes.drafting import services as drafting
from routes.drafting.forms import DraftPeriodForm
from routes.models import Route
from schools.access import can


def draft_new(request):
    """Preview the route drafted from the user's open deficits, choose the period, create it."""
    person = own_person(request.user)
    if person is None or not can(request.user, "route.own", person.organisation):
        raise PermissionDenied("Составить ИОМ могут педагоги и руководители школы, у которых есть карточка сотрудника.")
    year = current_academic_year(timezone.localdate())
    existing = Route.objects.filter(person=person, academic_year=year).first()
    starts_on, ends_on = route_services.default_period(timezone.localdate())
    form = DraftPeriodForm(request.POST or None, initial={"starts_on": starts_on, "ends_on": ends_on})
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: drafting.draft_route_from_deficits(
            actor=request.user, person=person,
            starts_on=form.cleaned_data["starts_on"], ends_on=form.cleaned_data["ends_on"],
        ), form=form, refusal_on_form=False,
        success_message="Черновик ИОМ составлен по результатам диагностики. Проверьте и отредактируйте его.",
        redirect_to=route_services.route_url,
    )):
        return done
    if form.is_bound and form.is_valid():
        starts_on, ends_on = form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
    deficits = drafting.drafting_deficits(person)
    plan = drafting.plan_for(deficits, starts_on, ends_on) if deficits and ends_on > starts_on else []
    return render(request, "routes/drafting/new.html", {
        "person": person, "form": form, "plan": plan, "existing": existing, "year": year,
        "starts_on": starts_on, "ends_on": ends_on,
    })
