"""What the matcher says Alexa would send: the request kind, the intent and its slot values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

UtteranceKind = Literal["launch", "intent", "end"]

Score = tuple[int, int, int, int, int, int]
"""Sort key of a match, smaller is better, compared left to right:

1. unresolved custom slots (ER_SUCCESS_NO_MATCH ranks below every resolved reading),
2. minus the literal (non-slot) words matched (more carrier words = more specific sample),
3. words captured by slots (fewer = less guessing),
4. source: 0 for a model sample, 1 for a built-in intent's implicit phrase (the model wins),
5. the intent's position in the model (undeclared built-ins come after all of them),
6. the sample's position within its intent.
"""


@dataclass(frozen=True)
class SlotValue:
    """One filled slot, shaped like Alexa's ``slot.value`` plus entity resolution.

    ``raw`` is the captured text (normalised). ``value`` is the canonical value: the custom
    type's value name (with its ``id``) when resolution succeeded, or the built-in type's
    parsed value ("7", "07:00", "PT30S"); None when a custom slot did not resolve. A request
    builder puts ``request_value`` in ``slot.value`` and, for custom types, an
    ER_SUCCESS_MATCH (``resolved``) or ER_SUCCESS_NO_MATCH resolution.
    """

    raw: str
    value: str | None
    id: str | None = None
    resolved: bool = True
    slot_type: str | None = field(default=None, compare=False)

    @property
    def builtin(self) -> bool:
        return self.slot_type is not None and self.slot_type.startswith("AMAZON.")

    @property
    def request_value(self) -> str:
        """What Alexa puts in ``slot.value``: parsed for built-in types, as spoken otherwise."""
        return self.value if self.builtin and self.value is not None else self.raw


@dataclass(frozen=True)
class Utterance:
    """The request Alexa would send for one typed utterance.

    ``kind`` is "launch" (LaunchRequest), "intent" (IntentRequest; ``intent_name`` None means
    nothing matched and the model has no FallbackIntent) or "end" (SessionEndedRequest; the
    matcher never produces it, the console builds it for "exit"). ``new_session_phrase`` is
    True when the text named the skill ("ask heel coach to ...") and so would open a session.
    ``sample`` and ``score`` explain the match and take no part in equality.
    """

    kind: UtteranceKind
    intent_name: str | None = None
    slots: dict[str, SlotValue] = field(default_factory=dict)
    new_session_phrase: bool = False
    sample: str | None = field(default=None, compare=False)
    score: Score | None = field(default=None, compare=False)
