"""«Календарь сроков» under /calendar/ (namespace "calendar"): the page, its two buttons, the feed."""

from django.urls import path

from routes.calendar import views

app_name = "calendar"
urlpatterns = [
    path("", views.calendar_page, name="page"),
    path("create/", views.calendar_create, name="create"),
    path("revoke/", views.calendar_revoke, name="revoke"),
    path("<str:token>.ics", views.calendar_feed, name="feed"),
]
