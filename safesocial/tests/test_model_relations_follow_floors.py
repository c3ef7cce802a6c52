"""The floors hold for model relations too: import-linter sees imports, but a ForeignKey or ManyToManyField named by a
string ("concerns.Concern") is an upward dependency it cannot see. A model on a lower floor names nothing above it,
nor a room beside it on the same floor (`|`); rooms joined by `:` may. The floors are read from pyproject.toml's
layers contract, the same list lint-imports checks (docs/architecture.md)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.apps import apps
from django.db import models

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _floors() -> list[list[list[str]]]:
    """Top floor first; each floor a list of rooms, each room the modules joined by `:`."""
    contracts = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if "layers" in c]
    return [[[m.strip() for m in room.split(":")] for room in floor.split("|")] for floor in layers]


FLOORS = _floors()


def _place(model: type[models.Model]) -> tuple[int, int] | None:
    """(floor, room) of the module that defines the model, by the longest name in the contract that holds it, or
    None for a model outside SafeSocial (Django's own)."""
    module = model.__module__
    if not module.startswith("safesocial."):
        return None
    name = module.removeprefix("safesocial.")
    best: tuple[int, tuple[int, int]] | None = None
    for floor, rooms in enumerate(FLOORS):
        for room, names in enumerate(rooms):
            for held in names:
                if (name == held or name.startswith(held + ".")) and (best is None or len(held) > best[0]):
                    best = (len(held), (floor, room))
    assert best is not None, f"{module} is on no floor of pyproject.toml's layers"
    return best[1]


def _label(model: type[models.Model]) -> str:
    return model._meta.label


def _relations() -> list[tuple[type[models.Model], str, type[models.Model]]]:
    """Every relation a model declares itself (not the reverse side Django adds to the model it points at)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields(include_hidden=True):
            if field.is_relation and not field.auto_created and field.related_model not in (None, "self"):
                found.append((model, field.name, field.related_model))
    return found


def test_every_safesocial_model_stands_on_a_floor_of_the_contract():
    placed = [_place(model) for model in apps.get_models() if model.__module__.startswith("safesocial.")]
    assert placed and all(place is not None for place in placed)


def test_no_model_relation_points_up_a_floor_or_across_to_a_room_beside_it():
    wrong = []
    for model, field, target in _relations():
        here, there = _place(model), _place(target)
        if here is None or there is None:
            continue
        if there[0] < here[0]:
            wrong.append(f"{_label(model)}.{field} -> {_label(target)}: up a floor")
        elif there[0] == here[0] and there[1] != here[1]:
            wrong.append(f"{_label(model)}.{field} -> {_label(target)}: a room beside it on the same floor")
    assert wrong == []


def test_the_check_sees_relations_named_by_a_string():
    """The test is only worth its name if it reads the relations Django resolved from strings: moderation's comments
    point to the channel ("channels.Channel"), a floor below, and the concern holds its comments."""
    relations = {(_label(model), field): _label(target) for model, field, target in _relations()}
    assert relations[("moderation.Comment", "channel")] == "channels.Channel"
    assert relations[("concerns.Concern", "comments")] == "moderation.Comment"
    assert _place(apps.get_model("concerns", "Concern"))[0] < _place(apps.get_model("moderation", "Comment"))[0]
