"""safesocial check-post: the automated checks without the web page, for scripts and tests.

Without --school there is no pupil register, and every check that needs none still runs. With --jsonl it reads one
JSON object `{"id", "text"}` per line on standard input and writes one `{"id", "decision", "findings"}` per line,
loading the model once for the whole batch; a line it cannot read gets an error line and the rest go on."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safesocial.consent.selectors import register_for
from safesocial.people.models import School
from safesocial.policy.loader import PolicyInvalid, load_policy_file
from safesocial.publishing.post_checks import too_long
from safesocial.text.findings import Finding
from safesocial.text.rules import RegisterIndex, decision
from safesocial.text.semantic_posts import check_post


def finding_json(f: Finding) -> dict:
    return {"check": f.check, "severity": f.severity, "message": f.reason, "start": f.start, "end": f.end}


class Command(BaseCommand):
    help = "Check a post's text and images against the policy and the pupil register; --json for scripts."
    # Scripts call this once a post: Django's system checks would import every view (and weasyprint) each time.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--policy", help="a policy file (its categories and rules); default: the trust's")
        parser.add_argument("--school", help="the school's key, to check names against its pupil register")
        parser.add_argument("--text-file", help="the post's text ('-' for standard input)")
        parser.add_argument("--image", action="append", default=[], help="an image to check (repeatable)")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--jsonl", action="store_true", help='read {"id", "text"} lines on standard input, write one result a line'
        )

    def handle(self, *args, **options):
        if options["policy"]:
            try:
                load_policy_file(options["policy"])
            except PolicyInvalid as exc:
                raise CommandError(str(exc)) from None
        if options["jsonl"] == bool(options["text_file"]):
            raise CommandError("give either --text-file or --jsonl")
        if options["jsonl"] and options["image"]:
            raise CommandError("--image checks one post: use --text-file")
        register = None
        if options["school"]:
            school = School.objects.filter(key=options["school"]).first()
            if school is None:
                raise CommandError(f"no school with key '{options['school']}'")
            register = RegisterIndex(register_for(school))
        if options["jsonl"]:
            self._batch(register)
            return
        text = self._read_text(options["text_file"])
        if problem := too_long(text):
            raise CommandError(problem)
        findings = check_post(text, register=register)
        for path in options["image"]:
            findings += self._check_image(Path(path))
        outcome = decision(findings)
        if options["json"]:
            payload = {"decision": outcome, "findings": [finding_json(f) for f in findings]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
        else:
            for f in findings:
                where = f" [{f.start}:{f.end}]" if f.start is not None else ""
                self.stdout.write(f"{f.severity.upper():5} {f.check}{where}: {f.reason}")
            self.stdout.write(f"decision: {outcome}")
        if outcome == "block":
            raise SystemExit(1)

    def _batch(self, register: RegisterIndex | None) -> None:
        """One result line per input line, in order; blank lines are skipped."""
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                    raise ValueError('each line must be a JSON object with a "text" string')
            except ValueError as exc:
                self._write({"line": number, "error": f"line {number}: {exc}"})
                continue
            if problem := too_long(item["text"]):
                self._write({"id": item.get("id"), "line": number, "error": problem})
                continue
            findings = check_post(item["text"], register=register)
            self._write(
                {"id": item.get("id"), "decision": decision(findings), "findings": [finding_json(f) for f in findings]}
            )

    def _write(self, payload: dict) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False))
        self.stdout.flush()

    def _read_text(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {name}: {exc}") from None

    def _check_image(self, path: Path) -> list[Finding]:
        # Here, not at the top: Pillow and dlib load only for a post that has images (a script checks many texts).
        from safesocial.images import ImageRejected, detect_faces, sanitise

        try:
            clean = sanitise(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        except ImageRejected as exc:
            return [Finding("image", "block", f"{path.name}: {exc}")]
        findings = []
        if clean.had_gps:
            findings.append(Finding("image", "warn", f"{path.name} carried its GPS location; SafeSocial removes it."))
        faces = detect_faces(clean.data)
        if faces:
            findings.append(
                Finding(
                    "faces",
                    "block",
                    f"{path.name}: {len(faces)} face{'s' if len(faces) != 1 else ''} found. In SafeSocial, tag each "
                    "to a pupil (consent is checked) or blur it before review.",
                )
            )
        return findings
