from django.urls import path

from . import views

app_name = "governors"
urlpatterns = [
    path("", views.index, name="index"),
    path("report.pdf", views.report_pdf, name="pdf"),
]
