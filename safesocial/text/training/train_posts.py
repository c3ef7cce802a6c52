"""Train the post heads of semantic_posts.py and choose their cuts leaving one writer out.

    .venv/bin/python -m safesocial.text.training.train_posts          # train, report, write model/posts.*
    .venv/bin/python -m safesocial.text.training.train_posts --dry-run

    .venv/bin/python -m safesocial.text.training.train_posts --cache /tmp/posts-cache.npz              # keep the fits
    .venv/bin/python -m safesocial.text.training.train_posts --cache /tmp/posts-cache.npz --cuts-only  # new rules

Takes about 15 minutes on two busy cores (longer when they are shared): embedding ~7,000 posts and sentences once,
then 11 fits of every head. With --cache, the embeddings and fits are kept; after a change of rules alone,
--cuts-only reads them back and chooses the cuts again in a minute or two.

Data: every writer's posts in safesocial/text/data/posts_w*.yaml (independent writers who saw neither the rules nor
each other's files; a writer whose posts are still arriving in parts, posts_w10.part1.yaml ..., counts as one) and
the labelled cases of safesocial/publishing/tests/text_cases.yaml. Never the blind set in benchmarks/blind/.

Model: per category, and one more head ("any") for "this post breaks the policy somehow", two linear heads: one
over the sentence embedding, one over hashed words, word pairs and four-letter pieces (ngrams.py). A head's score is
MIX x the embedding head's probability + (1 - MIX) x the n-gram head's, and a post's score the best of the whole
post and each sentence, exactly as semantic_posts.read scores at run time.

Cuts: leave one writer out. For each writer, every head is trained on all the other writers (and the cases) and
scores that writer's posts, so every post is scored by a model that never saw its writer, which is what a new
school's staff are. The fine-tuned encoder, though, learnt from some writers' labelled posts (model/encoder.json),
and reads those more surely than a new school's; so the cuts are chosen on the writers it never saw (when there
are two or more; else on every writer). On their scores the flag cuts are lowered greedily, one head at a time,
for as long as the rules and all heads together flag at most TARGET_FALSE of good ("ok") posts (cuts_for); MIX is
chosen the same way. Per held-out writer it prints problem posts flagged, good posts flagged and each category's
recall, and for each writer the cuts were chosen on, those figures with cuts chosen without it. Then every head is
refitted on all the data and written with its cuts and these figures.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from safesocial.text import heads as heads_module
from safesocial.text import ngrams, rules, semantic_posts
from safesocial.text.embedder import embed, model_path
from safesocial.text.training import calibration_writers, encoder_writers

TEXT = Path(__file__).resolve().parents[1]
DATA_DIR = TEXT / "data"
WRITER = re.compile(r"posts_(w\d+)(\.part\d+)?\.yaml$")


def writer_files(directory: Path = DATA_DIR) -> dict[str, list[Path]]:
    """Each writer's files, in writer order: posts_w8.yaml, or while a writer's posts are still arriving
    posts_w8.part1.yaml, posts_w8.part2.yaml ... (the parts are ignored once the whole file is there)."""
    found: dict[str, dict[bool, list[Path]]] = {}
    for path in sorted(directory.glob("posts_w*.yaml")):
        if match := WRITER.match(path.name):
            found.setdefault(match[1], {True: [], False: []})[match[2] is None].append(path)
    return {writer: files[True] or files[False] for writer, files in sorted(found.items(), key=lambda w: int(w[0][1:]))}


DATA = [path for paths in writer_files().values() for path in paths]
CASES = TEXT.parents[0] / "publishing" / "tests" / "text_cases.yaml"
# Of good posts flagged, out of writer, on the writers the encoder never saw: headroom under the issue's 10%. With
# cuts chosen on two of w12, w14, w16 and scored on the third, 0.06 gave 0.09-0.10 of good posts flagged (0.08 with
# cuts chosen on every writer, as before, gave 0.12-0.15).
TARGET_FALSE = 0.06
ISSUE_FALSE = 0.10  # issue 13: at most this share of good posts flagged on writers the model never saw
FOLDS = 5
L2_EMBEDDING = 1e-4  # chosen among 1e-5, 1e-4, 1e-3 leaving one writer out (posts w1-w10)
L2_NGRAMS = 3e-5  # chosen among 3e-5, 1e-4, 1e-3 the same way
MIXES = (0.3, 0.5)  # the embedding head's share of a head's score; the n-gram heads ranked better alone
SEED = 13
# text_cases.yaml names checks; the data names categories. Contact details and register names are the rules' alone.
CASE_LABEL = {
    rules.OFFENSIVE: "language",
    rules.POLITICAL: "politics",
    rules.PERSONAL_VIEW: "personal_view",
    rules.BEHAVIOUR: "behaviour",
    rules.COMMERCIAL: "commercial",
}


def load() -> tuple[list[str], list[set[str]], list[str]]:
    texts, labels, sources = [], [], []
    for path in DATA:
        for row in yaml.safe_load(path.read_text(encoding="utf-8")):
            texts.append(row["text"])
            labels.append(set() if row["label"] == "ok" else {row["label"]})
            sources.append(path.name)
    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]
    for case in cases:
        expected = set(case["expect"])
        if expected - set(CASE_LABEL):
            continue
        texts.append(case["text"])
        labels.append({CASE_LABEL[c] for c in expected})
        sources.append(CASES.name)
    return texts, labels, sources


def remembered(cache: Path | None, key: str, compute) -> dict[str, np.ndarray]:
    """compute()'s arrays, kept in the .npz `cache` (when given) and read back while `key` is the same."""
    if cache is not None and cache.exists():
        with np.load(cache) as saved:
            if str(saved["key"]) == key:
                return {name: saved[name] for name in saved.files if name != "key"}
    arrays = compute()
    if cache is not None:
        np.savez(cache, key=np.array(key), **arrays)
    return arrays


class Pieces:
    """Every post's embedding and its sentences', computed once and reused by every fold."""

    def __init__(self, texts: list[str], cache: Path | None = None):

        pieces, owner = [], []
        for i, text in enumerate(texts):
            pieces.append(text)
            owner.append(i)
            spans = semantic_posts.sentences(text)
            if len(spans) > 1:
                for start, end in spans:
                    pieces.append(text[start:end])
                    owner.append(i)
        self.texts = pieces
        self.encoder = encoder = hashlib.sha256(model_path().read_bytes()).hexdigest()
        self.key = hashlib.sha256("\0".join([encoder, *pieces]).encode()).hexdigest()
        # A piece's vector depends only on the piece and the encoder (each text is embedded alone): with a cache, a
        # run after new posts or cases embeds only those.
        known: dict[str, np.ndarray] = {}
        if cache is not None and cache.exists():
            with np.load(cache) as saved:
                if "encoder" in saved.files and str(saved["encoder"]) == encoder:
                    known = dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))
        missing = [piece for piece in dict.fromkeys(pieces) if piece not in known]
        if missing:
            known.update(zip(missing, embed(missing), strict=True))
            if cache is not None:
                np.savez(
                    cache,
                    encoder=np.array(encoder),
                    texts=np.array(list(known)),
                    vectors=np.array(list(known.values())),
                )
        self.vectors = np.array([known[piece] for piece in pieces])
        self.owner = np.array(owner)
        self.whole = self.vectors[np.r_[np.flatnonzero(np.diff(self.owner, prepend=-1))]]
        self._ngrams = None

    @classmethod
    def owners_only(cls, texts: list[str]) -> Pieces:
        """Which post each piece belongs to, and nothing embedded: enough to read cached scores."""
        owner: list[int] = []
        for i, text in enumerate(texts):
            spans = semantic_posts.sentences(text)
            owner += [i] * (1 + (len(spans) if len(spans) > 1 else 0))
        pieces = cls.__new__(cls)
        pieces.owner = np.array(owner)
        return pieces

    @property
    def ngrams(self):
        """The pieces' hashed n-grams (a sparse matrix), built on first use."""
        if self._ngrams is None:
            self._ngrams = ngrams.matrix(self.texts)
        return self._ngrams

    @property
    def first(self) -> np.ndarray:
        """Each post's own piece (the whole post)."""
        return np.flatnonzero(np.diff(self.owner, prepend=-1))

    def best(self, heads: heads_module.Heads, rows: np.ndarray) -> np.ndarray:
        """As semantic_posts.read: per post, the highest score of the post and its sentences."""
        probabilities = heads.scores(self.vectors)
        out = np.zeros((len(rows), len(heads.categories)))
        position = {r: i for i, r in enumerate(rows)}
        for piece, post in enumerate(self.owner):
            if post in position:
                out[position[post]] = np.maximum(out[position[post]], probabilities[piece])
        return out


def matrix(labels: list[set[str]]) -> np.ndarray:
    return np.array([[label in row for label in semantic_posts.LABELS] for row in labels], dtype=np.float64)


def out_of_fold(pieces: Pieces, Y: np.ndarray, l2: float) -> np.ndarray:
    rng = np.random.default_rng(SEED)
    fold = rng.permutation(len(Y)) % FOLDS
    scores = np.zeros_like(Y)
    for k in range(FOLDS):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        heads = heads_module.fit(pieces.whole[train], Y[train], semantic_posts.LABELS, l2=l2)
        scores[test] = pieces.best(heads, test)
    return scores


def cuts_for(scores: np.ndarray, Y: np.ndarray, rule_flags: np.ndarray) -> tuple[dict, int]:
    """Greedy: start with every head silent; again and again lower the one head's cut (to the score of a post of its
    own category that nothing flags yet) that newly flags the most posts of its own category ("any": every problem
    post) per good post newly flagged, while the rules and heads together flag at most TARGET_FALSE of good posts.
    Counting a head's own category only keeps a finding's reason right: a low "confidential" cut that also catches
    posts about a pupil's asthma would tell the reviewer the wrong thing (as many problem posts flagged, leaving one
    writer out)."""
    good = Y.sum(axis=1) == 0
    k = scores.shape[1]
    flag = scores.max(axis=0) + 1.0
    budget = int(np.floor(TARGET_FALSE * good.sum()))
    steps = 0
    while True:
        flagged = rule_flags | (scores >= flag).any(axis=1)
        false_now = int(flagged[good].sum())
        best = None
        for j in range(k):
            # Only posts nothing flags yet: a head whose surest posts the rules already catch ("use code SCHOOL10")
            # must still be able to step down to the ones they miss.
            lower = scores[(Y[:, j] == 1) & (scores[:, j] < flag[j]) & ~flagged, j]
            if not len(lower):
                continue
            # Look a few positives ahead, so a head can step past one good post that scores high.
            for cut in np.sort(lower)[::-1][:5]:
                trial = flagged | (scores[:, j] >= cut)
                gain = int((trial & ~flagged & (Y[:, j] == 1)).sum())
                cost = int(trial[good].sum()) - false_now
                if gain <= 0 or false_now + cost > budget:
                    continue
                value = gain / (cost + 0.5)
                if best is None or value > best[0]:
                    best = (value, j, cut)
        if best is None:
            break
        flag[best[1]] = best[2]
        steps += 1
    names = semantic_posts.HEADS if k == len(semantic_posts.HEADS) else semantic_posts.LABELS
    cuts = {label: {"flag": round(float(f) - 1e-6, 6)} for label, f in zip(names, flag, strict=True)}
    return cuts, steps


def report(texts, labels, scores, cuts, rule_checks) -> dict:
    """Flagged rates per category, before (the rules alone) and after (rules and heads), out of fold."""
    flag = np.array([cuts[label]["flag"] for label in semantic_posts.LABELS])
    semantic = scores >= flag
    by_label: dict[str, Counter] = {}
    for i, row in enumerate(labels):
        for label in row or {"ok"}:
            c = by_label.setdefault(label, Counter())
            c["n"] += 1
            c["before"] += bool(rule_checks[i])
            c["after"] += bool(rule_checks[i]) or bool(semantic[i].any())
            if label != "ok":
                check = semantic_posts.LABEL_CHECK[label]
                k = semantic_posts.LABELS.index(label)
                c["right_check_after"] += check in rule_checks[i] or bool(semantic[i, k])
    figures = {
        label: {
            "posts": c["n"],
            "flagged_before": round(c["before"] / c["n"], 3),
            "flagged_after": round(c["after"] / c["n"], 3),
            **({"right_check_after": round(c["right_check_after"] / c["n"], 3)} if label != "ok" else {}),
        }
        for label, c in sorted(by_label.items())
    }
    problem = [i for i, row in enumerate(labels) if row]
    good = [i for i, row in enumerate(labels) if not row]
    for name, rows in (("all problem posts", problem), ("all good posts", good)):
        figures[name] = {
            "posts": len(rows),
            "flagged_before": round(float(np.mean([bool(rule_checks[i]) for i in rows])), 3),
            "flagged_after": round(float(np.mean([bool(rule_checks[i]) or semantic[i].any() for i in rows])), 3),
        }
    return figures


def writer_of(source: str) -> str:
    """w8 for posts_w8.yaml and posts_w8.part2.yaml; the cases file keeps its name (trained on, never held out)."""
    match = WRITER.match(source)
    return match[1] if match else source


def targets(labels: list[set[str]]) -> np.ndarray:
    """One column per category and a last one, "any", for every problem post."""
    Y = matrix(labels)
    return np.column_stack([Y, Y.max(axis=1)])


def fit_ngrams(X, Y: np.ndarray, l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Every head's L2-regularised logistic regression over the sparse n-grams at once (L-BFGS), each category's
    positives and negatives weighing the same in total, as heads.fit does for the embeddings."""
    import scipy.optimize

    n, k = Y.shape
    d = X.shape[1]
    pos = Y.sum(axis=0).clip(1)
    weights = np.where(Y == 1, n / (2 * pos), n / (2 * (n - pos).clip(1)))

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        W, b = theta[: d * k].reshape(d, k), theta[d * k :]
        Z = X @ W + b
        P = 1 / (1 + np.exp(-Z))
        value = float((weights * (np.logaddexp(0, Z) - Y * Z)).sum() / n + l2 / 2 * (W * W).sum())
        G = weights * (P - Y) / n
        return value, np.concatenate([(X.T @ G + l2 * W).ravel(), G.sum(axis=0)])

    result = scipy.optimize.minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": 200})
    return result.x[: d * k].reshape(d, k).T.astype(np.float32), result.x[d * k :].astype(np.float32)


def fit_model(pieces: Pieces, Y: np.ndarray, rows: np.ndarray) -> tuple[heads_module.Heads, np.ndarray, np.ndarray]:
    """Both kinds of head, trained on the whole posts `rows`."""
    embedding = heads_module.fit(pieces.whole[rows], Y[rows], semantic_posts.HEADS, l2=L2_EMBEDDING)
    W, b = fit_ngrams(pieces.ngrams[pieces.first[rows]], Y[rows], L2_NGRAMS)
    return embedding, W, b


def piece_probabilities(pieces: Pieces, model, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    embedding, W, b = model
    n_logits = pieces.ngrams[which] @ W.T.astype(np.float64) + b
    return embedding.scores(pieces.vectors[which]), 1 / (1 + np.exp(-n_logits))


def leave_one_writer_out(pieces: Pieces, Y: np.ndarray, writers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per piece, both heads' probabilities from a model trained without that piece's writer (the cases file's
    pieces stay zero: it is always in training)."""
    k = Y.shape[1]
    by_embedding = np.zeros((len(pieces.owner), k))
    by_ngrams = np.zeros((len(pieces.owner), k))
    for writer in dict.fromkeys(writers):
        if not writer.startswith("w"):
            continue
        model = fit_model(pieces, Y, np.flatnonzero(writers != writer))
        which = np.flatnonzero(writers[pieces.owner] == writer)
        by_embedding[which], by_ngrams[which] = piece_probabilities(pieces, model, which)
        print(f"  trained without {writer}", flush=True)
    return by_embedding, by_ngrams


def mixed(pieces: Pieces, by_embedding: np.ndarray, by_ngrams: np.ndarray, mix: float) -> np.ndarray:
    """Per post, the best over its pieces of the mixed probability, as semantic_posts.read."""
    out = np.zeros((pieces.owner.max() + 1, by_embedding.shape[1]))
    np.maximum.at(out, pieces.owner, mix * by_embedding + (1 - mix) * by_ngrams)
    return out


def category_of(scores: np.ndarray, cuts: dict) -> str:
    """The category an "any" finding is reported as: the one whose score is nearest its own cut."""
    ratios = [scores[k] / max(cuts[label]["flag"], 1e-6) for k, label in enumerate(semantic_posts.LABELS)]
    return semantic_posts.LABELS[int(np.argmax(ratios))]


def writer_report(labels, scores, cuts, rule_checks, writers) -> dict:
    """Per held-out writer: problem posts flagged, good posts flagged, each category's recall (rules and heads)."""
    flag = np.array([cuts[label]["flag"] for label in semantic_posts.HEADS])
    fired = scores >= flag
    out: dict = {}
    for writer in dict.fromkeys(writers):
        if not writer.startswith("w"):
            continue
        rows = np.flatnonzero(writers == writer)
        flagged = np.array([bool(rule_checks[i]) or fired[i].any() for i in rows])
        problem = np.array([bool(labels[i]) for i in rows])
        per_category: dict[str, list[int]] = {}
        for i, hit in zip(rows, flagged, strict=True):
            for label in labels[i]:
                check = semantic_posts.LABEL_CHECK[label]
                named = {semantic_posts.LABEL_CHECK[semantic_posts.LABELS[k]] for k in np.flatnonzero(fired[i, :-1])}
                if fired[i, -1]:
                    named.add(semantic_posts.LABEL_CHECK[category_of(scores[i], cuts)])
                right = check in rule_checks[i] or check in named
                counts = per_category.setdefault(label, [0, 0, 0])
                counts[0] += 1
                counts[1] += int(hit)
                counts[2] += int(right)
        out[writer] = {
            "problem_posts": int(problem.sum()),
            "problem_flagged": round(float(flagged[problem].mean()), 3),
            "good_posts": int((~problem).sum()),
            "good_flagged": round(float(flagged[~problem].mean()), 3),
            "recall": {label: round(c[1] / c[0], 2) for label, c in sorted(per_category.items())},
            "right_check": {label: round(c[2] / c[0], 2) for label, c in sorted(per_category.items())},
        }
    return out


def cuts_chosen_without(scores, Y, rule_flags, writers, among: list[str]) -> dict:
    """Each writer of `among` flagged with cuts chosen on the others of `among` alone: out of writer for the cuts
    too, not only for the heads (an honest figure for a new school, a little below what the shipped cuts reach)."""
    out = {}
    every_flagged, every_problem = [], []
    for writer in among:
        chosen_on = np.flatnonzero(np.isin(writers, [w for w in among if w != writer]))
        cuts, _ = cuts_for(scores[chosen_on], Y[chosen_on], rule_flags[chosen_on])
        rows = np.flatnonzero(writers == writer)
        flag = np.array([cuts[label]["flag"] for label in semantic_posts.HEADS])
        flagged = rule_flags[rows] | (scores[rows] >= flag).any(axis=1)
        problem = Y[rows, -1] == 1
        every_flagged.append(flagged)
        every_problem.append(problem)
        out[writer] = {
            "problem_flagged": round(float(flagged[problem].mean()), 3),
            "good_flagged": round(float(flagged[~problem].mean()), 3),
        }
    flagged, problem = np.concatenate(every_flagged), np.concatenate(every_problem)
    out["pooled"] = {
        "problem_flagged": round(float(flagged[problem].mean()), 3),
        "good_flagged": round(float(flagged[~problem].mean()), 3),
    }
    return out


def print_writers(figures: dict) -> None:
    labels = sorted(next(iter(figures.values()))["recall"])
    print("  writer  problem  good   " + " ".join(f"{label[:6]:>6}" for label in labels))
    for writer, f in figures.items():
        print(
            f"  {writer:<6} {f['problem_flagged']:>7.2f} {f['good_flagged']:>5.2f}   "
            + " ".join(f"{f['recall'].get(label, float('nan')):>6.2f}" for label in labels)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
    parser.add_argument(
        "--cache",
        type=Path,
        help="an .npz to keep the embeddings in (and beside it the heads' fits), reused while the posts, the encoder "
        "and the fitting are the same",
    )
    parser.add_argument(
        "--cuts-only",
        action="store_true",
        help="with --cache, after a change of rules: keep the heads the last run fitted and cached (and the data "
        "they were fitted on), choose only the cuts again with today's rules; refuses if the writers' posts changed",
    )
    args = parser.parse_args(argv)
    if args.cuts_only and args.cache is None:
        parser.error("--cuts-only needs --cache")
    texts, labels, sources = load()
    writers = np.array([writer_of(source) for source in sources])
    print(f"{len(texts)} posts: " + ", ".join(f"{k} {v}" for k, v in Counter(writers.tolist()).items()), flush=True)
    Y = targets(labels)
    held = np.flatnonzero(np.char.startswith(writers.astype(str), "w"))
    assert (held == np.arange(len(held))).all(), "load() reads the writers' posts before the cases"
    # The cuts are chosen on the writers' posts alone (the cases are always trained on, never scored out of writer).
    writers_key = hashlib.sha256(
        "\0".join([texts[i] for i in held] + writers[held].tolist()).encode() + Y[held].tobytes()
    ).hexdigest()
    cache = {name: args.cache and args.cache.with_suffix(f".{name}.npz") for name in ("lowo", "fit")}
    if args.cuts_only:
        # The writers' posts come first (load), and so do their pieces: the heads' scores of those are all the cuts
        # need. The heads and their data stay as the last full run left them.
        if not (cache["lowo"].exists() and cache["fit"].exists()):
            sys.exit(f"no fits cached beside {args.cache}: run once without --cuts-only")
        with np.load(cache["lowo"]) as saved, np.load(cache["fit"]) as fit:
            encoder = hashlib.sha256(model_path().read_bytes()).hexdigest()
            if (
                str(saved["writers_key"]) != writers_key
                or str(fit["key"]) != str(saved["key"])
                or "encoder" not in saved.files
                or str(saved["encoder"]) != encoder
            ):
                sys.exit(
                    "the writers' posts, the encoder or the fits changed since the cached run: run without --cuts-only"
                )
            scored, fitted = dict(saved), dict(fit)
        texts, labels, sources, writers, Y = (
            texts[: len(held)],
            labels[: len(held)],
            sources[: len(held)],
            writers[held],
            Y[held],
        )
        pieces = Pieces.owners_only(texts)
        n = len(pieces.owner)
        by_embedding, by_ngrams = scored["by_embedding"][:n], scored["by_ngrams"][:n]
        data = json.loads(str(fitted["data"]))
    else:
        pieces = Pieces(texts, args.cache)
        # The heads' scores depend on the posts, their labels and writers and the fitting code, never on the rules:
        # a run after a change of rules alone reuses them and only chooses the cuts again.
        recipe = [inspect.getsource(f) for f in (heads_module.fit, fit_ngrams, fit_model, leave_one_writer_out)]
        fits_key = hashlib.sha256(
            "\0".join([pieces.key, repr((L2_EMBEDDING, L2_NGRAMS)), *recipe, inspect.getsource(ngrams)]).encode()
            + Y.tobytes()
            + "\0".join(writers.tolist()).encode()
        ).hexdigest()

        def lowo() -> dict[str, np.ndarray]:
            by_embedding, by_ngrams = leave_one_writer_out(pieces, Y, writers)
            return {
                "by_embedding": by_embedding,
                "by_ngrams": by_ngrams,
                "writers_key": np.array(writers_key),
                "encoder": np.array(pieces.encoder),
            }

        scored = remembered(cache["lowo"], fits_key, lowo)
        by_embedding, by_ngrams = scored["by_embedding"], scored["by_ngrams"]
        data = {name: count for name, count in sorted(Counter(sources).items())}
    # The rules run without a register, as on data that names no school.
    rule_checks = [{f.check for f in rules.check_text(t) if f.severity in ("warn", "block")} for t in texts]
    rule_flags = np.array([bool(c) for c in rule_checks])
    cut_on = calibration_writers("posts", writers[held].tolist())
    unseen_only = not set(cut_on) & encoder_writers("posts")
    print(f"cuts chosen on {', '.join(cut_on)}" + (" (writers the encoder never saw)" if unseen_only else ""))
    candidates = []
    for mix in MIXES:
        scores = mixed(pieces, by_embedding, by_ngrams, mix)
        rows = np.flatnonzero(np.isin(writers, cut_on))
        cuts, steps = cuts_for(scores[rows], Y[rows], rule_flags[rows])
        figures = writer_report(labels, scores, cuts, rule_checks, writers)
        flag = np.array([cuts[label]["flag"] for label in semantic_posts.HEADS])
        flagged = rule_flags[rows] | (scores[rows] >= flag).any(axis=1)
        problem = Y[rows, -1] == 1
        recall, false = float(flagged[problem].mean()), float(flagged[~problem].mean())
        unseen = cuts_chosen_without(scores, Y, rule_flags, writers, cut_on)
        print(
            f"mix {mix:g}: {steps} greedy steps, problem posts flagged {recall:.3f}, good posts flagged {false:.3f}; "
            f"with cuts chosen without the writer {unseen['pooled']['problem_flagged']:.3f}, "
            f"{unseen['pooled']['good_flagged']:.3f}"
        )
        pooled = {"problem_flagged": round(recall, 3), "good_flagged": round(false, 3)}
        candidates.append((mix, cuts, figures, pooled, unseen))

    def merit(candidate: tuple) -> tuple[bool, float]:
        # The issue's target, on writers whose posts chose no cut: at most 10% of good posts flagged, then the most
        # problem posts flagged less good posts flagged (the cuts' own pooled figures are equal by design, and two
        # or three posts either way are noise).
        out_of_writer = candidate[4]["pooled"]
        within = out_of_writer["good_flagged"] <= ISSUE_FALSE
        return within, out_of_writer["problem_flagged"] - out_of_writer["good_flagged"]

    mix, cuts, figures, pooled, unseen = max(candidates, key=merit)
    print(f"\nchosen mix {mix:g}; leaving one writer out, per held-out writer (rules and heads; recall per category):")
    print_writers(figures)
    print(
        "and each of "
        + ", ".join(cut_on)
        + " flagged with cuts chosen without it (problem posts, good posts): "
        + ", ".join(f"{w} {f['problem_flagged']:.2f} / {f['good_flagged']:.2f}" for w, f in unseen.items())
    )
    if args.dry_run:
        return 0

    def fit_all() -> dict[str, np.ndarray]:
        embedding, W, b = fit_model(pieces, Y, np.arange(len(texts)))
        return {
            "embedding_W": embedding.W,
            "embedding_b": embedding.b,
            "W": W,
            "b": b,
            "data": np.array(json.dumps(data)),
        }

    if not args.cuts_only:
        fitted = remembered(cache["fit"], fits_key, fit_all)
    embedding = heads_module.Heads(semantic_posts.HEADS, fitted["embedding_W"], fitted["embedding_b"])
    W, b = fitted["W"], fitted["b"]
    meta = {
        "cuts": cuts,
        "mix": mix,
        "l2": {"embedding": L2_EMBEDDING, "ngrams": L2_NGRAMS},
        "data": data,
        "writers": sorted({w for w in writers.tolist() if w.startswith("w")}, key=lambda w: int(w[1:])),
        "leave_one_writer_out": {"pooled": pooled, "writers": figures, "cuts_chosen_on": cut_on},
        "cuts_chosen_without_the_writer": unseen,
        "target_false": TARGET_FALSE,
        "embedder": "all-MiniLM-L6-v2 fine-tuned for school text (model/encoder.json), int8 ONNX, mean-pooled, "
        "L2-normalised",
        "ngrams": f"crc32 of words, word pairs and four-letter pieces into {ngrams.BUCKETS} buckets",
    }
    heads_module.Heads(embedding.categories, embedding.W, embedding.b, meta).save(semantic_posts.MODEL_NAME)
    np.savez_compressed(heads_module.MODEL_DIR / f"{semantic_posts.MODEL_NAME}.ngrams.npz", W=W.astype(np.float16), b=b)
    print(f"wrote {heads_module.MODEL_DIR / semantic_posts.MODEL_NAME}.npz/.ngrams.npz/.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
