from django.urls import include, path

from safesocial.channels import views as channel_views
from safesocial.moderation import views as moderation_views
from safesocial.publishing import views as publishing_views

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("", include("safesocial.ops.urls")),
    path("setup/", include(("safesocial.policy.setup_urls", "setup"))),
    path("accounts/", include("allauth.urls")),
    # Public pages for parents and pupils (no account needed), before people's staff pages, whose school page
    # would otherwise catch /schools/<id>/.
    path("", include("safesocial.concerns.public_urls")),
    path("", include("safesocial.compliance.public_urls")),
    path("", include("safesocial.people.urls")),
    path("policy/", include("safesocial.policy.urls")),
    path("audit/", include("safesocial.audit.urls")),
    path("channels/", include("safesocial.channels.urls")),
    path("", include("safesocial.consent.urls")),
    path("posts/", include("safesocial.publishing.urls")),
    path("sandbox/<int:pk>/", channel_views.sandbox, name="sandbox"),
    path("media/public/<str:name>", publishing_views.public_image, name="public_image"),
    path("sandbox/<int:pk>/<int:post_id>/<int:index>/", channel_views.sandbox_image, name="sandbox_image"),
    path("sandbox/<int:pk>/<int:post_id>/comment/", channel_views.sandbox_comment, name="sandbox_comment"),
    path("comments/", include("safesocial.moderation.urls")),
    path("webhooks/meta/", moderation_views.meta_webhook, name="meta_webhook"),
    path("concerns/", include("safesocial.concerns.urls")),
    path("", include("safesocial.direct_messages.urls")),
    path("escalation/", include("safesocial.escalation.urls")),
    path("registers/", include("safesocial.registers.urls")),
    path("training/", include("safesocial.compliance.urls")),
    path("reports/", include("safesocial.governors.urls")),
    path("subject-access/", include("safesocial.subject_access.urls")),
]
