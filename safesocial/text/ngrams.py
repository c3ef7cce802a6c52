"""Words, word pairs and four-letter pieces of a text, hashed into a fixed number of buckets: the features of the
linear heads that sit beside the sentence embeddings.

    from safesocial.text.ngrams import buckets
    buckets("Use code SCHOOL10 for 10% off")   # sorted bucket numbers, one per distinct feature

The embedder reads meaning but smooths over the one word that matters ("code", "allergy", "estate", "sod"); these
features keep it. Hashing (crc32, the same on every machine and Python) needs no vocabulary file, and the weights
are one row of BUCKETS numbers per head. Pure Python and numpy, as at run time.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Sequence

import numpy as np

BUCKETS = 2**16
TOKEN = re.compile(r"[a-z0-9£%'\u2019]+|[^\sa-z0-9]")
SPACES = re.compile(r"\s+")


def features(text: str) -> set[str]:
    lower = text.lower()
    words = TOKEN.findall(lower)
    found = set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}
    padded = f" {SPACES.sub(' ', lower)} "
    found |= {"#" + padded[i : i + 4] for i in range(len(padded) - 3)}
    return found


def buckets(text: str) -> np.ndarray:
    return np.unique(np.fromiter((zlib.crc32(f.encode()) % BUCKETS for f in features(text)), dtype=np.int64))


def logits(texts: Sequence[str], W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(len(texts), heads): each text's features, weighted equally with unit length, times each head's weights."""
    out = np.empty((len(texts), len(b)), dtype=np.float64)
    for i, text in enumerate(texts):
        columns = buckets(text)
        out[i] = W[:, columns].astype(np.float64).sum(axis=1) / max(np.sqrt(len(columns)), 1.0) + b
    return out


def matrix(texts: Sequence[str]):
    """For training: a scipy sparse matrix of the same features (rows of unit length)."""
    import scipy.sparse as sp

    rows, columns = [], []
    for i, text in enumerate(texts):
        found = buckets(text)
        rows.append(np.full(len(found), i))
        columns.append(found)
    r, c = np.concatenate(rows or [np.zeros(0)]), np.concatenate(columns or [np.zeros(0)])
    values = np.repeat([1 / max(np.sqrt(len(x)), 1.0) for x in columns], [len(x) for x in columns])
    return sp.csr_matrix((values, (r, c)), shape=(len(texts), BUCKETS))
