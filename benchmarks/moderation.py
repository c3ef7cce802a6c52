"""How well and how fast the comment classifier works, against the linear `alt-profanity-check` model.

    .venv/bin/python benchmarks/moderation.py                         # everything (about two minutes)
    .venv/bin/python benchmarks/moderation.py --apc-python /tmp/apc-venv/bin/python
    .venv/bin/python benchmarks/moderation.py --skip-speed
    .venv/bin/python benchmarks/moderation.py --only-writers  # each writer held out in turn (about 25 minutes)
    .venv/bin/python benchmarks/moderation.py --only-blind --blind FILE   # a fresh writer's blind set alone

Accuracy: precision, recall and F1 on the held-out test split of every data set in ../shared/data/moderation/
(HateXplain's official test split; the splits are described in safesocial/moderation/training/datasets.py), on
presidio's synthetic personal-information sentences, and per category on the school cases (the test suite's
cases_school.yaml; benchmarks/moderation_holdout.yaml, written with them but kept from the first rules; and
benchmarks/moderation_blind.yaml, kept from every rule and from the school model's training). "Ours" is what ships:
classify() and decide()'s default thresholds, no threshold tuned on any test split.

alt-profanity-check is never installed into the project: give --apc-python a Python that has it, e.g.

    python3 -m venv /tmp/apc-venv && /tmp/apc-venv/bin/pip install alt-profanity-check

It runs there on the same texts (its predictions are written to a file and read back), and it flags a text when
predict_prob >= 0.5. It is one linear offensive-language model, so it is compared on every task, including those it
was not built for (spam, personal information), where it shows what a profanity filter alone would catch.

alt-profanity-check was trained on the whole Davidson data set (with Jigsaw's toxic comments), so on Davidson's test
split it marks tweets it was trained on. The last column is therefore its recipe (the published train_model.py:
TfidfVectorizer(stop_words="english", min_df=0.0001) and a calibrated, class-balanced LinearSVC, predict_prob >= 0.5)
retrained, in the same Python, on exactly the train splits our abuse head learns from (Davidson, HateXplain and OLID,
"hate or offensive"), so that neither model has seen a test split.

Before and after: "words" is classify(semantic=False), the rules and linear models as they were before issue 13;
"ours" adds the semantic layer (sentence embeddings, safesocial/text/semantic_comments.py). Both run on every set.

The independent writers' comments (safesocial/text/data/comments_w*.yaml) are scored each held out in turn: the
semantic heads are retrained without that writer (train_semantic.train(leave_out=...), their cuts chosen leave one
writer out over the others), so no writer's figures come from a model that read them. `--writers shipped` scores
them with the shipped model instead (in-sample for the writers it was trained on; how the model before this one is
measured on writers it never saw). A fresh blind set given with --blind (a writer's comments, written by someone who
saw neither the rules nor any training data, never trained or tuned on) is scored with the shipped model. The
repository keeps none: comments_w11 and w13, each scored once as a blind set, are training data now.

Each writer's set and the blind set are scored per category: for safeguarding, the share escalated (and escalated
or sent to review), the share of ordinary comments escalated (and escalated or reviewed), and P / R / F1 of
escalation; for every other category, P / R / F1 where a category counts as found when it reaches its threshold or
review band.

Speed: comments per second on one core through classify() (CPU time of this process, so other load on the machine
matters less) and through `safesocial moderate` end to end (a subprocess reading a generated JSONL file).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safesocial.settings")

import yaml  # noqa: E402

from safesocial.moderation.classifier import CATEGORIES, DEFAULT_THRESHOLDS, classify, classify_batch  # noqa: E402
from safesocial.moderation.thresholds import action_for  # noqa: E402
from safesocial.moderation.training import datasets  # noqa: E402
from safesocial.text.rules import RegisterPupil  # noqa: E402

CASES = REPO / "safesocial" / "moderation" / "tests" / "cases_school.yaml"
HOLDOUT = REPO / "benchmarks" / "moderation_holdout.yaml"
BLIND = REPO / "benchmarks" / "moderation_blind.yaml"
WRITER_BLIND: Path | None = None  # --blind FILE
WRITER_DATA = REPO / "safesocial" / "text" / "data"
APC_SCRIPT = """
import json, sys
from profanity_check import predict_prob
texts = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump([float(p) for p in predict_prob(texts)], open(sys.argv[2], "w"))
"""
PII_TYPES = ("PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS", "ZIP_CODE")


def prf(gold: list[bool], predicted: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def fires(result, *names: str) -> bool:
    return any(result[n].score >= DEFAULT_THRESHOLDS[n][1] for n in names)


def acts(result, name: str) -> bool:
    """The category reaches its threshold or its review band (hate the semantic layer alone finds is reviewed)."""
    return action_for(name, result[name].score) is not None


def _probabilities(python: str | None, script: str, payload, count: int, cache: Path) -> list[float] | None:
    """Run `script` in the Python that has alt-profanity-check (`payload()` is its JSON input), keeping the answer in
    `cache` for the next run; None when no such Python was given."""
    if not python:
        return None
    if cache.exists():
        cached = json.loads(cache.read_text())
        if len(cached) == count:
            return cached
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "input.json", Path(tmp) / "probs.json"
        source.write_text(json.dumps(payload()), encoding="utf-8")
        subprocess.run([python, "-c", script, str(source), str(target)], check=True)
        probabilities = json.loads(target.read_text())
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(probabilities))
    return probabilities


def apc_probabilities(python: str | None, texts: list[str], cache: Path) -> list[float] | None:
    return _probabilities(python, APC_SCRIPT, lambda: texts, len(texts), cache)


APC_RETRAIN_SCRIPT = """
import json, sys
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
data = json.load(open(sys.argv[1], encoding="utf-8"))
vectorizer = TfidfVectorizer(stop_words="english", min_df=0.0001)
x = vectorizer.fit_transform(data["train"])
model = CalibratedClassifierCV(LinearSVC(class_weight="balanced", dual=False, tol=1e-2, max_iter=100000))
model.fit(x, data["labels"])
json.dump([float(p) for p in model.predict_proba(vectorizer.transform(data["texts"]))[:, 1]], open(sys.argv[2], "w"))
"""
APC_RETRAIN_SETS = ("davidson", "hatexplain", "olid")


def apc_retrained_probabilities(python: str | None, texts: list[str], cache: Path) -> list[float] | None:
    """alt-profanity-check's recipe trained on our abuse head's train splits, then run on `texts`."""

    def payload() -> dict:
        train = [e for name in APC_RETRAIN_SETS for e in datasets.load(name, "train")]
        return {"train": [e.text for e in train], "labels": [e.labels["abuse"] for e in train], "texts": texts}

    return _probabilities(python, APC_RETRAIN_SCRIPT, payload, len(texts), cache)


# (data set, task, gold label, which of our categories answer it)
TASKS = [
    ("davidson", "hate or offensive", lambda e: e.labels["abuse"] == 1, ("abuse", "hate")),
    ("davidson", "hate speech only", lambda e: e.labels["hate"] == 1, ("hate",)),
    ("hatexplain", "hate or offensive", lambda e: e.labels["abuse"] == 1, ("abuse", "hate")),
    ("hatexplain", "hate speech only", lambda e: e.labels["hate"] == 1, ("hate",)),
    ("olid", "offensive (subtask A)", lambda e: e.labels["abuse"] == 1, ("abuse", "hate")),
    ("reddit_misogyny", "misogynistic (as hate)", lambda e: e.labels["hate"] == 1, ("hate",)),
    ("reddit_misogyny", "misogynistic (abuse or hate)", lambda e: e.labels["hate"] == 1, ("abuse", "hate")),
    ("sms_spam", "spam", lambda e: e.labels["spam"] == 1, ("spam",)),
    ("sms_spam", "spam, advert or appeal", lambda e: e.labels["spam"] == 1, ("spam", "commercial", "donation")),
    ("youtube_spam", "spam", lambda e: e.labels["spam"] == 1, ("spam",)),
]


def accuracy_on_datasets(apc_python: str | None, cache_dir: Path) -> list[dict]:
    rows = []
    results: dict[str, list] = {}
    examples: dict[str, list[datasets.Example]] = {}
    for name in dict.fromkeys(task[0] for task in TASKS):
        examples[name] = datasets.load(name, "test")
        texts = [e.text for e in examples[name]]
        results[name] = classify_batch(texts)
        results[f"{name} words"] = classify_batch(texts, semantic=False)
    # The retrained recipe is trained once and run on every test split together.
    every_text = [e.text for rows in examples.values() for e in rows]
    retrained = apc_retrained_probabilities(apc_python, every_text, cache_dir / "retrained.json")
    retrained_of, offset = {}, 0
    for name, split in examples.items():
        retrained_of[name] = retrained[offset : offset + len(split)] if retrained else None
        offset += len(split)
    for name, task, gold_of, categories in TASKS:
        gold = [gold_of(e) for e in examples[name]]
        ours = [fires(r, *categories) for r in results[name]]
        words = [fires(r, *categories) for r in results[f"{name} words"]]
        row = {"data set": name, "task": task, "n": len(gold), "positives": sum(gold), "ours": prf(gold, ours)}
        row["words"] = prf(gold, words)
        texts = [e.text for e in examples[name]]
        for column, probabilities in (
            ("apc", apc_probabilities(apc_python, texts, cache_dir / f"{name}.json")),
            ("apc retrained", retrained_of[name]),
        ):
            row[column] = prf(gold, [p >= 0.5 for p in probabilities]) if probabilities else None
        rows.append(row)
    return rows


def accuracy_on_presidio(apc_python: str | None, cache_dir: Path) -> tuple[dict, dict[str, tuple[int, int]]]:
    """Sentence level: does it contain a phone number, email address, street address or postcode? Span level:
    of the gold spans of each type, how many does a pii span overlap?"""
    data = datasets.presidio()
    results = classify_batch([e.text for e in data])
    gold = [any(kind in PII_TYPES for kind, _, _ in e.spans) for e in data]
    ours = [fires(r, "pii") for r in results]
    row = {"data set": "presidio_synth_pii", "task": "contact details", "n": len(gold), "positives": sum(gold)}
    row["ours"] = prf(gold, ours)
    probabilities = apc_probabilities(apc_python, [e.text for e in data], cache_dir / "presidio.json")
    row["apc"] = prf(gold, [p >= 0.5 for p in probabilities]) if probabilities else None
    per_type: dict[str, list[int]] = {kind: [0, 0] for kind in PII_TYPES}
    for example, result in zip(data, results, strict=True):
        spans = result["pii"].spans if fires(result, "pii") else ()
        for kind, start, end in example.spans:
            if kind in per_type:
                per_type[kind][1] += 1
                per_type[kind][0] += any(a < end and start < b for a, b in spans)
    return row, {k: (v[0], v[1]) for k, v in per_type.items()}


def school_cases(
    path: Path, apc_python: str | None, cache_dir: Path, semantic: bool = True
) -> tuple[dict, dict, int, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    register = [
        RegisterPupil(i, p["first_name"], p["last_name"], name_consent=p.get("name_consent", False))
        for i, p in enumerate(data.get("register") or [])
    ]
    cases = data["cases"]
    counts = {c: Counter() for c in CATEGORIES}
    misses = []
    for case in cases:
        result = classify(case["text"], register=register if case.get("register") else None, semantic=semantic)
        got = {r.name for r in result.fired()}
        expected = set(case["categories"])
        for c in CATEGORIES:
            counts[c]["tp"] += c in got and c in expected
            counts[c]["fp"] += c in got and c not in expected
            counts[c]["fn"] += c in expected and c not in got
        if got != expected:
            misses.append(f"    expected {sorted(expected)}, got {sorted(got)}: {case['text']}")
    per_category = {}
    for c, k in counts.items():
        p = k["tp"] / (k["tp"] + k["fp"]) if k["tp"] + k["fp"] else 0.0
        r = k["tp"] / (k["tp"] + k["fn"]) if k["tp"] + k["fn"] else 0.0
        per_category[c] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, k["tp"] + k["fn"])
    # alt-profanity-check against the cases labelled abuse or hate.
    gold = [bool({"abuse", "hate"} & set(case["categories"])) for case in cases]
    ours = [fires(classify(case["text"], semantic=semantic), "abuse", "hate") for case in cases]
    probabilities = apc_probabilities(apc_python, [c["text"] for c in cases], cache_dir / f"{path.stem}.json")
    abuse_or_hate = {
        "ours": prf(gold, ours),
        "apc": prf(gold, [p >= 0.5 for p in probabilities]) if probabilities else None,
    }
    return per_category, abuse_or_hate, len(cases), misses


def writer_figures(items: list[dict], results: list) -> tuple[dict, dict[str, tuple[int, int]], dict]:
    """Per category on one writer's comments: (category -> figures, safeguarding and hate kinds -> (found, of), the
    actions taken on ordinary comments)."""
    from safesocial.moderation.classifier import decide

    figures: dict[str, dict] = {}
    escalate_at = DEFAULT_THRESHOLDS["safeguarding"][1]
    ordinary = [r for item, r in zip(items, results, strict=True) if item["label"] == "none"]
    for category in CATEGORIES:
        gold = [item["label"] == category for item in items]
        if not any(gold):
            continue
        if category == "safeguarding":
            escalated = [r["safeguarding"].score >= escalate_at for r in results]
            looked_at = [acts(r, "safeguarding") for r in results]
            figures[category] = {
                "n": sum(gold),
                "ordinary": len(ordinary),
                "recall escalated": sum(g and e for g, e in zip(gold, escalated, strict=True)) / sum(gold),
                "recall escalated or reviewed": sum(g and e for g, e in zip(gold, looked_at, strict=True)) / sum(gold),
                "ordinary escalated": sum(r["safeguarding"].score >= escalate_at for r in ordinary) / len(ordinary),
                "ordinary escalated or reviewed": sum(acts(r, "safeguarding") for r in ordinary) / len(ordinary),
                "prf": prf(gold, escalated),
            }
        else:
            figures[category] = {"n": sum(gold), "prf": prf(gold, [acts(r, category) for r in results])}
    kinds: dict[str, list[int]] = {}
    for item, r in zip(items, results, strict=True):
        if item["label"] in ("safeguarding", "hate") and item.get("kind"):
            key = f"{item['label']}: {item['kind']}"
            found = r["safeguarding"].score >= escalate_at if item["label"] == "safeguarding" else acts(r, "hate")
            kinds.setdefault(key, [0, 0])
            kinds[key][0] += found
            kinds[key][1] += 1
    actions = Counter(decide(r) for r in ordinary)
    return figures, {k: (a, b) for k, (a, b) in sorted(kinds.items())}, dict(actions)


SAFEGUARDING_ROWS = (
    "recall escalated",
    "recall escalated or reviewed",
    "ordinary escalated",
    "ordinary escalated or reviewed",
)


def print_writer_table(title: str, items: list[dict], columns: dict[str, list]) -> dict[str, tuple]:
    """One table per set of comments: a column per classifier (its results), a row per category; then kinds."""
    scored = {name: writer_figures(items, results) for name, results in columns.items()}
    names = list(columns)
    print(f"\n{title}: {len(items)} comments, {sum(item['label'] == 'none' for item in items)} ordinary")
    print(f"| category | n | {' | '.join(names)} |\n|---|---|{'---|' * len(names)}")
    first = scored[names[0]][0]
    for category in first:
        if category == "safeguarding":
            for key in SAFEGUARDING_ROWS:
                values = " | ".join(f"{scored[name][0][category][key]:.3f}" for name in names)
                n = first[category]["n"] if key.startswith("recall") else first[category]["ordinary"]
                print(f"| safeguarding: {key} | {n} | {values} |")
        values = " | ".join(fmt(scored[name][0][category]["prf"]) for name in names)
        print(f"| {category}: P / R / F1 | {first[category]['n']} | {values} |")
    print(f"By kind (found: safeguarding escalated, hate hidden or reviewed): {' -> '.join(names)}")
    for kind, (_, total) in scored[names[-1]][1].items():
        print(f"  {kind}: {' -> '.join(f'{scored[name][1][kind][0]}/{total}' for name in names)}")
    print("Ordinary comments' actions: " + "; ".join(f"{name} {scored[name][2]}" for name in names))
    return scored


def writer_sets() -> dict[str, list[dict]]:
    """Each independent writer's comments (their files in parts put together), by writer."""
    sets: dict[str, list[dict]] = {}
    for path in sorted(WRITER_DATA.glob("comments_w*.yaml")):
        sets.setdefault(path.name.split(".")[0], []).extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return dict(sorted(sets.items(), key=lambda item: int(item[0].removeprefix("comments_w"))))


def print_writers(mode: str) -> None:
    """Every writer's comments, per category: words only, and with the semantic layer trained without that writer
    (mode "held-out") or as shipped (mode "shipped")."""
    pooled_items: list[dict] = []
    pooled: dict[str, list] = {"words only": [], "with the semantic layer": []}
    for writer, items in writer_sets().items():
        texts = [item["text"] for item in items]
        words = classify_batch(texts, semantic=False)
        if mode == "held-out":
            from safesocial.moderation.classifier import SemanticLayer
            from safesocial.moderation.training import train_semantic

            heads, memory = train_semantic.train(verbose=False, leave_out=writer)
            ours = classify_batch(texts, layer=SemanticLayer(heads, memory))
            title = f"{writer} held out (semantic heads trained without it)"
        else:
            ours = classify_batch(texts)
            title = f"{writer} (the shipped model)"
        print_writer_table(title, items, {"words only": words, "with the semantic layer": ours})
        pooled_items += items
        pooled["words only"] += words
        pooled["with the semantic layer"] += ours
    print_writer_table(f"All writers together ({mode})", pooled_items, pooled)


def print_writer_blind() -> None:
    assert WRITER_BLIND is not None
    items = yaml.safe_load(WRITER_BLIND.read_text(encoding="utf-8"))
    texts = [item["text"] for item in items]
    columns = {"words only": classify_batch(texts, semantic=False), "with the semantic layer": classify_batch(texts)}
    title = f"Independent writer's blind set: {WRITER_BLIND.name} (scored once, never tuned on)"
    print_writer_table(title, items, columns)


def typical_comments(n: int, seed: int = 7) -> list[str]:
    """A mix like a school page's: the school cases and short comments from the test splits."""
    pool = [c["text"] for c in yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]]
    for name in ("sms_spam", "olid", "youtube_spam"):
        pool += [e.text for e in datasets.load(name, "test") if len(e.text) <= 280]
    rng = random.Random(seed)
    return [rng.choice(pool) for _ in range(n)]


def speed_classify(texts: list[str], batch: int = 0) -> tuple[float, float]:
    """Comments per CPU second and per wall second, one at a time or in batches of `batch`."""
    classify("warm up: load the model")
    cpu, wall = time.process_time(), time.perf_counter()
    if batch:
        for start in range(0, len(texts), batch):
            classify_batch(texts[start : start + batch])
    else:
        for text in texts:
            classify(text)
    return len(texts) / (time.process_time() - cpu), len(texts) / (time.perf_counter() - wall)


def speed_command(texts: list[str]) -> dict[str, float]:
    command = [sys.executable, "-m", "safesocial.moderation.management.commands.moderate"]
    timings = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, lines in (("one line", texts[:1]), ("all", texts)):
            source = Path(tmp) / f"{label}.jsonl"
            with source.open("w", encoding="utf-8") as f:
                for i, text in enumerate(lines):
                    f.write(json.dumps({"id": str(i), "text": text}) + "\n")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            wall = time.perf_counter()
            with source.open("rb") as stdin, (Path(tmp) / "out.jsonl").open("wb") as stdout:
                subprocess.run(command, stdin=stdin, stdout=stdout, check=True, cwd=REPO)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            timings[label] = (
                time.perf_counter() - wall,
                (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            )
            out_lines = sum(1 for _ in (Path(tmp) / "out.jsonl").open("rb"))
            assert out_lines == len(lines), (out_lines, len(lines))
    (w1, c1), (wn, cn) = timings["one line"], timings["all"]
    return {
        "lines": len(texts),
        "start-up wall s": w1,
        "start-up cpu s": c1,
        "total wall s": wn,
        "total cpu s": cn,
        "per core incl. start-up": len(texts) / cn,
        "per core after start-up": (len(texts) - 1) / max(cn - c1, 1e-9),
        "peak MiB": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def fmt(triple: tuple[float, float, float] | None) -> str:
    return "n/a" if triple is None else " / ".join(f"{x:.3f}" for x in triple)


def main() -> None:
    global WRITER_BLIND
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apc-python", default="/tmp/apc-venv/bin/python" if Path("/tmp/apc-venv").exists() else None)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "safesocial-apc-cache")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--comments", type=int, default=20_000, help="how many comments the speed runs classify")
    parser.add_argument("--only-blind", action="store_true", help="only the independent writer's blind set (--blind)")
    parser.add_argument("--only-writers", action="store_true", help="only the writers' sets, each held out")
    parser.add_argument(
        "--writers",
        choices=("held-out", "shipped", "none"),
        default="held-out",
        help="score each writer's set with heads trained without it (default), with the shipped model, or not at all",
    )
    parser.add_argument("--no-blind", action="store_true", help="leave out the blind set (while it stays unopened)")
    parser.add_argument("--blind", type=Path, help="a writer's blind set to score once (none by default)")
    args = parser.parse_args()
    if args.only_blind and args.blind is None:
        parser.error("--only-blind needs --blind FILE")
    WRITER_BLIND = args.blind.resolve() if args.blind else None
    if args.only_blind:
        print_writer_blind()
        return
    if args.only_writers:
        print_writers(args.writers)
        return

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    print(f"alt-profanity-check: {args.apc_python or 'not run (no --apc-python)'}\n")
    print("Held-out data sets: precision / recall / F1")
    print(
        "| data set | task | n (positive) | words only | ours (with the semantic layer) | alt-profanity-check "
        "| its recipe on our train splits |\n|---|---|---|---|---|---|---|"
    )
    for row in accuracy_on_datasets(args.apc_python, args.cache):
        print(
            f"| {row['data set']} | {row['task']} | {row['n']} ({row['positives']}) | {fmt(row['words'])} "
            f"| {fmt(row['ours'])} | {fmt(row['apc'])} | {fmt(row['apc retrained'])} |"
        )
    row, per_type = accuracy_on_presidio(args.apc_python, args.cache)
    print(
        f"| {row['data set']} | {row['task']} | {row['n']} ({row['positives']}) | n/a | {fmt(row['ours'])} "
        f"| {fmt(row['apc'])} | n/a |"
    )
    print(
        "\npresidio spans found (overlapped by a pii span):",
        ", ".join(f"{k} {a}/{b}" for k, (a, b) in per_type.items()),
    )

    for path in (CASES, HOLDOUT, BLIND):
        before, _, _, _ = school_cases(path, None, args.cache, semantic=False)
        per_category, abuse_or_hate, n, misses = school_cases(path, args.apc_python, args.cache)
        print(f"\nSchool cases: {path.relative_to(REPO)} ({n} comments): precision / recall / F1 (cases)")
        print("| category | words only | with the semantic layer | cases |\n|---|---|---|---|")
        for c, (p, r, f, support) in per_category.items():
            print(f"| {c} | {fmt(before[c][:3])} | {p:.3f} / {r:.3f} / {f:.3f} | {support} |")
        print(f"abuse or hate: ours {fmt(abuse_or_hate['ours'])}, alt-profanity-check {fmt(abuse_or_hate['apc'])}")
        print("  misses:")
        print("\n".join(misses) or "    none")

    if args.writers != "none":
        print_writers(args.writers)
    if WRITER_BLIND is not None and not args.no_blind:
        print_writer_blind()

    if not args.skip_speed:
        texts = typical_comments(args.comments)
        mean_length = sum(map(len, texts)) / len(texts)
        per_cpu, per_wall = speed_classify(texts)
        print(
            f"\nclassify(): {per_cpu:,.0f} comments per CPU second ({per_wall:,.0f} per wall second), "
            f"{len(texts):,} comments of {mean_length:.0f} characters on average (school cases and test-split texts)"
        )
        school = [c["text"] for c in yaml.safe_load(CASES.read_text(encoding="utf-8"))["cases"]]
        school = [school[i % len(school)] for i in range(args.comments)]
        per_cpu, per_wall = speed_classify(school)
        print(
            f"classify(): {per_cpu:,.0f} comments per CPU second ({per_wall:,.0f} per wall second) "
            f"on the school cases alone ({sum(map(len, school)) / len(school):.0f} characters on average)"
        )
        per_cpu, per_wall = speed_classify(texts, batch=500)
        print(f"classify_batch() in 500s: {per_cpu:,.0f} comments per CPU second ({per_wall:,.0f} per wall second)")
        print(f"this process's peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
        command = speed_command(texts)
        print(
            f"safesocial moderate: {command['per core after start-up']:,.0f} comments per CPU second after start-up, "
            f"{command['per core incl. start-up']:,.0f} including it; start-up {command['start-up cpu s']:.2f} s CPU; "
            f"{command['lines']:,} lines in {command['total wall s']:.1f} s wall; "
            f"peak memory {command['peak MiB']:,.0f} MiB"
        )


if __name__ == "__main__":
    main()
