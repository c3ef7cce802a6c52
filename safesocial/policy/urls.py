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
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/start/", views.review_start, name="review_start"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/save/", views.review_save, name="review_save"),
    path("reviews/<int:pk>/submit/", views.review_submit, name="review_submit"),
    path("reviews/<int:pk>/approve/", views.review_approve, name="review_approve"),
    path("reviews/<int:pk>/return/", views.review_return, name="review_return"),
    path("reviews/<int:pk>/note/", views.review_note, name="review_note"),
]
