"""Where a text's sentences are: the spans the semantic layers score one by one and a finding points at.

    from safesocial.text.sentences import sentences
    sentences("Great day. Year 4 went to the zoo!")   # [(11, 34)]: "Great day." is too short to read alone

Posts and comments are cut the same way: at a full stop, question or exclamation mark, or a line break.
"""

from __future__ import annotations

import re

SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# Fewer words than this say too little on their own for the embedder ("Great day.", "Thanks!").
MIN_WORDS = 3


def sentences(text: str, min_words: int = MIN_WORDS) -> list[tuple[int, int]]:
    """The spans of a text's sentences, without their surrounding spaces; none shorter than `min_words` words."""
    spans = []
    for match in SENTENCE.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start and len(text[start:end].split()) >= min_words:
            spans.append((start, end))
    return spans
