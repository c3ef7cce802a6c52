"""The roles a member of staff can hold, at one school or across the trust.

Kept free of Django so the policy schema can validate role names without the ORM.
"""

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
