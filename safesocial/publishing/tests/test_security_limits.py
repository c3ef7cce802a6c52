"""Issue 12, smaller findings: no post longer than the largest platform allows (a megabyte of text took
seconds of checks), and blurring leaves one original, never served, beside the one blurred copy."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from safesocial.publishing import services
from safesocial.publishing.forms import PostForm
from safesocial.publishing.models import MAX_POST_CHARS, FaceTag, Post, PostStatus

pytestmark = pytest.mark.django_db(transaction=True)
FACE_PHOTO = Path(__file__).resolve().parents[1] / "demo_media" / "astronaut.jpg"
TOO_LONG = ("Sports day. " * (MAX_POST_CHARS // 12 + 1)).strip()


def test_the_cap_is_facebooks_limit_the_largest_of_any_platform():
    assert MAX_POST_CHARS == 63_206 and len(TOO_LONG) > MAX_POST_CHARS


def test_a_post_longer_than_any_platform_takes_is_refused_and_nothing_is_saved(teacher, sandbox):
    with pytest.raises(ValidationError, match="63,206 characters"):
        services.post_create(actor=teacher, channels=[sandbox], text=TOO_LONG, category="events")
    assert not Post.objects.exists()


def test_a_post_exactly_at_the_cap_is_accepted(teacher, sandbox):
    text = ("x" * 99 + " ") * (MAX_POST_CHARS // 100) + "y" * (MAX_POST_CHARS % 100)
    post = services.post_create(actor=teacher, channels=[sandbox], text=text, category="events")
    assert len(post.text) == MAX_POST_CHARS


def test_an_edit_of_a_post_in_review_to_a_megabyte_is_refused_before_any_check(teacher, sandbox):
    post = services.post_create(actor=teacher, channels=[sandbox], text="Sports day!", category="events")
    post, _ = services.post_submit(actor=teacher, post=post)
    with pytest.raises(ValidationError, match="63,206 characters"):
        services.post_update(actor=teacher, post=post, text="a" * 1_000_000, category="events", scheduled_for=None)
    post.refresh_from_db()
    assert (post.text, post.status, post.version) == ("Sports day!", PostStatus.IN_REVIEW, 1)


def test_the_form_says_how_long_a_post_may_be(sandbox, seabright):
    form = PostForm(
        {"channels": [sandbox.pk], "category": "events", "text": TOO_LONG},
        channels=sandbox.__class__.objects.all(),
        categories=[("events", "Events")],
    )
    assert not form.is_valid()
    (error,) = form.errors["text"]
    assert "63,206 characters" in error and f"{len(TOO_LONG):,}" in error


def test_check_post_refuses_a_text_over_the_cap_with_a_clear_error(tmp_path):
    path = tmp_path / "post.txt"
    path.write_text(TOO_LONG)
    with pytest.raises(CommandError, match="63,206 characters"):
        call_command("check-post", "--text-file", str(path), "--json", stdout=StringIO())


# --- blur copies ---------------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _files(media) -> set[str]:
    return {str(p.relative_to(media)) for p in Path(media).rglob("*") if p.is_file()}


def _face_post(teacher, sandbox):
    upload = SimpleUploadedFile("space.jpg", FACE_PHOTO.read_bytes(), content_type="image/jpeg")
    return services.post_create(
        actor=teacher,
        channels=[sandbox],
        text="Space week in Year 4.",
        category="learning",
        images=[services.ImageUpload(upload, "Children dressed as astronauts")],
    )


def test_blurring_twice_leaves_exactly_the_original_and_the_current_blurred_copy(
    media, teacher, sandbox, seabright, make_pupil
):
    post = _face_post(teacher, sandbox)
    image = post.images.get()
    with image.file.open("rb") as f:
        uploaded = f.read()
    first, second = FaceTag.objects.filter(image=image).order_by("-score")
    services.face_tag(actor=teacher, face=first, pupil=make_pupil("Ava"))
    services.face_tag(actor=teacher, face=second, not_pupil=True)
    assert services.post_blur_faces_without_consent(actor=teacher, post=post) == 1
    image.refresh_from_db()
    assert _files(media) == {image.file.name, image.original.name}
    services.face_tag(actor=teacher, face=second, pupil=make_pupil("Ben"))
    assert services.post_blur_faces_without_consent(actor=teacher, post=post) == 1
    image.refresh_from_db()
    assert _files(media) == {image.file.name, image.original.name}
    with image.original.open("rb") as f:
        assert f.read() == uploaded
    with image.file.open("rb") as f:
        assert f.read() != uploaded


def test_the_unblurred_original_is_never_served_even_once_the_post_is_public(
    media, client, teacher, colleague, sandbox, make_pupil
):
    post = _face_post(teacher, sandbox)
    first, second = FaceTag.objects.filter(image__post=post).order_by("-score")
    services.face_tag(actor=teacher, face=first, pupil=make_pupil("Ava"))
    services.face_tag(actor=teacher, face=second, not_pupil=True)
    services.post_blur_faces_without_consent(actor=teacher, post=post)
    post = services.post_update(
        actor=teacher, post=post, text=post.text, category="learning", scheduled_for=timezone.now() + dt.timedelta(1)
    )
    post, findings = services.post_submit(actor=teacher, post=post)
    post = services.post_approve(actor=colleague, post=post)
    assert post.status == PostStatus.SCHEDULED, findings
    image = post.images.get()
    public = reverse("public_image", args=[image.file.name.rsplit("/", 1)[-1]])
    original = reverse("public_image", args=[image.original.name.rsplit("/", 1)[-1]])
    assert client.get(public).status_code == 200
    assert client.get(original).status_code == 404


def test_removing_an_image_in_an_edit_deletes_its_files(media, teacher, sandbox, make_pupil):
    post = _face_post(teacher, sandbox)
    first, second = FaceTag.objects.filter(image__post=post).order_by("-score")
    services.face_tag(actor=teacher, face=first, pupil=make_pupil("Ava"))
    services.face_tag(actor=teacher, face=second, not_pupil=True)
    services.post_blur_faces_without_consent(actor=teacher, post=post)
    services.post_update(
        actor=teacher,
        post=post,
        text=post.text,
        category="learning",
        scheduled_for=None,
        remove_images=[post.images.get().pk],
    )
    assert _files(media) == set()


@pytest.fixture
def make_pupil(seabright):
    from safesocial.people.services import pupil_create

    def make(first_name: str):
        return pupil_create(
            actor=None,
            school=seabright,
            first_name=first_name,
            last_name="Quill",
            date_of_birth=dt.date(2017, 5, 1),
            year_group="4",
        )

    return make
