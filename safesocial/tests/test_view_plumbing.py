"""The plumbing every view shares (safesocial/views_kit.py, safesocial/forms.py), through real views and the test
client: htmx gets a fragment and a history restore the whole page, caches keep the two apart, a refusal is shown
where the person was, and every field is drawn by the one field template."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from safesocial.channels.models import ChannelStatus
from safesocial.concerns.forms import PublicReportForm
from safesocial.escalation.forms import CloseForm
from safesocial.people.forms import StaffForm
from safesocial.people.models import School

HTMX = {"HTTP_HX_REQUEST": "true"}
RESTORE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}

# Pages that answer htmx with a piece of themselves.
FRAGMENT_PAGES = ["people:staff", "concerns:list", "concerns:guidance"]


def vary(response) -> set[str]:
    return {h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()}


@pytest.mark.parametrize("name", FRAGMENT_PAGES)
def test_htmx_gets_a_fragment_without_the_page_around_it(name, signed_in, head):
    response = signed_in(head).get(reverse(name), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("name", FRAGMENT_PAGES)
def test_htmx_restoring_history_gets_the_whole_page_to_rebuild_it_from(name, signed_in, head):
    response = signed_in(head).get(reverse(name), **RESTORE)
    assert response.status_code == 200
    assert "<html" in response.content.decode()


@pytest.mark.parametrize("name", FRAGMENT_PAGES)
@pytest.mark.parametrize("headers", [{}, HTMX, RESTORE], ids=["page", "fragment", "restore"])
def test_every_answer_of_a_page_with_fragments_says_it_varies_on_the_htmx_headers(name, headers, signed_in, head):
    response = signed_in(head).get(reverse(name), **headers)
    assert {"hx-request", "hx-history-restore-request"} <= vary(response)


def test_a_page_without_fragments_does_not_vary_on_htmx(signed_in, head):
    response = signed_in(head).get(reverse("people:trust"), **HTMX)
    assert "<html" in response.content.decode()
    assert "hx-request" not in vary(response)


def test_a_refused_action_comes_back_as_a_message_on_the_page_it_was_asked_from(signed_in, head, sandbox):
    client = signed_in(head)
    response = client.post(reverse("channels:sign_off", args=[sandbox.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("channels:detail", args=[sandbox.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Only a proposed channel can be signed off."]
    sandbox.refresh_from_db()
    assert sandbox.status == ChannelStatus.ACTIVE


def test_a_move_the_workflow_does_not_allow_is_refused_in_its_own_words(signed_in, channel_admin, sandbox):
    response = signed_in(channel_admin).post(reverse("channels:set_status", args=[sandbox.pk, "proposed"]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["A active channel cannot become proposed."]


def test_a_form_filled_in_wrongly_on_a_page_of_several_forms_is_said_as_a_message(signed_in, head, teacher):
    response = signed_in(head).post(reverse("people:role_add", args=[teacher.pk]), {"role": "", "school": ""})
    assert response.status_code == 302 and response["Location"] == reverse("people:member", args=[teacher.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Choose a role and where it is held."]


def test_a_refusal_after_which_there_is_no_page_to_go_to_goes_back_where_it_came_from(signed_in, ceo):
    client = signed_in(ceo)
    started = client.post(reverse("policy:review_start"))
    assert started.status_code == 302 and started["Location"].startswith(reverse("policy:reviews"))
    assert started["Location"] != reverse("policy:reviews")  # the new review's own page
    again = client.post(reverse("policy:review_start"))
    assert again.status_code == 302 and again["Location"] == reverse("policy:reviews")
    said = [str(m) for m in get_messages(again.wsgi_request)]
    assert said[-1] == "A review is already in progress: carry on with it rather than starting another."


def test_a_permission_the_policy_does_not_give_is_still_the_403_page_where_it_was(signed_in, teacher):
    response = signed_in(teacher).post(reverse("policy:review_start"))
    assert response.status_code == 403


# One field template ---------------------------------------------------------------------------------------------


def test_every_field_is_drawn_by_the_one_field_template_with_its_label_hint_and_errors():
    form = CloseForm(data={"reason": ""})
    html = str(form["reason"].as_field_group())
    assert html.strip().startswith('<div class="field">')
    assert f'<label for="{form["reason"].id_for_label}">Why it is being closed</label>' in html
    assert f'id="{form["reason"].auto_id}_error"' in html


def test_a_whole_form_is_its_fields_one_after_another_from_the_same_template():
    form = CloseForm()
    assert str(form).count('<div class="field">') == len(form.fields)


def test_a_form_that_asks_for_it_marks_its_optional_questions_and_others_do_not(trust):
    public = PublicReportForm()
    assert "(optional)" in str(public["url"].as_field_group())
    assert "(optional)" not in str(public["summary"].as_field_group())
    staff = StaffForm(schools=School.objects.filter(trust=trust))
    assert not staff.fields["job_title"].required
    assert "(optional)" not in str(staff["job_title"].as_field_group())


def test_the_concern_report_form_marks_what_a_reporter_may_leave_out(signed_in, head):
    body = signed_in(head).get(reverse("concerns:report")).content.decode()
    assert "Address (URL) of the post, message or page" in body
    assert '<span class="muted">(optional)</span>' in body
