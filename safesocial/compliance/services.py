"""Every change to acknowledgements and training. Who is asked, how often they are reminded, the pass mark and
how long training lasts are read from the trust's policy."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safesocial import keys
from safesocial.audit.services import audit_record
from safesocial.people.models import ParentCarer, Pupil, School, Trust, User
from safesocial.permissions import Action, require
from safesocial.policy.models import PolicyVersion
from safesocial.workflow import move

from . import quiz, selectors
from .models import (
    QUIZ_TOPIC,
    TRAINING_TRANSITIONS,
    Acknowledgement,
    AcknowledgementCode,
    Group,
    Method,
    QuizAttempt,
    Reminder,
    TrainingKind,
    TrainingRecord,
    TrainingStatus,
)

# Letters are read aloud and typed on phones: no O, I, L, S, Z, U, V, 0, 1 or 2, so nothing can be mistaken.
ALPHABET = "ABCDEFGHJKMNPQRTWXY3456789"
CODE_LENGTH = 8
LINK_SALT = "safesocial.compliance.acknowledge"
LINK_DAYS = 60
CODE_TRIES = 10  # wrong codes allowed from one address ...
CODE_WINDOW = 15 * 60  # ... in this many seconds


class TooManyTries(ValidationError):
    pass


# ---- Codes and links for families ---------------------------------------------------------------------------


def _code_from_nonce(nonce: str, key: str) -> str:
    mac = hmac.new(key.encode(), f"ack-code:{nonce}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(mac, "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, i = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[i])
    return "".join(chars)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _printable(code: AcknowledgementCode) -> str | None:
    """The code printed on the letter, worked out under whichever signing key made it (older keys are kept while
    they are rotated out); None once that key is retired."""
    for key in settings.SIGNING_KEYS:
        raw = _code_from_nonce(code.nonce, key)
        if hmac.compare_digest(_digest(raw), code.digest):
            return raw
    return None


def letter_code(code: AcknowledgementCode) -> str:
    """The code as printed on the letter, in two groups of four."""
    raw = _printable(code)
    if raw is None:
        raise ValueError("This code was made with a retired signing key: codes_ensure() gives a new one.")
    return f"{raw[:4]}-{raw[4:]}"


def _new_nonce() -> tuple[str, str]:
    """A nonce and the digest of its code under the newest signing key, unlike any code already given."""
    while True:
        nonce = secrets.token_hex(16)
        digest = _digest(_code_from_nonce(nonce, settings.SIGNING_KEYS[0]))
        if not AcknowledgementCode.objects.filter(digest=digest).exists():
            return nonce, digest


def _new_code(trust: Trust, person: ParentCarer | Pupil) -> AcknowledgementCode:
    nonce, digest = _new_nonce()
    if isinstance(person, ParentCarer):
        return AcknowledgementCode(trust=trust, parent=person, nonce=nonce, digest=digest)
    return AcknowledgementCode(trust=trust, pupil=person, nonce=nonce, digest=digest)


@transaction.atomic
def codes_ensure(*, actor: User | None, school: School, class_name: str) -> int:
    """Give every pupil of a class, and each of their parents and carers, a code for the letter (once; a code
    already given is kept so a reprinted letter carries the same one, unless the signing key it was made with has
    been retired: then it cannot be printed again and is replaced). Returns how many were made or replaced."""
    if actor is not None:
        require(actor, Action.MANAGE_PUPILS, school)
    families = selectors.families_in_class(school, class_name)
    if not families:
        raise ValidationError(f"No pupils on roll in the class “{class_name}”.")
    made = []
    reissued = 0
    people: list[ParentCarer | Pupil] = []
    for pupil, parents in families:
        people += [pupil, *(p for p in parents if p not in people)]
    for person in people:
        existing = getattr(person, "ack_code", None)
        if existing is None:
            made.append(_new_code(school.trust, person))
        elif _printable(existing) is None:
            existing.nonce, existing.digest = _new_nonce()
            existing.save(update_fields=["nonce", "digest"])
            reissued += 1
    AcknowledgementCode.objects.bulk_create(made)
    audit_record(
        actor=actor or "system",
        action="acknowledgement.letters",
        object_type="people.school",
        object_id=str(school.pk),
        label=f"{school} class {class_name}",
        school_id=school.pk,
        changes={"class": class_name, "letters": len(families), "codes_made": len(made), "codes_replaced": reissued},
    )
    return len(made) + reissued


def link_token(person: ParentCarer | Pupil, version: PolicyVersion, method: str = Method.LINK) -> str:
    kind = "parent" if isinstance(person, ParentCarer) else "pupil"
    return keys.sign({"k": kind, "i": person.pk, "v": version.number, "m": method}, salt=LINK_SALT)


@dataclass(frozen=True)
class FamilyLink:
    group: str  # Group.PARENTS or Group.PUPILS
    person: ParentCarer | Pupil
    version: PolicyVersion
    method: str

    @property
    def trust(self) -> Trust:
        return self.version.trust


def link_open(token: str) -> FamilyLink:
    """Who a link is for, or PermissionDenied with a message the family can act on. Nothing is recorded here."""
    try:
        data = keys.unsign(token, salt=LINK_SALT, max_age=dt.timedelta(days=LINK_DAYS))
    except signing.SignatureExpired:
        raise PermissionDenied(
            "This link has expired. Use the code on your letter at the school's acknowledgement page, "
            "or ask the school office for a new link."
        ) from None
    except signing.BadSignature:
        raise PermissionDenied(
            "This link is not valid. Check it was copied in full, or use the code on your letter."
        ) from None
    person: ParentCarer | Pupil | None = None
    if data.get("k") == "parent":
        person = ParentCarer.objects.filter(pk=data.get("i")).first()
    elif data.get("k") == "pupil":
        person = Pupil.objects.select_related("school__trust").filter(pk=data.get("i")).first()
    if person is None:
        raise PermissionDenied("This link is not valid.")
    trust = person.trust if isinstance(person, ParentCarer) else person.school.trust
    version = trust.policy_version
    if version is None or version.number != data.get("v"):
        raise PermissionDenied(
            "The policy has changed since this link was sent. Use the code on your letter to read the new version."
        )
    group = Group.PARENTS if isinstance(person, ParentCarer) else Group.PUPILS
    if group not in trust.policy.acknowledgement.groups:
        raise PermissionDenied("The trust does not ask for this acknowledgement.")
    method = data.get("m") if data.get("m") in Method.values else Method.LINK
    return FamilyLink(group=group, person=person, version=version, method=method)


def code_check(*, code: str, client: str) -> str:
    """The link a code from a letter opens. A wrong code counts against the address it came from; after
    CODE_TRIES in CODE_WINDOW seconds every code is refused until the window passes."""
    key = f"compliance:code-tries:{hashlib.sha256(client.encode()).hexdigest()}"
    tries = cache.get(key, 0)
    if tries >= CODE_TRIES:
        raise TooManyTries("Too many codes were tried from this device. Wait 15 minutes and try again.")
    cleaned = normalise_code(code)
    found = None
    if len(cleaned) == CODE_LENGTH:
        found = (
            AcknowledgementCode.objects.select_related("parent", "pupil__school")
            .filter(digest=_digest(cleaned))
            .first()
        )
    if found is None:
        if cache.add(key, 1, CODE_WINDOW) is False:
            cache.incr(key)
        raise ValidationError(
            f"We could not find that code. Check it against your letter: it has {CODE_LENGTH} letters and numbers, "
            "like ABCD-EFGH."
        )
    person = found.parent or found.pupil
    if person is None:  # the database refuses a code for nobody; this keeps the type checker sure of it
        raise ValidationError("We could not find that code.")
    version = found.trust.policy_version
    if version is None:
        raise ValidationError("The trust has no policy in force yet.")
    return link_token(person, version, Method.CODE)


@transaction.atomic
def acknowledgement_family(*, token: str) -> tuple[Acknowledgement, bool]:
    """A parent, carer or pupil confirms they have read the version in force, from a signed link or a code.
    Returns the acknowledgement and whether it is new (confirming twice records it once)."""
    link = link_open(token)
    person_field = "parent" if link.group == Group.PARENTS else "pupil"
    existing = Acknowledgement.objects.filter(version=link.version, **{person_field: link.person}).first()
    if existing is not None:
        return existing, False
    ack = Acknowledgement.objects.create(
        version=link.version, group=link.group, method=link.method, **{person_field: link.person}
    )
    school_id = link.person.school_id if isinstance(link.person, Pupil) else None
    audit_record(
        actor=f"{'parent/carer' if person_field == 'parent' else 'pupil'} {link.person.pk}",
        action="acknowledgement.family",
        obj=ack,
        school_id=school_id,
        changes={"version": link.version.number, "group": link.group, "method": link.method},
    )
    return ack, True


@transaction.atomic
def acknowledgement_staff(*, actor: User) -> tuple[Acknowledgement, bool]:
    """Policy: staff are required to read, understand and comply with the policy. One acknowledgement per
    person per version; confirming twice records it once."""
    if actor.trust is None or actor.trust.policy_version is None:
        raise PermissionDenied("You are not on the staff of a trust with a policy")
    if not actor.role_assignments.filter(role__in=selectors.STAFF_ROLE_VALUES).exists():
        raise PermissionDenied("Only staff are asked to acknowledge the policy in SafeSocial")
    if Group.STAFF not in selectors.asked_groups(actor.trust):
        raise ValidationError("The trust's policy does not ask staff to acknowledge it in SafeSocial.")
    version = actor.trust.policy_version
    existing = Acknowledgement.objects.filter(version=version, user=actor).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            ack = Acknowledgement.objects.create(version=version, group=Group.STAFF, user=actor, method=Method.IN_APP)
    except IntegrityError:  # the same confirmation sent twice at once
        return Acknowledgement.objects.get(version=version, user=actor), False
    audit_record(actor=actor, action="acknowledgement.staff", obj=ack, changes={"version": version.number})
    return ack, True


@dataclass
class ReminderReport:
    emailed: list[str] = field(default_factory=list)
    letters: list[tuple[str, str, int]] = field(default_factory=list)  # (school, class, families still to answer)


@transaction.atomic
def acknowledgement_remind(*, trust: Trust, now: dt.datetime | None = None) -> ReminderReport:
    """Remind staff who have not acknowledged the version in force, at most every
    `acknowledgement.reminder_days` days, by email; list the classes whose families still need a letter."""
    now = now or timezone.now()
    version = trust.policy_version
    report = ReminderReport()
    if version is None:
        return report
    policy = trust.policy
    every = dt.timedelta(days=policy.acknowledgement.reminder_days)
    if Group.STAFF in policy.acknowledgement.groups:
        recently = Reminder.objects.filter(version=version, sent_at__gt=now - every).values("user")
        due = selectors.staff_to_acknowledge(trust).exclude(pk__in=recently).order_by("pk")
        link = settings.SITE_ROOT + reverse("compliance:acknowledge")
        for user in due:
            Reminder.objects.create(user=user, version=version, sent_at=now)
            address = user.email
            transaction.on_commit(
                partial(
                    send_mail,
                    "Please read and acknowledge the social media policy",
                    f"The trust asks every member of staff to read version {version.document_version} of its social "
                    f"media policy and confirm they have done so. It takes a few minutes:\n\n{link}\n",
                    None,
                    [address],
                )
            )
            report.emailed.append(address)
    if Group.PARENTS in policy.acknowledgement.groups:
        for school in trust.schools.order_by("name"):
            for row in selectors.class_completion(school):
                missing = row.parents[1] - row.parents[0]
                if missing:
                    report.letters.append((school.name, row.name, missing))
    audit_record(
        actor="system",
        action="acknowledgement.remind",
        obj=version,
        changes={"staff_emailed": len(report.emailed), "classes_with_families_to_answer": len(report.letters)},
    )
    return report


# ---- Training ----------------------------------------------------------------------------------------------------


def _may_manage_training_of(actor: User, member: User) -> bool:
    return selectors.may_see_training_of(actor, member, Action.MANAGE_TRAINING)


@transaction.atomic
def training_record(
    *,
    actor: User,
    user: User,
    topic: str,
    kind: str,
    completed_on: dt.date,
    provider: str,
    evidence: UploadedFile | None = None,
    note: str = "",
) -> TrainingRecord:
    """Policy: staff are trained at induction and regularly after. Someone who manages training records it as
    confirmed; a member of staff may record their own, which waits for confirmation."""
    if user.trust_id != actor.trust_id or user.trust is None:
        raise PermissionDenied("That person is not on the staff of your trust")
    own = actor.pk == user.pk
    if not own and not _may_manage_training_of(actor, user):
        raise PermissionDenied("Your roles do not include recording training for this person")
    policy = user.trust.policy
    if topic not in [*policy.training.topics, QUIZ_TOPIC]:
        raise ValidationError({"topic": "Choose one of the topics the trust's policy names."})
    if kind not in TrainingKind.values:
        raise ValidationError({"kind": "Choose induction or refresher."})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The date cannot be in the future."})
    if not provider.strip():
        raise ValidationError({"provider": "Say who gave the training."})
    if evidence is None and not note.strip():
        raise ValidationError({"note": "Attach evidence (a certificate or sign-in sheet) or write a note."})
    # Nobody confirms their own training, not even someone who manages training.
    confirmed = not own
    record = TrainingRecord(
        user=user,
        topic=topic,
        kind=kind,
        completed_on=completed_on,
        provider=provider.strip(),
        note=note.strip(),
        recorded_by=actor,
        status=TrainingStatus.CONFIRMED if confirmed else TrainingStatus.PENDING,
        decided_by=actor if confirmed else None,
        decided_at=timezone.now() if confirmed else None,
    )
    if evidence is not None:
        record.evidence.save(evidence.name, evidence, save=False)
    record.save()
    audit_record(
        actor=actor,
        action="training.record",
        obj=record,
        changes={
            "user": user.email,
            "topic": topic,
            "kind": kind,
            "completed_on": completed_on,
            "status": record.status,
        },
    )
    return record


@transaction.atomic
def training_decide(*, actor: User, record: TrainingRecord, confirm: bool) -> TrainingRecord:
    """Someone who manages training confirms (or not) training a colleague recorded for themselves."""
    record = TrainingRecord.objects.select_for_update().select_related("user").get(pk=record.pk)
    if record.user_id == actor.pk:
        raise PermissionDenied("Ask a colleague who manages training to confirm your own training")
    if not _may_manage_training_of(actor, record.user):
        raise PermissionDenied("Your roles do not include confirming training for this person")
    to = TrainingStatus.CONFIRMED if confirm else TrainingStatus.REJECTED
    move(record, to, transitions=TRAINING_TRANSITIONS, refusal="This record is already {now}.")
    record.decided_by, record.decided_at = actor, timezone.now()
    record.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, action="training.decide", obj=record, changes={"status": to, "user": record.user.email})
    return record


@transaction.atomic
def quiz_submit(*, actor: User, token: str, version_number: int, answers: list[int | None]) -> tuple[QuizAttempt, bool]:
    """Mark a quiz attempt against the policy in force, with the pass mark the policy sets. The token comes with
    the form: the same attempt sent twice is recorded once (returns the first, and False). Passing records training
    on the social media policy."""
    if actor.trust is None or actor.trust.policy_version is None:
        raise PermissionDenied("You are not on the staff of a trust with a policy")
    try:
        token_uuid = uuid.UUID(str(token))
    except ValueError:
        raise ValidationError("This quiz form is not valid: start the quiz again.") from None
    existing = QuizAttempt.objects.filter(token=token_uuid).first()
    if existing is not None:
        if existing.user_id != actor.pk:
            raise ValidationError("This quiz form is not valid: start the quiz again.")
        return existing, False
    version = actor.trust.policy_version
    if version.number != version_number:
        raise ValidationError("The policy changed while you were answering. Here is the quiz on the new version.")
    questions = quiz.questions(version.policy)
    if len(answers) != len(questions) or any(a is None for a in answers):
        raise ValidationError("Answer every question.")
    score = quiz.mark(questions, answers)
    passed = 100 * score >= version.policy.training.quiz_pass_mark * len(questions)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=actor,
                version=version,
                token=token_uuid,
                score=score,
                total=len(questions),
                passed=passed,
                answers=answers,
            )
    except IntegrityError:  # the same form sent twice at once: the first one counts
        return QuizAttempt.objects.get(token=token_uuid, user=actor), False
    audit_record(
        actor=actor,
        action="training.quiz",
        obj=attempt,
        changes={"version": version.number, "score": score, "total": len(questions), "passed": passed},
    )
    if passed:
        inducted = selectors.training_state(actor).inducted
        record = TrainingRecord.objects.create(
            user=actor,
            topic=QUIZ_TOPIC,
            kind=TrainingKind.REFRESHER if inducted else TrainingKind.INDUCTION,
            completed_on=timezone.localdate(),
            provider="SafeSocial quiz on the trust's policy",
            note=f"Passed the quiz on version {version.document_version} with {score} of {len(questions)}.",
            status=TrainingStatus.CONFIRMED,
            recorded_by=actor,
            decided_at=timezone.now(),
            quiz_attempt=attempt,
        )
        audit_record(
            actor=actor, action="training.record", obj=record, changes={"topic": QUIZ_TOPIC, "kind": record.kind}
        )
    return attempt, True
