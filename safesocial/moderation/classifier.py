"""The comment classifier that ships inside SafeSocial: scores, spans and reasons for the policy's ten categories.

    from safesocial.moderation.classifier import classify, decide
    result = classify("Ring me on 07700 900123")
    result["pii"].score, result["pii"].spans, result["pii"].reason
    decide(result)                      # "hide", with SafeSocial's usual thresholds
    decide(result, policy_thresholds)   # the trust's own (thresholds.thresholds_from_policy)

A cascade of three cheap steps, all on the CPU with no network and nothing heavier than numpy:

1. British praise ("smashed it", "bloody freezing", "sick!") is replaced by "great" before anything else reads it.
2. Two linear models over the same features (features.py): one trained by training/train.py on the public data sets
   scores abuse, hate and spam; one trained by training/train_school.py on school-page comments written for
   SafeSocial scores safeguarding, threats, inflammatory comments, complaints, adverts and appeals.
3. Rules: text/rules.py for swearing and slurs, personal information, behaviour incidents and (with a
   register) pupils' names; patterns.py for threats, hate and abuse phrasings, inflammatory comments, commercial
   posts, donation requests, safeguarding disclosures and complaints, which no data set covers.
4. The semantic layer: logistic heads over a sentence embedding of the comment (text/semantic_comments.py,
   trained by training/train_semantic.py) for the categories where, out of fold on independent writers' comments,
   they catch what words miss (disclosures in other words, hate without slurs, scams). Their logit is mapped so that
   the cut chosen in training lands on the category's threshold; for safeguarding a second, lower cut lands on the
   review band (thresholds.REVIEW_BAND), and hate the semantic layer alone finds stays in the review band. For abuse,
   inflammatory comments, complaints and adverts a third cut, the veto, lies below: a head that reads the
   comment as clearly not of its category there overrules the linear models' word counts (not the rules), which out
   of fold raised those categories' precision and recall alike (docs/moderation-model.md).

A category's score is the larger of the models' and the rules'; its spans are the characters that raised it (for the
linear model, the words that pushed its score up most; for the semantic layer, the sentence that scored highest) and
its reason says why in a moderator's words. Every category has a result, most of them 0.

Every comment gets a decision: emoji are read as their names by the semantic layer; a comment in another language is
classified as far as the rules can and marked `unread`, which sends it to review; a very long one is read as its first
and last READ_PART characters.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from safesocial.moderation import features, patterns
from safesocial.moderation.thresholds import (
    ACTIONS,
    CATEGORIES,
    DEFAULT_THRESHOLDS,
    REVIEW_BAND,
    Action,
    action_for,
    thresholds_from_policy,
)
from safesocial.moderation.thresholds import decide as decide_scores
from safesocial.text import rules as text_checks
from safesocial.text import semantic_comments
from safesocial.text.rules import RegisterIndex, RegisterPupil
from safesocial.text.sentences import sentences

__all__ = [
    "ACTIONS",
    "CATEGORIES",
    "DEFAULT_THRESHOLDS",
    "Action",
    "CategoryResult",
    "Classification",
    "classify",
    "classify_batch",
    "decide",
    "thresholds_from_policy",
]

MODEL_DIR = Path(__file__).resolve().parent / "model"
Span = tuple[int, int]
Rows = tuple[np.ndarray, float, np.ndarray, float]  # features.scaled_rows


@dataclass(frozen=True)
class CategoryResult:
    name: str
    score: float  # 0 to 1
    spans: tuple[Span, ...] = ()  # (start, end) character offsets into the comment
    reason: str = ""  # empty when nothing was found


@dataclass(frozen=True)
class Classification:
    categories: dict[str, CategoryResult]  # every category in CATEGORIES, in that order
    unread: str = ""  # why the comment could not be read (another language): a person reads it

    def __getitem__(self, name: str) -> CategoryResult:
        return self.categories[name]

    @property
    def scores(self) -> dict[str, float]:
        return {name: result.score for name, result in self.categories.items()}

    def fired(self, thresholds: Mapping[str, tuple[Action, float]] | None = None) -> list[CategoryResult]:
        """The categories whose score reaches their threshold, or the review band below it."""
        return [r for r in self.categories.values() if action_for(r.name, r.score, thresholds) is not None]


def decide(
    classification: Classification | Mapping[str, float],
    thresholds: Mapping[str, tuple[Action, float]] | None = None,
) -> Action:
    """allow, hide, review, escalate or redirect: the most protective action among the categories that fire.

    `thresholds` maps a category to (action, threshold), as thresholds.thresholds_from_policy reads them from a
    trust's policy; DEFAULT_THRESHOLDS when None. Safeguarding escalates and complaints redirect by default; a
    comment the classifier could not read goes to review at least."""
    if isinstance(classification, Classification):
        return decide_scores(classification.scores, thresholds, unread=bool(classification.unread))
    return decide_scores(classification, thresholds)


# ---------------------------------------------------------------------------------------------------------------------
# The linear model
# ---------------------------------------------------------------------------------------------------------------------


class ModelError(RuntimeError):
    pass


class LinearModel:
    """A shipped artefact: NAME.npz (a float16 weight table) and NAME.json (biases and how it was made).

    "linear" (training/train.py) scores abuse, hate and spam from the public data sets; "school"
    (training/train_school.py) scores the categories only school comments teach, with its features folded into a
    smaller table (2**bits rows: a feature's row is its row in features.py with the upper bits dropped)."""

    def __init__(self, directory: Path = MODEL_DIR, name: str = "linear"):
        config = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
        if config.get("format") != "safesocial-linear" or config.get("features_version") != features.FEATURES_VERSION:
            raise ModelError(f"{directory}/{name} is a model for other features: retrain it (training/)")
        if not 0 < config["bits"] <= features.BITS:
            raise ModelError(
                f"{directory}/{name}: the model has 2**{config['bits']} rows, the features 2**{features.BITS}"
            )
        raw = (directory / f"{name}.npz").read_bytes()
        if hashlib.sha256(raw).hexdigest() != config["weights_sha256"]:
            raise ModelError(f"{directory}/{name}.npz does not match {name}.json: the artefact is damaged")
        with np.load(directory / f"{name}.npz", allow_pickle=False) as archive:
            self.weights = archive["weights"].astype(np.float32)
        if self.weights.shape[0] != 1 << config["bits"]:
            raise ModelError(f"{directory}/{name}.npz has {self.weights.shape[0]} rows, not 2**{config['bits']}")
        self.mask = None if config["bits"] == features.BITS else (1 << config["bits"]) - 1
        self.heads: list[str] = list(config["heads"])
        self.biases = np.asarray(config["biases"], dtype=np.float32)
        self.column = {head: i for i, head in enumerate(self.heads)}

    def logits(self, rows: Rows) -> tuple[np.ndarray, Rows]:
        """One logit per head from features.scaled_rows, and the rows as this model reads them (word_contributions
        takes those)."""
        chars, char_scale, words, word_scale = rows
        if self.mask is not None:
            chars = chars & self.mask
            words = words & self.mask
            rows = (chars, char_scale, words, word_scale)
        z = self.biases.astype(np.float64)
        if len(chars):
            z = z + self.weights[chars].sum(axis=0) * char_scale
        if len(words):
            z = z + self.weights[words].sum(axis=0) * word_scale
        return z, rows

    def word_contributions(self, layout: TokenLayout, head: str, rows: Rows) -> list[tuple[float, Span]]:
        """How much each word of the comment pushed one head's score up, as (logit, span), largest first.

        Each n-gram counts for the word it starts in, each word pair half for each of its words. Words are found
        back in the comment in order; one the normaliser changed beyond recognition (a link, a number) has no
        span and is left out."""
        chars, char_scale, word_rows, word_scale = rows
        n = len(layout.spans)
        if not n or not len(chars):
            return []
        column = self.weights[:, self.column[head]]
        values = np.bincount(layout.owner, weights=column[chars], minlength=n) * char_scale
        values += column[word_rows[:n]] * word_scale
        if len(word_rows) > n:
            pairs = column[word_rows[n:]] * (word_scale / 2)
            values[:-1] += pairs
            values[1:] += pairs
        found = [(float(value), span) for value, span in zip(values, layout.spans, strict=True) if span is not None]
        found.sort(key=lambda item: -item[0])
        return found


class TokenLayout:
    """Where the normalised comment's tokens are, worked out once for every head that needs its words: which token
    each character n-gram starts in, and each token's span in the comment."""

    def __init__(self, text: str, normalised: str):
        tokens = normalised.split(" ")
        bounds = np.concatenate(([0], np.cumsum([len(t) + 1 for t in tokens])[:-1]))  # each token's space before it
        starts = features.char_starts(normalised)
        self.owner = np.minimum(np.searchsorted(bounds, starts, side="right") - 1, len(tokens) - 1)
        self.spans = _find_in_order(text, tokens)


def _find_in_order(text: str, tokens: list[str]) -> list[Span | None]:
    """Where each normalised token is in the comment, searching on from the last one found."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lower-cased; offsets would drift
        return [None] * len(tokens)
    spans: list[Span | None] = []
    cursor = 0
    for token in tokens:
        at = lowered.find(token, cursor)
        if at < 0:
            spans.append(None)
            continue
        end = at + len(token)
        while end < len(text) and text[end].isalnum():  # the whole word: "idiot" in "idiots"
            end += 1
        spans.append((at, end))
        cursor = end
    return spans


@cache
def model() -> LinearModel:
    return LinearModel()


@cache
def school_model() -> LinearModel:
    return LinearModel(name="school")


# What the semantic layer found, in a moderator's words: it reads meaning, so it has no words to quote; its span is the
# sentence that scored highest.
SEMANTIC_REASONS = {
    "safeguarding": "This may be {kind}: a safeguarding lead should read it. " + patterns.SAFEGUARDING_RULE,
    "hate": "This may be hateful without a slur (coded words, a stereotype or emoji aimed at people for who they "
    "are): a moderator should read it before it stays up. " + patterns.HATE_RULE,
    "spam": "This reads like spam or a scam (an offer, a prize or a contact to strangers). " + patterns.SPAM_RULE,
    "threat": "This may be a threat, though in other words than the usual ones. " + patterns.THREAT_RULE,
    "inflammatory": "This may be stirring up feeling or singling someone out. " + patterns.INFLAMMATORY_RULE,
    "complaint": "This reads like a complaint about the school. " + patterns.COMPLAINT_RULE,
    "commercial": "This reads like an advert for a business. " + patterns.COMMERCIAL_RULE,
    "donation": "This reads like a request for money. " + patterns.DONATION_RULE,
    "abuse": "This reads as abusive or offensive. " + patterns.ABUSE_RULE,
    "pii": "This seems to share someone's personal details (where a family lives, a child's health, a car, a "
    "routine) in other words than a number or an address: a moderator should read it before it stays up.",
}
# The kinds of disclosure the semantic layer tells apart (training/train_semantic.py KINDS), as a reason names them.
SAFEGUARDING_KINDS = {
    "self_harm": "a pupil saying they want to disappear or harm themselves",
    "bullying": "a child bullied so badly they no longer want to come to school",
    "harm_at_home": "a child being hurt or frightened at home",
    "neglect": "signs that a child is neglected or injured",
    "hiding": "a family hiding from someone (a refuge, a court order or a placement) who must not find them "
    "through the school's page",
    "exploitation": "an adult grooming or exploiting a child",
    "sleeping_rough": "a child without a safe place to sleep",
    "challenge": "a dangerous challenge going round pupils",
    "danger_now": "a child in danger now",
}
SAFEGUARDING_ANY = "a worry about a child's safety"
# Hate the semantic layer alone finds is reviewed, never hidden: its score stays below hate's threshold.
SEMANTIC_REVIEW_ONLY = {"hate"}
# The linear models' evidence this sure stands whatever the semantic layer reads (its veto, below), as every rule's
# does: an insult the public data sets agree on. Set by principle, then checked on the public train splits and the
# project's cases (docs/moderation-model.md), not chosen on the writers' comments, where any veto helps.
VETO_STANDS = 0.85
# Nor is abuse vetoed where hate or a threat acts: a hateful or threatening comment is abusive too (the writers give
# each comment one label, so their abuse head reads "Go back to your own country" as hate, not abuse).
ABUSIVE_TOO = {"abuse": ("hate", "threat")}
# What the semantic layer alone reads as abuse in a comment that reads as a complaint stays a complaint, answered and
# pointed to the procedure rather than hidden: the writers' abuse names staff more often than their complaints do, so
# the head takes "Mr Jones never answers his emails" for an insult. Insulting words still hide it (the rules).
SEMANTIC_YIELDS = {"abuse": "complaint"}


@dataclass(frozen=True)
class SemanticReading:
    scores: dict[str, float]  # per category it joins (mapped), and each kind of disclosure's raw logit
    where: dict[str, Span]  # per category, the sentence that scored highest (the whole comment when it has one)
    vetoed: frozenset[str] = frozenset()  # categories whose head reads the comment as clearly not one of them


class SemanticLayer:
    """The comment heads (safesocial/text/model/comments.*) and how each joins the ensemble (their `ensemble`
    record, written by training/train_semantic.py): an affine map of the head's logit that puts the training cut on
    the category's threshold (and safeguarding's review cut on its review band)."""

    def __init__(self, heads, memory):
        self.heads = heads
        self.memory = memory
        self.memory_weight = float(heads.meta.get("memory_weight", 0.0))
        self.column = {name: i for i, name in enumerate(heads.categories)}
        self.kinds = [name for name in heads.categories if name.startswith("safeguarding:")]
        self.maps: dict[str, tuple[float, float, float]] = {}  # category: (slope, intercept, highest score)
        # category: the logit below which what the linear models alone flag is not acted on (training's `veto`)
        self.vetoes: dict[str, float] = {}
        for category, choice in heads.meta["ensemble"].items():
            if not choice.get("used"):
                continue
            if choice.get("veto") is not None:
                self.vetoes[category] = float(choice["veto"])
            threshold = DEFAULT_THRESHOLDS[category][1]
            band = REVIEW_BAND.get(category, 0.0)
            top = _logit(threshold - band if category in SEMANTIC_REVIEW_ONLY else threshold)
            slope = 1.0
            if choice.get("review_cut") is not None and choice["review_cut"] < choice["cut"] and band:
                slope = (top - _logit(threshold - band)) / (choice["cut"] - choice["review_cut"])
            cap = threshold - 0.01 if category in SEMANTIC_REVIEW_ONLY else 1.0
            self.maps[category] = (slope, top - slope * choice["cut"], cap)

    def logits(self, vectors: np.ndarray) -> np.ndarray:
        """Every head's logit for each vector, with its neighbours' margin added."""
        logits = vectors @ self.heads.W.T + self.heads.b
        if self.memory_weight:
            margins = self.memory.margins(vectors)
            logits[:, : margins.shape[1]] += self.memory_weight * margins
        return logits

    def score(self, texts: Sequence[str]) -> list[SemanticReading]:
        """Each comment's semantic score per category it joins (mapped), its kind of disclosure (raw), and per
        category the sentence that scored highest. Safeguarding and hate count the higher of the whole comment and
        its best sentence (semantic_comments.PER_SENTENCE); the kinds are those of the piece that counted."""
        # here, not at the top: the embedder loads onnxruntime and its model, paid only when text is embedded
        from safesocial.text.embedder import embed

        if not texts:
            return []
        readable, owners = semantic_comments.pieces(texts)
        logits = self.logits(embed(readable))
        whole = {i: row for row, (i, span) in enumerate(owners) if span is None}
        by_text: dict[int, list[int]] = {}
        for row, (i, span) in enumerate(owners):
            if span is not None:
                by_text.setdefault(i, []).append(row)
        readings = []
        for i, text in enumerate(texts):
            z = logits[whole[i]].copy()
            kinds_from = whole[i]
            where: dict[str, Span] = {}
            rows = by_text.get(i, [])
            # One sentence long enough to read alone ("Hi Miss. <a disclosure>"): it is what the comment says.
            alone = sentences(text) if not rows else []
            for c in self.maps:
                column = self.column[c]
                if not rows:
                    where[c] = alone[0] if alone else (0, len(text))
                    continue
                best = max(rows, key=lambda r: logits[r, column])
                where[c] = owners[best][1] or (0, len(text))
                if c in semantic_comments.PER_SENTENCE and logits[best, column] > z[column]:
                    z[column] = logits[best, column]
                    if c == "safeguarding":
                        kinds_from = best
            chances = {
                c: min(_sigmoid(slope * float(z[self.column[c]]) + b), cap) for c, (slope, b, cap) in self.maps.items()
            }
            chances.update({kind: float(logits[kinds_from, self.column[kind]]) for kind in self.kinds})
            vetoed = frozenset(c for c, veto in self.vetoes.items() if z[self.column[c]] < veto)
            readings.append(SemanticReading(chances, where, vetoed))
        return readings

    def reason(self, category: str, scores: Mapping[str, float]) -> str:
        if category != "safeguarding":
            return SEMANTIC_REASONS[category]
        kind = max(self.kinds, key=lambda k: scores.get(k, -1e9), default="")
        return SEMANTIC_REASONS[category].format(kind=SAFEGUARDING_KINDS.get(kind.partition(":")[2], SAFEGUARDING_ANY))


@cache
def semantic_layer() -> SemanticLayer:
    try:
        heads = semantic_comments.heads()
        memory = semantic_comments.memory()
    except FileNotFoundError:
        raise ModelError(
            "the semantic layer's heads (safesocial/text/model/comments.*) are missing: "
            "run python -m safesocial.moderation.training.train_semantic"
        ) from None
    return SemanticLayer(heads, memory)


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -40 else 0.0


# ---------------------------------------------------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------------------------------------------------

MODEL_REASONS = {
    "abuse": "The wording reads as abusive or offensive ({words}). " + patterns.ABUSE_RULE,
    "hate": "The wording reads as hostile to people for who they are ({words}). " + patterns.HATE_RULE,
    "spam": "This reads like spam or an advert ({words}). " + patterns.SPAM_RULE,
    "safeguarding": "The wording reads like a possible worry about a child's safety ({words}). "
    + patterns.SAFEGUARDING_RULE,
    "threat": "The wording reads like a threat ({words}). " + patterns.THREAT_RULE,
    "inflammatory": "The wording reads like stirring up feeling or singling someone out ({words}). "
    + patterns.INFLAMMATORY_RULE,
    "complaint": "The wording reads like a complaint about the school ({words}). " + patterns.COMPLAINT_RULE,
    "commercial": "The wording reads like an advert for a business ({words}). " + patterns.COMMERCIAL_RULE,
    "donation": "The wording reads like a request for money ({words}). " + patterns.DONATION_RULE,
}
CONTACT_REASON = (
    "This shares personal information (“{shown}”). Phone numbers, email and home addresses and postcodes are hidden "
    "so they are not left on a public page."
)
ORGANISATION_CONTACT_REASON = (
    "This looks like an organisation's contact details (“{shown}”), which are fine to share; check it is not a "
    "person's own."
)
FULL_NAME_REASON = (
    "This names a pupil in full (“{shown}”): a child's full name is personal information on a public page."
)
UNCHECKED_NAME_REASON = (
    "This seems to name a pupil in full with their class (“{shown}”): a child's full name is personal information "
    "on a public page, and without the school's register consent cannot be checked."
)
FIRST_NAME_REASON = "This may name a pupil (“{shown}”): check who it is. " + patterns.CHILD_NAME_RULE
BEHAVIOUR_REASON = "This discusses a behaviour incident (“{shown}”). " + text_checks.BEHAVIOUR_RULE
NAMED_IN_INCIDENT_REASON = "This names a pupil in a comment about a behaviour incident (“{shown}”). " + (
    patterns.CHILD_NAME_RULE
)
WORDS_REASONS = {
    "swear word": ("abuse", 0.75, "This contains strong swearing (“{shown}”). The policy removes abusive comments."),
    "sexual term": ("abuse", 0.75, "This contains sexual language (“{shown}”), not for a school's page."),
    "offensive phrase": ("abuse", 0.75, "This contains an offensive phrase (“{shown}”). " + patterns.ABUSE_RULE),
    "rude word": ("abuse", 0.3, "This contains a rude word (“{shown}”), mild on its own."),
}
SLUR_REASON = "This contains a slur (“{shown}”). " + patterns.HATE_RULE
EMOJI_ABUSE = re.compile("\U0001f595")  # the middle finger
# Monkeys, apes and bananas thrown at people are a racist taunt (football's most reported one). The three wise
# monkeys (🙈🙉🙊) are everyday embarrassment and are left out. The score sits in hate's review band: a person looks.
APE_EMOJI = re.compile(
    "[\U0001f412\U0001f435\U0001f98d\U0001f9a7]+(?:[\U0001f3fb-\U0001f3ff\ufe0f]|\U0001f34c)*|"
    "\U0001f34c(?=.*[\U0001f412\U0001f435\U0001f98d\U0001f9a7])"
)
APE_EMOJI_REASON = (
    "Monkey, ape or banana emoji aimed at people are a racist taunt: a moderator should read it. " + patterns.HATE_RULE
)
_CONTACT_HINT = re.compile(r"[\d@]")  # every phone number, email, address and postcode has one
# Phone numbers in layouts text_checks leaves to other countries' conventions (905-674-3793, (37) 788-063,
# +41 (0)96 471 07 95, 699 956 915): digit groups with a phone's rhythm. Dates, year ranges, prices and times are
# kept out by the digit count and the checks in _other_phone_numbers.
OTHER_PHONE = re.compile(
    r"(?<![\w£$€.,/:-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?:\s?x\d{1,5})?"
    r"(?![\w£$%/]|[.,:-]\d)"
)
DATE_LIKE = re.compile(r"^\d{1,2}([\s./-])\d{1,2}\1(?:\d{2}|\d{4})$|^(?:19|20)\d\d[\s./-]+(?:19|20)?\d\d$")
OTHER_PHONE_REASON = (
    "This looks like a phone number (“{shown}”). Phone numbers are hidden so they are not left on a public page."
)
# Substrings at least one of which a behaviour incident must contain (text_checks.BEHAVIOUR_PATTERNS and SANCTIONED).
BEHAVIOUR_TRIGGERS = re.compile(
    "incident|exclu|suspen|expel|detention|sent|isolation|fight|bull|police|arrest|behav|swore|threw|punch|kick|hit|"
    "assault|attack|slap|bit|vandal|report|restrain|sanction|caught|stole"
)


# The words behind a model's score are worked out only when the score reaches SafeSocial's usual threshold for its
# category (most of the time they would be thrown away). A trust that sets a lower threshold still sees the category
# fire, with the whole comment as its span.
SPAN_FLOOR = {name: threshold for name, (_, threshold) in DEFAULT_THRESHOLDS.items()}


class _Collector:
    """Evidence per category: (score, span, reason) from each source, combined when done."""

    def __init__(self) -> None:
        self.model: dict[str, tuple[float, list[Span], str]] = {}
        self.rules: dict[str, dict[int, tuple[float, list[Span], str]]] = {}
        self.semantic: dict[str, tuple[float, list[Span], str]] = {}
        self.vetoed: frozenset[str] = frozenset()
        self._results: dict[str, CategoryResult] = {}  # once the evidence is in: abuse asks hate's, threat's too

    def rule(self, category: str, key: int, score: float, span: Span, reason: str) -> None:
        by_rule = self.rules.setdefault(category, {})
        old = by_rule.get(key)
        if old is None:
            by_rule[key] = (score, [span], reason)
        else:
            old[1].append(span)
            if score > old[0]:
                by_rule[key] = (score, old[1], reason)

    def result(self, category: str) -> CategoryResult:
        if category not in self._results:
            self._results[category] = self._result(category)
        return self._results[category]

    def _result(self, category: str) -> CategoryResult:
        # Vetoed: the semantic layer reads the whole comment as clearly not this (swearing in praise, a question about
        # the uniform), so the linear models' word counts do not act unless they are sure; the rules always do.
        vetoed = category in self.vetoed and self.model.get(category, (0.0,))[0] < VETO_STANDS
        if vetoed and any(action_for(c, self.result(c).score) for c in ABUSIVE_TOO.get(category, ())):
            vetoed = False
        result = self._words(category, model=not vetoed)
        semantic = self.semantic.get(category)
        if semantic is None or semantic[0] <= result.score:
            return result
        yields_to = SEMANTIC_YIELDS.get(category)
        if (
            yields_to
            and action_for(category, result.score) is None
            and action_for(yields_to, self.result(yields_to).score)
        ):
            return result
        # The semantic layer lifts the score; its sentence and reason stand only when the rest would not act.
        score, spans, reason = semantic
        if action_for(category, result.score) is not None:
            return CategoryResult(category, round(score, 4), result.spans, result.reason)
        return CategoryResult(category, round(score, 4), _merge(spans + list(result.spans)), reason)

    def _words(self, category: str, model: bool = True) -> CategoryResult:
        by_rule = self.rules.get(category, {})
        if not by_rule and (not model or category not in self.model):
            return _NOTHING[category]
        missed = 1.0
        best_reason, best_score = "", 0.0
        spans: list[Span] = []
        for score, rule_spans, reason in by_rule.values():
            missed *= 1.0 - score
            spans.extend(rule_spans)
            if score > best_score:
                best_score, best_reason = score, reason
        rule_score = 1.0 - missed
        model_score, model_spans, model_reason = self.model.get(category, (0.0, [], "")) if model else (0.0, [], "")
        if model_score > rule_score:
            score, reason = model_score, model_reason
            spans = model_spans + spans if rule_score < 0.3 else spans + model_spans
        else:
            score, reason = rule_score, best_reason
            if model_score >= 0.5:
                spans = spans + model_spans
        return CategoryResult(category, round(min(score, 1.0), 4), _merge(spans), reason if score > 0 else "")


_NOTHING = {name: CategoryResult(name, 0.0) for name in CATEGORIES}


def _merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((a, b) for a, b in merged)


def _shown(text: str, span: Span) -> str:
    return text_checks.excerpt(text, *span)


def _neutralise_praise(text: str) -> tuple[str, list[Span]]:
    """The comment with each British praise idiom replaced by "great" (padded, so offsets do not move)."""
    if patterns.PRAISE_GATE.search(text.lower()) is None:
        return text, []
    spans = [m.span() for m in patterns.PRAISE.finditer(text)]
    if not spans:
        return text, spans
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append("great".ljust(end - start) if end - start >= 5 else " " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts), spans


def _other_phone_numbers(text: str, found: Mapping[int, tuple[float, list[Span], str]]) -> list[tuple[Span, float]]:
    """Phone-like digit groups text_checks did not already report: nine or more digits hide (0.7), seven or eight
    only count towards it (0.5), fewer are not a phone number."""
    known = [span for _, spans, _ in found.values() for span in spans]
    numbers = []
    for match in OTHER_PHONE.finditer(text):
        span = match.span()
        if any(a < span[1] and span[0] < b for a, b in known) or DATE_LIKE.match(match.group()):
            continue
        digits = sum(c.isdigit() for c in match.group())
        if digits >= 9:
            numbers.append((span, 0.7))
        elif digits >= 7:
            numbers.append((span, 0.5))
    return numbers


# The linear models read a comment longer than this in windows of about this size, cut between sentences.
LINEAR_WINDOW = 600


def _windows(text: str) -> list[tuple[int, str]]:
    if len(text) <= LINEAR_WINDOW:
        return [(0, text)]
    windows: list[tuple[int, str]] = []
    start = end = 0
    for a, b in sentences(text, min_words=1):
        if b - start > LINEAR_WINDOW and end > start:
            windows.append((start, text[start:end]))
            start = a
        while b - start > 2 * LINEAR_WINDOW:  # one very long sentence: cut it at a space
            cut = text.rfind(" ", start, start + LINEAR_WINDOW)
            cut = cut if cut > start else start + LINEAR_WINDOW
            windows.append((start, text[start:cut]))
            start = cut
        end = b
    windows.append((start, text[start:]))
    return windows


def _linear_evidence(readable: str, offset: int, text: str, collector: _Collector) -> None:
    """Both linear models' scores for one window of the comment (starting at `offset`), kept where a head scores
    higher than in the windows before."""
    normalised = features.normalise(readable)
    if not normalised:
        return
    rows = features.scaled_rows(normalised)
    layout: TokenLayout | None = None
    for linear in (model(), school_model()):
        logits, own_rows = linear.logits(rows)
        for head, z in zip(linear.heads, logits, strict=True):
            score = _sigmoid(float(z))
            if score < 0.05 or score <= collector.model.get(head, (0.0,))[0]:
                continue
            spans: list[Span] = []
            words = "the comment as a whole"
            if score >= SPAN_FLOOR[head]:
                layout = layout or TokenLayout(readable, normalised)
                contributions = [c for c in linear.word_contributions(layout, head, own_rows) if c[0] > 0]
                top = [c for c in contributions[:3] if c[0] >= 0.25 * contributions[0][0]] if contributions else []
                spans = [(a + offset, b + offset) for _, (a, b) in top] or [(offset, offset + len(readable))]
                words = ", ".join(f"“{text[a:b]}”" for a, b in sorted(spans)) if top else ""
                words = words or "the comment as a whole"
            collector.model[head] = (score, spans, MODEL_REASONS[head].format(words=words))


def _inside(span: Span, spans: Sequence[Span]) -> bool:
    return any(a <= span[0] and span[1] <= b for a, b in spans)


def classify(
    text: str,
    *,
    register: Sequence[RegisterPupil] | RegisterIndex | None = None,
    public: Collection[str] = (),
    semantic: bool = True,
) -> Classification:
    """Scores, spans and reasons for every category.

    `register` is the school's pupils (text_checks.RegisterPupil, or a prebuilt RegisterIndex): only with it can a
    child's full name count as personal information. `public` holds contact details the school publishes itself
    (the office's number and email), which are not personal information. `semantic=False` leaves out the semantic
    layer (its training compares the ensemble with what the rest decides)."""
    return classify_batch([text], register=register, public=public, semantic=semantic)[0]


def classify_batch(
    texts: Sequence[str],
    *,
    register: Sequence[RegisterPupil] | RegisterIndex | None = None,
    public: Collection[str] = (),
    semantic: bool = True,
    layer: SemanticLayer | None = None,
) -> list[Classification]:
    """classify() for many comments at once: the sentence embedder reads them in batches, several times faster
    than one by one (the moderate command passes each chunk it reads). `layer` replaces the shipped semantic layer
    (the benchmark scores each writer with heads trained without them)."""
    parts = [_read_part(text) for text in texts]
    unread = [semantic_comments.unreadable_language(part) for part, _ in parts]
    scores: list[SemanticReading | None] = [None] * len(texts)
    layer = (layer or semantic_layer()) if semantic else None
    if layer is not None:
        wanted = [i for i, (part, _) in enumerate(parts) if unread[i] is None and part.strip()]
        for i, reading in zip(wanted, layer.score([parts[i][0] for i in wanted]), strict=True):
            scores[i] = reading
    results = []
    for (part, shift), language, row, text in zip(parts, unread, scores, texts, strict=True):
        result = _classify(part, register, public, row, layer)
        if shift:
            result = _shift_spans(result, shift, len(text))
        if language:
            result = Classification(result.categories, UNREAD_REASON.format(language=language))
        results.append(result)
    return results


# A longer comment is read as its first and last READ_PART characters, where people put what they mean.
READ_PART = 5_000
_GAP = "\n…\n"
UNREAD_REASON = (
    "This seems to be written in {language}, which SafeSocial cannot read (it reads English): a person who reads it "
    "should decide."
)


def _read_part(text: str) -> tuple[str, tuple[int, int] | None]:
    """(what is read, None) or, for a long comment, (first part + gap + last part, (where the last part starts in
    what is read, how far to move its offsets))."""
    if len(text) <= 2 * READ_PART + len(_GAP):
        return text, None
    read = text[:READ_PART] + _GAP + text[-READ_PART:]
    tail = READ_PART + len(_GAP)
    return read, (tail, len(text) - READ_PART - tail)


def _shift_spans(result: Classification, shift: tuple[int, int], length: int) -> Classification:
    tail, by = shift

    def moved(at: int) -> int:
        return at + by if at >= tail else min(at, READ_PART)

    categories = {
        name: CategoryResult(r.name, r.score, _merge((moved(a), min(moved(b), length)) for a, b in r.spans), r.reason)
        if r.spans
        else r
        for name, r in result.categories.items()
    }
    return Classification(categories, result.unread)


def _classify(
    text: str,
    register: Sequence[RegisterPupil] | RegisterIndex | None,
    public: Collection[str],
    semantic: SemanticReading | None,
    layer: SemanticLayer | None,
) -> Classification:
    collector = _Collector()
    readable, praise = _neutralise_praise(text)
    lowered = readable.lower()

    # 1. The models, on the text with praise neutralised: the public data sets' and the school comments'. A long
    # comment is read a window at a time (the models learned from comments and tweets; summed over thousands of
    # words, small leanings add up to a false alarm), each head keeping its highest window.
    for start, window in _windows(readable):
        _linear_evidence(window, start, text, collector)

    # 1b. The semantic layer, where it reads more than the linear models' words.
    if semantic and layer is not None:
        collector.vetoed = semantic.vetoed
        for category, score in semantic.scores.items():
            if category not in CATEGORIES or score < 0.05:
                continue
            floor = DEFAULT_THRESHOLDS[category][1] - REVIEW_BAND.get(category, 0.0)
            spans = [semantic.where[category]] if score >= floor else []
            collector.semantic[category] = (score, spans, layer.reason(category, semantic.scores))

    # 2. The rules of text/rules.py.
    for hit in text_checks.offensive_language(text):
        span = (hit.start, hit.end)
        if _inside(span, praise):
            continue
        shown = _shown(text, span)
        if " slur (" in hit.reason:
            collector.rule("hate", 1001, 0.9, span, SLUR_REASON.format(shown=shown))
            collector.rule("abuse", 1001, 0.8, span, SLUR_REASON.format(shown=shown))
            continue
        kind = next((k for k in WORDS_REASONS if f" {k} (" in hit.reason), "rude word")
        if hit.severity == "warn":
            kind = "rude word"
        category, score, reason = WORDS_REASONS[kind]
        collector.rule(category, 1000 + list(WORDS_REASONS).index(kind), score, span, reason.format(shown=shown))
    for match in EMOJI_ABUSE.finditer(text):
        collector.rule("abuse", 1010, 0.75, match.span(), "The middle-finger emoji is abusive. " + patterns.ABUSE_RULE)
    if APE_EMOJI.search(text):
        for match in APE_EMOJI.finditer(text):
            collector.rule("hate", 1011, 0.5, match.span(), APE_EMOJI_REASON)
    if _CONTACT_HINT.search(text):
        for hit in text_checks.personal_information(text, public):
            span = (hit.start, hit.end)
            if hit.severity == "block":
                collector.rule("pii", 1020, 0.9, span, CONTACT_REASON.format(shown=_shown(text, span)))
            else:
                collector.rule("pii", 1021, 0.3, span, ORGANISATION_CONTACT_REASON.format(shown=_shown(text, span)))
        for span, score in _other_phone_numbers(text, collector.rules.get("pii", {})):
            collector.rule("pii", 1022, score, span, OTHER_PHONE_REASON.format(shown=_shown(text, span)))
    behaviour: list[Span] = []
    if BEHAVIOUR_TRIGGERS.search(lowered):
        for hit in text_checks.behaviour_incident(text):
            span = (hit.start, hit.end)
            behaviour.append(span)
            collector.rule("inflammatory", 1030, 0.7, span, BEHAVIOUR_REASON.format(shown=_shown(text, span)))
    if not register:
        named = patterns.NAMED_PUPIL.finditer(text) if patterns.NAMED_PUPIL_GATE.search(text) else ()
        for match in named:
            span = match.span()
            collector.rule("pii", 1043, 0.65, span, UNCHECKED_NAME_REASON.format(shown=_shown(text, span)))
    else:
        for hit in text_checks.pupil_names(text, register):
            span = (hit.start, hit.end)
            shown = _shown(text, span)
            if "in full" in hit.reason:
                score = 0.85 if hit.severity == "block" else 0.45
                collector.rule("pii", 1040, score, span, FULL_NAME_REASON.format(shown=shown))
            else:
                collector.rule("inflammatory", 1041, 0.4, span, FIRST_NAME_REASON.format(shown=shown))
            if behaviour:
                collector.rule("inflammatory", 1042, 0.85, span, NAMED_IN_INCIDENT_REASON.format(shown=shown))

    # 3. The curated patterns.
    same_offsets = len(lowered) == len(readable)  # true unless a character changes length when lower-cased
    for key, rule in patterns.rules_gated_in(lowered):
        found = rule.lowered.finditer(lowered) if rule.lowered and same_offsets else rule.pattern.finditer(readable)
        for match in found:
            span = match.span()
            collector.rule(rule.category, key, rule.score, span, rule.reason.format(match=_shown(text, span)))

    results = {name: collector.result(name) for name in CATEGORIES}
    _explain_away_spam(text, results, collector)
    return Classification(results)


EXPLAINED_SPAM_REASON = (
    "Reads a little like spam, which the model learned from text messages full of phone numbers and prize offers; "
    "here it is explained by {what} (see that category)."
)
EXPLAINERS = {"pii": "contact details", "commercial": "an advert", "donation": "an appeal for money"}


# What spam asks of its reader: a link, a number to ring or text, an address, a reply, money. A comment with none of
# these ("Is the open evening for 2025 or 2026 starters?") is not spam, however the model scores its words.
CALL_TO_ACTION = re.compile(
    r"https?://|www\.|\.(?:com|co\.uk|net|org|ly|io|me|uk|info|biz|xyz)\b|@|\d{5}|[£$€%]|\b(?:call|ring|text|txt|"
    r"reply|click|tap|subscribe|sub|visit|follow|claim|win|won|winner|prize|free|dm|pm|inbox|message|msg|whatsapp|"
    r"check|join|watch|order|buy|offer|cash|urgent|send|contact|apply|register|sign\s+up|download|link|channel|"
    r"video|page|profile|bio|account|money|earn|bitcoin|crypto|invest\w*|deal|sale|discount|voucher|code|stop|"
    r"like\s+(?:this|my)|thumbs\s+up|search|look\s+up|see\s+my|my\s+new|playlist|views|billed|pics|address)\b|"
    r"su[bcs]*cri",
    re.IGNORECASE,
)
ASKS_NOTHING_REASON = (
    "Reads a little like spam to the model, but asks nothing of the reader (no link, number, address or offer), so "
    "it is not treated as spam."
)


def _explain_away_spam(text: str, results: dict[str, CategoryResult], collector: _Collector) -> None:
    """A parent's phone number, a uniform sale or a sponsorship appeal is not spam, though the spam data sets are full
    of phone numbers, prices and appeals: when one of those categories fires and no spam pattern did, the model's
    spam score is held below the spam threshold, and the other category decides."""
    spam = results["spam"]
    rule_spam = max((score for score, _, _ in collector.rules.get("spam", {}).values()), default=0.0)
    explained = [name for name in EXPLAINERS if results[name].score >= DEFAULT_THRESHOLDS[name][1]]
    if explained and spam.score > 0.5 and rule_spam < 0.5:
        reason = EXPLAINED_SPAM_REASON.format(what=EXPLAINERS[explained[0]])
        results["spam"] = CategoryResult("spam", 0.5, spam.spans, reason)
    elif spam.score > 0.5 and rule_spam < 0.5 and CALL_TO_ACTION.search(text) is None:
        results["spam"] = CategoryResult("spam", 0.5, spam.spans, ASKS_NOTHING_REASON)
