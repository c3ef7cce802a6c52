"""Small, surgical edits to a policy file's text that keep its comments and layout.

An approved review writes the document history entry, the approval date and the next review date into the file the
trust drafted. Re-dumping the YAML would lose every comment the trust wrote, so these functions find the node with
PyYAML's composer (which knows where each node starts and ends) and change only those characters."""

from __future__ import annotations

import datetime as dt
import json

import yaml

from .loader import compose_yaml, node_data

Path_ = tuple[str, ...]


def _compose(text: str) -> yaml.Node:
    node = compose_yaml(text, "draft")
    if not isinstance(node, yaml.MappingNode):
        raise ValueError("a policy file is a mapping of sections")
    return node


def _child(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return key_node, value_node
    return None


def _find(root: yaml.Node, path: Path_) -> tuple[yaml.Node, yaml.Node] | None:
    node, found = root, None
    for key in path:
        found = _child(node, key)
        if found is None:
            return None
        node = found[1]
    return found


def _line_end(text: str, index: int) -> int:
    """The index just after the line holding `index` (or where a block scalar already ended)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    end = text.find("\n", index)
    return len(text) if end == -1 else end + 1


def _last_leaf_end(node: yaml.Node) -> int:
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value and not node.flow_style:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def scalar(value: str | dt.date) -> str:
    """A YAML scalar for a date or a string (JSON strings are YAML double-quoted scalars)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def set_value(text: str, path: Path_, value: str | dt.date) -> str:
    """Set a scalar at `path` (e.g. ("review", "next_review")), adding the key to its section if it is missing."""
    root = _compose(text)
    found = _find(root, path)
    if found is not None:
        _, node = found
        if not isinstance(node, yaml.ScalarNode):
            raise ValueError(f"{'.'.join(path)} is not a single value")
        return text[: node.start_mark.index] + scalar(value) + text[node.end_mark.index :]
    parent = _find(root, path[:-1])
    if parent is None or not isinstance(parent[1], yaml.MappingNode) or parent[1].flow_style:
        raise ValueError(f"cannot add {'.'.join(path)}: its section is missing")
    section = parent[1]
    indent = " " * section.value[0][0].start_mark.column
    at = _line_end(text, _last_leaf_end(section))
    line = f"{indent}{path[-1]}: {scalar(value)}\n"
    prefix = text[:at] if text[:at].endswith("\n") else text[:at] + "\n"
    return prefix + line + text[at:]


def append_history(text: str, date: dt.date, event: str, by: str) -> str:
    """Add an entry at the end of document.history, creating the list if there is none."""
    root = _compose(text)
    entry = f"date: {date.isoformat()}\n  event: {scalar(event)}\n  by: {scalar(by)}"
    found = _find(root, ("document", "history"))
    if found is not None and isinstance(found[1], yaml.SequenceNode) and not found[1].flow_style and found[1].value:
        history = found[1]
        dash = " " * history.start_mark.column
        at = _line_end(text, _last_leaf_end(history))
        lines = "".join(f"{dash}{'- ' if i == 0 else ''}{line}\n" for i, line in enumerate(entry.split("\n")))
        prefix = text[:at] if text[:at].endswith("\n") else text[:at] + "\n"
        return prefix + lines + text[at:]

    def block(indent: str, items: list[dict]) -> str:
        lines = []
        for item in [*items, {"date": date.isoformat(), "event": event, "by": by}]:
            lines.append(f"{indent}  - date: {item['date']}\n")
            lines.append(f"{indent}    event: {scalar(str(item['event']))}\n")
            if item.get("by"):
                lines.append(f"{indent}    by: {scalar(str(item['by']))}\n")
        return "".join(lines)

    if found is not None:  # an empty or flow-style list: write it out again as a block, with the new entry
        key_node, value_node = found
        items = node_data(value_node, "draft") or []
        indent = " " * key_node.start_mark.column
        rest = text[_line_end(text, value_node.end_mark.index) :]
        return text[: value_node.start_mark.index].rstrip(" ") + "\n" + block(indent, items) + rest
    document = _find(root, ("document",))
    if document is None or not isinstance(document[1], yaml.MappingNode) or document[1].flow_style:
        raise ValueError("the file has no document section")
    indent = " " * document[1].value[0][0].start_mark.column
    at = _line_end(text, _last_leaf_end(document[1]))
    prefix = text[:at] if text[:at].endswith("\n") else text[:at] + "\n"
    return prefix + f"{indent}history:\n" + block(indent, []) + text[at:]
