"""Reading a comment for meaning: the sentence embedder's view of it, for the comment classifier's semantic layer.

    from safesocial.text import semantic_comments
    semantic_comments.for_embedding("🐒🍌 lol look at the team")   # "monkey banana lol look at the team"
    semantic_comments.unreadable_language("Dziękuję bardzo za wszystko")   # "Polish"
    semantic_comments.heads()                                  # the comment heads (text/model/comments.*)

Emoji carry meaning on a school's page (a row of monkeys under a photo of the football team), and the embedder's
vocabulary has no emoji: each is read as its Unicode name in words. Only English is read: a comment written mostly in
another script, or in Latin script with another language's common words, is named so that a person reads it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from safesocial.text.heads import MODEL_DIR, Heads, load
from safesocial.text.sentences import sentences

HEADS_NAME = "comments"

# Joiners, variation selectors, skin tones and tag characters change how an emoji looks, not what it says.
_SILENT = {0x200D, 0xFE0E, 0xFE0F, 0x20E3} | set(range(0x1F3FB, 0x1F400)) | set(range(0xE0020, 0xE0080))
_NAME_TRIM = re.compile(r"\b(?:face|with|symbol|sign|black|white|heavy|medium|large|small)\b")
_SPACES = re.compile(r"\s+")


@cache
def _emoji_words(char: str) -> str:
    code = ord(char)
    if code in _SILENT:
        return ""
    if 0x1F1E6 <= code <= 0x1F1FF:
        return "flag"
    category = unicodedata.category(char)
    if category != "So" and not 0x1F000 <= code <= 0x1FAFF:
        return char
    name = unicodedata.name(char, "").lower()
    if not name:
        return " "
    return " " + _SPACES.sub(" ", _NAME_TRIM.sub(" ", name)).strip() + " "


def for_embedding(text: str) -> str:
    """The comment with every emoji and pictograph replaced by its name in words (🐒 -> "monkey")."""
    if text.isascii():
        return text
    words = "".join(_emoji_words(c) if not c.isascii() else c for c in text)
    words = re.sub(r"\bflag(?: flag)+\b", "flag", words)
    return _SPACES.sub(" ", words).strip()


# ---------------------------------------------------------------------------------------------------------------------
# Languages
# ---------------------------------------------------------------------------------------------------------------------


# Common words of languages a school page in England sees, leaving out any that are also English words (or common
# in English text speak). A comment is taken to be in one of them when it has at least two of its words and more of
# them than English function words.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


OTHER_LANGUAGES: dict[str, frozenset[str]] = {
    "Polish": _words(
        "że się nie jest jak dla czy już bardzo tylko ale może jestem dziękuję dzieci szkoła proszę tak też "
        "który która tego jego przez wszystko"
    ),
    "Romanian": _words("și este sunt pentru că nu mai foarte copiii școala mulțumesc vă ce cu la din care acest"),
    "Spanish": _words("que el los las por para con una muy pero está gracias niños escuela también como del es y"),
    "Portuguese": _words("não que os das dos para com uma muito mas está obrigado obrigada crianças escola também é"),
    "French": _words("le les des est une pour avec très mais merci enfants école aussi dans sont nous vous je c'est"),
    "German": _words("der die das und ist nicht ich ein eine sehr aber danke kinder schule auch mit"),
    "Italian": _words("il che non della sono per con una molto ma grazie bambini scuola anche è gli"),
    "Welsh": _words("yn y mae ac ar wedi diolch ysgol plant iawn gyda hefyd ein eich ydy bod"),
    "Lithuanian": _words("ir yra kad labai ačiū vaikai mokykla su bet kaip"),
    "Turkish": _words("ve bir bu çok için değil teşekkürler çocuklar okul ama ile da de"),
}
ENGLISH = _words(
    "the a an and or but is are was were be been to of in on at for with this that it i you he she we they my your "
    "our their me him her them not no do does did have has had will would can could should so if as from by what "
    "when where who how all just about there here thanks thank please well done very"
)
# Scripts whose letters are not English's. Named as Unicode names a character's script (its first word).
_LATIN = ("LATIN",)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else ""


SCRIPT_NAMES = {
    "ARABIC": "Arabic script (Arabic, Urdu, Persian...)",
    "CYRILLIC": "Cyrillic script (Russian, Ukrainian, Bulgarian...)",
    "CJK": "Chinese characters",
    "HIRAGANA": "Japanese",
    "KATAKANA": "Japanese",
    "HANGUL": "Korean",
    "DEVANAGARI": "Devanagari script (Hindi, Nepali, Marathi...)",
    "BENGALI": "Bengali script",
    "GURMUKHI": "Gurmukhi script (Punjabi)",
    "GUJARATI": "Gujarati script",
    "GREEK": "Greek",
    "HEBREW": "Hebrew",
    "THAI": "Thai",
    "TAMIL": "Tamil script",
}


def unreadable_language(text: str) -> str | None:
    """The language or script of a comment written mostly in something other than English, None for English (or
    too little to tell: a name, an emoji, "ok")."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    if not text.isascii():
        scripts: dict[str, int] = {}
        for c in letters:
            script = _script(c)
            if script not in _LATIN:
                scripts[script] = scripts.get(script, 0) + 1
        if scripts:
            script, count = max(scripts.items(), key=lambda item: item[1])
            if count >= 0.4 * len(letters) and count >= 2:
                return SCRIPT_NAMES.get(script, f"{script.title()} script")
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return None
    english = sum(w in ENGLISH for w in words)
    best, hits = None, 0
    for language, common in OTHER_LANGUAGES.items():
        found = sum(w in common for w in words)
        if found > hits:
            best, hits = language, found
    if best is not None and hits >= 2 and hits > english and english <= 0.15 * len(words):
        return best
    return None


# ---------------------------------------------------------------------------------------------------------------------
# The heads
# ---------------------------------------------------------------------------------------------------------------------


def heads() -> Heads:
    """The comment heads (safesocial/moderation/training/train_semantic.py writes them), loaded once per process."""
    return load(HEADS_NAME)


# Beside each head, a memory of the comments it was trained on: a comment's nearest neighbours among a category's
# examples and among its counter-examples say what a linear head over one vector cannot (a disclosure worded like
# no other but close to one). The score a category adds is the mean similarity of the NEIGHBOURS closest examples
# less that of the closest counter-examples.
NEIGHBOURS = 3
# How many of a comment's closest memories are looked at first (Memory.margins): enough to hold three of most
# categories' examples and counter-examples, few enough to sort.
NEAREST = 64


@dataclass(frozen=True)
class Memory:
    vectors: np.ndarray  # (n, DIM) float32, unit length
    labels: np.ndarray  # (n, categories) int8: 1 an example of the category, 0 a counter-example, -1 neither

    def save(self, path: Path) -> None:
        np.savez_compressed(path, vectors=self.vectors.astype(np.float16), labels=self.labels.astype(np.int8))

    def margins(self, vectors: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
        """(len(vectors), categories): closest examples' mean similarity less closest counter-examples'.

        Each comment's NEAREST closest memories are found once; a category's k closest examples (or counter-examples)
        are the first k of those with its label, when there are k of them there, and only otherwise looked for among
        all the category's memories (rare categories' examples, mostly). Exact either way: whatever is not among the
        NEAREST closest is further away than all of them."""
        out = np.zeros((len(vectors), self.labels.shape[1]), dtype=np.float64)
        if not len(vectors) or not len(self.vectors):
            return out
        similarity = vectors.astype(np.float32) @ self.vectors.T
        n = similarity.shape[1]
        nearest = min(NEAREST, n)
        near = np.argpartition(similarity, n - nearest, axis=1)[:, -nearest:]
        near_similarity = np.take_along_axis(similarity, near, axis=1)
        order = np.argsort(-near_similarity, axis=1, kind="stable")
        near_similarity = np.take_along_axis(near_similarity, order, axis=1)
        # (comments, NEAREST, categories), closest first
        near_labels = self.labels[np.take_along_axis(near, order, axis=1)]
        for c in range(self.labels.shape[1]):
            for sign, value in ((1.0, 1), (-1.0, 0)):
                rows = self.labels[:, c] == value
                count = int(rows.sum())
                if count == 0:
                    continue
                kk = min(k, count)
                hit = near_labels[:, :, c] == value
                first = hit & (np.cumsum(hit, axis=1) <= kk)
                top = (near_similarity * first).sum(axis=1) / kk
                short = np.flatnonzero(first.sum(axis=1) < kk)
                if len(short):
                    chosen = similarity[short][:, rows]
                    top[short] = np.partition(chosen, count - kk, axis=1)[:, -kk:].mean(axis=1)
                out[:, c] += sign * top
        return out


def memory_path(name: str = HEADS_NAME) -> Path:
    return MODEL_DIR / f"{name}.memory.npz"


@cache
def memory(name: str = HEADS_NAME) -> Memory:
    with np.load(memory_path(name)) as arrays:
        return Memory(arrays["vectors"].astype(np.float32), arrays["labels"])


# A disclosure after a cheerful sentence ("Lovely photos! I don't want to be here any more.") is diluted in the
# embedding of the whole comment: these categories are read sentence by sentence as well, the higher score counting.
PER_SENTENCE = ("safeguarding", "hate")


def pieces(texts: Sequence[str]) -> tuple[list[str], list[tuple[int, tuple[int, int] | None]]]:
    """What the embedder reads for a batch of comments: each comment whole and, when it has more than one, each of
    its sentences (text/sentences.py), read as for_embedding reads them; with each piece's (comment, sentence span
    or None for the whole)."""
    readable: list[str] = []
    owners: list[tuple[int, tuple[int, int] | None]] = []
    for i, text in enumerate(texts):
        readable.append(for_embedding(text))
        owners.append((i, None))
        spans = sentences(text)
        if len(spans) > 1:
            for a, b in spans:
                readable.append(for_embedding(text[a:b]))
                owners.append((i, (a, b)))
    return readable, owners


def readable_batch(texts: Sequence[str]) -> list[str]:
    return [for_embedding(t) for t in texts]
