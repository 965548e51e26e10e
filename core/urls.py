from django.urls import include, path

from core import views

urlpatterns = [
    path("healthz/queue", views.healthz_queue, name="healthz_queue"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("imports/", include("core.imports.urls")),
]
