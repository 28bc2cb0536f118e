"""Typed text -> the request Alexa would send, using only the interaction model's own samples.

Modelled on OHF-Voice/hassil: the model is compiled once into word templates; a sentence is
aligned against every template (slots take one or more words), each alignment is scored,
and the best wins. Scoring is deterministic (see ``Score``) so the console and the
conversation tests never depend on dict order or luck.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from heel_coach.errors import ContentError
from heel_coach.simulator.builtins import ALWAYS_DECLARED, FALLBACK_INTENT
from heel_coach.simulator.language import Language, language_for
from heel_coach.simulator.model import ROOT, InteractionModel, SlotType, TypeValue, sample_words
from heel_coach.simulator.normalize import Words, words
from heel_coach.simulator.utterance import Score, SlotValue, Utterance

WAKE_WORD = "alexa"


@dataclass(frozen=True)
class _SlotRef:
    name: str
    type: str


@dataclass(frozen=True)
class _Template:
    """One sample (or implicit built-in phrase) as literal words and slot references."""

    intent: str
    intent_index: int
    sample_index: int
    source: int
    text: str
    parts: tuple[str | _SlotRef, ...]

    @property
    def literals(self) -> tuple[str, ...]:
        return tuple(p for p in self.parts if isinstance(p, str))


class Matcher:
    """Recognises typed utterances against one interaction model (build once, reuse)."""

    def __init__(self, model: InteractionModel) -> None:
        self.language = language_for(model.locale, model.source)
        _check_supported(model, self.language)
        self.model = model
        spoken = tuple(model.invocation_name.split())
        joined = ("".join(spoken),)
        self._invocations = (
            (spoken, joined) if self.language.compounds_invocation and len(spoken) > 1 else (spoken,)
        )
        self._fallback = FALLBACK_INTENT if model.intent(FALLBACK_INTENT) else None
        self._values = {t.name: _value_index(t) for t in model.types}
        self._templates = tuple(_compile(model, self.language))

    def recognize_all(self, text: str) -> list[Utterance]:
        """Every distinct reading of ``text``, best first (see ``Score``); [] if none.

        A bare launch phrase gives a single "launch" utterance. Readings that differ only in
        which sample produced them are merged, keeping the best-scored one.
        """
        return self._recognize(text)[0]

    def recognize_best(self, text: str) -> Utterance:
        """The request Alexa would send: the best reading, else the FallbackIntent if the model
        declares it, else an "intent" utterance with ``intent_name`` None."""
        found, named = self._recognize(text)
        if found:
            return found[0]
        return Utterance("intent", self._fallback, {}, named)

    def _recognize(self, text: str) -> tuple[list[Utterance], bool]:
        heard = words(text)
        while heard[:1] == (WAKE_WORD,):
            heard = heard[1:]
        requests = self._after_invocation(heard)
        if requests is None:
            requests, named = [heard], False
        elif any(not r for r in requests):
            return [Utterance("launch", new_session_phrase=True)], True
        else:
            named = True
        best: dict[tuple[str | None, tuple[tuple[str, SlotValue], ...]], Utterance] = {}
        for request in dict.fromkeys(v for r in requests for v in _without_politeness(r, self.language)):
            for found in self._match(request):
                key = (found.intent_name, tuple(sorted(found.slots.items())))
                kept = best.get(key)
                if kept is None or _score(found) < _score(kept):
                    best[key] = found
        ranked = sorted(best.values(), key=_score)
        if named:
            ranked = [replace(u, new_session_phrase=True) for u in ranked]
        return ranked, named

    def _after_invocation(self, heard: Words) -> list[Words] | None:
        """The request part(s) of a sentence naming the skill; None if it does not name it.

        An empty request means a plain launch. Both "to ..." and "..." are tried after a
        leading connector, as a sample may itself start with "to" or "for".
        """
        language = self.language
        for name in self._invocations:
            size = len(name)
            for phrase in language.launch_phrases:
                start = len(phrase)
                if heard[:start] == phrase and heard[start : start + size] == name:
                    rest = heard[start + size :]
                    if rest[:1] and rest[0] in language.leading_connectors:
                        return [rest, rest[1:]]
                    return [rest]
            if len(heard) > size + 1 and heard[-size:] == name:
                if heard[-size - 1] in language.trailing_connectors:
                    return [heard[: -size - 1]]
        return None

    def _match(self, heard: Words) -> Iterator[Utterance]:
        if not heard:
            return
        present = set(heard)
        for template in self._templates:
            if len(template.parts) > len(heard) or not present.issuperset(template.literals):
                continue
            for captures in _align(template.parts, heard, 0, 0):
                found = self._fill(template, captures)
                if found is not None:
                    yield found

    def _fill(self, template: _Template, captures: tuple[tuple[_SlotRef, Words], ...]) -> Utterance | None:
        slots: dict[str, SlotValue] = {}
        unresolved = slot_words = 0
        for ref, said in captures:
            value = self._slot_value(ref, said)
            if value is None:
                return None
            unresolved += not value.resolved
            slot_words += len(said)
            slots[ref.name] = value
        literals = len(template.literals)
        if unresolved and not literals:
            return None  # a slot-only sample would otherwise swallow every unknown sentence
        score: Score = (
            unresolved,
            -literals,
            slot_words,
            template.source,
            template.intent_index,
            template.sample_index,
        )
        return Utterance("intent", template.intent, slots, False, template.text, score)

    def _slot_value(self, ref: _SlotRef, said: Words) -> SlotValue | None:
        raw = " ".join(said)
        parse = self.language.slot_parsers.get(ref.type)
        if parse is not None:
            parsed = parse(said)
            return None if parsed is None else SlotValue(raw, parsed, None, True, ref.type)
        found = self._values[ref.type].get(said)
        if found is None:
            return SlotValue(raw, None, None, False, ref.type)
        return SlotValue(raw, found.value, found.id, True, ref.type)


def _without_politeness(request: Words, language: Language) -> list[Words]:
    """The request as said, then without a leading "please" and trailing "please"/"thanks"."""
    out = [request]
    bare = request[1:] if request[:1] == language.polite[0] else request
    for polite in language.polite:
        if len(bare) > len(polite) and bare[-len(polite) :] == polite:
            bare = bare[: -len(polite)]
            break
    if bare and bare != request:
        out.append(bare)
    return out


def _score(utterance: Utterance) -> Score:
    assert utterance.score is not None
    return utterance.score


def _align(
    parts: tuple[str | _SlotRef, ...], heard: Words, part: int, at: int
) -> Iterator[tuple[tuple[_SlotRef, Words], ...]]:
    """Every way the words ``heard[at:]`` fit ``parts[part:]``; a slot takes one or more words."""
    if part == len(parts):
        if at == len(heard):
            yield ()
        return
    current = parts[part]
    if isinstance(current, str):
        if at < len(heard) and heard[at] == current:
            yield from _align(parts, heard, part + 1, at + 1)
        return
    after = len(parts) - part - 1
    for end in range(at + 1, len(heard) - after + 1):
        for rest in _align(parts, heard, part + 1, end):
            yield ((current, heard[at:end]), *rest)


def _value_index(slot_type: SlotType) -> Mapping[Words, TypeValue]:
    """Normalised value names, then synonyms, to their value; the first declared one wins."""
    index: dict[Words, TypeValue] = {}
    for value in slot_type.values:
        index.setdefault(words(value.value), value)
    for value in slot_type.values:
        for synonym in value.synonyms:
            index.setdefault(words(synonym), value)
    return index


def _compile(model: InteractionModel, language: Language) -> Iterator[_Template]:
    """Model samples first, then implicit built-in phrases a model sample does not already say."""
    declared = [intent.name for intent in model.intents]
    said_by_model: set[Words] = set()
    for index, intent in enumerate(model.intents):
        types = {slot.name: slot.type for slot in intent.slots}
        for number, sample in enumerate(intent.samples):
            key = sample_words(sample)
            said_by_model.add(key)
            parts = tuple(_SlotRef(w[1:-1], types[w[1:-1]]) if w.startswith("{") else w for w in key)
            yield _Template(intent.name, index, number, 0, sample, parts)
    for name, phrases in language.intent_phrases.items():
        if name in declared:
            index = declared.index(name)
        elif name in ALWAYS_DECLARED:
            index = len(declared)
        else:
            continue
        for number, phrase in enumerate(phrases):
            key = words(phrase)
            if key not in said_by_model:
                yield _Template(name, index, number, 1, phrase, key)


def _check_supported(model: InteractionModel, language: Language) -> None:
    """Refuse built-in slot types the simulator cannot parse, rather than mis-match them later."""
    for i, intent in enumerate(model.intents):
        used = {w[1:-1] for s in intent.samples for w in sample_words(s) if w.startswith("{")}
        for k, slot in enumerate(intent.slots):
            if (
                slot.name in used
                and slot.type.startswith("AMAZON.")
                and (slot.type not in language.slot_parsers)
            ):
                raise ContentError(
                    model.source,
                    f"{ROOT}.intents[{i}].slots[{k}].type",
                    f"{slot.type} is not supported by the simulator "
                    f"(supported: {', '.join(sorted(language.slot_parsers))})",
                )
