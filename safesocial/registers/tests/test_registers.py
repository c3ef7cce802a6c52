"""The registers: each decision by the role the policy names, never by the person who asked; declarations
re-confirmed yearly and flagged when a family they name joins the school."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.people.models import Pupil
from safesocial.people.roles import Role
from safesocial.people.services import parent_create, pupil_create
from safesocial.registers import selectors, services
from safesocial.registers.models import (
    ApprovalStatus,
    FriendshipDeclaration,
    FriendshipStatus,
    UnblockRequest,
    UnblockStatus,
    normalise_name,
)

TODAY = timezone.localdate


@pytest.fixture
def pupil(seabright) -> Pupil:
    return pupil_create(
        actor=None,
        school=seabright,
        first_name="Ivy",
        last_name="Thorne",
        date_of_birth=dt.date(2017, 1, 2),
        year_group="3",
    )


@pytest.fixture
def it_support(make_staff, seabright):
    return make_staff(Role.IT_SUPPORT, seabright, "Ike Tech")


def _declare(actor, school, **kw):
    values = {"nature": "Family friends since university.", "platforms": ["facebook"]} | kw
    return services.friendship_declare(actor=actor, school=school, **values)


# Friendships ------------------------------------------------------------------------------------------------------


def test_teacher_declares_a_friendship_and_the_head_decides_it(teacher, head, seabright, pupil):
    declaration = _declare(teacher, seabright, pupils=[pupil])
    assert declaration.status == FriendshipStatus.AWAITING
    assert declaration.reconfirm_due == TODAY() + dt.timedelta(days=365)
    services.friendship_decide(actor=head, declaration=declaration, decision="limit", advice="Restrict your profile.")
    declaration.refresh_from_db()
    assert declaration.status == FriendshipStatus.DECIDED and declaration.decided_by == head
    assert AuditEntry.objects.filter(action="friendship.decide", object_id=str(declaration.pk)).exists()


def test_a_declaration_needs_someone_named(teacher, seabright):
    with pytest.raises(ValidationError) as exc:
        _declare(teacher, seabright)
    assert "pupils" in exc.value.message_dict


def test_a_declaration_needs_the_platforms_and_the_relationship(teacher, seabright, pupil):
    with pytest.raises(ValidationError) as exc:
        _declare(teacher, seabright, pupils=[pupil], platforms=[], nature=" ")
    assert {"platforms", "nature"} <= set(exc.value.message_dict)


def test_a_pupil_of_another_school_cannot_be_declared_here(outsider, millbrook, pupil):
    with pytest.raises(ValidationError):
        _declare(outsider, millbrook, pupils=[pupil])


def test_the_head_cannot_decide_their_own_declaration(head, seabright, pupil):
    declaration = _declare(head, seabright, pupils=[pupil])
    with pytest.raises(PermissionDenied):
        services.friendship_decide(actor=head, declaration=declaration, decision="limit", advice="Fine by me.")


def test_a_teacher_cannot_decide_a_colleagues_declaration(teacher, make_staff, seabright, pupil):
    colleague = make_staff(Role.TEACHER, seabright, "Cora Colleague")
    declaration = _declare(colleague, seabright, pupils=[pupil])
    with pytest.raises(PermissionDenied):
        services.friendship_decide(actor=teacher, declaration=declaration, decision="limit", advice="Fine.")


def test_a_decision_needs_advice(teacher, head, seabright, pupil):
    declaration = _declare(teacher, seabright, pupils=[pupil])
    with pytest.raises(ValidationError) as exc:
        services.friendship_decide(actor=head, declaration=declaration, decision="limit", advice="")
    assert "advice" in exc.value.message_dict


def test_the_declarer_reconfirms_yearly_and_overdue_ones_show_to_both(teacher, head, seabright, pupil):
    declaration = _declare(teacher, seabright, pupils=[pupil])
    FriendshipDeclaration.objects.filter(pk=declaration.pk).update(reconfirm_due=TODAY() - dt.timedelta(days=1))
    declaration.refresh_from_db()
    assert declaration.is_overdue()
    assert any("re-confirming" in i.text for i in selectors.dashboard_items(teacher))
    assert any("overdue" in i.text for i in selectors.dashboard_items(head))
    with pytest.raises(PermissionDenied):
        services.friendship_reconfirm(actor=head, declaration=declaration)
    services.friendship_reconfirm(actor=teacher, declaration=declaration)
    declaration.refresh_from_db()
    assert declaration.reconfirm_due == TODAY() + dt.timedelta(days=365)
    assert not any("re-confirming" in i.text for i in selectors.dashboard_items(teacher))


def test_a_family_named_in_free_text_is_flagged_when_it_joins_the_school(teacher, seabright, millbrook):
    declaration = _declare(teacher, seabright, family_names="Zoë O'Hara\nSam Quill")
    elsewhere = pupil_create(
        actor=None,
        school=millbrook,
        first_name="Zoe",
        last_name="OHara",
        date_of_birth=dt.date(2019, 1, 1),
        year_group="R",
    )
    declaration.refresh_from_db()
    assert declaration.needs_update_at is None  # another school's pupil is not this family
    pupil_create(
        actor=None,
        school=seabright,
        first_name="zoe",
        last_name="o'hara",
        date_of_birth=dt.date(2019, 1, 1),
        year_group="R",
    )
    declaration.refresh_from_db()
    assert declaration.needs_update_at is not None
    assert AuditEntry.objects.filter(action="friendship.needs_update").count() == 1
    with pytest.raises(ValidationError):
        services.friendship_reconfirm(actor=teacher, declaration=declaration)
    assert elsewhere.pk


def test_a_parent_named_in_free_text_is_flagged_when_linked_to_a_pupil_here(teacher, seabright, pupil):
    declaration = _declare(teacher, seabright, family_names="Sam Quill")
    parent_create(actor=None, trust=seabright.trust, full_name="Sam  Quill", pupils=[(pupil, "Mother")])
    declaration.refresh_from_db()
    assert declaration.needs_update_at is not None


def test_updating_clears_the_flag_and_asks_for_a_fresh_decision(teacher, head, seabright):
    declaration = _declare(teacher, seabright, family_names="Sam Quill")
    services.friendship_decide(actor=head, declaration=declaration, decision="may_continue", advice="Fine.")
    newcomer = pupil_create(
        actor=None,
        school=seabright,
        first_name="Sam",
        last_name="Quill",
        date_of_birth=dt.date(2019, 1, 1),
        year_group="R",
    )
    services.friendship_update(
        actor=teacher, declaration=declaration, pupils=[newcomer], nature="Neighbours.", platforms=["instagram"]
    )
    declaration.refresh_from_db()
    assert declaration.needs_update_at is None
    assert declaration.status == FriendshipStatus.AWAITING and declaration.decided_by is None
    assert list(declaration.pupils.all()) == [newcomer]


def test_names_are_matched_without_case_accents_or_punctuation():
    assert normalise_name("  Zoë  O'Brien-Smith ") == normalise_name("zoe obrien smith")


def test_a_policy_without_friendship_disclosure_has_no_register(make_trust, make_staff):
    trust = make_trust("001")
    school = trust.schools.order_by("pk").first()
    teacher = make_staff(Role.TEACHER, school, "Tam Teach")
    with pytest.raises(PermissionDenied):
        _declare(teacher, school, family_names="Sam Quill")
    assert not selectors.friendship_register_on(teacher)


# Unblock requests -------------------------------------------------------------------------------------------------


def test_it_support_approves_an_unblock_request_and_the_requester_sees_the_outcome(teacher, it_support, seabright):
    request = services.unblock_request(
        actor=teacher, school=seabright, url="https://www.example.com/rivers", reason="Geography lesson."
    )
    services.unblock_decide(actor=it_support, request=request, decision="approve", note="Done.")
    request.refresh_from_db()
    assert request.status == UnblockStatus.APPROVED
    assert request in selectors.unblock_requests_for(teacher)


@pytest.mark.parametrize("url", ["not a url", "www.example.com", "javascript:alert(1)", "ftp://example.com/x"])
def test_an_unblock_request_needs_a_real_web_address(teacher, seabright, url):
    with pytest.raises(ValidationError) as exc:
        services.unblock_request(actor=teacher, school=seabright, url=url, reason="Lesson.")
    assert "url" in exc.value.message_dict
    assert not UnblockRequest.objects.exists()


def test_nobody_decides_their_own_unblock_request(it_support, seabright):
    request = services.unblock_request(
        actor=it_support, school=seabright, url="https://example.com/", reason="Updates."
    )
    with pytest.raises(PermissionDenied):
        services.unblock_decide(actor=it_support, request=request, decision="approve", note="Mine.")


def test_a_teacher_cannot_decide_an_unblock_request(teacher, make_staff, seabright):
    colleague = make_staff(Role.TEACHER, seabright, "Cora Colleague")
    request = services.unblock_request(actor=colleague, school=seabright, url="https://example.com/", reason="x")
    with pytest.raises(PermissionDenied):
        services.unblock_decide(actor=teacher, request=request, decision="approve", note="Sure.")


def test_a_referred_request_is_decided_by_senior_leaders_not_it(teacher, it_support, head, seabright):
    request = services.unblock_request(actor=teacher, school=seabright, url="https://video.example.org/", reason="x")
    services.unblock_decide(actor=it_support, request=request, decision="refer", note="Needs SLT.")
    with pytest.raises(PermissionDenied):
        services.unblock_decide(actor=it_support, request=request, decision="approve", note="Changed my mind.")
    with pytest.raises(ValidationError):
        services.unblock_decide(actor=head, request=request, decision="refer", note="Back to you.")
    services.unblock_decide(actor=head, request=request, decision="decline", note="Use the school's own copy.")
    request.refresh_from_db()
    assert request.status == UnblockStatus.DECLINED and request.referred_by == it_support
    assert AuditEntry.objects.filter(action="unblock.refer").exists()
    assert AuditEntry.objects.filter(action="unblock.decline").exists()


def test_a_decided_request_cannot_be_decided_again(teacher, it_support, seabright):
    request = services.unblock_request(actor=teacher, school=seabright, url="https://example.com/", reason="x")
    services.unblock_decide(actor=it_support, request=request, decision="decline", note="No.")
    with pytest.raises(ValidationError):
        services.unblock_decide(actor=it_support, request=request, decision="approve", note="Yes.")


# Remote learning and AI tools -------------------------------------------------------------------------------------


def _remote(actor, school, **kw):
    values = {
        "platform": "Video lessons",
        "purpose": "Lessons at home",
        "year_groups": "Years 5 and 6",
        "data_protection": "School accounts only",
        "age_limits": "None",
        "risks": "Cameras off by default",
        "review_on": TODAY() + dt.timedelta(days=365),
    } | kw
    return services.remote_learning_submit(actor=actor, school=school, **values)


def _ai(actor, school, **kw):
    values = {
        "tool": "Planning chatbot",
        "purpose": "Lesson plans",
        "data_shared": "No personal data",
        "age_restrictions": "Staff only",
        "risks": "Wrong answers",
        "review_on": TODAY() + dt.timedelta(days=180),
    } | kw
    return services.ai_tool_submit(actor=actor, school=school, **values)


def test_the_head_approves_a_remote_learning_assessment_but_not_their_own(teacher, head, seabright):
    item = _remote(teacher, seabright)
    services.approval_decide(actor=head, item=item, approve=True, note="With the safeguards listed.")
    item.refresh_from_db()
    assert item.status == ApprovalStatus.APPROVED
    own = _remote(head, seabright)
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=head, item=own, approve=True, note="Mine.")


def test_a_teacher_cannot_approve_an_ai_tool(teacher, make_staff, seabright):
    item = _ai(make_staff(Role.TEACHER, seabright, "Cora Colleague"), seabright)
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=teacher, item=item, approve=True, note="Looks fine.")


def test_an_assessment_needs_every_part_and_a_future_review(teacher, seabright):
    with pytest.raises(ValidationError) as exc:
        _remote(teacher, seabright, risks="", review_on=TODAY() - dt.timedelta(days=1))
    assert {"risks", "review_on"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        _ai(teacher, seabright, review_on=None)
    assert "review_on" in exc.value.message_dict


def test_the_approver_is_the_role_the_policy_names(make_trust, make_staff):
    """Policy 003 keeps the defaults (the head); a change in the policy file would change who approves."""
    trust = make_trust("003")
    school = trust.schools.order_by("pk").first()
    asker = make_staff(Role.TEACHER, school, "Tam Teach")
    it = make_staff(Role.IT_SUPPORT, school, "Ike Tech")
    item = _ai(asker, school)
    approver = trust.policy.registers.ai_tools_approver.roles[0]
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=it, item=item, approve=True, note="x")
    services.approval_decide(
        actor=make_staff(approver, school, "Alex Approver"), item=item, approve=False, note="Not for pupils."
    )
    item.refresh_from_db()
    assert item.status == ApprovalStatus.DECLINED


# Dashboard --------------------------------------------------------------------------------------------------------


def test_dashboard_lists_what_waits_for_this_users_decision(teacher, head, it_support, seabright, pupil):
    _declare(teacher, seabright, pupils=[pupil])
    services.unblock_request(actor=teacher, school=seabright, url="https://example.com/", reason="x")
    _ai(teacher, seabright)
    head_titles = {i.title for i in selectors.dashboard_items(head)}
    assert {"Friendship declarations", "AI tools to approve"} <= head_titles
    assert "Requests to unblock a website" not in head_titles
    assert [i.title for i in selectors.dashboard_items(it_support)] == ["Requests to unblock a website"]
    assert selectors.dashboard_items(teacher) == []


# Views ------------------------------------------------------------------------------------------------------------


def test_registers_page_works(signed_in, teacher, seabright, pupil):
    _declare(teacher, seabright, pupils=[pupil])
    services.unblock_request(actor=teacher, school=seabright, url="https://example.com/", reason="x")
    response = signed_in(teacher).get(reverse("registers:index"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Disclosure of social media friends" in body and "https://example.com/" in body


def test_the_registers_page_takes_the_same_queries_for_one_entry_of_each_and_five(
    signed_in, teacher, seabright, pupil, same_queries
):
    _declare(teacher, seabright, pupils=[pupil])
    services.unblock_request(actor=teacher, school=seabright, url="https://example.com/", reason="x")
    client = signed_in(teacher)
    client.get(reverse("registers:index"))

    def four_more_of_each():
        for n in range(4):
            other = pupil_create(
                actor=None,
                school=seabright,
                first_name=f"Ivy{n}",
                last_name="Marsh",
                date_of_birth=dt.date(2017, 1, 2),
                year_group="3",
            )
            _declare(teacher, seabright, pupils=[other])
            services.unblock_request(actor=teacher, school=seabright, url=f"https://example.com/{n}", reason="x")

    body = same_queries(11, lambda: client.get(reverse("registers:index")), four_more_of_each).content.decode()
    assert "https://example.com/3" in body


def test_registers_page_needs_login(client):
    response = client.get(reverse("registers:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_colleagues_declaration_and_request_are_missing_to_a_teacher(
    signed_in, teacher, make_staff, seabright, pupil
):
    colleague = make_staff(Role.TEACHER, seabright, "Cora Colleague")
    declaration = _declare(colleague, seabright, pupils=[pupil])
    request = services.unblock_request(actor=colleague, school=seabright, url="https://example.com/c", reason="x")
    client = signed_in(teacher)
    body = client.get(reverse("registers:index")).content.decode()
    assert "https://example.com/c" not in body and "Cora Colleague" not in body
    assert client.get(reverse("registers:friendship", args=[declaration.pk])).status_code == 404
    assert client.get(reverse("registers:unblock", args=[request.pk])).status_code == 404
    assert client.post(reverse("registers:friendship_decide", args=[declaration.pk]), {}).status_code == 404


def test_a_head_of_another_school_cannot_see_a_declaration(signed_in, make_staff, millbrook, teacher, seabright, pupil):
    other_head = make_staff(Role.HEAD, millbrook, "Hal Head")
    declaration = _declare(teacher, seabright, pupils=[pupil])
    assert signed_in(other_head).get(reverse("registers:friendship", args=[declaration.pk])).status_code == 404


def test_declaring_through_the_form_with_nothing_named_keeps_what_was_typed(signed_in, teacher, seabright):
    response = signed_in(teacher).post(
        reverse("registers:friendship_new"),
        {"school": seabright.pk, "nature": "Old school friends.", "platforms": ["facebook"]},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "Old school friends." in body
    assert not FriendshipDeclaration.objects.exists()


def test_the_declarer_is_shown_who_to_talk_to(signed_in, teacher):
    body = signed_in(teacher).get(reverse("registers:friendship_new")).content.decode()
    assert "Designated safeguarding lead" in body and "Headteacher" in body


def test_the_head_decides_through_the_form(signed_in, head, teacher, seabright, pupil):
    declaration = _declare(teacher, seabright, pupils=[pupil])
    response = signed_in(head).post(
        reverse("registers:friendship_decide", args=[declaration.pk]),
        {"decision": "may_continue", "advice": "Keep school matters off it."},
    )
    assert response.status_code == 302
    declaration.refresh_from_db()
    assert declaration.status == FriendshipStatus.DECIDED


def test_a_bad_web_address_is_refused_with_the_field_named_and_the_reason_kept(signed_in, teacher, seabright):
    response = signed_in(teacher).post(
        reverse("registers:unblock_new"), {"school": seabright.pk, "url": "not a url", "reason": "Year 4 rivers."}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Web address of the blocked site" in body and "https://" in body and "Year 4 rivers." in body
    assert not UnblockRequest.objects.exists()


def test_the_requester_cannot_decide_their_own_request_through_the_form(signed_in, it_support, seabright):
    request = services.unblock_request(actor=it_support, school=seabright, url="https://example.com/", reason="x")
    response = signed_in(it_support).post(
        reverse("registers:unblock_decide", args=[request.pk]), {"decision": "approve", "note": "Mine."}
    )
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == UnblockStatus.REQUESTED


def test_approval_pages_work_and_unknown_registers_are_missing(signed_in, teacher, head, seabright):
    item = _remote(teacher, seabright)
    client = signed_in(head)
    response = client.get(reverse("registers:approval", args=["remote-learning", item.pk]))
    assert response.status_code == 200 and "Record the decision" in response.content.decode()
    assert client.get(reverse("registers:approval", args=["gadgets", item.pk])).status_code == 404
    assert client.get(reverse("registers:approval_new", args=["ai-tools"])).status_code == 200


def test_a_past_review_date_is_refused_in_the_form_and_the_rest_kept(signed_in, teacher, seabright):
    response = signed_in(teacher).post(
        reverse("registers:approval_new", args=["ai-tools"]),
        {
            "school": seabright.pk,
            "tool": "Quiz maker",
            "purpose": "Quizzes",
            "data_shared": "None",
            "age_restrictions": "13+",
            "risks": "Errors",
            "review_on": (TODAY() - dt.timedelta(days=1)).isoformat(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "review date in the future" in body and "Quiz maker" in body


def test_a_trust_without_friendship_disclosure_sees_no_friendship_register(signed_in, make_trust, make_staff):
    trust = make_trust("001")
    school = trust.schools.order_by("pk").first()
    client = signed_in(make_staff(Role.TEACHER, school, "Tam Teach"))
    body = client.get(reverse("registers:index")).content.decode()
    assert "Disclosure of social media friends" not in body and "Requests to unblock a website" in body
    assert client.get(reverse("registers:friendship_new")).status_code == 404


def test_each_declaration_in_the_list_is_named_by_who_made_it(signed_in, teacher, head, make_staff, seabright, pupil):
    colleague = make_staff(Role.TEACHER, seabright, "Cora Colleague")
    first = _declare(teacher, seabright, pupils=[pupil])
    second = _declare(colleague, seabright, pupils=[pupil])
    body = signed_in(head).get(reverse("registers:index")).content.decode()
    for declaration in (first, second):
        link = f'<a href="{reverse("registers:friendship", args=[declaration.pk])}">{declaration.declarer}<span'
        assert link in body


def test_a_dashboard_card_shows_its_count_once(teacher, head, seabright, pupil):
    _declare(teacher, seabright, pupils=[pupil])
    services.unblock_request(actor=teacher, school=seabright, url="https://example.com/", reason="x")
    cards = {i.title: i for i in selectors.dashboard_items(head)}
    declarations = cards["Friendship declarations"]
    assert declarations.count == 1 and declarations.text == "declaration waits for your decision."
    for card in selectors.dashboard_items(head):
        assert not card.text.startswith(str(card.count)), card
