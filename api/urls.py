from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from api import views
from api.schema import SchemaView

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("staff", views.StaffViewSet, basename="staff")
router.register("routes", views.RouteViewSet, basename="route")
router.register("deficits", views.DeficitViewSet, basename="deficit")

urlpatterns = [
    *router.urls,
    path("figures/", views.FigureListView.as_view(), name="figure_list"),
    path("figures/<slug:code>/", views.FigureDetailView.as_view(), name="figure_detail"),
    path("imports/", views.ImportKindListView.as_view(), name="import_kinds"),
    path("imports/jobs/<uuid:id>/", views.ImportJobView.as_view(), name="import_job"),
    path("imports/<slug:kind>/", views.ImportUploadView.as_view(), name="import_upload"),
    path("schema/", SchemaView.as_view(), name="schema"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="not_found"),
]
