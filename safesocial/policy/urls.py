from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.document, name="document"),
    path("policy.pdf", views.document_pdf, name="pdf"),
    path("explained/", views.explained, name="explained"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:number>/", views.document, name="version"),
    path("versions/<int:number>/policy.pdf", views.document_pdf, name="version_pdf"),
    path("versions/<int:number>/policy.yaml", views.version_source, name="version_source"),
    path("adopt/", views.adopt, name="adopt"),
]
