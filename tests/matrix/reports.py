"""Permission matrix of the reports app: dashboards, the "Отчеты" page, downloads, the registry.

The World's municipal methodist owns one finished and one failed report job; nobody else may
see them (404), whatever their role.
"""

from django.core.files.base import ContentFile
from django.urls import reverse

from reports.models import AuditLetterText, MunicipalReportText, ReportJob
from tests.matrix import Case, everyone

SCHOOL_READERS = dict(deputy=200, director=200, municipal_methodist=200, regional_methodist=200, admin=200)


def _job(w, status):
    def build(w):
        job = ReportJob.objects.create(
            requester=w.user("municipal_methodist"), kind="coverage", format="xlsx",
            params={"municipality_id": w.municipality.pk, "years": ["2021-2022", "2022-2023"]}, status=status,
            error="Ошибка для проверки" if status == "failed" else "",
        )
        if status == "done":
            job.file.save(f"{job.pk}.xlsx", ContentFile(b"PK-test"), save=False)
            job.filename = "coverage.xlsx"
            job.save()
        return job

    return w.obj(f"report-job-{status}", build)


def _saved_texts(w):
    """The municipality's texts of the default year, saved once already (version 1)."""
    from core.dates import last_completed_academic_years

    return w.obj("report-texts", lambda w: MunicipalReportText.objects.create(
        municipality=w.municipality, academic_year=last_completed_academic_years(1)[0], tasks="Задача", version=1))


def pk_url(name, attr):
    return lambda w: reverse(name, args=[getattr(w, attr).pk])


CASES = [
    Case("reports:index", lambda w: reverse("reports:index"), everyone(200, teacher=403)),
    Case("reports:jobs", lambda w: reverse("reports:jobs"), everyone(200, teacher=403)),
    Case("reports:dashboard", lambda w: reverse("reports:dashboard"), everyone(302, teacher=403)),
    # school dashboard
    Case("reports:school", pk_url("reports:school", "school"), everyone(403, **SCHOOL_READERS)),
    Case("reports:school", pk_url("reports:school", "sibling_school"),
         everyone(403, deputy=404, director=404, municipal_methodist=200, regional_methodist=200, admin=200),
         label="sibling"),
    Case("reports:school", pk_url("reports:school", "far_school"),
         everyone(403, deputy=404, director=404, municipal_methodist=404, regional_methodist=404, admin=200),
         label="other_region"),
    # municipality dashboard and the report's texts
    Case("reports:municipality", pk_url("reports:municipality", "municipality"),
         everyone(403, municipal_methodist=200, regional_methodist=200, admin=200)),
    Case("reports:municipality", pk_url("reports:municipality", "other_municipality"),
         everyone(403, municipal_methodist=404, regional_methodist=200, admin=200), label="other_municipality"),
    Case("reports:municipality", pk_url("reports:municipality", "far_municipality"),
         everyone(403, municipal_methodist=404, regional_methodist=404, admin=200), label="other_region"),
    Case("reports:texts", pk_url("reports:texts", "municipality"), everyone(403, municipal_methodist=200, admin=200)),
    Case("reports:texts", pk_url("reports:texts", "other_municipality"),
         everyone(403, municipal_methodist=404, admin=200), label="other_municipality"),
    # Each role posts version 0 on the World as built (the matrix rolls every request back): the
    # methodist and the administrator both save. Version 0 of texts saved since is a stale edit.
    Case("reports:texts", pk_url("reports:texts", "municipality"),
         everyone(403, municipal_methodist=302, admin=302), label="save", method="post",
         data=lambda w: {"tasks": "Задача", "actions": "Действие", "problems": "", "recommendations": "",
                         "signature": "ММЦ", "version": 0}, touches=(MunicipalReportText,)),
    Case("reports:texts", lambda w: reverse("reports:texts", args=[_saved_texts(w).municipality.pk]),
         everyone(403, municipal_methodist=200, admin=200), label="stale_save", method="post",
         data=lambda w: {"tasks": "Задача", "actions": "Действие", "problems": "", "recommendations": "",
                         "signature": "ММЦ", "version": 0},
         noop="version 0 of texts saved since: a stale edit is shown again, nothing overwritten"),
    # the audit letter's texts: the holders of report.texts, the defaults restorable
    Case("reports:audit_texts", pk_url("reports:audit_texts", "municipality"),
         everyone(403, municipal_methodist=200, admin=200)),
    Case("reports:audit_texts", pk_url("reports:audit_texts", "other_municipality"),
         everyone(403, municipal_methodist=404, admin=200), label="other_municipality"),
    Case("reports:audit_texts", pk_url("reports:audit_texts", "municipality"),
         everyone(403, municipal_methodist=302, admin=302), label="save", method="post",
         data=lambda w: {"number": "01-12/347", "basis": "Основание", "conclusion": "Вывод",
                         "recommendations": "Рекомендация", "version": 0}, touches=(AuditLetterText,)),
    Case("reports:audit_texts", pk_url("reports:audit_texts", "municipality"),
         everyone(403, municipal_methodist=302, admin=302), label="restore", method="post",
         data=lambda w: {"number": "", "basis": "", "conclusion": "", "recommendations": "", "version": 0,
                         "restore": "1"}, touches=(AuditLetterText,)),
    # region dashboard
    Case("reports:region", pk_url("reports:region", "region"), everyone(403, regional_methodist=200, admin=200)),
    Case("reports:region", pk_url("reports:region", "other_region"),
         everyone(403, regional_methodist=404, admin=200), label="other_region"),
    # the dashboards' tables as XLSX: the dashboard's own rights and scope
    Case("reports:dashboard_export", lambda w: reverse("reports:dashboard_export", args=["school", w.school.pk]),
         everyone(403, **SCHOOL_READERS), label="school"),
    Case("reports:dashboard_export", lambda w: reverse("reports:dashboard_export", args=["school", w.sibling_school.pk]),
         everyone(403, deputy=404, director=404, municipal_methodist=200, regional_methodist=200, admin=200),
         label="school_sibling"),
    Case("reports:dashboard_export", lambda w: reverse("reports:dashboard_export",
                                                       args=["municipality", w.municipality.pk]),
         everyone(403, municipal_methodist=200, regional_methodist=200, admin=200), label="municipality"),
    Case("reports:dashboard_export", lambda w: reverse("reports:dashboard_export",
                                                       args=["municipality", w.other_municipality.pk]),
         everyone(403, municipal_methodist=404, regional_methodist=200, admin=200), label="municipality_other"),
    Case("reports:dashboard_export", lambda w: reverse("reports:dashboard_export", args=["region", w.region.pk]),
         everyone(403, regional_methodist=200, admin=200), label="region"),
    Case("reports:dashboard_export", lambda w: reverse("reports:dashboard_export", args=["region", w.other_region.pk]),
         everyone(403, regional_methodist=404, admin=200), label="region_other"),
    # registry
    Case("reports:registry", lambda w: reverse("reports:registry"), everyone(200, teacher=403)),
    Case("reports:registry_export", lambda w: reverse("reports:registry_export"), everyone(302, teacher=403),
         method="post", data=lambda w: {"format": "csv"}, touches=(ReportJob,)),
    Case("reports:monitor_export", lambda w: reverse("reports:monitor_export"), everyone(302, teacher=403),
         method="post", data=lambda w: {"overdue": "yes"}, touches=(ReportJob,)),
    # report files: only the requester
    Case("reports:download", lambda w: reverse("reports:download", args=[_job(w, "done").pk]),
         everyone(404, municipal_methodist=200)),
    Case("reports:restart", lambda w: reverse("reports:restart", args=[_job(w, "failed").pk]),
         everyone(404, municipal_methodist=302), method="post", touches=(ReportJob,)),
]
