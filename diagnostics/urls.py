from django.urls import path  # noqa: F401

app_name = "diagnostics"
urlpatterns: list = []
