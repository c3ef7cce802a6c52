"""The shipped sentence encoder (safesocial/text/model/encoder.int8.onnx, fine-tuned by
training/finetune_encoder.py): the file is the one its provenance names, it reads text as it did when it was
recorded (the heads in model/ were trained on exactly these vectors, so a changed or damaged file must fail here,
not quietly misjudge comments), and it puts disclosures near each other."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import yaml

from safesocial.text import embedder
from safesocial.text.heads import MODEL_DIR
from safesocial.text.semantic_comments import for_embedding

# The first 16 components of each sentence's vector, as the shipped file gave them when it was written (int8
# products can differ in the last digits between CPUs, hence the tolerance; another model is off by far more).
RECORDED = {
    "Please take the photo of my son down, we are in a refuge and his father must not find us": [
        -0.0610, 0.0946, -0.0445, -0.0273, 0.0701, -0.0059, -0.0573, -0.1436,
        -0.0043, -0.0930, 0.0194, 0.0091, -0.0060, -0.0084, 0.0496, -0.0532,
    ],
    "Well done Year 6, what a brilliant sports day!": [
        -0.0134, 0.0438, 0.0215, -0.0322, -0.0061, 0.0522, -0.0366, -0.0370,
        -0.0046, -0.0070, -0.0139, 0.1129, -0.0667, 0.0194, 0.0257, -0.0210,
    ],
    "Use code TEACH10 for 10% off at my candle shop": [
        -0.0656, 0.0037, -0.1006, -0.0163, 0.0335, 0.0495, -0.0007, 0.0048,
        -0.0647, -0.0056, 0.0483, 0.1095, 0.0105, 0.0147, 0.0584, 0.0255,
    ],
}  # fmt: skip
TOLERANCE = 0.01
DATA = Path(__file__).resolve().parents[1] / "data"


def test_the_shipped_encoder_is_the_file_its_provenance_names():
    provenance = json.loads((MODEL_DIR / "encoder.json").read_text(encoding="utf-8"))
    digest = hashlib.sha256((MODEL_DIR / provenance["file"]).read_bytes()).hexdigest()
    assert digest == provenance["sha256"]
    assert provenance["licence"] == "Apache-2.0"
    assert embedder.model_path() == MODEL_DIR / provenance["file"]


def test_the_shipped_encoder_gives_the_recorded_embeddings():
    vectors = embedder.embed(list(RECORDED))
    for vector, (sentence, recorded) in zip(vectors, RECORDED.items(), strict=True):
        assert np.abs(vector[: len(recorded)] - np.array(recorded)).max() < TOLERANCE, sentence
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4


def test_disclosures_lie_nearer_another_disclosure_than_any_ordinary_comment():
    """What the comment heads' nearest-neighbour memory relies on: the closest comment to a disclosure is another
    disclosure. Two writers' sets, forty of each (the fine-tuned encoder: 0.97 and 0.95 of the disclosures; the
    frozen one managed 0.70 and 0.83)."""
    for name in ("comments_w6.yaml", "comments_w9.yaml"):
        rows = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        disclosures = [for_embedding(r["text"]) for r in rows if r["label"] == "safeguarding"][:40]
        ordinary = [for_embedding(r["text"]) for r in rows if r["label"] == "none"][:40]
        vectors = embedder.embed(disclosures + ordinary)
        d, o = vectors[: len(disclosures)], vectors[len(disclosures) :]
        among = d @ d.T - 2 * np.eye(len(d))
        nearer = among.max(axis=1) > (d @ o.T).max(axis=1)
        assert nearer.mean() >= 0.9, name


def test_a_text_gets_the_same_vector_whatever_it_is_read_with():
    """The int8 model scales a call's activations together, so the embedder reads every text alone: a comment's
    vector, and so its decision, must not depend on the other comments in its batch."""
    texts = [*RECORDED, "ok", "A much longer comment about the Christmas fair, the raffle and the tombola stall."]
    together = embedder.embed(texts)
    for i, text in enumerate(texts):
        assert np.array_equal(embedder.embed([text])[0], together[i]), text


def test_the_run_time_reads_the_encoder_without_torch():
    code = "import sys; from safesocial.text import embedder; embedder.embed(['hello']); print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
