"""The URLs of methodical support: the hub, then each feature's (methodics/<feature>/urls.py).

The features' patterns are joined into this one list, not include()d: every URL name stays in the
one namespace "methodics" (methodics:event_list, methodics:mentoring, …) whatever package serves it.
"""

from django.urls import path

from methodics import views
from methodics.events import urls as events
from methodics.mentoring import urls as mentoring
from methodics.plans import urls as plans
from methodics.projects import urls as projects

app_name = "methodics"

urlpatterns = [
    path("", views.index, name="index"),
    *events.urlpatterns,
    *mentoring.urlpatterns,
    *plans.urlpatterns,
    *projects.urlpatterns,
]
