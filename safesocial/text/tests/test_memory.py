"""The comment heads' memory (semantic_comments.Memory): each category's closest examples and counter-examples are the
closest ones, whether they lie among a comment's nearest memories or only further out (a rare category's)."""

from __future__ import annotations

import numpy as np

from safesocial.text.semantic_comments import NEAREST, NEIGHBOURS, Memory


def _every_memory_compared(memory: Memory, vectors: np.ndarray) -> np.ndarray:
    similarity = vectors @ memory.vectors.T
    out = np.zeros((len(vectors), memory.labels.shape[1]))
    for c in range(memory.labels.shape[1]):
        for sign, value in ((1.0, 1), (-1.0, 0)):
            chosen = np.sort(similarity[:, memory.labels[:, c] == value], axis=1)[:, -NEIGHBOURS:]
            if chosen.shape[1]:
                out[:, c] += sign * chosen.mean(axis=1)
    return out


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_margins_are_those_of_every_memory_compared():
    rng = np.random.default_rng(11)
    vectors = _unit(rng.normal(size=(3000, 24)))
    labels = np.full((3000, 4), -1, dtype=np.int8)
    labels[:, 0] = (rng.random(3000) < 0.5).astype(np.int8)  # common: found among the nearest
    labels[:, 1] = 0
    labels[rng.choice(3000, 5, replace=False), 1] = 1  # five examples: seldom among anyone's nearest
    labels[:1000, 2] = 0  # a third of the memories are counter-examples, the rest say nothing
    labels[:2, 3] = 1  # fewer examples than NEIGHBOURS, and no counter-example at all
    memory = Memory(vectors, labels)
    comments = _unit(rng.normal(size=(200, 24)))

    found = memory.margins(comments)

    np.testing.assert_allclose(found, _every_memory_compared(memory, comments), atol=1e-6)
    # the rare category was looked for beyond the nearest memories, not given up on
    assert NEAREST < 3000 and np.all(found[:, 1] != 0)


def test_a_memory_smaller_than_the_nearest_looked_at_is_read_whole():
    rng = np.random.default_rng(5)
    vectors = _unit(rng.normal(size=(10, 8)))
    labels = (rng.random((10, 2)) < 0.5).astype(np.int8)
    memory = Memory(vectors, labels)
    comments = _unit(rng.normal(size=(7, 8)))
    np.testing.assert_allclose(memory.margins(comments), _every_memory_compared(memory, comments), atol=1e-6)
    assert memory.margins(comments[:0]).shape == (0, 2)
