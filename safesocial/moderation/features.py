"""What the linear model reads in a comment: the same code at training time and at run time.

A comment becomes two bags of hashed features, both folded into one table of 2**BITS rows:

- character 2- to 5-grams of the normalised text (spaces included, so word edges count), hashed in numpy with a
  polynomial rolling hash: fast on long comments and tolerant of misspellings (f*cking, fuckin, fukkin);
- words and pairs of neighbouring words, hashed with CRC-32.

Each bag is scaled by one over the square root of its size, so a long comment does not score higher for being long.
Normalising undoes what differs between the training sets and real comments: case, HTML entities, links, @names,
retweet markers, digits (every digit becomes 0, so 07700 900123 and 07911 123456 look alike), punctuation (one of
the training sets has none) and stretched letters (sooooo becomes soo).

Nothing here may change without retraining: the artefact's config records BITS and the version, and the classifier
refuses a model whose config differs.
"""

from __future__ import annotations

import html
import itertools
import re
import zlib

import numpy as np

FEATURES_VERSION = 1
BITS = 20
SIZE = 1 << BITS
CHAR_NGRAMS = (2, 3, 4, 5)

_PRIME = np.uint64(0x100000001B3)  # the 64-bit FNV prime: the rolling hash's multiplier
# One odd multiplier per n-gram length, so "ab" as a bigram and as part of a longer gram land in different rows.
_MIX = {
    n: np.uint64(m)
    for n, m in zip(
        CHAR_NGRAMS, (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93), strict=True
    )
}
_SHIFT = np.uint64(64 - BITS)

_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|co\.uk|org|net|ly|io|uk|me|tv|gl|info|biz)\b(?:/\S*)?",
    re.IGNORECASE,
)
_MENTION = re.compile(r"@\w+")
_STRETCHED = re.compile(r"(.)\1{2,}")
_DIGIT = re.compile(r"\d")
# Punctuation becomes a space; apostrophes vanish (don't and dont are one word); £ and $ stay, as spam uses them.
_PUNCTUATION = '!"#%&()*+,-./:;<=>?[\\]^_{|}~“”«»…\u2013\u2014•·¡¿'
_TABLE = {ord(c): " " for c in _PUNCTUATION} | {ord(c): None for c in "'\u2019\u2018`\u00b4"}
_STOP_TOKENS = frozenset({"rt"})  # the retweet marker: common in one training set, meaningless in a comment


def normalise(text: str) -> str:
    """Lower-cased words separated by single spaces, in the form the model was trained on."""
    if "&" in text:
        text = html.unescape(text)
    text = text.lower()
    if "http" in text or "www" in text or "." in text:
        text = _URL.sub(" xurl ", text)
    if "@" in text:
        text = _MENTION.sub(" xuser ", text)
    text = _DIGIT.sub("0", text.translate(_TABLE))
    text = _STRETCHED.sub(r"\1\1", text)
    return " ".join(t for t in text.split() if t not in _STOP_TOKENS)


def char_indices(normalised: str) -> np.ndarray:
    """The rows of every character n-gram of " text ", as one array (repeats kept: they are counts)."""
    padded = f" {normalised} "
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    parts = []
    rolling = codes
    for n in range(2, CHAR_NGRAMS[-1] + 1):
        if len(codes) < n:
            break
        rolling = rolling[:-1] * _PRIME + codes[n - 1 :]
        if n in _MIX:
            mixed = rolling ^ (rolling >> np.uint64(29))
            parts.append((mixed * _MIX[n]) >> _SHIFT)
    if not parts:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate(parts).astype(np.int64)


def char_starts(normalised: str) -> np.ndarray:
    """Where each n-gram of char_indices(normalised) starts in " text ", in the same order."""
    length = len(normalised) + 2
    return np.concatenate([np.arange(length - n + 1) for n in CHAR_NGRAMS if length >= n] or [np.zeros(0, int)])


def word_indices(normalised: str) -> list[int]:
    """The rows of every word and every pair of neighbouring words."""
    words = normalised.split()
    mask = SIZE - 1
    rows = [zlib.crc32(b"w\x00" + w.encode()) & mask for w in words]
    rows += [zlib.crc32(f"b\x00{a} {b}".encode()) & mask for a, b in itertools.pairwise(words)]
    return rows


def scaled_rows(normalised: str) -> tuple[np.ndarray, float, np.ndarray, float]:
    """Both bags with the weight each of their features carries (one over the square root of the bag's size)."""
    chars = char_indices(normalised)
    words = np.asarray(word_indices(normalised), dtype=np.int64)
    char_scale = 1.0 / np.sqrt(len(chars)) if len(chars) else 0.0
    word_scale = 1.0 / np.sqrt(len(words)) if len(words) else 0.0
    return chars, float(char_scale), words, float(word_scale)
