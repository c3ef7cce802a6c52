"""What a check found in a text: shared by post checks, comment moderation and anything else that reads words."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Literal["block", "warn"]
    reason: str  # in words a teacher understands
    start: int | None = None  # the span of text it is about, if any
    end: int | None = None

    @property
    def blocks(self) -> bool:
        return self.severity == "block"

    def as_dict(self) -> dict:
        return asdict(self)
