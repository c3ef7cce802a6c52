from django.urls import path

from . import views

app_name = "registers"
urlpatterns = [
    path("", views.index, name="index"),
    path("friendships/new/", views.friendship_new, name="friendship_new"),
    path("friendships/<int:pk>/", views.friendship_detail, name="friendship"),
    path("friendships/<int:pk>/update/", views.friendship_edit, name="friendship_edit"),
    path("friendships/<int:pk>/decide/", views.friendship_decide, name="friendship_decide"),
    path("friendships/<int:pk>/reconfirm/", views.friendship_reconfirm, name="friendship_reconfirm"),
    path("friendships/<int:pk>/withdraw/", views.friendship_withdraw, name="friendship_withdraw"),
    path("unblock/new/", views.unblock_new, name="unblock_new"),
    path("unblock/<int:pk>/", views.unblock_detail, name="unblock"),
    path("unblock/<int:pk>/decide/", views.unblock_decide, name="unblock_decide"),
    path("<slug:kind>/new/", views.approval_new, name="approval_new"),
    path("<slug:kind>/<int:pk>/", views.approval_detail, name="approval"),
    path("<slug:kind>/<int:pk>/decide/", views.approval_decide, name="approval_decide"),
]
