"""Offline training for the text layer (never imported at run time)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from safesocial.text.heads import MODEL_DIR


def encoder_writers(kind: str) -> set[str]:
    """The writers ("w12") of `kind` ("comments" or "posts") whose labelled texts the fine-tuned encoder learnt from
    (model/encoder.json's data). It reads their texts more surely than a new school's, so the heads' cuts are chosen
    on the writers it never saw (finetune_encoder.CALIBRATION keeps some out for that)."""
    path = MODEL_DIR / "encoder.json"
    data = json.loads(path.read_text(encoding="utf-8")).get("data", {}) if path.exists() else {}
    return {match[1] for name in data if (match := re.fullmatch(rf"{kind}_(w\d+)", name))}


def calibration_writers(kind: str, writers: Iterable[str]) -> list[str]:
    """Of `writers` ("w12" or "comments_w12"; in order, each once), those the heads' cuts are chosen on: the writers
    the encoder never learnt from, or every one of them when fewer than two are left."""
    writers = list(dict.fromkeys(writers))
    learnt = encoder_writers(kind)
    fresh = [w for w in writers if w.removeprefix(f"{kind}_") not in learnt]
    return fresh if len(fresh) >= 2 else writers
