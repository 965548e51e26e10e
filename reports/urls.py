from django.urls import path

from reports import letter_views, views

app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("jobs/", views.report_jobs_partial, name="jobs"),
    path("jobs/<uuid:pk>/download/", views.report_download, name="download"),
    path("jobs/<uuid:pk>/restart/", views.report_restart, name="restart"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("school/<int:pk>/", views.school_dashboard, name="school"),
    path("municipality/<int:pk>/", views.municipality_dashboard, name="municipality"),
    path("municipality/<int:pk>/texts/", views.report_texts, name="texts"),
    path("municipality/<int:pk>/audit-texts/", letter_views.audit_texts, name="audit_texts"),
    path("region/<int:pk>/", views.region_dashboard, name="region"),
    path("<slug:scope>/<int:pk>/export/", views.dashboard_export, name="dashboard_export"),
    path("registry/", views.registry, name="registry"),
    path("registry/export/", views.registry_export, name="registry_export"),
    path("monitor/export/", views.monitor_export, name="monitor_export"),
]
