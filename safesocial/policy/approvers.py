"""Who approves: one role, every one of several (`all_of`) or any one of several (`any_of`).

Policies word their approvals differently: 003 has remote-learning platforms assessed by "the CEO and the
headteacher", 000 by "the DSL and/or the headteacher". A policy field that names who approves holds an `Approvers`,
and the services that record an approval ask it whether the signatures so far are enough.

A role here is one of SafeSocial's own (`people.roles.Role`) or a key the trust declared under `roles:` in its policy
(the policy checks that every key it names is declared, see `schema.Policy`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import GetCoreSchemaHandler, PlainValidator
from pydantic_core import core_schema

from safesocial.people.roles import ROLE_KEY, ExtraRole, Role, role_or_key

# While a policy file is validated, the roles it declares under `roles:` (key: label), so that a field naming a role
# nobody declared is refused at that field, with its line (schema.Policy sets it).
DECLARED_ROLES: ContextVar[Mapping[str, str] | None] = ContextVar("DECLARED_ROLES", default=None)

# How sentences name the built-in roles ("the CEO and the headteacher").
SHORT_LABELS: dict[str, str] = {
    Role.CEO: "CEO",
    Role.HEAD: "headteacher",
    Role.DSL: "DSL",
    Role.DEPUTY_DSL: "deputy DSL",
    Role.ESAFETY: "e-safety team",
    Role.IT_SUPPORT: "IT support team",
    Role.CHANNEL_ADMIN: "channel administrator",
    Role.ADMIN_TEAM: "administration team",
    Role.GOVERNOR: "governor or trustee",
}

# The roles' full names, for the record (a document history entry's "by").
FULL_LABELS: dict[str, str] = {role: role.label.lower() for role in Role}


def parse_role(value: object) -> Role | ExtraRole:
    """A built-in Role where the name is one, else a role the policy declares under `roles:`."""
    if isinstance(value, Role):
        return value
    if not isinstance(value, str) or not ROLE_KEY.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a role name: use a role such as 'head' or 'dsl', or a key declared under roles: "
            "(lower case letters, digits and _, at most 20 characters)"
        )
    declared = DECLARED_ROLES.get()
    role = role_or_key(value, dict(declared or {}))
    if isinstance(role, ExtraRole) and declared is not None and value not in declared:
        raise ValueError(
            f"'{value}' is not a role: choose one of {', '.join(r.value for r in Role)}, or declare it under roles: "
            "with a key, a label and the roles it acts as"
        )
    return role


# A policy field naming one role: a built-in Role, or a key the trust declared under `roles:`.
RoleKey = Annotated[Role | ExtraRole, PlainValidator(parse_role)]


def role_words(role: str, labels: Mapping[str, str] | None = None) -> str:
    """The role as a sentence names it, without 'the'."""
    if labels and role in labels:
        return _in_sentence(labels[role])
    if role in SHORT_LABELS:
        return SHORT_LABELS[role]
    if isinstance(role, Role):
        return role.label.lower()
    return _in_sentence(role_or_key(role).label)


def _in_sentence(label: str) -> str:
    """'Line manager' reads 'line manager' mid-sentence; 'PA to the CEO' and 'SLT' keep their capitals."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


Mode = Literal["all_of", "any_of"]


@dataclass(frozen=True, eq=False)
class Approvers:
    """One role (`Approvers.one("head")`), every role (`all_of`) or any one role (`any_of`).

    A policy file writes `approver: head`, `approver: {all_of: [ceo, head]}` or `approver: {any_of: [dsl, head]}`.
    """

    mode: Mode
    roles: tuple[Role | ExtraRole, ...]

    def __post_init__(self) -> None:
        if not self.roles:
            raise ValueError("name at least one role")
        if len(set(self.roles)) != len(self.roles):
            raise ValueError("a role is named twice")

    @classmethod
    def one(cls, role: str) -> Approvers:
        return cls("any_of", (parse_role(role),))

    @classmethod
    def parse(cls, value: Any) -> Approvers:
        """From a policy file: a role, `{all_of: [...]}`, `{any_of: [...]}`, or a list (the older form: any of)."""
        if isinstance(value, Approvers):
            return value
        if isinstance(value, str):
            return cls.one(value)
        if isinstance(value, list | tuple):
            return cls("any_of", tuple(parse_role(v) for v in value))
        if isinstance(value, dict) and len(value) == 1:
            ((mode, roles),) = value.items()
            if mode in ("all_of", "any_of") and isinstance(roles, list | tuple):
                return cls(mode, tuple(parse_role(v) for v in roles))
        raise ValueError("name one role (approver: head), or all_of: [roles] (every one signs), or any_of: [roles]")

    def dump(self) -> str | dict[str, list[str]]:
        """Back to the policy file's own form."""
        if self.single:
            return str(self.roles[0])
        return {self.mode: [str(r) for r in self.roles]}

    @property
    def single(self) -> bool:
        return len(self.roles) == 1

    @property
    def needs_every_role(self) -> bool:
        return self.mode == "all_of" and not self.single

    def satisfied_by(self, signatures: Iterable[str]) -> bool:
        """Whether the roles signed so far complete the approval."""
        signed = set(signatures)
        if self.mode == "all_of":
            return all(role in signed for role in self.roles)
        return any(role in signed for role in self.roles)

    def who_may_sign(self, held: Iterable[str], signed: Iterable[str] = ()) -> list[Role | ExtraRole]:
        """The roles, of those held, in which someone may still sign: none once the approval is complete."""
        signed = set(signed)
        if self.satisfied_by(signed):
            return []
        held = set(held)
        return [role for role in self.roles if role in held and role not in signed]

    def outstanding(self, signed: Iterable[str]) -> list[Role | ExtraRole]:
        """The roles whose signature is still awaited (for any_of: all of them, until one signs)."""
        signed = set(signed)
        if self.satisfied_by(signed):
            return []
        return [role for role in self.roles if role not in signed]

    def describe(self, labels: Mapping[str, str] | None = None) -> str:
        """'the CEO and the headteacher', 'the DSL or the headteacher', 'the headteacher'."""
        names = [f"the {role_words(r, labels)}" for r in self.roles]
        if len(names) == 1:
            return names[0]
        joiner = " and " if self.mode == "all_of" else " or "
        return ", ".join(names[:-1]) + joiner + names[-1]

    @property
    def label(self) -> str:
        """As a role's label reads in a sentence ("approved by the {{ approver.label|lower }}"), in full."""
        return self.describe(FULL_LABELS).removeprefix("the ")

    def __eq__(self, other: object) -> bool:
        # One role reads as that role: `policy.review.approver == Role.CEO`, as before approvers could be several.
        if isinstance(other, str):
            return self.single and self.roles[0] == other
        if isinstance(other, Approvers):
            if self.single and other.single:
                return self.roles[0] == other.roles[0]
            return (self.mode, self.roles) == (other.mode, other.roles)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.roles[0]) if self.single else hash((self.mode, self.roles))

    def __str__(self) -> str:
        return self.describe()

    def __contains__(self, role: object) -> bool:
        return role in self.roles

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(lambda a: a.dump())
        )


def all_roles(approvers: Iterable[Approvers]) -> list[Role | ExtraRole]:
    return [role for a in approvers for role in a.roles]
