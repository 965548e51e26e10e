"""The endpoints of /api/v1/: every read through the scoped selectors of its app, every write through
core.imports, as the token's service account (api/__init__.py).

Each view names the capability it exercises (`required_capability`, api.permissions); the access
layer then answers 404 outside the account's scope and 403 where seen but not allowed, as in the
browser. Lists are paginated (`page`, `page_size`), and cost a fixed number of queries per page.
"""

from types import SimpleNamespace

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api import figures as figure_registry
from api import filters
from api import serializers as s
from api.permissions import ALSO_USES, token_allows
from core.dates import academic_year_bounds, current_academic_year
from core.ids import MAX_ID, parse_id
from core.imports import ERROR, NEW, UNCHANGED, UPDATE, get_kind, kinds_for, run_import
from core.imports import jobs as import_jobs
from core.imports import preview as import_files
from core.imports.forms import UploadForm
from core.imports.models import ImportJob
from core.logging import log_security_event
from diagnostics.selectors import deficit_list_for
from routes.models import RoadmapActivity, Transition
from routes.selectors import route_list_for
from schools.access import CAPABILITIES, get_for, has_capability, municipalities_for, organisations_for
from schools.selectors import organisation_list_for, staff_list_for, with_current_mentor, with_staff_counts

MAX_ERRORS = 5000  # errors listed in one answer; error_count says how many there are


def errors(*codes: int) -> dict:
    """The documented refusals of an operation (every one answers {"detail": "…"})."""
    described = {400: "Неверные параметры запроса.", 401: "Нет токена, он не найден, отозван или истек.",
                 403: "Токену или его роли не разрешено это действие.", 404: "Нет такой записи в области токена.",
                 429: "Превышен предел запросов токена (Retry-After)."}
    return {code: OpenApiResponse(s.ErrorSerializer, description=described[code]) for code in codes}


ID_PARAMETER = OpenApiParameter("id", {"type": "integer", "minimum": 1, "maximum": MAX_ID}, OpenApiParameter.PATH)
SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}  # what the URL's <slug:…> accepts
LIST_ERRORS = {400: OpenApiResponse(OpenApiTypes.OBJECT, description="Неверное значение фильтра: поле → сообщения."),
               **errors(401, 403, 404, 429)}  # 404: a page past the last one
DETAIL_ERRORS = errors(401, 403, 404, 429)


class TokenEndpoint:
    """Token requests skip the portal's login redirect (LoginRequiredMiddleware): the token is the login."""

    @classmethod
    def as_view(cls, *args, **kwargs):
        return login_not_required(super().as_view(*args, **kwargs))


class ScopedReadViewSet(TokenEndpoint, viewsets.ReadOnlyModelViewSet):
    """A list and one record of a scoped selector; `pk` outside the scope answers 404 (get_for)."""

    lookup_value_converter = "int"
    ordering: tuple = ("pk",)

    def scoped(self):
        """The selector's queryset of the token's scope; every view set names its own."""
        raise NotImplementedError(f"{type(self).__name__} names no scoped selector")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no token
            return self.serializer_class.Meta.model.objects.none()
        return self.scoped().order_by(*self.ordering)

    def get_object(self):
        pk = parse_id(self.kwargs["pk"])
        if pk is None:
            raise Http404("Такой записи нет.")
        return get_for(self.request.user, self.get_queryset(), pk)


@extend_schema_view(
    list=extend_schema(summary="Организации", responses={200: s.OrganisationSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(summary="Организация", parameters=[ID_PARAMETER],
                           responses={200: s.OrganisationSerializer, **DETAIL_ERRORS}),
)
class OrganisationViewSet(ScopedReadViewSet):
    """The organisations of the token's scope (org.view), with their working staff and accounts counted."""

    required_capability = "org.view"
    serializer_class = s.OrganisationSerializer
    filterset_class = filters.OrganisationFilter
    ordering = ("municipality__name", "order", "short_name", "pk")

    def scoped(self):
        return organisation_list_for(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(with_staff_counts(page), many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(with_staff_counts([self.get_object()])[0]).data)


@extend_schema_view(
    list=extend_schema(summary="Сотрудники", responses={200: s.StaffSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(summary="Сотрудник", parameters=[ID_PARAMETER],
                           responses={200: s.StaffSerializer, **DETAIL_ERRORS}),
)
class StaffViewSet(ScopedReadViewSet):
    """The staff records of the token's scope (staff.view): what the organisation's staff list shows."""

    required_capability = "staff.view"
    serializer_class = s.StaffSerializer
    filterset_class = filters.StaffFilter
    ordering = ("last_name", "first_name", "middle_name", "pk")

    def scoped(self):
        return with_current_mentor(staff_list_for(self.request.user))


@extend_schema_view(
    list=extend_schema(summary="ИОМ", responses={200: s.RouteSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(summary="ИОМ с дорожной картой", parameters=[ID_PARAMETER],
                           responses={200: s.RouteSerializer, **DETAIL_ERRORS}),
)
class RouteViewSet(ScopedReadViewSet):
    """The routes of the token's scope (route.view) with their roadmap activities, deficits and transitions.

    Queries per page: the count, the routes, their activities, their deficits, their transitions.
    """

    required_capability = "route.view"
    serializer_class = s.RouteSerializer
    filterset_class = filters.RouteFilter
    ordering = ("-academic_year", "person__last_name", "person__first_name", "pk")

    def scoped(self):
        return route_list_for(self.request.user).prefetch_related(
            Prefetch("activities", queryset=RoadmapActivity.objects.select_related("group", "kind")
                     .order_by("group__order", "order", "deadline", "pk")),
            Prefetch("transitions", queryset=Transition.objects.order_by("at", "pk")),
            "deficits",
        )


@extend_schema_view(
    list=extend_schema(summary="Дефициты", responses={200: s.DeficitSerializer(many=True), **LIST_ERRORS}),
    retrieve=extend_schema(summary="Дефицит", parameters=[ID_PARAMETER],
                           responses={200: s.DeficitSerializer, **DETAIL_ERRORS}),
)
class DeficitViewSet(ScopedReadViewSet):
    """The professional deficits of the people of the token's scope (diagnostics.view), with first and latest scores."""

    required_capability = "diagnostics.view"
    serializer_class = s.DeficitSerializer
    filterset_class = filters.DeficitFilter
    ordering = ("person__last_name", "person__first_name", "competency__group__order", "competency__order", "pk")

    def scoped(self):
        return deficit_list_for(self.request.user)


# ------------------------------------------------------------------------------------------------ figures


class FigureQuerySerializer(drf_serializers.Serializer):
    organisation = drf_serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                                help_text="Организация (id): показатель школы (report.school).")
    municipality = drf_serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID,
                                                help_text="Муниципалитет (id): показатель муниципалитета "
                                                          "(report.municipal).")
    year = drf_serializers.RegexField(filters.ACADEMIC_YEAR, required=False,
                                      help_text="Учебный год, например 2024-2025; по умолчанию текущий.")


    def validate_year(self, value: str) -> str:
        try:
            academic_year_bounds(value)
        except ValueError:
            raise drf_serializers.ValidationError("Учебный год пишется как 2024-2025: два года подряд.") from None
        return value


def _figure_query(request) -> dict:
    query = FigureQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


@extend_schema(summary="Показатели", responses={200: s.FigureInfoSerializer(many=True), **errors(401, 429)})
class FigureListView(TokenEndpoint, APIView):
    """The codes of the figures the API reads (api/figures.py), with what each counts."""

    def get(self, request):
        return Response(s.FigureInfoSerializer(figure_registry.figure_list(), many=True).data)


@extend_schema(summary="Показатель",
               parameters=[OpenApiParameter("code", SLUG, OpenApiParameter.PATH, description="Код показателя."),
                           FigureQuerySerializer],
               responses={200: s.FigureSerializer, 400: LIST_ERRORS[400], **errors(401, 403, 404, 429)})
class FigureDetailView(TokenEndpoint, APIView):
    """One figure over a school (`organisation`, report.school), a municipality (`municipality`,
    report.municipal), or without either the token's whole regional scope (report.regional)."""

    def required_capability_for(self, request) -> str:
        params = request.query_params
        if params.get("organisation"):
            return "report.school"
        if params.get("municipality"):
            return "report.municipal"
        return "report.regional"

    def get(self, request, code: str):
        spec = figure_registry.figure_get(code)
        if spec is None:
            raise Http404("Такого показателя нет: список — /api/v1/figures/.")
        query = _figure_query(request)
        user, scope = request.user, {"region": None, "municipality": None, "organisation": None}
        if "organisation" in query:
            organisation = get_for(user, organisations_for(user, "report.school"), query["organisation"])
            if "municipality" in query and organisation.municipality_id != query["municipality"]:
                raise drf_serializers.ValidationError({"organisation": ["Организация не из этого муниципалитета."]})
            organisations = organisations_for(user, "report.school").filter(pk=organisation.pk)
            scope.update(organisation=organisation.pk, municipality=organisation.municipality_id,
                         region=organisation.municipality.region_id)
        elif "municipality" in query:
            municipality = get_for(user, municipalities_for(user, "report.municipal"), query["municipality"])
            organisations = organisations_for(user, "report.municipal").filter(municipality=municipality)
            scope.update(municipality=municipality.pk, region=municipality.region_id)
        else:
            if not has_capability(user, "report.regional"):
                raise PermissionDenied("Укажите организацию или муниципалитет: показатели региона доступны "
                                       "региональному методисту и администратору.")
            organisations = organisations_for(user, "report.regional")
        year = query.get("year") or current_academic_year()
        values = figure_registry.figure_read(spec, organisations, year)
        return Response(s.FigureSerializer({
            "code": spec.code, "title": spec.title, "scope": scope,
            "year": year if spec.period == "year" else None,
            "on": timezone.localdate() if spec.period == "today" else None,
            "values": values,
        }).data)


# ------------------------------------------------------------------------------------------------ imports


def _kind_or_404(code: str):
    kind = get_kind(code)
    if kind is None:
        raise Http404("Такого вида загрузки нет: список — /api/v1/imports/.")
    return kind


def _error_rows(errors_) -> list[dict]:
    return [{"row": row, "column": column, "message": message} for row, column, message in errors_[:MAX_ERRORS]]


def _counts(counts: dict) -> dict:
    return {key: counts.get(key, 0) for key in (NEW, UPDATE, UNCHANGED, ERROR)}


def _written_detail(title: str, counts: dict) -> str:
    return (f"«{title}»: загружено. Создано: {counts.get(NEW, 0)}, обновлено: {counts.get(UPDATE, 0)}, "
            f"без изменений: {counts.get(UNCHANGED, 0)}.")


INVALID_FILE = "В файле есть ошибки: ничего не записано. Исправьте строки, названные в errors, и загрузите файл снова."


@extend_schema(summary="Виды загрузки", responses={200: s.ImportKindSerializer(many=True), **errors(401, 429)})
class ImportKindListView(TokenEndpoint, APIView):
    """The import kinds the token may load (docs/spec/import-formats.md): its role holds the kind's
    capability and the token lists it."""

    def get(self, request):
        kinds = [kind for kind in kinds_for(request.user) if token_allows(request.auth, kind.capability)]
        return Response(s.ImportKindSerializer([{
            "code": kind.code, "title": kind.title, "capability": kind.capability, "description": kind.description,
            "columns": [{"title": c.title, "required": c.required, "description": c.description} for c in kind.columns],
        } for kind in kinds], many=True).data)


@extend_schema(
    summary="Загрузить файл", request={"multipart/form-data": s.ImportUploadSerializer},
    parameters=[OpenApiParameter("kind", SLUG, OpenApiParameter.PATH,
                                 description="Вид загрузки: organizations, staff, routes, activities, diagnostics, catalog.")],
    responses={
        200: OpenApiResponse(s.ImportResultSerializer, description="Файл без ошибок: записан (или проверен, dry_run)."),
        202: OpenApiResponse(s.ImportJobSerializer, description="Большой файл: проверяется и записывается заданием; "
                                                                "ход — по адресу из Location."),
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="Нет файла или он не .xlsx/.csv, больше 20 МБ: "
                                                              "поле → сообщения."),
        422: OpenApiResponse(s.ImportResultSerializer, description="В файле есть ошибки: ничего не записано."),
        **errors(401, 403, 404, 429),
    },
)
class ImportUploadView(TokenEndpoint, APIView):
    """Load a file of one import kind with the browser's engine and rules: every row is checked, nothing is
    written unless the whole file is valid, and every error names its row (the header is row 1) and column.

    A file above 1 MB, a CSV of more than 2 000 lines or a large XLSX is checked and written by a background
    job (202): follow /api/v1/imports/jobs/<id>/.
    """

    parser_classes = [MultiPartParser, FormParser]

    def required_capability_for(self, request) -> str | None:
        kind = get_kind(self.kwargs.get("kind", ""))
        return kind.capability if kind is not None else None  # an unknown kind answers 404 below

    def post(self, request, kind: str):
        import_kind = _kind_or_404(kind)
        user, token = request.user, request.auth
        if not import_kind.available_to(user):
            raise PermissionDenied(f"Загрузка «{import_kind.title}» недоступна для роли токена.")
        role_capabilities = {c for c, roles in CAPABILITIES.items() if has_capability(user, c)}
        for also in ALSO_USES.get(import_kind.capability, []):
            if also in role_capabilities and not token_allows(token, also):
                raise PermissionDenied(f"Загрузка «{import_kind.title}» пользуется и правом {also}, которого у токена "
                                       "нет: попросите администратора разрешить его токену.")
        params = s.ImportUploadSerializer(data={"dry_run": request.data.get("dry_run", False)}, partial=True)
        params.is_valid(raise_exception=True)
        dry_run = params.validated_data.get("dry_run", False)
        form = UploadForm(request.data, request.FILES)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        upload = form.cleaned_data["file"]
        data = upload.read()
        django_request = request._request
        if import_jobs.needs_job(data, upload.name):
            log_security_event("upload", django_request, kind=import_kind.code, file_name=upload.name[:200],
                               size=len(data), job=True, source="api")
            # The upload is kept where the browser's is (core/imports/preview.py); no session holds it here:
            # the job's requester, the token's account, is who may follow it.
            upload_token = import_files.save_upload(SimpleNamespace(session={}), import_kind.code, upload.name, data)
            job = import_jobs.job_start(user=user, kind=import_kind, token=upload_token, filename=upload.name,
                                        phase=ImportJob.Phase.CHECK if dry_run else ImportJob.Phase.WRITE)
            location = request.build_absolute_uri(f"/api/v1/imports/jobs/{job.pk}/")
            return Response(_job_payload(job, import_kind), status=status.HTTP_202_ACCEPTED,
                            headers={"Location": location})
        result = run_import(import_kind, data, upload.name, user=user, dry_run=dry_run, request=django_request)
        log_security_event("upload", django_request, kind=import_kind.code, file_name=upload.name[:200],
                           size=len(data), errors=len(result.errors), source="api")
        valid = result.is_valid
        if not valid:
            detail = INVALID_FILE
        elif result.written:
            detail = _written_detail(import_kind.title, result.counts)
        else:
            detail = "Проверка пройдена: ошибок нет. Ничего не записано (dry_run)."
        all_errors = result.errors
        return Response(s.ImportResultSerializer({
            "detail": detail, "kind": import_kind.code, "filename": upload.name, "dry_run": dry_run, "valid": valid,
            "written": result.written, "counts": _counts(result.counts), "errors": _error_rows(all_errors),
            "error_count": len(all_errors),
        }).data, status=status.HTTP_200_OK if valid else status.HTTP_422_UNPROCESSABLE_ENTITY)


def _job_payload(job: ImportJob, kind) -> dict:
    """What a job says: its progress, then the file's errors (from the stored check) or the written counts."""
    checked = job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED) and import_files.is_checked(str(job.token))
    stored = import_files.load_result(str(job.token)) if checked else None
    found = []
    if stored is not None:
        found = [tuple(e) for e in stored["file_errors"]]
        found += [(row[0], column, message) for row in stored["rows"] for column, message in row[3]]
    dry_run = job.phase == ImportJob.Phase.CHECK
    written = job.phase == ImportJob.Phase.WRITE and job.status == ImportJob.Status.DONE
    title = kind.title if kind is not None else job.kind
    if job.is_active:
        detail = job.progress_text
    elif found:
        detail = INVALID_FILE
    elif job.status == ImportJob.Status.FAILED:
        detail = job.error
    elif written:
        detail = _written_detail(title, job.counts)
    else:
        detail = "Проверка пройдена: ошибок нет. Ничего не записано (dry_run)."
    return s.ImportJobSerializer({
        "id": job.pk, "kind": job.kind, "filename": job.filename, "dry_run": dry_run, "status": job.status,
        "stage": job.stage, "rows_done": job.rows_done, "rows_total": job.rows_total, "progress": job.progress_text,
        "detail": detail, "written": written, "counts": _counts(job.counts) if job.counts else None,
        "errors": _error_rows(found), "error_count": len(found), "created_at": job.created_at,
        "finished_at": job.finished_at,
    }).data


@extend_schema(summary="Задание загрузки", responses={200: s.ImportJobSerializer, **errors(401, 404, 429)},
               parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH)])
class ImportJobView(TokenEndpoint, APIView):
    """The progress and outcome of a large file's job; only the token that started it sees it."""

    def get(self, request, id):
        job = ImportJob.objects.filter(requester=request.user, pk=id).first()
        if job is None:
            raise Http404("Задание загрузки не найдено.")
        return Response(_job_payload(job, get_kind(job.kind)))


@login_not_required
def not_found(request, rest=""):
    """Any other address under /api/v1/: a JSON answer, not the portal's HTML page."""
    return JsonResponse({"detail": "Такого адреса в API нет: список адресов — docs/api.md и /api/v1/schema/."},
                        status=404, json_dumps_params={"ensure_ascii": False})
