"""URLs of mentoring; methodics/urls.py takes them into the namespace "methodics"."""

from django.urls import path

from methodics.mentoring import views

urlpatterns = [
    path("mentoring/", views.mentoring, name="mentoring"),
    path("mentoring/<int:organisation_pk>/new/", views.pair_create, name="pair_create"),
    path("mentoring/pairs/<int:pk>/end/", views.pair_end, name="pair_end"),
    path("mentoring/<int:organisation_pk>/young-mentors/", views.young_mentors, name="young_mentors"),
]
