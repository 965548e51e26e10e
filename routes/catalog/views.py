from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from core.forms import run_service
from core.links import external_link_page
from routes.catalog import selectors, services
from routes.catalog.filters import CatalogFilter
from routes.catalog.forms import CatalogResourceForm
from schools.access import capability_required


def resource_list(request):
    manager = services.can_manage(request.user)
    filters = CatalogFilter(request.GET, queryset=selectors.resource_list(include_inactive=manager))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    for resource in page:
        resource.editable = manager and services.can_edit(request.user, resource)
    return render(request, "routes/catalog/list.html", {"filters": filters, "page": page, "can_manage": manager})


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
