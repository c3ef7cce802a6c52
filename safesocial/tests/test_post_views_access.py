"""Every view that accepts POST: it works, it needs sign-in, and it is hidden from an outsider.

ROWS holds one row per URL name. `test_every_view_that_accepts_post_has_a_row` walks the URL resolver for every
SafeSocial view that accepts POST, so a new one without a row fails it, named. Each row builds a scene (the URL, data a
form would send, who may send it, and an outsider: someone at the other school, outside the trust, or without the role)
and the three tests below post it:

- it works: the person who may posts, and the audit trail gains the one entry the service writes (every write is
  audited, so the entry is the write). Where a test elsewhere already proves the view works through its page, the
  row names that test instead, and `test_the_tests_a_row_names_exist` keeps the name true.
- it needs sign-in: nobody signed in posts the same data and is sent to sign in, and nothing is written.
- it is hidden from an outsider: the outsider posts the same data and nothing is written. What they see is in the row:
  404 (the record does not exist for them, the default), 403 (they may see the page but not act), or 302 (the
  refusal comes back as a message on the page they came from).

Public views (a parent's signed link, the public report form, a platform's webhook) need no sign-in: their row says
why, and names the test that refuses a stranger's request there."""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.channels import services as channels
from safesocial.channels.models import AccessLevel, ChannelAccess, ChannelStatus
from safesocial.compliance import services as compliance
from safesocial.concerns import services as concerns
from safesocial.concerns.models import Concern
from safesocial.consent import services as consent
from safesocial.consent.models import Method, Purpose
from safesocial.escalation import services as escalation
from safesocial.moderation.models import Comment, Offender
from safesocial.people.models import User
from safesocial.people.roles import Role
from safesocial.people.services import parent_create, pupil_create, role_grant
from safesocial.platforms.models import SandboxPost
from safesocial.policy import services as policy
from safesocial.publishing import services as posts
from safesocial.publishing.models import FaceTag, PostStatus, TakeDown, WithdrawalDecision
from safesocial.publishing.tests.test_manual_channels import make_group
from safesocial.registers import services as registers
from safesocial.subject_access import services as subject_access
from safesocial.testing.files import photo, png_bytes
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]


def today() -> dt.date:
    return timezone.localdate()


# The views ----------------------------------------------------------------------------------------------------------


def _walk(patterns, namespace: str = "") -> Iterator[tuple[str, Callable]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def _accepts_post(view: Callable) -> bool:
    """A view limited by require_http_methods (require_POST is one) says so in its closure; a view without a limit
    accepts POST if its code reads the request's method or its POST data, or hands a write to run_service."""
    func: Any = view
    while True:
        code = getattr(func, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            methods = func.__closure__[code.co_freevars.index("request_method_list")].cell_contents
            return "POST" in methods
        if not hasattr(func, "__wrapped__"):
            break
        func = func.__wrapped__
    return bool(re.search(r"request\.(POST|FILES|method)|run_service\(", inspect.getsource(func)))


def post_views() -> set[str]:
    """The names of SafeSocial's views that accept POST (allauth's and the admin's are their projects' to test)."""
    return {
        name
        for name, view in _walk(get_resolver().url_patterns)
        if view.__module__.startswith("safesocial.") and _accepts_post(view)
    }


# The world a scene is built in ------------------------------------------------------------------------------------


class World:
    """The fixtures a scene asks for, by name (`w.head`, `w.sandbox`), made when first asked for."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self._request = request

    def __getattr__(self, name: str) -> Any:
        return self._request.getfixturevalue(name)


@pytest.fixture
def world(request) -> World:
    return World(request)


@dataclass(frozen=True)
class Scene:
    url: str
    data: dict[str, Any] = field(default_factory=dict)
    actor: User | None = None  # who may do it
    outsider: User | None = None  # at the other school, outside the trust, or without the role
    action: str = ""  # the audit entry the service writes when it works


@dataclass(frozen=True)
class Row:
    scene: Callable[[World], Scene]
    works: str = ""  # "path::test" that proves the view works through its page, instead of this module
    outsider_gets: int = 404
    public: str = ""  # why no sign-in is needed
    refused: str = ""  # for a public view: "path::test" that refuses a stranger's request


def stranger(w: World) -> User:
    """Someone with an account but no place in the trust (the installation's other users)."""
    return User.objects.create_user(email="stranger@example.com", password="x" * 20, full_name="Sam Stranger")


def pupil(w: World, first: str = "Ava", last: str = "Quill"):
    kid = pupil_create(
        actor=None,
        school=w.seabright,
        first_name=first,
        last_name=last,
        date_of_birth=dt.date(2017, 5, 1),
        year_group="4",
        class_name="4O Owls",
    )
    parent_create(actor=None, trust=w.trust, full_name=f"Kim {last}", pupils=[(kid, "Mother")], email="")
    return kid


def governor(w: World) -> User:
    return w.make_staff(Role.GOVERNOR, None, "Gwen Trustee")


def it_support(w: World) -> User:
    return w.make_staff(Role.IT_SUPPORT, w.seabright, "Ike Tech")


def assistant(w: World) -> User:
    return w.make_staff(Role.SUPPORT_STAFF, w.seabright, "Tara Assistant")


# Posts: drafts, posts waiting for review and published posts, by the teacher on Seabright's sandbox page.


def draft(w: World, text: str = "Sports day is on Friday.", images=()):
    return posts.post_create(actor=w.teacher, channels=[w.sandbox], text=text, category="events", images=list(images))


def in_review(w: World, text: str = "Sports day is on Friday."):
    post, _ = posts.post_submit(actor=w.teacher, post=draft(w, text))
    assert post.status == PostStatus.IN_REVIEW
    return post


def published(w: World, text: str = "Sports day is on Friday."):
    with w.django_capture_on_commit_callbacks(execute=True):
        post = posts.post_approve(actor=w.colleague, post=in_review(w, text))
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    return post


def with_a_face(w: World):
    post = draft(w, images=[posts.ImageUpload(photo(), "Children on the field")])
    return post, FaceTag.objects.create(image=post.images.get(), x=100, y=100, w=120, h=120, score=0.9)


# Concerns: reported by a teaching assistant at Seabright, whose head is its DSL.


def concern(w: World, **kw) -> Concern:
    return concerns.concern_report(
        actor=assistant(w), school=w.seabright, kind="friend_request", summary="A friend request from a stranger.", **kw
    ).concern


def closed(w: World, *, due: bool = False) -> Concern:
    case = concern(w)
    concerns.concern_close(
        actor=w.head,
        concern=case,
        outcome="Advice given.",
        lessons="None.",
        policy_change=False,
        curriculum_change=False,
    )
    if due:
        Concern.objects.filter(pk=case.pk).update(retain_until=today() - dt.timedelta(days=1))
    case.refresh_from_db()
    return case


def an_escalation(w: World):
    return escalation.escalation_start(
        actor=w.head, school=w.seabright, parent=pupil(w).parents.get(), summary="A post criticising a teacher."
    )


def a_review(w: World):
    return policy.review_start(actor=w.ceo, trust=w.trust)


def a_comment(w: World, text: str = "Lovely photos, thank you!") -> Comment:
    published(w)
    url = reverse("sandbox_comment", args=[w.sandbox.pk, SandboxPost.objects.get(channel_id=w.sandbox.pk).pk])
    Client(REMOTE_ADDR="198.51.100.7").post(url, {"name": "Jo Parent", "text": text})
    return Comment.objects.get()


# The rows -------------------------------------------------------------------------------------------------------


def _people_role_add(w: World) -> Scene:
    return Scene(
        reverse("people:role_add", args=[w.teacher.pk]),
        {"role": Role.IT_SUPPORT.value, "school": w.seabright.pk},
        actor=w.head,
        outsider=w.outsider,
        action="role.grant",
    )


def _people_role_remove(w: World) -> Scene:
    extra = role_grant(actor=None, user=w.teacher, role=Role.IT_SUPPORT, school=w.seabright)
    return Scene(
        reverse("people:role_remove", args=[w.teacher.pk, extra.pk]),
        actor=w.head,
        outsider=w.outsider,
        action="role.revoke",
    )


def _review_started(w: World) -> Scene:
    return Scene(reverse("policy:review_start"), actor=w.ceo, outsider=w.outsider, action="policy_review.start")


def _review_saved(w: World) -> Scene:
    review = a_review(w)
    text = policy_text("000").replace('version: "2025-09"', 'version: "2026-09"')
    return Scene(
        reverse("policy:review_save", args=[review.pk]),
        {"text": text, "change_note": "A new school year."},
        actor=w.ceo,
        outsider=w.outsider,
        action="policy_review.save",
    )


def _review_submitted(w: World) -> Scene:
    review = a_review(w)
    return Scene(
        reverse("policy:review_submit", args=[review.pk]),
        actor=w.ceo,
        outsider=w.outsider,
        action="policy_review.submit",
    )


def _review_waiting(w: World, name: str, data: dict, action: str) -> Scene:
    review = a_review(w)
    policy.review_submit(actor=w.ceo, review=review)
    return Scene(reverse(name, args=[review.pk]), data, actor=w.ceo, outsider=w.outsider, action=action)


def _review_noted(w: World) -> Scene:
    review = a_review(w)
    policy.review_submit(actor=w.ceo, review=review)
    policy.review_approve(actor=w.ceo, review=review)
    return Scene(
        reverse("policy:review_note", args=[review.pk]),
        {"noted_on": today().isoformat(), "minute": "Minute 7"},
        actor=governor(w),
        outsider=w.outsider,
        action="policy_review.note",
    )


def _channel_proposed(w: World) -> Scene:
    return Scene(reverse("channels:propose"), actor=w.channel_admin, outsider=w.outsider)


def _aup_signed(w: World) -> Scene:
    return Scene(
        reverse("channels:aup"),
        {"signed_name": "Cora Colleague"},
        actor=w.colleague,
        outsider=stranger(w),
        action="aup.sign",
    )


def _on_the_sandbox(
    name: str, data: dict | Callable[[World], dict], *, action: str, actor: str = "channel_admin", status: str = ""
):
    def scene(w: World) -> Scene:
        return Scene(
            reverse(name, args=[w.sandbox.pk, *([status] if status else [])]),
            data(w) if callable(data) else data,
            actor=getattr(w, actor),
            outsider=w.outsider,
            action=action,
        )

    return scene


def _signed_off(w: World) -> Scene:
    proposed = channels.channel_propose(
        actor=w.channel_admin,
        trust=w.trust,
        school=w.seabright,
        platform="facebook_page",
        delivery="sandbox",
        name="Seabright news",
        official_email="office@seabright.example.com",
        purpose="News for families",
        audience="Parents",
        contributors=["parents"],
        time_commitment="2 hours a week",
        success_measures="Parents feel informed",
        risks=[channels.RiskSpec("Abusive comments", "medium", "Daily moderation", w.channel_admin)],
    )
    return Scene(
        reverse("channels:sign_off", args=[proposed.pk]),
        {"note": "Agreed at the leadership meeting."},
        actor=w.head,
        outsider=w.outsider,
        action="channel.sign_off",
    )


def _emergency_access(w: World) -> Scene:
    channels.credential_set(actor=w.channel_admin, channel=w.sandbox, kind="password", secret="pw-" + "x" * 20)
    return Scene(
        reverse("channels:break_glass", args=[w.sandbox.pk]),
        {"reason": "The administrator is off sick and a comment must come down."},
        actor=w.head,
        outsider=w.outsider,
        action="channel.break_glass",
    )


def _granted(w: World) -> Scene:
    channels.aup_sign(actor=w.colleague, signed_name=w.colleague.full_name)
    return Scene(
        reverse("channels:grant", args=[w.sandbox.pk]),
        {
            "user": w.colleague.pk,
            "level": AccessLevel.POSTER,
            "expires_on": (today() + dt.timedelta(days=90)).isoformat(),
        },
        actor=w.head,
        outsider=w.outsider,
        action="channel.access_grant",
    )


def _revoked(w: World) -> Scene:
    grant = ChannelAccess.objects.get(channel=w.sandbox, user=w.teacher)
    return Scene(
        reverse("channels:revoke", args=[w.sandbox.pk, grant.pk]),
        actor=w.head,
        outsider=w.outsider,
        action="channel.access_revoke",
    )


def _unfollowed(w: World) -> Scene:
    follow = channels.follow_add(
        actor=w.channel_admin,
        channel=w.sandbox,
        name="Seabright library",
        url="https://library.seabright.example/",
        kind="follow",
        commercial=False,
        reason="News of the town library",
    )
    return Scene(
        reverse("channels:follow_remove", args=[w.sandbox.pk, follow.pk]),
        actor=w.channel_admin,
        outsider=w.outsider,
        action="channel.follow_remove",
    )


def _sandbox_comment(w: World) -> Scene:
    published(w)
    page = SandboxPost.objects.get(channel_id=w.sandbox.pk)
    return Scene(reverse("sandbox_comment", args=[w.sandbox.pk, page.pk]), {"name": "Jo Parent", "text": "Well done!"})


def _imported(w: World) -> Scene:
    csv = (
        "UPN,Legal Forename,Legal Surname,Date of Birth,Year,Reg Group,Contact 1 Name,Contact 1 Relationship\n"
        "A123456789012,Rhys,Marlow,04/03/2017,4,4O Owls,Dee Marlow,Mother\n"
    )
    return Scene(
        reverse("consent:import", args=["seabright"]),
        {"file": SimpleUploadedFile("pupils.csv", csv.encode(), content_type="text/csv")},
        actor=w.head,
        outsider=w.outsider,
        action="pupils.import",
    )


def _consent_recorded(w: World) -> Scene:
    kid = pupil(w)
    return Scene(
        reverse("consent:record", args=[kid.pk]),
        {
            "purpose": Purpose.SOCIAL_MEDIA,
            "given": "yes",
            "parent": kid.parents.get().pk,
            "method": Method.PAPER,
            "given_on": today().isoformat(),
        },
        actor=w.head,
        outsider=w.outsider,
        action="consent.record",
    )


def _reference_face(w: World) -> Scene:
    kid = pupil(w)
    return Scene(
        reverse("consent:enrol_reference", args=[kid.pk]),
        {"photo": photo("ava.jpg")},
        actor=w.head,
        outsider=w.outsider,
    )


def _post_written(w: World) -> Scene:
    return Scene(
        reverse("publishing:create"),
        {"channels": [w.sandbox.pk], "category": "events", "text": "Harvest festival on Thursday."},
        actor=w.teacher,
        outsider=w.outsider,
        action="post.create",
    )


def _post_edited(w: World) -> Scene:
    post = draft(w)
    return Scene(
        reverse("publishing:edit", args=[post.pk]),
        {"category": "events", "text": "Sports day moves to Monday."},
        actor=w.teacher,
        outsider=w.outsider,
        action="post.update",
    )


def _post(name: str, make: Callable[[World], Any], data: dict, *, actor: str, action: str):
    def scene(w: World) -> Scene:
        post = make(w)
        return Scene(reverse(name, args=[post.pk]), data, actor=getattr(w, actor), outsider=w.outsider, action=action)

    return scene


def _retried(w: World) -> Scene:
    post = in_review(w)
    type(post).objects.filter(pk=post.pk).update(status=PostStatus.FAILED, status_note="The token had expired.")
    return Scene(reverse("publishing:retry", args=[post.pk]), actor=w.teacher, outsider=w.outsider, action="post.retry")


def _take_down_confirmed(w: World) -> Scene:
    post = published(w)
    # A channel on Instagram, whose API deletes nothing: the take-down waits for someone to do it by hand.
    type(w.sandbox).objects.filter(pk=w.sandbox.pk).update(platform="instagram", delivery="live")
    posts.post_take_down(actor=w.teacher, post=post, reason="complaint")
    row = TakeDown.objects.get()
    return Scene(
        reverse("publishing:take_down_confirm", args=[post.pk, row.pk]),
        actor=w.teacher,
        outsider=w.outsider,
        action="post.take_down_confirmed",
    )


def _withdrawal_decided(w: World) -> Scene:
    kid = pupil(w)
    parent = kid.parents.get()
    for purpose in (Purpose.SOCIAL_MEDIA, Purpose.NAME_WITH_PHOTO):
        consent.consent_record(actor=w.head, pupil=kid, purpose=purpose, given=True, method=Method.PAPER, parent=parent)
    post = published(w, "Ava Quill won the poetry prize!")
    consent.consent_record(
        actor=w.head, pupil=kid, purpose=Purpose.SOCIAL_MEDIA, given=False, method=Method.PAPER, parent=parent
    )
    decision = WithdrawalDecision.objects.get(post=post)
    return Scene(
        reverse("publishing:withdrawal_decide", args=[post.pk, decision.pk]),
        {"decision": "keep", "because": "The parent agreed by phone."},
        actor=w.head,
        outsider=w.outsider,
    )


def _recorded_by_hand(w: World) -> Scene:
    group = make_group(w.channel_admin, w.head, w.seabright, posters=[w.teacher])
    post = posts.post_create(actor=w.teacher, channels=[group], text="Harvest festival on Thursday.", category="events")
    post, _ = posts.post_submit(actor=w.teacher, post=post)
    posts.post_approve(actor=w.colleague, post=post)
    prefix, now = f"by-hand-{post.deliveries.get().pk}", timezone.localtime()
    return Scene(
        reverse("publishing:record_by_hand", args=[post.pk, post.deliveries.get().pk]),
        {
            f"{prefix}-url": "https://www.facebook.com/groups/seabright-parents-example/posts/1001",
            f"{prefix}-published_on": f"{now:%d/%m/%Y}",
            f"{prefix}-published_time": f"{now:%H:%M}",
        },
        actor=w.teacher,
        outsider=w.outsider,
        action="post.published_by_hand",
    )


def a_suggestion(w: World, to_role: str = ""):
    """A teaching assistant's idea for Seabright's sandbox page, waiting for its posters (or for `to_role`)."""
    assistant = w.make_staff(Role.SUPPORT_STAFF, w.seabright, "Jo Assistant")
    suggestion = posts.suggestion_create(
        actor=assistant, channel=w.sandbox, text="More reading volunteers, please.", category="events"
    )
    if to_role:  # as a trust whose policy names who receives suggestions (policy 001: the head) would have it
        type(suggestion).objects.filter(pk=suggestion.pk).update(to_role=to_role)
    return suggestion


def _suggested(w: World) -> Scene:
    return Scene(
        reverse("publishing:suggest"),
        {"channel": w.sandbox.pk, "category": "events", "text": "More reading volunteers, please."},
        actor=w.make_staff(Role.SUPPORT_STAFF, w.seabright, "Jo Assistant"),
        outsider=w.outsider,  # offered no channel of another school
        action="suggestion.create",
    )


def _on_a_suggestion(name: str, actor: str, action: str, data: dict | None = None, to_role: str = ""):
    def scene(w: World) -> Scene:
        suggestion = a_suggestion(w, to_role)
        return Scene(
            reverse(name, args=[suggestion.pk]), data or {}, actor=getattr(w, actor), outsider=w.outsider, action=action
        )

    return scene


def _face_tagged(w: World) -> Scene:
    post, face = with_a_face(w)
    return Scene(
        reverse("publishing:tag_face", args=[post.pk, face.pk]),
        {"who": "not_pupil"},
        actor=w.teacher,
        outsider=w.outsider,
        action="post.face_tag",
    )


def _faces_blurred(w: World) -> Scene:
    post, _ = with_a_face(w)
    return Scene(
        reverse("publishing:blur_faces", args=[post.pk]),
        actor=w.teacher,
        outsider=w.outsider,
        action="post.blur_faces",
    )


def _comment_hidden(w: World) -> Scene:
    comment = a_comment(w)
    return Scene(
        reverse("moderation:act", args=[comment.pk, "hide"]),
        {"reason": "Names a child."},
        actor=w.channel_admin,
        outsider=w.outsider,
        action="comment.hide",
    )


def _on_a_concern(name: str, data: Callable[[World, Concern], dict] | dict, *, action: str, make=concern, extra=None):
    def scene(w: World) -> Scene:
        case = make(w)
        args = [case.pk, *([extra(w, case)] if extra else [])]
        return Scene(
            reverse(name, args=args),
            data(w, case) if callable(data) else data,
            actor=w.head,
            outsider=w.outsider,
            action=action,
        )

    return scene


def _transfer(w: World) -> Scene:
    kid = pupil(w)
    concern(w, people=concerns.People(pupils=[kid]))
    return Scene(
        reverse("concerns:transfer", args=[kid.pk]),
        {"moved_on": today().isoformat(), "to_school": w.millbrook.pk},
        actor=w.head,
        outsider=w.outsider,
    )


def _transfer_sent(w: World) -> Scene:
    kid = pupil(w)
    concern(w, people=concerns.People(pupils=[kid]))
    transfer = concerns.records_transfer(
        actor=w.head,
        pupil=kid,
        moved_on=today(),
        destination="Riverside Academy",
        recipient="The DSL, dsl@riverside.example.com",
    )
    return Scene(
        reverse("concerns:transfer_sent", args=[kid.pk, transfer.pk]),
        {"sent_on": today().isoformat(), "sent_how": "Secure email to the DSL"},
        actor=w.head,
        outsider=w.outsider,
    )


def _escalation_step(w: World) -> Scene:
    case = an_escalation(w)
    return Scene(
        reverse("escalation:take_step", args=[case.pk]),
        {"step": "discuss", "taken_on": today().isoformat(), "outcome": "Talked it through on the phone."},
        actor=w.head,
        outsider=w.outsider,
        action="escalation.step",
    )


def _on_an_escalation(name: str, data: dict, *, extra=None) -> Callable[[World], Scene]:
    def scene(w: World) -> Scene:
        case = an_escalation(w)
        args = [case.pk, *([extra(w, case)] if extra else [])]
        return Scene(reverse(name, args=args), data, actor=w.head, outsider=w.outsider)

    return scene


def _a_step(w: World, case) -> int:
    return escalation.escalation_step_take(
        actor=w.head, escalation=case, step_key="discuss", taken_on=today(), outcome="Phoned.", early_reason=""
    ).pk


def _a_proposal(w: World) -> Scene:
    parent = pupil(w).parents.get()
    offender = Offender.objects.create(
        trust=w.trust, platform="facebook_page", author_id="fb-1", author_name="Kim Quill", parent=parent
    )
    proposal = escalation.escalation_propose_from_offender(offender=offender)
    return Scene(reverse("escalation:open", args=[proposal.pk]), actor=w.head, outsider=w.outsider)


def _declared(w: World):
    return registers.friendship_declare(
        actor=w.teacher,
        school=w.seabright,
        pupils=[pupil(w)],
        nature="Family friends since university.",
        platforms=["facebook"],
    )


def _subject_access_asked(w: World) -> Scene:
    kid = pupil(w)
    return Scene(
        reverse("subject_access:new"),
        {
            "school": w.seabright.pk,
            "requester_name": "Kim Quill",
            "requester_relationship": "Parent of the pupil",
            "received_on": today().strftime("%d/%m/%Y"),
            "subject": f"pupil:{kid.pk}",
        },
        actor=w.head,
        outsider=w.teacher,
        action="subject_access.create",
    )


def _on_a_subject_access_request(name: str, data: dict, *, action: str, marked: bool = False):
    def scene(w: World) -> Scene:
        sar = subject_access.sar_create(
            actor=w.head,
            school=w.seabright,
            requester_name="Kim Quill",
            requester_relationship="Parent of the pupil",
            received_on=today(),
            pupil=pupil(w),
        )
        args = [sar.pk]
        if marked:
            mark = subject_access.redaction_mark(actor=w.head, sar=sar, reason="A third party.", name="Jo Bloggs")
            args.append(mark.pk)
        return Scene(reverse(name, args=args), data, actor=w.head, outsider=w.teacher, action=action)

    return scene


def _friendship_declared(w: World) -> Scene:
    kid = pupil(w)
    return Scene(
        reverse("registers:friendship_new"),
        {
            "school": w.seabright.pk,
            "pupils": [kid.pk],
            "nature": "Our children play football together.",
            "platforms": ["facebook"],
        },
        actor=w.teacher,
        outsider=stranger(w),
        action="friendship.declare",
    )


def _on_a_declaration(
    name: str, data: dict | Callable[[Any], dict], *, action: str, actor: str = "teacher", decided: bool = False
):
    def scene(w: World) -> Scene:
        declaration = _declared(w)
        if decided:
            registers.friendship_decide(actor=w.head, declaration=declaration, decision="limit", advice="Restrict it.")
        return Scene(
            reverse(name, args=[declaration.pk]),
            data(declaration) if callable(data) else data,
            actor=getattr(w, actor),
            outsider=w.outsider,
            action=action,
        )

    return scene


def _unblock_asked(w: World) -> Scene:
    return Scene(
        reverse("registers:unblock_new"),
        {"school": w.seabright.pk, "url": "https://www.example.com/rivers", "reason": "Geography lesson."},
        actor=w.teacher,
        outsider=stranger(w),
        action="unblock.request",
    )


def _unblock_decided(w: World) -> Scene:
    item = registers.unblock_request(
        actor=w.teacher, school=w.seabright, url="https://www.example.com/rivers", reason="Geography lesson."
    )
    return Scene(
        reverse("registers:unblock_decide", args=[item.pk]),
        {"decision": "approve", "note": "Unblocked for the school."},
        actor=it_support(w),
        outsider=w.outsider,
        action="unblock.approve",
    )


AI_TOOL = {
    "tool": "Planning chatbot",
    "purpose": "Lesson plans",
    "data_shared": "No personal data",
    "age_restrictions": "Staff only",
    "risks": "Wrong answers: every plan is checked by the teacher.",
}


def _approval_asked(w: World) -> Scene:
    return Scene(
        reverse("registers:approval_new", args=["ai-tools"]),
        {"school": w.seabright.pk, **AI_TOOL, "review_on": (today() + dt.timedelta(days=180)).isoformat()},
        actor=w.teacher,
        outsider=stranger(w),
        action="ai_tool.submit",
    )


def _approval_decided(w: World) -> Scene:
    item = registers.remote_learning_submit(
        actor=w.teacher,
        school=w.seabright,
        platform="Class video calls",
        purpose="Lessons at home",
        year_groups="Years 5 and 6",
        data_protection="DPIA done",
        age_limits="None",
        risks="Strangers joining: waiting room on",
        review_on=today() + dt.timedelta(days=365),
    )
    return Scene(
        reverse("registers:approval_decide", args=["remote-learning", item.pk]),
        {"decision": "approve", "note": "With the safeguards listed."},
        actor=w.head,
        outsider=w.outsider,
        action="remote_learning.approve",
    )


def _acknowledged(w: World) -> Scene:
    return Scene(
        reverse("compliance:acknowledge"), actor=w.teacher, outsider=stranger(w), action="acknowledgement.staff"
    )


def _training_recorded(w: World) -> Scene:
    return Scene(
        reverse("compliance:record"),
        {
            "topic": w.trust.policy.training.topics[0],
            "kind": "induction",
            "completed_on": today().isoformat(),
            "provider": "Local authority online safety adviser",
            "note": "Signed attendance sheet in the office.",
        },
        actor=w.teacher,
        outsider=stranger(w),
        action="training.record",
    )


def _training_decided(w: World) -> Scene:
    record = compliance.training_record(
        actor=w.teacher,
        user=w.teacher,
        topic=w.trust.policy.training.topics[0],
        kind="induction",
        completed_on=today(),
        provider="Local authority online safety adviser",
        note="Signed attendance sheet in the office.",
    )
    return Scene(
        reverse("compliance:decide", args=[record.pk]),
        {"decision": "confirm"},
        actor=w.head,
        outsider=w.outsider,
        action="training.decide",
    )


def _letters(w: World) -> Scene:
    pupil(w)
    return Scene(
        reverse("compliance:letters", args=["seabright"]), {"class_name": "4O Owls"}, actor=w.head, outsider=w.outsider
    )


def _public(name: str, args: Callable[[World], list] = lambda w: []) -> Callable[[World], Scene]:
    return lambda w: Scene(reverse(name, args=args(w)))


CONCERNS = "safesocial/concerns/tests"
ROWS: dict[str, Row] = {
    # People and policy
    "setup:trust": Row(
        lambda w: Scene(reverse("setup:trust"), actor=None, outsider=w.head),
        works="safesocial/policy/tests/test_services.py::test_setup_page_creates_the_trust_for_the_administrator",
        outsider_gets=403,
    ),
    "people:staff_add": Row(
        lambda w: Scene(reverse("people:staff_add"), actor=w.head, outsider=w.outsider),
        works="safesocial/people/tests/test_views.py::test_head_adds_a_member_of_staff",
    ),
    "people:role_add": Row(_people_role_add),
    "people:role_remove": Row(_people_role_remove),
    "policy:adopt": Row(
        lambda w: Scene(reverse("policy:adopt"), actor=w.ceo, outsider=w.outsider),
        works="safesocial/policy/tests/test_services.py::test_adopt_page_takes_a_new_version",
        outsider_gets=403,
    ),
    "policy:review_start": Row(_review_started, outsider_gets=403),
    "policy:review_save": Row(_review_saved),
    "policy:review_submit": Row(_review_submitted),
    "policy:review_approve": Row(
        lambda w: _review_waiting(w, "policy:review_approve", {}, "policy_review.approve"),
    ),
    "policy:review_return": Row(
        lambda w: _review_waiting(w, "policy:review_return", {"note": "Add the AI guidance."}, "policy_review.return"),
    ),
    "policy:review_note": Row(_review_noted),
    # Channels
    "channels:propose": Row(
        _channel_proposed,
        works="safesocial/channels/tests/test_services.py::test_proposing_through_the_page",
        outsider_gets=403,
    ),
    "channels:aup": Row(_aup_signed),
    "channels:sign_off": Row(_signed_off),
    "channels:add_risk": Row(
        _on_the_sandbox(
            "channels:add_risk",
            lambda w: {
                "hazard": "A parent shares a photo of another child",
                "likelihood": "low",
                "impact": "high",
                "mitigation": "Comments are moderated within the hour",
                "owner": w.channel_admin.pk,
            },
            action="channel.risk_add",
        )
    ),
    "channels:set_status": Row(
        _on_the_sandbox(
            "channels:set_status",
            {"reason": "A comment storm over the weekend."},
            action="channel.status",
            status=ChannelStatus.SUSPENDED,
        )
    ),
    "channels:set_credential": Row(
        _on_the_sandbox(
            "channels:set_credential",
            {"kind": "password", "login": "office@seabright.example.com", "secret": "pw-" + "y" * 20},
            action="channel.credential_set",
        )
    ),
    "channels:break_glass": Row(_emergency_access),
    "channels:grant": Row(_granted),
    "channels:revoke": Row(_revoked),
    "channels:review": Row(
        _on_the_sandbox(
            "channels:review",
            {"objectives_met": "yes", "notes": "Parents read it and the comments stay kind."},
            action="channel.review",
            actor="head",
        )
    ),
    "channels:follow_add": Row(
        _on_the_sandbox(
            "channels:follow_add",
            {
                "name": "Seabright library",
                "url": "https://library.seabright.example/",
                "kind": "follow",
                "commercial": "no",
                "reason": "News of the town library",
            },
            action="channel.follow_add",
        )
    ),
    "channels:follow_remove": Row(_unfollowed),
    "sandbox_comment": Row(
        _sandbox_comment,
        works="safesocial/moderation/tests/test_inbox.py::test_an_abusive_comment_is_hidden_at_once_with_its_reason",
        public="the sandbox page stands in for a public page on a social network: anyone may comment",
        refused="safesocial/tests/test_post_views_access.py::test_nobody_comments_on_a_sandbox_that_is_not_active",
    ),
    # Consent
    "consent:import": Row(_imported),
    "consent:record": Row(
        _consent_recorded,
        works="safesocial/consent/tests/test_consent.py::test_the_pupil_page_shows_consent_and_the_office_records_it",
    ),
    "consent:enrol_reference": Row(
        _reference_face,
        works="safesocial/publishing/tests/test_consent_checks.py::test_faces_are_matched_only_to_pupils_with_biometric_consent",
    ),
    "consent:parent": Row(
        _public("consent:parent", lambda w: ["not-a-token"]),
        works="safesocial/consent/tests/test_consent.py::test_a_parent_changes_their_childs_consent_through_their_own_link",
        public="a parent's own page, reached from the signed link the school sends them",
        refused="safesocial/consent/tests/test_security_secret_keys.py::test_a_consent_link_signed_with_djangos_secret_key_is_refused",
    ),
    # Publishing
    "publishing:create": Row(_post_written, outsider_gets=302),  # to the channels: none they may post to
    "publishing:edit": Row(_post_edited),
    "publishing:submit": Row(
        _post("publishing:submit", draft, {}, actor="teacher", action="post.submit"),
        works="safesocial/publishing/tests/test_views.py::test_submit_and_approve_through_the_pages",
    ),
    "publishing:approve": Row(
        _post("publishing:approve", in_review, {"notes": "Reads well."}, actor="colleague", action="post.approve"),
        works="safesocial/publishing/tests/test_views.py::test_submit_and_approve_through_the_pages",
    ),
    "publishing:reject": Row(
        _post("publishing:reject", in_review, {"notes": "Say which field."}, actor="colleague", action="post.reject")
    ),
    "publishing:withdraw": Row(
        _post(
            "publishing:withdraw",
            in_review,
            {"reason": "Sports day is cancelled."},
            actor="teacher",
            action="post.withdraw",
        )
    ),
    "publishing:retry": Row(_retried),
    "publishing:take_down": Row(
        _post(
            "publishing:take_down",
            published,
            {"reason": "error", "note": "Wrong day."},
            actor="teacher",
            action="post.take_down",
        )
    ),
    "publishing:take_down_confirm": Row(_take_down_confirmed),
    "publishing:withdrawal_decide": Row(
        _withdrawal_decided,
        works="safesocial/publishing/tests/test_take_down.py::test_the_channel_owner_sees_the_decision_on_the_dashboard_and_takes_the_post_down_from_its_page",
    ),
    "publishing:tag_face": Row(_face_tagged),
    "publishing:blur_faces": Row(_faces_blurred),
    "publishing:record_by_hand": Row(
        _recorded_by_hand,
        works="safesocial/publishing/tests/test_manual_channels.py::test_a_poster_records_the_link_on_the_posts_page",
    ),
    "publishing:suggest": Row(_suggested, outsider_gets=302),  # to the channels: none they may suggest a post for
    "publishing:suggestion_agree": Row(
        _on_a_suggestion("publishing:suggestion_agree", "head", "suggestion.agree", to_role="head")
    ),
    "publishing:suggestion_draft": Row(_on_a_suggestion("publishing:suggestion_draft", "teacher", "suggestion.draft")),
    "publishing:suggestion_decline": Row(
        _on_a_suggestion("publishing:suggestion_decline", "teacher", "suggestion.decline", {"note": "Done already."})
    ),
    # Moderation and direct messages
    "moderation:act": Row(_comment_hidden),
    "direct_messages:sandbox_send": Row(
        _public("direct_messages:sandbox_send", lambda w: [w.sandbox.pk]),
        works="safesocial/direct_messages/tests/test_views.py::test_a_visitor_messages_the_sandbox_account_and_gets_only_the_standard_reply",
        public="the sandbox page stands in for messaging a page on a social network: anyone may write",
        refused="safesocial/direct_messages/tests/test_views.py::test_only_a_sandbox_channel_takes_messages_from_the_sandbox_page",
    ),
    "meta_webhook": Row(
        _public("meta_webhook"),
        works="safesocial/moderation/tests/test_inbox.py::test_a_signed_delivery_is_stored_and_the_same_delivery_twice_once",
        public="Meta delivers comments here, signed with the app secret",
        refused="safesocial/moderation/tests/test_inbox.py::test_a_forged_delivery_is_refused",
    ),
    # Concerns
    "concerns_public:report": Row(
        _public("concerns_public:report", lambda w: [w.seabright.pk]),
        works=f"{CONCERNS}/test_views.py::test_the_public_form_needs_no_account_and_gives_a_reference",
        public="parents, pupils and the community report a worry without an account",
        refused=f"{CONCERNS}/test_views.py::test_the_public_form_is_rate_limited",
    ),
    "concerns:report": Row(
        lambda w: Scene(reverse("concerns:report"), actor=w.teacher, outsider=stranger(w)),
        works=f"{CONCERNS}/test_views.py::test_a_teaching_assistant_reports_with_a_screenshot_and_a_bad_file_and_nothing_is_lost",
    ),
    "concerns:transfer": Row(
        _transfer,
        works=f"{CONCERNS}/test_transfers.py::test_the_dsl_transfers_a_pupils_records_out_of_the_trust_from_a_page_and_records_them_as_sent",
    ),
    "concerns:transfer_sent": Row(
        _transfer_sent,
        works=f"{CONCERNS}/test_transfers.py::test_the_dsl_transfers_a_pupils_records_out_of_the_trust_from_a_page_and_records_them_as_sent",
    ),
    "concerns:retention_keep": Row(
        _on_a_concern(
            "concerns:retention_keep",
            {"keep_years": 5, "reason": "A sibling's case is still open."},
            action="concern.retention_review",
            make=lambda w: closed(w, due=True),
        )
    ),
    "concerns:destroy": Row(
        _on_a_concern(
            "concerns:destroy",
            {"reason": "Past retention."},
            action="concern.destroy",
            make=lambda w: closed(w, due=True),
        ),
        works=f"{CONCERNS}/test_retention.py::test_the_review_page_lists_due_records_and_destroys_one",
    ),
    "concerns:hold": Row(
        _on_a_concern(
            "concerns:hold",
            {"hold": "on", "reason": "Court order."},
            action="concern.legal_hold",
            make=lambda w: closed(w, due=True),
        ),
        works=f"{CONCERNS}/test_retention.py::test_the_review_page_lists_due_records_and_destroys_one",
    ),
    "concerns:note": Row(
        _on_a_concern("concerns:note", {"text": "Spoke to the class teacher."}, action="concern.note")
    ),
    "concerns:action": Row(
        _on_a_concern(
            "concerns:action",
            lambda w, case: {
                "description": "Speak to the parents",
                "assigned_to": w.head.pk,
                "due_on": today().isoformat(),
            },
            action="concern.action.add",
        )
    ),
    "concerns:action_done": Row(
        _on_a_concern(
            "concerns:action_done",
            {"note": "Done on Tuesday."},
            action="concern.action.done",
            extra=lambda w, case: (
                concerns.action_add(
                    actor=w.head, concern=case, description="Speak to the parents", assigned_to=w.head, due_on=today()
                ).pk
            ),
        )
    ),
    "concerns:step": Row(
        _on_a_concern(
            "concerns:step",
            lambda w, case: {"step": "parents", "on": today().isoformat(), "text": "Mother told by phone."},
            action="concern.parents",
        )
    ),
    "concerns:referral": Row(
        _on_a_concern(
            "concerns:referral",
            lambda w, case: {"kind": "mash", "made_on": today().isoformat(), "contact": "MASH duty desk"},
            action="concern.referral",
        ),
        works=f"{CONCERNS}/test_referrals.py::test_recording_a_referral_works_and_shows_on_the_concern",
    ),
    "concerns:referral_outcome": Row(
        _on_a_concern(
            "concerns:referral_outcome",
            lambda w, case: {"outcome": "No further action.", "on": today().isoformat()},
            action="concern.referral_outcome",
            extra=lambda w, case: (
                concerns.referral_record(
                    actor=w.head, concern=case, kind="mash", made_on=today(), contact="MASH duty desk"
                ).pk
            ),
        ),
        works=f"{CONCERNS}/test_referrals.py::test_recording_a_referral_works_and_shows_on_the_concern",
    ),
    "concerns:triage": Row(
        _on_a_concern("concerns:triage", {"level": "low", "reason": "Safe at school."}, action="concern.triage"),
        works=f"{CONCERNS}/test_triage.py::test_the_triage_form_works_for_the_dsl",
    ),
    "concerns:acknowledge": Row(
        _on_a_concern("concerns:acknowledge", {}, action="concern.acknowledge"),
        works=f"{CONCERNS}/test_triage.py::test_acknowledging_works_for_a_receiver",
    ),
    "concerns:link": Row(
        _on_a_concern("concerns:link", {"other_accounts": "Facebook: Jo Bloggs"}, action="concern.link")
    ),
    "concerns:close": Row(
        _on_a_concern("concerns:close", {"outcome": "Resolved", "lessons": "Lock profiles"}, action="concern.close"),
        works=f"{CONCERNS}/test_views.py::test_the_dsl_adds_an_action_and_closes_with_a_debrief",
    ),
    "concerns:reopen": Row(
        _on_a_concern(
            "concerns:reopen", {"reason": "The requests started again."}, action="concern.reopen", make=closed
        )
    ),
    "concerns:retention": Row(
        _on_a_concern(
            "concerns:retention",
            {"keep_years": 5, "reason": "A sibling's case is still open."},
            action="concern.retention_review",
            make=lambda w: closed(w, due=True),
        )
    ),
    "concerns:evidence": Row(
        _on_a_concern(
            "concerns:evidence",
            lambda w, case: {"files": [SimpleUploadedFile("shot.png", png_bytes(), content_type="image/png")]},
            action="concern.evidence.add",
        )
    ),
    "concerns:correct": Row(
        _on_a_concern(
            "concerns:correct",
            {"text": "It was Tuesday, not Monday."},
            action="concern.correct",
            extra=lambda w, case: (
                concerns.chronology_add(actor=w.head, concern=case, text="Spoke to her on Monday.").pk
            ),
        )
    ),
    "concerns:change_entry": Row(
        _on_a_concern(
            "concerns:change_entry",
            {"text": "Changed."},
            action="",
            extra=lambda w, case: concerns.chronology_add(actor=w.head, concern=case, text="Spoke to her.").pk,
        ),
        works=f"{CONCERNS}/test_views.py::test_an_attempt_to_edit_or_delete_a_chronology_entry_gets_a_clear_answer",
    ),
    # Escalation
    "escalation:start": Row(
        lambda w: Scene(reverse("escalation:start"), actor=w.head, outsider=w.outsider),
        works="safesocial/escalation/tests/test_escalation.py::test_start_form_starts_an_escalation",
    ),
    "escalation:take_step": Row(_escalation_step),
    "escalation:correct_step": Row(
        _on_an_escalation(
            "escalation:correct_step",
            {"taken_on": today().isoformat(), "outcome": "Met in person.", "reason": "It was a meeting."},
            extra=_a_step,
        ),
        works="safesocial/escalation/tests/test_escalation.py::test_a_correction_through_the_form_keeps_the_original",
    ),
    "escalation:open": Row(
        _a_proposal,
        works="safesocial/escalation/tests/test_escalation.py::test_a_proposal_can_be_opened_or_closed_as_needing_no_action",
    ),
    "escalation:close": Row(
        _on_an_escalation("escalation:close", {"reason": "The comments were about a lost coat."}),
        works="safesocial/escalation/tests/test_escalation.py::test_a_proposal_can_be_opened_or_closed_as_needing_no_action",
    ),
    "escalation:letter_generate": Row(
        _on_an_escalation("escalation:letter_generate", {}),
        works="safesocial/escalation/tests/test_escalation.py::test_letter_can_be_made_and_downloaded_as_a_pdf",
    ),
    "escalation:letter_preview": Row(
        _on_an_escalation("escalation:letter_preview", {}),
        works="safesocial/escalation/tests/test_letters.py::test_the_preview_shows_the_filled_template_to_edit_and_keeps_nothing",
    ),
    # Subject access
    "subject_access:new": Row(_subject_access_asked),
    "subject_access:redact": Row(
        _on_a_subject_access_request(
            "subject_access:redact", {"name": "Jo Bloggs", "reason": "A third party."}, action="subject_access.redact"
        )
    ),
    "subject_access:unredact": Row(
        _on_a_subject_access_request("subject_access:unredact", {}, action="subject_access.unredact", marked=True)
    ),
    "subject_access:sent": Row(
        _on_a_subject_access_request(
            "subject_access:sent",
            {"sent_on": dt.date.today().strftime("%d/%m/%Y"), "sent_how": "By email to the parent."},
            action="subject_access.sent",
        )
    ),
    "subject_access:close": Row(
        _on_a_subject_access_request("subject_access:close", {"note": "Withdrawn."}, action="subject_access.close")
    ),
    # Registers
    "registers:friendship_new": Row(_friendship_declared),
    "registers:friendship_edit": Row(
        _on_a_declaration(
            "registers:friendship_edit",
            lambda declaration: {
                "pupils": [p.pk for p in declaration.pupils.all()],
                "nature": "Family friends; our children are in the same class.",
                "platforms": ["facebook"],
            },
            action="friendship.update",
        )
    ),
    "registers:friendship_decide": Row(
        _on_a_declaration(
            "registers:friendship_decide",
            {"decision": "limit", "advice": "Restrict what the family sees."},
            action="friendship.decide",
            actor="head",
        ),
        works="safesocial/registers/tests/test_registers.py::test_the_head_decides_through_the_form",
    ),
    "registers:friendship_reconfirm": Row(
        _on_a_declaration("registers:friendship_reconfirm", {}, action="friendship.reconfirm", decided=True)
    ),
    "registers:friendship_withdraw": Row(
        _on_a_declaration("registers:friendship_withdraw", {"reason": "They moved away."}, action="friendship.withdraw")
    ),
    "registers:unblock_new": Row(_unblock_asked),
    "registers:unblock_decide": Row(_unblock_decided),
    "registers:approval_new": Row(_approval_asked),
    "registers:approval_decide": Row(_approval_decided),
    # Compliance
    "compliance_public:code": Row(
        _public("compliance_public:code"),
        works="safesocial/compliance/tests/test_public.py::test_a_parent_acknowledges_with_the_code_from_the_letter",
        public="a parent types the code from the letter the school gave them",
        refused="safesocial/compliance/tests/test_public.py::test_a_wrong_code_names_the_field_and_keeps_what_was_typed",
    ),
    "compliance_public:acknowledge": Row(
        _public("compliance_public:acknowledge", lambda w: ["not-a-token"]),
        works="safesocial/compliance/tests/test_public.py::test_a_parent_acknowledges_with_the_code_from_the_letter",
        public="a parent's or pupil's page, reached from a signed link or the code on a letter",
        refused="safesocial/compliance/tests/test_security_secret_keys.py::test_an_acknowledgement_link_signed_with_djangos_secret_key_is_refused",
    ),
    "compliance:acknowledge": Row(_acknowledged),
    "compliance:record": Row(_training_recorded),
    "compliance:decide": Row(_training_decided),
    "compliance:quiz": Row(
        lambda w: Scene(reverse("compliance:quiz"), actor=w.teacher, outsider=stranger(w)),
        works="safesocial/compliance/tests/test_views.py::test_a_teacher_passes_the_quiz_and_downloads_the_certificate",
    ),
    "compliance:letters": Row(
        _letters,
        works="safesocial/compliance/tests/test_views.py::test_the_head_prints_a_classs_letters_with_codes",
    ),
}


# The tests ----------------------------------------------------------------------------------------------------------


def test_every_view_that_accepts_post_has_a_row():
    views = post_views()
    assert sorted(views - set(ROWS)) == [], "POST views without a row in ROWS"
    assert sorted(set(ROWS) - views) == [], "rows for views that are gone or no longer accept POST"


def _named_tests() -> list[str]:
    return sorted({ref for row in ROWS.values() for ref in (row.works, row.refused) if ref})


@pytest.mark.parametrize("ref", _named_tests())
def test_the_tests_a_row_names_exist(ref):
    path, name = ref.split("::")
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    assert name in {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}, ref


def _rows(where: Callable[[Row], bool]) -> list[str]:
    return sorted(name for name, row in ROWS.items() if where(row))


@pytest.mark.parametrize("name", _rows(lambda row: not row.works))
def test_it_works(name, world, signed_in):
    scene = ROWS[name].scene(world)
    before = AuditEntry.objects.filter(action=scene.action).count()
    response = signed_in(scene.actor).post(scene.url, scene.data)
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert AuditEntry.objects.filter(action=scene.action).count() == before + 1, f"no {scene.action!r} entry: {said}"


@pytest.mark.parametrize("name", _rows(lambda row: not row.public))
def test_it_needs_sign_in(name, world, client):
    scene = ROWS[name].scene(world)
    before = AuditEntry.objects.count()
    response = client.post(scene.url, scene.data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("name", _rows(lambda row: not row.refused))
def test_it_is_hidden_from_an_outsider(name, world, signed_in):
    row = ROWS[name]
    scene = row.scene(world)
    # Nothing written: the trail gains no entry but, where a view audits its refusals, the refusal itself.
    written = AuditEntry.objects.exclude(action__endswith=".refused")
    before = written.count()
    response = signed_in(scene.outsider).post(scene.url, scene.data)
    assert response.status_code == row.outsider_gets
    assert written.count() == before


def test_nobody_comments_on_a_sandbox_that_is_not_active(world, client):
    scene = _sandbox_comment(world)
    channels.channel_set_status(
        actor=world.channel_admin, channel=world.sandbox, status=ChannelStatus.SUSPENDED, reason="Half term."
    )
    assert client.post(scene.url, scene.data).status_code == 404
    assert not Comment.objects.exists()
