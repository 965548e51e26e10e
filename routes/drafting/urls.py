from django.urls import path

from routes.drafting import views

app_name = "drafting"
urlpatterns = [
    path("", views.draft_new, name="new"),
]
