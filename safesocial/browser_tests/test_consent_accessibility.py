"""The consent pages and the faces on a post's page, as the people who use them see them: no serious or critical
axe-core violations on a laptop or a phone, no sideways scrolling on a 375 px phone, no hint or label pointing
at nothing, and every group of choices announced with its question.

Each page is loaded with real content made through the services: pupils with parents and some consents, a
parent of two children, a post whose photo has faces to tag, and one whose faces are tagged and blurred.
Screenshots of the busiest pages go to var/screenshots/ for people to look over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from safesocial.consent import services as consent
from safesocial.consent.models import Method, Purpose
from safesocial.people.models import ParentCarer, Pupil, User
from safesocial.people.roles import Role
from safesocial.people.services import parent_create, pupil_create
from safesocial.publishing import services
from safesocial.publishing.models import FaceTag, Post
from safesocial.testing.channels import make_channel

from .screens import UNNAMED_GROUPS, Screen, check_on_a_laptop_and_a_phone

FACE_PHOTO = Path(__file__).resolve().parents[1] / "publishing" / "demo_media" / "astronaut.jpg"
BAD_CSV = (
    "UPN,Legal Forename,Legal Surname,Date of Birth,Year,Contact 1 Name,Contact 1 Email,Consent: Social Media\n"
    "C100000000001,Zara,Finch,03/03/2018,4,Lee Finch,lee.finch@example.com,Y\n"
    "C100000000002,Noah,Pike,31/02/2018,4,Jo Pike,jo.pike@example.com,maybe\n"
    "C100000000003,Mia,Reed,12/12/2017,Year 20,Sam Reed,sam.reed@example,Y\n"
    ",Leo,,12/12/2017,4,,,Y\n"
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass(frozen=True)
class World:
    """Seabright with pupils, parents and consents, and two posts with faces in their photo."""

    head: User
    teacher: User
    ava: Pupil
    ben: Pupil
    parent: ParentCarer  # Kim Quill, mother of Ava and Ben
    faces_to_tag: Post
    blurred: Post


def _pupil(school, first: str, last: str, year: str, born: dt.date) -> Pupil:
    return pupil_create(
        actor=None,
        school=school,
        first_name=first,
        last_name=last,
        date_of_birth=born,
        year_group=year,
        class_name=f"{year}K Kestrels",
    )


def _face_post(author: User, channel, text: str) -> Post:
    upload = SimpleUploadedFile("space-week.jpg", FACE_PHOTO.read_bytes(), content_type="image/jpeg")
    return services.post_create(
        actor=author,
        channels=[channel],
        text=text,
        category=channel.trust.policy.category_keys()[0],
        images=[services.ImageUpload(upload, "A child dressed as an astronaut")],
    )


def _faces(post: Post) -> tuple[FaceTag, FaceTag]:
    """(clear face, weak detection)."""
    clear, weak = FaceTag.objects.filter(image__post=post).order_by("-score")
    return clear, weak


@pytest.fixture
def world(live_server, make_staff, seabright, teacher, head) -> World:
    ava = _pupil(seabright, "Ava", "Quill", "4", dt.date(2017, 5, 1))
    ben = _pupil(seabright, "Ben", "Quill", "2", dt.date(2019, 9, 14))
    _pupil(seabright, "Cal", "Reed", "4", dt.date(2017, 1, 20))
    kim = parent_create(
        actor=None,
        trust=seabright.trust,
        full_name="Kim Quill",
        pupils=[(ava, "Mother"), (ben, "Mother")],
        email="kim.quill@example.com",
        phone="07700 900111",
    )
    parent_create(actor=None, trust=seabright.trust, full_name="Rob Quill", pupils=[(ava, "Father")])
    for purpose, given in [
        (Purpose.SOCIAL_MEDIA, True),
        (Purpose.WEBSITE, True),
        (Purpose.PRESS, False),
        (Purpose.NAME_WITH_PHOTO, False),
        (Purpose.FIRST_NAME_ONLY, True),
    ]:
        consent.consent_record(actor=head, pupil=ava, purpose=purpose, given=given, method=Method.PAPER, parent=kim)
    consent.consent_record(
        actor=head, pupil=ben, purpose=Purpose.SOCIAL_MEDIA, given=False, method=Method.EMAIL, parent=kim
    )

    channel_admin = make_staff(Role.CHANNEL_ADMIN, seabright, "Ada Admin")
    sandbox = make_channel(channel_admin, head, seabright, posters=[teacher])
    # One face tagged as a pupil with consent, the other still to tag.
    faces_to_tag = _face_post(teacher, sandbox, "Space week in Year 4.")
    services.face_tag(actor=teacher, face=_faces(faces_to_tag)[0], pupil=ava)
    # The clear face is a pupil whose parent said no, so it is blurred; the other is not a pupil.
    blurred = _face_post(teacher, sandbox, "Space week in Year 2.")
    clear, weak = _faces(blurred)
    services.face_tag(actor=teacher, face=clear, pupil=ben)
    services.face_tag(actor=teacher, face=weak, not_pupil=True)
    assert services.post_blur_faces_without_consent(actor=teacher, post=blurred) == 1
    return World(head=head, teacher=teacher, ava=ava, ben=ben, parent=kim, faces_to_tag=faces_to_tag, blurred=blurred)


def _upload_a_file_with_mistakes(page: Page, world: World) -> None:
    page.get_by_label("CSV exported from SIMS, Arbor or Bromcom").set_input_files(
        files=[{"name": "pupils.csv", "mimeType": "text/csv", "buffer": BAD_CSV.encode()}]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported: 3 problems to fix")


def _open_the_details(page: Page, world: World) -> None:
    """The pupil page folds its consent form and history away; open them so they are checked too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")


SCREENS = [
    Screen("consent-overview", "head", lambda w: "/schools/seabright/consent/", screenshots=True),
    Screen("consent-import", "head", lambda w: "/schools/seabright/consent/import/"),
    Screen(
        "consent-import-errors",
        "head",
        lambda w: "/schools/seabright/consent/import/",
        screenshots=True,
        reach=_upload_a_file_with_mistakes,
    ),
    Screen("pupil-consent", "head", lambda w: f"/pupils/{w.ava.pk}/", screenshots=True, reach=_open_the_details),
    Screen("consent-parent", None, lambda w: f"/consent/{consent.parent_link_token(w.parent)}/", screenshots=True),
    Screen("post-faces", "teacher", lambda w: f"/posts/{w.faces_to_tag.pk}/", screenshots=True),
    Screen("post-faces-blurred", "teacher", lambda w: f"/posts/{w.blurred.pk}/", screenshots=True),
]


@pytest.mark.browser
@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_consent_page_is_accessible_on_a_laptop_and_a_phone(screen: Screen, world, page, sign_in, screenshot):
    check_on_a_laptop_and_a_phone(screen, world, page, sign_in, screenshot)


FORMS = [s for s in SCREENS if s.name in {"consent-overview", "pupil-consent", "consent-parent", "post-faces"}]


@pytest.mark.browser
@pytest.mark.parametrize("screen", FORMS, ids=[s.name for s in FORMS])
def test_groups_of_choices_are_announced_with_their_question(screen: Screen, world, page, sign_in):
    if screen.user:
        sign_in(getattr(world, screen.user))
    page.goto(screen.path(world))
    if screen.reach:
        screen.reach(page, world)

    unnamed = page.evaluate(UNNAMED_GROUPS)
    assert not unnamed, f"on {screen.name}: {unnamed}"
