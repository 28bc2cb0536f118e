"""What Alexa knows without being told: built-in intent phrases and built-in slot types.

Built-in intents (AMAZON.StopIntent, ...) usually have no samples in a model, yet Alexa still
recognises "stop" or "say that again"; without these phrases the simulator would send the
FallbackIntent where a real Echo would not. Built-in slot types turn spoken numbers, times
and durations into the ISO-ish strings Alexa puts in ``slot.value``.

Deliberate limits: AMAZON.DATE only knows "today", "tomorrow" and "yesterday" and returns
them unchanged (no clock here keeps matching pure and repeatable); AMAZON.SearchQuery and
other built-in types are not supported (the matcher refuses models that use them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from heel_coach.simulator.normalize import Words

FALLBACK_INTENT = "AMAZON.FallbackIntent"
ALWAYS_DECLARED = frozenset({"AMAZON.CancelIntent"})
"""Built-in intents Alexa recognises even when the model does not declare them."""

INTENT_PHRASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AMAZON.HelpIntent": ("help", "help me", "what can i say", "what can i do"),
        "AMAZON.StopIntent": ("stop", "stop it", "shut up", "off", "be quiet"),
        "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind", "forget it"),
        "AMAZON.YesIntent": (
            "yes",
            "yeah",
            "yep",
            "yes please",
            "sure",
            "ok",
            "okay",
            "please do",
            "sounds good",
        ),
        "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you", "not now"),
        "AMAZON.NextIntent": ("next", "skip", "skip ahead", "next one"),
        "AMAZON.PreviousIntent": ("previous", "go back", "back"),
        "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "again"),
        "AMAZON.StartOverIntent": ("start over", "restart", "from the beginning"),
        "AMAZON.PauseIntent": ("pause", "wait"),
        "AMAZON.ResumeIntent": ("resume", "continue", "unpause"),
        "AMAZON.LoopOnIntent": ("loop on", "loop"),
        "AMAZON.LoopOffIntent": ("loop off",),
        "AMAZON.ShuffleOnIntent": ("shuffle", "shuffle on"),
        "AMAZON.ShuffleOffIntent": ("shuffle off", "stop shuffling"),
        "AMAZON.NavigateHomeIntent": ("go home",),
    }
)

LAUNCH_PHRASES: tuple[Words, ...] = (
    ("open",),
    ("launch",),
    ("start",),
    ("begin",),
    ("load",),
    ("run",),
    ("use",),
    ("ask",),
    ("tell",),
    ("talk", "to"),
)
"""Words before the invocation name that open a session ("open heel coach", "ask heel coach")."""
LEADING_CONNECTORS = frozenset("to and for about if whether that then".split())
"""Words between the invocation name and the request ("ask heel coach *to* start ...")."""
TRAILING_CONNECTORS = frozenset("using with from in on".split())
"""Words before a trailing invocation name ("start my routine *using* heel coach")."""
POLITE: tuple[Words, ...] = (("please",), ("thanks",), ("thank", "you"))
"""Said around a request without changing it; Alexa's statistical NLU shrugs them off, so a
reading without them is tried too (it only wins where the literal text has no clean match)."""
PERSON_SAYS: Mapping[str, str] = MappingProxyType(
    {
        "launch": "open {invocation}",
        "start": "start the {routine}",
        "next": "next",
        "yes": "yes",
        "no": "no",
        "ready": "ready",
        "effort": "about right",
        "foot.both": "both feet",
        "foot.left": "left foot",
        "foot.right": "right foot",
        "skip": "skip this exercise",
        "pause": "pause",
        "resume": "resume",
        "hurts": "tell {invocation} it hurts",
        "focus.sole": "sole",
        "focus.calf": "calf",
    }
)
"""What the simulated person (``simulator.person``) says, in this language."""
READY_INVITATION = re.compile(r"\bsay ['\u2018\u201c\"]?ready\b", re.IGNORECASE)
"""An invitation to say "ready" (e.g. after the equipment is named), in whatever prompt it comes."""
FORBIDDEN_INVOCATION_WORDS = frozenset(
    "launch ask tell load begin enable open start run use resume play talk "
    "to from in using with about for that by if and whether "
    "alexa amazon echo computer skill app".split()
)
"""Alexa refuses invocation names containing launch phrases, connecting words or wake words."""

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_UNITS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_ORDINAL_TENS = "twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"
_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_DIGIT_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_PERIODS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_MERIDIEM = {
    ("am",): "am",
    ("a", "m"): "am",
    ("pm",): "pm",
    ("p", "m"): "pm",
    ("in", "the", "morning"): "am",
    ("in", "the", "afternoon"): "pm",
    ("in", "the", "evening"): "pm",
    ("at", "night"): "pm",
}
_DURATION_UNITS = {
    "second": "S",
    "seconds": "S",
    "sec": "S",
    "secs": "S",
    "minute": "M",
    "minutes": "M",
    "min": "M",
    "mins": "M",
    "hour": "H",
    "hours": "H",
    "day": "D",
    "days": "D",
    "week": "W",
    "weeks": "W",
}
HALF_OF = {"M": ("S", 30), "H": ("M", 30), "D": ("H", 12)}
"""Half a unit, as a whole number of the next smaller unit ("half a minute" is 30 seconds)."""


def _below_hundred(w: Words) -> int | None:
    if len(w) == 1:
        if w[0] in _UNITS:
            return _UNITS.index(w[0])
        if w[0] in _TENS:
            return 20 + 10 * _TENS.index(w[0])
    if len(w) == 2 and w[0] in _TENS and w[1] in _UNITS[1:10]:
        return 20 + 10 * _TENS.index(w[0]) + _UNITS.index(w[1])
    return None


def _below_thousand(w: Words) -> int | None:
    if "hundred" not in w:
        return _below_hundred(w)
    at = w.index("hundred")
    head = 1 if w[:at] == ("a",) else _below_hundred(w[:at])
    rest = w[at + 1 :]
    if rest[:1] == ("and",):
        rest = rest[1:]
    tail = _below_hundred(rest) if rest else 0
    if head is None or not 1 <= head <= 9 or tail is None:
        return None
    return head * 100 + tail


def parse_number(w: Words) -> int | None:
    """Cardinal numbers as Alexa hears them: digits, or words up to "nine hundred ninety nine
    thousand ...". Returns None for anything else (AMAZON.NUMBER would not fill the slot)."""
    if len(w) == 1 and w[0].isdigit():
        return int(w[0])
    if "thousand" not in w:
        return _below_thousand(w)
    at = w.index("thousand")
    head = 1 if w[:at] == ("a",) else _below_thousand(w[:at])
    rest = w[at + 1 :]
    if rest[:1] == ("and",):
        rest = rest[1:]
    tail = _below_thousand(rest) if rest else 0
    if head is None or head == 0 or tail is None:
        return None
    return head * 1000 + tail


def parse_ordinal(w: Words) -> int | None:
    """ "third", "twenty first", "3rd" -> 3, 21, 3."""
    if len(w) == 1:
        digits = _DIGIT_ORDINAL.fullmatch(w[0])
        if digits:
            return int(digits.group(1))
        if w[0] in _ORDINAL_UNITS[1:]:
            return _ORDINAL_UNITS.index(w[0])
        if w[0] in _ORDINAL_TENS.split():
            return 20 + 10 * _ORDINAL_TENS.split().index(w[0])
    if len(w) == 2 and w[0] in _TENS and w[1] in _ORDINAL_UNITS[1:10]:
        return 20 + 10 * _TENS.index(w[0]) + _ORDINAL_UNITS.index(w[1])
    return None


def _hour_minute(w: Words) -> tuple[int, int] | None:
    """A clock reading without am/pm: "seven", "7:30", "seven thirty", "half past seven"."""
    if not w:
        return None
    if len(w) == 1 and (clock := _CLOCK.fullmatch(w[0])):
        return int(clock.group(1)), int(clock.group(2))
    if w in (("noon",), ("midday",), ("twelve", "noon")):
        return 12, 0
    if w == ("midnight",):
        return 0, 0
    for word, sign in (("past", 1), ("after", 1), ("to", -1), ("till", -1)):
        if word in w:
            at = w.index(word)
            lead, hour = w[:at], parse_number(w[at + 1 :])
            lead = lead[:-1] if lead[-1:] in (("minutes",), ("minute",)) else lead
            lead = lead[1:] if lead[:1] == ("a",) else lead
            named: dict[Words, int] = {("half",): 30, ("quarter",): 15}
            minutes = named[lead] if lead in named else parse_number(lead)
            if hour is None or minutes is None or not 0 < minutes < 60:
                return None
            if sign < 0 and minutes == 30:
                return None
            return (hour, minutes) if sign > 0 else ((hour - 1) % 24, 60 - minutes)
    if w[-1:] in (("o'clock",), ("oclock",)):
        hour = parse_number(w[:-1])
        return None if hour is None else (hour, 0)
    for split in range(1, len(w)):
        hour, rest = parse_number(w[:split]), w[split:]
        if hour is None:
            continue
        if rest[0] in ("oh", "o") and len(rest) == 2:
            minute = parse_number(rest[1:])
            if minute is not None and 0 < minute < 10:
                return hour, minute
        minute = parse_number(rest)
        if minute is not None and 10 <= minute < 60 and not rest[0].isdigit():
            return hour, minute
    hour = parse_number(w)
    return None if hour is None else (hour, 0)


def parse_time(w: Words) -> str | None:
    """AMAZON.TIME: "HH:MM" in 24-hour time, or a period code (MO, AF, EV, NI)."""
    period = w[2:] if w[:2] == ("in", "the") else w[1:] if w[:1] in (("this",), ("at",)) else w
    if len(period) == 1 and period[0] in _PERIODS:
        return _PERIODS[period[0]]
    if w == ("tonight",):
        return "NI"
    meridiem = None
    for suffix, which in _MERIDIEM.items():
        if len(w) > len(suffix) and w[-len(suffix) :] == suffix:
            w, meridiem = w[: -len(suffix)], which
            break
    reading = _hour_minute(w)
    if reading is None:
        return None
    hour, minute = reading
    if meridiem is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_duration(w: Words) -> str | None:
    """AMAZON.DURATION as ISO 8601: "thirty seconds" -> PT30S, "a minute and a half" -> PT1M30S."""
    amounts: dict[str, int] = {}
    last: str | None = None
    i = 0

    def add(unit: str, count: int, half: bool = False) -> bool:
        amounts[unit] = amounts.get(unit, 0) + count
        if half:
            if unit not in HALF_OF:
                return False
            smaller, extra = HALF_OF[unit]
            amounts[smaller] = amounts.get(smaller, 0) + extra
        return True

    while i < len(w):
        if w[i] == "and" and last is not None and i + 1 < len(w):
            i += 1
        if w[i : i + 2] == ("a", "half") and last is not None and i + 2 == len(w):
            return iso_duration(amounts) if add(last, 0, half=True) else None
        if w[i] == "half" and i + 2 < len(w) and w[i + 1] in ("a", "an"):
            unit = _DURATION_UNITS.get(w[i + 2])
            if unit is None or not add(unit, 0, half=True):
                return None
            last, i = unit, i + 3
            continue
        for end in range(len(w) - 1, i, -1):
            unit = _DURATION_UNITS.get(w[end])
            head, half = w[i:end], False
            if head[-3:] == ("and", "a", "half"):
                head, half = head[:-3], True
            count = 1 if head in (("a",), ("an",), ("one",)) else parse_number(head)
            if unit is not None and count is not None and add(unit, count, half):
                last, i = unit, end + 1
                break
        else:
            return None
    return iso_duration(amounts) if amounts else None


def iso_duration(amounts: dict[str, int]) -> str:
    """Unit letter -> amount as an ISO 8601 duration ({"M": 1, "S": 30} -> PT1M30S)."""
    date = "".join(f"{amounts[u]}{u}" for u in "WD" if amounts.get(u))
    time = "".join(f"{amounts[u]}{u}" for u in "HMS" if amounts.get(u))
    return "P" + date + ("T" + time if time else "") if date or time else "PT0S"


def named_day(w: Words, days: Sequence[str]) -> str | None:
    """One of ``days`` as said, a plural "s" dropped ("mondays", "montags")."""
    if len(w) != 1:
        return None
    day = w[0][:-1] if w[0].endswith("s") else w[0]
    return day if day in days else None


def parse_day_of_week(w: Words) -> str | None:
    """AMAZON.DayOfWeek: the lowercase day name ("mondays" counts as "monday")."""
    return named_day(w, _DAYS)


def parse_date(w: Words) -> str | None:
    """AMAZON.DATE, minimal: relative days are returned as said; no calendar is consulted."""
    return w[0] if w in (("today",), ("tomorrow",), ("yesterday",)) else None


def as_text(parse: Callable[[Words], int | None]) -> Callable[[Words], str | None]:
    def parse_text(w: Words) -> str | None:
        value = parse(w)
        return None if value is None else str(value)

    return parse_text


Parse = Callable[[Words], str | None]


def slot_parsers(
    number: Callable[[Words], int | None],
    ordinal: Callable[[Words], int | None],
    time: Parse,
    duration: Parse,
    day_of_week: Parse,
    date: Parse,
) -> Mapping[str, Parse]:
    """One language's parsers under the built-in slot types they fill (every language has all)."""
    return MappingProxyType(
        {
            "AMAZON.NUMBER": as_text(number),
            "AMAZON.Ordinal": as_text(ordinal),
            "AMAZON.TIME": time,
            "AMAZON.DURATION": duration,
            "AMAZON.DayOfWeek": day_of_week,
            "AMAZON.DATE": date,
        }
    )


SLOT_PARSERS = slot_parsers(
    parse_number, parse_ordinal, parse_time, parse_duration, parse_day_of_week, parse_date
)
"""Each supported built-in slot type: spoken words -> Alexa's ``slot.value``, or None."""

SLOT_EXAMPLES: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType(
    {
        "AMAZON.NUMBER": (("seven", "7"), ("twenty five", "25")),
        "AMAZON.Ordinal": (("third", "3"), ("first", "1")),
        "AMAZON.TIME": (("seven am", "07:00"), ("seven thirty pm", "19:30")),
        "AMAZON.DURATION": (("thirty seconds", "PT30S"), ("two minutes", "PT2M")),
        "AMAZON.DayOfWeek": (("monday", "monday"), ("friday", "friday")),
        "AMAZON.DATE": (("tomorrow", "tomorrow"), ("today", "today")),
    }
)
"""(spoken, slot.value) pairs per built-in type, used to expand samples into test utterances."""
