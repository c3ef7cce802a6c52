"""Reading a policy file: YAML in, a validated Policy out, or errors that name the field and line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from .schema import Policy


@dataclass(frozen=True)
class PolicyError:
    field: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.field or '(file)'}: {self.message}"


class PolicyInvalid(Exception):
    def __init__(self, errors: list[PolicyError], source: str = "policy file") -> None:
        self.errors = errors
        self.source = source
        super().__init__(f"{source} is not a valid policy:\n" + "\n".join(f"  {e}" for e in errors))


Path_ = tuple[str | int, ...]


def _lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    """Note the line of every key and item, and refuse a key given twice (YAML would keep the last)."""
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                raise PolicyInvalid(
                    [PolicyError(_dotted((*path, key)), key_node.start_mark.line + 1, "key appears twice")]
                )
            seen.add(key)
            _lines(value_node, (*path, key), lines)
            lines[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*path, i), lines)


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _line_for(loc: Path_, lines: dict[Path_, int]) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def parse_policy(text: str, source: str = "policy file") -> Policy:
    """Validate policy text. Raises PolicyInvalid listing every problem with its line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise PolicyInvalid([PolicyError("", line, f"not valid YAML: {problem}")], source) from exc
    if node is None:
        raise PolicyInvalid([PolicyError("", None, "the file is empty")], source)
    lines: dict[Path_, int] = {}
    _lines(node, (), lines)
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise PolicyInvalid([PolicyError("", 1, "a policy file is a mapping of sections")], source)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        errors = []
        for err in exc.errors(include_url=False):
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                message = "is not a field of the policy schema (see docs/policy-schema.md)"
            elif err["type"] == "missing":
                message = "is required"
            elif err["type"] == "enum":
                message = f"'{err.get('input')}' is not allowed: {err['msg'].removeprefix('Input should be ')}"
            errors.append(PolicyError(_dotted(loc), _line_for(loc, lines), message))
        raise PolicyInvalid(errors, source) from exc


def load_policy_file(path: str | Path) -> tuple[Policy, str]:
    """Read and validate a policy file; returns the policy and its text (kept verbatim as a version)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyInvalid([PolicyError("", None, f"cannot read {path}: {exc}")], str(path)) from exc
    return parse_policy(text, str(path)), text
