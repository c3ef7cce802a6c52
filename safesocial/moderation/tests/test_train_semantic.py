"""The semantic heads' training: every category fitted at once gives each the head it would get alone."""

from __future__ import annotations

import numpy as np

from safesocial.moderation.training.train_semantic import fit_heads_together


def test_heads_fitted_together_equal_each_head_fitted_alone_on_its_own_rows():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(600, 16)).astype(np.float32)
    Y = (X[:, :3] + rng.normal(scale=0.5, size=(600, 3)) > 0.4).astype(np.float32)
    weights = rng.random((600, 3))
    weights[:200, 1] = 0.0  # the second head leaves out the first 200 rows
    W, b = fit_heads_together(X, Y, weights, steps=150)
    for head, rows in ((0, slice(None)), (1, slice(200, None)), (2, slice(None))):
        alone = slice(head, head + 1)
        theta, bias = fit_heads_together(X[rows], Y[rows, alone], weights[rows, alone], steps=150)
        np.testing.assert_allclose(W[head], theta[0], atol=1e-4)
        assert abs(b[head] - bias[0]) < 1e-4
    # and the heads learned something: each separates its own positives
    scores = X @ W.T + b
    assert all(scores[Y[:, h] == 1, h].mean() > scores[Y[:, h] == 0, h].mean() + 1 for h in range(3))
