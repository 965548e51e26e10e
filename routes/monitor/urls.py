"""The implementation monitor's pages: included in the "routes" namespace by routes/urls.py."""

from django.urls import path

from routes.monitor import views

urlpatterns = [
    path("monitor/", views.monitor, name="monitor"),
    path("monitor/remind/", views.monitor_remind, name="monitor_remind"),
    path("monitor/<int:pk>/overdue/", views.monitor_overdue, name="monitor_overdue"),
]
