"""What Alexa's German model knows without being told: built-in intent phrases, launch phrases
and the built-in slot types, for the German interaction model (de-DE).

The English twin is ``builtins``; the matcher picks one by the model's language. Same
deliberate limits: AMAZON.DATE only knows "heute", "morgen", "gestern" and "übermorgen" and
returns them as said. German writes numbers as one word ("einundzwanzig"); the console may get
them split ("ein und zwanzig"), so number words are joined before they are read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from heel_coach.simulator.builtins import HALF_OF, iso_duration, named_day, slot_parsers
from heel_coach.simulator.normalize import Words

INTENT_PHRASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "AMAZON.HelpIntent": ("hilfe", "hilf mir", "was kann ich sagen", "was kann ich tun"),
        "AMAZON.StopIntent": ("stopp", "stop", "halt", "hör auf", "aufhören", "sei still", "ruhe", "aus"),
        "AMAZON.CancelIntent": ("abbrechen", "abbruch", "vergiss es", "egal"),
        "AMAZON.YesIntent": (
            "ja",
            "ja bitte",
            "jawohl",
            "gerne",
            "gern",
            "klar",
            "na klar",
            "okay",
            "ok",
            "genau",
            "mach das",
        ),
        "AMAZON.NoIntent": ("nein", "nee", "nö", "nein danke", "lieber nicht", "jetzt nicht"),
        "AMAZON.NextIntent": ("weiter", "nächste", "nächstes", "überspringen"),
        "AMAZON.PreviousIntent": ("zurück", "vorherige", "geh zurück"),
        "AMAZON.RepeatIntent": ("wiederholen", "wiederhole das", "noch mal", "nochmal", "noch einmal"),
        "AMAZON.StartOverIntent": ("von vorne", "von vorn", "neu starten", "von vorne anfangen"),
        "AMAZON.PauseIntent": ("pause", "pausieren", "warte"),
        "AMAZON.ResumeIntent": ("fortsetzen", "fortfahren"),
        "AMAZON.LoopOnIntent": ("schleife an", "wiederholung an"),
        "AMAZON.LoopOffIntent": ("schleife aus", "wiederholung aus"),
        "AMAZON.ShuffleOnIntent": ("zufallswiedergabe", "zufallswiedergabe an", "mischen"),
        "AMAZON.ShuffleOffIntent": ("zufallswiedergabe aus", "nicht mehr mischen"),
        "AMAZON.NavigateHomeIntent": ("startseite", "zur startseite"),
    }
)

LAUNCH_PHRASES: tuple[Words, ...] = (
    ("öffne",),
    ("öffnen",),
    ("starte",),
    ("starten",),
    ("beginne",),
    ("lade",),
    ("spiele",),
    ("spiel",),
    ("frage",),
    ("frag",),
    ("sage",),
    ("sag",),
    ("benutze",),
    ("nutze",),
    ("aktiviere",),
    ("sprich", "mit"),
    ("rede", "mit"),
)
"""Words before the invocation name that open a session ("öffne fersen trainer")."""
LEADING_CONNECTORS = frozenset("nach ob dass und um zu".split())
"""Words between the invocation name and the request ("frage fersen trainer *nach* ...")."""
TRAILING_CONNECTORS = frozenset("mit von bei über".split())
"""Words before a trailing invocation name ("starte mein programm *mit* fersen trainer")."""
POLITE: tuple[Words, ...] = (("bitte",), ("danke",), ("danke", "schön"), ("bitte", "schön"))
PERSON_SAYS: Mapping[str, str] = MappingProxyType(
    {
        "launch": "öffne {invocation}",
        "start": "starte das {routine}",
        "next": "weiter",
        "yes": "ja",
        "no": "nein",
        "ready": "bereit",
        "effort": "genau richtig",
        "foot.both": "beide",
        "foot.left": "links",
        "foot.right": "rechts",
        "focus.sole": "sohle",
        "focus.calf": "wade",
    }
)
"""What the simulated person (``simulator.person``) says in German."""
READY_INVITATION = re.compile(r"\bsag [„\"']?bereit\b", re.IGNORECASE)
"""An invitation to say "bereit"."""
FORBIDDEN_INVOCATION_WORDS = frozenset(
    "öffne öffnen starte starten beginne lade spiele spiel frage frag sage sag benutze nutze "
    "aktiviere sprich rede nach ob dass und um zu von mit für bei in über der die das ein eine "
    "alexa amazon echo computer ziggy skill app".split()
)
"""German launch phrases, connecting words, articles and wake words Alexa refuses in an
invocation name (the English list is in ``simulator.model``)."""

_UNITS = {
    "null": 0,
    "eins": 1,
    "ein": 1,
    "eine": 1,
    "einen": 1,
    "zwei": 2,
    "zwo": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
}
_TENS = {
    "zwanzig": 20,
    "dreißig": 30,
    "dreissig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
}
_NOT_IN_COMPOUNDS = ("eins", "eine", "einen", "zwo")
_IN_COMPOUND = {word: n for word, n in _UNITS.items() if 1 <= n <= 9 and word not in _NOT_IN_COMPOUNDS}
"""Units as they start a compound ("ein" in "einundzwanzig", "einhundert")."""
_ORDINAL_STEMS = {
    "erst": 1,
    "zweit": 2,
    "dritt": 3,
    "viert": 4,
    "fünft": 5,
    "sechst": 6,
    "siebt": 7,
    "siebent": 7,
    "acht": 8,
    "neunt": 9,
}
_ORDINAL_ENDINGS = ("en", "er", "es", "em", "e")
_DAYS = "montag dienstag mittwoch donnerstag freitag samstag sonntag".split()
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_PERIOD_CODES: dict[Words, str] = {
    ("morgens",): "MO",
    ("am", "morgen"): "MO",
    ("heute", "morgen"): "MO",
    ("früh",): "MO",
    ("in", "der", "früh"): "MO",
    ("vormittags",): "MO",
    ("am", "vormittag"): "MO",
    ("nachmittags",): "AF",
    ("am", "nachmittag"): "AF",
    ("heute", "nachmittag"): "AF",
    ("abends",): "EV",
    ("am", "abend"): "EV",
    ("heute", "abend"): "EV",
    ("nachts",): "NI",
    ("in", "der", "nacht"): "NI",
    ("heute", "nacht"): "NI",
}
_MORNING = ("MO",)
_DURATION_UNITS = {
    "sekunde": "S",
    "sekunden": "S",
    "minute": "M",
    "minuten": "M",
    "stunde": "H",
    "stunden": "H",
    "tag": "D",
    "tage": "D",
    "tagen": "D",
    "woche": "W",
    "wochen": "W",
}


def _below_hundred(s: str) -> int | None:
    if s in _UNITS:
        return _UNITS[s]
    if s in _TENS:
        return _TENS[s]
    head, sep, tens = s.partition("und")
    if sep and head in _IN_COMPOUND and tens in _TENS:
        return _IN_COMPOUND[head] + _TENS[tens]
    return None


def _below_thousand(s: str) -> int | None:
    head, sep, rest = s.partition("hundert")
    if not sep:
        return _below_hundred(s)
    hundreds = 1 if head in ("", "ein") else _IN_COMPOUND.get(head)
    tail = _below_hundred(rest) if rest else 0
    if hundreds is None or tail is None:
        return None
    return hundreds * 100 + tail


def _compound(s: str) -> int | None:
    head, sep, rest = s.partition("tausend")
    if not sep:
        return _below_thousand(s)
    thousands = 1 if head in ("", "ein") else _below_thousand(head)
    tail = _below_thousand(rest) if rest else 0
    if not thousands or tail is None:
        return None
    return thousands * 1000 + tail


def parse_number(w: Words) -> int | None:
    """Cardinals as Alexa hears them: digits, or German number words, written as one word
    ("einundzwanzig") or split ("ein und zwanzig", "zwei hundert"). None for anything else."""
    if len(w) == 1 and w[0].isdigit():
        return int(w[0])
    if not w or any(t.isdigit() for t in w):
        return None
    return _compound("".join(w))


def parse_ordinal(w: Words) -> int | None:
    """ "dritte", "ersten", "einundzwanzigste", "3." (written "3") -> 3, 1, 21, 3."""
    if len(w) != 1:
        return None
    if w[0].isdigit():
        return int(w[0])
    for ending in _ORDINAL_ENDINGS:
        if w[0].endswith(ending):
            stem = w[0][: -len(ending)]
            if stem in _ORDINAL_STEMS:
                return _ORDINAL_STEMS[stem]
            if stem.endswith("st") and (n := _compound(stem[:-2])) is not None and n >= 20:
                return n
            if stem.endswith("t") and (n := _compound(stem[:-1])) is not None and 10 <= n < 20:
                return n
    return None


def _hour_minute(w: Words) -> tuple[int, int] | None:
    """A clock reading without a part of the day: "sieben", "sieben uhr", "sieben uhr dreißig",
    "7:30", "halb acht", "viertel nach sieben", "viertel vor acht", "zehn nach sieben"."""
    if not w:
        return None
    if w[-1:] == ("uhr",) and len(w) == 2 and (clock := _CLOCK.fullmatch(w[0])):
        return int(clock.group(1)), int(clock.group(2))
    if len(w) == 1 and (clock := _CLOCK.fullmatch(w[0])):
        return int(clock.group(1)), int(clock.group(2))
    if w == ("mittag",) or w == ("mittags",):
        return 12, 0
    if w == ("mitternacht",):
        return 0, 0
    if w[0] == "halb":
        hour = parse_number(w[1:])
        return None if hour is None or not 1 <= hour <= 24 else ((hour - 1) % 24, 30)
    quarter_to = 1 if w[0] == "dreiviertel" else 2 if w[:2] == ("drei", "viertel") else 0
    if quarter_to:
        hour = parse_number(w[quarter_to:])
        return None if hour is None or not 1 <= hour <= 24 else ((hour - 1) % 24, 45)
    for word, sign in (("nach", 1), ("vor", -1)):
        if word in w:
            at = w.index(word)
            lead, hour = w[:at], parse_number(w[at + 1 :])
            minutes = 15 if lead == ("viertel",) else parse_number(lead)
            if hour is None or minutes is None or not 0 < minutes < 30:
                return None
            return (hour, minutes) if sign > 0 else ((hour - 1) % 24, 60 - minutes)
    if "uhr" in w:
        at = w.index("uhr")
        hour = parse_number(w[:at])
        minute = parse_number(w[at + 1 :]) if w[at + 1 :] else 0
        return None if hour is None or minute is None else (hour, minute)
    hour = parse_number(w)
    return None if hour is None else (hour, 0)


def parse_time(w: Words) -> str | None:
    """AMAZON.TIME: "HH:MM" in 24-hour time, or a period code (MO, AF, EV, NI).

    A part of the day after a clock time moves it into the afternoon or evening ("sieben uhr
    abends" is 19:00); "nachts" does so only from six on ("zwei uhr nachts" is 02:00)."""
    if w in _PERIOD_CODES:
        return _PERIOD_CODES[w]
    period = None
    for suffix, code in sorted(_PERIOD_CODES.items(), key=lambda item: -len(item[0])):
        if suffix[0] == "heute":
            continue
        if len(w) > len(suffix) and w[-len(suffix) :] == suffix:
            w, period = w[: -len(suffix)], code
            break
    reading = _hour_minute(w)
    if reading is None:
        return None
    hour, minute = reading
    if period is not None:
        if not 0 <= hour <= 12:
            return None
        if period == "NI" and hour == 12:
            hour = 0
        elif period not in _MORNING and (period != "NI" or hour >= 6) and hour < 12:
            hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


def _and_a_half(head: Words) -> int | None:
    """The whole part of "eineinhalb" / "anderthalb" (1), "zweieinhalb" (2), "sechseinhalb" (6)."""
    if head == ("anderthalb",):
        return 1
    if len(head) != 1 or not head[0].endswith("einhalb"):
        return None
    stem = head[0].removesuffix("einhalb")
    return 1 if stem == "ein" else parse_number((stem,)) if stem else None


def parse_duration(w: Words) -> str | None:
    """AMAZON.DURATION as ISO 8601: "dreißig sekunden" -> PT30S, "eineinhalb minuten" ->
    PT1M30S, "sechseinhalb minuten" -> PT6M30S, "eine halbe stunde" -> PT30M, "eine minute und
    dreißig sekunden" -> PT1M30S."""
    amounts: dict[str, int] = {}
    i = 0
    while i < len(w):
        if w[i] == "und" and amounts:
            i += 1
        for end in range(len(w) - 1, i - 1, -1):
            unit = _DURATION_UNITS.get(w[end])
            head = w[i:end]
            if unit is None or not head:
                continue
            and_a_half = _and_a_half(head)
            half = and_a_half is not None or head in (("eine", "halbe"), ("einen", "halben"))
            count = and_a_half if and_a_half is not None else 0 if half else parse_number(head)
            if count is None or (half and unit not in HALF_OF):
                continue
            amounts[unit] = amounts.get(unit, 0) + count
            if half:
                smaller, extra = HALF_OF[unit]
                amounts[smaller] = amounts.get(smaller, 0) + extra
            i = end + 1
            break
        else:
            return None
    return iso_duration(amounts) if amounts else None


def parse_day_of_week(w: Words) -> str | None:
    """AMAZON.DayOfWeek: the German day name ("montags" counts as "montag")."""
    return named_day(w, _DAYS)


def parse_date(w: Words) -> str | None:
    """AMAZON.DATE, minimal: relative days are returned as said; no calendar is consulted."""
    return w[0] if w in (("heute",), ("morgen",), ("gestern",), ("übermorgen",)) else None


SLOT_PARSERS = slot_parsers(
    parse_number, parse_ordinal, parse_time, parse_duration, parse_day_of_week, parse_date
)

SLOT_EXAMPLES: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType(
    {
        "AMAZON.NUMBER": (("sieben", "7"), ("fünfundzwanzig", "25")),
        "AMAZON.Ordinal": (("dritte", "3"), ("erste", "1")),
        "AMAZON.TIME": (("sieben uhr", "07:00"), ("halb acht abends", "19:30")),
        "AMAZON.DURATION": (("dreißig sekunden", "PT30S"), ("zwei minuten", "PT2M")),
        "AMAZON.DayOfWeek": (("montag", "montag"), ("freitag", "freitag")),
        "AMAZON.DATE": (("morgen", "morgen"), ("heute", "heute")),
    }
)
"""(spoken, slot.value) pairs per built-in type, used to expand samples into test utterances."""
