"""Durations, counts and lists in the words of one locale: the one phrasing layer.

The words live in the locale's prompt files (``duration.*``, ``count.*``); the rules come from
libraries: CLDR plural categories and list patterns through Babel (``voice.formatting``),
numbers in words through num2words. So "one repetition" / "ten repetitions" and "eine
Wiederholung" / "zehn Wiederholungen" agree without a plural rule written here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from heel_coach.voice import formatting
from heel_coach.voice.prompts import Prompts


class Phrasing:
    """Phrases for the locale of ``prompts``; cheap to build, holds no state."""

    def __init__(self, prompts: Prompts) -> None:
        self.prompts = prompts
        self.locale = prompts.locale

    def number(self, n: int) -> str:
        """ "seven", "sieben"."""
        return formatting.number_words(self.locale, n)

    def count(self, key: str, n: int) -> str:
        """A counted noun from a plural prompt: ``count("count.sets", 3)`` -> "three sets"."""
        return self.prompts.get(key, count=n)

    def duration(self, seconds: float) -> str:
        """Exact, for cues: "thirty seconds", "one minute", "a minute and a half",
        "two minutes and fifteen seconds"."""
        total = int(round(seconds))
        minutes, secs = divmod(total, 60)
        if minutes == 0:
            return self.count("duration.seconds", secs)
        if secs == 0:
            return self.count("duration.minutes", minutes)
        if (minutes, secs) == (1, 30):
            return self.prompts.get("duration.minute_and_a_half")
        return self.prompts.get(
            "duration.minutes_and_seconds",
            minutes=self.count("duration.minutes", minutes),
            seconds=self.count("duration.seconds", secs),
        )

    def approximate_duration(self, seconds: float) -> str:
        """Rounded, for totals: "four and a half minutes", "twenty-five minutes".

        Under ten minutes it rounds to half a minute, so an announced length stays within 10%
        of the real one down to a two-and-a-half-minute routine; above, to the minute.
        """
        if seconds < 60:
            return self.prompts.get("duration.under_a_minute")
        if seconds < 585:
            whole, half = divmod(int(seconds / 30 + 0.5), 2)
            if half:
                return self.count("duration.minutes_and_a_half", whole)
            return self.count("duration.minutes", whole)
        return self.count("duration.minutes", int(seconds / 60 + 0.5))

    def join(self, items: Sequence[str], style: Literal["standard", "or"] = "standard") -> str:
        """ "a, b, and c" (en-US), "a, b and c" (en-GB), "a, b und c" (de); "or" lists alike."""
        return formatting.join_list(self.locale, items, style)

    def choices(self, choices: Sequence[Sequence[str]]) -> str:
        """Things to have, each a choice: "a small foam roller or a massage ball, and a chair".
        Two items of which the first is a choice use ``list.choices_pair``: English wants a
        comma there so the "and" does not read as one more alternative; German does not."""
        items = [self.join(list(choice), "or") for choice in choices if choice]
        if len(items) == 2 and len(choices[0]) > 1:
            return self.prompts.get("list.choices_pair", first=items[0], second=items[1])
        return self.join(items)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
