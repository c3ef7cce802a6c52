"""The roles a member of staff can hold, at one school or across the trust.

Kept free of Django so the policy schema can validate role names without the ORM.
"""

import re
from enum import StrEnum


class Role(StrEnum):
    CEO = "ceo"
    HEAD = "head"
    DSL = "dsl"
    DEPUTY_DSL = "deputy_dsl"
    ESAFETY = "esafety"
    IT_SUPPORT = "it_support"
    CHANNEL_ADMIN = "channel_admin"
    ADMIN_TEAM = "admin_team"
    TEACHER = "teacher"
    SUPPORT_STAFF = "support_staff"
    VOLUNTEER = "volunteer"
    GOVERNOR = "governor"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.CEO: "Chief executive officer",
    Role.HEAD: "Headteacher / head of school",
    Role.DSL: "Designated safeguarding lead",
    Role.DEPUTY_DSL: "Deputy designated safeguarding lead",
    Role.ESAFETY: "E-safety team",
    Role.IT_SUPPORT: "IT support",
    Role.CHANNEL_ADMIN: "Channel administrator",
    Role.ADMIN_TEAM: "Administration team",
    Role.TEACHER: "Teacher",
    Role.SUPPORT_STAFF: "Support staff",
    Role.VOLUNTEER: "Volunteer",
    Role.GOVERNOR: "Governor / trustee",
}

ROLE_CHOICES = [(r.value, ROLE_LABELS[r]) for r in Role]

# Safeguarding leads and leaders hold the keys to concerns and channel credentials: the issue
# requires them to use two-factor sign-in whatever the trust's policy says.
MFA_REQUIRED_ROLES = frozenset({Role.CEO, Role.HEAD, Role.DSL, Role.DEPUTY_DSL})

# Roles that only make sense for one person trust-wide.
TRUST_ONLY_ROLES = frozenset({Role.CEO})

# A role's key, built-in or the trust's own: it fits the role columns (20 characters).
ROLE_KEY = re.compile(r"[a-z][a-z0-9_]{1,19}")


class ExtraRole(str):
    """A role the trust's own policy declares under `roles:` (a line manager, the PA to the CEO), held, stored and
    compared by its key like a Role. `label` is the policy's name for it when it came from the policy."""

    _label: str

    def __new__(cls, key: str, label: str = "") -> "ExtraRole":
        role = super().__new__(cls, key)
        role._label = label
        return role

    @property
    def value(self) -> str:
        return str.__str__(self)

    @property
    def label(self) -> str:
        return self._label or self.replace("_", " ").capitalize()


def role_or_key(value: str, labels: dict[str, str] | None = None) -> Role | ExtraRole:
    """A built-in Role where the key is one, else the trust's own role (named from `labels` when given)."""
    if isinstance(value, Role | ExtraRole):
        return value
    try:
        return Role(value)
    except ValueError:
        return ExtraRole(value, (labels or {}).get(value, ""))


def role_label(value: str, labels: dict[str, str] | None = None) -> str:
    """A role's name for people, built-in or the trust's own."""
    return role_or_key(value, labels).label
