"""Taking a parent through the trust's escalation ladder.

Policy (`parents.escalation`): the school follows the steps the trust's policy lists, in order, and records each;
a later step may be taken early where the circumstances warrant it (a crime may have been committed), with the
reason recorded. Who manages the ladder is the policy's `parents.escalation_managed_by`."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from safesocial.audit.services import audit_record
from safesocial.moderation.models import Offender
from safesocial.people.models import ParentCarer, School, User
from safesocial.permissions import Action, require
from safesocial.policy.pdf import letterhead, render_pdf
from safesocial.policy.schema import EscalationStep
from safesocial.workflow import move

from .models import ESCALATION_TRANSITIONS, Escalation, EscalationStatus, StepRecord, WarningLetter

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def ladder_of(school: School) -> list[EscalationStep]:
    return list(school.trust.policy.parents.escalation)


_move = partial(move, transitions=ESCALATION_TRANSITIONS, refusal="An escalation that is {now} cannot become {to}.")


def next_step_key(escalation: Escalation, ladder: list[EscalationStep], done: set[str]) -> str | None:
    """The first step of the ladder not yet taken; None when every step has been taken."""
    for step in ladder:
        if step.key not in done:
            return step.key
    return None


def done_keys(escalation: Escalation) -> set[str]:
    return set(escalation.records.values_list("step_key", flat=True))


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "This date is in the future: record a step once it has been taken."})


@transaction.atomic
def escalation_start(
    *,
    actor: User,
    school: School,
    summary: str,
    parent: ParentCarer | None = None,
    account_name: str = "",
    account_platform: str = "",
    account_handle: str = "",
    concern=None,
) -> Escalation:
    """Start taking a parent or a community member's account through the ladder."""
    require(actor, Action.MANAGE_ESCALATION, school)
    if not ladder_of(school):
        raise ValidationError(
            "The trust's policy lists no escalation steps for parents: record what happened as a concern instead."
        )
    account_name = account_name.strip()
    if parent is None and not account_name:
        raise ValidationError(
            {"parent": "Choose the parent or carer, or give the name on the community member's account."}
        )
    if parent is not None and not parent.pupils.filter(school=school).exists():
        raise ValidationError({"parent": f"{parent} is not a parent or carer of a pupil at {school}."})
    if not summary.strip():
        raise ValidationError({"summary": "Say briefly what was posted."})
    if concern is not None and (
        concern.trust_id != school.trust_id or (concern.school_id and concern.school_id != school.pk)
    ):
        raise ValidationError({"school": "The concern is about another school: start the escalation there."})
    escalation = Escalation.objects.create(
        trust=school.trust,
        school=school,
        parent=parent,
        account_name=account_name if parent is None else "",
        account_platform=account_platform.strip(),
        account_handle=account_handle.strip(),
        concern=concern,
        summary=summary.strip(),
        status=EscalationStatus.OPEN,
        started_by=actor,
    )
    audit_record(
        actor=actor,
        action="escalation.start",
        obj=escalation,
        label=f"escalation {escalation.pk}",
        school_id=school.pk,
        changes={
            "parent": parent.pk if parent else None,
            "account": bool(account_name),
            "concern": concern.pk if concern else None,
        },
    )
    return escalation


@transaction.atomic
def escalation_open(*, actor: User, escalation: Escalation) -> Escalation:
    """Take up a proposed escalation."""
    require(actor, Action.MANAGE_ESCALATION, escalation.school)
    _move(escalation, EscalationStatus.OPEN)
    escalation.started_by = actor
    escalation.save(update_fields=["status", "started_by"])
    audit_record(
        actor=actor,
        action="escalation.open",
        obj=escalation,
        label=f"escalation {escalation.pk}",
        school_id=escalation.school_id,
    )
    return escalation


@transaction.atomic
def escalation_close(*, actor: User, escalation: Escalation, reason: str) -> Escalation:
    """Close the ladder: the matter is resolved, or (for a proposal) needs no action. The reason is kept."""
    require(actor, Action.MANAGE_ESCALATION, escalation.school)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the escalation is being closed."})
    _move(escalation, EscalationStatus.CLOSED)
    escalation.closed_at, escalation.closed_by, escalation.close_reason = timezone.now(), actor, reason.strip()
    escalation.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])
    audit_record(
        actor=actor,
        action="escalation.close",
        obj=escalation,
        label=f"escalation {escalation.pk}",
        school_id=escalation.school_id,
    )
    return escalation


@transaction.atomic
def escalation_step_take(
    *,
    actor: User,
    escalation: Escalation,
    step_key: str,
    taken_on: dt.date,
    outcome: str,
    early_reason: str = "",
) -> StepRecord:
    """Record a step of the policy's ladder. The next step is the first one not yet taken; a later one needs the
    reason it was taken early. A proposed escalation is opened by taking its first step."""
    require(actor, Action.MANAGE_ESCALATION, escalation.school)
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.status == EscalationStatus.CLOSED:
        raise ValidationError("This escalation is closed: start a new one if the matter comes back.")
    ladder = ladder_of(escalation.school)
    steps = {s.key: s for s in ladder}
    if step_key not in steps:
        raise ValidationError({"step": "That is not a step of the trust's policy: choose one from the ladder."})
    _not_future(taken_on, "taken_on")
    if not outcome.strip():
        raise ValidationError({"outcome": "Say what happened."})
    done = done_keys(escalation)
    suggested = next_step_key(escalation, ladder, done)
    order = [s.key for s in ladder]
    early = suggested is not None and order.index(step_key) > order.index(suggested)
    if early and suggested is not None and not early_reason.strip():
        raise ValidationError(
            {
                "early_reason": f"“{steps[step_key].title}” comes after the next step, “{steps[suggested].title}”: "
                "say why it is being taken now."
            }
        )
    if escalation.status == EscalationStatus.PROPOSED:
        _move(escalation, EscalationStatus.OPEN)
        escalation.started_by = escalation.started_by or actor
        escalation.save(update_fields=["status", "started_by"])
    record = StepRecord.objects.create(
        escalation=escalation,
        step_key=step_key,
        step_title=steps[step_key].title,
        taken_on=taken_on,
        taken_by=actor,
        outcome=outcome.strip(),
        early_reason=early_reason.strip() if early else "",
    )
    audit_record(
        actor=actor,
        action="escalation.step",
        obj=record,
        label=f"escalation {escalation.pk} step",
        school_id=escalation.school_id,
        changes={"step": step_key, "taken_on": taken_on, "early": early},
    )
    return record


@transaction.atomic
def escalation_step_correct(
    *, actor: User, record: StepRecord, taken_on: dt.date, outcome: str, reason: str
) -> StepRecord:
    """Correct a recorded step. The record stays as it was; the correction is a new record pointing at it."""
    escalation = record.escalation
    require(actor, Action.MANAGE_ESCALATION, escalation.school)
    if record.corrections.exists():
        raise ValidationError("This record has already been corrected: correct the latest version.")
    _not_future(taken_on, "taken_on")
    if not outcome.strip():
        raise ValidationError({"outcome": "Say what happened."})
    if not reason.strip():
        raise ValidationError({"reason": "Say what was wrong with the record."})
    correction = StepRecord.objects.create(
        escalation=escalation,
        step_key=record.step_key,
        step_title=record.step_title,
        taken_on=taken_on,
        taken_by=actor,
        outcome=outcome.strip(),
        early_reason=f"Correction: {reason.strip()}",
        corrects=record,
    )
    audit_record(
        actor=actor,
        action="escalation.step_correct",
        obj=correction,
        label=f"escalation {escalation.pk} step",
        school_id=escalation.school_id,
        changes={"corrects": record.pk, "taken_on": taken_on},
    )
    return correction


def fill_letter(template: str, values: dict[str, str]) -> str:
    """Put the values into the trust's template. An unknown placeholder is left as written, for a person to see."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template)


LETTER_MAX_CHARS = 20_000


def _letter_values(
    *,
    escalation: Escalation,
    parent_name: str,
    summary: str,
    incident_date: dt.date,
    remove_by: dt.date,
    signed_by: str,
    job_title: str,
) -> dict[str, str]:
    if escalation.status == EscalationStatus.CLOSED:
        raise ValidationError("This escalation is closed.")
    errors = {}
    if not parent_name.strip():
        errors["parent_name"] = "Give the name the letter is addressed to."
    if not summary.strip():
        errors["summary"] = "Say what the letter is about."
    if not signed_by.strip():
        errors["signed_by"] = "Give the name the letter is signed by."
    if not job_title.strip():
        errors["job_title"] = "Give the job title of the person who signs the letter."
    today = timezone.localdate()
    if incident_date > today:
        errors["incident_date"] = "The incident date is in the future."
    if remove_by < today:
        errors["remove_by"] = "The date to remove it by has already passed."
    if errors:
        raise ValidationError(errors)
    return {
        "parent_name": parent_name.strip(),
        "school_name": escalation.school.name,
        "summary": summary.strip(),
        "incident_date": f"{incident_date:%-d %B %Y}",
        "remove_by": f"{remove_by:%-d %B %Y}",
        "signed_by": signed_by.strip(),
        "job_title": job_title.strip(),
        "date": f"{today:%-d %B %Y}",
    }


def warning_letter_draft(
    *,
    actor: User,
    escalation: Escalation,
    parent_name: str,
    summary: str,
    incident_date: dt.date,
    remove_by: dt.date,
    signed_by: str,
    job_title: str,
) -> str:
    """The letter's words from the trust's template (`parents.warning_letter`), for the person sending it to read
    and edit before the PDF is made. Nothing is stored or recorded: only the letter made is."""
    require(actor, Action.MANAGE_ESCALATION, escalation.school)
    values = _letter_values(
        escalation=escalation,
        parent_name=parent_name,
        summary=summary,
        incident_date=incident_date,
        remove_by=remove_by,
        signed_by=signed_by,
        job_title=job_title,
    )
    return fill_letter(escalation.trust.policy.parents.warning_letter, values)


def _check_text(text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": "The letter has no words: write the letter, or start again from the template."})
    if len(text) > LETTER_MAX_CHARS:
        raise ValidationError({"text": f"The letter is too long: keep it under {LETTER_MAX_CHARS:,} characters."})
    left = sorted({m.group(0) for m in PLACEHOLDER.finditer(text)})
    if left:
        raise ValidationError({"text": f"The letter still has {', '.join(left)} in it: replace it with the words."})
    return text


def _letter_html(letter: WarningLetter) -> str:
    school = letter.escalation.school
    return render_to_string(
        "escalation/letter_print.html",
        {"letter": letter, "school": school} | letterhead(letter.escalation.trust.policy, school.name),
    )


@transaction.atomic
def warning_letter_generate(
    *,
    actor: User,
    escalation: Escalation,
    parent_name: str,
    summary: str,
    incident_date: dt.date,
    remove_by: dt.date,
    signed_by: str,
    job_title: str,
    text: str | None = None,
) -> WarningLetter:
    """Make the warning letter: the words the person read and edited (`text`), or else the trust's template filled
    in, printed once on the trust's letterhead and kept with the case. Only what the person types goes in: no pupil
    is named unless they type the name."""
    require(actor, Action.MANAGE_ESCALATION, escalation.school)
    values = _letter_values(
        escalation=escalation,
        parent_name=parent_name,
        summary=summary,
        incident_date=incident_date,
        remove_by=remove_by,
        signed_by=signed_by,
        job_title=job_title,
    )
    words = _check_text(
        text if text is not None else fill_letter(escalation.trust.policy.parents.warning_letter, values)
    )
    letter = WarningLetter.objects.create(
        escalation=escalation,
        text=words,
        parent_name=values["parent_name"],
        incident_date=incident_date,
        remove_by=remove_by,
        signed_by=values["signed_by"],
        job_title=values["job_title"],
        generated_by=actor,
    )
    pdf = render_pdf(_letter_html(letter))
    letter.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    letter.pdf.save(f"warning-letter-{letter.pk}.pdf", ContentFile(pdf), save=False)
    letter.save(update_fields=["pdf", "pdf_sha256"])
    audit_record(
        actor=actor,
        action="escalation.letter_generate",
        obj=letter,
        label=f"escalation {escalation.pk} letter",
        school_id=escalation.school_id,
        changes={"remove_by": remove_by, "edited": text is not None, "pdf_sha256": letter.pdf_sha256},
    )
    return letter


def warning_letter_pdf(*, actor: User, letter: WarningLetter) -> bytes:
    """The letter's PDF as it was made and kept; every download is recorded. A letter made before PDFs were kept is
    printed from its kept words."""
    require(actor, Action.MANAGE_ESCALATION, letter.escalation.school)
    if letter.pdf:
        with letter.pdf.open("rb") as f:
            pdf = f.read()
    else:
        pdf = render_pdf(_letter_html(letter))
    audit_record(
        actor=actor,
        action="escalation.letter_download",
        obj=letter,
        label=f"escalation {letter.escalation_id} letter",
        school_id=letter.escalation.school_id,
    )
    return pdf


@transaction.atomic
def escalation_propose_from_offender(*, offender: Offender) -> Escalation | None:
    """Moderation calls this when an author reaches the repeat-offender threshold. Where the author was matched to
    a parent or carer on a pupil's record, the ladder's first step is proposed at that pupil's school, once per
    offender. None when no parent was matched, the parent has no pupil on roll, or the policy lists no steps."""
    parent = offender.parent
    if parent is None:
        return None
    existing = Escalation.objects.filter(offender=offender).first()
    if existing is not None:
        return existing
    pupil = parent.pupils.filter(school__trust_id=offender.trust_id).select_related("school").order_by("pk").first()
    if pupil is None:
        return None
    ladder = ladder_of(pupil.school)
    if not ladder:
        return None
    escalation = Escalation.objects.create(
        trust=offender.trust,
        school=pupil.school,
        parent=parent,
        account_name=offender.author_name[:200],
        account_platform=offender.platform,
        account_handle=offender.author_id[:200],
        offender=offender,
        # Says that there is something and where, never what: the comments stay in moderation.
        summary="Comments by this account on the school's official channels were hidden repeatedly.",
        status=EscalationStatus.PROPOSED,
        proposed_step=ladder[0].key,
    )
    audit_record(
        actor="SafeSocial moderation",
        action="escalation.propose",
        obj=escalation,
        label=f"escalation {escalation.pk}",
        school_id=pupil.school_id,
        changes={"offender": offender.pk, "step": ladder[0].key},
    )
    return escalation
