from django.urls import path

from routes import catalog_views

app_name = "catalog"
urlpatterns = [
    path("", catalog_views.resource_list, name="list"),
    path("new/", catalog_views.resource_create, name="create"),
    path("<int:pk>/edit/", catalog_views.resource_edit, name="edit"),
    path("<int:pk>/link/", catalog_views.resource_link, name="link"),
]
