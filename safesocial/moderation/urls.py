from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.comment_detail, name="comment"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
]
