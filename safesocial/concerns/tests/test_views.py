import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.concerns import services
from safesocial.concerns.models import Concern, ConcernStatus, EntryKind, Evidence
from safesocial.concerns.services import People
from safesocial.testing.files import png_bytes

WHEN = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def form_data(school, **extra):
    data = {
        "kind": "friend_request",
        "school": school.pk,
        "summary": "A friend request from Year 6 pupil's parent on Facebook.",
        "occurred_at": WHEN,
        "platform": "facebook",
        "url": "https://www.facebook.com/some.parent",
        "account_handle": "some.parent",
    }
    data.update(extra)
    return data


def reported(actor, school, **kw):
    kw.setdefault("summary", "Something happened")
    return services.concern_report(actor=actor, school=school, kind=kw.pop("kind", "friend_request"), **kw).concern


def test_the_report_form_needs_sign_in(client):
    response = client.get(reverse("concerns:report"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_report_form_preselects_the_reporters_school_and_shows_the_policys_guidance(
    signed_in, assistant, seabright
):
    body = signed_in(assistant).get(reverse("concerns:report") + "?kind=cyberbullying_of_pupil").content.decode()
    assert f'<option value="{seabright.pk}" selected>' in body
    assert "Never respond or retaliate" in body and "From the trust's policy." in body


def test_the_guidance_swaps_in_by_htmx_and_lists_every_kind_without_javascript(signed_in, assistant):
    client = signed_in(assistant)
    fragment = client.get(reverse("concerns:guidance") + "?kind=friend_request", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "<html" not in text and "personal account" in text
    page = client.get(reverse("concerns:guidance")).content.decode()
    assert "Underage" in page or "underage" in page


def test_a_teaching_assistant_reports_with_a_screenshot_and_a_bad_file_and_nothing_is_lost(
    signed_in, assistant, seabright
):
    client = signed_in(assistant)
    files = [
        SimpleUploadedFile("request.png", png_bytes(), "image/png"),
        SimpleUploadedFile("notes.png", b"plain words, not a picture", "image/png"),
    ]
    response = client.post(reverse("concerns:report"), {**form_data(seabright), "files": files}, follow=True)
    concern = Concern.objects.get()
    assert response.redirect_chain[-1][0] == reverse("concerns:detail", args=[concern.pk])
    body = response.content.decode()
    assert "Your concern has been recorded" in body
    assert "notes.png was not added: its name says it is a PNG image, but its content is not" in body
    assert [e.original_name for e in concern.evidence.all()] == ["request.png"]
    assert "add evidence" in body.lower()  # the reporter can add the file again from here


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"kind": ""}, "kind", "Choose what kind of concern this is."),
        (
            {"occurred_at": (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")},
            "occurred_at",
            "cannot be in the future",
        ),
        ({"url": "not a web address"}, "url", "Enter a web address"),
        ({"summary": ""}, "summary", "Say what happened."),
    ],
)
def test_bad_input_is_named_and_what_was_typed_is_kept(signed_in, assistant, seabright, change, field, message):
    data = form_data(seabright, **change)
    response = signed_in(assistant).post(reverse("concerns:report"), data)
    body = response.content.decode()
    assert response.status_code == 200 and not Concern.objects.exists()
    assert message in body and 'class="error-summary"' in body
    assert f'href="#id_{field}"' in body
    if field != "summary":
        assert "A friend request from Year 6" in body


def test_the_people_search_finds_pupils_and_parents_at_the_school(signed_in, assistant, seabright, pupil, parent):
    response = signed_in(assistant).get(
        reverse("concerns:people"), {"school": seabright.pk, "people_q": "harb"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Nia Harbour" in body and "Rowan Harbour" in body


def test_a_report_links_the_pupils_parents_and_accounts_chosen(signed_in, assistant, seabright, pupil, parent):
    data = form_data(seabright, pupils=[pupil.pk], parents=[parent.pk], other_accounts="Instagram: @nia.h\nsomeone")
    signed_in(assistant).post(reverse("concerns:report"), data)
    concern = Concern.objects.get()
    names = sorted(str(link) for link in concern.links.all())
    assert "Nia Harbour" in names and "Rowan Harbour" in names
    assert sorted(concern.links.filter(kind="account").values_list("account_key", flat=True)) == [
        "facebook:some.parent",
        "instagram:nia.h",
        "other:someone",
    ]


def test_a_concerns_page_takes_the_same_queries_with_one_of_each_record_or_eleven(
    signed_in, head, assistant, deputy_dsl, seabright, pupil, same_queries
):
    """The DSL's page of one concern: its notes, actions, files (each with its chain of custody) and linked pupils are
    read a list at a time, and the trust, its policy and the reader's scope once (issue 16)."""
    concern = reported(assistant, seabright, people=People(pupils=[pupil]))
    n = iter(range(1, 100))

    def one_of_each():
        i = next(n)
        services.chronology_add(actor=head, concern=concern, text=f"Spoke to the class teacher ({i}).")
        services.action_add(
            actor=head, concern=concern, description=f"Check in {i}", assigned_to=deputy_dsl, due_on=dt.date(2027, 1, 8)
        )
        services.evidence_add(
            actor=head, concern=concern, files=[SimpleUploadedFile(f"shot{i}.png", png_bytes(), "image/png")]
        )

    one_of_each()
    client = signed_in(head)
    url = reverse("concerns:detail", args=[concern.pk])
    client.get(url)
    body = same_queries(27, lambda: client.get(url), lambda: [one_of_each() for _ in range(10)]).content.decode()
    assert body.count("Check in ") >= 11 and body.count("shot") >= 11
    assert body.count("Spoke to the class teacher") == 11


@pytest.mark.parametrize(("params", "queries"), [({}, 18), ({"q": "happened", "status": "open"}, 18)])
def test_the_list_and_its_search_show_the_dsl_one_concern_or_fifty_one_in_the_same_queries(
    signed_in, head, assistant, seabright, pupil, same_queries, params, queries
):
    reported(assistant, seabright, people=People(pupils=[pupil]))
    client = signed_in(head)
    client.get(reverse("concerns:list"), params)
    # Two of these are triage's: the receiver's visit to the list (read, then moved on) and the page's open actions.
    # The page's ids are sorted in a subquery of the page's own query (issue 16: 50,000 concerns).
    response = same_queries(
        queries,
        lambda: client.get(reverse("concerns:list"), params),
        lambda: [reported(assistant, seabright) for _ in range(50)],
    )
    body = response.content.decode()
    assert "51 concerns, page 1 of 2" in body
    second = client.get(reverse("concerns:list"), {**params, "page": 2}).content.decode()
    first_ids, second_ids = (set(re.findall(r'href="/concerns/(\d+)/"', page)) for page in (body, second))
    assert len(first_ids) == 50 and len(second_ids) == 1
    assert first_ids | second_ids == {str(pk) for pk in Concern.objects.values_list("pk", flat=True)}
    # The search reads the names of the people a concern names: only the first concern names Nia Harbour.
    found = client.get(reverse("concerns:list"), {"q": "Harbour"}).content.decode()
    assert "1 concern</caption>" in found and len(set(re.findall(r'href="/concerns/(\d+)/"', found))) == 1


def test_the_list_and_its_search_never_show_a_concern_about_the_viewer(signed_in, head, assistant, seabright, ceo):
    about_head = reported(
        assistant,
        seabright,
        kind="staff_online_conduct",
        summary="Quarry posted photos",
        people=People(staff_subjects=[head]),
    )
    client = signed_in(head)
    for params in ({}, {"q": "Quarry"}, {"q": about_head.reference}, {"kind": "staff_online_conduct"}):
        body = client.get(reverse("concerns:list"), params).content.decode()
        assert f"/concerns/{about_head.pk}/" not in body
    assert client.get(reverse("concerns:detail", args=[about_head.pk])).status_code == 404
    ceo_body = signed_in(ceo).get(reverse("concerns:list"), {"q": "Quarry"}).content.decode()
    assert f"/concerns/{about_head.pk}/" in ceo_body


def test_a_colleague_who_is_not_named_gets_404_for_a_concern(signed_in, outsider, assistant, seabright):
    concern = reported(assistant, seabright)
    assert signed_in(outsider).get(reverse("concerns:detail", args=[concern.pk])).status_code == 404


def test_the_reporter_sees_what_they_reported_but_not_the_case_record(signed_in, assistant, seabright, head):
    concern = reported(assistant, seabright)
    services.chronology_add(actor=head, concern=concern, text="Private note of the DSL")
    body = signed_in(assistant).get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "You reported this concern" in body and "Private note of the DSL" not in body
    assert signed_in(assistant).post(reverse("concerns:note", args=[concern.pk]), {"text": "x"}).status_code == 404


def test_every_view_and_download_of_evidence_is_logged_and_shown_as_custody(signed_in, head, assistant, seabright):
    concern = services.concern_report(
        actor=assistant,
        school=seabright,
        kind="friend_request",
        summary="x",
        files=[SimpleUploadedFile("s.png", png_bytes(), "image/png")],
    ).concern
    evidence = concern.evidence.get()
    client = signed_in(head)
    url = reverse("concerns:evidence_file", args=[concern.pk, evidence.pk])
    shown = client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown["Cache-Control"] == "private, no-store"
    saved = client.get(url + "?download=1")
    assert saved["Content-Disposition"].startswith("attachment")
    actions = list(
        AuditEntry.objects.filter(object_type="concerns.evidence", object_id=str(evidence.pk)).values_list(
            "action", "actor_label"
        )
    )
    assert actions == [
        ("concern.evidence.add", assistant.email),
        ("concern.evidence.view", head.email),
        ("concern.evidence.download", head.email),
    ]
    body = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "Downloaded: " + head.email in body


def test_a_file_altered_in_storage_is_not_served_and_the_page_says_so(signed_in, head, assistant, seabright):
    concern = services.concern_report(
        actor=assistant,
        school=seabright,
        kind="friend_request",
        summary="x",
        files=[SimpleUploadedFile("s.png", png_bytes(), "image/png")],
    ).concern
    evidence = concern.evidence.get()
    with open(evidence.file.path, "ab") as f:
        f.write(b"tampered")
    response = signed_in(head).get(reverse("concerns:evidence_file", args=[concern.pk, evidence.pk]), follow=True)
    assert "no longer matches the fingerprint" in response.content.decode()
    assert AuditEntry.objects.filter(action="concern.evidence.view", changes__intact=False).exists()


def test_evidence_of_a_concern_you_cannot_see_is_404(signed_in, outsider, assistant, seabright):
    concern = services.concern_report(
        actor=assistant,
        school=seabright,
        kind="friend_request",
        summary="x",
        files=[SimpleUploadedFile("s.png", png_bytes(), "image/png")],
    ).concern
    evidence = Evidence.objects.get()
    url = reverse("concerns:evidence_file", args=[concern.pk, evidence.pk])
    assert signed_in(outsider).get(url).status_code == 404


def test_an_attempt_to_edit_or_delete_a_chronology_entry_gets_a_clear_answer(signed_in, head, assistant, seabright):
    concern = reported(assistant, seabright)
    entry = concern.chronology.get()
    response = signed_in(head).post(
        reverse("concerns:change_entry", args=[concern.pk, entry.pk]), {"delete": "1"}, follow=True
    )
    assert "never changed or deleted" in response.content.decode()
    assert concern.chronology.count() == 1


def test_the_dsl_adds_an_action_and_closes_with_a_debrief(signed_in, head, assistant, seabright, deputy_dsl):
    concern = reported(assistant, seabright)
    client = signed_in(head)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("concerns:action", args=[concern.pk]),
        {"description": "Call the parent", "assigned_to": deputy_dsl.pk, "due_on": due},
    )
    assert response.status_code == 302
    missing = client.post(reverse("concerns:close", args=[concern.pk]), {"outcome": "Resolved", "lessons": ""})
    assert missing.status_code == 400 and "This field is required" in missing.content.decode()
    client.post(
        reverse("concerns:close", args=[concern.pk]),
        {"outcome": "Resolved", "lessons": "Lock profiles", "curriculum_change": "on"},
    )
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.CLOSED and concern.curriculum_change and not concern.policy_change


def test_the_patterns_page_is_for_those_who_receive_concerns(signed_in, head, teacher):
    assert signed_in(head).get(reverse("concerns:patterns")).status_code == 200
    assert signed_in(teacher).get(reverse("concerns:patterns")).status_code == 404


# The public form ------------------------------------------------------------------------------------------------


def public_data(**extra):
    data = {
        "kind": "cyberbullying_of_pupil",
        "summary": "My son is getting nasty messages in a group chat.",
        "occurred_at": WHEN,
        "platform": "whatsapp",
        "reporter_relationship": "parent",
        "reporter_contact": "07700 900123",
    }
    data.update(extra)
    return data


def test_the_public_form_needs_no_account_and_gives_a_reference(client, seabright, mailoutbox):
    url = reverse("concerns_public:report", args=[seabright.pk])
    assert client.get(url).status_code == 200
    files = [SimpleUploadedFile("chat.png", png_bytes(), "image/png"), SimpleUploadedFile("x.exe", b"MZ", "x")]
    response = client.post(url, {**public_data(), "files": files})
    concern = Concern.objects.get()
    body = response.content.decode()
    assert concern.reference in body and "What happens next" in body and "999" in body
    assert "x.exe: files of this type" in body
    assert concern.source == "public" and concern.reported_by is None and concern.evidence.count() == 1


def test_the_public_form_offers_no_staff_only_kinds_and_names_bad_fields(client, seabright):
    url = reverse("concerns_public:report", args=[seabright.pk])
    body = client.get(url).content.decode()
    assert "friend_request" not in body and "comment_disclosure" not in body
    response = client.post(url, public_data(kind="friend_request", url="nope"))
    text = response.content.decode()
    assert not Concern.objects.exists() and "Enter a web address" in text and "My son is getting" in text


def test_a_robot_that_fills_the_hidden_field_is_thanked_and_nothing_is_kept(client, seabright):
    response = client.post(reverse("concerns_public:report", args=[seabright.pk]), public_data(website="spam"))
    assert response.status_code == 200 and not Concern.objects.exists()


def test_the_public_form_is_rate_limited(client, seabright):
    url = reverse("concerns_public:report", args=[seabright.pk])
    for _ in range(5):
        client.post(url, public_data())
    response = client.post(url, public_data())
    assert response.status_code == 429 and Concern.objects.count() == 5


def test_the_public_form_of_an_unknown_school_is_404(client, db):
    assert client.get(reverse("concerns_public:report", args=[99999])).status_code == 404


# The dashboard ---------------------------------------------------------------------------------------------------


def test_the_dashboard_counts_open_concerns_but_never_one_about_the_viewer(signed_in, head, assistant, seabright):
    reported(assistant, seabright)
    reported(assistant, seabright, kind="staff_online_conduct", people=People(staff_subjects=[head]))
    body = signed_in(head).get("/").content.decode()
    assert '<span class="figure">1</span> open.' in body


def test_actions_due_appear_on_the_assignees_dashboard(signed_in, head, assistant, seabright, deputy_dsl):
    concern = reported(assistant, seabright)
    services.action_add(
        actor=head, concern=concern, description="Call", assigned_to=deputy_dsl, due_on=timezone.localdate()
    )
    body = signed_in(deputy_dsl).get("/").content.decode()
    assert "Safeguarding actions due" in body


def test_the_close_form_puts_each_tick_box_before_its_label(signed_in, head, assistant, seabright):
    concern = reported(assistant, seabright)
    body = signed_in(head).get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    tick = body.index('name="policy_change"')
    label = body.index(">The policy should change because of this</label>")
    assert tick < label


def test_closing_with_one_open_action_says_so_in_plain_english(signed_in, head, assistant, seabright, deputy_dsl):
    concern = reported(assistant, seabright)
    client = signed_in(head)
    due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    client.post(
        reverse("concerns:action", args=[concern.pk]),
        {"description": "Call the parent", "assigned_to": deputy_dsl.pk, "due_on": due},
    )
    client.post(reverse("concerns:close", args=[concern.pk]), {"outcome": "Resolved", "lessons": "Lock profiles"})
    closed = concern.chronology.get(kind=EntryKind.CLOSED)
    assert "1 action was still open." in closed.text and "(s)" not in closed.text


def test_the_people_search_says_whose_parent_each_parent_is(signed_in, assistant, seabright, pupil, parent):
    response = signed_in(assistant).get(
        reverse("concerns:people"), {"school": seabright.pk, "people_q": "Rowan"}, HTTP_HX_REQUEST="true"
    )
    assert "Rowan Harbour, parent or carer of Nia Harbour (Year 4)" in response.content.decode()


def test_searching_for_people_without_javascript_keeps_the_report_and_shows_no_error(
    signed_in, assistant, seabright, pupil, parent
):
    data = form_data(seabright, occurred_at="", people_q="Harbour", search="1")
    response = signed_in(assistant).post(reverse("concerns:report"), data)
    body = response.content.decode()
    assert response.status_code == 200 and not Concern.objects.exists()
    assert "There is a problem" not in body and 'class="errorlist"' not in body
    assert "Rowan Harbour, parent or carer of Nia Harbour (Year 4)" in body
    assert "A friend request from Year 6" in body


def test_a_reporter_finds_their_open_reports_from_the_dashboard(signed_in, head, assistant, seabright):
    concern = reported(assistant, seabright)
    body = signed_in(assistant).get("/").content.decode()
    assert "Concerns you reported" in body and "concern you reported is still open." in body
    assert concern.summary not in body  # a count and a link, never what was reported
    services.concern_close(
        actor=head, concern=concern, outcome="Done", lessons="None", policy_change=False, curriculum_change=False
    )
    assert "Concerns you reported" not in signed_in(assistant).get("/").content.decode()


def test_someone_who_receives_concerns_gets_no_separate_card_for_their_own_reports(signed_in, head, seabright):
    reported(head, seabright)
    assert "Concerns you reported" not in signed_in(head).get("/").content.decode()


def test_the_list_tells_a_reporter_these_are_their_reports_and_whether_each_is_open(signed_in, assistant, seabright):
    concern = reported(assistant, seabright)
    body = signed_in(assistant).get(reverse("concerns:list")).content.decode()
    assert "Concerns you reported. The people the trust's policy names deal with them" in body
    assert "Concerns you receive" not in body
    assert f"({concern.reference}), " in body and ": open</li>" in body


def test_the_filters_have_a_visible_button_and_apply_without_javascript(signed_in, head, assistant, seabright):
    import re

    reported(assistant, seabright, summary="A friend request")
    staff = reported(assistant, seabright, kind="cyberbullying_of_staff", summary="Posts about a teacher")
    client = signed_in(head)
    form = re.search(r'<form[^>]*role="search".*?</form>', client.get(reverse("concerns:list")).content.decode(), re.S)
    assert '<button type="submit">Apply filters</button>' in form.group(0) and "noscript" not in form.group(0)
    # What the button sends, with JavaScript off: a whole page, filtered.
    page = client.get(reverse("concerns:list"), {"q": "", "status": "", "school": "", "kind": "cyberbullying_of_staff"})
    body = page.content.decode()
    assert "<html" in body and "1 concern<" in body and f"/concerns/{staff.pk}/" in body
