"""Downloads of the ИОМ document (PDF, DOCX): personal data, so scoped, logged and never cached."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.logging import log_security_event
from routes.documents.builders import iom_docx, iom_filename, iom_pdf
from routes.selectors import route_get_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(request, pk: int, *, extension: str, content_type: str, build) -> HttpResponse:
    route = route_get_for(request.user, pk)  # 404 outside the user's scope, as the route page
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
