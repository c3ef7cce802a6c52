"""The checks between submitting a post and a colleague reading it: names, faces and consent."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from safesocial.consent import services as consent
from safesocial.consent.models import Method, Purpose
from safesocial.publishing import services
from safesocial.publishing.models import FaceKind, FaceTag, PostStatus
from safesocial.testing.files import photo
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.django_db(transaction=True)
FACE_PHOTO = Path(__file__).resolve().parents[1] / "demo_media" / "astronaut.jpg"


@pytest.fixture
def ava(make_ava):
    return make_ava()


def _give(pupil, head, purpose, given=True):
    return consent.consent_record(
        actor=head, pupil=pupil, purpose=purpose, given=given, method=Method.PAPER, parent=pupil.parent_for_test
    )


def _face_post(teacher, sandbox):
    upload = SimpleUploadedFile("space.jpg", FACE_PHOTO.read_bytes(), content_type="image/jpeg")
    return services.post_create(
        actor=teacher,
        channels=[sandbox],
        text="Space week in Year 4.",
        category="learning",
        images=[services.ImageUpload(upload, "A child dressed as an astronaut")],
    )


def test_a_post_naming_a_pupil_in_full_is_blocked_with_the_reason(teacher, sandbox, ava):
    post = services.post_create(
        actor=teacher, channels=[sandbox], text="Well done Ava Quill for a great assembly.", category="achievements"
    )
    post, findings = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.DRAFT
    (finding,) = [f for f in findings if f.check == "pupil_name"]
    assert finding.severity == "block" and post.text[finding.start : finding.end] == "Ava Quill"


def test_a_pupil_with_name_consent_may_be_named(teacher, sandbox, ava, head):
    _give(ava, head, Purpose.NAME_WITH_PHOTO)
    post = services.post_create(
        actor=teacher, channels=[sandbox], text="Well done Ava Quill for a great assembly.", category="achievements"
    )
    post, _ = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.IN_REVIEW
    assert post.featured.filter(pupil=ava, how="named").exists()


def test_uploaded_photos_lose_their_location_and_metadata(teacher, sandbox):
    from PIL import Image

    post = services.post_create(
        actor=teacher,
        channels=[sandbox],
        text="Trip",
        category="events",
        images=[services.ImageUpload(photo(), "The coach")],
    )
    with post.images.get().file.open("rb") as f:
        assert not Image.open(f).getexif()


def test_faces_are_found_and_an_untagged_face_stops_review(teacher, sandbox):
    post = _face_post(teacher, sandbox)
    assert FaceTag.objects.filter(image__post=post).exists()
    post, findings = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.DRAFT
    assert any(f.check == "faces" and f.severity == "block" for f in findings)


def test_a_pupil_without_photo_consent_blocks_review_until_their_face_is_blurred(teacher, sandbox, ava, colleague):
    post = _face_post(teacher, sandbox)
    faces = list(FaceTag.objects.filter(image__post=post).order_by("-score"))
    services.face_tag(actor=teacher, face=faces[0], pupil=ava)
    for other in faces[1:]:
        services.face_tag(actor=teacher, face=other, not_pupil=True)
    post, findings = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.DRAFT
    assert any(f.check == "consent" and "no parental consent" in f.reason for f in findings)
    image = post.images.get()
    with image.file.open("rb") as f:
        before = f.read()
    assert services.post_blur_faces_without_consent(actor=teacher, post=post) == 1
    image.refresh_from_db()
    with image.file.open("rb") as f:
        after = f.read()
    assert after != before
    with image.original.open("rb") as f:
        assert f.read() == before  # the original stays inside SafeSocial
    post, findings = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.IN_REVIEW, findings
    services.post_approve(actor=colleague, post=post)


def test_a_pupil_with_photo_consent_goes_to_review_unblurred(teacher, sandbox, ava, head):
    _give(ava, head, Purpose.SOCIAL_MEDIA)
    post = _face_post(teacher, sandbox)
    faces = list(FaceTag.objects.filter(image__post=post).order_by("-score"))
    services.face_tag(actor=teacher, face=faces[0], pupil=ava)
    for other in faces[1:]:
        services.face_tag(actor=teacher, face=other, not_pupil=True)
    post, findings = services.post_submit(actor=teacher, post=post)
    assert post.status == PostStatus.IN_REVIEW, findings
    assert FaceTag.objects.filter(image__post=post, kind=FaceKind.PUPIL, blurred=False).count() == 1


def test_withdrawing_consent_lists_the_published_posts_featuring_the_pupil(teacher, sandbox, ava, head, colleague):
    _give(ava, head, Purpose.SOCIAL_MEDIA)
    _give(ava, head, Purpose.NAME_WITH_PHOTO)
    post = services.post_create(
        actor=teacher, channels=[sandbox], text="Ava Quill won the poetry prize!", category="achievements"
    )
    post, _ = services.post_submit(actor=teacher, post=post)
    services.post_approve(actor=colleague, post=post)
    _, affected = _give(ava, head, Purpose.NAME_WITH_PHOTO, given=False)
    assert [p.pk for p in affected] == [post.pk]


def test_check_post_command_prints_one_json_object(tmp_path, seabright, ava):
    text = tmp_path / "post.txt"
    text.write_text("Call Mrs Smith on 07700 900123. Ava Quill was brilliant.")
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("check-post", "--school", "seabright", "--text-file", str(text), "--json", stdout=out)
    assert exit_.value.code == 1
    result = json.loads(out.getvalue())
    assert result["decision"] == "block"
    checks = {f["check"] for f in result["findings"]}
    assert {"personal_info", "pupil_name"} <= checks
    phone = next(f for f in result["findings"] if f["check"] == "personal_info")
    assert text.read_text()[phone["start"] : phone["end"]] == "07700 900123"


def test_check_post_without_a_school_runs_the_checks_that_need_no_register(tmp_path, seabright, ava):
    text = tmp_path / "post.txt"
    text.write_text("Well done to Ava Quill at sports day. Email kim@example.com with questions.")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("check-post", "--text-file", str(text), "--json", stdout=out)
    findings = json.loads(out.getvalue())["findings"]
    assert "personal_info" in {f["check"] for f in findings}
    # With no register a full name cannot be checked against consent: a warning to check it, never a block.
    assert [f["severity"] for f in findings if f["check"] == "pupil_name"] == ["warn"]


def test_check_post_reports_faces_and_refuses_a_fake_image(tmp_path):
    text = tmp_path / "post.txt"
    text.write_text("Space week.")
    fake = tmp_path / "photo.jpg"
    fake.write_text("#!/bin/sh\nrm -rf /\n")
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "check-post",
            "--text-file",
            str(text),
            "--image",
            str(FACE_PHOTO),
            "--image",
            str(fake),
            "--json",
            stdout=out,
        )
    findings = json.loads(out.getvalue())["findings"]
    assert any(f["check"] == "faces" for f in findings)
    assert any(f["check"] == "image" and "photo.jpg" in f["message"] for f in findings)


def test_check_post_passes_a_clean_post(tmp_path):
    text = tmp_path / "post.txt"
    text.write_text("Our harvest festival raised food for the local food bank. Thank you!")
    out = StringIO()
    call_command("check-post", "--text-file", str(text), "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"decision": "ok", "findings": []}


@pytest.fixture
def matching_on(trust, ceo):
    from safesocial.policy.services import policy_adopt

    policy_adopt(actor=ceo, trust=trust, text=policy_text("000") + "\nconsent:\n  face_matching: true\n")


def test_faces_are_matched_only_to_pupils_with_biometric_consent(matching_on, signed_in, teacher, sandbox, ava, head):
    _give(ava, head, Purpose.BIOMETRIC)
    client = signed_in(head)
    from django.urls import reverse

    with FACE_PHOTO.open("rb") as f:
        client.post(reverse("consent:enrol_reference", args=[ava.pk]), {"photo": f})
    assert hasattr(type(ava).objects.get(pk=ava.pk), "reference_photo")
    post = _face_post(teacher, sandbox)
    best = FaceTag.objects.filter(image__post=post).order_by("-score").first()
    assert best.suggested_pupil == ava and best.kind == FaceKind.UNTAGGED  # a suggestion, not a tag
    # Withdrawing biometric consent deletes the reference face, and suggestions stop at once.
    _give(ava, head, Purpose.BIOMETRIC, given=False)
    post = _face_post(teacher, sandbox)
    assert not FaceTag.objects.filter(image__post=post, suggested_pupil__isnull=False).exists()


def test_no_suggestions_when_the_trust_has_face_matching_off(teacher, sandbox, ava, head):
    from safesocial.consent.models import ReferencePhoto

    _give(ava, head, Purpose.BIOMETRIC)
    ReferencePhoto.objects.create(pupil=ava, embedding=[0.0] * 128, enrolled_by=head)
    post = _face_post(teacher, sandbox)
    assert not FaceTag.objects.filter(image__post=post, suggested_pupil__isnull=False).exists()
