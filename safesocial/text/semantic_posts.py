"""What a post means, not only what words it uses: the policy's post categories read by sentence embeddings.

The rules of rules.py find what can be found exactly (a phone number, a date of birth, a discount code, "vote
Labour") and point at the characters. What they cannot see is meaning: sarcasm aimed at parents, a job advert that
wants "a young mum type", a pupil's epilepsy, a colleague's sick leave, a sneer at the school down the road. For
those, each category has two logistic heads, trained by training/train_posts.py on posts by independent writers:
one over the sentence embedding (heads.py), one over hashed words, word pairs and four-letter pieces (ngrams.py),
which keeps the one word the embedding smooths over. A head's score is a fixed mix of the two probabilities, read
for the post as a whole and for each sentence; the score is the highest of these, so one bad sentence in a long
cheerful post still counts, and the finding points at the sentence that scored highest. One more head, "any",
is trained on every problem post at once (many more examples than any one category has): when it fires, the
finding is reported as the category whose own score is nearest its cut.

Each head has a cut chosen leaving one writer out (the model's .json records it and the figures): at or above it
the post gets a finding that warns, so the colleague who reads every post sees it with its reason and the sentence
it is about. A finding from meaning alone never blocks: on a new writer's posts the models' surest scores
still blocked 7% of good posts ("fastest in Year 4" read as a health condition), and a blocked post goes back to its
author with no way past. Blocking stays with the exact rules (a phone number, a date of birth, a name against the
register), which can point at what is wrong.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from safesocial.text import ngrams, rules
from safesocial.text.findings import Finding
from safesocial.text.heads import MODEL_DIR, Heads, load
from safesocial.text.sentences import sentences

MODEL_NAME = "posts"

# The training data's labels, the check each reports as, and what a teacher is told.
TONE = "tone"
DISREPUTE = "disrepute"
DISCRIMINATION = "discrimination"
CONFIDENTIAL = "confidential"
SEMANTIC_CHECKS = (TONE, DISREPUTE, DISCRIMINATION, CONFIDENTIAL)

LABEL_CHECK = {
    "personal_view": rules.PERSONAL_VIEW,
    "politics": rules.POLITICAL,
    "tone": TONE,
    "disrepute": DISREPUTE,
    "discrimination": DISCRIMINATION,
    "commercial": rules.COMMERCIAL,
    "special_category": rules.PERSONAL_INFO,
    "dob": rules.PERSONAL_INFO,
    "location": rules.PERSONAL_INFO,
    "full_name": rules.PUPIL_NAME,
    "behaviour": rules.BEHAVIOUR,
    "confidential": CONFIDENTIAL,
    "language": rules.OFFENSIVE,
}
LABELS = tuple(LABEL_CHECK)
# A head for "breaks the policy somehow", reported as its nearest category.
ANY = "any"
HEADS = (*LABELS, ANY)

REASONS = {
    "personal_view": "This reads as a personal view or opinion. Posts speak for the school, so the policy asks for "
    "neutral wording and no personal views.",
    "politics": "This seems to take a side in politics or a campaign. The policy says posts must not take a side in "
    "any political debate or express political opinions.",
    "tone": "The tone here may read as sarcastic or belittling towards families. The policy asks for a positive, "
    "respectful tone to parents and carers.",
    "disrepute": "This seems to criticise or mock others (inspectors, another school, the council, parents). The "
    "policy says posts must not bring the school or others into disrepute.",
    "discrimination": "This may discriminate or stereotype (by sex, race, religion, disability or age), or a job "
    "advert may state who is preferred. The policy does not allow this.",
    "commercial": "This seems to promote a business, an offer or a discount. The policy does not allow staff "
    "businesses, sponsors' offers or discount codes on the school's channels.",
    "special_category": "This seems to share a pupil's health, medical needs, SEN or family circumstances. That is "
    "sensitive personal information and must not be shared.",
    "dob": "This seems to give a pupil's birthday or age with a date, from which a date of birth follows. Dates of "
    "birth are personal information and must not be shared.",
    "location": "This seems to say where a pupil lives or travels from. Posts must not share where a child can be "
    "found.",
    "full_name": "This seems to name a pupil in full. The policy needs a family's prior consent before a post names "
    "their child: check the consent, or use the first name only.",
    "behaviour": "This seems to describe a behaviour incident. The policy says no one should draw attention to, or "
    "discuss, behaviour incidents on social media.",
    "confidential": "This seems to be about a confidential matter (a colleague's absence or HR, an exclusion, a "
    "safeguarding case). It must not be shared on social media.",
    "language": "The language here may not be school-friendly. The policy asks for appropriate language that no one "
    "could find offensive.",
}


@dataclass(frozen=True)
class Reading:
    """One post's scores: per category, the best of the whole post and each sentence, and where that was."""

    scores: np.ndarray  # (len(categories),)
    where: list[tuple[int, int]]  # per category, the span that scored highest


@dataclass(frozen=True)
class PostModel:
    """The embedding heads, the n-gram heads and the share of the first in a head's score."""

    heads: Heads
    ngram_W: np.ndarray | None  # (len(categories), ngrams.BUCKETS); None for a model of embedding heads only
    ngram_b: np.ndarray | None
    mix: float

    @property
    def categories(self) -> tuple[str, ...]:
        return self.heads.categories

    @property
    def meta(self) -> dict:
        return self.heads.meta

    def scores(self, pieces: Sequence[str]) -> np.ndarray:
        # here, not at the top: the embedder loads onnxruntime and its model, paid only when text is embedded
        from safesocial.text.embedder import embed

        probabilities = self.heads.scores(embed(pieces))
        if self.ngram_W is None or self.ngram_b is None:
            return probabilities
        by_ngrams = 1.0 / (1.0 + np.exp(-ngrams.logits(pieces, self.ngram_W, self.ngram_b)))
        return self.mix * probabilities + (1 - self.mix) * by_ngrams


def read(texts: Sequence[str], heads: PostModel | None = None) -> list[Reading]:
    """Score posts in one batch (whole posts and their sentences together)."""
    heads = heads or model()
    pieces: list[str] = []
    owners: list[tuple[int, tuple[int, int]]] = []
    for i, text in enumerate(texts):
        pieces.append(text)
        owners.append((i, (0, len(text))))
        spans = sentences(text)
        if len(spans) > 1:
            for span in spans:
                pieces.append(text[span[0] : span[1]])
                owners.append((i, span))
    probabilities = heads.scores(pieces) if pieces else np.zeros((0, len(heads.categories)))
    best = np.zeros((len(texts), len(heads.categories)))
    best_sentence = np.full((len(texts), len(heads.categories)), -1.0)
    where: list[list[tuple[int, int]]] = [[(0, len(t))] * len(heads.categories) for t in texts]
    for (i, span), row in zip(owners, probabilities, strict=True):
        best[i] = np.maximum(best[i], row)
        if span == (0, len(texts[i])):
            continue
        # The finding points at the sentence that scored highest, even where the whole post scored higher still.
        better = row > best_sentence[i]
        best_sentence[i] = np.where(better, row, best_sentence[i])
        for k in np.flatnonzero(better):
            where[i][k] = span
    return [Reading(best[i], where[i]) for i in range(len(texts))]


@cache
def model() -> PostModel:
    """Loaded once per process: the embedding heads and the n-gram weights (about 2 MB, kept as float16). A model
    file from before the n-gram heads (no "mix" in its .json) is read as embedding heads alone."""
    heads = load(MODEL_NAME)
    path = MODEL_DIR / f"{MODEL_NAME}.ngrams.npz"
    if "mix" not in heads.meta or not path.exists():
        return PostModel(heads, None, None, 1.0)
    with np.load(path) as arrays:
        W, b = arrays["W"], arrays["b"].astype(np.float64)
    return PostModel(heads, W, b, float(heads.meta["mix"]))


def nearest_category(scores: np.ndarray, categories: Sequence[str], cuts: dict) -> str:
    """The category an "any" finding is reported as: the one whose score is nearest its own cut."""
    ratios = [
        scores[k] / max(cuts[label]["flag"], 1e-6) if label in LABEL_CHECK else -1.0
        for k, label in enumerate(categories)
    ]
    return categories[int(np.argmax(ratios))]


def findings_from(reading: Reading, *, has_register: bool, heads: PostModel | None = None) -> list[Finding]:
    heads = heads or model()
    cuts = heads.meta["cuts"]
    fired: dict[str, tuple[int, int]] = {}
    for k, label in enumerate(heads.categories):
        if float(reading.scores[k]) < cuts[label]["flag"]:
            continue
        if label == ANY:
            label = nearest_category(reading.scores, heads.categories, cuts)
        fired.setdefault(label, reading.where[k])
    found = []
    for label, (start, end) in fired.items():
        if label == "full_name" and has_register:
            continue  # the register knows exactly who is named and with what consent
        found.append(Finding(LABEL_CHECK[label], "warn", REASONS[label], start, end))
    return found


def _overlap(a: Finding, b: Finding) -> bool:
    if a.start is None or a.end is None or b.start is None or b.end is None:
        return False
    return a.start < b.end and b.start < a.end


def combine(rule_findings: list[Finding], semantic: list[Finding]) -> list[Finding]:
    """The rules' findings, and the model's where no rule of the same check already points at that stretch of text:
    an exact span and reason beat a sentence and a general one. One finding per check per stretch."""
    kept = list(rule_findings)
    for finding in semantic:
        overlapping = any(r.check == finding.check and _overlap(r, finding) for r in rule_findings)
        duplicate = any(k.check == finding.check and k.start == finding.start and k.end == finding.end for k in kept)
        if not overlapping and not duplicate:
            kept.append(finding)
    kept.sort(key=lambda f: (f.start if f.start is not None else -1, f.end or 0))
    return kept


def check_posts(
    texts: Sequence[str],
    *,
    register: Sequence[rules.RegisterPupil] | rules.RegisterIndex | None = None,
    public: Collection[str] = (),
) -> list[list[Finding]]:
    """Every check, exact and by meaning, over many posts at once (one batch of embeddings)."""
    index = register if isinstance(register, rules.RegisterIndex) else rules.RegisterIndex(register or ())
    has_register = bool(index.first)
    readings = read(texts)
    return [
        combine(
            rules.check_text(text, register=index if has_register else None, public=public),
            findings_from(reading, has_register=has_register),
        )
        for text, reading in zip(texts, readings, strict=True)
    ]


def check_post(
    text: str,
    *,
    register: Sequence[rules.RegisterPupil] | rules.RegisterIndex | None = None,
    public: Collection[str] = (),
) -> list[Finding]:
    """The post checks as publishing runs them: rules.check_text, and the model for what words alone miss."""
    return check_posts([text], register=register, public=public)[0]
