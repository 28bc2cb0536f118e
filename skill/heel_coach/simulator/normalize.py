"""Text normalisation shared by samples, slot values and what a person types.

Alexa hears words, not case or punctuation. Comparing normalised word tuples lets "Next!",
"next" and "NEXT." be one utterance, and lets a sample written "o'clock" or "a.m." match
what someone types, without the matcher ever looking at spelling noise.
"""

from __future__ import annotations

import re

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_DOTTED_TIME = re.compile(r"(?<=\d)\.(?=\d)")
_GLUED_MERIDIEM = re.compile(r"(\d)(am|pm)\b")
_NOT_WORD = re.compile(r"[^\w\s':]")

Words = tuple[str, ...]


def words(text: str) -> Words:
    """Split text into lowercase words: punctuation dropped, "7.30am" kept as "7:30", "am".

    Apostrophes inside words ("o'clock", "what's") and colons inside clock times ("7:30")
    survive; hyphens and underscores separate words; periods vanish so "a.m." is "am".
    """
    text = text.translate(_APOSTROPHES).lower()
    text = _DOTTED_TIME.sub(":", text)
    text = text.replace(".", "").replace("_", " ")
    text = _GLUED_MERIDIEM.sub(r"\1 \2", text)
    text = _NOT_WORD.sub(" ", text)
    out: list[str] = []
    for token in text.split():
        token = token.strip("':")
        if token:
            out.append(token)
    return tuple(out)


def normalize(text: str) -> str:
    """The canonical one-space, lowercase form of ``text`` (see ``words``)."""
    return " ".join(words(text))
