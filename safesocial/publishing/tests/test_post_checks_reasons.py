"""A post that promotes a teacher's business with a discount code is flagged, with the reason, wherever a post is
checked: on the page where an author writes it, and through `safesocial check-post --json` and `--jsonl`."""

from __future__ import annotations

import html
import io
import json
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from safesocial.publishing.models import Post

pytestmark = pytest.mark.django_db(transaction=True)

DISCOUNT = (
    "Brilliant sports day, everyone! If you fancy keeping fit over the summer, Mr Dawson's bootcamp at the rec is "
    "taking bookings: use code SCHOOLFIT for 20% off your first month."
)
REASON = "The policy does not allow the school's channels to advertise or promote businesses or offers"


def test_the_write_a_post_page_shows_the_discount_code_and_why_it_is_not_allowed(signed_in, teacher, sandbox):
    data = {"channels": [sandbox.pk], "category": "events", "text": DISCOUNT}
    response = signed_in(teacher).post(reverse("publishing:create"), data, follow=True)
    body = html.unescape(response.content.decode())
    post = Post.objects.get()
    assert any(f["check"] == "commercial" for f in post.findings)
    assert "Check:</span> This promotes an offer (“use code SCHOOLFIT”)." in body
    assert REASON in body


def test_check_post_json_flags_the_discount_code_with_its_reason_and_where_it_is(tmp_path):
    (tmp_path / "post.txt").write_text(DISCOUNT)
    out = io.StringIO()
    call_command("check-post", "--text-file", str(tmp_path / "post.txt"), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["decision"] == "warn"
    (finding,) = [f for f in result["findings"] if f["check"] == "commercial"]
    assert REASON in finding["message"]
    assert DISCOUNT[finding["start"] : finding["end"]] == "use code SCHOOLFIT"


def test_check_post_jsonl_flags_the_discount_code_and_lets_ordinary_news_through(monkeypatch):
    lines = [
        json.dumps({"id": "fair", "text": "Thank you to everyone who came to the summer fair. We raised £1,200."}),
        json.dumps({"id": "bootcamp", "text": DISCOUNT}),
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    out = io.StringIO()
    call_command("check-post", "--jsonl", stdout=out)
    fair, bootcamp = (json.loads(line) for line in out.getvalue().splitlines())
    assert fair == {"id": "fair", "decision": "ok", "findings": []}
    assert bootcamp["decision"] == "warn"
    assert any(f["check"] == "commercial" and REASON in f["message"] for f in bootcamp["findings"])
