from django.urls import path

from routes.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.resource_list, name="list"),
    path("new/", views.resource_create, name="create"),
    path("<int:pk>/edit/", views.resource_edit, name="edit"),
    path("<int:pk>/link/", views.resource_link, name="link"),
    path("<int:pk>/add-to-route/", views.resource_add_to_route, name="add_to_route"),
]
