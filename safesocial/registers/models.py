"""The registers the policy keeps beside concerns: staff's disclosures of social media friendships with families,
requests to unblock a wrongly filtered website, risk assessments of platforms for remote learning and approvals of
AI tools. Each is decided by the role the trust's policy names, never by the person who asked."""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.utils import timezone

PERSONAL_PLATFORMS = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("whatsapp", "WhatsApp"),
    ("snapchat", "Snapchat"),
    ("tiktok", "TikTok"),
    ("x", "X (formerly Twitter)"),
    ("linkedin", "LinkedIn"),
    ("other", "Other"),
]
PLATFORM_NAMES = dict(PERSONAL_PLATFORMS)


def normalise_name(name: str) -> str:
    """'  Zoë  O'Brien-Smith ' and 'zoe obrien smith' are the same name for matching."""
    plain = name.replace("'", "").replace("\u2019", "")
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


class FriendshipStatus(models.TextChoices):
    AWAITING = "awaiting", "Waiting for a decision"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn (no longer applies)"


FRIENDSHIP_TRANSITIONS: dict[str, set[str]] = {
    FriendshipStatus.AWAITING: {FriendshipStatus.DECIDED, FriendshipStatus.WITHDRAWN},
    # An update by the declarer asks for a fresh decision.
    FriendshipStatus.DECIDED: {FriendshipStatus.AWAITING, FriendshipStatus.WITHDRAWN},
    FriendshipStatus.WITHDRAWN: set(),
}


class FriendshipDecision(models.TextChoices):
    MAY_CONTINUE = "may_continue", "The friendship may continue online, with the advice given"
    LIMIT = "limit", "Limit contact: for example, hide or restrict what the family sees"
    END_ONLINE = "end_online", "End the connection on social media while the child is at the school"


class FriendshipDeclaration(models.Model):
    """A member of staff's pre-existing relationship with a pupil or family ('Disclosure of Social Media Friends')."""

    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="friendship_declarations")
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="friendship_declarations")
    declarer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="friendships")
    pupils = models.ManyToManyField("people.Pupil", blank=True, related_name="+")
    parents = models.ManyToManyField("people.ParentCarer", blank=True, related_name="+")
    family_names = models.TextField(
        "Names not on the school's records", blank=True
    )  # one a line, for a family not yet at the school
    nature = models.TextField("The relationship")
    platforms = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=FriendshipStatus.choices, default=FriendshipStatus.AWAITING)
    declared_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=FriendshipDecision.choices, blank=True)
    advice = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    confirmed_on = models.DateField()  # declared or last re-confirmed by the declarer
    reconfirm_due = models.DateField()
    needs_update_at = models.DateTimeField(null=True, blank=True)  # a named person joined the school's records
    needs_update_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-declared_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("declarer")), name="friendship_not_decided_by_declarer"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="decided") | (models.Q(decided_by__isnull=False) & ~models.Q(decision="")),
                name="friendship_decided_has_decider",
            ),
        ]

    def __str__(self) -> str:
        return f"Friendship declaration {self.pk}"

    @property
    def platform_labels(self) -> list[str]:
        return [PLATFORM_NAMES.get(p, p) for p in self.platforms]

    @property
    def name_lines(self) -> list[str]:
        return [line.strip() for line in self.family_names.splitlines() if line.strip()]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status != FriendshipStatus.WITHDRAWN and self.reconfirm_due < today


class UnblockStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for IT support"
    REFERRED = "referred", "Referred to senior leaders"
    APPROVED = "approved", "Approved: to be unblocked"
    DECLINED = "declined", "Declined"


UNBLOCK_TRANSITIONS: dict[str, set[str]] = {
    UnblockStatus.REQUESTED: {UnblockStatus.APPROVED, UnblockStatus.DECLINED, UnblockStatus.REFERRED},
    UnblockStatus.REFERRED: {UnblockStatus.APPROVED, UnblockStatus.DECLINED},
    UnblockStatus.APPROVED: set(),
    UnblockStatus.DECLINED: set(),
}


class UnblockRequest(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="unblock_requests")
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="unblock_requests")
    url = models.URLField("Web address", max_length=500)
    reason = models.TextField("Why it is needed")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=UnblockStatus.choices, default=UnblockStatus.REQUESTED)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(null=True, blank=True)
    referral_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["school", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("requested_by")), name="unblock_not_decided_by_requester"
            ),
            models.CheckConstraint(
                condition=~models.Q(referred_by=models.F("requested_by")), name="unblock_not_referred_by_requester"
            ),
        ]

    def __str__(self) -> str:
        return f"Unblock request {self.pk}"


class ApprovalStatus(models.TextChoices):
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Not approved"


APPROVAL_TRANSITIONS: dict[str, set[str]] = {
    ApprovalStatus.SUBMITTED: {ApprovalStatus.APPROVED, ApprovalStatus.DECLINED},
    ApprovalStatus.APPROVED: set(),
    ApprovalStatus.DECLINED: set(),
}


class Approval(models.Model):
    """What a risk assessment and an AI tool approval share: who asked, who decided and when to review."""

    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField("What it will be used for")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    review_on = models.DateField("Review by")

    class Meta:
        abstract = True
        ordering = ["-submitted_at", "-pk"]

    def is_review_due(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == ApprovalStatus.APPROVED and self.review_on < today


class RemoteLearningAssessment(Approval):
    """A risk assessment for using an app or social platform for remote learning."""

    platform = models.CharField("App or platform", max_length=200)
    year_groups = models.CharField("Year groups", max_length=100)
    data_protection = models.TextField("Data protection")
    age_limits = models.TextField("Age limits")
    risks = models.TextField("Risks and how they are reduced")

    class Meta(Approval.Meta):
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("submitted_by")), name="remote_not_decided_by_submitter"
            )
        ]

    def __str__(self) -> str:
        return f"Remote learning: {self.platform}"


class AiToolApproval(Approval):
    tool = models.CharField("AI tool", max_length=200)
    data_shared = models.TextField("Data it is given")
    age_restrictions = models.TextField("Age restrictions")
    risks = models.TextField("Risks and how they are reduced")

    class Meta(Approval.Meta):
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(decided_by=models.F("submitted_by")), name="ai_tool_not_decided_by_submitter"
            )
        ]

    def __str__(self) -> str:
        return f"AI tool: {self.tool}"
