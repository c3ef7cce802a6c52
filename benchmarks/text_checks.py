"""How fast the text checks run, and how well they do on the labelled cases.

Speed: posts of about 200 words, made from sentences a school might write (some naming pupils, some with phone
numbers, most clean), checked with no register, with a 600-pupil register rebuilt for every post (as post_checks.py does
it), and with the register's index built once. Accuracy: for each check, precision and recall over the cases in
safesocial/publishing/tests/text_cases.yaml, counting per case whether the check fired.

    .venv/bin/python benchmarks/text_checks.py
    .venv/bin/python benchmarks/text_checks.py --posts 5000 --pupils 1200
    .venv/bin/python benchmarks/text_checks.py --writers  # the shipped model on each training writer, per category
    .venv/bin/python benchmarks/text_checks.py --lowo     # leave one writer out: retrain without each, score it
    .venv/bin/python benchmarks/text_checks.py --blind    # once, at the end: the newest blind posts, per category

--blind scores the newest benchmarks/blind/posts_w*.yaml, or the one named (a writer who saw neither the rules nor
the training posts; once scored and reported, a set may move to safesocial/text/data/ as training data) through
semantic_posts.check_posts, the code path of `safesocial check-post`, with no register: the share of problem posts
flagged (warn or block) and of good posts flagged, per category, before (rules.check_text alone) and after. Never
train or choose cuts on it. --writers does the same for each writer in safesocial/text/data/, saying whether the
shipped model was trained on that writer; --lowo gives the figures on which the cuts were chosen.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "safesocial" / "publishing" / "tests" / "text_cases.yaml"


def words(text: str) -> list[str]:
    return text.split()


FIRST_NAMES = words(
    """
Oliver George Arthur Noah Muhammad Leo Harry Oscar Archie Henry Theodore Freddie Jack Charlie Theo Alfie Jacob
Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Alexander Luca Edward James Joshua Albie Elijah Max
Mohammed Reggie Ezra Mason Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella Grace
Daisy Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie Matilda Maya Sophie Alice
Emilia Isabelle Ruby Luna Maisie Aria Penelope Mila Bonnie Eva Hallie Aisha Zara Priya Kai Ayaan Yusuf Amara
"""
)
LAST_NAMES = words(
    """
Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker White
Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward Hughes Moore Clark
King Harrison Lewis Baker Lee Allen Morris Khan Scott Watson Davis Parker James Bennett Young Phillips
Richardson Mitchell Bailey Carter Cook Singh Shaw Bell Collins Morgan Kelly Begum Miller Cox Hussain Marshall
Simpson Price Anderson Adams Wilkinson Ali Ahmed Foster Ellis Murphy Chapman Mason Gray Richards Webb Griffiths
Hunt Palmer Campbell Holmes Mills Rogers Barnes Knight Matthews Barker Powell Stevens Kaur Fisher Butler Dixon
Russell Harvey Pearson Graham Nowak Okafor Adeyemi Kowalski
"""
)

SENTENCES = [
    "What a week it has been at Seabright Primary!",
    "Year 4 visited the Roman fort at Vindolanda and came back full of questions about life on the wall.",
    "Reception planted sunflowers in the wildlife garden and measured them every morning.",
    "Our choir sang beautifully at the town hall on Thursday evening.",
    "Thank you to all the families who came to our summer fair on Saturday.",
    "Together we raised £1,420 for new playground equipment.",
    "Reminder: school closes at 1:30pm on Friday 19 July for the summer holidays.",
    "Parents' evening is on Tuesday 14 November; please book your slot through the app.",
    "Year 6 had a fantastic residential in the Lake District, with ghyll scrambling, canoeing and a night walk.",
    "A huge thank you to Mr Hughes and Miss Ahmed for giving up their week.",
    "World Book Day is on Thursday 6 March and children may come dressed as a favourite character.",
    "Our breakfast club costs £3 a session and runs from 7:45am.",
    "The netball team won 12-4 against Hill Top Academy in the county semi-final.",
    "Harvest festival donations will go to the Seabright Food Bank.",
    "Please remember that we are a nut-free school.",
    "The school will be closed on Thursday because it is a polling station.",
    "Year 2 learnt about Florence Nightingale and Mary Seacole in their history topic.",
    "Our Eco Council met the Mayor to present their ideas for a school street.",
    "If your child is unwell, please call the absence line on 01632 960555 before 9am.",
    "Star of the week in Oak Class goes to {first} for brilliant writing.",
    "Well done to {first} {last}, who swam 25 metres for the first time.",
    "{first} and {first2} led our Remembrance assembly with great care.",
    "Applications for Reception places for September close on 15 January.",
    "Anti-Bullying Week starts on Monday, so wear odd socks to celebrate what makes us unique.",
    "The Year 5 science fair was a huge success, with volcanoes, rockets and a robot that sorted recycling.",
    "Our new library opens after half term, thanks to the hard work of the Friends of Seabright.",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=2000, help="posts per variant (default 2000)")
    parser.add_argument("--pupils", type=int, default=600, help="pupils on the register (default 600)")
    parser.add_argument("--words", type=int, default=200, help="words per post (default 200)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--blind",
        nargs="?",
        const="newest",
        help="score a blind set of posts in benchmarks/blind/ (default: the newest posts_w*.yaml), and nothing else",
    )
    parser.add_argument(
        "--writers", action="store_true", help="score the shipped model on each training writer's posts, per category"
    )
    parser.add_argument(
        "--lowo",
        action="store_true",
        help="leave one writer out: retrain without each writer and score that writer (train_posts --dry-run)",
    )
    return parser.parse_args()


def setup_django() -> None:
    """check_text builds the Finding of post_checks.py, whose module imports the publishing models."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safesocial.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def make_register(rng: random.Random, size: int):
    from safesocial.text.rules import RegisterPupil

    return [
        RegisterPupil(
            pupil_id=i,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            preferred_name="",
            name_consent=rng.random() < 0.6,
            first_name_only_consent=rng.random() < 0.2,
        )
        for i in range(1, size + 1)
    ]


def make_posts(rng: random.Random, count: int, words: int, register) -> list[str]:
    posts = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p.split()) for p in parts) < words:
            pupil, other = rng.choice(register), rng.choice(register)
            parts.append(
                rng.choice(SENTENCES).format(first=pupil.first_name, last=pupil.last_name, first2=other.first_name)
            )
        posts.append(" ".join(parts))
    return posts


def timed(label: str, posts: list[str], check) -> None:
    durations = []
    findings = 0
    started = time.perf_counter()
    for post in posts:
        t0 = time.perf_counter()
        findings += len(check(post))
        durations.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    durations.sort()
    p95 = durations[int(len(durations) * 0.95)]
    print(
        f"  {label:<38} {len(posts) / total:8.0f} posts/s   mean {statistics.mean(durations) * 1000:5.2f} ms"
        f"   p95 {p95 * 1000:5.2f} ms   findings/post {findings / len(posts):.2f}"
    )


def speed(args: argparse.Namespace) -> None:
    from safesocial.text.rules import RegisterIndex, check_text

    rng = random.Random(args.seed)
    register = make_register(rng, args.pupils)
    posts = make_posts(rng, args.posts, args.words, register)
    mean_words = statistics.mean(len(p.split()) for p in posts)
    print(f"Speed: {len(posts)} posts of {mean_words:.0f} words on average, one core")
    for post in posts[:20]:  # compile the patterns and warm the caches before timing
        check_text(post, register=register)
    index = RegisterIndex(register)
    timed("no register", posts, lambda post: check_text(post))
    timed(f"{len(register)}-pupil register, rebuilt per post", posts, lambda post: check_text(post, register=register))
    timed(f"{len(register)}-pupil register, index built once", posts, lambda post: check_text(post, register=index))


def accuracy() -> None:
    import yaml

    from safesocial.text.rules import CHECK_NAMES, RegisterPupil, check_text, decision

    data = yaml.safe_load(CASES.read_text())
    registers = {name: [RegisterPupil(**p) for p in pupils] for name, pupils in data["registers"].items()}
    cases = data["cases"]
    counts: dict[str, Counter] = {check: Counter() for check in CHECK_NAMES}
    decisions = Counter()
    mistakes = []
    for case in cases:
        findings = check_text(case["text"], register=registers.get(case.get("register")), public=case.get("public", ()))
        fired = {f.check for f in findings}
        expected = set(case["expect"])
        for check in CHECK_NAMES:
            key = {(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}[
                (check in fired, check in expected)
            ]
            counts[check][key] += 1
        if fired != expected:
            mistakes.append(f"    {case['text'][:90]!r}: expected {sorted(expected)}, fired {sorted(fired)}")
        if "decision" in case:
            decisions["right" if decision(findings) == case["decision"] else "wrong"] += 1
    print(f"\nAccuracy on {len(cases)} labelled cases ({CASES.relative_to(REPO)})")
    print(f"  {'check':<15} {'cases':>5} {'fires':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>7}")
    for check, c in counts.items():
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(
            f"  {check:<15} {c['tp'] + c['fn']:>5} {c['tp'] + c['fp']:>5} {c['tp']:>4} {c['fp']:>4} {c['fn']:>4}"
            f" {precision:>10.3f} {recall:>7.3f}"
        )
    print(f"  severity (ok/warn/block) right on {decisions['right']} of {sum(decisions.values())} cases that state it")
    exact = len(cases) - len(mistakes)
    print(f"  every check right on {exact} of {len(cases)} cases")
    if mistakes:
        print("  wrong:")
        print("\n".join(mistakes))


def load_rows(paths: list[Path]) -> list[dict]:
    import yaml

    rows = []
    for path in paths:
        rows += yaml.safe_load(path.read_text(encoding="utf-8"))
    return rows


def score_set(title: str, rows: list[dict]) -> dict[str, float]:
    """Per category, the share of posts flagged (warn or block) before (rules.check_text alone) and after (rules and
    meaning, through semantic_posts.check_posts, the code path of `safesocial check-post`), with no register."""
    from safesocial.text.rules import check_text, decision
    from safesocial.text.semantic_posts import LABEL_CHECK, check_posts

    texts = [r["text"] for r in rows]
    started = time.perf_counter()
    after = check_posts(texts)
    seconds = time.perf_counter() - started
    counts: dict[str, Counter] = {}
    for row, findings in zip(rows, after, strict=True):
        c = counts.setdefault(row["label"], Counter())
        c["n"] += 1
        c["before"] += decision(check_text(row["text"])) != "ok"
        c["after"] += decision(findings) != "ok"
        c["blocked"] += decision(findings) == "block"
        if row["label"] != "ok":
            c["right"] += LABEL_CHECK[row["label"]] in {f.check for f in findings}
    print(f"{title} ({len(rows)} posts, {len(rows) / seconds:.0f} posts/s):")
    print(f"  {'category':<18} {'posts':>5} {'before':>7} {'after':>6} {'blocked':>8} {'right check':>12}")
    totals = {"problem": Counter(), "ok": Counter()}
    for label, c in sorted(counts.items()):
        right = f"{c['right'] / c['n']:>12.2f}" if label != "ok" else f"{'':>12}"
        print(
            f"  {label:<18} {c['n']:>5} {c['before'] / c['n']:>7.2f} {c['after'] / c['n']:>6.2f}"
            f" {c['blocked'] / c['n']:>8.2f}{right}"
        )
        totals["ok" if label == "ok" else "problem"].update(c)
    for name, c in totals.items():
        print(
            f"  {'all ' + name:<18} {c['n']:>5} {c['before'] / c['n']:>7.2f} {c['after'] / c['n']:>6.2f}"
            f" {c['blocked'] / c['n']:>8.2f}"
        )
    return {name: c["after"] / c["n"] for name, c in totals.items()}


def blind(name: str) -> None:
    directory = REPO / "benchmarks" / "blind"
    if name == "newest":
        found = sorted(directory.glob("posts_w*.yaml"), key=lambda p: int(p.stem.removeprefix("posts_w")))
        if not found:
            sys.exit(f"no posts_w*.yaml in {directory.relative_to(REPO)}: name a blind set")
        name = found[-1].name
    path = directory / name
    score_set(f"Blind posts, {path.relative_to(REPO)}", load_rows([path]))


def writers() -> None:
    """The shipped model on each training writer's posts, marked held out where the model never saw that writer
    (a writer added since the model was trained, or every writer for a model trained on others)."""
    import json

    from safesocial.text.training.train_posts import DATA_DIR, writer_files

    meta = json.loads((REPO / "safesocial" / "text" / "model" / "posts.json").read_text(encoding="utf-8"))
    trained_on = set(meta.get("writers") or [name.split(".")[0].removeprefix("posts_") for name in meta["data"]])
    summary = []
    for writer, paths in writer_files(DATA_DIR).items():
        seen = "in training" if writer in trained_on else "held out"
        figures = score_set(f"Writer {writer} ({seen})", load_rows(paths))
        summary.append((writer, seen, figures))
    print("\nSummary (shipped model): writer, problem posts flagged, good posts flagged")
    for writer, seen, figures in summary:
        print(f"  {writer:<4} {seen:<12} {figures['problem']:.2f} {figures['ok']:.2f}")


def lowo() -> None:
    from safesocial.text.training import train_posts

    train_posts.main(["--dry-run"])


def main() -> None:
    args = parse_args()
    setup_django()
    if args.blind:
        blind(args.blind)
        return
    if args.writers:
        writers()
        return
    if args.lowo:
        lowo()
        return
    speed(args)
    accuracy()


if __name__ == "__main__":
    main()
