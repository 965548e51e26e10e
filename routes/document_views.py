"""Downloads of the ИОМ document (PDF, DOCX): personal data, so scoped, logged and never cached."""

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.logging import log_security_event
from routes.documents import iom_docx, iom_filename, iom_pdf
from routes.models import Route
from schools.access import scope_q

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _route_for(user, pk: int) -> Route:
    """The teacher's own route, or one inside the user's route.view scope; anything else is 404.

    The same rule as routes.selectors.route_get_for (owner or scope), written here until that
    selector exists, so the document never reaches further than the route page.
    """
    visible = Route.objects.filter(Q(person__user=user) | scope_q(user, "route.view"))
    return get_object_or_404(
        visible.select_related("person__mentor", "organisation__municipality"), pk=pk,
    )


def _download(request, pk: int, *, extension: str, content_type: str, build) -> HttpResponse:
    route = _route_for(request.user, pk)
    content = build(route)
    log_security_event(
        "personal_data_export", request, export="iom_document", format=extension, route_id=route.pk,
        person_id=route.person_id, organisation_id=route.organisation_id,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, iom_filename(route, extension))
    return response


@require_GET
@never_cache
def iom_pdf_view(request, pk: int):
    return _download(request, pk, extension="pdf", content_type="application/pdf", build=iom_pdf)


@require_GET
@never_cache
def iom_docx_view(request, pk: int):
    return _download(request, pk, extension="docx", content_type=DOCX_TYPE, build=iom_docx)
