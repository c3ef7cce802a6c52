"""safesocial check-post --jsonl: many posts on standard input, one result line each, start-up paid once."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safesocial.people.services import pupil_create


def run_batch(monkeypatch, lines: list[str], *args: str) -> list[dict]:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    out = io.StringIO()
    call_command("check-post", "--jsonl", *args, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_each_post_gets_one_line_with_its_id_decision_and_findings(monkeypatch):
    posts = [
        {"id": "a", "text": "Reminder: school closes at 1:30pm on Friday for the end of term."},
        {"id": "b", "text": "Call me on 07700 900123 about the trip."},
        {"id": 7, "text": "My bootcamp is taking bookings: use code SCHOOLFIT for 20% off."},
    ]
    results = run_batch(monkeypatch, [json.dumps(p) for p in posts])
    assert [r["id"] for r in results] == ["a", "b", 7]
    assert [r["decision"] for r in results] == ["ok", "block", "warn"]
    phone = results[1]["findings"][0]
    assert set(phone) == {"check", "severity", "message", "start", "end"}
    assert posts[1]["text"][phone["start"] : phone["end"]] == "07700 900123"
    assert results[2]["findings"][0]["check"] == "commercial"


def test_the_findings_are_the_same_objects_as_json_gives(monkeypatch, tmp_path):
    text = "Please welcome back Mia in Year 2, who has been in hospital for her asthma. Ring her mum on 07700 900123."
    (tmp_path / "post.txt").write_text(text)
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check-post", "--text-file", str(tmp_path / "post.txt"), "--json", stdout=out)
    single = json.loads(out.getvalue())
    (batch,) = run_batch(monkeypatch, [json.dumps({"id": 1, "text": text})])
    assert batch["findings"] == single["findings"] and batch["decision"] == single["decision"]


def test_a_bad_line_gets_an_error_with_its_number_and_the_rest_go_on(monkeypatch):
    lines = [
        json.dumps({"id": 1, "text": "Sports day is on Friday."}),
        "{not json",
        json.dumps({"id": 3}),
        "",
        json.dumps({"id": 5, "text": "x" * 70_000}),
        json.dumps({"id": 6, "text": "Reminder: bring a packed lunch."}),
    ]
    results = run_batch(monkeypatch, lines)
    assert [r.get("id") for r in results] == [1, None, None, 5, 6]
    assert "line 2" in results[1]["error"] and "line 3" in results[2]["error"]
    assert results[3]["line"] == 5 and "characters" in results[3]["error"]
    assert results[4]["decision"] == "ok"


@pytest.mark.django_db
def test_the_batch_checks_names_against_the_schools_register(monkeypatch, seabright):
    born = dt.date(2017, 5, 1)
    pupil_create(actor=None, school=seabright, first_name="Ava", last_name="Quill", date_of_birth=born, year_group="4")
    (result,) = run_batch(
        monkeypatch,
        [json.dumps({"id": 1, "text": "Well done Ava Quill for a brilliant race."})],
        "--school",
        "seabright",
    )
    assert result["decision"] == "block"
    assert any(f["check"] == "pupil_name" and f["severity"] == "block" for f in result["findings"])


def test_it_wants_either_a_text_file_or_jsonl():
    with pytest.raises(CommandError):
        call_command("check-post", stdout=io.StringIO())
