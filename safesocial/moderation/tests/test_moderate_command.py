"""`safesocial moderate`: the command-line contract users script against.

Until safesocial.moderation is in INSTALLED_APPS these tests call the Command class directly, or run the module
(`python -m safesocial.moderation.management.commands.moderate`), which is the same code behind the same parser."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from safesocial.moderation.management.commands.moderate import MAX_LINE_BYTES, Command
from safesocial.moderation.thresholds import ACTIONS, CATEGORIES

REPO = Path(__file__).resolve().parents[3]
MODULE = [sys.executable, "-m", "safesocial.moderation.management.commands.moderate"]


def moderate(data: bytes, *args: str) -> list[dict]:
    out = io.StringIO()
    call_command(Command(), *args, stdin=io.BytesIO(data), stdout=out, stderr=io.StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def jsonl(*records) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def test_each_line_gets_one_decision_in_order_with_every_category():
    lines = moderate(
        jsonl(
            {"id": "c1", "text": "Well done Year 6, you smashed it!"},
            {"id": "c2", "text": "Ring me on 07700 900123"},
            {"id": "c3", "text": "my child is scared to go home"},
            {"id": "c4", "text": "Mrs Jones is so rude, she shouted at my son"},
        )
    )
    assert [(d["id"], d["action"]) for d in lines] == [
        ("c1", "allow"),
        ("c2", "hide"),
        ("c3", "escalate"),
        ("c4", "redirect"),
    ]
    for decision in lines:
        assert set(decision) == {"id", "action", "categories"}
        assert decision["action"] in ACTIONS
        assert [c["name"] for c in decision["categories"]] == list(CATEGORIES)
        for category in decision["categories"]:
            assert isinstance(category["score"], float) and 0 <= category["score"] <= 1
            assert all(isinstance(s, list) and len(s) == 2 and s[0] < s[1] for s in category["spans"])


def test_a_category_that_fires_carries_its_spans_and_a_reason():
    [decision] = moderate(jsonl({"id": "x", "text": "Ring me on 07700 900123"}))
    pii = next(c for c in decision["categories"] if c["name"] == "pii")
    assert pii["spans"] == [[11, 23]]
    assert "personal information" in pii["reason"]
    assert all("reason" not in c for c in decision["categories"] if c["name"] != "pii")


def test_a_policy_file_sets_the_actions_and_thresholds(tmp_path):
    policy = tmp_path / "policy.yaml"
    policy.write_text("moderation:\n  categories:\n    pii: {action: review, threshold: 0.5}\n", encoding="utf-8")
    [decision] = moderate(jsonl({"id": "x", "text": "Ring me on 07700 900123"}), "--policy", str(policy))
    assert decision["action"] == "review"


def test_a_trusts_whole_policy_file_works_and_suggest_reply_is_redirect():
    policy = REPO / "examples" / "policies" / "001-facebook-only-trust.yaml"
    [complaint, advert] = moderate(
        jsonl(
            {"id": "a", "text": "I've emailed the office three times and no one has got back to me"},
            {"id": "b", "text": "Selling Year 6 leavers hoodie age 11-12, £10 ono"},
        ),
        "--policy",
        str(policy),
    )
    assert complaint["action"] == "redirect"
    assert advert["action"] == "hide"  # policy 001 hides commercial posts; the usual setting only reviews them


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("moderation: [", "not readable YAML"),
        ("trust: {}\n", "no moderation.categories"),
        ("moderation:\n  categories:\n    rudeness: {action: hide}\n", "unknown moderation categories"),
        ("moderation:\n  categories:\n    abuse: {action: hide, threshold: 7}\n", "not valid"),
    ],
)
def test_a_bad_policy_file_is_a_clear_error(tmp_path, content, message):
    policy = tmp_path / "policy.yaml"
    if content is not None:
        policy.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        moderate(b"", "--policy", str(policy))


def test_bad_lines_give_an_error_each_and_the_rest_is_processed():
    good = json.dumps({"id": "ok", "text": "Lovely photos, thank you"}).encode() + b"\n"
    bad = [
        b"this is not json\n",
        b'["id", "text"]\n',
        b'{"text": "no id here"}\n',
        b'{"id": "no-text"}\n',
        b'{"id": "not-a-string", "text": 42}\n',
        b'{"id": {"nested": 1}, "text": "x"}\n',
        b'{"id": "latin1", "text": "caf\xe9 was lovely"}\n',
        b'{"id": "empty", "text": ""}\n',
        b'{"id": "spaces", "text": "   \\n  "}\n',
        b'{"id": "truncated", "text": "half a li\n',
    ]
    data = b"".join(line + good for line in bad)
    lines = moderate(data)
    assert len(lines) == 2 * len(bad)
    errors, decisions = lines[0::2], lines[1::2]
    assert all(d == decisions[0] for d in decisions) and decisions[0]["action"] == "allow"
    assert [e["line"] for e in errors] == list(range(1, 2 * len(bad), 2))
    assert all(set(e) == {"id", "line", "error"} and e["error"] for e in errors)
    by_message = [e["error"] for e in errors]
    assert "not JSON" in by_message[0]
    assert "JSON object" in by_message[1]
    assert 'no "id"' in by_message[2]
    assert 'no "text"' in by_message[3] and errors[3]["id"] == "no-text"
    assert '"text" must be a string' in by_message[4]
    assert '"id" must be a string' in by_message[5]
    assert "not valid UTF-8" in by_message[6] and errors[6]["id"] == "latin1"
    assert "empty" in by_message[7] and "empty" in by_message[8]
    assert "not JSON" in by_message[9]


@pytest.mark.slow
def test_emoji_only_and_very_long_comments_get_a_decision_not_an_error():
    long_kind = " ".join(
        [
            "The fair was lovely and the children had a wonderful time with the tombola and the cake stall.",
            "Thank you to every volunteer who gave up their Saturday.",
            "My youngest won a goldfish and has named it Captain.",
            "We raised enough for new library books, which is brilliant news for the reading corner.",
        ]
        * 100
    )
    long_threat = long_kind + "I know where that teacher lives and I will be waiting for her after school."
    lines = moderate(
        jsonl(
            {"id": "applause", "text": "👏👏👏❤️"},
            {"id": "monkeys", "text": "🐒🐒🍌"},
            {"id": "long kind", "text": long_kind},
            {"id": "long threat", "text": long_threat},
        )
    )
    by_id = {line["id"]: line for line in lines}
    assert all("error" not in line for line in lines)
    assert by_id["applause"]["action"] == "allow"
    assert by_id["monkeys"]["action"] == "review"
    assert by_id["long kind"]["action"] == "allow"
    assert by_id["long threat"]["action"] == "escalate"
    threat = next(c for c in by_id["long threat"]["categories"] if c["name"] == "threat")
    assert threat["reason"]
    assert all(len(long_kind) <= start < end <= len(long_threat) for start, end in threat["spans"])


def test_a_comment_in_another_language_goes_to_review_saying_it_could_not_be_read():
    [polish, english] = moderate(
        jsonl(
            {"id": "pl", "text": "Dziękuję bardzo za wszystko, dzieci są bardzo szczęśliwe w tej szkole"},
            {"id": "en", "text": "Thank you so much for everything, the children are very happy at this school"},
        )
    )
    assert polish["action"] == "review" and "Polish" in polish["unread"]
    assert english["action"] == "allow" and "unread" not in english


def test_blank_lines_and_windows_line_endings_are_fine():
    lines = moderate(b'\n{"id": "a", "text": "Thank you"}\r\n\n\n{"id": "b", "text": "Great day"}')
    assert [d["id"] for d in lines] == ["a", "b"]


def test_a_line_over_a_mebibyte_is_skipped_with_an_error_and_the_next_is_read():
    huge = b'{"id": "huge", "text": "' + b"a" * (MAX_LINE_BYTES + 10) + b'"}\n'
    lines = moderate(huge + jsonl({"id": "next", "text": "Thank you"}))
    assert lines[0]["error"].startswith("the line is over") and lines[0]["line"] == 1
    assert lines[1]["id"] == "next" and lines[1]["action"] == "allow"


def test_numeric_ids_are_echoed_back_as_given():
    [decision] = moderate(b'{"id": 17, "text": "Thank you"}\n')
    assert decision["id"] == 17


@pytest.mark.slow
def test_the_command_needs_no_database(tmp_path):
    # pytest-django refuses any query from a test without the db fixture; the subprocess below has no database at all.
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
        "SAFESOCIAL_DATA_DIR": str(tmp_path),
    }
    run = subprocess.run(
        MODULE, input=jsonl({"id": "a", "text": "you idiot"}), capture_output=True, env=env, cwd=REPO, check=True
    )
    assert json.loads(run.stdout)["action"] == "hide"


def _child_env(tmp_path: Path) -> dict[str, str]:
    return os.environ | {"SAFESOCIAL_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}


@pytest.mark.slow
def test_answers_stream_out_before_the_input_ends(tmp_path):
    child = subprocess.Popen(MODULE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_child_env(tmp_path), cwd=REPO)
    try:
        assert child.stdin and child.stdout
        child.stdin.write(jsonl({"id": "first", "text": "Thank you"}))
        child.stdin.flush()
        answer: list[bytes] = []
        reader = threading.Thread(target=lambda: answer.append(child.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout=60)
        assert answer and json.loads(answer[0])["id"] == "first"  # answered while stdin is still open
    finally:
        child.stdin.close()
        child.wait(timeout=60)


def _peak_memory_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads peak memory from /proc")
def test_a_large_generated_input_streams_in_constant_memory(tmp_path):
    # 2,400 lines of 16 KiB each (the comment and what a caller attaches to it, which the command ignores): 38 MiB
    # in all, read 64 KiB at a time. Each comment also passes through the sentence embedder, which sets the time.
    total = 2_400
    attached = "x" * 16 * 1024
    texts = [
        "Well done Year {n}, you smashed it!",
        "Ring me on 07700 900{n:03d} about the party",
        "Selling uniform {n}, £5 each",
        "Mrs Jones never replies to my emails, {n} days now",
        "What time does the fair start on Saturday? ({n})",
    ]
    child = subprocess.Popen(MODULE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_child_env(tmp_path), cwd=REPO)
    assert child.stdin and child.stdout
    peaks: dict[int, int] = {}

    def write() -> None:
        # Generated as it goes: neither side ever holds the whole input.
        for n in range(total):
            line = {"id": str(n), "text": texts[n % 5].format(n=n % 1000), "attached": attached}
            child.stdin.write(json.dumps(line).encode() + b"\n")
        child.stdin.close()

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    count = 0
    actions: dict[str, int] = {}
    for line in child.stdout:
        decision = json.loads(line)
        assert decision["id"] == str(count)
        actions[decision["action"]] = actions.get(decision["action"], 0) + 1
        count += 1
        if count in (400, total - 100):
            peaks[count] = _peak_memory_kib(child.pid)
    writer.join()
    assert child.wait(timeout=60) == 0
    assert count == total
    assert actions == {"allow": 960, "hide": 480, "review": 480, "redirect": 480}
    # The peak after 2,300 lines is the peak after 400, give or take the allocator's slack: far less than the
    # 31 MiB the 1,900 lines between them hold.
    assert peaks[total - 100] - peaks[400] < 12 * 1024, peaks
