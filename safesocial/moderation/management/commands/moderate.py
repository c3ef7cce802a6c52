"""`safesocial moderate [--policy FILE] < comments.jsonl > decisions.jsonl`

Each input line is {"id": str, "text": str}; each output line, in the same order, is

    {"id": ..., "action": "allow" | "hide" | "review" | "escalate" | "redirect",
     "categories": [{"name": ..., "score": ..., "spans": [[start, end], ...]}, ...]}

with all ten categories in a fixed order; a category that reaches its threshold (or its review band) also carries
"reason", in a moderator's words. Spans count Unicode code points (Python string offsets), not bytes or UTF-16 units.
A comment in a language SafeSocial cannot read also carries "unread" (why) and is at least reviewed.

Every comment gets a decision: emoji-only comments are read through the emoji's names, and a very long one through
its first and last part (classifier.READ_PART). A line that is not a comment gives {"id": ... or null, "line": n,
"error": "..."} instead, and the rest goes on: a line that is not JSON or not UTF-8, no id or text, empty text.
Nothing is skipped without a line out, except blank lines.

It needs no database: the thresholds come from --policy (a trust's policy file, or any YAML with a
moderation.categories section) or SafeSocial's usual ones. It streams: input is read in chunks of at most 64 KiB,
each answered and flushed before the next is read, so memory stays flat for a million lines and a slow producer
gets its answers as it goes; each chunk's comments are classified together, BATCH at a time. A single line longer
than 1 MiB is skipped, unread, with an error.

Also runnable without the app installed: `python -m safesocial.moderation.management.commands.moderate`.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from safesocial.moderation.classifier import Classification, classify_batch, decide
from safesocial.moderation.thresholds import DEFAULT_THRESHOLDS, thresholds_from_policy
from safesocial.policy.loader import PolicyInvalid, load_yaml
from safesocial.policy.schema import Moderation

CHUNK = 64 * 1024
MAX_LINE_BYTES = 1024 * 1024
# Comments classified together, at most: each sentence read is compared with the ~8,500 the semantic layer remembers,
# so a chunk of thousands of very short comments would otherwise hold hundreds of megabytes of similarities at once.
# The embedder reads each text in a call of its own, so the size changes the speed little (on the benchmark's mix,
# 119-130 comments per CPU second in slices of 32, 128 or 512).
BATCH = 128


class BadLine(Exception):
    def __init__(self, message: str, id: Any = None):
        super().__init__(message)
        self.id = id


def read_lines(stream: IO[bytes]) -> Iterator[tuple[bytes | None, bool]]:
    """(line, end of chunk) for each line, without its newline; (None, ...) for a line over MAX_LINE_BYTES.

    Reads with read1 where the stream has it (stdin, pipes, BytesIO): it returns what has arrived rather than
    waiting for a full chunk, so answers go out while the producer is still writing."""
    read = getattr(stream, "read1", stream.read)
    pending = b""
    discarding = False
    while True:
        chunk = read(CHUNK)
        if not chunk:
            break
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop()
        for i, line in enumerate(lines):
            too_long = discarding or len(line) > MAX_LINE_BYTES
            discarding = False
            yield (None if too_long else line), i == len(lines) - 1
        if len(pending) > MAX_LINE_BYTES:
            pending = b""
            discarding = True
    if discarding:
        yield None, True
    elif pending:
        yield pending, True


def parse(raw: bytes) -> tuple[Any, str]:
    """The id and text of one line, or BadLine saying what is wrong with it."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        recovered = _id_of(raw.decode("utf-8", errors="replace"))
        raise BadLine(
            f"the line is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at byte {exc.start}); re-encode it as UTF-8",
            recovered,
        ) from None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"the line is not JSON ({exc.msg} at character {exc.pos})") from None
    if not isinstance(record, dict):
        raise BadLine('the line must be a JSON object like {"id": "...", "text": "..."}')
    id = record.get("id")
    if id is None:
        raise BadLine('the line has no "id"')
    if not isinstance(id, str | int) or isinstance(id, bool):
        raise BadLine('"id" must be a string', None)
    text = record.get("text")
    if text is None:
        raise BadLine('the line has no "text"', id)
    if not isinstance(text, str):
        raise BadLine('"text" must be a string', id)
    if not text.strip():
        raise BadLine("the text is empty: there is nothing to classify", id)
    return id, text


def _id_of(line: str) -> Any:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record.get("id") if isinstance(record, dict) else None


def load_thresholds(path: str | None):
    if path is None:
        return DEFAULT_THRESHOLDS
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8"), str(path))
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (PolicyInvalid, UnicodeDecodeError) as exc:
        raise CommandError(f"{path} is not readable YAML: {exc}") from None
    section = data.get("moderation") if isinstance(data, dict) else None
    if not isinstance(section, dict) or "categories" not in section:
        raise CommandError(f"{path} has no moderation.categories section")
    try:
        moderation = Moderation.model_validate(section)
        return thresholds_from_policy(moderation)
    except (ValidationError, ValueError) as exc:
        raise CommandError(f"{path}: moderation section is not valid: {exc}") from None


def decision(id: Any, result: Classification, thresholds) -> dict[str, Any]:
    fired = {item.name for item in result.fired(thresholds)}
    categories = []
    for item in result.categories.values():
        entry: dict[str, Any] = {"name": item.name, "score": item.score, "spans": [list(s) for s in item.spans]}
        if item.reason and item.name in fired:
            entry["reason"] = item.reason
        categories.append(entry)
    answer = {"id": id, "action": decide(result, thresholds), "categories": categories}
    if result.unread:
        answer["unread"] = result.unread
    return answer


def moderate_stream(source: IO[bytes], sink: IO[bytes], thresholds) -> tuple[int, int]:
    """Answer every line of `source` on `sink`; (decisions, errors). The comments of one chunk are classified
    together, and answered in their lines' order."""
    done = errors = 0
    out: list[str | tuple[Any, str]] = []  # an answer, or a comment waiting for the chunk's batch

    def flush() -> None:
        texts = [item[1] for item in out if isinstance(item, tuple)]
        results = iter([r for i in range(0, len(texts), BATCH) for r in classify_batch(texts[i : i + BATCH])])
        lines = [
            item if isinstance(item, str) else _dumps(decision(item[0], next(results), thresholds)) for item in out
        ]
        sink.write("".join(lines).encode("utf-8"))
        sink.flush()
        out.clear()

    for number, (raw, end_of_chunk) in enumerate(read_lines(source), start=1):
        if raw is None:
            out.append(_dumps({"id": None, "line": number, "error": f"the line is over {MAX_LINE_BYTES:,} bytes"}))
            errors += 1
        elif raw.strip():
            try:
                id, text = parse(raw.rstrip(b"\r"))
            except BadLine as exc:
                out.append(_dumps({"id": exc.id, "line": number, "error": str(exc)}))
                errors += 1
            else:
                out.append((id, text))
                done += 1
        if end_of_chunk and out:
            flush()
    if out:
        flush()
    return done, errors


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


class _TextSink:
    """Bytes in, text out: for call_command(stdout=StringIO()) in tests."""

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, data: bytes) -> None:
        self.stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self.stream.flush()


class Command(BaseCommand):
    help = "Classify comments: JSON lines {id, text} on stdin, one decision per line on stdout. Needs no database."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--policy", help="a trust's policy file (YAML): its moderation.categories thresholds")

    def handle(self, *args, policy: str | None = None, **options):
        thresholds = load_thresholds(policy)
        source = options.get("stdin") or sys.stdin.buffer
        target = self.stdout._out  # the stream given to call_command, or sys.stdout
        sink = target.buffer if hasattr(target, "buffer") else _TextSink(target)
        try:
            done, errors = moderate_stream(source, sink, thresholds)
        except BrokenPipeError:  # the reader went away (| head): stop quietly, as Unix tools do
            if target is sys.stdout:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's last flush does not fail again
            return
        if errors:
            self.stderr.write(f"{done} comments classified, {errors} lines with errors (see their error objects)")


def main(argv: list[str] | None = None) -> None:
    """Run the command without Django's app registry knowing it (before the app is in INSTALLED_APPS)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safesocial.settings")
    django.setup()
    Command().run_from_argv(["safesocial", "moderate", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
