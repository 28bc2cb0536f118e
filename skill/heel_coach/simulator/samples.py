"""Samples expanded into concrete sentences with the slot values they should yield.

A test oracle: if the matcher cannot map a model's own sample back to its intent, then
either the model is ambiguous (two intents claim the same words) or the matcher is wrong,
and both are worth knowing before a real Echo finds out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from heel_coach.simulator.language import language_for
from heel_coach.simulator.model import InteractionModel, SlotType
from heel_coach.simulator.normalize import normalize
from heel_coach.simulator.utterance import SlotValue

_SLOT_REF = re.compile(r"\{([A-Za-z_]+)\}")


def _custom_examples(slot_type: SlotType) -> list[tuple[str, SlotValue]]:
    """The first value as written, then the first synonym found (or the second value)."""
    first = slot_type.values[0]
    out = [(first.value, SlotValue(normalize(first.value), first.value, first.id))]
    alternative = next(
        ((syn, v) for v in slot_type.values for syn in v.synonyms),
        (slot_type.values[1].value, slot_type.values[1]) if len(slot_type.values) > 1 else None,
    )
    if alternative is not None:
        spoken, value = alternative
        out.append((spoken, SlotValue(normalize(spoken), value.value, value.id)))
    return out


def _filler(chosen: dict[str, tuple[str, SlotValue]]) -> Callable[[re.Match[str]], str]:
    def fill(match: re.Match[str]) -> str:
        return chosen[match.group(1)][0]

    return fill


def sample_utterances(
    model: InteractionModel, limit_per_intent: int | None = None
) -> Iterator[tuple[str, str, dict[str, SlotValue]]]:
    """Yield ``(intent_name, text, expected_slots)`` for every model sample.

    A sample without slots yields itself once. A sample with slots yields one sentence with
    each slot's first example (custom: the first value; built-in: see ``SLOT_EXAMPLES``) and
    one with the second (custom: a synonym, or the second value). At most
    ``limit_per_intent`` sentences per intent when given.
    """
    slot_examples = language_for(model.locale, model.source).slot_examples
    for intent in model.intents:
        examples: dict[str, list[tuple[str, SlotValue]]] = {}
        for slot in intent.slots:
            custom = model.slot_type(slot.type)
            if custom is not None:
                examples[slot.name] = _custom_examples(custom)
            else:
                examples[slot.name] = [
                    (spoken, SlotValue(normalize(spoken), value, None))
                    for spoken, value in slot_examples.get(slot.type, ())
                ]
        count = 0
        for sample in intent.samples:
            names = _SLOT_REF.findall(sample)
            if any(not examples[n] for n in names):
                continue  # a built-in type without examples: the matcher refuses it anyway
            variants = max((len(examples[n]) for n in names), default=1)
            seen: set[str] = set()
            for variant in range(variants):
                if limit_per_intent is not None and count >= limit_per_intent:
                    break
                chosen = {n: examples[n][min(variant, len(examples[n]) - 1)] for n in names}
                text = _SLOT_REF.sub(_filler(chosen), sample)
                if text in seen:
                    continue
                seen.add(text)
                count += 1
                yield intent.name, text, {n: chosen[n][1] for n in names}
