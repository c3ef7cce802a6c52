"""Train the linear model that ships inside SafeSocial, and write its artefact.

    .venv/bin/python -m safesocial.moderation.training.train            # writes safesocial/moderation/model/
    .venv/bin/python -m safesocial.moderation.training.train --check    # trains, compares with the shipped model

What it learns: three heads over the hashed features of features.py, each a logistic regression.

- abuse: positives are Davidson "hate" and "offensive", HateXplain "hatespeech" and "offensive", OLID "OFF";
  negatives are Davidson "neither", HateXplain "normal", OLID "NOT", plus the SMS and YouTube messages that are not
  spam and in which text/rules.py finds no swear word, slur or sexual term ("clean ham": ordinary chat).
- hate: positives are Davidson "hate", HateXplain "hatespeech", Reddit "Misogynistic"; negatives are the rest of
  those three sets (offensive but not hateful included) and the same clean ham.
- spam: positives are SMS and YouTube spam; negatives are their ham, plus every text of the four toxicity sets
  (tweets and Reddit posts are not spam).

Threats, commercial posts, donation requests, safeguarding disclosures, complaints, inflammatory comments and personal
information have no data set here: patterns.py and text/rules.py find them.

Weights: each labelled data set weighs the same in a head whatever its size, split evenly between its two classes,
so that no data set's base rate (Davidson's tweets are 83% offensive) is learned by common words like "the"; each
extra negative set weighs half a data set. The L2 penalty is chosen on the validation splits, and so is the cut:
the logit with the best mean F1 over the head's data sets among those that flag at most MAX_FALSE_ALARMS of the
clean ham (a school page is mostly thanks and questions). The score is then shifted so that this cut lands exactly
on the head's default threshold in thresholds.DEFAULT_THRESHOLDS. Splits are described in datasets.py; the test
splits are never read here.

Reproducible: no randomness at all (hash-based splits, deterministic L-BFGS from zero weights); the same data and
library versions give the same weights (`--check` retrains and compares). Training needs numpy and scipy
(scipy.sparse, scipy.optimize), which the test extras already install through scikit-image; the shipped classifier
needs numpy only. Four to ten minutes on one core, 2 GB of memory.

Data sets and their authors (see docs/moderation-model.md):
- Davidson, T., Warmsley, D., Macy, M. and Weber, I. (2017). Automated Hate Speech Detection and the Problem of
  Offensive Language. ICWSM 2017. github.com/t-davidson/hate-speech-and-offensive-language (MIT).
- Mathew, B., Saha, P., Yimam, S. M., Biemann, C., Goyal, P. and Mukherjee, A. (2021). HateXplain: A Benchmark
  Dataset for Explainable Hate Speech Detection. AAAI 2021. github.com/hate-alert/HateXplain (MIT), as prepared by
  Wessel, M., Horych, T., Ruas, T., Aizawa, A., Gipp, B. and Spinde, T. (2023). Introducing MBIB - the First Media
  Bias Identification Benchmark Task and Dataset Collection. SIGIR 2023. github.com/Media-Bias-Group/MBIB (GPL-3.0).
- Zampieri, M., Malmasi, S., Nakov, P., Rosenthal, S., Farra, N. and Kumar, R. (2019). Predicting the Type and
  Target of Offensive Posts in Social Media (OLID, OffensEval 2019). NAACL-HLT 2019.
- Guest, E., Vidgen, B., Mittos, A., Sastry, N., Tyson, G. and Margetts, H. (2021). An Expert Annotated Dataset for
  the Detection of Online Misogyny. EACL 2021. github.com/ellamguest/online-misogyny-eacl2021 (MIT).
- Almeida, T. A., Gómez Hidalgo, J. M. and Yamakami, A. (2011). Contributions to the Study of SMS Spam Filtering:
  New Collection and Results. DocEng 2011 (SMS Spam Collection v.1, UCI dataset 228).
- Alberto, T. C., Lochter, J. V. and Almeida, T. A. (2015). TubeSpam: Comment Spam Filtering on YouTube.
  ICMLA 2015 (YouTube Spam Collection, UCI dataset 380).
- Evaluation only (benchmarks/moderation.py): Microsoft presidio-research, synth_dataset_v2.json (MIT).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from safesocial.moderation import features
from safesocial.moderation.thresholds import DEFAULT_THRESHOLDS
from safesocial.moderation.training import datasets
from safesocial.text.rules import offensive_language

MODEL_DIR = Path(__file__).resolve().parents[1] / "model"
HEADS = ("abuse", "hate", "spam")
HEAD_SETS = {
    "abuse": ("davidson", "hatexplain", "olid"),
    "hate": ("davidson", "hatexplain", "reddit_misogyny"),
    "spam": ("sms_spam", "youtube_spam"),
}
# Extra negatives: texts a data set did not label for this head but that are plainly not in it. They also set the
# false-alarm budget below: ordinary chat must not be flagged.
EXTRA_NEGATIVES = {
    "abuse": ("sms_ham_clean", "youtube_ham_clean"),
    "hate": ("sms_ham_clean", "youtube_ham_clean"),
    "spam": ("davidson", "hatexplain", "olid", "reddit_misogyny"),
}
EXTRA_SHARE = 0.5  # each extra negative set weighs half a labelled data set
# L2 on the weights, per unit of total example weight; tried from the strongest down, each fit starting where the
# previous one ended (a warm start: same answer, far fewer iterations). The grids come from a wider search
# (1e-4 to 3e-6 for every head) that always chose one of these two.
PENALTIES = {"abuse": (3e-5, 1e-5), "hate": (1e-5, 3e-6), "spam": (1e-5, 3e-6)}
# The most false alarms the chosen cut may raise on the extra negatives' validation split. A school page is mostly
# thanks and questions, so a cut that is best for F1 on data sets full of abuse would flag far too much there.
MAX_FALSE_ALARMS = {"abuse": 0.02, "hate": 0.01, "spam": 0.01}


def default_thresholds(heads: tuple[str, ...] = HEADS) -> dict[str, float]:
    return {head: DEFAULT_THRESHOLDS[head][1] for head in heads}


def ham_clean(name: str, examples: list[datasets.Example]) -> list[datasets.Example]:
    """Messages that are not spam and in which text/rules.py finds no swear word, slur or sexual term."""
    return [
        datasets.Example(name, e.split, e.text, {"abuse": 0, "hate": 0}, "ham")
        for e in examples
        if e.labels["spam"] == 0 and not offensive_language(e.text)
    ]


def featurise(texts: list[str]):
    from scipy import sparse

    indptr = [0]
    indices: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for text in texts:
        chars, char_scale, words, word_scale = features.scaled_rows(features.normalise(text))
        indices.append(chars)
        values.append(np.full(len(chars), char_scale))
        indices.append(np.asarray(words, dtype=np.int64))
        values.append(np.full(len(words), word_scale))
        indptr.append(indptr[-1] + len(chars) + len(words))
    matrix = sparse.csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.asarray(indptr)), shape=(len(texts), features.SIZE)
    )
    matrix.sum_duplicates()
    return matrix


def fit(matrix, y: np.ndarray, weight: np.ndarray, penalty: float, start=None):
    """Weighted L2 logistic regression, by L-BFGS (deterministic)."""
    from scipy.optimize import minimize

    transposed = matrix.T.tocsr()  # X.T @ g is several times faster on a CSR copy of the transpose
    sign = 2.0 * y - 1.0
    total = weight.sum()
    lam = penalty * total
    d = matrix.shape[1]

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:d], params[d]
        z = matrix @ w + b
        margin = sign * z
        loss = float(np.sum(weight * np.logaddexp(0.0, -margin)))
        g = -weight * sign / (1.0 + np.exp(margin))
        grad = np.empty_like(params)
        grad[:d] = transposed @ g + lam * w
        grad[d] = g.sum()
        loss += 0.5 * lam * float(w @ w)
        return loss, grad

    if start is None:
        start = np.zeros(d + 1)
    result = minimize(objective, start, jac=True, method="L-BFGS-B", options={"maxiter": 300, "gtol": 1e-6})
    return result.x


def f1(y: np.ndarray, predicted: np.ndarray) -> float:
    tp = float(np.sum(predicted & (y == 1)))
    fp = float(np.sum(predicted & (y == 0)))
    fn = float(np.sum(~predicted & (y == 1)))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_shared_threshold(
    logits: dict[str, np.ndarray], labels: dict[str, np.ndarray], benign: np.ndarray, max_false_alarms: float
) -> tuple[float, float, float]:
    """The logit cut with the best mean F1 over the data sets, each on its own validation split, among the cuts
    that flag at most `max_false_alarms` of the benign texts; (cut, mean F1, false-alarm rate)."""
    grid = np.linspace(-6, 6, 241)
    best = None
    for t in grid:
        alarms = float(np.mean(benign >= t))
        if alarms > max_false_alarms:
            continue
        score = float(np.mean([f1(labels[s], logits[s] >= t) for s in logits]))
        if best is None or score > best[1] + 1e-12:
            best = (float(t), score, alarms)
    assert best is not None
    return best


def train(*, verbose: bool = True) -> tuple[np.ndarray, dict]:
    log = print if verbose else (lambda *a, **k: None)
    started = time.perf_counter()
    loaded = {name: datasets.load(name) for name in datasets.ALL_SETS}
    loaded["sms_ham_clean"] = ham_clean("sms_ham_clean", loaded["sms_spam"])
    loaded["youtube_ham_clean"] = ham_clean("youtube_ham_clean", loaded["youtube_spam"])
    counts = {
        name: {split: sum(1 for e in rows if e.split == split) for split in ("train", "val", "test")}
        for name, rows in loaded.items()
    }
    log("loaded", {k: v for k, v in counts.items()}, f"{time.perf_counter() - started:.1f}s")

    texts: list[str] = []
    position: dict[int, int] = {}
    for rows in loaded.values():
        for e in rows:
            if e.split != "test" and id(e.text) not in position:
                position[id(e.text)] = len(texts)
                texts.append(e.text)
    matrix = featurise(texts)
    log(f"features: {matrix.shape[0]} texts, {matrix.nnz} non-zeros, {time.perf_counter() - started:.1f}s")

    weights = np.zeros((features.SIZE, len(HEADS)), dtype=np.float32)
    report: dict = {"heads": {}}
    thresholds = default_thresholds()
    for h, head in enumerate(HEADS):
        rows: dict[str, list[tuple[int, int]]] = defaultdict(list)  # split/set -> (row, label)
        sources = list(HEAD_SETS[head]) + list(EXTRA_NEGATIVES[head])
        for name in sources:
            for e in loaded[name]:
                if e.split == "test":
                    continue
                label = e.labels.get(head, 0) if name in HEAD_SETS[head] else 0
                rows[f"{e.split}/{name}"].append((position[id(e.text)], label))
        # Each labelled data set weighs the same, split evenly between its two classes, so no data set's base rate
        # (Davidson's tweets are 83% offensive) leaks into common words; each extra negative set weighs EXTRA_SHARE.
        train_rows, train_y, train_w = [], [], []
        for name in sources:
            part = rows[f"train/{name}"]
            per_class = {label: sum(1 for _, y_ in part if y_ == label) for label in (0, 1)}
            for row, label in part:
                train_rows.append(row)
                train_y.append(label)
                if name in HEAD_SETS[head]:
                    train_w.append(10_000 / (2 * per_class[label]))
                else:
                    train_w.append(EXTRA_SHARE * 10_000 / len(part))
        x = matrix[np.asarray(train_rows)]
        y = np.asarray(train_y, dtype=np.float64)
        w = np.asarray(train_w)
        val = {name: rows[f"val/{name}"] for name in HEAD_SETS[head]}
        val_x = {name: matrix[np.asarray([r for r, _ in part])] for name, part in val.items()}
        val_y = {name: np.asarray([label for _, label in part]) for name, part in val.items()}
        benign_rows = [r for name in EXTRA_NEGATIVES[head] for r, _ in rows[f"val/{name}"]]
        benign_x = matrix[np.asarray(benign_rows)]
        best = None
        params = None
        for penalty in PENALTIES[head]:
            params = fit(x, y, w, penalty, params)
            coef, bias = params[: features.SIZE], float(params[features.SIZE])
            logits = {name: val_x[name] @ coef + bias for name in val}
            cut, score, alarms = best_shared_threshold(logits, val_y, benign_x @ coef + bias, MAX_FALSE_ALARMS[head])
            per_set = {name: round(f1(val_y[name], logits[name] >= cut), 4) for name in val}
            log(f"{head}: penalty {penalty:g} -> mean val F1 {score:.4f} at logit {cut:+.2f} {per_set}, {alarms:.2%}")
            if best is None or score > best["val_mean_f1"] + 1e-9:
                best = {
                    "penalty": penalty,
                    "cut": cut,
                    "val_mean_f1": round(score, 4),
                    "val_f1": per_set,
                    "val_false_alarms": round(alarms, 4),
                    "coef": coef,
                    "bias": bias,
                }
        assert best is not None
        # Shift so that sigmoid(logit + offset) equals the default threshold exactly at the chosen cut.
        target = thresholds[head]
        offset = float(np.log(target / (1 - target))) - best["cut"]
        weights[:, h] = best.pop("coef")
        report["heads"][head] = {
            "bias": best.pop("bias") + offset,
            "penalty": best["penalty"],
            "validation_cut_logit": best["cut"],
            "default_threshold": target,
            "val_mean_f1": best["val_mean_f1"],
            "val_f1": best["val_f1"],
            "val_false_alarms_on_extra_negatives": best["val_false_alarms"],
            "train_sets": list(HEAD_SETS[head]),
            "extra_negatives": list(EXTRA_NEGATIVES[head]),
        }
        log(f"{head}: chose penalty {best['penalty']:g}, {time.perf_counter() - started:.1f}s")
    report["examples"] = counts
    return weights, report


def write(
    weights: np.ndarray,
    report: dict,
    directory: Path = MODEL_DIR,
    *,
    name: str = "linear",
    bits: int = features.BITS,
    heads: tuple[str, ...] = HEADS,
) -> Path:
    """NAME.npz (float16 weights) and NAME.json (biases, feature settings, the weights' SHA-256 and the training
    report): the artefact classifier.LinearModel loads."""
    directory.mkdir(parents=True, exist_ok=True)
    packed = weights.astype(np.float16)
    path = directory / f"{name}.npz"
    # np.savez_compressed stamps no time into the archive: the same weights give the same bytes.
    np.savez_compressed(path, weights=packed)
    config = {
        "format": "safesocial-linear",
        "features_version": features.FEATURES_VERSION,
        "bits": bits,
        "char_ngrams": list(features.CHAR_NGRAMS),
        "heads": list(heads),
        "biases": [report["heads"][head]["bias"] for head in heads],
        "weights_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "training": report,
    }
    (directory / f"{name}.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def command(argv: list[str] | None, *, description: str, name: str, train_model, write_model) -> int:
    """The trainers' command line: train, then write the artefact or (--check) compare with the shipped one."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help=f"where to write {name}.npz and {name}.json")
    parser.add_argument("--check", action="store_true", help="train, and compare with the shipped weights")
    args = parser.parse_args(argv)
    weights, report = train_model()
    if args.check:
        shipped = np.load(MODEL_DIR / f"{name}.npz")["weights"]
        same = np.array_equal(shipped, weights.astype(np.float16))
        print("same as the shipped model" if same else "DIFFERENT from the shipped model")
        return 0 if same else 1
    path = write_model(weights, report, args.out)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB) and {path.with_suffix('.json').name}")
    return 0


def main(argv: list[str] | None = None) -> int:
    return command(argv, description=__doc__.splitlines()[0], name="linear", train_model=train, write_model=write)


if __name__ == "__main__":
    sys.exit(main())
