from django.urls import path

from routes import drafting_views

app_name = "drafting"
urlpatterns = [
    path("", drafting_views.draft_new, name="new"),
]
