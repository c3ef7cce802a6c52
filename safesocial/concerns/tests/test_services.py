import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.audit.services import audit_verify
from safesocial.concerns import selectors, services
from safesocial.concerns.models import (
    AppendOnlyError,
    ChronologyEntry,
    Concern,
    ConcernStatus,
    EntryKind,
    Evidence,
    PatternAlert,
    Route,
)
from safesocial.concerns.services import People, concern_report
from safesocial.people.roles import Role
from safesocial.testing.files import png_bytes

AN_HOUR_AGO = timezone.now() - dt.timedelta(hours=1)


def report(actor, school, kind="friend_request", **kw):
    kw.setdefault("summary", "A friend request from a parent's account on Facebook.")
    kw.setdefault("occurred_at", AN_HOUR_AGO)
    return concern_report(actor=actor, school=school, kind=kind, **kw)


def test_a_report_reaches_the_schools_safeguarding_team_and_the_email_says_nothing_of_it(
    assistant, seabright, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = report(assistant, seabright, summary="Secret words about Nia")
    concern = result.concern
    assert concern.route == Route.SAFEGUARDING and concern.reference
    receivers = {u.email for u in selectors.receivers(concern)}
    assert "h.quarry@harbourside.example.com" in receivers  # Seabright's head and DSL
    assert "m.ashdown@harbourside.example.com" in receivers  # the trust's safeguarding lead
    assert "d.okonjo@harbourside.example.com" not in receivers  # Millbrook's DSL
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == receivers
    for message in sent.values():
        assert f"/concerns/{concern.pk}/" in message.body
        assert "Secret" not in message.body and "Nia" not in message.body and "Secret" not in message.subject


def test_the_report_and_every_step_are_in_the_chronology_and_the_audit_trail(assistant, seabright, head):
    concern = report(assistant, seabright).concern
    services.chronology_add(actor=head, concern=concern, text="Spoke to the TA.")
    kinds = list(concern.chronology.values_list("kind", flat=True))
    assert kinds == [EntryKind.REPORTED, EntryKind.NOTE]
    assert AuditEntry.objects.filter(action="concern.raise", object_id=str(concern.pk)).exists()
    assert AuditEntry.objects.filter(action="concern.note", object_id=str(concern.pk)).exists()


def test_a_report_with_no_kind_or_a_future_date_is_refused_with_the_field_named(assistant, seabright):
    with pytest.raises(ValidationError) as no_kind:
        report(assistant, seabright, kind="")
    assert "kind" in no_kind.value.error_dict
    with pytest.raises(ValidationError) as future:
        report(assistant, seabright, occurred_at=timezone.now() + dt.timedelta(days=1))
    assert "occurred_at" in future.value.error_dict
    assert not Concern.objects.exists()


def test_a_report_is_kept_when_one_attachment_fails_and_says_which_and_why(assistant, seabright):
    good = SimpleUploadedFile("screenshot.png", png_bytes(), content_type="image/png")
    liar = SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image at all", content_type="image/png")
    program = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    big = SimpleUploadedFile("video.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (20 * 1024 * 1024), "video/mp4")
    result = report(assistant, seabright, files=[good, liar, program, big])
    assert Concern.objects.filter(pk=result.concern.pk).exists()
    assert [e.original_name for e in result.kept] == ["screenshot.png"]
    reasons = {r.name: r.reason for r in result.refused}
    assert "its name says it is a PNG image, but its content is not" in reasons["photo.png"]
    assert "not accepted" in reasons["tool.exe"]
    assert "up to 20 MB" in reasons["video.mp4"]
    refused_entries = result.concern.chronology.filter(kind=EntryKind.EVIDENCE_REFUSED)
    assert refused_entries.count() == 3


@pytest.mark.parametrize(
    "name,data",
    [
        ("a.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 20),
        ("a.gif", b"GIF89a" + b"\x00" * 20),
        ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 "),
        ("a.pdf", b"%PDF-1.7\n"),
        ("a.txt", "Messages copied out: “see you later”".encode()),
        ("a.mp4", b"\x00\x00\x00\x18ftypisom" + b"\x00" * 8),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(name, data):
    assert services.evidence_problem(name, len(data), data) is None


def test_a_text_file_that_is_really_binary_is_refused():
    assert "its content is not" in services.evidence_problem("notes.txt", 4, b"\x00\x01\x02\x03")


def test_evidence_keeps_its_sha256_and_cannot_be_changed(assistant, seabright):
    data = png_bytes()
    result = report(assistant, seabright, files=[SimpleUploadedFile("s.png", data, "image/png")])
    evidence = result.kept[0]
    import hashlib

    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    with evidence.file.open("rb") as f:
        assert f.read() == data  # stored as received
    evidence.description = "changed"
    with pytest.raises(AppendOnlyError):
        evidence.save()
    with pytest.raises(AppendOnlyError):
        evidence.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE concerns_evidence SET sha256 = 'x' WHERE id = %s", [evidence.pk])
    assert Evidence.objects.get(pk=evidence.pk).sha256 == evidence.sha256


def test_the_chronology_cannot_be_edited_or_deleted_only_corrected(assistant, seabright, head):
    concern = report(assistant, seabright).concern
    entry = concern.chronology.get()
    with pytest.raises(ValidationError, match="never changed or deleted"):
        services.chronology_edit(actor=head, entry=entry, text="rewritten")
    with pytest.raises(ValidationError, match="never changed or deleted"):
        services.chronology_delete(actor=head, entry=entry)
    entry.text = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        ChronologyEntry.objects.filter(pk=entry.pk).update(text="x")
    with pytest.raises(AppendOnlyError):
        ChronologyEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE concerns_chronologyentry SET text = 'x' WHERE id = %s", [entry.pk])
    correction = services.chronology_correct(actor=head, entry=entry, text="The request came on Instagram.")
    assert correction.corrects == entry and correction.kind == EntryKind.CORRECTION
    assert ChronologyEntry.objects.get(pk=entry.pk).text.startswith("Reported")


def test_a_correction_must_name_the_entry_it_corrects(assistant, seabright):
    concern = report(assistant, seabright).concern
    with pytest.raises(IntegrityError), transaction.atomic():
        ChronologyEntry.objects.create(concern=concern, actor_label="x", kind=EntryKind.CORRECTION, text="x")


def test_a_concern_is_never_deleted(assistant, seabright):
    concern = report(assistant, seabright).concern
    with pytest.raises(AppendOnlyError):
        concern.delete()
    with pytest.raises(AppendOnlyError):
        Concern.objects.all().delete()


# Routing ----------------------------------------------------------------------------------------------------------


def test_a_concern_about_a_colleague_goes_to_the_head_and_never_to_them(
    assistant, seabright, teacher, head, ceo, deputy_dsl
):
    concern = report(
        assistant,
        seabright,
        kind="staff_online_conduct",
        summary="Posts about pupils",
        people=People(staff_subjects=[teacher]),
    ).concern
    assert concern.route == Route.STAFF
    assert teacher not in selectors.receivers(concern)
    assert set(selectors.receivers(concern)) == set(
        holder_users(seabright, Role.HEAD)
    )  # the policy's about_staff_to (head) at Seabright
    assert selectors.concerns_for(head).filter(pk=concern.pk).exists()
    assert not selectors.concerns_for(teacher).filter(pk=concern.pk).exists()
    assert not selectors.can_manage(deputy_dsl, concern)  # the safeguarding team does not see staff conduct


def holder_users(school, role):
    from safesocial.people.models import User

    return User.objects.filter(role_assignments__school=school, role_assignments__role=role)


def test_a_concern_about_the_head_goes_to_the_ceo_and_not_to_the_head_even_though_she_is_the_dsl(
    assistant, seabright, head, ceo
):
    concern = report(assistant, seabright, kind="staff_online_conduct", people=People(staff_subjects=[head])).concern
    assert concern.route == Route.HEAD
    assert list(selectors.receivers(concern)) == [ceo]
    assert not selectors.concerns_for(head).filter(pk=concern.pk).exists()
    assert selectors.concerns_for(ceo).filter(pk=concern.pk).exists()
    assert not selectors.concern_list(head, selectors.Filters(q=concern.reference)).exists()
    with pytest.raises(PermissionDenied):
        services.chronology_add(actor=head, concern=concern, text="I should not be here")


def test_a_concern_about_the_ceo_goes_to_the_chair_of_trustees_and_never_to_the_ceo(
    assistant, seabright, head, ceo, make_staff
):
    chair = make_staff(Role.GOVERNOR, None, "Chair Of Trustees")
    local_governor = make_staff(Role.GOVERNOR, seabright, "Local Governor")
    concern = report(assistant, seabright, kind="staff_online_conduct", people=People(staff_subjects=[ceo])).concern
    assert concern.route == Route.LEADER
    receivers = set(selectors.receivers(concern))
    assert chair in receivers and not receivers & {ceo, head, local_governor}  # trust-wide governors only
    assert selectors.concerns_for(chair).filter(pk=concern.pk).exists()
    for other in (ceo, head, local_governor):
        assert not selectors.concerns_for(other).filter(pk=concern.pk).exists()


def test_a_dsl_named_as_the_subject_of_an_ordinary_concern_loses_sight_of_it(assistant, seabright, head, deputy_dsl):
    concern = report(assistant, seabright, kind="cyberbullying_of_staff").concern
    assert selectors.can_manage(deputy_dsl, concern)
    services.concern_link_add(actor=head, concern=concern, people=People(staff_subjects=[deputy_dsl]))
    concern.refresh_from_db()
    assert not selectors.can_manage(deputy_dsl, concern)
    assert deputy_dsl not in selectors.receivers(concern)
    assert concern.route == Route.STAFF and set(concern.links.values_list("route", flat=True)) == {Route.STAFF}


def test_another_schools_dsl_does_not_see_the_concern_but_the_trust_lead_does(assistant, seabright, dsl, trust_lead):
    concern = report(assistant, seabright).concern
    assert not selectors.concerns_for(dsl).filter(pk=concern.pk).exists()
    assert selectors.concerns_for(trust_lead).filter(pk=concern.pk).exists()


def test_the_reporter_may_open_their_concern_but_not_manage_it(assistant, seabright):
    concern = report(assistant, seabright).concern
    assert selectors.can_open(assistant, concern) and not selectors.can_manage(assistant, concern)
    with pytest.raises(PermissionDenied):
        services.chronology_add(actor=assistant, concern=concern, text="x")
    kept, refused = services.evidence_add(
        actor=assistant, concern=concern, files=[SimpleUploadedFile("more.png", png_bytes(), "image/png")]
    )
    assert len(kept) == 1 and not refused


# The case record --------------------------------------------------------------------------------------------------


def test_actions_go_only_to_colleagues_who_receive_the_concern(assistant, seabright, head, teacher, deputy_dsl):
    concern = report(assistant, seabright).concern
    action = services.action_add(
        actor=head,
        concern=concern,
        description="Talk to the parent",
        assigned_to=deputy_dsl,
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    with pytest.raises(ValidationError):
        services.action_add(
            actor=head, concern=concern, description="x", assigned_to=teacher, due_on=timezone.localdate()
        )
    services.action_done(actor=deputy_dsl, action=action, note="Parent called.")
    action.refresh_from_db()
    assert action.done_by == deputy_dsl
    assert concern.chronology.filter(kind=EntryKind.ACTION_DONE).exists()


def test_steps_record_whether_the_parents_were_informed(assistant, seabright, head):
    concern = report(assistant, seabright).concern
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.concern_record_step(actor=head, concern=concern, step="parents_not", on=today)
    with pytest.raises(ValidationError):
        services.concern_record_step(actor=head, concern=concern, step="police", on=today)  # now a referral
    services.concern_record_step(actor=head, concern=concern, step="parents", on=today)
    concern.refresh_from_db()
    assert concern.parents_informed == "yes"
    assert concern.chronology.filter(kind=EntryKind.PARENTS).exists()


def test_closing_needs_a_debrief_which_the_annual_review_reads_without_names(assistant, seabright, head):
    concern = report(assistant, seabright, summary="Nia Harbour was messaged").concern
    with pytest.raises(ValidationError) as missing:
        services.concern_close(
            actor=head, concern=concern, outcome="Resolved", lessons="", policy_change=False, curriculum_change=False
        )
    assert "lessons" in missing.value.error_dict
    services.concern_close(
        actor=head,
        concern=concern,
        outcome="Request declined; parent spoken to.",
        lessons="Remind staff at induction to lock down profiles.",
        policy_change=True,
        curriculum_change=False,
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED and concern.closed_at
    lessons = selectors.lessons_for_review(seabright.trust, timezone.localdate() - dt.timedelta(days=1))
    assert len(lessons) == 1
    lesson = lessons[0]
    assert lesson.school_name == "Seabright Primary School" and lesson.policy_change
    assert "Nia" not in repr(lesson) and "Tara" not in repr(lesson)
    with pytest.raises(ValidationError):
        services.concern_close(
            actor=head, concern=concern, outcome="x", lessons="x", policy_change=False, curriculum_change=False
        )
    services.concern_reopen(actor=head, concern=concern, reason="The parent sent another request.")
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.OPEN and concern.closed_at is None


def test_records_past_retention_are_flagged_for_review_and_never_deleted(assistant, seabright, head):
    concern = report(assistant, seabright).concern
    assert concern.retain_until.year == timezone.localdate().year + 25  # policy 000's default
    Concern.objects.filter(pk=concern.pk).update(retain_until=timezone.localdate() - dt.timedelta(days=1))
    flagged = selectors.concern_list(head, selectors.Filters(retention=True))
    assert list(flagged) == [concern]
    titles = [i.title for i in selectors.dashboard_items(head)]
    assert "Records due for retention review" in titles
    services.concern_retention_review(actor=head, concern=concern, keep_years=5, reason="Linked to a live case.")
    assert not selectors.concern_list(head, selectors.Filters(retention=True)).exists()
    assert Concern.objects.filter(pk=concern.pk).exists()


def test_staff_conduct_is_kept_for_the_policys_shorter_period(assistant, seabright, teacher):
    concern = report(assistant, seabright, kind="staff_online_conduct", people=People(staff_subjects=[teacher])).concern
    assert concern.retain_until.year == timezone.localdate().year + 10


# Patterns --------------------------------------------------------------------------------------------------------


def test_the_same_parent_account_across_two_schools_raises_one_alert_and_shows_on_the_patterns_page(
    make_staff, seabright, millbrook, django_capture_on_commit_callbacks, trust_lead
):
    reporter_a = make_staff(Role.TEACHER, seabright, "A Teacher")
    reporter_b = make_staff(Role.TEACHER, millbrook, "B Teacher")
    report(reporter_a, seabright, kind="parent_post", platform="facebook", account_handle="@Sam.Critic")
    report(reporter_b, millbrook, kind="parent_post", platform="facebook", account_handle="sam.critic")
    assert not PatternAlert.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        report(
            reporter_a,
            seabright,
            kind="criticism_of_school",
            platform="facebook",
            account_handle="https://www.facebook.com/sam.critic",
        )
    alert = PatternAlert.objects.get()
    assert alert.key == "account:facebook:sam.critic" and alert.count == 3
    pattern_mail = [m for m in mail.outbox if m.subject == "A pattern in safeguarding concerns"]
    assert pattern_mail and all("critic" not in m.body.lower() for m in pattern_mail)
    found = selectors.patterns_for(trust_lead)
    row = next(r for r in found.accounts if r.key == "account:facebook:sam.critic")
    assert (row.concerns, row.schools) == (3, 2) and row.over(found.threshold)
    assert "Pattern alerts" in [i.title for i in selectors.dashboard_items(trust_lead)]
    report(reporter_b, millbrook, kind="parent_post", platform="facebook", account_handle="sam.critic")
    assert PatternAlert.objects.count() == 1  # once per window


def test_a_school_dsl_sees_patterns_only_in_their_own_schools_concerns(make_staff, seabright, millbrook, dsl):
    reporter = make_staff(Role.TEACHER, seabright, "A Teacher")
    for _ in range(3):
        report(reporter, seabright, kind="parent_post", platform="x", account_handle="loud")
    assert selectors.patterns_for(dsl).accounts == []  # Millbrook's DSL


def test_moderations_hidden_comments_count_towards_an_accounts_pattern(make_staff, seabright, head):
    from safesocial.channels.models import Channel
    from safesocial.moderation.models import Comment, CommentStatus

    channel = Channel.objects.create(
        trust=seabright.trust,
        school=seabright,
        platform="facebook_page",
        name="Seabright on Facebook",
        official_email="office@example.com",
        purpose="News",
        audience="Parents",
        time_commitment="1h",
        success_measures="Reach",
        owner=head,
        proposed_by=head,
    )
    reporter = make_staff(Role.TEACHER, seabright, "A Teacher")
    for _ in range(2):
        report(reporter, seabright, kind="parent_post", platform="facebook", account_handle="Angry Parent")
    Comment.objects.create(
        channel=channel,
        external_id="c1",
        author_id="999",
        author_name="Angry Parent",
        text="...",
        created_at=timezone.now(),
        status=CommentStatus.HIDDEN,
        suggested_action="hide",
    )
    row = next(r for r in selectors.patterns_for(head).accounts if r.key == "account:facebook:angryparent")
    assert row.hidden_comments == 1 and row.total == 3


def test_every_write_leaves_the_audit_chain_intact(assistant, seabright, head):
    concern = report(assistant, seabright, files=[SimpleUploadedFile("s.png", png_bytes(), "image/png")]).concern
    services.chronology_add(actor=head, concern=concern, text="Checked.")
    _, problems = audit_verify()
    assert problems == []


def test_a_concern_about_a_colleague_with_no_school_goes_above_the_heads(assistant, teacher, ceo, head):
    concern = report(assistant, None, kind="staff_online_conduct", people=People(staff_subjects=[teacher])).concern
    assert concern.route == Route.HEAD
    assert list(selectors.receivers(concern)) == [ceo]
    assert not selectors.can_manage(head, concern)


def test_a_concern_raised_from_a_comment_says_when_and_where_it_was_posted(trust, seabright):
    posted = timezone.now() - dt.timedelta(minutes=3)
    concern = services.concern_raise_from_comment(
        trust=trust,
        school=seabright,
        kind="comment_disclosure",
        summary="A comment may disclose a risk to a child.",
        occurred_at=posted,
        platform="facebook",
        account_handle="Riley Stone",
    )
    concern.refresh_from_db()
    assert concern.occurred_at == posted and concern.platform == "facebook"
    assert concern.account_handle == "Riley Stone"
