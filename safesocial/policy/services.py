"""Creating a trust from its policy file and adopting new versions of that policy."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction

from safesocial.audit.services import audit_record
from safesocial.people.models import School, Trust, User
from safesocial.people.services import RoleSpec, staff_create
from safesocial.permissions import Action, require

from .loader import PolicyError, PolicyInvalid, parse_policy
from .models import PolicyVersion
from .schema import Policy


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@transaction.atomic
def trust_create_from_policy(*, actor: User | None, text: str, source: str = "policy file") -> Trust:
    """Create the trust, its schools and its key contacts (as staff with their roles) from a policy
    file, and adopt that file as version 1. Everything is created or nothing is."""
    policy = parse_policy(text, source)
    if actor is not None and not actor.is_superuser:
        raise ValidationError("only the installation's administrator can create a trust")
    if Trust.objects.exists():
        raise ValidationError(
            f"SafeSocial already runs {Trust.objects.first()}: adopt a new version of its policy instead"
        )
    taken = sorted(User.objects.filter(email__in=[c.email for c in policy.contacts]).values_list("email", flat=True))
    if taken:
        raise ValidationError(f"these emails already belong to someone: {', '.join(taken)}")
    trust = Trust.objects.create(
        name=policy.trust.name, short_name=policy.trust.short_name or "", website=policy.trust.website or ""
    )
    audit_record(actor=actor, action="trust.create", obj=trust, changes={"name": trust.name, "source": source})
    schools = {}
    for spec in policy.trust.schools:
        school = School.objects.create(trust=trust, key=spec.key, name=spec.name, urn=spec.urn or "", phase=spec.phase)
        audit_record(actor=actor, action="school.create", obj=school, school_id=school.pk, changes={"name": spec.name})
        schools[spec.key] = school
    version = _adopt(actor=actor, trust=trust, policy=policy, text=text, note=f"created from {source}")
    for contact in policy.contacts:
        home = schools[contact.school] if contact.school else None
        staff_create(
            actor=None,  # the trust's leaders do not exist yet: the administrator creating the trust acts
            trust=trust,
            email=contact.email,
            full_name=contact.name,
            job_title=contact.job_title,
            roles=[RoleSpec(role, home) for role in contact.roles],
        )
    if actor is not None and actor.trust_id is None:
        actor.trust = trust
        actor.save(update_fields=["trust"])
    trust.__dict__["policy_version"] = version
    return trust


def _adopt(*, actor: User | None, trust: Trust, policy: Policy, text: str, note: str) -> PolicyVersion:
    last = trust.policy_versions.order_by("-number").first()
    digest = _digest(text)
    if last is not None and last.sha256 == digest:
        raise ValidationError("this file is the version already in force: nothing has changed")
    version = PolicyVersion.objects.create(
        trust=trust,
        number=(last.number + 1) if last else 1,
        text=text,
        sha256=digest,
        document_version=policy.document.version,
        adopted_by=actor,
        note=note[:300],
    )
    audit_record(
        actor=actor,
        action="policy.adopt",
        obj=version,
        changes={
            "number": version.number,
            "document_version": version.document_version,
            "sha256": digest,
            "previous": last.number if last else None,
        },
    )
    return version


@transaction.atomic
def policy_adopt(
    *, actor: User | None, trust: Trust, text: str, note: str = "", source: str = "policy file"
) -> PolicyVersion:
    """Adopt a new version of the trust's policy. It governs SafeSocial from this moment; earlier
    versions are kept with their dates. Schools new to the file are added; a school cannot be
    dropped while it holds records."""
    if actor is not None:
        require(actor, Action.ADOPT_POLICY)
    policy = parse_policy(text, source)
    existing = {s.key: s for s in trust.schools.all()}
    missing = sorted(set(existing) - set(policy.school_keys()))
    if missing:
        raise PolicyInvalid(
            [
                PolicyError(
                    "trust.schools",
                    None,
                    f"school(s) {', '.join(missing)} are missing: a school cannot be removed from the policy",
                )
            ],
            source,
        )
    if policy.trust.name != trust.name:
        trust.name = policy.trust.name
        trust.save(update_fields=["name"])
    for spec in policy.trust.schools:
        if spec.key not in existing:
            school = School.objects.create(
                trust=trust, key=spec.key, name=spec.name, urn=spec.urn or "", phase=spec.phase
            )
            audit_record(
                actor=actor,
                action="school.create",
                obj=school,
                school_id=school.pk,
                changes={"name": spec.name},
            )
    version = _adopt(actor=actor, trust=trust, policy=policy, text=text, note=note or f"adopted from {source}")
    trust.__dict__.pop("policy_version", None)
    return version
