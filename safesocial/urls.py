from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("setup/", include(("safesocial.policy.setup_urls", "setup"))),
    path("accounts/", include("allauth.urls")),
    path("", include("safesocial.people.urls")),
    path("policy/", include("safesocial.policy.urls")),
    path("audit/", include("safesocial.audit.urls")),
]
