from django.urls import include, path

from core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("healthz/queue", views.healthz_queue, name="healthz_queue"),
    path("metrics", views.metrics_view, name="metrics"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("figures/", views.figure_definitions, name="figures"),
    path("imports/", include("core.imports.urls")),
]
