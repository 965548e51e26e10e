"""The route and its content: included in the "routes" namespace by routes/urls.py."""

from django.urls import path

from routes.roadmap import views

urlpatterns = [
    path("my/", views.my_routes, name="my_routes"),
    path("new/", views.route_create, name="route_create"),
    path("<int:pk>/", views.route_detail, name="route_detail"),
    path("<int:pk>/note/", views.route_note, name="route_note"),
    path("<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("<int:pk>/activities/catalog/", views.activity_catalog, name="activity_catalog"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/move/", views.activity_move, name="activity_move"),
    path("activities/<int:pk>/done/", views.activity_done, name="activity_done"),
    path("activities/<int:pk>/undone/", views.activity_undone, name="activity_undone"),
    path("activities/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment_resolve"),
]
