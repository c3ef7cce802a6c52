"""The warning letter (issue 17, item 5): the trust's template filled in, read and edited before anything is made,
then printed once on the trust's letterhead and kept with the case; every download is that same PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from safesocial.audit.models import AuditEntry
from safesocial.demo.letterhead import with_letterhead
from safesocial.escalation import selectors, services
from safesocial.escalation.models import Escalation, WarningLetter
from safesocial.people.models import ParentCarer
from safesocial.people.services import parent_create, pupil_create
from safesocial.policy.services import policy_adopt
from safesocial.testing.trusts import policy_text

TODAY = timezone.localdate
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")


def pdf_text(pdf: bytes) -> str:
    """The PDF's words as a reader's copy-and-paste would give them, one space between words."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def adopt(trust, text: str) -> None:
    policy_adopt(actor=None, trust=trust, text=text, note="letterhead")
    trust.__dict__.pop("policy_version", None)


@pytest.fixture
def lettered(trust):
    """Harbourside with the demo's letterhead: an address, a telephone number, an email and a logo."""
    adopt(trust, with_letterhead(policy_text("000")))
    return trust


@pytest.fixture
def parent(seabright) -> ParentCarer:
    pupil = pupil_create(
        actor=None,
        school=seabright,
        first_name="Milo",
        last_name="Ferro",
        date_of_birth=dt.date(2017, 3, 4),
        year_group="3",
    )
    return parent_create(actor=None, trust=seabright.trust, full_name="Kit Ferro", pupils=[(pupil, "Father")])


@pytest.fixture
def escalation(lettered, head, seabright, parent) -> Escalation:
    return services.escalation_start(
        actor=head, school=seabright, parent=parent, summary="A post criticising a teacher by name."
    )


def details(**overrides) -> dict[str, str]:
    return {
        "parent_name": "Kit Ferro",
        "summary": "a post in a community group about a teacher",
        "incident_date": f"{TODAY() - dt.timedelta(days=3):%d/%m/%Y}",
        "remove_by": f"{TODAY() + dt.timedelta(days=7):%d/%m/%Y}",
        "signed_by": "Pat Head",
        "job_title": "Headteacher",
    } | overrides


def test_the_preview_shows_the_filled_template_to_edit_and_keeps_nothing(signed_in, head, escalation):
    response = signed_in(head).post(reverse("escalation:letter_preview", args=[escalation.pk]), details())
    assert response.status_code == 200
    page = response.content.decode()
    assert '<textarea name="text"' in page
    assert "Dear Kit Ferro," in page
    assert "a post in a community group about a teacher" in page
    assert "Pat Head\nHeadteacher\nSeabright Primary School" in page
    assert "1 Quay Street, Harbourside, ZZ1 2AB" in page  # the letterhead as it will print
    assert not WarningLetter.objects.exists()
    assert not AuditEntry.objects.filter(action="escalation.letter_generate").exists()


def test_the_preview_shows_the_edited_words_again(signed_in, head, escalation):
    edited = "Dear Mr Ferro,\n\nPlease take the post down by Friday.\n\nYours sincerely,\n\nPat Head\nHeadteacher"
    response = signed_in(head).post(reverse("escalation:letter_preview", args=[escalation.pk]), details(text=edited))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<p>Please take the post down by Friday.</p>" in page
    assert "Dear Kit Ferro" not in page
    assert not WarningLetter.objects.exists()


def test_a_letter_form_sent_wrongly_comes_back_with_what_was_typed(signed_in, head, escalation):
    response = signed_in(head).post(
        reverse("escalation:letter_preview", args=[escalation.pk]),
        details(job_title="", remove_by=f"{TODAY() - dt.timedelta(days=1):%d/%m/%Y}"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the job title" in page or "This field is required" in page
    assert 'value="a post in a community group about a teacher"' in page


@needs_pdftotext
def test_the_edited_words_are_what_is_kept_and_what_the_pdf_says(signed_in, head, escalation):
    client = signed_in(head)
    preview = client.post(reverse("escalation:letter_preview", args=[escalation.pk]), details())
    assert preview.status_code == 200
    edited = services.warning_letter_draft(
        actor=head,
        escalation=escalation,
        **details(incident_date=TODAY() - dt.timedelta(days=3), remove_by=TODAY() + dt.timedelta(days=7)),
    ).replace("What was posted does not meet those expectations.", "The post names a teacher and must come down.")
    response = client.post(reverse("escalation:letter_generate", args=[escalation.pk]), details(text=edited))
    assert response.status_code == 302
    letter = escalation.letters.get()
    assert letter.text == edited.strip()
    assert letter.job_title == "Headteacher"
    stored = letter.pdf.open("rb").read()
    assert letter.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    text = pdf_text(stored)
    assert "The post names a teacher and must come down." in text
    assert "does not meet those expectations" not in text
    assert "Harbourside Learning Trust" in text and "1 Quay Street, Harbourside, ZZ1 2AB" in text
    assert "07700 900123" in text and "office@harbourside.example.com" in text
    assert "Pat Head Headteacher Seabright Primary School" in text
    assert "page 1 of 1" in text

    # Every download is the PDF as it was made, even after the policy's letterhead changes.
    adopt(escalation.trust, policy_text("000"))
    url = reverse("escalation:letter_download", args=[escalation.pk, letter.pk])
    first, second = client.get(url), client.get(url)
    assert first["Content-Type"] == "application/pdf"
    assert first.content == second.content == stored
    assert AuditEntry.objects.filter(action="escalation.letter_download", object_id=str(letter.pk)).count() == 2
    page = client.get(reverse("escalation:detail", args=[escalation.pk])).content.decode()
    assert f'id="letter-{letter.pk}"' in page and "signed by Pat Head (Headteacher)" in page


def test_a_placeholder_left_in_the_edited_letter_is_refused_and_the_words_kept(signed_in, head, escalation):
    edited = "Dear Kit Ferro,\n\nPlease remove it by {remove_by}.\n\nPat Head"
    response = signed_in(head).post(reverse("escalation:letter_generate", args=[escalation.pk]), details(text=edited))
    assert response.status_code == 400
    page = response.content.decode()
    assert "still has {remove_by} in it" in page
    assert "Please remove it by {remove_by}." in page
    assert not WarningLetter.objects.exists()


def test_an_empty_letter_is_refused(signed_in, head, escalation):
    response = signed_in(head).post(reverse("escalation:letter_generate", args=[escalation.pk]), details(text=" "))
    assert response.status_code == 400
    assert not WarningLetter.objects.exists()


def test_the_letter_is_signed_by_the_person_making_it_with_their_job_title(head, escalation):
    assert selectors.letter_signatory(head, escalation) == (head.full_name, head.job_title or "Headteacher")


def test_a_signatory_named_in_the_policy_signs_every_letter(lettered, head, escalation):
    text = with_letterhead(policy_text("000")).replace(
        "\nparents:\n", "\nparents:\n  warning_letter_signatory:\n    name: Dr Sam Ellery\n    job_title: CEO\n", 1
    )
    adopt(lettered, text)
    escalation.trust.__dict__.pop("policy_version", None)
    assert selectors.letter_signatory(head, escalation) == ("Dr Sam Ellery", "CEO")


def test_a_letter_made_before_pdfs_were_kept_is_printed_from_its_words(head, escalation):
    letter = WarningLetter.objects.create(
        escalation=escalation,
        text="Dear Kit Ferro,\n\nAn old letter.\n\nPat Head",
        parent_name="Kit Ferro",
        incident_date=TODAY(),
        remove_by=TODAY(),
        signed_by="Pat Head",
        generated_by=head,
    )
    pdf = services.warning_letter_pdf(actor=head, letter=letter)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        assert "An old letter." in pdf_text(pdf)


def test_the_preview_needs_sign_in_and_hides_other_schools_escalations(client, signed_in, dsl, escalation):
    url = reverse("escalation:letter_preview", args=[escalation.pk])
    assert client.post(url, details()).status_code == 302
    assert signed_in(dsl).post(url, details()).status_code == 404
    assert not WarningLetter.objects.exists()
