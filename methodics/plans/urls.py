"""URLs of the programmes of help; methodics/urls.py takes them into the namespace "methodics"."""

from django.urls import path

from methodics.plans import views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/directions/new/", views.direction_create, name="direction_create"),
    path("plans/<int:pk>/activities/new/", views.plan_activity_create, name="plan_activity_create"),
    path("plan-activities/<int:pk>/edit/", views.plan_activity_edit, name="plan_activity_edit"),
    path("plan-activities/<int:pk>/toggle/", views.plan_activity_toggle, name="plan_activity_toggle"),
    path("plan-activities/<int:pk>/delete/", views.plan_activity_delete, name="plan_activity_delete"),
]
