"""Safeguarding concerns. Seen only by the people the trust's policy names; every read and write is audited.

A concern's record is append-only while it is kept: its chronology and its evidence cannot be changed (the database
refuses it), corrections are new entries. At the end of its retention period the DSL reviews it and either keeps it,
saying why, or destroys it (services.concern_destroy, the only way anything is deleted); a legal hold blocks that."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from .referrals import CHOICES as REFERRAL_CHOICES
from .referrals import REQUIRED as REFERENCE_REQUIRED
from .triage import ANSWERS
from .types import CHOICES, PLATFORMS


class AppendOnlyError(Exception):
    """A chronology entry or an evidence file was about to be changed or deleted."""


class ConcernKind(models.TextChoices):
    # Kept for moderation, which names these two; every kind is in types.TYPES.
    COMMENT_DISCLOSURE = "comment_disclosure", "A comment on an official channel that may disclose a risk to a child"
    COMMENT_THREAT = "comment_threat", "A threatening comment on an official channel"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


# The only changes of status there are: closing needs a debrief (services.concern_close); reopening is recorded.
TRANSITIONS: dict[str, frozenset[str]] = {
    ConcernStatus.OPEN: frozenset({ConcernStatus.CLOSED}),
    ConcernStatus.CLOSED: frozenset({ConcernStatus.OPEN}),
}


class Source(models.TextChoices):
    STAFF = "staff", "A member of staff"
    PUBLIC = "public", "A parent, pupil or member of the public"
    MODERATION = "moderation", "SafeSocial's moderation"


class Route(models.TextChoices):
    """Who receives it: the safeguarding team, or (for a concern about a member of staff) the people the policy
    names for that, never the person it is about."""

    SAFEGUARDING = "safeguarding", "The safeguarding team"
    STAFF = "staff", "About a member of staff"
    HEAD = "head", "About the head"
    LEADER = "leader", "About the trust's leader"


class ParentsInformed(models.TextChoices):
    NOT_YET = "not_yet", "Not yet"
    YES = "yes", "Yes"
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate (recorded why in the chronology)"


class ConcernQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnlyError("Safeguarding concerns are never deleted; records past retention are flagged for review.")


class Concern(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="concerns")
    school = models.ForeignKey(
        "people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    reference = models.CharField(max_length=16, unique=True, null=True, blank=True)
    kind = models.CharField(max_length=30, choices=CHOICES)
    summary = models.TextField()
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.STAFF)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: raised by SafeSocial from a comment, or by a parent or pupil on the public form
    reporter_name = models.CharField(max_length=150, blank=True)  # public form only
    reporter_contact = models.CharField(max_length=200, blank=True)
    reporter_relationship = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    occurred_at = models.DateTimeField(null=True, blank=True)  # when it happened, not when it was reported
    platform = models.CharField(max_length=20, choices=PLATFORMS, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    account_handle = models.CharField(max_length=200, blank=True)
    route = models.CharField(max_length=12, choices=Route.choices, default=Route.SAFEGUARDING)
    status = models.CharField(max_length=10, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    # The case record: what was decided and done, each change also a chronology entry.
    outcome = models.TextField(blank=True)
    parents_informed = models.CharField(max_length=16, choices=ParentsInformed.choices, default=ParentsInformed.NOT_YET)
    advice_sought_on = models.DateField(null=True, blank=True)
    police_referred_on = models.DateField(null=True, blank=True)
    platform_reported_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The debrief, read by the policy's annual review (selectors.lessons_for_review).
    lessons = models.TextField(blank=True)
    policy_change = models.BooleanField(default=False)
    curriculum_change = models.BooleanField(default=False)
    retain_until = models.DateField(null=True, blank=True)
    retention_rule = models.CharField(max_length=200, blank=True)  # why `retain_until` is that date: for the tombstone
    # A legal hold (litigation, a police investigation, an inquiry) blocks destruction until it is lifted.
    legal_hold_reason = models.TextField(blank=True)
    legal_hold_at = models.DateTimeField(null=True, blank=True)
    legal_hold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Destroyed at the end of retention (services.concern_destroy): the row stays, emptied, so counts and the audit
    # trail still add up; what it was and under which rule is in the audit tombstone.
    destroyed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Triage: a level on the trust's scale (policy `concerns.triage_levels`), first from the reporter's answers,
    # then confirmed or changed by the DSL. `triaged_at` starts the chase clock for an immediate risk.
    triage_level = models.CharField(max_length=40, blank=True)
    at_risk_now = models.CharField(max_length=8, choices=ANSWERS, blank=True)
    harm_likely = models.CharField(max_length=8, choices=ANSWERS, blank=True)
    triaged_at = models.DateTimeField(null=True, blank=True)
    triage_confirmed_at = models.DateTimeField(null=True, blank=True)
    triage_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Someone who receives it has said they are dealing with it: the dashboard banner and the chase stop.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chased_at = models.DateTimeField(null=True, blank=True)
    # The comments moderation hid and passed here (services.concern_raise_for_comment). The link is held on this,
    # the higher floor: moderation only knows a comment is kept for a concern (Comment.kept_for_concern).
    comments = models.ManyToManyField("moderation.Comment", blank=True, related_name="+")

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Who sees what is decided by route and school (selectors._managed_q); lists are newest first.
            models.Index(fields=["trust", "route", "created_at"], name="concern_route_recent_idx"),
            models.Index(fields=["trust", "route", "status", "created_at"], name="concern_route_status_idx"),
            models.Index(fields=["trust", "school", "route", "created_at"], name="concern_school_recent_idx"),
            models.Index(fields=["trust", "school", "route", "status"], name="concern_school_status_idx"),
            models.Index(fields=["trust", "created_at", "route", "platform", "school"], name="concern_platform_idx"),
            models.Index(fields=["trust", "retain_until"], name="concern_retention_idx"),
            models.Index(fields=["reported_by", "created_at"], name="concern_reporter_idx"),
            models.Index(fields=["trust", "closed_at"], name="concern_closed_idx"),
            # The list's order (open first, the triage level, oldest first) read from the index alone, without the
            # rows: what the list sorts before it reads one page of whole concerns (PostgreSQL; elsewhere a plain
            # index on these fields).
            models.Index(
                fields=["trust", "route", "status", "triage_level", "created_at"],
                include=["id", "school", "kind"],
                condition=models.Q(destroyed_at__isnull=True),
                name="concern_list_order_idx",
            ),
            # The banner and the chase: open concerns nobody has acknowledged yet (few at any time).
            models.Index(
                fields=["trust", "triage_level", "triaged_at"],
                condition=models.Q(status="open", acknowledged_at__isnull=True),
                name="concern_unacknowledged_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=ConcernStatus.OPEN) | models.Q(closed_at__isnull=False),
                name="concern_closed_has_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(source="staff") | models.Q(reported_by__isnull=False),
                name="concern_staff_report_has_reporter",
            ),
        ]

    def __str__(self) -> str:
        return f"Concern {self.pk}"

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Safeguarding concerns are never deleted; records past retention are flagged for review.")

    @property
    def type(self):
        from .types import BY_KEY

        return BY_KEY.get(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status == ConcernStatus.OPEN

    @property
    def platform_label(self) -> str:
        return self.get_platform_display() if self.platform else ""


class LinkKind(models.TextChoices):
    PUPIL = "pupil", "Pupil"
    PARENT = "parent", "Parent or carer"
    STAFF = "staff", "Member of staff"
    ACCOUNT = "account", "Online account"


class LinkRole(models.TextChoices):
    SUBJECT = "subject", "The concern is about them"
    INVOLVED = "involved", "Involved or affected"


class ConcernLink(models.Model):
    """A person or an account the concern names. Links to a school's records where there is one; an online account
    is kept as typed and as a normalised key (platform:handle) so the same account is found across concerns."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="links")
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=LinkKind.choices)
    role = models.CharField(max_length=10, choices=LinkRole.choices, default=LinkRole.INVOLVED)
    pupil = models.ForeignKey("people.Pupil", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("people.ParentCarer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    platform = models.CharField(max_length=20, choices=PLATFORMS, blank=True)
    handle = models.CharField(max_length=200, blank=True)
    account_key = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)  # the concern's time, for pattern windows
    # Copied from the concern (and kept in step when it is rerouted) so the pattern page groups links without
    # joining 50,000 concerns.
    school = models.ForeignKey("people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(max_length=12, choices=Route.choices, default=Route.SAFEGUARDING)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind", "pk"]
        indexes = [
            models.Index(fields=["trust", "created_at", "route", "school"], name="link_window_idx"),
            models.Index(fields=["staff", "role"], name="link_staff_subject_idx"),
            models.Index(fields=["pupil"], name="link_pupil_idx"),
            models.Index(fields=["parent"], name="link_parent_idx"),
            models.Index(fields=["trust", "account_key"], name="link_account_idx"),
            # The patterns (and the dashboard's count of them) group a year's links by what they name: read in that
            # order from the index alone, they need no sort of every link (PostgreSQL; elsewhere a plain index).
            models.Index(
                fields=["trust", "route", "kind", "pupil", "parent", "staff", "account_key"],
                include=["created_at", "concern", "school"],
                name="link_pattern_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="pupil", pupil__isnull=False, parent__isnull=True, staff__isnull=True)
                    | models.Q(kind="parent", parent__isnull=False, pupil__isnull=True, staff__isnull=True)
                    | models.Q(kind="staff", staff__isnull=False, pupil__isnull=True, parent__isnull=True)
                    | (
                        models.Q(kind="account", pupil__isnull=True, parent__isnull=True, staff__isnull=True)
                        & ~models.Q(account_key="")
                    )
                ),
                name="link_names_exactly_one_thing",
            ),
            models.UniqueConstraint(
                fields=["concern", "staff", "role"], condition=models.Q(kind="staff"), name="link_staff_once"
            ),
            models.UniqueConstraint(
                fields=["concern", "pupil"], condition=models.Q(kind="pupil"), name="link_pupil_once"
            ),
            models.UniqueConstraint(
                fields=["concern", "parent"], condition=models.Q(kind="parent"), name="link_parent_once"
            ),
            models.UniqueConstraint(
                fields=["concern", "account_key"], condition=models.Q(kind="account"), name="link_account_once"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == LinkKind.PUPIL:
            return str(self.pupil)
        if self.kind == LinkKind.PARENT:
            return str(self.parent)
        if self.kind == LinkKind.STAFF:
            return str(self.staff)
        return f"{self.handle} ({self.get_platform_display() or 'platform not known'})"


def _evidence_path(instance: Evidence, filename: str) -> str:
    # Outside any public URL: served only through the evidence view, to those who may see the concern.
    return f"private/concerns/{instance.concern_id}/{timezone.now():%Y%m%d%H%M%S}-{instance.sha256[:12]}"


class Evidence(models.Model):
    """A file as it was received. Its SHA-256 is taken on upload; the row is never changed (the database refuses
    it) and the file is checked against the hash on every download."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=80)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: sent with the public form
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.original_name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Evidence is kept as it was received and never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Evidence is never deleted.")


class EntryKind(models.TextChoices):
    REPORTED = "reported", "Reported"
    NOTE = "note", "Note"
    LINKED = "linked", "Person or account linked"
    EVIDENCE = "evidence", "Evidence added"
    EVIDENCE_REFUSED = "evidence_refused", "File refused"
    ACTION = "action", "Action set"
    ACTION_DONE = "action_done", "Action done"
    PARENTS = "parents", "Parents informed"
    ADVICE = "advice", "Advice sought"
    POLICE = "police", "Referred to the police"
    PLATFORM = "platform", "Reported to the platform"
    OUTCOME = "outcome", "Outcome recorded"
    CLOSED = "closed", "Closed with a debrief"
    REOPENED = "reopened", "Reopened"
    RETENTION = "retention", "Retention reviewed"
    LEGAL_HOLD = "legal_hold", "Legal hold set or lifted"
    TRIAGE = "triage", "Level confirmed or changed"
    REFERRAL = "referral", "Referral made"
    REFERRAL_OUTCOME = "referral_outcome", "Referral outcome"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CHASED = "chased", "Chased: not acknowledged"
    TRANSFER = "transfer", "Records transferred with the pupil"
    CORRECTION = "correction", "Correction"


class ChronologyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The chronology is append-only: add a correction instead.")

    def delete(self):
        raise AppendOnlyError("The chronology is append-only: nothing is deleted.")


class ChronologyEntry(models.Model):
    """Who did what, and when. Never changed or deleted: a correction is a new entry naming the one it corrects."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="chronology")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=200)  # kept as it was, so the record never depends on a join
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    text = models.TextField()
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")

    objects = ChronologyQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "chronology entries"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="correction") | models.Q(corrects__isnull=False),
                name="correction_names_its_entry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.actor_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The chronology is append-only: add a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The chronology is append-only: nothing is deleted.")


class ActionStatus(models.TextChoices):
    OPEN = "open", "To do"
    DONE = "done", "Done"


class CaseAction(models.Model):
    """Something to do on a case, by someone, by a date. Setting it and finishing it are chronology entries."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="actions")
    description = models.CharField(max_length=300)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["status", "due_on", "pk"]
        indexes = [models.Index(fields=["assigned_to", "status", "due_on"], name="action_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", done_at__isnull=True)
                | models.Q(status="done", done_at__isnull=False),
                name="action_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()


class Referral(models.Model):
    """A referral to, or advice from, an outside body (referrals.KINDS): to whom, when, its reference, and what came
    back. Making it and hearing back are chronology entries; the follow-up is a case action, so it shows in the
    list's next action and goes overdue like any other."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=12, choices=REFERRAL_CHOICES)
    made_on = models.DateField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact = models.CharField(max_length=200, blank=True)  # who it went to: a named person or team
    reference = models.CharField(max_length=100, blank=True)
    details = models.TextField(blank=True)
    outcome = models.TextField(blank=True)  # for the LADO: the LADO's decision
    outcome_on = models.DateField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up = models.OneToOneField(
        CaseAction, null=True, blank=True, on_delete=models.PROTECT, related_name="referral"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["made_on", "pk"]
        indexes = [models.Index(fields=["concern", "kind"], name="referral_concern_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=REFERENCE_REQUIRED) | ~models.Q(reference=""),
                name="referral_required_reference",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome_on__isnull=False),
                name="referral_outcome_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.reference or 'no reference'})"


class PatternAlert(models.Model):
    """The policy's pattern threshold was crossed for one person, account or platform. Recorded so the alert is
    sent once per window; its key names an id or a normalised account, never what happened."""

    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=170)
    count = models.PositiveIntegerField()
    raised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["trust", "key", "-raised_at"], name="pattern_alert_idx")]

    def __str__(self) -> str:
        return f"Pattern {self.key}"


class ListVisit(models.Model):
    """When someone last looked at the concern list, so it can mark what is new since their previous visit. A
    bookmark, not part of any record: `before_at` moves only when a look starts a new visit (services.LIST_VISIT_GAP
    after the last), so filtering a moment later still shows what was new."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    last_at = models.DateTimeField()
    before_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"List visit of {self.user_id}"


class RecordTransfer(models.Model):
    """A pupil's social-media safeguarding records going with them to another school (KCSIE: within five school days
    of the move). Inside the trust the concerns move at once; outside it, an export package is sent, and this records
    to whom, by when, and when it went."""

    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")
    pupil = models.ForeignKey("people.Pupil", on_delete=models.PROTECT, related_name="+")
    from_school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey(
        "people.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # empty: a school outside the trust, named in `destination`
    destination = models.CharField(max_length=200, blank=True)
    recipient = models.CharField(max_length=200, blank=True)  # the receiving DSL: name and how to reach them
    moved_on = models.DateField()
    due_on = models.DateField()
    concerns = models.ManyToManyField(Concern, related_name="transfers")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_how = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["trust", "sent_on", "due_on"], name="transfer_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(to_school__isnull=False) | (~models.Q(destination="") & ~models.Q(recipient="")),
                name="transfer_out_of_trust_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"Transfer {self.pk}"

    @property
    def in_trust(self) -> bool:
        return self.to_school_id is not None
