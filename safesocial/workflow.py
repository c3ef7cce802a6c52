"""Workflows as transition tables (STYLE rule 4): each model's allowed moves are a table beside its status field in
its models.py, and `move` makes one move or refuses it, in the words the app chose. An app binds its table once:
`_move = partial(move, transitions=POST_TRANSITIONS, refusal="A post that is {now} cannot become {to}.")`."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.db import models

REFUSAL = "This is already {now}: it cannot change that way now."


def move(
    obj: models.Model,
    to: str,
    *,
    transitions: Mapping[str, Collection[str]],
    refusal: str = REFUSAL,
    field: str = "status",
) -> None:
    """Set `obj.<field>` to `to` if the table allows that move from where it is now, else refuse: in `refusal`,
    {now} and {to} are the two states' labels in lower case. The caller saves, with the rest of its change."""
    now = getattr(obj, field)
    if to not in transitions[now]:
        status = obj._meta.get_field(field)
        assert isinstance(status, models.Field)  # a status is a field of its own, not a relation
        labels = dict(status.flatchoices)
        raise ValidationError(refusal.format(now=str(labels.get(now, now)).lower(), to=str(labels.get(to, to)).lower()))
    setattr(obj, field, to)
