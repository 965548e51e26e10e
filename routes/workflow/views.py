"""Pages of the ИОМ lifecycle: the review page, the action page of each transition, the history,
the review and credit queues (the implementation monitor is routes/monitor/). Thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from core import words
from core.forms import run_service
from routes import selectors
from routes.models import Route
from routes.roadmap.views import route_page_context
from routes.services import can_review, school_reviewer
from routes.workflow import credit, forms, review, services, table
from routes.workflow.history import route_history
from schools.access import capability_required, organisations_for

# ---------------------------------------------------------------- the review page and the transitions


def route_review(request, pk: int):
    route = selectors.route_get_for(request.user, pk)
    if not can_review(request.user, route):
        reviewer = school_reviewer(route)
        raise PermissionDenied(f"Этот ИОМ согласует {reviewer.who}" + (f" ({reviewer.why})." if reviewer.why else "."))
    context = route_page_context(request, route)
    context.update(review_form=forms.ExpressReviewForm(), return_form=forms.CommentRequiredForm(auto_id="return_%s"),
                   round=review.round_review(route), addressed=review.addressed(route),
                   review_minimum=review.minimum_of(route), key_criterion=review.KEY_CRITERION,
                   key_label=review.KEY_LABEL)
    return render(request, "routes/workflow/route_review.html", context)


def _perform(rule: table.TransitionRule, *, actor, route: Route, form) -> None:
    """Call the action's service, route_<action>, with the form's values of the action's inputs."""
    service = getattr(services, f"route_{rule.action}")
    service(actor=actor, route=route, **{i.name: form.cleaned_data[i.name] for i in rule.inputs})


def route_action(request, pk: int, action: str):
    route = selectors.route_get_for(request.user, pk)
    rule = table.ACTIONS.get(action)
    if rule is None:
        raise Http404("Нет такого действия.")
    services.require_may(request.user, route, action)  # the refusal says why: not yours, or your own route
    form_class = forms.ACTION_FORMS[action]
    initial = {"reflection": route.reflection, "outcome_proposed": route.outcome_proposed} \
        if action == "submit_results" else {"outcome": route.outcome_proposed} if action == "accept_results" else {}
    extra = {"route": route} if form_class in forms.ROUTE_FORMS else {}
    form = form_class(request.POST or None, initial=initial, **extra)
    if request.method == "POST" and form.is_valid():
        if rule.who == selectors.REVIEW and request.POST.get("from_queue"):
            after = reverse("routes:review_queue")
        elif rule.who == selectors.CREDIT:
            after = reverse("routes:credit_queue")
        else:
            after = reverse("routes:route_detail", args=[route.pk])
        if done := run_service(
            request, lambda: _perform(rule, actor=request.user, route=Route.objects.select_related(
                "person__user", "organisation__municipality__region").get(pk=route.pk), form=form),
            form=form, success_message=rule.success, redirect_to=after,
        ):
            return done
    elif request.method == "GET" and action not in services.available_actions(request.user, route):
        messages.error(request, f"Сейчас это действие недоступно: ИОМ в статусе «{route.get_status_display()}».")
        return redirect("routes:route_detail", pk=route.pk)
    return render(request, "routes/workflow/route_action.html", {
        "route": route, "form": form, "action": action, "title": rule.title, "button": rule.button,
        "danger": rule.danger,
        "help": _action_help(rule, route), "problems": services.submission_problems(route) if action == "submit" else [],
        "completion": selectors.completion_of(route) if action in COMPLETION_SHOWN else None,
        "reassessments": list(route.reassessments.select_related("deficit__competency", "route"))
        if action in COMPLETION_SHOWN else [],
    })


# The action pages that show the route's completion: done %, the activities not done and their reasons.
COMPLETION_SHOWN = {"submit_results", "accept_results", "return_results", "extend", "close_unrealised"}


def _action_help(rule: table.TransitionRule, route: Route) -> str:
    if "{" not in rule.help:
        return rule.help
    reviewer = school_reviewer(route)
    return rule.help.format(who=reviewer.who, to_whom=reviewer.to_whom)


# ---------------------------------------------------------------- history


def route_history_page(request, pk: int):
    route = selectors.route_get_for(request.user, pk)
    history = route_history(route)
    return render(request, "routes/workflow/route_history.html", {"route": route, "history": history})


# ---------------------------------------------------------------- deputy and methodists


@capability_required("route.review")
def review_queue(request):
    rows = review.mark_rounds(selectors.review_queue(request.user))
    return render(request, "routes/workflow/review_queue.html", {
        "plans": [r for r in rows if r.status == Route.Status.SUBMITTED],
        "results": [r for r in rows if r.status == Route.Status.RESULTS_SUBMITTED],
    })


@capability_required("route.credit")
def credit_queue(request):
    filters = credit.CreditFilter(request.GET, queryset=selectors.credit_queue(request.user),
                                  organisations=organisations_for(request.user, "route.credit"))
    page = selectors.page_of_routes(filters.qs, request.GET.get("page"))
    by_region = selectors.credited_by_region(request.user)
    return render(request, "routes/workflow/credit_queue.html", {
        "page": page, "routes": credit.mark_reviews(page.object_list), "filters": filters,
        "title": credit.queue_title(request.user), "by_region": by_region,
        "region_state": credit.region_queue_state(by_region) if by_region else [],
        "region_waiting": credit.region_waiting(by_region) if by_region else [],
    })


@capability_required("route.credit")
def credit_bulk(request):
    """«Зачесть» for the routes chosen in the queue: a confirmation page listing them, then each its own credit."""
    if request.method != "POST":
        return redirect("routes:credit_queue")
    ids = sorted({int(pk) for pk in request.POST.getlist("route") if pk.isdigit() and len(pk) < 10})
    routes = list(selectors.credit_queue(request.user).filter(pk__in=ids))
    if not routes:
        messages.error(request, "Отметьте в списке ИОМ, которые нужно зачесть.")
        return redirect("routes:credit_queue")
    if request.POST.get("confirm"):
        result = services.route_credit_many(actor=request.user, routes=routes)
        if result.done:
            messages.success(request, f"Зачтено: {words.count(len(result.done), 'ИОМ', 'ИОМ', 'ИОМ')}.")
        for route, why in result.failed:
            messages.error(request, f"ИОМ {route.person.full_name} не зачтен: {why}")
        gone = len(ids) - len(routes)
        if gone:
            messages.error(request, f"Уже не ждут вашего зачета: {words.count(gone, 'ИОМ', 'ИОМ', 'ИОМ')} из отмеченных.")
        return redirect("routes:credit_queue")
    return render(request, "routes/workflow/credit_bulk.html", {
        "routes": credit.mark_reviews(selectors.set_progress(routes)), "missing": len(ids) - len(routes),
        "title": credit.queue_title(request.user)})
