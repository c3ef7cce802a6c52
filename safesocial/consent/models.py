"""Parental consent, per pupil and per purpose. Every change is a new row, so the history of who gave or
refused what, when and how is never lost; the newest row for a purpose is the one in force."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Purpose(models.TextChoices):
    SOCIAL_MEDIA = "social_media", "Photos and video on the school's official social media"
    WEBSITE = "website", "Photos on the school website"
    PRESS = "press", "Photos in the press"
    NAME_WITH_PHOTO = "name_with_photo", "Full name published with a photo"
    FIRST_NAME_ONLY = "first_name_only", "First name only"
    BIOMETRIC = "biometric", "Face matching to suggest photo tags (biometric)"


PURPOSE_SHORT = {
    Purpose.SOCIAL_MEDIA: "Social media",
    Purpose.WEBSITE: "Website",
    Purpose.PRESS: "Press",
    Purpose.NAME_WITH_PHOTO: "Full name",
    Purpose.FIRST_NAME_ONLY: "First name",
    Purpose.BIOMETRIC: "Face matching",
}


class Method(models.TextChoices):
    PAPER = "paper", "Paper form"
    ONLINE = "online", "Parent's online link"
    EMAIL = "email", "Email"
    VERBAL = "verbal", "In person or by phone (recorded by staff)"
    MIS = "mis", "Imported from the MIS"


class Consent(models.Model):
    pupil = models.ForeignKey("people.Pupil", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    given = models.BooleanField()
    parent = models.ForeignKey(
        "people.ParentCarer", null=True, blank=True, on_delete=models.SET_NULL, related_name="consents"
    )
    method = models.CharField(max_length=10, choices=Method.choices)
    given_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["pupil", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {'given' if self.given else 'refused'}"

    def in_force(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.given and (self.expires_on is None or self.expires_on >= on)


class ReferencePhoto(models.Model):
    """A face a parent agreed may be used to suggest photo tags. Kept only while biometric consent stands."""

    pupil = models.OneToOneField("people.Pupil", on_delete=models.CASCADE, related_name="reference_photo")
    embedding = models.JSONField()
    enrolled_at = models.DateTimeField(default=timezone.now)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Reference photo of pupil {self.pupil_id}"


class RenewalReminder(models.Model):
    """That the school's consent managers were told a consent is about to lapse (policy
    `consent.renewal_reminder_days`): each consent is the subject of one reminder, however often the job runs."""

    consent = models.OneToOneField(Consent, on_delete=models.CASCADE, related_name="renewal_reminder")
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Renewal reminder for consent {self.consent_id}"
