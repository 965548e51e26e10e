from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core import words
from core.errors import DomainError
from core.forms import run_service
from core.links import external_link_page
from diagnostics.selectors import own_person
from routes.catalog import selectors, services
from routes.catalog.filters import CatalogFilter
from routes.catalog.forms import CatalogResourceForm
from routes.drafting import services as drafting
from schools.access import can, capability_required


def _own_route(user):
    """The user's route that takes new rows now (routes.drafting.services.route_for_additions), or None."""
    person = own_person(user)
    if person is None or not can(user, "route.own", person.organisation):
        return None
    return drafting.route_for_additions(person)


def resource_list(request):
    manager = services.can_manage(request.user)
    filters = CatalogFilter(request.GET, queryset=selectors.resource_list(include_inactive=manager))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    route = _own_route(request.user)
    in_route = set(route.activities.exclude(resource=None).values_list("resource_id", flat=True)) if route else set()
    for resource in page:
        resource.editable = manager and services.can_edit(request.user, resource)
        resource.in_route = resource.pk in in_route
    return render(request, "routes/catalog/list.html", {"filters": filters, "page": page, "can_manage": manager,
                                                        "route": route})


@require_POST
def resource_add_to_route(request, pk: int):
    """«Добавить в ИОМ»: the resource as a new row of the user's own route (htmx: the row's button cell)."""
    person = own_person(request.user)
    if person is None or not can(request.user, "route.own", person.organisation):
        raise PermissionDenied("Добавить ресурс в ИОМ могут педагоги и руководители школы, у которых есть "
                               "карточка сотрудника.")
    resource = selectors.resource_get(pk)
    route = drafting.route_for_additions(person)
    if route is None:
        error = ("Нет ИОМ, в который можно добавить мероприятие: составьте ИОМ (черновик) или дождитесь "
                 "его согласования.")
        if request.htmx:
            return render(request, "routes/catalog/_add_to_route.html", {"error": error, "resource": resource})
        messages.error(request, error)
        return redirect("catalog:list")
    if request.htmx:
        try:
            activity = drafting.resource_add_to_route(actor=request.user, route=route, resource=resource)
        except (DomainError, ValidationError, PermissionDenied) as exc:
            error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            return render(request, "routes/catalog/_add_to_route.html", {"error": error, "resource": resource})
        return render(request, "routes/catalog/_add_to_route.html", {"activity": activity, "route": route,
                                                                      "resource": resource})
    run_service(request, lambda: drafting.resource_add_to_route(actor=request.user, route=route, resource=resource),
                success_message=lambda activity: f"{words.quote(activity.title)} добавлено в ИОМ, срок "
                                                 f"{activity.deadline:%d.%m.%Y}: его можно изменить в дорожной карте.")
    return redirect("catalog:list")


def resource_link(request, pk: int):
    """The resource's site, through the page that names it before the user leaves (as an evidence link)."""
    resource = selectors.resource_get(pk, include_inactive=services.can_manage(request.user))
    if not resource.url:
        raise Http404("У ресурса нет ссылки.")
    return external_link_page(
        request, resource.url, about=f"Ресурс каталога «{resource.title}» — ссылка на сайт вне портала.",
        back_url=reverse("catalog:list"), back_label="Вернуться в каталог",
    )


def _save(request, form, resource=None, *, success_message: str):
    data = {k: v for k, v in form.cleaned_data.items() if k != "competencies"}
    competencies = form.cleaned_data["competencies"]
    return run_service(
        request,
        lambda: services.resource_create(actor=request.user, data=data, competencies=competencies) if resource is None
        else services.resource_update(actor=request.user, resource=resource, data=data, competencies=competencies),
        form=form, success_message=success_message, redirect_to="catalog:list",
    )


@capability_required("catalog.manage")
def resource_create(request):
    form = CatalogResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and (
            done := _save(request, form, success_message="Ресурс добавлен в каталог.")):
        return done
    return render(request, "routes/catalog/form.html", {"form": form})


@capability_required("catalog.manage")
def resource_edit(request, pk: int):
    resource = selectors.resource_get(pk, include_inactive=True)
    if not services.can_edit(request.user, resource):
        raise PermissionDenied(services.NOT_YOURS.format(keeper=services.keeper_name(resource)))
    form = CatalogResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid() and (
            done := _save(request, form, resource, success_message="Изменения сохранены.")):
        return done
    return render(request, "routes/catalog/form.html", {"form": form, "resource": resource})
