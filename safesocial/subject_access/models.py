"""A subject access request (UK GDPR Article 15): someone asks what SafeSocial holds about a named person, and the
school answers within one calendar month (Article 12(3)), third parties' information redacted where the DSL marks it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from safesocial.dates import add_months


class SubjectKind(models.TextChoices):
    PUPIL = "pupil", "A pupil"
    PARENT = "parent", "A parent or carer"
    STAFF = "staff", "A member of staff"
    COMMENTER = "commenter", "Someone who commented on an official account"


class RequestStatus(models.TextChoices):
    OPEN = "open", "Open"
    SENT = "sent", "Sent"
    CLOSED = "closed", "Closed"


# The one place the workflow's moves are written down: a response is sent, then the request closed (or it is closed
# unanswered, e.g. withdrawn or manifestly unfounded, with a note).
TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.OPEN: frozenset({RequestStatus.SENT, RequestStatus.CLOSED}),
    RequestStatus.SENT: frozenset({RequestStatus.CLOSED}),
    RequestStatus.CLOSED: frozenset(),
}


def due_date(received_on: dt.date) -> dt.date:
    """One calendar month from receipt; where that month is shorter, its last day; where that day is a Saturday or
    Sunday, the Monday after (the ICO's reading of Art. 12(3)). Bank holidays are not known, so the date shown is
    never later than the law's."""
    due = add_months(received_on, 1)
    if due.weekday() >= 5:
        due += dt.timedelta(days=7 - due.weekday())
    return due


class SubjectAccessRequest(models.Model):
    trust = models.ForeignKey("people.Trust", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey("people.School", on_delete=models.PROTECT, related_name="+")
    requester_name = models.CharField("Who asked", max_length=150)
    requester_relationship = models.CharField("Their relationship to the person", max_length=80)
    subject_kind = models.CharField(max_length=10, choices=SubjectKind.choices)
    pupil = models.ForeignKey("people.Pupil", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("people.ParentCarer", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    platform = models.CharField(max_length=20, blank=True)
    handle = models.CharField(max_length=200, blank=True)
    received_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    sent_on = models.DateField(null=True, blank=True)
    sent_how = models.CharField(max_length=200, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="sar_names_its_subject",
                condition=(
                    Q(subject_kind="pupil", pupil__isnull=False, parent__isnull=True, staff__isnull=True)
                    | Q(subject_kind="parent", parent__isnull=False, pupil__isnull=True, staff__isnull=True)
                    | Q(subject_kind="staff", staff__isnull=False, pupil__isnull=True, parent__isnull=True)
                    | (
                        Q(subject_kind="commenter", pupil__isnull=True, parent__isnull=True, staff__isnull=True)
                        & ~Q(handle="")
                    )
                ),
            ),
            models.CheckConstraint(
                name="sar_sent_says_when_and_how",
                condition=Q(status="open") | Q(sent_on__isnull=False, sent_how__gt="") | Q(status="closed"),
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk}"

    @property
    def subject_name(self) -> str:
        if self.pupil_id:
            return str(self.pupil)
        if self.parent_id:
            assert self.parent is not None
            return self.parent.full_name
        if self.staff_id:
            assert self.staff is not None
            return self.staff.full_name
        return f"{self.handle} ({self.platform})" if self.platform else self.handle

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def left(self) -> int:
        """Days until the answer is due (negative once overdue), for the clock on the list and the page."""
        return self.days_left()

    @property
    def overdue_by(self) -> int:
        return -self.days_left()

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.OPEN


class RedactionKind(models.TextChoices):
    WITHHOLD = "withhold", "An item withheld"
    NAME = "name", "A name blacked out"


class Redaction(models.Model):
    """What the DSL marked to leave out of the response, and why: an item withheld whole, or a third party's name
    blacked out wherever it appears."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions")
    kind = models.CharField(max_length=10, choices=RedactionKind.choices)
    item = models.CharField(max_length=60, blank=True)  # an item's key, e.g. "comment:12"
    text = models.CharField(max_length=200, blank=True)  # the name to black out
    reason = models.CharField(max_length=300)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                name="redaction_says_what",
                condition=Q(kind="withhold", text="") & ~Q(item="") | Q(kind="name", item="") & ~Q(text=""),
            ),
            models.UniqueConstraint(fields=["request", "kind", "item", "text"], name="redaction_once"),
        ]

    def __str__(self) -> str:
        return f"Redaction {self.pk}"
