"""Logistic heads over sentence embeddings: one weight vector per category, trained offline, read at run time.

A head file is an `.npz` (weights `W`: categories x DIM, biases `b`) beside a `.json` naming the categories in order,
with whatever the training script records (data, cuts, figures). Only numpy runs at request time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from safesocial.text.embedder import embed

MODEL_DIR = Path(__file__).parent / "model"


@dataclass(frozen=True)
class Heads:
    categories: tuple[str, ...]
    W: np.ndarray  # (len(categories), DIM)
    b: np.ndarray  # (len(categories),)
    meta: dict = field(default_factory=dict, compare=False)

    def scores(self, vectors: np.ndarray) -> np.ndarray:
        """Probabilities, one row per vector and one column per category."""
        return 1.0 / (1.0 + np.exp(-(vectors @ self.W.T + self.b)))

    def score_texts(self, texts: Sequence[str]) -> list[dict[str, float]]:
        probabilities = self.scores(embed(texts))
        return [dict(zip(self.categories, map(float, row), strict=True)) for row in probabilities]

    def save(self, name: str, directory: Path = MODEL_DIR) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / f"{name}.npz", W=self.W.astype(np.float32), b=self.b.astype(np.float32))
        meta = {"categories": list(self.categories), **self.meta}
        (directory / f"{name}.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@cache
def load(name: str, directory: Path = MODEL_DIR) -> Heads:
    meta = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    with np.load(directory / f"{name}.npz") as arrays:
        W, b = arrays["W"], arrays["b"]
    return Heads(tuple(meta.pop("categories")), W, b, meta)


def fit(
    vectors: np.ndarray,
    labels: np.ndarray,
    categories: Sequence[str],
    *,
    l2: float = 1e-3,
    balanced: bool = True,
    steps: int = 400,
) -> Heads:
    """One-vs-rest L2-regularised logistic regression by full-batch gradient descent with Adam (numpy only, so the
    training scripts need nothing the run time lacks). `labels` is (n, len(categories)) of 0/1. With `balanced`, each
    category's positives and negatives weigh the same in total, as rare categories (safeguarding) need."""
    n, dim = vectors.shape
    k = len(categories)
    Y = labels.astype(np.float64)
    X = vectors.astype(np.float64)
    if balanced:
        pos = Y.sum(axis=0).clip(1)
        neg = (n - Y.sum(axis=0)).clip(1)
        weights = np.where(Y == 1, n / (2 * pos), n / (2 * neg))
    else:
        weights = np.ones_like(Y)
    W = np.zeros((k, dim))
    b = np.zeros(k)
    m_W, v_W, m_b, v_b = np.zeros_like(W), np.zeros_like(W), np.zeros_like(b), np.zeros_like(b)
    rate, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        P = 1.0 / (1.0 + np.exp(-(X @ W.T + b)))
        G = (P - Y) * weights / n  # (n, k)
        grad_W = G.T @ X + l2 * W
        grad_b = G.sum(axis=0)
        m_W = beta1 * m_W + (1 - beta1) * grad_W
        v_W = beta2 * v_W + (1 - beta2) * grad_W**2
        m_b = beta1 * m_b + (1 - beta1) * grad_b
        v_b = beta2 * v_b + (1 - beta2) * grad_b**2
        correction1, correction2 = 1 - beta1**step, 1 - beta2**step
        W -= rate * (m_W / correction1) / (np.sqrt(v_W / correction2) + eps)
        b -= rate * (m_b / correction1) / (np.sqrt(v_b / correction2) + eps)
    return Heads(tuple(categories), W.astype(np.float32), b.astype(np.float32))
