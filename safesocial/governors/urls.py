from django.urls import path

from . import views

app_name = "governors"
urlpatterns = [
    path("", views.index, name="index"),
]
