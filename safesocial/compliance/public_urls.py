from django.urls import path

from . import views

app_name = "compliance_public"
urlpatterns = [
    path("schools/", views.public_schools, name="schools"),
    path("schools/<int:school_id>/", views.public_school, name="school"),
    path("schools/<int:school_id>/policy/", views.public_policy, name="policy"),
    path("schools/<int:school_id>/policy.pdf", views.public_policy_pdf, name="policy_pdf"),
    path("acknowledge/", views.code_entry, name="code"),
    path("acknowledge/<str:token>/", views.family_acknowledge, name="acknowledge"),
]
