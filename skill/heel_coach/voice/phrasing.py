"""Durations, counts and lists in words, per language. Logic lives here, not in prompt files."""

from __future__ import annotations

from collections.abc import Sequence

_SMALL = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    """0..999 in English words; larger numbers as digits."""
    if n < 0 or n > 999:
        return str(n)
    if n < 20:
        return _SMALL[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_SMALL[ones]}" if ones else "")
    hundreds, rest = divmod(n, 100)
    return f"{_SMALL[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")


def plural(n: int, one: str, many: str) -> str:
    return f"{number_words(n)} {one if n == 1 else many}"


def duration(seconds: float) -> str:
    """Exact duration for cues: "thirty seconds", "one minute", "one minute and thirty seconds"."""
    total = int(round(seconds))
    minutes, secs = divmod(total, 60)
    if minutes == 0:
        return plural(secs, "second", "seconds")
    if secs == 0:
        return plural(minutes, "minute", "minutes")
    if secs == 30 and minutes == 1:
        return "a minute and a half"
    return f"{plural(minutes, 'minute', 'minutes')} and {plural(secs, 'second', 'seconds')}"


def approximate_duration(seconds: float) -> str:
    """Rounded duration for totals: "four and a half minutes", "twenty-five minutes".

    Under ten minutes it rounds to half a minute, so an announced length stays within 10% of
    the real one down to a two-and-a-half-minute routine; above, to the minute.
    """
    if seconds < 60:
        return "under a minute"
    if seconds < 585:
        halves = int(seconds / 30 + 0.5)
        whole, half = divmod(halves, 2)
        if half:
            return f"{number_words(whole)} and a half minutes"
        return plural(whole, "minute", "minutes")
    minutes = int(seconds / 60 + 0.5)
    return plural(minutes, "minute", "minutes")


def join_list(items: Sequence[str], conjunction: str = "and") -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return ", ".join(items[:-1]) + f", {conjunction} {items[-1]}"


def join_choices(choices: Sequence[Sequence[str]]) -> str:
    """Things to have, each a choice: "a small foam roller or a massage ball, and a chair".
    A comma keeps the last "and" from reading as one more alternative."""
    items = [join_list(list(choice), "or") for choice in choices if choice]
    if len(items) == 2 and len(choices[0]) > 1:
        return f"{items[0]}, and {items[1]}"
    return join_list(items)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def with_article(noun: str) -> str:
    """ "wall" -> "a wall", "exercise mat" -> "an exercise mat"."""
    if noun.split(" ", 1)[0] in {"a", "an", "the", "your", "some"}:
        return noun
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun
