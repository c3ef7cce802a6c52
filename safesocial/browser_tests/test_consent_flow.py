"""Consent as the people involved meet it in the browser: a teacher tags the faces in a photo and blurs a child
whose parents said no; the automated checks return a post that names a child; the office imports the MIS export
(and is told line by line what is wrong with a bad one); a parent changes a choice from their own link; the head
records a withdrawal and is shown the published posts that feature the child.

People, pupils, channels and published posts are set up through the services; everything a person would do
happens in Chromium. live_server gives the test real commits, so work queued with transaction.on_commit runs."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from safesocial.consent import services as consent
from safesocial.consent.models import Method, Purpose
from safesocial.consent.selectors import current_consent
from safesocial.people.models import ParentCarer, Pupil, User
from safesocial.people.roles import Role
from safesocial.publishing import services
from safesocial.publishing.models import FaceTag, Post, PostStatus

from .test_publishing_flow import BLOCKED, ask_to_review, save_draft, status_of, write_post

ROOT = Path(__file__).resolve().parents[2]
FACE_PHOTO = ROOT / "safesocial" / "publishing" / "demo_media" / "astronaut.jpg"
SAMPLE_CSV = ROOT / "examples" / "mis" / "pupils-sample.csv"
ALT = "A child dressed as an astronaut"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    """Uploaded photos, their blurred copies and the kept originals land in the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def mother(pupil: Pupil) -> ParentCarer:
    return pupil.parents.get()


def give(pupil: Pupil, head: User, *purposes: str) -> None:
    for purpose in purposes:
        consent.consent_record(
            actor=head, pupil=pupil, purpose=purpose, given=True, method=Method.PAPER, parent=mother(pupil)
        )


def messages_of(page: Page) -> Locator:
    return page.locator(".messages")


def findings_of(page: Page) -> Locator:
    """The list under "Automated checks" on a post's page."""
    return page.locator("h2:text-is('Automated checks') + ul")


def face_card(page: Page, number: int) -> Locator:
    return page.locator("ul.cards > li").filter(has_text=f"Face {number}:")


def face_numbers(post_id: int) -> tuple[int, int]:
    """(clear face, weak detection) as the page numbers them: in the order the post page lists its faces."""
    faces = list(FaceTag.objects.filter(image__post_id=post_id))
    assert len(faces) == 2, f"astronaut.jpg should give one clear face and one weak detection, got {faces}"
    clear = max(faces, key=lambda f: f.score)
    return faces.index(clear) + 1, 2 - faces.index(clear)


def live_messages_of(page: Page) -> Locator:
    """What a change to the photos says in place (htmx swaps the checks and the faces without reloading)."""
    return page.locator("#live").get_by_role("status")


def tag(page: Page, number: int, who: str, search: str | None = None) -> None:
    """Tag face `number` as `who`: a pupil's "Last, First" (found through the search box first, when `search` is
    given), or one of the choices that are not a pupil."""
    card = face_card(page, number)
    if search is not None:
        with page.expect_response(re.compile(r"/faces/\d+/pupils/\?")):
            card.get_by_label("Find a pupil by name or class").fill(search)
    group = card.get_by_role("group", name=f"Who is face {number}?")
    choice = group.get_by_label(re.compile("^" + re.escape(who)))
    expect(choice).to_have_count(1)
    choice.check()
    card.get_by_role("button", name=f"Tag face {number}").click()
    expect(live_messages_of(page)).to_contain_text("Face tagged.")


def preview_image(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile("^Preview on ")).get_by_role("img", name=ALT)


def image_bytes(page: Page) -> bytes:
    """The photo as the server now serves it (page.request shares the browser's cookies, not its cache)."""
    response = page.request.get(preview_image(page).get_attribute("src"))
    assert response.ok, response.status
    return response.body()


def on_screen(image: Locator) -> str:
    """A fingerprint of the pixels the browser actually shows for the image."""
    expect(image).to_have_js_property("complete", True)
    return hashlib.sha256(image.screenshot(animations="disabled")).hexdigest()


@pytest.mark.browser
def test_teacher_tags_the_faces_blurs_a_child_without_consent_and_then_the_post_goes_to_review(
    page, sign_in, teacher, colleague, sandbox, ava
):
    category = sandbox.trust.policy.posts.categories[0].label
    sign_in(teacher)
    page.goto("/")
    write_post(page, channel=sandbox.name, category=category, text="Space week in Year 4.")
    page.get_by_label("Image 1", exact=True).set_input_files(FACE_PHOTO)
    page.get_by_label("Describe image 1").fill(ALT)
    post_id = save_draft(page, BLOCKED)  # faces nobody has tagged yet

    expect(page.get_by_role("heading", name="People in the photos")).to_be_visible()
    crops = page.get_by_role("img", name=re.compile(r"^Face \d from the photo$"))
    expect(crops).to_have_count(2)
    for i in range(2):
        # Real thumbnails, not broken-image icons.
        expect(crops.nth(i)).to_have_js_property("naturalWidth", 160)
    clear, weak = face_numbers(post_id)
    expect(face_card(page, clear)).to_contain_text("Not tagged")

    tag(page, clear, "Quill, Ava", search="Quill")
    expect(face_card(page, clear)).to_contain_text("Ava Quill")
    expect(face_card(page, clear)).to_contain_text("No photo consent: blur this face")
    tag(page, weak, "Not one of our pupils (an adult, or another child with permission)")
    expect(face_card(page, weak)).to_contain_text("not a pupil")

    ask_to_review(page, colleague)
    page.get_by_role("button", name="Send for review").click()
    expect(messages_of(page)).to_contain_text("The automated checks found something to fix first")
    expect(status_of(page)).to_have_text(BLOCKED)
    expect(findings_of(page)).to_contain_text("Must fix: Ava Q. has no parental consent for photos on social media")

    before_served, before_shown = image_bytes(page), on_screen(preview_image(page))
    page.get_by_role("button", name="Blur every face without consent").click()
    expect(live_messages_of(page)).to_contain_text("1 face blurred. The original stays inside SafeSocial.")
    expect(face_card(page, clear)).to_contain_text("Blurred")
    expect(page.get_by_role("button", name="Blur every face without consent")).to_have_count(0)
    assert image_bytes(page) != before_served, "the served photo is the same after blurring"
    assert on_screen(preview_image(page)) != before_shown, "the preview still shows the unblurred photo"

    ask_to_review(page, colleague)
    page.get_by_role("button", name="Send for review").click()
    expect(messages_of(page)).to_contain_text("Sent for review")
    expect(status_of(page)).to_have_text("In review")
    assert Post.objects.get(pk=post_id).status == PostStatus.IN_REVIEW


@pytest.mark.browser
def test_a_post_naming_a_pupil_in_full_comes_back_with_the_reason(page, sign_in, teacher, colleague, sandbox, ava):
    category = sandbox.trust.policy.posts.categories[0].label
    sign_in(teacher)
    page.goto("/")
    write_post(page, channel=sandbox.name, category=category, text="Well done Ava Quill for a great assembly.")
    post_id = save_draft(page, BLOCKED)

    ask_to_review(page, colleague)
    page.get_by_role("button", name="Send for review").click()

    expect(messages_of(page)).to_contain_text("The automated checks found something to fix first")
    expect(status_of(page)).to_have_text(BLOCKED)
    finding = findings_of(page).get_by_role("listitem").filter(has_text="names a pupil in full (Ava Quill)")
    expect(finding).to_contain_text("Must fix:")
    assert Post.objects.get(pk=post_id).status == PostStatus.DRAFT


def bad_csv(tmp_path: Path) -> Path:
    """The sample's columns: one good new pupil, then two rows the office must fix."""
    header = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()[0]
    rows = [
        "B123456789001,Zara,Finch,,03/03/2018,4,4K Kestrels,Lee Finch,Father,lee.finch@example.com,"
        "07700 900201,,,,,Y,Y,N,N,Y,N,05/09/2026",
        "B123456789002,Noah,Pike,,31/02/2018,4,4K Kestrels,Jo Pike,Mother,jo.pike@example.com,"
        "07700 900202,,,,,maybe,Y,N,N,Y,N,05/09/2026",
        "B123456789003,Mia,Reed,,12/12/2017,Year 20,4K Kestrels,Sam Reed,Carer,sam.reed@example,"
        "07700 900203,,,,,Y,Y,N,N,Y,N,05/09/2026",
    ]
    path = tmp_path / "pupils-with-mistakes.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.browser
def test_the_office_imports_the_mis_export_and_a_bad_file_imports_nothing(
    page, sign_in, make_staff, seabright, tmp_path
):
    office = make_staff(Role.ADMIN_TEAM, seabright, "Olive Office")
    sign_in(office)
    page.goto("/schools/seabright/consent/")
    page.get_by_role("link", name="Import from the MIS").click()
    expect(page).to_have_url(re.compile(r"/schools/seabright/consent/import/$"))

    page.get_by_label("CSV exported from SIMS, Arbor or Bromcom").set_input_files(SAMPLE_CSV)
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_url(re.compile(r"/schools/seabright/consent/$"))
    expect(messages_of(page)).to_contain_text("Imported: 4 new pupils, 0 updated, 0 unchanged; 5 new parents or carers")
    expect(page.get_by_role("table", name="4 pupils")).to_contain_text("Okafor, Theodore")
    pupils = Pupil.objects.filter(school=seabright).count()
    assert pupils == 4
    theo = Pupil.objects.get(school=seabright, mis_id="A123456789013")
    assert current_consent(theo, Purpose.SOCIAL_MEDIA).given

    page.goto("/schools/seabright/consent/import/")
    page.get_by_label("CSV exported from SIMS, Arbor or Bromcom").set_input_files(bad_csv(tmp_path))
    page.get_by_role("button", name="Import").click()

    problems = page.get_by_role("alert").filter(has_text="Nothing was imported")
    expect(problems.get_by_role("heading")).to_have_text("Nothing was imported: 2 problems to fix")
    items = problems.get_by_role("listitem")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("line 3: date of birth: '31/02/2018' is not a date")
    expect(items.nth(0)).to_contain_text("Consent: Social Media: 'maybe' is not Y or N")
    expect(items.nth(1)).to_contain_text("line 4: year group: 'Year 20' is not a year group")
    expect(items.nth(1)).to_contain_text("contact 1 email 'sam.reed@example' is not an email address")
    # All or nothing: the good row on line 2 was not imported either.
    assert Pupil.objects.filter(school=seabright).count() == pupils
    assert not Pupil.objects.filter(mis_id="B123456789001").exists()
    page.goto("/schools/seabright/consent/")
    expect(page.get_by_role("table", name="4 pupils")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Finch")


@pytest.mark.browser
def test_a_parent_changes_a_choice_from_their_link_and_the_pupil_page_shows_it(page, sign_in, head, ava):
    give(ava, head, Purpose.SOCIAL_MEDIA, Purpose.WEBSITE)
    token = consent.parent_link_token(mother(ava))

    # Signed out, as a parent opening the link from an email.
    page.goto(f"/consent/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your choices about photos and names")
    expect(page.get_by_role("main")).to_contain_text("Hello Kim Quill")
    child = page.get_by_role("region", name="Ava, Seabright")
    social = child.get_by_role("group", name="Photos and video on the school's official social media")
    expect(social.get_by_label("Yes, I agree")).to_be_checked()
    social.get_by_label("No").check()
    page.get_by_role("button", name="Save my choices").click()
    expect(messages_of(page)).to_contain_text("Thank you. 1 choice saved.")
    expect(social.get_by_label("No")).to_be_checked()

    sign_in(head)
    page.goto(f"/pupils/{ava.pk}/")
    row = page.get_by_role("row", name=re.compile("^Photos and video on the school's official social media"))
    expect(row).to_contain_text("Refused")
    expect(row).to_contain_text("Kim Quill (parent's online link")
    # The other choice is as it was.
    expect(page.get_by_role("row", name=re.compile("^Photos on the school website"))).to_contain_text("Given")


@pytest.mark.browser
def test_the_head_records_a_withdrawal_and_sees_the_published_posts_featuring_the_pupil(
    page, sign_in, head, teacher, colleague, sandbox, ava
):
    give(ava, head, Purpose.SOCIAL_MEDIA, Purpose.NAME_WITH_PHOTO)
    text = "Ava Quill won the poetry prize!"
    post, findings = services.post_submit(
        actor=teacher,
        post=services.post_create(actor=teacher, channels=[sandbox], text=text, category="achievements"),
        reviewer=colleague,
    )
    assert post.status == PostStatus.IN_REVIEW, findings
    services.post_approve(actor=colleague, post=post)
    assert Post.objects.get(pk=post.pk).status == PostStatus.PUBLISHED

    sign_in(head)
    page.goto(f"/pupils/{ava.pk}/")
    page.get_by_text("Record a consent decision").click()
    page.get_by_label("Purpose").select_option(label="Full name published with a photo")
    page.get_by_role("group", name="Decision").get_by_label("Refused or withdrawn").check()
    page.get_by_label("Given or refused by").select_option(label="Kim Quill")
    page.get_by_label("Method").select_option(label="Paper form")
    # Typed in day first, as a head would (the form starts with today's date: see the test below).
    page.get_by_label("Date", exact=True).fill(f"{timezone.localdate():%d/%m/%Y}")
    page.get_by_role("button", name="Record", exact=True).click()

    expect(messages_of(page)).to_contain_text(
        "Consent withdrawn. 1 published post relied on it: take it down or say why it stays"
    )
    alert = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="Published posts featuring Ava"))
    expect(alert).to_contain_text("Consent for photos or names is not in force now")
    expect(alert.get_by_role("link", name=text)).to_have_attribute("href", f"/posts/{post.pk}/")
    expect(alert).to_contain_text(sandbox.name)
    row = page.get_by_role("row", name=re.compile("^Full name published with a photo"))
    expect(row).to_contain_text("Refused")
    assert not current_consent(ava, Purpose.NAME_WITH_PHOTO).given


@pytest.mark.browser
def test_the_consent_form_on_the_pupil_page_starts_with_todays_date(page, sign_in, head, ava):
    """The form defaults the date to today, shown day first (21/11/2026) in a text box whatever the browser's
    language: a native date input would drop a British-format value and the browser would refuse to send the form."""
    sign_in(head)
    page.goto(f"/pupils/{ava.pk}/")
    page.get_by_text("Record a consent decision").click()
    expect(page.get_by_label("Date", exact=True)).to_have_value(f"{timezone.localdate():%d/%m/%Y}")
