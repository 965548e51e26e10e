"""Browser imports: the list of kinds, upload → preview of every row → confirm, templates, export.

A large file (core/imports/jobs.py) is not checked or written in its request: the upload and
the confirmation each start a job, and the browser follows it on the job's page until the
preview (or the result) is ready.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import access
from core.imports import jobs, preview
from core.imports.engine import ERROR, NEW, UNCHANGED, UPDATE, ImportKind, run_import
from core.imports.files import export_xlsx, template_xlsx
from core.imports.forms import ReuploadForm, UploadForm
from core.imports.models import ImportJob
from core.imports.registry import all_kinds, get_kind, kinds_for
from core.logging import log_security_event

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_PAGE_SIZE = 100
FILTERS = [("", "Все строки"), (ERROR, "Ошибки"), (NEW, "Новые"), (UPDATE, "Изменения"), (UNCHANGED, "Без изменений")]


def _has(user, capability: str) -> bool:
    return access.has_capability(user, capability)


def _kind_for(request, code: str) -> ImportKind:
    kind = get_kind(code)
    if kind is None:
        raise Http404("Такого вида загрузки нет.")
    if not kind.available_to(request.user):
        raise PermissionDenied("Этот вид загрузки недоступен для вашей роли.")
    return kind


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _upload_again(request, kind: ImportKind):
    """A preview lives in its uploader's session for a day; another's, or an old one, is uploaded anew."""
    messages.error(request, "Проверка этого файла не найдена (она хранится сутки и видна только загрузившему): "
                            "загрузите файл снова.")
    return redirect("import_upload", kind=kind.code)


def import_index(request):
    kinds = kinds_for(request.user)
    exports = [k for k in all_kinds() if k.export_capability and _has(request.user, k.export_capability)]
    if not kinds and not exports:
        raise PermissionDenied("Загрузка данных недоступна для вашей роли.")
    return render(request, "core/imports/index.html", {"kinds": kinds, "exports": exports})


def import_upload(request, kind: str):
    import_kind = _kind_for(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        if jobs.needs_job(data, upload.name):
            log_security_event("upload", request, kind=import_kind.code, file_name=upload.name[:200], size=len(data),
                               job=True)
            token = preview.save_upload(request, import_kind.code, upload.name, data)
            jobs.job_start(user=request.user, kind=import_kind, token=token, filename=upload.name,
                           phase=ImportJob.Phase.CHECK)
            return redirect("import_job", kind=import_kind.code, token=token)
        result = run_import(import_kind, data, upload.name, user=request.user, dry_run=True, request=request)
        log_security_event("upload", request, kind=import_kind.code, file_name=upload.name[:200], size=len(data),
                           errors=len(result.errors))
        token = preview.save(request, result, data)
        return redirect("import_preview", kind=import_kind.code, token=token)
    return render(request, "core/imports/upload.html", {"kind": import_kind, "form": form})


def import_preview(request, kind: str, token):
    import_kind = _kind_for(request, kind)
    token = str(token)
    entry = preview.upload_of(request, import_kind.code, token)
    if entry is None:
        job = jobs.job_for(request.user, import_kind, token)
        if job is not None and job.is_active and preview.upload_of(request, import_kind.code, token, checked=False):
            return redirect("import_job", kind=import_kind.code, token=token)  # still being checked
        return _upload_again(request, import_kind)
    payload = preview.load_result(token)
    show = request.GET.get("show", "")
    rows = payload["rows"]
    if show in {ERROR, NEW, UPDATE, UNCHANGED}:
        rows = [row for row in rows if row[1] == show]
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    errors = [(number, column, message) for number, column, message in payload["file_errors"]]
    errors += [(row[0], column, message) for row in payload["rows"] for column, message in row[3]]
    return render(request, "core/imports/preview.html", {
        "kind": import_kind,
        "token": token,
        "filename": entry["filename"],
        "columns": payload["columns"],
        "counts": payload["counts"],
        "errors": errors[:500],
        "error_count": len(errors),
        "more_errors": max(0, len(errors) - 500),
        "page": page,
        "rows": preview.display_rows(payload, page.object_list),
        "show": show,
        "filters": FILTERS,
        "form": ReuploadForm(),
    })


@require_POST
def import_confirm(request, kind: str, token):
    import_kind = _kind_for(request, kind)
    token = str(token)
    entry = preview.upload_of(request, import_kind.code, token)
    if entry is None:
        return _upload_again(request, import_kind)
    data = preview.load_upload(token, entry)
    if jobs.needs_job(data, entry["filename"]):
        jobs.job_start(user=request.user, kind=import_kind, token=token, filename=entry["filename"],
                       phase=ImportJob.Phase.WRITE)
        return redirect("import_job", kind=import_kind.code, token=token)
    # Checked again: the data may have changed since the preview.
    result = run_import(import_kind, data, entry["filename"], user=request.user, request=request)
    if not result.written:
        preview.store_result(token, result)
        messages.error(request, "Данные изменились после проверки, и в файле появились ошибки: ничего не записано.")
        return redirect("import_preview", kind=import_kind.code, token=token)
    preview.discard(request, token)
    counts = result.counts
    messages.success(request, f"«{import_kind.title}»: загружено. Создано: {counts[NEW]}, обновлено: "
                              f"{counts[UPDATE]}, без изменений: {counts[UNCHANGED]}.")
    return redirect("import_index")


def import_job(request, kind: str, token):
    """The progress of a large file's check or write; htmx polls it and is sent on when the job is done."""
    import_kind = _kind_for(request, kind)
    token = str(token)
    entry = preview.upload_of(request, import_kind.code, token, checked=False)
    job = jobs.job_for(request.user, import_kind, token) if entry is not None else None
    if job is None:
        return _upload_again(request, import_kind)
    if job.status == ImportJob.Status.DONE:
        if job.phase == ImportJob.Phase.CHECK:
            url = reverse("import_preview", kwargs={"kind": import_kind.code, "token": token})
        else:
            preview.forget(request, token)
            counts = job.counts
            messages.success(request, f"«{import_kind.title}»: загружено. Создано: {counts.get(NEW, 0)}, обновлено: "
                                      f"{counts.get(UPDATE, 0)}, без изменений: {counts.get(UNCHANGED, 0)}.")
            url = reverse("import_index")
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = {"kind": import_kind, "token": token, "job": job, "filename": entry["filename"],
               "has_preview": preview.is_checked(token)}
    template = "core/imports/_job_status.html" if request.htmx else "core/imports/job.html"
    return render(request, template, context)


def import_template(request, kind: str):
    import_kind = _kind_for(request, kind)
    return _xlsx_response(template_xlsx(import_kind), f"template-{import_kind.code}.xlsx")


def import_export(request, kind: str):
    """The kind's records in its own import format (staff): export → import changes nothing."""
    import_kind = get_kind(kind)
    if import_kind is None or not import_kind.export_capability:
        raise Http404("Выгрузка этого вида данных не предусмотрена.")
    if not _has(request.user, import_kind.export_capability):
        raise PermissionDenied("Выгрузка недоступна для вашей роли.")
    objects = import_kind.export_queryset(request.user, request.GET)
    content = export_xlsx(import_kind, objects.iterator(chunk_size=2000))
    # Personal data leaves the portal: the security log records who took what.
    log_security_event("export", request, kind=import_kind.code, personal_data=True,
                       organisation=request.GET.get("organisation", "")[:20], size=len(content))
    return _xlsx_response(content, f"{import_kind.code}-{timezone.localdate():%Y-%m-%d}.xlsx")
