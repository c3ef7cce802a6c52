from django.urls import path

from . import views

app_name = "concerns_public"
urlpatterns = [
    path("schools/<int:school_id>/report/", views.public_report, name="report"),
]
