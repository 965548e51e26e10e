from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from core.dates import current_academic_year
from core.forms import run_service
from diagnostics.selectors import own_person
from routes import services as route_services
from routes.drafting import services as drafting
from routes.drafting.forms import DraftPeriodForm
from routes.models import Route
from schools.access import can
from schools.timezones import local_today


def draft_new(request):
    """Preview the route drafted from the user's open deficits, choose the period, create it — or add
    the suggestions for the deficits not yet addressed to this year's draft."""
    person = own_person(request.user)
    if person is None or not can(request.user, "route.own", person.organisation):
        raise PermissionDenied("Составить ИОМ могут педагоги и руководители школы, у которых есть карточка сотрудника.")
    today = local_today(person.organisation)
    year = current_academic_year(today)
    existing = Route.objects.filter(person=person, academic_year=year).first()
    draft = drafting.existing_draft(person)
    starts_on, ends_on = route_services.default_period(today)
    form = DraftPeriodForm(request.POST or None, initial={"starts_on": starts_on, "ends_on": ends_on})
    if request.method == "POST" and (draft is not None or form.is_valid()) and (done := run_service(
        request, lambda: drafting.draft_route_from_deficits(
            actor=request.user, person=person,
            starts_on=None if draft else form.cleaned_data["starts_on"],
            ends_on=None if draft else form.cleaned_data["ends_on"],
        ), form=form, refusal_on_form=False,
        success_message=("Предложения по новым дефицитам добавлены в ИОМ; ваши строки и записка не изменены."
                         if draft else "Черновик ИОМ составлен по результатам диагностики. "
                                       "Проверьте и отредактируйте его."),
        redirect_to=route_services.route_url,
    )):
        return done
    if draft is not None:
        starts_on, ends_on = draft.starts_on, draft.ends_on
    elif form.is_bound and form.is_valid():
        starts_on, ends_on = form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
    deficits = drafting.deficits_to_add(person, draft)
    if not deficits or ends_on <= starts_on:
        plan = []
    elif draft is not None:
        plan = drafting.plan_for_route(draft, deficits, today)
    else:
        plan = drafting.plan_for(deficits, starts_on, ends_on, region=person.organisation.municipality.region,
                                 today=today)
    return render(request, "routes/drafting/new.html", {
        "person": person, "form": form, "plan": plan, "existing": existing, "draft": draft, "year": year,
        "starts_on": starts_on, "ends_on": ends_on, "region": person.organisation.municipality.region,
        "per_deficit": settings.DRAFT_ACTIVITIES_PER_DEFICIT,
    })
