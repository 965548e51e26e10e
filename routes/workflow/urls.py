"""The ИОМ lifecycle's pages: included in the "routes" namespace by routes/urls.py."""

from django.urls import path

from routes.workflow import views

urlpatterns = [
    path("<int:pk>/action/<slug:action>/", views.route_action, name="route_action"),
    path("<int:pk>/history/", views.route_history_page, name="route_history"),
    # deputy and methodists
    path("<int:pk>/review/", views.route_review, name="route_review"),
    path("review/", views.review_queue, name="review_queue"),
    path("credit/", views.credit_queue, name="credit_queue"),
    path("credit/bulk/", views.credit_bulk, name="credit_bulk"),
]
