"""Offline training for the text layer (never imported at run time)."""

from __future__ import annotations

import json
import re

from safesocial.text.heads import MODEL_DIR


def encoder_writers(kind: str) -> set[str]:
    """The writers ("w12") of `kind` ("comments" or "posts") whose labelled texts the fine-tuned encoder learnt from
    (model/encoder.json's data). It reads their texts more surely than a new school's, so the heads' cuts are chosen
    on the writers it never saw (finetune_encoder.CALIBRATION keeps some out for that)."""
    path = MODEL_DIR / "encoder.json"
    data = json.loads(path.read_text(encoding="utf-8")).get("data", {}) if path.exists() else {}
    return {match[1] for name in data if (match := re.fullmatch(rf"{kind}_(w\d+)", name))}
