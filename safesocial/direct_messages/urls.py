from django.urls import path

from . import views

app_name = "direct_messages"
urlpatterns = [
    path("messages/", views.message_list, name="list"),
    # A sandbox page's private messages, beside the page itself (/sandbox/<pk>/).
    path("sandbox/<int:pk>/messages/", views.sandbox_conversation, name="sandbox"),
    path("sandbox/<int:pk>/messages/send/", views.sandbox_send, name="sandbox_send"),
]
