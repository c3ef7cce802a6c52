"""The register of official channels: why each exists, its risk assessment, its sign-off, who may
post, its credentials (encrypted) and what it follows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safesocial.people.roles import ROLE_CHOICES
from safesocial.policy.schema import PLATFORM_LABELS, Platform

PLATFORM_CHOICES = [(p.value, PLATFORM_LABELS[p]) for p in Platform]


class ChannelStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    CLOSED = "closed", "Closed"


# The only moves a channel may make; services refuse any other.
CHANNEL_TRANSITIONS: dict[str, set[str]] = {
    ChannelStatus.PROPOSED: {ChannelStatus.APPROVED, ChannelStatus.CLOSED},
    ChannelStatus.APPROVED: {ChannelStatus.ACTIVE, ChannelStatus.CLOSED},
    ChannelStatus.ACTIVE: {ChannelStatus.SUSPENDED, ChannelStatus.CLOSED},
    ChannelStatus.SUSPENDED: {ChannelStatus.ACTIVE, ChannelStatus.CLOSED},
    ChannelStatus.CLOSED: set(),
}


class Delivery(models.TextChoices):
    LIVE = "live", "Live: publishes to the platform"
    SANDBOX = "sandbox", "Sandbox: publishes inside SafeSocial only"
    # Closed Facebook groups (the Groups API is gone) and any platform without a usable API: posts are reviewed in
    # SafeSocial as any other, then a poster publishes them by hand and records the link.
    MANUAL = "manual", "By hand: reviewed here, then a poster publishes it and records the link"


class Channel(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="channels")
    school = models.ForeignKey(
        "people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="channels"
    )
    platform = models.CharField(max_length=20, choices=PLATFORM_CHOICES)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.LIVE)
    manual_reason = models.TextField("Why posts are published by hand", blank=True)
    name = models.CharField(max_length=150)
    address = models.URLField("Web address", blank=True)
    external_id = models.CharField("ID on the platform", max_length=100, blank=True)
    official_email = models.EmailField("Linked official email")
    purpose = models.TextField("Purpose and objectives")
    audience = models.CharField(max_length=200)
    contributors = models.JSONField(default=list, blank=True)  # who can contribute: pupils, staff, parents, public
    time_commitment = models.CharField("Time staff will commit", max_length=200)
    success_measures = models.TextField("How success will be evaluated")
    # The policy's `channels.setup_considerations` as they stood when the channel was proposed, each with the
    # proposer's answer: [{"question": ..., "answer": ...}] (policy 003: the investment, the engagement, ...).
    setup_answers = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=ChannelStatus.choices, default=ChannelStatus.PROPOSED)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_channels")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    next_review_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school__name", "name"]
        indexes = [models.Index(fields=["trust", "status"])]
        constraints = [
            # The register says why a channel is published by hand: a closed group, or no usable API.
            models.CheckConstraint(
                condition=~models.Q(delivery="manual") | ~models.Q(manual_reason=""), name="manual_channel_says_why"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def platform_label(self) -> str:
        return PLATFORM_LABELS[Platform(self.platform)]

    @property
    def is_sandbox(self) -> bool:
        return self.delivery == Delivery.SANDBOX

    @property
    def is_manual(self) -> bool:
        return self.delivery == Delivery.MANUAL


LIKELIHOOD = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class Risk(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="risks")
    hazard = models.CharField(max_length=300)
    likelihood = models.CharField(max_length=10, choices=LIKELIHOOD)
    impact = models.CharField(max_length=10, choices=LIKELIHOOD, default="medium")
    mitigation = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.hazard


class SignOff(models.Model):
    """One signature on a channel's approval; the policy may need more than one role to sign."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="signoffs")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "role"], name="one_signoff_per_role")]

    def __str__(self) -> str:
        return f"{self.channel} signed off by {self.user} as {self.role}"


class ChannelReview(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    objectives_met = models.BooleanField()
    notes = models.TextField()

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"Review of {self.channel} on {self.reviewed_at:%d %b %Y}"


class AccessLevel(models.TextChoices):
    POSTER = "poster", "Authorised poster"
    ADMIN = "admin", "Administrator"


class ChannelAccess(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="channel_access")
    level = models.CharField(max_length=10, choices=AccessLevel.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["channel", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "user", "level"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_grant_per_level",
            ),
            models.CheckConstraint(condition=~models.Q(user=models.F("granted_by")), name="no_self_authorisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_level_display()} of {self.channel}"

    def is_current(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.revoked_at is None and self.expires_on >= today


class AcceptableUseSignature(models.Model):
    """A member of staff's signature on the trust's social media acceptable use agreement, with the exact
    text they signed (the agreement changes with the policy)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="aup_signatures")
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    signed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.signed_name} signed on {self.signed_at:%d %b %Y}"


class Credential(models.Model):
    """A channel's access token or password, encrypted with a key from the environment. Its plaintext is
    read only by the publishing service and through break-glass."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="credential")
    kind = models.CharField(max_length=10, choices=[("token", "Access token"), ("password", "Password")])
    login = models.CharField(max_length=200, blank=True)  # the username or email for a password
    ciphertext = models.BinaryField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.channel}"

    def __repr__(self) -> str:
        return f"<Credential {self.pk} for channel {self.channel_id}: ***>"


class BreakGlass(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"Emergency access to {self.channel} by {self.user}"


class Follow(models.Model):
    """A page an official account follows or likes: the register policy 001 asks for."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="follows")
    name = models.CharField(max_length=200)
    url = models.URLField()
    kind = models.CharField(max_length=10, choices=[("follow", "Follows"), ("like", "Likes")])
    commercial = models.BooleanField()
    reason = models.CharField(max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
