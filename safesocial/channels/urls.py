from django.urls import path

from . import views

app_name = "channels"
urlpatterns = [
    path("", views.register, name="register"),
    path("propose/", views.propose, name="propose"),
    path("acceptable-use/", views.acceptable_use, name="aup"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sign-off/", views.sign_off, name="sign_off"),
    path("<int:pk>/risks/", views.add_risk, name="add_risk"),
    path("<int:pk>/status/<str:status>/", views.set_status, name="set_status"),
    path("<int:pk>/login/", views.set_credential, name="set_credential"),
    path("<int:pk>/emergency-access/", views.break_glass, name="break_glass"),
    path("<int:pk>/access/", views.grant, name="grant"),
    path("<int:pk>/access/<int:grant_id>/revoke/", views.revoke, name="revoke"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/follows/", views.follow_add, name="follow_add"),
    path("<int:pk>/follows/<int:follow_id>/remove/", views.follow_remove, name="follow_remove"),
]
