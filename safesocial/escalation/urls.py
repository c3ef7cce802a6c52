from django.urls import path

from . import views

app_name = "escalation"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/", views.take_step, name="take_step"),
    path("<int:pk>/steps/<int:record_pk>/correct/", views.correct_step, name="correct_step"),
    path("<int:pk>/open/", views.open_view, name="open"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/letters/preview/", views.letter_preview, name="letter_preview"),
    path("<int:pk>/letters/", views.letter_generate, name="letter_generate"),
    path("<int:pk>/letters/<int:letter_pk>.pdf", views.letter_download, name="letter_download"),
]
