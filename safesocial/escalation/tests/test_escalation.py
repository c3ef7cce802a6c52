"""The parent escalation ladder: the steps are the policy's, each record is kept as written, and only those the
policy names manage it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.escalation import selectors, services
from safesocial.escalation.models import Escalation, EscalationStatus, StepRecord
from safesocial.moderation.models import Offender
from safesocial.people.models import ParentCarer
from safesocial.people.roles import Role
from safesocial.people.services import parent_create, pupil_create

TODAY = timezone.localdate


def _family(school, first: str = "Milo", last: str = "Ferro", parent_name: str = "Kit Ferro") -> ParentCarer:
    pupil = pupil_create(
        actor=None,
        school=school,
        first_name=first,
        last_name=last,
        date_of_birth=dt.date(2017, 3, 4),
        year_group="3",
    )
    return parent_create(actor=None, trust=school.trust, full_name=parent_name, pupils=[(pupil, "Father")])


@pytest.fixture
def parent(seabright) -> ParentCarer:
    return _family(seabright)


@pytest.fixture
def escalation(head, seabright, parent) -> Escalation:
    return services.escalation_start(
        actor=head, school=seabright, parent=parent, summary="A post criticising a teacher by name."
    )


def _take(actor, escalation, key, days_ago=1, outcome="Talked it through.", early_reason=""):
    return services.escalation_step_take(
        actor=actor,
        escalation=escalation,
        step_key=key,
        taken_on=TODAY() - dt.timedelta(days=days_ago),
        outcome=outcome,
        early_reason=early_reason,
    )


# Starting ---------------------------------------------------------------------------------------------------------


def test_head_starts_an_escalation_about_a_parent_of_the_school_and_it_is_audited(escalation, head):
    assert escalation.status == EscalationStatus.OPEN
    assert escalation.started_by == head
    assert AuditEntry.objects.filter(action="escalation.start", object_id=str(escalation.pk)).exists()


def test_teacher_cannot_start_an_escalation(teacher, seabright, parent):
    with pytest.raises(PermissionDenied):
        services.escalation_start(actor=teacher, school=seabright, parent=parent, summary="A post.")


def test_dsl_of_another_school_cannot_start_one_here(dsl, seabright, parent):
    with pytest.raises(PermissionDenied):
        services.escalation_start(actor=dsl, school=seabright, parent=parent, summary="A post.")


def test_parent_with_no_child_at_the_school_is_refused(head, seabright, millbrook):
    other = _family(millbrook, "Ada", "Pike", "Jo Pike")
    with pytest.raises(ValidationError) as exc:
        services.escalation_start(actor=head, school=seabright, parent=other, summary="A post.")
    assert "parent" in exc.value.message_dict


def test_escalation_is_about_a_parent_or_a_named_account(head, seabright):
    with pytest.raises(ValidationError) as exc:
        services.escalation_start(actor=head, school=seabright, summary="A post.")
    assert "parent" in exc.value.message_dict
    community = services.escalation_start(
        actor=head,
        school=seabright,
        account_name="Harbour Gossip",
        account_platform="facebook",
        account_handle="harbourgossip",
        summary="A page posting about pupils.",
    )
    assert community.subject == "Harbour Gossip"


def test_escalation_needs_a_summary(head, seabright, parent):
    with pytest.raises(ValidationError) as exc:
        services.escalation_start(actor=head, school=seabright, parent=parent, summary="  ")
    assert "summary" in exc.value.message_dict


# The ladder -------------------------------------------------------------------------------------------------------


def test_steps_follow_the_policy_and_the_next_one_is_suggested(escalation, head, trust):
    keys = [s.key for s in trust.policy.parents.escalation]
    assert keys[:2] == ["discuss", "written_warning"]
    rungs = selectors.ladder(escalation, [])
    assert [r.state for r in rungs] == ["next"] + ["later"] * (len(keys) - 1)
    _take(head, escalation, "discuss")
    rungs = selectors.ladder(escalation, list(escalation.records.all()))
    assert [r.state for r in rungs][:3] == ["done", "next", "later"]


def test_a_step_not_in_the_policy_is_refused(escalation, head):
    with pytest.raises(ValidationError) as exc:
        _take(head, escalation, "public_shaming")
    assert "step" in exc.value.message_dict
    assert not escalation.records.exists()


def test_a_later_step_taken_early_needs_a_reason(escalation, head):
    with pytest.raises(ValidationError) as exc:
        _take(head, escalation, "police")
    assert "early_reason" in exc.value.message_dict
    record = _take(head, escalation, "police", early_reason="The post threatens violence against a teacher.")
    assert record.early_reason.startswith("The post threatens")
    rungs = selectors.ladder(escalation, list(escalation.records.all()))
    assert {r.key: r.state for r in rungs}["police"] == "done"
    assert {r.key: r.state for r in rungs}["discuss"] == "next"


def test_a_step_dated_in_the_future_is_refused(escalation, head):
    with pytest.raises(ValidationError) as exc:
        _take(head, escalation, "discuss", days_ago=-2)
    assert "taken_on" in exc.value.message_dict


def test_a_step_needs_what_happened(escalation, head):
    with pytest.raises(ValidationError) as exc:
        _take(head, escalation, "discuss", outcome=" ")
    assert "outcome" in exc.value.message_dict


def test_a_recorded_step_cannot_be_edited_or_deleted(escalation, head):
    record = _take(head, escalation, "discuss", outcome="Agreed to remove the post.")
    record.outcome = "Something else"
    with pytest.raises(ValidationError):
        record.save()
    with pytest.raises(ValidationError):
        record.delete()
    with pytest.raises(ValidationError):
        StepRecord.objects.filter(pk=record.pk).update(outcome="Rewritten")
    with pytest.raises(ValidationError):
        StepRecord.objects.filter(pk=record.pk).delete()
    assert StepRecord.objects.get(pk=record.pk).outcome == "Agreed to remove the post."


def test_a_correction_is_a_new_record_and_the_original_stays(escalation, head):
    record = _take(head, escalation, "discuss", days_ago=3, outcome="Met on Tuesday.")
    correction = services.escalation_step_correct(
        actor=head,
        record=record,
        taken_on=TODAY() - dt.timedelta(days=2),
        outcome="Met on Wednesday.",
        reason="Wrong day",
    )
    assert correction.corrects == record
    assert StepRecord.objects.get(pk=record.pk).outcome == "Met on Tuesday."
    assert escalation.records.count() == 2
    with pytest.raises(ValidationError):
        services.escalation_step_correct(
            actor=head, record=record, taken_on=TODAY(), outcome="Again", reason="Correcting the old one twice"
        )


def test_a_closed_escalation_takes_no_more_steps_and_stays_closed(escalation, head):
    services.escalation_close(actor=head, escalation=escalation, reason="The post was removed.")
    with pytest.raises(ValidationError):
        _take(head, escalation, "discuss")
    with pytest.raises(ValidationError):
        services.escalation_open(actor=head, escalation=escalation)


def test_closing_needs_a_reason(escalation, head):
    with pytest.raises(ValidationError) as exc:
        services.escalation_close(actor=head, escalation=escalation, reason="")
    assert "reason" in exc.value.message_dict


def test_another_trusts_ladder_drives_different_steps_with_no_code_change(make_trust, make_staff):
    """Policy 002 lists meeting → ask_removal → report_to_provider → police; policy 000's discuss is not a step."""
    other = make_trust("002")
    school = other.schools.order_by("pk").first()
    manager = make_staff(Role.DSL, school, "Dana Lead")
    mum = _family(school, "Rae", "Lund", "Sam Lund")
    escalation = services.escalation_start(actor=manager, school=school, parent=mum, summary="An anonymous post.")
    assert [r.key for r in selectors.ladder(escalation, [])] == [
        "meeting",
        "ask_removal",
        "report_to_provider",
        "police",
    ]
    with pytest.raises(ValidationError):
        _take(manager, escalation, "discuss")
    _take(manager, escalation, "meeting")
    assert [r.state for r in selectors.ladder(escalation, list(escalation.records.all()))][:2] == ["done", "next"]


def test_a_trust_whose_policy_lists_no_steps_cannot_start_a_ladder(make_trust, make_staff):
    other = make_trust("003")
    school = other.schools.order_by("pk").first()
    manager = make_staff(Role.DSL, school, "Dana Lead")
    mum = _family(school, "Rae", "Lund", "Sam Lund")
    with pytest.raises(ValidationError, match="lists no escalation steps"):
        services.escalation_start(actor=manager, school=school, parent=mum, summary="A post.")


# From moderation --------------------------------------------------------------------------------------------------


def _offender(trust, parent=None, author_id="fb-1"):
    return Offender.objects.create(
        trust=trust, platform="facebook_page", author_id=author_id, author_name="Kit Ferro", parent=parent
    )


def test_moderation_proposes_the_first_step_for_a_matched_parent_once(trust, parent, seabright):
    offender = _offender(trust, parent)
    proposed = services.escalation_propose_from_offender(offender=offender)
    assert proposed is not None
    assert proposed.status == EscalationStatus.PROPOSED
    assert proposed.school == seabright
    assert proposed.proposed_step == "discuss"
    assert services.escalation_propose_from_offender(offender=offender) == proposed
    assert Escalation.objects.count() == 1


def test_moderation_proposes_nothing_when_no_parent_was_matched(trust):
    assert services.escalation_propose_from_offender(offender=_offender(trust)) is None
    assert not Escalation.objects.exists()


def test_taking_the_proposed_step_opens_the_escalation(trust, parent, head):
    proposed = services.escalation_propose_from_offender(offender=_offender(trust, parent))
    _take(head, proposed, "discuss")
    proposed.refresh_from_db()
    assert proposed.status == EscalationStatus.OPEN
    assert proposed.started_by == head


# The warning letter -----------------------------------------------------------------------------------------------


def _letter(head, escalation, **overrides):
    values = {
        "parent_name": "Kit Ferro",
        "summary": "a post in a community group about a teacher",
        "incident_date": TODAY() - dt.timedelta(days=3),
        "remove_by": TODAY() + dt.timedelta(days=7),
        "signed_by": "Pat Head",
        "job_title": "Headteacher",
    } | overrides
    return services.warning_letter_generate(actor=head, escalation=escalation, **values)


def test_letter_is_made_from_the_trusts_template_and_names_no_pupil(head, escalation, seabright):
    letter = _letter(head, escalation)
    assert letter.text.startswith("Dear Kit Ferro,")
    assert "a post in a community group about a teacher" in letter.text
    assert seabright.name in letter.text
    assert "{" not in letter.text
    assert "Milo" not in letter.text
    assert AuditEntry.objects.filter(action="escalation.letter_generate").exists()


def test_letter_refuses_a_future_incident_and_a_past_removal_date(head, escalation):
    with pytest.raises(ValidationError) as exc:
        _letter(
            head, escalation, incident_date=TODAY() + dt.timedelta(days=1), remove_by=TODAY() - dt.timedelta(days=1)
        )
    assert set(exc.value.message_dict) == {"incident_date", "remove_by"}


def test_letter_pdf_is_a_pdf_and_each_download_is_audited(head, escalation):
    letter = _letter(head, escalation)
    pdf = services.warning_letter_pdf(actor=head, letter=letter)
    assert pdf.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="escalation.letter_download", object_id=str(letter.pk)).count() == 1


def test_unknown_placeholders_are_left_for_a_person_to_see():
    assert services.fill_letter("Dear {parent_name}, {unknown} {", {"parent_name": "Kit"}) == "Dear Kit, {unknown} {"


# Reads ------------------------------------------------------------------------------------------------------------


def test_escalations_for_a_concern_are_listed_for_its_managers_only(head, dsl, seabright, parent, trust):
    from safesocial.concerns.services import concern_raise_from_comment

    concern = concern_raise_from_comment(trust=trust, school=seabright, kind="comment_threat", summary="Threat")
    linked = services.escalation_start(actor=head, school=seabright, parent=parent, summary="A post.", concern=concern)
    services.escalation_start(actor=head, school=seabright, parent=parent, summary="Another post.")
    assert list(selectors.escalations_for_concern(head, concern)) == [linked]
    assert list(selectors.escalations_for_concern(dsl, concern)) == []
    html = render_to_string(
        "escalation/_concern_panel.html",
        {"concern": concern, "escalations": selectors.escalations_for_concern(head, concern)},
    )
    assert reverse("escalation:detail", args=[linked.pk]) in html


def test_dashboard_counts_proposed_and_open_escalations(head, teacher, escalation, trust, parent):
    services.escalation_propose_from_offender(offender=_offender(trust, parent))
    (card,) = selectors.dashboard_items(head)
    assert card.title == "Parent escalations" and card.count == 1 and card.tone == "warn"
    assert card.text == "proposed escalation waits for your decision. 1 is open."
    assert selectors.dashboard_items(teacher) == []


def test_dashboard_says_how_many_escalations_are_open_once(head, escalation):
    (card,) = selectors.dashboard_items(head)
    assert card.count == 1 and card.text == "escalation is open."


# Views ------------------------------------------------------------------------------------------------------------


def test_list_works_for_a_manager(signed_in, head, escalation):
    response = signed_in(head).get(reverse("escalation:index"))
    assert response.status_code == 200
    assert "Kit Ferro" in response.content.decode()


def test_the_list_takes_the_same_queries_for_one_escalation_and_four(
    signed_in, head, seabright, escalation, same_queries
):
    client = signed_in(head)
    client.get(reverse("escalation:index"))

    def three_more():
        for n in range(3):
            parent = _family(seabright, first=f"Child{n}", last="Lind", parent_name=f"Alex Lind {n}")
            services.escalation_start(actor=head, school=seabright, parent=parent, summary="A post about a teacher.")

    body = same_queries(9, lambda: client.get(reverse("escalation:index")), three_more).content.decode()
    assert "Alex Lind 2" in body


def test_list_needs_login(client):
    response = client.get(reverse("escalation:index"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_teacher_finds_no_escalations(signed_in, teacher, escalation):
    client = signed_in(teacher)
    assert client.get(reverse("escalation:index")).status_code == 404
    assert client.get(reverse("escalation:detail", args=[escalation.pk])).status_code == 404


def test_another_schools_dsl_cannot_see_this_escalation(signed_in, dsl, escalation):
    client = signed_in(dsl)
    assert "Kit Ferro" not in client.get(reverse("escalation:index")).content.decode()
    assert client.get(reverse("escalation:detail", args=[escalation.pk])).status_code == 404
    assert client.post(reverse("escalation:close", args=[escalation.pk]), {"reason": "x"}).status_code == 404


def test_detail_shows_the_ladder_and_the_read_is_audited(signed_in, head, escalation):
    response = signed_in(head).get(reverse("escalation:detail", args=[escalation.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Discuss the matter with the parent" in body and "Next step" in body
    assert AuditEntry.objects.filter(action="escalation.view", object_id=str(escalation.pk)).exists()


def test_start_form_keeps_what_was_typed_when_something_is_missing(signed_in, head, seabright):
    response = signed_in(head).post(
        reverse("escalation:start"), {"school": seabright.pk, "account_handle": "harbourgossip", "summary": ""}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'value="harbourgossip"' in body
    assert not Escalation.objects.exists()


def test_start_form_starts_an_escalation(signed_in, head, seabright, parent):
    response = signed_in(head).post(
        reverse("escalation:start"), {"school": seabright.pk, "parent": parent.pk, "summary": "A post about staff."}
    )
    escalation = Escalation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("escalation:detail", args=[escalation.pk])


def test_a_future_step_is_refused_in_the_form_and_what_was_typed_is_kept(signed_in, head, escalation):
    response = signed_in(head).post(
        reverse("escalation:take_step", args=[escalation.pk]),
        {"step": "discuss", "taken_on": (TODAY() + dt.timedelta(days=3)).isoformat(), "outcome": "Phoned the dad."},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "in the future" in body and "Phoned the dad." in body
    assert not escalation.records.exists()


def test_a_step_not_in_the_policy_cannot_be_posted(signed_in, head, escalation):
    response = signed_in(head).post(
        reverse("escalation:take_step", args=[escalation.pk]),
        {"step": "public_shaming", "taken_on": TODAY().isoformat(), "outcome": "x"},
    )
    assert response.status_code == 400
    assert not escalation.records.exists()


def test_letter_can_be_made_and_downloaded_as_a_pdf(signed_in, head, escalation):
    client = signed_in(head)
    response = client.post(
        reverse("escalation:letter_generate", args=[escalation.pk]),
        {
            "parent_name": "Kit Ferro",
            "summary": "a post about a teacher",
            "incident_date": TODAY().isoformat(),
            "remove_by": (TODAY() + dt.timedelta(days=5)).isoformat(),
            "signed_by": "Pat Head",
            "job_title": "Headteacher",
        },
    )
    assert response.status_code == 302
    letter = escalation.letters.get()
    pdf = client.get(reverse("escalation:letter_download", args=[escalation.pk, letter.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_someone_elses_letter_is_missing(signed_in, dsl, head, escalation):
    letter = _letter(head, escalation)
    response = signed_in(dsl).get(reverse("escalation:letter_download", args=[escalation.pk, letter.pk]))
    assert response.status_code == 404


def test_letter_joins_wrapped_prose_but_keeps_the_signature_lines(head, escalation):
    letter = _letter(head, escalation, signed_by="Pat Head")
    paragraphs = letter.paragraphs
    assert paragraphs[0] == ["Dear Kit Ferro,"]
    assert any(
        len(p) == 1 and "respectful towards, and about, members of staff, other families" in p[0] for p in paragraphs
    )
    assert paragraphs[-1] == ["Pat Head", "Headteacher", escalation.school.name]


def test_a_proposal_can_be_opened_or_closed_as_needing_no_action(signed_in, head, trust, parent):
    first = services.escalation_propose_from_offender(offender=_offender(trust, parent))
    second = services.escalation_propose_from_offender(offender=_offender(trust, parent, author_id="fb-2"))
    client = signed_in(head)
    assert "Open the escalation" in client.get(reverse("escalation:detail", args=[first.pk])).content.decode()
    client.post(reverse("escalation:open", args=[first.pk]))
    client.post(reverse("escalation:close", args=[second.pk]), {"reason": "The comments were about a lost coat."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EscalationStatus.OPEN and first.started_by == head
    assert second.status == EscalationStatus.CLOSED and second.closed_by == head


def test_a_correction_through_the_form_keeps_the_original(signed_in, head, escalation):
    record = _take(head, escalation, "discuss", days_ago=2, outcome="Phoned.")
    response = signed_in(head).post(
        reverse("escalation:correct_step", args=[escalation.pk, record.pk]),
        {"taken_on": TODAY().isoformat(), "outcome": "Met in person.", "reason": "It was a meeting, not a call."},
    )
    assert response.status_code == 302
    assert list(escalation.records.values_list("outcome", flat=True)) == ["Phoned.", "Met in person."]


def test_an_escalation_started_from_a_concern_is_linked_to_it(signed_in, head, dsl, seabright, parent, trust):
    from safesocial.concerns.services import concern_raise_from_comment

    concern = concern_raise_from_comment(trust=trust, school=seabright, kind="comment_threat", summary="Threat")
    url = reverse("escalation:start") + f"?concern={concern.pk}"
    assert signed_in(dsl).get(url).status_code == 404  # Millbrook's DSL does not manage Seabright's concern
    response = signed_in(head).post(url, {"school": seabright.pk, "parent": parent.pk, "summary": "A post."})
    assert response.status_code == 302
    assert Escalation.objects.get().concern == concern


def test_a_bad_correction_is_refused_beside_its_record_and_the_original_stays(signed_in, head, escalation):
    record = _take(head, escalation, "discuss", days_ago=2, outcome="Phoned.")
    response = signed_in(head).post(
        reverse("escalation:correct_step", args=[escalation.pk, record.pk]),
        {"taken_on": (TODAY() + dt.timedelta(days=4)).isoformat(), "outcome": "Met in person.", "reason": "Wrong"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f'href="#c{record.pk}-taken_on"' in body and "Met in person." in body
    assert list(escalation.records.values_list("outcome", flat=True)) == ["Phoned."]


def test_a_parents_post_concern_offers_the_ladder_with_its_account_and_parent_filled_in(
    signed_in, head, seabright, parent, trust
):
    from safesocial.concerns.services import People, concern_report

    concern = concern_report(
        actor=head,
        school=seabright,
        kind="parent_post",
        summary="A post naming a teacher.",
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        platform="facebook",
        url="https://www.facebook.com/some.parent/posts/1",
        account_handle="some.parent",
        people=People(parents=[parent]),
        files=[],
    ).concern
    page = signed_in(head).get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    start = reverse("escalation:start") + f"?concern={concern.pk}"
    assert "Parent escalation" in page and start in page
    form = signed_in(head).get(start).context["form"]
    assert form.initial["parent"] == parent.pk and form.initial["account_handle"] == "some.parent"
    assert form.initial["account_platform"] == "facebook" and form.initial["school"] == seabright


def test_two_parents_of_the_same_name_are_told_apart_by_their_children(signed_in, head, seabright):
    _family(seabright, first="Milo", last="Ferro", parent_name="Kit Ferro")
    _family(seabright, first="Ada", last="Lind", parent_name="Kit Ferro")
    body = signed_in(head).get(reverse("escalation:start")).content.decode()
    assert "Kit Ferro, parent or carer of Milo Ferro (Year " in body
    assert "Kit Ferro, parent or carer of Ada Lind (Year " in body


def test_the_start_form_takes_the_same_queries_for_one_parent_and_six(signed_in, head, seabright, same_queries):
    _family(seabright, first="Child", last="Ferro", parent_name="Parent 0")
    client = signed_in(head)
    client.get(reverse("escalation:start"))

    def five_more():
        for n in range(1, 6):
            _family(seabright, first=f"Child{n}", last="Ferro", parent_name=f"Parent {n}")

    body = same_queries(13, lambda: client.get(reverse("escalation:start")), five_more).content.decode()
    assert "Parent 5" in body


def test_an_escalation_links_back_to_the_concern_it_started_from(signed_in, head, seabright, parent, trust):
    from safesocial.concerns.services import concern_raise_from_comment

    concern = concern_raise_from_comment(trust=trust, school=seabright, kind="comment_threat", summary="Threat")
    linked = services.escalation_start(actor=head, school=seabright, parent=parent, summary="A post.", concern=concern)
    body = signed_in(head).get(reverse("escalation:detail", args=[linked.pk])).content.decode()
    assert f'<a href="{reverse("concerns:detail", args=[concern.pk])}">{concern.reference}</a>' in body
