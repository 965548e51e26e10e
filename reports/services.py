"""Writes of the reports app: ordering and restarting report jobs, the report texts, snapshots, cleanup."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.dates import current_academic_year
from core.errors import DomainError
from core.queue import publish_on_commit
from methodics.models import Project
from reports.models import AuditLetterText, FigureSnapshot, MunicipalReportText, ReportJob
from reports.selectors.indicators import indicator_fact
from schools.access import can, has_capability, municipalities_for
from schools.models import Municipality, Organisation
from schools.timezones import local_now, zone_of_municipality


class ReportServiceError(DomainError):
    """A domain error with a Russian message for the user."""


def may_build(user, kind: str, params: dict) -> bool:
    """The one rule for report access, checked when ordering, when running and when downloading."""
    if not user.is_active:
        return False
    if kind in ("registry", "monitor"):
        return has_capability(user, "route.view")
    if kind == "region":
        # The region's methodists and administrators: report.regional over a municipality of the region.
        return bool(params.get("region_id")) and municipalities_for(user, "report.regional").filter(
            region_id=params["region_id"]).exists()
    if kind == "project":
        # Methodists of the project's municipality (and the region's, who see it too), administrators.
        municipality_id = Project.objects.filter(pk=params.get("project_id") or 0).values("municipality_id")
        return municipalities_for(user, "report.municipal").filter(pk__in=municipality_id).exists()
    if params.get("organisation_id"):
        organisation = Organisation.objects.select_related("municipality").filter(pk=params["organisation_id"]).first()
        return organisation is not None and can(user, "report.school", organisation)
    if params.get("municipality_id"):
        return municipalities_for(user, "report.municipal").filter(pk=params["municipality_id"]).exists()
    return False


# Jobs one person may have queued or running at once: a report is minutes of a worker's time.
MAX_ACTIVE_JOBS = 5


def _check_active_limit(user) -> None:
    active = ReportJob.objects.filter(requester=user, status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING])
    if active.count() >= MAX_ACTIVE_JOBS:
        raise ReportServiceError(f"У вас уже формируются {MAX_ACTIVE_JOBS} отчетов: дождитесь их готовности.")


def _enqueue(job: ReportJob) -> None:
    """Hand the job to Celery after the commit; with the broker down it stays «в очереди» (and the page
    says why) until reports.tasks.requeue_report_jobs hands it over."""
    from reports.tasks import build_report_job

    publish_on_commit(build_report_job, job)


@transaction.atomic
def report_job_create(*, user, kind: str, fmt: str, params: dict, description: str = "") -> ReportJob:
    if kind not in ReportJob.Kind.values or fmt not in ReportJob.Format.values:
        raise ReportServiceError("Неизвестный отчет или формат.")
    from reports.forms import format_refusal

    if refusal := format_refusal(kind, fmt):
        raise ReportServiceError(refusal)
    if not may_build(user, kind, params):
        raise PermissionDenied("Этот отчет вам недоступен.")
    _check_active_limit(user)
    job = ReportJob.objects.create(requester=user, kind=kind, format=fmt, params=params,
                                   description=description[:500])
    _enqueue(job)
    return job


@transaction.atomic
def report_job_restart(*, user, job: ReportJob) -> ReportJob:
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if job.requester_id != user.pk:
        raise PermissionDenied("Перезапустить можно только свой отчет.")
    expired = job.status == ReportJob.Status.DONE and job.expires_at and job.expires_at <= timezone.now()
    if job.status != ReportJob.Status.FAILED and not expired:
        raise ReportServiceError("Перезапустить можно отчет с ошибкой или с истекшим сроком хранения.")
    if not may_build(user, job.kind, job.params):
        raise PermissionDenied("Этот отчет вам больше недоступен.")
    _check_active_limit(user)  # a restart queues work like a new order
    job.status, job.progress, job.error = ReportJob.Status.QUEUED, 0, ""
    job.started_at = job.finished_at = job.dispatched_at = None
    job.queued_at = timezone.now()
    job.save(update_fields=["status", "progress", "error", "started_at", "finished_at", "dispatched_at",
                            "queued_at"])
    _enqueue(job)
    return job


@transaction.atomic
def report_text_save(*, user, municipality: Municipality, year: str, data: dict, version: int) -> MunicipalReportText:
    if not municipalities_for(user, "report.texts").filter(pk=municipality.pk).exists():
        raise PermissionDenied("Тексты справки этого муниципалитета вам недоступны.")
    text = MunicipalReportText.objects.select_for_update().filter(municipality=municipality, academic_year=year).first()
    if text is None:
        text = MunicipalReportText(municipality=municipality, academic_year=year, version=0)
    elif text.version != version:
        raise ReportServiceError("Тексты уже изменил другой пользователь. Обновите страницу: ваши правки показаны ниже, "
                                 "перенесите их заново.")
    for field in ("tasks", "actions", "problems", "recommendations", "signature"):
        setattr(text, field, data.get(field, ""))
    text.updated_by = user
    text.version += 1
    text.save()
    return text


AUDIT_TEXT_FIELDS = ("number", "basis", "conclusion", "recommendations")


@transaction.atomic
def audit_text_save(*, user, municipality: Municipality, cohort: str, data: dict, version: int,
                    restore_defaults: bool = False) -> AuditLetterText:
    """The methodist's words of the audit letter for a cohort. `restore_defaults` empties the texts (the
    letter then takes the portal's defaults) and keeps the outgoing number."""
    if not municipalities_for(user, "report.texts").filter(pk=municipality.pk).exists():
        raise PermissionDenied("Тексты писем этого муниципалитета вам недоступны.")
    text = AuditLetterText.objects.select_for_update().filter(municipality=municipality, cohort=cohort).first()
    if text is None:
        text = AuditLetterText(municipality=municipality, cohort=cohort, version=0)
    elif text.version != version:
        raise ReportServiceError("Тексты уже изменил другой пользователь. Обновите страницу: ваши правки показаны ниже, "
                                 "перенесите их заново.")
    for field in AUDIT_TEXT_FIELDS:
        if restore_defaults and field != "number":
            setattr(text, field, "")
        else:
            setattr(text, field, (data.get(field) or "").strip())
    text.updated_by = user
    text.version += 1
    text.save()
    return text


# --------------------------------------------------------------------------- scheduled

SNAPSHOT_CODES = ["iom_share", "registry_courses_share", "young_supported_share", "mentoring_schools_share"]


def take_snapshots(*, day: dt.date | None = None) -> int:
    """Key figures of every municipality for the day (its own local date unless given); running twice the
    same day overwrites, not duplicates."""
    written = 0
    for municipality in Municipality.objects.select_related("region"):
        on = day or local_now(zone_of_municipality(municipality)).date()
        year = current_academic_year(on)
        organisations = Organisation.objects.filter(municipality=municipality)
        for code in SNAPSHOT_CODES:
            fact = indicator_fact(code, organisations, [year], on)
            FigureSnapshot.objects.update_or_create(
                municipality=municipality, taken_on=on, code=code,
                defaults={"value": fact.value, "numerator": fact.numerator, "denominator": fact.denominator},
            )
            written += 1
    return written


def delete_expired_files(*, now: dt.datetime | None = None) -> int:
    """Remove the files of jobs past their expiry; the job stays, saying the file has expired."""
    now = now or timezone.now()
    count = 0
    for job in ReportJob.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        job.file = ""
        job.save(update_fields=["file"])
        count += 1
    return count


def file_ttl() -> dt.timedelta:
    return dt.timedelta(hours=settings.REPORT_FILE_TTL_HOURS)
