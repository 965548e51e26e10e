from django.urls import path

from diagnostics import views

app_name = "diagnostics"
urlpatterns = [
    path("", views.my_diagnostics, name="my"),
    path("framework/", views.framework, name="framework"),
    path("self/<int:pk>/", views.self_assessment, name="self_assessment"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("people/<int:pk>/", views.person_diagnostics, name="person"),
    path("people/<int:pk>/assess/", views.assessment_create, name="assessment_create"),
    path("people/<int:pk>/deficits/new/", views.deficit_add, name="deficit_add"),
    path("deficits/<int:pk>/dismiss/", views.deficit_dismiss, name="deficit_dismiss"),
    path("schools/", views.overview, name="overview"),
    path("schools/<int:pk>/", views.school, name="school"),
]
