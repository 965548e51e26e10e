"""Pages of the programmes of help: the list, a new plan, the plan with its timeline, its PDF, and
the forms on its heading, directions and activities (the done mark toggles in place with htmx)."""

from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import run_service
from core.pdf import render_pdf
from methodics.models import HelpActivity, HelpPlan
from methodics.plans import selectors, services
from methodics.plans.forms import DirectionForm, PlanActivityForm, PlanCreateForm, PlanForm
from methodics.services import AlreadyDeleted
from methodics.views import gone, gone_to
from schools.access import can, capability_required, get_for, has_capability
from schools.choosers import choose_municipality, municipalities_of

PLAN_KEEPER = "Программу помощи ведет заместитель директора этой организации."


@capability_required("methodics.view")
def plan_list(request):
    return render(request, "methodics/plans/plan_list.html", {
        "plans": selectors.plan_list_for(request.user),
        "can_create": has_capability(request.user, "plans.manage"),
    })


@capability_required("plans.manage")
def plan_create(request):
    scope = selectors.plan_organisations_for_create(request.user)
    choice = choose_municipality(municipalities_of(scope), request.GET.get("municipality"))
    organisations = choice.organisations_of(scope)
    form = PlanCreateForm(request.POST or None, organisations=list(organisations))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if done := run_service(
            request, lambda: services.plan_create(actor=request.user, organisation=data["organisation"],
                                                  academic_year=data["academic_year"],
                                                  from_template=data["from_template"]),
            form=form, success_message="Программа помощи создана.",
            redirect_to=lambda plan: reverse("methodics:plan_detail", args=[plan.pk]),
        ):
            return done
    return render(request, "methodics/plans/plan_create.html", {
        "form": form, "municipality_choice": choice,
    })


def plan_detail(request, pk: int):
    plan = selectors.plan_get_for(request.user, pk)
    activities = selectors.plan_activities(plan)
    return render(request, "methodics/plans/plan_detail.html", {
        "plan": plan,
        "stages": selectors.plan_timeline(plan, activities),
        "directions": _directions_with(plan, activities),
        "can_manage": can(request.user, "plans.manage", plan.organisation),
    })


def _directions_with(plan: HelpPlan, activities) -> list:
    directions = list(plan.directions.all())
    for direction in directions:
        direction.rows = [a for a in activities if a.direction_id == direction.pk]
    return directions


def plan_pdf(request, pk: int):
    plan = selectors.plan_get_for(request.user, pk)
    activities = selectors.plan_activities(plan)
    pdf = render_pdf("methodics/plans/plan_pdf.html", {
        "plan": plan,
        "stages": selectors.plan_timeline(plan, activities),
        "directions": _directions_with(plan, activities),
        "printed_on": timezone.localdate(),
    }, landscape=True)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"Программа помощи {plan.organisation.short_name} {plan.academic_year}.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _managed_plan(request, pk: int) -> HelpPlan:
    return get_for(request.user, HelpPlan, pk, need="plans.manage", denied=PLAN_KEEPER)


def _plan_form(request, plan: HelpPlan, form, write, *, success: str, title: str, help_text: str):
    """A form on a programme of help: validate, call the service, report, back to the plan."""
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: write(form.cleaned_data), form=form, success_message=success,
        redirect_to=reverse("methodics:plan_detail", args=[plan.pk]),
        on_deleted=gone_to(("methodics:plan_detail", HelpPlan, plan.pk), "methodics:plan_list"),
    )):
        return done
    return render(request, "methodics/plans/simple_form.html", {
        "form": form, "title": title, "back": reverse("methodics:plan_detail", args=[plan.pk]), "help": help_text,
    })


def plan_edit(request, pk: int):
    plan = _managed_plan(request, pk)
    form = PlanForm(request.POST or None, initial={
        "title": plan.title, "programme_period": plan.programme_period, "goal": plan.goal,
    })
    return _plan_form(
        request, plan, form, lambda data: services.plan_update(actor=request.user, plan=plan, data=data),
        success="Изменения сохранены.", title="Программа помощи",
        help_text="Измените название, срок реализации программы и ее цель.",
    )


def direction_create(request, pk: int):
    plan = _managed_plan(request, pk)
    return _plan_form(
        request, plan, DirectionForm(request.POST or None),
        lambda data: services.direction_add(actor=request.user, plan=plan, **data),
        success="Направление добавлено.", title="Новое направление",
        help_text="Добавьте направление работы программы и его цель.",
    )


def plan_activity_create(request, pk: int):
    plan = _managed_plan(request, pk)
    return _plan_form(
        request, plan, PlanActivityForm(request.POST or None, plan=plan),
        lambda data: services.plan_activity_add(actor=request.user, plan=plan, data=data),
        success="Мероприятие добавлено.", title="Новое мероприятие программы",
        help_text="Укажите направление, этап годового цикла, срок и ответственных.",
    )


def _managed_plan_activity(request, pk: int) -> HelpActivity:
    return get_for(request.user, HelpActivity, pk, need="plans.manage", denied=PLAN_KEEPER)


def plan_activity_edit(request, pk: int):
    activity = _managed_plan_activity(request, pk)
    form = PlanActivityForm(request.POST or None, instance=activity, plan=activity.plan)
    if request.method == "POST" and form.is_valid() and (done := run_service(
        request, lambda: services.plan_activity_update(actor=request.user, activity=activity, data=form.cleaned_data),
        form=form, success_message="Изменения сохранены.",
        redirect_to=reverse("methodics:plan_detail", args=[activity.plan_id]),
        on_deleted=gone_to(("methodics:plan_detail", HelpPlan, activity.plan_id), "methodics:plan_list"),
    )):
        return done
    return render(request, "methodics/plans/simple_form.html", {
        "form": form, "title": "Мероприятие программы", "back": reverse("methodics:plan_detail", args=[activity.plan_id]),
        "help": "Измените мероприятие, его срок и ответственных.",
    })


@require_POST
def plan_activity_toggle(request, pk: int):
    activity = _managed_plan_activity(request, pk)
    try:
        services.plan_activity_set_done(actor=request.user, activity=activity, done=not activity.is_done)
    except AlreadyDeleted as exc:
        return gone(request, exc, ("methodics:plan_detail", HelpPlan, activity.plan_id), "methodics:plan_list")
    if request.htmx:
        activity.overdue = False
        return render(request, "methodics/plans/_plan_activity_row.html", {"a": activity, "can_manage": True})
    return redirect("methodics:plan_detail", pk=activity.plan_id)


@require_POST
def plan_activity_delete(request, pk: int):
    activity = _managed_plan_activity(request, pk)
    return run_service(
        request, lambda: services.plan_activity_delete(actor=request.user, activity=activity),
        success_message="Мероприятие удалено из программы.",
        redirect_to=reverse("methodics:plan_detail", args=[activity.plan_id]),
        on_deleted=gone_to(("methodics:plan_detail", HelpPlan, activity.plan_id), "methodics:plan_list"),
    ) or redirect("methodics:plan_detail", pk=activity.plan_id)
