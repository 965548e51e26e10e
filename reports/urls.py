from django.urls import path

from core.db_router import replica_reads
from reports import letter_views, views

app_name = "reports"
# The dashboards read from the replica when one is configured (core/db_router.py, docs/capacity.md).
urlpatterns = [
    path("", views.report_index, name="index"),
    path("jobs/", views.report_jobs_partial, name="jobs"),
    path("jobs/<uuid:pk>/download/", views.report_download, name="download"),
    path("jobs/<uuid:pk>/restart/", views.report_restart, name="restart"),
    path("dashboard/", replica_reads(views.dashboard), name="dashboard"),
    path("school/<int:pk>/", replica_reads(views.school_dashboard), name="school"),
    path("municipality/<int:pk>/", replica_reads(views.municipality_dashboard), name="municipality"),
    path("municipality/<int:pk>/texts/", views.report_texts, name="texts"),
    path("municipality/<int:pk>/audit-texts/", letter_views.audit_texts, name="audit_texts"),
    path("region/<int:pk>/", replica_reads(views.region_dashboard), name="region"),
    path("<slug:scope>/<int:pk>/export/", replica_reads(views.dashboard_export), name="dashboard_export"),
    path("registry/", views.registry, name="registry"),
    path("registry/export/", views.registry_export, name="registry_export"),
    path("monitor/export/", views.monitor_export, name="monitor_export"),
]
