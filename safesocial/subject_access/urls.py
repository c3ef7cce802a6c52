from django.urls import path

from . import views

app_name = "subject_access"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/redact/", views.redact, name="redact"),
    path("<int:pk>/redact/<int:mark>/remove/", views.unredact, name="unredact"),
    path("<int:pk>/sent/", views.sent, name="sent"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/response.<str:fmt>", views.download, name="download"),
]
