from django.urls import path

from core.imports import views

urlpatterns = [
    path("", views.import_index, name="import_index"),
    path("<slug:kind>/", views.import_upload, name="import_upload"),
    path("<slug:kind>/template.xlsx", views.import_template, name="import_template"),
    path("<slug:kind>/export.xlsx", views.import_export, name="import_export"),
    path("<slug:kind>/<uuid:token>/", views.import_preview, name="import_preview"),
    path("<slug:kind>/<uuid:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("<slug:kind>/<uuid:token>/job/", views.import_job, name="import_job"),
]
