from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("schools/<slug:key>/consent/", views.school_overview, name="overview"),
    path("schools/<slug:key>/consent/import/", views.import_view, name="import"),
    path("pupils/<int:pk>/consent/", views.record, name="record"),
    path("pupils/<int:pk>/reference-face/", views.enrol_reference, name="enrol_reference"),
    path("consent/<str:token>/", views.parent_page, name="parent"),
]
