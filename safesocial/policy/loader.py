"""Reading a policy file: YAML in, a validated Policy out, or errors that name the field and line.

Every policy text SafeSocial reads, from the command line, an upload or a review draft, comes through `compose_yaml`
here: a policy file is plain data, so anchors, aliases and tags (an alias bomb, `!!python/...`) are refused as the
parser meets them, before any node is built, and so is nesting deeper than any policy needs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError

from .schema import Policy

# The five example policies are 11-17 KB, prose included. Half a megabyte leaves room for any trust's policy while
# keeping out files that would take PyYAML (pure Python here) seconds to read on every request that parses a draft.
MAX_POLICY_BYTES = 512 * 1024
# The deepest field of the schema is six levels down (training > quiz > a question > options > an option). Twenty
# leaves room to spare and stops nesting thousands deep long before PyYAML's composer, which recurses once a level,
# would exhaust Python's stack.
MAX_DEPTH = 20


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
            if not isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                raise PolicyInvalid([PolicyError(_dotted(path), line, "a key must be a single word, not a list")])
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


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML that a policy file must not use."""


class _PlainDataLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing anchors, aliases, tags and deep nesting as each node's first event arrives."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._refuse(event, f"aliases (*{event.anchor}) are not allowed in a policy file: write the value out")
        if getattr(event, "anchor", None):
            self._refuse(event, f"anchors (&{event.anchor}) are not allowed in a policy file: write the value out")
        if getattr(event, "tag", None) not in (None, "!"):
            self._refuse(event, f"tags ({event.tag}) are not allowed in a policy file: a policy is plain text")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            self._refuse(event, f"nested more than {MAX_DEPTH} levels deep: no policy field goes that deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:  # a date like 2026-13-45, a number too long for Python
            problem = f"cannot read this value: {exc}"
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None

    @staticmethod
    def _refuse(event: yaml.Event, problem: str) -> NoReturn:
        raise _Refused(problem=problem, problem_mark=event.start_mark)  # type: ignore[arg-type]  # stubs


def _yaml_error(exc: yaml.YAMLError, text: str, source: str) -> PolicyInvalid:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line = mark.line + 1
    elif isinstance(exc, yaml.reader.ReaderError):  # a character that is not text: the reader counts characters
        line = text.count("\n", 0, exc.position) + 1
    else:
        line = 1
    if isinstance(exc, _Refused):
        message = str(exc.problem)
    elif isinstance(exc, yaml.reader.ReaderError):
        message = f"not valid YAML: character {exc.character!r} is not allowed"
    else:
        message = f"not valid YAML: {getattr(exc, 'problem', None) or exc}"
    return PolicyInvalid([PolicyError("", line, message)], source)


def _too_large(source: str) -> PolicyInvalid:
    message = f"the file is larger than {MAX_POLICY_BYTES // 1024} KB: a policy file is a few pages of text"
    return PolicyInvalid([PolicyError("", None, message)], source)


def compose_yaml(text: str, source: str = "policy file") -> yaml.Node:
    """The node tree of a policy text, with the line and column of each node, or PolicyInvalid naming the line."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_POLICY_BYTES:
        raise _too_large(source)
    try:
        loader = _PlainDataLoader(text)  # the reader refuses a character that is not text here, before parsing
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, source) from None
    if node is None:
        raise PolicyInvalid([PolicyError("", None, "the file is empty")], source)
    return node


def node_data(node: yaml.Node, source: str = "policy file") -> Any:
    """The plain data (dicts, lists, strings, numbers, dates) of a node from compose_yaml."""
    try:
        return _PlainDataLoader("").construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, "", source) from None


def load_yaml(text: str, source: str = "policy file") -> Any:
    """The plain data of a policy text, not yet checked against the schema."""
    return node_data(compose_yaml(text, source), source)


def parse_policy(text: str, source: str = "policy file") -> Policy:
    """Validate policy text. Raises PolicyInvalid listing every problem with its line."""
    node = compose_yaml(text, source)
    lines: dict[Path_, int] = {}
    _lines(node, (), lines)
    data = node_data(node, source)
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
        with path.open("rb") as file:
            raw = file.read(MAX_POLICY_BYTES + 1)  # enough to know it is too large, never the whole of a huge file
    except OSError as exc:
        raise PolicyInvalid([PolicyError("", None, f"cannot read {path}: {exc.strerror or exc}")], str(path)) from exc
    if len(raw) > MAX_POLICY_BYTES:
        raise _too_large(str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = "is not UTF-8 text: save it as UTF-8 (most editors offer this under Save As)"
        raise PolicyInvalid([PolicyError("", line, message)], str(path)) from None
    return parse_policy(text, str(path)), text
