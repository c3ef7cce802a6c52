"""Sentence embeddings for reading meaning, on the CPU with no network and no torch.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) fine-tuned for school text by
safesocial/text/training/finetune_encoder.py and shipped as int8 ONNX in safesocial/text/model/encoder.int8.onnx
(its provenance in encoder.json beside it); its WordPiece tokenizer (`tokenizer.json`, the same model's, Apache-2.0)
is kept beside this file. Vectors are mean-pooled over the tokens and L2-normalised, exactly as sentence-transformers
does, so a logistic head trained on them (safesocial/text/heads.py) reads them the same way at run time. The heads in
safesocial/text/model/ were trained on this file's vectors: replace it only together with them.

The session is built once per process, on first use; `embed` may be called from several threads.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

DIM = 384
# The model was trained on at most 256 word pieces; longer texts are read as their first and last part.
MAX_TOKENS = 256
HERE = Path(__file__).parent


@cache
def _session(model: str | None = None):
    """The ONNX session and tokenizer for `model` (a path to an ONNX file taking input_ids, attention_mask and
    token_type_ids and giving last_hidden_state), or for the shipped model when None."""
    import onnxruntime as ort
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    # One thread per call: web workers and the moderate command run calls side by side; a second intra-op thread
    # per call only makes them fight over two cores.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model or model_path()), sess_options=options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(HERE / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return session, tokenizer


def model_path() -> Path:
    """The shipped encoder: all-MiniLM-L6-v2 fine-tuned for school text, int8."""
    return HERE.parent / "model" / "encoder.int8.onnx"


def _ids(encoding) -> list[int]:
    """The word pieces of one text, at most MAX_TOKENS: a long text keeps its opening and its ending, where
    people put what they mean (a greeting first, the point last)."""
    ids = encoding.ids
    if len(ids) <= MAX_TOKENS:
        return ids
    head = (MAX_TOKENS - 2) // 2
    tail = MAX_TOKENS - 2 - head
    return [ids[0], *ids[1 : 1 + head], *ids[-1 - tail : -1], ids[-1]]


def embed(texts: Sequence[str], *, model: Path | str | None = None) -> np.ndarray:
    """One unit-length vector (float32, DIM wide) per text; `model` another ONNX file of the same shape (training
    compares encoders with it), the shipped one when None.

    Each text is read in a call of its own: the int8 model quantises a call's activations with one scale for the
    whole call, so texts read together would change each other's vectors (by up to 2% in cosine), and a comment's
    decision would depend on what else arrived with it. Alone, a text always gets the same vector; and an int8 call
    for one short comment costs less than its share of a padded float32 batch did."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    session, tokenizer = _session(str(model) if model is not None else None)
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for i, encoding in enumerate(tokenizer.encode_batch([t or " " for t in texts])):
        ids = np.array([_ids(encoding)], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        (hidden,) = session.run(None, feed)
        pooled = hidden[0].mean(axis=0)
        out[i] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)
    return out
