"""The trust's letterhead on every PDF SafeSocial prints (issues 17 and 19): the name, logo and postal address from
the policy's `trust` section at the top, page numbers at the foot, and nothing fetched from the network."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from safesocial.compliance import quiz
from safesocial.concerns import services as concerns
from safesocial.demo.letterhead import with_letterhead
from safesocial.policy.loader import PolicyInvalid, parse_policy
from safesocial.policy.pdf import letterhead, render_pdf
from safesocial.policy.services import policy_adopt
from safesocial.testing.files import png_bytes
from safesocial.testing.people import make_family
from safesocial.testing.trusts import policy_text

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdfimages") is None, reason="needs poppler-utils"
)
ADDRESS = "1 Quay Street, Harbourside, ZZ1 2AB"


def pdf_text(pdf: bytes) -> str:
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(out.split())


def images_in(pdf: bytes) -> int:
    """How many images the PDF draws (poppler's pdfimages lists one row per image after two header lines)."""
    out = subprocess.run(["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return len(out.strip().splitlines()) - 2


def assert_letterhead(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Harbourside Learning Trust" in text
    assert ADDRESS in text
    assert re.search(r"(page|letter) 1 of \d+", text, re.IGNORECASE), text[-300:]


@pytest.fixture
def lettered(trust):
    policy_adopt(actor=None, trust=trust, text=with_letterhead(policy_text("000")), note="letterhead")
    trust.__dict__.pop("policy_version", None)
    return trust


def test_the_policy_document_pdf_carries_the_letterhead(signed_in, lettered, head):
    assert_letterhead(signed_in(head).get(reverse("policy:pdf")).content)


def test_the_public_policy_pdf_carries_the_letterhead(client, lettered, seabright):
    assert_letterhead(client.get(reverse("compliance_public:policy_pdf", args=[seabright.pk])).content)


def test_the_training_certificate_carries_the_letterhead(signed_in, lettered, teacher):
    client = signed_in(teacher)
    page = client.get(reverse("compliance:quiz"))
    token = re.search(rb'name="token" value="([0-9a-f-]+)"', page.content).group(1).decode()
    answers = {f"q{i}": str(q.answer) for i, q in enumerate(quiz.questions(lettered.policy))}
    client.post(reverse("compliance:quiz"), {"token": token, "version": lettered.policy_version.number} | answers)
    pdf = client.get(reverse("compliance:certificate", args=[token])).content
    assert_letterhead(pdf)
    assert "Certificate of training" in pdf_text(pdf)
    assert (
        int(subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.split(b"Pages:")[1].split()[0]) == 1
    )


def test_each_letter_to_families_carries_the_letterhead(signed_in, lettered, head, seabright):
    make_family(seabright, "Nia", "Fairweather", "4O Owls", ["Dana"])
    make_family(seabright, "Ivo", "Marsh", "4O Owls", ["Lee"])
    response = signed_in(head).post(reverse("compliance:letters", args=["seabright"]), {"class_name": "4O Owls"})
    assert_letterhead(response.content)
    assert pdf_text(response.content).count(ADDRESS) == 2


def test_the_governors_report_carries_the_letterhead(signed_in, lettered, ceo):
    response = signed_in(ceo).get(reverse("governors:pdf"), {"period": "2026-27-autumn", "school": "seabright"})
    assert_letterhead(response.content)


def test_a_case_chronology_carries_the_letterhead(signed_in, lettered, head, teacher, seabright):
    concern = concerns.concern_report(
        actor=teacher, school=seabright, kind="friend_request", summary="A friend request from an unknown adult."
    ).concern
    response = signed_in(head).get(reverse("concerns:export", args=[concern.pk, "pdf"]))
    assert response.status_code == 200
    assert_letterhead(response.content)


def test_a_printout_fetches_no_file_or_web_address_only_the_logo_it_carries(tmp_path):
    (tmp_path / "logo.png").write_bytes(png_bytes())
    inline = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    html = (
        f'<img src="file://{tmp_path}/logo.png" alt=""><img src="http://127.0.0.1:9/logo.png" alt="">'
        f'<img src="{inline}" alt="">'
    )
    assert images_in(render_pdf(html)) == 1


def test_a_logo_is_inline_svg_or_a_data_address_never_a_web_address():
    text = policy_text("000")
    svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 4 4'><rect width='4' height='4'/></svg>"
    policy = parse_policy(text.replace("\n  website:", f'\n  logo: "{svg}"\n  website:', 1), "x")
    assert letterhead(policy)["letterhead"].logo.startswith("data:image/svg+xml;base64,")
    png = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    assert parse_policy(text.replace("\n  website:", f"\n  logo: {png}\n  website:", 1), "x").trust.logo == png
    with pytest.raises(PolicyInvalid, match="not fetched"):
        parse_policy(text.replace("\n  website:", "\n  logo: https://example.com/logo.png\n  website:", 1), "x")
    with pytest.raises(PolicyInvalid, match="not an email address"):
        parse_policy(text.replace("\n  website:", "\n  email: office at school\n  website:", 1), "x")


def test_without_an_address_or_logo_the_letterhead_is_the_trusts_name():
    head = letterhead(parse_policy(policy_text("001"), "x"), "Ashbrindle Primary School")["letterhead"]
    assert head.address == [] and head.logo == "" and head.name and head.school == "Ashbrindle Primary School"
