"""Suggestions: any member of staff suggests a post for a channel; it goes to whoever the policy names (001: the
head), else to the channel's posters, who turn it into a draft of their own or decline it with a note. The colleague
is told by an email that holds only a link. A suggestion is checked as a post is."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from safesocial.audit.models import AuditEntry
from safesocial.people.roles import Role
from safesocial.publishing import services
from safesocial.publishing.models import PostStatus, Suggestion, SuggestionStatus
from safesocial.publishing.selectors import dashboard_items, suggestion_deciders, suggestions_waiting_for
from safesocial.testing.channels import make_channel
from safesocial.testing.files import photo
from safesocial.testing.people import holder

pytestmark = pytest.mark.django_db

IDEA = "Our reading volunteers would love more helpers on Tuesday afternoons."


@pytest.fixture
def wrenfield(make_trust):
    """Policy 001's trust: "If you have suggestions ... please speak to your Headteacher"."""
    return make_trust("001")


@pytest.fixture
def ashbrindle(wrenfield):
    return wrenfield.schools.get(key="ashbrindle")


@pytest.fixture
def penrose(wrenfield):
    """Ashbrindle's headteacher (and DSL)."""
    return holder(wrenfield, Role.HEAD, "ashbrindle")


@pytest.fixture
def ashbrindle_people(make_staff, ashbrindle):
    return {
        "admin": make_staff(Role.CHANNEL_ADMIN, ashbrindle, "Ash Admin"),
        "poster": make_staff(Role.TEACHER, ashbrindle, "Pip Poster"),
        "assistant": make_staff(Role.SUPPORT_STAFF, ashbrindle, "Tam Assistant"),
    }


@pytest.fixture
def ashbrindle_page(ashbrindle_people, penrose, ashbrindle):
    people = ashbrindle_people
    return make_channel(people["admin"], penrose, ashbrindle, name="Ashbrindle sandbox", posters=[people["poster"]])


@pytest.fixture
def assistant(make_staff, seabright):
    return make_staff(Role.SUPPORT_STAFF, seabright, "Jo Assistant")


def suggest(actor, channel, text=IDEA, **extra):
    return services.suggestion_create(
        actor=actor, channel=channel, text=text, category=extra.pop("category", "events"), **extra
    )


# Policy 001: the head first ------------------------------------------------------------------------------------------


def test_policy_001_sends_a_suggestion_to_the_head_who_agrees_and_a_poster_makes_it_a_draft(
    ashbrindle_people, ashbrindle_page, penrose, django_capture_on_commit_callbacks, mailoutbox
):
    assistant, poster = ashbrindle_people["assistant"], ashbrindle_people["poster"]
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = suggest(
            assistant,
            ashbrindle_page,
            images=[services.ImageUpload(photo(), "Volunteers reading with children in the library")],
        )
    assert suggestion.to_role == "head" and list(suggestion_deciders(suggestion)) == [penrose]
    (to_head,) = mailoutbox
    assert to_head.to == [penrose.email] and IDEA not in to_head.body
    assert reverse("publishing:suggestion", args=[suggestion.pk]) in to_head.body

    with pytest.raises(PermissionDenied):  # the poster waits for the head
        services.suggestion_draft(actor=poster, suggestion=suggestion)
    with pytest.raises(PermissionDenied, match="agree it"):  # the head is no poster of the channel
        services.suggestion_draft(actor=penrose, suggestion=suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_agree(actor=penrose, suggestion=suggestion)
    assert mailoutbox[-1].to == [poster.email] or poster.email in {m.to[0] for m in mailoutbox[1:]}

    with django_capture_on_commit_callbacks(execute=True):
        post = services.suggestion_draft(actor=poster, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert post.status == PostStatus.DRAFT and post.author == poster and post.text == IDEA
    assert post.images.count() == 1 and post.images.get().alt_text.startswith("Volunteers")
    assert suggestion.status == SuggestionStatus.DRAFTED and suggestion.post == post
    answered = mailoutbox[-1]
    assert answered.to == [assistant.email] and IDEA not in answered.body
    assert AuditEntry.objects.filter(action="post.from_suggestion", object_id=str(post.pk)).exists()


def test_policy_001_puts_the_suggestion_on_the_heads_dashboard(ashbrindle_people, ashbrindle_page, penrose):
    suggest(ashbrindle_people["assistant"], ashbrindle_page)
    cards = [c for c in dashboard_items(penrose) if c.title == "Suggestions for posts"]
    assert len(cards) == 1 and cards[0].count == 1
    assert not list(suggestions_waiting_for(ashbrindle_people["poster"]))


# No role named: the channel's posters --------------------------------------------------------------------------------


def test_without_a_role_named_the_channels_posters_decide_and_a_decline_says_why(
    assistant, teacher, sandbox, channel_admin, django_capture_on_commit_callbacks, mailoutbox
):
    suggestion = suggest(assistant, sandbox)
    assert suggestion.to_role == "" and set(suggestion_deciders(suggestion)) == {teacher, channel_admin}
    assert list(suggestions_waiting_for(teacher)) == [suggestion]
    with pytest.raises(ValidationError):
        services.suggestion_decline(actor=teacher, suggestion=suggestion, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_decline(actor=teacher, suggestion=suggestion, note="We posted about volunteers last week.")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DECLINED and suggestion.decided_by == teacher
    assert mailoutbox[-1].to == [assistant.email] and "last week" not in mailoutbox[-1].body
    entry = AuditEntry.objects.get(action="suggestion.decline")
    assert "last week" not in str(entry.changes)
    with pytest.raises(ValidationError):  # decided once
        services.suggestion_draft(actor=teacher, suggestion=suggestion)


def test_a_poster_turns_it_into_a_draft_of_their_own_and_the_colleague_is_credited(
    signed_in, assistant, teacher, sandbox
):
    suggestion = suggest(assistant, sandbox)
    post = services.suggestion_draft(actor=teacher, suggestion=suggestion)
    body = signed_in(teacher).get(reverse("publishing:detail", args=[post.pk])).content.decode()
    assert "Suggested" in body and "by Jo Assistant" in body and f"by {teacher.full_name}" in body


def test_a_colleague_without_a_say_cannot_decide(assistant, sandbox, colleague):
    suggestion = suggest(assistant, sandbox)
    with pytest.raises(PermissionDenied):
        services.suggestion_decline(actor=colleague, suggestion=suggestion, note="No.")
    with pytest.raises(PermissionDenied):
        services.suggestion_draft(actor=colleague, suggestion=suggestion)


# Checks and who may suggest ------------------------------------------------------------------------------------------


def test_a_suggestion_naming_a_pupil_without_consent_gets_the_same_checks_as_a_post(assistant, sandbox, make_ava):
    make_ava()  # Ava Quill, no consent at all
    with pytest.raises(ValidationError) as refused:
        suggest(assistant, sandbox, text="Ava Quill read beautifully in assembly today!", category="achievements")
    assert "consent" in " ".join(refused.value.messages)
    assert not Suggestion.objects.exists()


def test_the_audit_trail_keeps_a_fingerprint_of_the_words_not_the_words(assistant, sandbox):
    suggest(assistant, sandbox)
    entry = AuditEntry.objects.get(action="suggestion.create")
    assert IDEA not in str(entry.changes) and entry.changes["text"]["length"] == len(IDEA)
    assert entry.object_label.startswith("Suggestion ")


def test_only_staff_of_the_school_suggest(outsider, make_staff, seabright, sandbox):
    volunteer = make_staff(Role.VOLUNTEER, seabright, "Val Volunteer")
    for person in (outsider, volunteer):
        with pytest.raises(PermissionDenied):
            suggest(person, sandbox)


def test_a_category_outside_the_policy_is_refused(assistant, sandbox):
    with pytest.raises(ValidationError, match="categories"):
        suggest(assistant, sandbox, category="politics")


# The pages -----------------------------------------------------------------------------------------------------------


def test_a_teaching_assistant_suggests_a_post_through_the_page(signed_in, assistant, sandbox, teacher):
    client = signed_in(assistant)
    form = client.get(reverse("publishing:suggest") + f"?channel={sandbox.pk}").content.decode()
    assert 'for="id_channel"' in form and "What the post could say" in form
    response = client.post(
        reverse("publishing:suggest"),
        {"channel": sandbox.pk, "category": "events", "text": IDEA, "image_1": photo(), "alt_1": "Volunteers"},
    )
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "publishing:suggestion", args=[suggestion.pk]
    )
    assert suggestion.images.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert IDEA in page and "Tess Teacher" in page  # who it waits for
    image = suggestion.images.get()
    assert (
        signed_in(teacher).get(reverse("publishing:suggestion_image", args=[suggestion.pk, image.pk])).status_code
        == 200
    )


def test_a_refused_suggestion_comes_back_with_the_error_summary_and_the_words(signed_in, assistant, sandbox, make_ava):
    make_ava()
    body = (
        signed_in(assistant)
        .post(
            reverse("publishing:suggest"),
            {"channel": sandbox.pk, "category": "achievements", "text": "Ava Quill read beautifully today!"},
        )
        .content.decode()
    )
    assert "There is a problem" in body and "Ava Quill read beautifully today!" in body
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("view", ["suggestion_agree", "suggestion_draft", "suggestion_decline"])
def test_deciding_needs_sign_in(client, assistant, sandbox, view):
    suggestion = suggest(assistant, sandbox)
    response = client.post(reverse(f"publishing:{view}", args=[suggestion.pk]), {"note": "No."})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


def test_suggesting_needs_sign_in(client, sandbox):
    response = client.post(reverse("publishing:suggest"), {"channel": sandbox.pk, "category": "events", "text": IDEA})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("view", ["suggestion_agree", "suggestion_draft", "suggestion_decline"])
def test_a_suggestion_is_hidden_from_another_schools_staff(signed_in, assistant, sandbox, outsider, view):
    suggestion = suggest(assistant, sandbox)
    client = signed_in(outsider)
    assert client.get(reverse("publishing:suggestion", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse(f"publishing:{view}", args=[suggestion.pk]), {"note": "No."}).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


def test_a_poster_declines_through_the_page_and_the_colleague_reads_the_note(signed_in, assistant, teacher, sandbox):
    suggestion = suggest(assistant, sandbox)
    poster = signed_in(teacher)
    empty = poster.post(reverse("publishing:suggestion_decline", args=[suggestion.pk]), {"note": ""})
    assert empty.status_code == 400 and "There is a problem" in empty.content.decode()
    poster.post(reverse("publishing:suggestion_decline", args=[suggestion.pk]), {"note": "Already on the newsletter."})
    page = signed_in(assistant).get(reverse("publishing:suggestion", args=[suggestion.pk])).content.decode()
    assert "Declined by Tess Teacher" in page and "Already on the newsletter." in page


def test_a_poster_drafts_it_through_the_page(signed_in, assistant, teacher, sandbox):
    suggestion = suggest(assistant, sandbox)
    response = signed_in(teacher).post(reverse("publishing:suggestion_draft", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == reverse(
        "publishing:detail", args=[suggestion.post.pk]
    )


def test_the_head_agrees_through_the_page(signed_in, ashbrindle_people, ashbrindle_page, penrose):
    suggestion = suggest(ashbrindle_people["assistant"], ashbrindle_page)
    page = signed_in(penrose).get(reverse("publishing:suggestion", args=[suggestion.pk])).content.decode()
    assert "Agree: ask the channel's posters to write it" in page and "Turn it into a draft" not in page
    signed_in(penrose).post(reverse("publishing:suggestion_agree", args=[suggestion.pk]))
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.AGREED and suggestion.agreed_by == penrose


def test_the_suggestions_page_lists_what_waits_and_what_is_mine(signed_in, assistant, teacher, sandbox):
    suggestion = suggest(assistant, sandbox)
    assert str(suggestion) in signed_in(teacher).get(reverse("publishing:suggestions")).content.decode()
    mine = signed_in(assistant).get(reverse("publishing:suggestions")).content.decode()
    assert str(suggestion) in mine and "Suggest a post" in mine


def test_the_suggestions_page_reads_the_same_queries_for_one_suggestion_as_for_many(
    signed_in, assistant, teacher, sandbox, same_queries
):
    suggest(assistant, sandbox)
    client = signed_in(teacher)
    client.get(reverse("publishing:suggestions"))  # sessions and caches settle

    def grow():
        for n in range(3):
            suggest(assistant, sandbox, text=f"{IDEA} ({n})")

    body = same_queries(10, lambda: client.get(reverse("publishing:suggestions")), grow).content.decode()
    assert "4 suggestions waiting for you" in body
