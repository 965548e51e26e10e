"""The "routes" namespace, under /routes/: the route and its content (routes/roadmap/urls.py) and its
lifecycle (routes/workflow/urls.py) and the implementation monitor (routes/monitor/urls.py) share it, so every page keeps its name `routes:<name>`.

The other features name their own: routes/catalog/urls.py ("catalog", under /catalog/),
routes/drafting/urls.py ("drafting", under /routes/draft/), routes/documents/urls.py (no namespace).
"""

from django.urls import include, path

app_name = "routes"
urlpatterns = [
    path("", include("routes.roadmap.urls")),
    path("", include("routes.workflow.urls")),
    path("", include("routes.monitor.urls")),
]
