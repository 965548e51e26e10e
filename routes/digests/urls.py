"""«Рассылки» under /digests/ (namespace "digests"): the user's choice; the unsubscribe link of an e-mail."""

from django.urls import path

from routes.digests import views

app_name = "digests"
urlpatterns = [
    path("", views.digest_page, name="page"),
    path("off/<str:token>/", views.digest_unsubscribe, name="unsubscribe"),
]
