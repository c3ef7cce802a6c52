from django.urls import path

from . import views

app_name = "concerns"
urlpatterns = [
    path("", views.concern_list, name="list"),
    path("report/", views.concern_list, name="report"),  # the report form replaces this
    path("<int:pk>/", views.concern_detail, name="detail"),
]
