"""The public data sets in ../shared/data/moderation/, read as they are, with the splits training and benchmarks share.

Every example is (dataset, split, text, labels): labels maps a category (abuse, hate, spam) to 0 or 1 and leaves out
the categories a data set says nothing about, so training never reads "not labelled" as "no".

Splits:
- HateXplain: the official train/val/test ids (post_id_divisions.json). The MBIB copy already drops the posts with
  no majority label from val and test; "no majority" posts in train are left out too.
- Reddit misogyny: the official train/test column; a tenth of train (by hash) is the validation split.
- Davidson, OLID (training file only: the OLID test set is not in shared/), SMS spam and YouTube spam: no official
  split, so each text goes to test (10%), val (10%) or train (80%) by the SHA-1 of its normalised text. Duplicate
  texts (spam templates, retweets) therefore always share a split and cannot leak from train into test.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from safesocial.moderation.features import normalise

REPO = Path(__file__).resolve().parents[3]
DATA = Path(os.environ.get("SAFESOCIAL_MODERATION_DATA", REPO.parent / "shared" / "data" / "moderation"))

TOXICITY_SETS = ("davidson", "hatexplain", "olid", "reddit_misogyny")
SPAM_SETS = ("sms_spam", "youtube_spam")
ALL_SETS = TOXICITY_SETS + SPAM_SETS


@dataclass(frozen=True)
class Example:
    dataset: str
    split: str  # train, val or test
    text: str
    labels: dict[str, int]
    source_label: str  # the data set's own label, for the benchmark's tables


def hashed_split(text: str) -> str:
    digest = hashlib.sha1(normalise(text).encode("utf-8")).digest()
    bucket = digest[0] % 10
    return "test" if bucket == 0 else "val" if bucket == 1 else "train"


def davidson() -> Iterator[Example]:
    names = {"0": "hate", "1": "offensive", "2": "neither"}
    with open(DATA / "davidson_hate_offensive" / "labeled_data.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            label = row["class"]
            text = row["tweet"]
            yield Example(
                "davidson",
                hashed_split(text),
                text,
                {"abuse": int(label in "01"), "hate": int(label == "0")},
                names[label],
            )


def hatexplain() -> Iterator[Example]:
    folder = DATA / "hatexplain"
    divisions = json.loads((folder / "post_id_divisions.json").read_text(encoding="utf-8"))
    split_of = {post: split for split, posts in divisions.items() for post in posts}
    names = {"0": "normal", "1": "hatespeech", "2": "offensive"}
    with open(folder / "092-HateXplain.csv", newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        next(reader)
        for post_id, text, _label, category, _index in reader:
            if category == "3" or post_id not in split_of:  # no majority among the three annotators
                continue
            yield Example(
                "hatexplain",
                split_of[post_id],
                text,
                {"abuse": int(category in "12"), "hate": int(category == "1")},
                names[category],
            )


def olid() -> Iterator[Example]:
    with open(DATA / "olid_train" / "olid-training-v1.0.tsv", encoding="utf-8") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for _id, text, a, _b, _c in reader:
            yield Example("olid", hashed_split(text), text, {"abuse": int(a == "OFF")}, a)


def reddit_misogyny() -> Iterator[Example]:
    with open(DATA / "reddit_misogyny" / "final_labels.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            text = row["body"]
            if not text.strip() or row["level_1"] not in ("Misogynistic", "Nonmisogynistic"):
                continue
            split = row["split"]
            if split == "train" and hashed_split(text) == "val":
                split = "val"
            yield Example(
                "reddit_misogyny",
                split,
                text,
                {"hate": int(row["level_1"] == "Misogynistic")},
                row["level_2"] or row["level_1"],
            )


def sms_spam() -> Iterator[Example]:
    with open(DATA / "sms_spam" / "SMSSpamCollection.tsv", encoding="utf-8") as f:
        next(f)  # the header line this copy added
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            label, text = line.split("\t", 1)
            yield Example("sms_spam", hashed_split(text), text, {"spam": int(label == "spam")}, label)


def youtube_spam() -> Iterator[Example]:
    for path in sorted((DATA / "youtube_spam").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                text = row["CONTENT"]
                label = row["CLASS"]
                yield Example(
                    "youtube_spam",
                    hashed_split(text),
                    text,
                    {"spam": int(label == "1")},
                    "spam" if label == "1" else "ham",
                )


LOADERS = {
    "davidson": davidson,
    "hatexplain": hatexplain,
    "olid": olid,
    "reddit_misogyny": reddit_misogyny,
    "sms_spam": sms_spam,
    "youtube_spam": youtube_spam,
}


def load(name: str, split: str | None = None) -> list[Example]:
    return [e for e in LOADERS[name]() if split is None or e.split == split]


@dataclass(frozen=True)
class PiiExample:
    text: str
    spans: list[tuple[str, int, int]]  # (entity type, start, end)


def presidio() -> list[PiiExample]:
    """Microsoft's synthetic personal-information sentences (evaluation only: no model learns from them)."""
    rows = json.loads((DATA / "presidio_synth_pii" / "synth_dataset_v2.json").read_text(encoding="utf-8"))
    return [
        PiiExample(
            row["full_text"],
            [(s["entity_type"], s["start_position"], s["end_position"]) for s in row["spans"]],
        )
        for row in rows
    ]
