from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.index, name="index"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("record/", views.record_training, name="record"),
    path("records/<int:pk>/decide/", views.decide, name="decide"),
    path("records/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("overdue/", views.overdue, name="overdue"),
    path("quiz/", views.quiz_view, name="quiz"),
    path("quiz/<uuid:token>/", views.quiz_result, name="quiz_result"),
    path("quiz/<uuid:token>/certificate.pdf", views.certificate, name="certificate"),
    path("completion/", views.completion, name="completion"),
    path("completion/<slug:key>/", views.school_completion, name="school"),
    path("completion/<slug:key>/class/", views.class_view, name="class"),
    path("completion/<slug:key>/letters/", views.letters, name="letters"),
]
