from django.urls import path

from routes import document_views

# No namespace: routes.urls owns the "routes" namespace, these two names stand alone.
urlpatterns = [
    path("<int:pk>/document.pdf", document_views.iom_pdf_view, name="iom_pdf"),
    path("<int:pk>/document.docx", document_views.iom_docx_view, name="iom_docx"),
]
