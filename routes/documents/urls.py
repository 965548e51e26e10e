from django.urls import path

from routes.documents import views

# No namespace: routes.urls owns the "routes" namespace, these two names stand alone.
urlpatterns = [
    path("<int:pk>/document.pdf", views.iom_pdf_view, name="iom_pdf"),
    path("<int:pk>/document.docx", views.iom_docx_view, name="iom_docx"),
]
