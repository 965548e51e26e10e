"""URLs of municipal projects; methodics/urls.py takes them into the namespace "methodics"."""

from django.urls import path

from methodics.projects import views

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/texts/", views.project_texts, name="project_texts"),
    path("projects/<int:pk>/participants/search/", views.participant_search, name="participant_search"),
    path("projects/<int:pk>/participants/add/", views.participant_add, name="participant_add"),
    path("projects/<int:pk>/refresh/", views.project_refresh, name="project_refresh"),
    path("participants/<int:pk>/", views.participant_steps, name="participant_steps"),
    path("participants/<int:pk>/remove/", views.participant_remove, name="participant_remove"),
    path("steps/<int:pk>/delete/", views.step_delete, name="step_delete"),
]
