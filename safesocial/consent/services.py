"""Recording parental consent. Policy: prior consent is obtained for all posts containing names and
photographs; a withdrawal takes effect at once."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from safesocial import hooks, keys
from safesocial.audit.services import audit_record
from safesocial.people.models import ParentCarer, Pupil, RoleAssignment, School, Trust, User
from safesocial.people.roles import Role
from safesocial.permissions import Action, allowed_roles, require

from .models import PURPOSE_SHORT, Consent, Method, Purpose, ReferencePhoto, RenewalReminder
from .selectors import current_consent

LINK_SALT = "safesocial.consent.parent-link"


def end_of_school_year(on: dt.date) -> dt.date:
    """31 August: the school year's last day, when annual consents lapse."""
    return dt.date(on.year if on.month < 9 else on.year + 1, 8, 31)


def _default_expiry(pupil: Pupil, given_on: dt.date) -> dt.date | None:
    if pupil.school.trust.policy.consent.expire_at_end_of_school_year:
        return end_of_school_year(given_on)
    return None


@transaction.atomic
def consent_record(
    *,
    actor: User | None,
    pupil: Pupil,
    purpose: str,
    given: bool,
    method: str,
    parent: ParentCarer | None = None,
    given_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    note: str = "",
    parent_acting: ParentCarer | None = None,
) -> tuple[Consent, list]:
    """Record a parent's decision for one purpose. Returns the new record and, for a withdrawal, the
    published posts that feature the pupil so staff can take them down."""
    if parent_acting is not None:
        if not parent_acting.pupils.filter(pk=pupil.pk).exists():
            raise PermissionDenied("This link is not for that child.")
        parent = parent_acting
    elif actor is not None:
        require(actor, Action.MANAGE_PUPILS, pupil.school)
    if purpose not in Purpose.values:
        raise ValidationError(f"'{purpose}' is not a consent purpose.")
    if method not in Method.values:
        raise ValidationError(f"'{method}' is not a way of giving consent.")
    if parent is not None and not parent.pupils.filter(pk=pupil.pk).exists():
        raise ValidationError(f"{parent} is not recorded as a parent or carer of this pupil.")
    today = timezone.localdate()
    given_on = given_on or today
    if given_on > today:
        raise ValidationError("Consent cannot be dated in the future.")
    if given and expires_on is None:
        expires_on = _default_expiry(pupil, given_on)
    if expires_on is not None and expires_on < given_on:
        raise ValidationError("The consent would end before it was given.")
    before = current_consent(pupil, purpose)
    consent = Consent.objects.create(
        pupil=pupil,
        purpose=purpose,
        given=given,
        parent=parent,
        method=method,
        given_on=given_on,
        expires_on=expires_on if given else None,
        recorded_by=actor,
        note=note[:300],
    )
    withdrawn = bool(before and before.given and not given)
    # A withdrawal takes effect at once: publishing opens a decision on each published post that relied on it.
    affected = [item for fn in hooks.CONSENT_WITHDRAWN for item in fn(consent)] if withdrawn else []
    if withdrawn and purpose == Purpose.BIOMETRIC:
        # Without biometric consent the reference face must go at once.
        ReferencePhoto.objects.filter(pupil=pupil).delete()
    audit_record(
        actor=actor if actor is not None else f"parent/carer {parent.pk}" if parent else "system",
        action="consent.withdraw" if withdrawn else "consent.record",
        obj=consent,
        label=f"pupil {pupil.pk}",
        school_id=pupil.school_id,
        changes={
            "purpose": purpose,
            "given": given,
            "method": method,
            "parent": parent.pk if parent else None,
            "expires_on": consent.expires_on,
            "published_posts_affected": [p.pk for p in affected],
        },
    )
    if affected:
        transaction.on_commit(lambda: _tell_school_about_withdrawal(pupil, len(affected)))
    return consent, affected


def _tell_school_about_withdrawal(pupil: Pupil, count: int) -> None:
    """The people who can take posts down hear at once; the email names nobody."""
    staff = RoleAssignment.objects.filter(
        school_id=pupil.school_id, role__in=[Role.HEAD, Role.CHANNEL_ADMIN, Role.ADMIN_TEAM]
    ).values_list("user__email", flat=True)
    link = settings.SITE_ROOT + reverse("people:pupil", args=[pupil.pk])
    body = (
        f"A parent has withdrawn consent at {pupil.school.name}. {count} published post(s) feature their child "
        f"and may need to be taken down.\n\nSee which: {link}\n"
    )
    send_mass_mail([("A consent was withdrawn", body, None, [email]) for email in sorted(set(staff))])


def parent_link_token(parent: ParentCarer) -> str:
    return keys.sign({"p": parent.pk}, salt=LINK_SALT, compress=True)


def parent_from_token(token: str, max_age_days: int = 180) -> ParentCarer:
    try:
        data = keys.unsign(token, salt=LINK_SALT, max_age=dt.timedelta(days=max_age_days))
    except signing.SignatureExpired:
        raise PermissionDenied("This link has expired: ask the school office for a new one.") from None
    except signing.BadSignature:
        raise PermissionDenied("This link is not valid.") from None
    parent = ParentCarer.objects.filter(pk=data.get("p")).first()
    if parent is None:
        raise PermissionDenied("This link is not valid.")
    return parent


@transaction.atomic
def reference_enrol(*, actor: User, pupil: Pupil, embedding: list[float]) -> ReferencePhoto:
    """Enrol a face for match suggestions: only where the trust allows matching and a parent gave
    biometric consent for this child."""
    require(actor, Action.MANAGE_PUPILS, pupil.school)
    if not pupil.school.trust.policy.consent.face_matching:
        raise PermissionDenied("The trust has switched face matching off.")
    current = current_consent(pupil, Purpose.BIOMETRIC)
    if current is None or not current.in_force():
        raise ValidationError("A parent has not given biometric consent for this child.")
    photo, _ = ReferencePhoto.objects.update_or_create(
        pupil=pupil, defaults={"embedding": embedding, "enrolled_by": actor, "enrolled_at": timezone.now()}
    )
    audit_record(
        actor=actor, action="consent.reference_enrol", obj=photo, label=f"pupil {pupil.pk}", school_id=pupil.school_id
    )
    return photo


# ---- Renewal reminders ---------------------------------------------------------------------------------------------


def _consent_managers(trust: Trust, school: School) -> list[str]:
    """The addresses of everyone who may record consent at this school (there, or across the trust)."""
    roles = allowed_roles(Action.MANAGE_PUPILS, trust.policy)
    emails = (
        RoleAssignment.objects.filter(trust=trust, role__in=roles, user__is_active=True)
        .filter(Q(school=school) | Q(school__isnull=True))
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


@transaction.atomic
def consent_renewal_remind(*, trust: Trust, today: dt.date | None = None) -> dict[str, list[str]]:
    """Tell each school's consent managers, `consent.renewal_reminder_days` days ahead, which consents in force are
    about to lapse, so the office can ask families to renew them before photos must stop. Each consent is in one
    reminder only; a consent renewed since (a newer record) is not. The email counts by purpose and names no child.
    Returns, for each school reminded, the addresses emailed."""
    today = today or timezone.localdate()
    days = trust.policy.consent.renewal_reminder_days
    until = today + dt.timedelta(days=days)
    newest = Consent.objects.filter(pupil=OuterRef("pupil"), purpose=OuterRef("purpose")).order_by(
        "-recorded_at", "-pk"
    )
    lapsing = (
        Consent.objects.filter(
            pupil__school__trust=trust,
            pupil__on_roll=True,
            given=True,
            expires_on__gte=today,
            expires_on__lte=until,
            renewal_reminder__isnull=True,
        )
        .annotate(newest=Subquery(newest.values("pk")[:1]))
        .filter(pk=F("newest"))
        .select_related("pupil__school")
        .order_by("pupil__school__name", "expires_on", "pk")
    )
    by_school: dict[School, list[Consent]] = {}
    for lapses in lapsing:
        by_school.setdefault(lapses.pupil.school, []).append(lapses)
    sent: dict[str, list[str]] = {}
    now = timezone.now()
    for school, consents in by_school.items():
        RenewalReminder.objects.bulk_create([RenewalReminder(consent=c, sent_at=now) for c in consents])
        counts: dict[str, int] = {}
        for c in consents:
            counts[c.purpose] = counts.get(c.purpose, 0) + 1
        first = min(c.expires_on for c in consents if c.expires_on is not None)
        lines = "\n".join(f"  {PURPOSE_SHORT[Purpose(p)]}: {n}" for p, n in sorted(counts.items()))
        link = settings.SITE_ROOT + reverse("consent:overview", args=[school.key])
        body = (
            f"{len(consents)} parental consent(s) at {school.name} lapse within the next {days} days, the first on "
            f"{first:%-d %B %Y}:\n{lines}\n\nAsk these families to renew them: once a consent has lapsed, the child "
            f"counts as having no consent for that purpose.\n\nSee which: {link}\n"
        )
        managers = _consent_managers(trust, school)
        messages = [("Parental consents about to lapse", body, None, [email]) for email in managers]
        transaction.on_commit(partial(send_mass_mail, messages))
        audit_record(
            actor="system",
            action="consent.renewal_remind",
            obj=school,
            school_id=school.pk,
            changes={"consents": len(consents), "lapse_within_days": days, "staff_emailed": len(managers)},
        )
        sent[school.name] = managers
    return sent
