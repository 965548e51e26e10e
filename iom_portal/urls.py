from django.contrib import admin
from django.urls import include, path

from iom_portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
    path("help/<slug:slug>/", views.help_guide, name="help_guide"),
    path("admin/", admin.site.urls),
    path("", include("core.urls")),
    path("", include("schools.urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("catalog/", include("routes.catalog.urls")),
    path("calendar/", include("routes.calendar.urls")),
    path("digests/", include("routes.digests.urls")),
    path("routes/draft/", include("routes.drafting.urls")),
    path("routes/", include("routes.urls")),
    path("routes/", include("routes.documents.urls")),
    path("methodics/", include("methodics.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("api.urls")),
]

handler500 = "iom_portal.views.server_error"
