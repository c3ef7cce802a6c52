"""A post's life after the take-down work (issue 15, items 6-8): the reviewer's checklist, checks that rerun on every
save, and tagging faces without a 200-pupil dropdown."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safesocial.consent import services as consent
from safesocial.consent.models import Method, Purpose
from safesocial.people.services import parent_create, pupil_create
from safesocial.publishing import services
from safesocial.publishing.models import FaceKind, FaceTag, PostStatus, Review
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db(transaction=True)
FACE_PHOTO = Path(__file__).resolve().parents[1] / "demo_media" / "astronaut.jpg"


def _pupil(school, first, last, class_name="4Q"):
    return pupil_create(
        actor=None,
        school=school,
        first_name=first,
        last_name=last,
        date_of_birth=dt.date(2017, 5, 1),
        year_group="4",
        class_name=class_name,
    )


@pytest.fixture
def ava(seabright):
    return _pupil(seabright, "Ava", "Quill")


def _give_photo_consent(pupil, head):
    parent = parent_create(actor=None, trust=pupil.school.trust, full_name="Kim Quill", pupils=[(pupil, "Mother")])
    consent.consent_record(
        actor=head, pupil=pupil, purpose=Purpose.SOCIAL_MEDIA, given=True, method=Method.PAPER, parent=parent
    )


def _face_post(teacher, sandbox, text="Space week in Year 4."):
    upload = SimpleUploadedFile("space.jpg", FACE_PHOTO.read_bytes(), content_type="image/jpeg")
    return services.post_create(
        actor=teacher,
        channels=[sandbox],
        text=text,
        category="learning",
        images=[services.ImageUpload(upload, "A child dressed as an astronaut")],
    )


def _in_review(teacher, sandbox):
    post = services.post_create(
        actor=teacher, channels=[sandbox], text="Harvest festival on Thursday.", category="events"
    )
    post, _ = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.IN_REVIEW
    return post


# --- 6. The reviewer's checklist -------------------------------------------------------------------------------------


def test_the_reviewer_sees_the_policys_post_criteria_as_a_checklist(signed_in, teacher, colleague, sandbox, trust):
    post = _in_review(teacher, sandbox)
    body = signed_in(colleague).get(reverse("publishing:detail", args=[post.pk])).content.decode()
    criteria = trust.policy.posts.criteria
    assert len(criteria) == 4
    for criterion in criteria:
        assert f'type="checkbox" name="criteria" value="{criterion}"' in body.replace("&#x27;", "'")


def test_approving_without_ticking_every_criterion_is_a_form_error_that_keeps_the_notes_and_ticks(
    signed_in, teacher, colleague, sandbox, trust
):
    post = _in_review(teacher, sandbox)
    ticked = trust.policy.posts.criteria[:3]
    response = signed_in(colleague).post(
        reverse("publishing:approve", args=[post.pk]), {"criteria": ticked, "notes": "Lovely pumpkins"}
    )
    body = response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW and not Review.objects.exists()
    assert response.status_code == 200 and "Confirm every criterion" in body
    assert "Lovely pumpkins" in body
    assert body.count("checked") == 3


def test_the_confirmations_are_stored_with_the_approval_and_shown_in_its_history(
    signed_in, teacher, colleague, sandbox, trust
):
    post = _in_review(teacher, sandbox)
    criteria = trust.policy.posts.criteria
    reviewer = signed_in(colleague)
    reviewer.post(reverse("publishing:approve", args=[post.pk]), {"criteria": criteria, "notes": ""})
    review = Review.objects.get(post=post)
    assert review.decision == "approve" and review.criteria_confirmed == criteria
    body = reviewer.get(reverse("publishing:detail", args=[post.pk])).content.decode()
    assert "confirmed: Clear, transparent and open to scrutiny" in body


def test_the_service_refuses_an_approval_missing_a_criterion(teacher, colleague, sandbox, trust):
    from django.core.exceptions import ValidationError

    post = _in_review(teacher, sandbox)
    with pytest.raises(ValidationError, match="Confirm every criterion"):
        services.post_approve(actor=colleague, post=post, confirmed=trust.policy.posts.criteria[1:])
    post.refresh_from_db()
    assert post.status == PostStatus.IN_REVIEW


def test_a_policy_without_criteria_shows_no_checklist_and_approves(signed_in, teacher, colleague, sandbox, trust):
    import re

    from safesocial.policy.services import policy_adopt

    without = re.sub(r"  criteria:\n(    - .*\n)+", "", policy_text("000"))
    policy_adopt(actor=None, trust=trust, text=without, note="No criteria")
    trust.refresh_from_db()
    assert trust.policy.posts.criteria == []
    post = _in_review(teacher, sandbox)
    reviewer = signed_in(colleague)
    assert 'name="criteria"' not in reviewer.get(reverse("publishing:detail", args=[post.pk])).content.decode()
    reviewer.post(reverse("publishing:approve", args=[post.pk]), {"notes": ""})
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


# --- 7. Live checks --------------------------------------------------------------------------------------------------


def test_saving_a_draft_runs_the_checks_at_once_and_an_edit_clears_what_it_fixed(teacher, sandbox, ava):
    post = services.post_create(
        actor=teacher, channels=[sandbox], text="Well done Ava Quill for a great assembly.", category="achievements"
    )
    assert [f["check"] for f in post.findings if f["severity"] == "block"] == ["pupil_name"]
    post = services.post_update(
        actor=teacher,
        post=post,
        text="Well done to Year 4 for a great assembly.",
        category="achievements",
        scheduled_for=None,
    )
    post.refresh_from_db()
    assert not [f for f in post.findings if f["severity"] == "block"]


def test_a_post_stopped_by_the_checks_says_so_in_lists_on_its_page_and_in_its_history(signed_in, teacher, sandbox, ava):
    post = services.post_create(
        actor=teacher, channels=[sandbox], text="Well done Ava Quill for a great assembly.", category="achievements"
    )
    post, _ = services.post_submit(actor=teacher, post=post)
    client = signed_in(teacher)
    listing = client.get(reverse("publishing:list") + "?tab=mine").content.decode()
    assert "Blocked by checks" in listing and ">Draft<" not in listing
    page = client.get(reverse("publishing:detail", args=[post.pk])).content.decode()
    assert "Blocked by checks" in page
    assert "Stopped by the checks" in page and "Sent for review" not in page


def test_blurring_a_face_reruns_the_checks_and_the_page_shows_the_new_result_through_htmx(
    signed_in, teacher, sandbox, ava
):
    post = _face_post(teacher, sandbox)
    face = FaceTag.objects.filter(image__post=post).first()
    client = signed_in(teacher)
    response = client.post(
        reverse("publishing:tag_face", args=[post.pk, face.pk]), {"who": str(ava.pk)}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body  # a partial, swapped into the page
    assert "Must fix" in body
    post.refresh_from_db()
    assert any(f["check"] == "faces" and f["severity"] == "block" for f in post.findings), post.findings
    services.post_blur_faces_without_consent(actor=teacher, post=post)
    post.refresh_from_db()
    assert not [f for f in post.findings if f["severity"] == "block"]


# --- 8. Tagging ------------------------------------------------------------------------------------------------------


def test_a_detection_dismissed_as_not_a_face_is_recorded_with_who_and_needs_no_tag(signed_in, teacher, sandbox):
    post = _face_post(teacher, sandbox)
    faces = list(FaceTag.objects.filter(image__post=post))
    for face in faces:
        signed_in(teacher).post(reverse("publishing:tag_face", args=[post.pk, face.pk]), {"who": "not_a_face"})
    face = FaceTag.objects.get(pk=faces[0].pk)
    assert face.kind == FaceKind.NOT_A_FACE and face.tagged_by == teacher and face.tagged_at is not None
    post.refresh_from_db()
    assert not [f for f in post.findings if f["check"] == "faces" and f["severity"] == "block"]
    post, _ = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.IN_REVIEW


def test_the_pupil_search_finds_by_name_or_class_returns_at_most_20_and_shows_consent(
    signed_in, teacher, sandbox, seabright, ava, head
):
    _give_photo_consent(ava, head)
    for i in range(30):
        _pupil(seabright, f"Pupil{i:02d}", "Many", class_name="6M")
    post = _face_post(teacher, sandbox)
    face = FaceTag.objects.filter(image__post=post).first()
    client = signed_in(teacher)
    url = reverse("publishing:pupil_search", args=[post.pk, face.pk])
    by_name = client.get(url, {"q": "quill"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Quill, Ava" in by_name and "Photo consent given" in by_name and "Many" not in by_name
    by_class = client.get(url, {"q": "6M"}, HTTP_HX_REQUEST="true").content.decode()
    assert by_class.count('name="who"') == 20 and "No photo consent" in by_class


def test_the_pupil_search_works_without_javascript_as_a_plain_form_on_the_post_page(signed_in, teacher, sandbox, ava):
    post = _face_post(teacher, sandbox)
    face = FaceTag.objects.filter(image__post=post).first()
    client = signed_in(teacher)
    page = client.get(reverse("publishing:detail", args=[post.pk]), {"face": face.pk, "q": "Quill"}).content.decode()
    assert f'value="{ava.pk}"' in page and "Quill, Ava" in page
    faces_section = page.split('id="faces"', 1)[1].split("<h2>Send for review", 1)[0]
    assert "<select" not in faces_section  # no 200-pupil dropdown
    client.post(reverse("publishing:tag_face", args=[post.pk, face.pk]), {"who": str(ava.pk)})
    assert FaceTag.objects.get(pk=face.pk).pupil == ava


def test_pupils_tagged_on_the_schools_earlier_posts_are_suggested_first(signed_in, teacher, sandbox, seabright, ava):
    for i in range(5):
        _pupil(seabright, f"Aaron{i}", "Able")
    earlier = _face_post(teacher, sandbox)
    services.face_tag(actor=teacher, face=FaceTag.objects.filter(image__post=earlier).first(), pupil=ava)
    post = _face_post(teacher, sandbox, text="Space week, day two.")
    face = FaceTag.objects.filter(image__post=post).first()
    url = reverse("publishing:pupil_search", args=[post.pk, face.pk])
    body = signed_in(teacher).get(url, {"q": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "Quill, Ava" in body and body.index("Quill, Ava") < body.index("Able, Aaron0")
    assert "Tagged on earlier posts" in body
