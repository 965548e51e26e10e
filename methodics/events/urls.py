"""URLs of events and attendance; methodics/urls.py takes them into the namespace "methodics"."""

from django.urls import path

from methodics.events import views

urlpatterns = [
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("events/<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("events/<int:pk>/attendance/add/", views.attendance_add, name="attendance_add"),
    path("events/<int:pk>/attendance/search/", views.attendance_search, name="attendance_search"),
    path("events/<int:pk>/attendance/import/", views.attendance_import, name="attendance_import"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
    path("attendance/<int:pk>/link/", views.attendance_link, name="attendance_link"),
    path("attendance/<int:pk>/add-row/", views.attendance_add_row, name="attendance_add_row"),
    path("links/<int:pk>/unlink/", views.attendance_unlink, name="attendance_unlink"),
    path("my/", views.my_events, name="my_events"),
    path("people/<int:pk>/events/", views.person_events, name="person_events"),
]
