"""Pages of a route's content: my routes, the route page, its note, the roadmap editing (htmx),
evidence and comments. Thin: selectors read, services write, templates show."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from core import words
from core.dates import current_academic_year
from core.forms import apply_validation_error, run_service
from core.ids import parse_id
from core.links import external_link_page
from core.logging import log_security_event
from routes import selectors
from routes.drafting import services as drafting
from routes.models import CatalogResource, Evidence, RoadmapActivity, Route
from routes.roadmap import forms, services
from routes.services import RouteError, can_review, staff_record_for
from routes.workflow import table
from routes.workflow.services import available_actions, submission_problems
from schools.access import capability_required, get_for


def _fail(request, exc: Exception) -> None:
    messages.error(request, str(exc.messages[0] if isinstance(exc, ValidationError) else exc))


OWNER_ONLY = "Изменять ИОМ может только сам педагог."


def _owned(request, model, pk: int):
    """The route, activity or evidence `pk`: 404 outside what the user sees, 403 unless the route is theirs."""
    return get_for(request.user, model, pk, obj_rule="route.owner", denied=OWNER_ONLY)


# ---------------------------------------------------------------- teacher: my routes


@capability_required("route.own")
def my_routes(request):
    person = staff_record_for(request.user)
    routes = selectors.own_routes(request.user)
    earlier = Route.objects.filter(person__user=request.user).order_by("-academic_year")
    return render(request, "routes/roadmap/my_routes.html", {
        "person": person,
        "routes": routes,
        "create_form": forms.RouteCreateForm(earlier=earlier),
        "has_current": any(r.academic_year == current_academic_year() for r in routes),
        "current_year": current_academic_year(),
    })


@require_POST
@capability_required("route.own")
def route_create(request):
    person = staff_record_for(request.user)
    if person is None:
        raise PermissionDenied("Ваша учетная запись не связана с карточкой сотрудника: обратитесь к заместителю директора.")
    form = forms.RouteCreateForm(request.POST, earlier=Route.objects.filter(person=person))
    if not form.is_valid():
        messages.error(request, "Выберите ИОМ для копирования из списка.")
        return redirect("routes:my_routes")
    return run_service(
        request, lambda: services.route_create(actor=request.user, person=person,
                                               copy_from=form.cleaned_data["copy_from"]),
        success_message="ИОМ создан. Заполните пояснительную записку и дорожную карту.",
        redirect_to=lambda route: reverse("routes:route_detail", args=[route.pk]),
    ) or redirect("routes:my_routes")


# ---------------------------------------------------------------- the route page


def route_page_context(request, route: Route) -> dict:
    """What the route page shows this user (the review page of routes.workflow.views shows it too)."""
    is_owner = route.person.user_id == request.user.pk
    roadmap = selectors.roadmap_for(route)
    can_comment = services.can_comment(request.user, route) and route.status not in (
        Route.Status.ARCHIVED, Route.Status.WITHDRAWN)
    return {
        "route": route,
        "roadmap": roadmap,
        "is_owner": is_owner,
        "can_edit": is_owner and route.status in Route.EDITABLE_STATUSES,
        "can_amend": is_owner and route.status == Route.Status.IN_PROGRESS,
        "can_mark": is_owner and route.status in Route.MARKING_STATUSES,
        "can_comment": can_comment,
        # a teacher's own fresh draft has nobody to talk to yet
        "can_comment_route": can_comment and not (is_owner and route.status == Route.Status.DRAFT
                                                  and not roadmap.route_comments),
        "can_review": can_review(request.user, route),
        # reviewers comment on any row; the teacher answers under rows that have comments
        "can_comment_rows": can_comment and not is_owner,
        "actions": _actions(request.user, route),
        "last_return": _return_notice(roadmap.transitions),
        "problems": submission_problems(route) if is_owner and route.is_editable else [],
        "comment_form": forms.CommentForm(),
        "reviews": list(route.reviews.select_related("reviewer")[:1]),
        # the final diagnostics: before/after of each deficit (routes.workflow.final_diagnostics)
        "reassessments": list(route.reassessments.select_related("deficit__competency", "route")),
    }


def _actions(user, route: Route) -> list[tuple[str, str, bool]]:
    """The buttons of the route page, in the order of the workflow table: (action, title, danger)."""
    available = available_actions(user, route)
    return [(rule.action, rule.button, rule.danger) for rule in table.TRANSITIONS if rule.action in available]


def _return_notice(transitions) -> object:
    """The latest state change, when it sent the route back to the teacher with a comment."""
    last = next((t for t in reversed(transitions) if t.action not in ("amend", "create")), None)
    return last if last is not None and last.action in ("return", "refuse_credit", "return_results") else None


def route_detail(request, pk: int):
    route = selectors.route_get_for(request.user, pk)
    return render(request, "routes/roadmap/route_detail.html", route_page_context(request, route))


def route_note(request, pk: int):
    route = _owned(request, Route, pk)
    if not route.is_editable:
        messages.error(request, f"ИОМ в статусе «{route.get_status_display()}»: пояснительная записка не меняется.")
        return redirect("routes:route_detail", pk=route.pk)
    form = forms.NoteForm(request.POST or None, instance=route, initial={"version": route.version})
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.NOTE_FIELDS}
        if done := run_service(
            request, lambda: services.route_update_note(actor=request.user, route=Route.objects.get(pk=route.pk),
                                                        data=data, expected_version=form.cleaned_data["version"]),
            form=form, success_message="Пояснительная записка сохранена.",
            redirect_to=reverse("routes:route_detail", args=[route.pk]),
        ):
            return done
    return render(request, "routes/roadmap/route_note.html", {"route": route, "form": form})


# ---------------------------------------------------------------- roadmap editing (htmx)


def _roadmap_response(request, route: Route, message: str = ""):
    """The refreshed roadmap replaces the whole #roadmap block (with the new route version)."""
    route.refresh_from_db()
    context = route_page_context(request, route)
    context["flash"] = message
    response = render(request, "routes/roadmap/_roadmap.html", context)
    if request.htmx:
        response = reswap(retarget(response, "#roadmap"), "outerHTML")
    return response


def _form_row(request, template: str, context: dict, status: int = 200):
    return render(request, template, context, status=status)


def _roadmap_saved(request, route: Route, message: str):
    """After an activity form is saved: the refreshed roadmap for htmx, the route page without it."""
    if not request.htmx:
        return redirect(reverse("routes:route_detail", args=[route.pk]) + "#roadmap")
    return _roadmap_response(request, route, message)


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def _from_catalog(request, route: Route) -> dict:
    """The initial values of the row for the resource chosen in the catalog picker (`?resource=`), or {}."""
    resource_pk = parse_id(request.GET.get("resource")) if request.method == "GET" else None
    resource = CatalogResource.objects.filter(pk=resource_pk, is_active=True).first() if resource_pk else None
    return drafting.resource_row(route, resource) if resource is not None else {}


def activity_catalog(request, pk: int):
    """The catalog picker of the row editor (htmx): resources for the route's deficits first, by title."""
    route = _owned(request, Route, pk)
    activity = None
    if (activity_pk := parse_id(request.GET.get("activity"))) is not None:
        activity = get_object_or_404(RoadmapActivity, pk=activity_pk, route=route)
    query = (request.GET.get("q") or "").strip()[:100]
    resources = CatalogResource.objects.filter(is_active=True).select_related("activity_kind")
    if query:
        resources = resources.filter(title__icontains=query)
    addressed = route.tasks.exclude(deficit=None).values("deficit__competency")
    resources = resources.annotate(fits=Exists(CatalogResource.competencies.through.objects.filter(
        catalogresource_id=OuterRef("pk"), competency__in=addressed))).order_by("-fits", "-in_federal_registry",
                                                                                "title")[:10]
    return render(request, "routes/roadmap/_catalog_picker.html", {
        "route": route, "activity": activity, "resources": resources, "query": query,
    })


def activity_add(request, pk: int):
    route = _owned(request, Route, pk)
    initial = {"version": route.version, "group": request.GET.get("group"), **_from_catalog(request, route)}
    form = forms.ActivityForm(request.POST or None, route=route, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            if done := run_service(
                request, lambda: services.activity_add(actor=request.user, route=route, data=data,
                                                       expected_version=form.cleaned_data["version"]),
                form=form, redirect_to=lambda _: _roadmap_saved(request, route, "Мероприятие добавлено."),
            ):
                return done
    return _form_row(request, "routes/roadmap/_activity_form.html", {"route": route, "form": form, "activity": None})


def activity_edit(request, pk: int):
    activity = _owned(request, RoadmapActivity, pk)
    route = activity.route
    form = forms.ActivityForm(request.POST or None, instance=activity, route=route,
                              initial={"version": route.version, **{  # a chosen resource keeps the row's date
                                  k: v for k, v in _from_catalog(request, route).items() if k != "deadline"}})
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            # The form wrote the values on the instance already; the service compares with the stored row.
            stored = selectors.activity_get_for(request.user, pk)
            if done := run_service(
                request, lambda: services.activity_update(actor=request.user, activity=stored, data=data,
                                                          expected_version=form.cleaned_data["version"]),
                form=form, redirect_to=lambda _: _roadmap_saved(request, route, "Изменения сохранены."),
            ):
                return done
    return _form_row(request, "routes/roadmap/_activity_form.html", {"route": route, "form": form, "activity": activity})


@require_POST
def activity_delete(request, pk: int):
    activity = _owned(request, RoadmapActivity, pk)
    route = activity.route
    try:
        services.activity_delete(actor=request.user, activity=activity, expected_version=_version(request))
    except RouteError as exc:
        return _roadmap_error(request, route, exc)
    return _after_change(request, route, "Мероприятие удалено.")


@require_POST
def activity_move(request, pk: int):
    activity = _owned(request, RoadmapActivity, pk)
    route = activity.route
    try:
        services.activity_move(actor=request.user, activity=activity, direction=request.POST.get("direction", ""),
                               expected_version=_version(request))
    except RouteError as exc:
        return _roadmap_error(request, route, exc)
    return _after_change(request, route, "")


def _roadmap_error(request, route, exc):
    if request.htmx:
        route.refresh_from_db()
        context = route_page_context(request, route)
        context["flash_error"] = str(exc)
        return reswap(retarget(render(request, "routes/roadmap/_roadmap.html", context), "#roadmap"), "outerHTML")
    _fail(request, exc)
    return redirect("routes:route_detail", pk=route.pk)


def _after_change(request, route, message):
    if request.htmx:
        return _roadmap_response(request, route, message)
    if message:
        messages.success(request, message)
    return redirect(reverse("routes:route_detail", args=[route.pk]) + "#roadmap")


def activity_done(request, pk: int):
    activity = _owned(request, RoadmapActivity, pk)
    route = activity.route
    form = forms.DoneForm(request.POST or None, request.FILES or None, route=route,
                          has_evidence=activity.evidence.exists(),
                          initial={"note": activity.note})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_mark_done(
                actor=request.user, activity=activity, done_on=data["done_on"], note=data["note"],
                upload=data["file"], evidence_kind=data["evidence_kind"], url=data["url"],
            )
        except ValidationError as exc:
            if data.get("file"):
                log_security_event("upload_refused", request, reason=exc.messages[0][:200])
            apply_validation_error(form, exc)
        except RouteError as exc:
            form.add_error(None, str(exc))
        else:
            return _after_change(request, route, f"Мероприятие {words.quote(activity.title)} отмечено выполненным.")
    return _form_row(request, "routes/roadmap/_done_form.html", {"route": route, "form": form, "activity": activity})


@require_POST
def activity_undone(request, pk: int):
    activity = _owned(request, RoadmapActivity, pk)
    try:
        services.activity_unmark_done(actor=request.user, activity=activity)
    except RouteError as exc:
        return _roadmap_error(request, activity.route, exc)
    return _after_change(request, activity.route, "Отметка о выполнении снята.")


@require_POST
def evidence_add(request, pk: int):
    activity = _owned(request, RoadmapActivity, pk)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _roadmap_error(request, activity.route, RouteError(" ".join(
            m for errors in form.errors.values() for m in errors)))
    try:
        services.evidence_add(actor=request.user, activity=activity, kind=form.cleaned_data["kind"],
                              upload=form.cleaned_data["file"], url=form.cleaned_data["url"])
    except ValidationError as exc:
        log_security_event("upload_refused", request, reason=exc.messages[0][:200])
        return _roadmap_error(request, activity.route, RouteError(exc.messages[0]))
    except RouteError as exc:
        return _roadmap_error(request, activity.route, exc)
    return _after_change(request, activity.route, "Подтверждение добавлено.")


def evidence_download(request, pk: int):
    """The evidence's file; for a link, a page that shows where it leads before the user leaves."""
    evidence = selectors.evidence_get_for(request.user, pk)
    if not evidence.file:
        if not evidence.url:
            raise Http404("Файла нет.")
        return external_link_page(
            request, evidence.url,
            about=f"Подтверждение «{evidence.get_kind_display()}» к мероприятию {words.quote(evidence.activity.title)} — "
                  "ссылка на сайт вне портала.",
            back_url=reverse("routes:route_detail", args=[evidence.activity.route_id]) + "#roadmap",
            back_label="Вернуться к ИОМ",
        )
    log_security_event("evidence_download", request, evidence_id=evidence.pk)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name or None,
                            content_type=evidence.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def evidence_delete(request, pk: int):
    evidence = _owned(request, Evidence, pk)
    route = evidence.activity.route
    try:
        services.evidence_delete(actor=request.user, evidence=evidence)
    except RouteError as exc:
        return _roadmap_error(request, route, exc)
    return _after_change(request, route, "Подтверждение удалено.")


# ---------------------------------------------------------------- comments


@require_POST
def comment_add(request, pk: int):
    route = get_for(request.user, Route, pk, obj_rule="route.comment",
                    denied="Комментировать этот ИОМ вы не можете.")
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        return _roadmap_error(request, route, RouteError("Напишите текст комментария."))
    activity = None
    if form.cleaned_data["activity"]:
        activity = route.activities.filter(pk=form.cleaned_data["activity"]).first()
        if activity is None:
            raise Http404("Мероприятие не найдено.")
    try:
        services.comment_add(actor=request.user, route=route, text=form.cleaned_data["text"], activity=activity)
    except RouteError as exc:
        return _roadmap_error(request, route, exc)
    if request.htmx:
        return _roadmap_response(request, route, "Комментарий добавлен.")
    messages.success(request, "Комментарий добавлен.")
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/routes/")
                    else reverse("routes:route_detail", args=[route.pk]))


@require_POST
def comment_resolve(request, pk: int):
    comment = selectors.comment_get_for(request.user, pk)
    route = comment.route
    try:
        services.comment_resolve(actor=request.user, comment=comment)
    except RouteError as exc:
        return _roadmap_error(request, route, exc)
    return _after_change(request, route, "Комментарий отмечен как учтенный.")
