"""The trust, its schools, its staff (users, with roles) and its pupils and parents (records, not users)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .roles import ROLE_CHOICES, Role, role_label

if TYPE_CHECKING:
    # Only named for the type checker: the policy sits on the floor above, reached through PolicyVersion (a relation).
    from safesocial.policy.schema import Policy


class Trust(models.Model):
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @cached_property
    def policy_version(self):
        """The policy version in force now (the latest adopted)."""
        return self.policy_versions.order_by("-number").first()

    @property
    def policy(self) -> Policy:
        version = self.policy_version
        if version is None:
            raise LookupError(f"{self} has no policy")
        return version.policy


class School(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="schools")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    urn = models.CharField("URN", max_length=12, blank=True)
    phase = models.CharField(max_length=20, default="primary")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["trust", "key"], name="school_key_unique_in_trust")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff (or a governor or volunteer) who signs in."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    trust = models.ForeignKey(Trust, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)  # Django admin access; not a SafeSocial role
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class RoleAssignment(models.Model):
    """A role held at one school, or across the trust when school is empty."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="role_assignments")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["school__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "school", "role"],
                condition=models.Q(school__isnull=False),
                name="role_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(school__isnull=True), name="role_once_trust_wide"
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.CEO) | models.Q(school__isnull=True), name="ceo_is_trust_wide"
            ),
        ]

    def __str__(self) -> str:
        where = self.school.name if self.school is not None else "trust-wide"
        return f"{self.user} — {self.role_label} ({where})"

    @property
    def role_label(self) -> str:
        if self.role in Role._value2member_map_:
            return Role(self.role).label
        try:  # one of the trust's own roles: the policy names it
            labels = self.trust.policy.role_labels()
        except LookupError:
            labels = {}
        return role_label(self.role, labels)


class Pupil(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    mis_id = models.CharField("MIS identifier", max_length=40, blank=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField()
    year_group = models.CharField(max_length=10)  # "N", "R", "1" .. "13"
    class_name = models.CharField(max_length=40, blank=True)
    on_roll = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "mis_id"], condition=~models.Q(mis_id=""), name="pupil_mis_id_unique"
            )
        ]
        indexes = [models.Index(fields=["school", "year_group"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ParentCarer(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="parents")
    full_name = models.CharField(max_length=150)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    pupils: models.ManyToManyField[Pupil, PupilParent] = models.ManyToManyField(
        Pupil, through="PupilParent", related_name="parents"
    )

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class PupilParent(models.Model):
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE)
    parent = models.ForeignKey(ParentCarer, on_delete=models.CASCADE)
    relationship = models.CharField(max_length=40, default="Parent")
    parental_responsibility = models.BooleanField(default=True)
    priority = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["pupil", "parent"], name="pupil_parent_once")]

    def __str__(self) -> str:
        return f"{self.parent} ({self.relationship}) of {self.pupil}"
