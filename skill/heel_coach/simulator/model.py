"""The Alexa interaction model as frozen data, validated against the rules the simulator relies on.

The simulator answers "what would Alexa send for this text?" from the model's own samples,
so a model Alexa would refuse to build (or one our matcher would misread) must fail here,
loudly, naming the file and the JSON path, instead of producing a confusing match later.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from heel_coach.errors import ContentError
from heel_coach.locales import DEFAULT_LOCALE
from heel_coach.simulator.language import language_for
from heel_coach.simulator.normalize import normalize, words

BUILTIN_PREFIX = "AMAZON."
ROOT = "interactionModel.languageModel"

_NAME = re.compile(r"[A-Za-z_]+")
_BUILTIN_NAME = re.compile(r"AMAZON\.[A-Za-z_]+")
_SLOT_REF = re.compile(r"\{([^{}]*)\}")
_SAMPLE_PUNCTUATION = frozenset(" '.-")
_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")


@dataclass(frozen=True)
class TypeValue:
    """One value of a custom slot type: what entity resolution returns as id and canonical name."""

    value: str
    id: str | None = None
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class SlotType:
    """A custom slot type; its values and synonyms are the only words that resolve."""

    name: str
    values: tuple[TypeValue, ...]


@dataclass(frozen=True)
class Slot:
    """A slot an intent declares; ``type`` is a custom type name or an ``AMAZON.`` built-in."""

    name: str
    type: str


@dataclass(frozen=True)
class Intent:
    """An intent with its declared slots and its samples exactly as written in the model."""

    name: str
    slots: tuple[Slot, ...] = ()
    samples: tuple[str, ...] = ()

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)


@dataclass(frozen=True)
class InteractionModel:
    """The parts of ``interactionModel.languageModel`` that decide which request Alexa sends."""

    invocation_name: str
    intents: tuple[Intent, ...]
    types: tuple[SlotType, ...] = ()
    source: str = field(default="<inline>", compare=False)
    """The file it came from, so later checks (the matcher's) can name it in a ContentError."""
    locale: str = DEFAULT_LOCALE
    """Its Alexa locale; the language decides which built-in phrases and slot parsers apply."""

    def intent(self, name: str) -> Intent | None:
        return next((i for i in self.intents if i.name == name), None)

    def slot_type(self, name: str) -> SlotType | None:
        return next((t for t in self.types if t.name == name), None)


def sample_slot_names(sample: str) -> list[str]:
    """Names of the ``{Slot}`` references in a sample, in order."""
    return _SLOT_REF.findall(sample)


def load_interaction_model(path: Path) -> InteractionModel:
    """Read and validate ``interaction_models/<locale>.json``; any problem is a ContentError.

    The locale is the file name's ("de-DE.json" is German)."""
    file = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ContentError(file, "$", f"cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ContentError(file, "$", f"invalid JSON: {exc}") from exc
    return parse_interaction_model(data, file)


def parse_interaction_model(
    data: object, file: str = "<inline>", locale: str | None = None
) -> InteractionModel:
    """Validate already-decoded JSON (tests pass dicts) and build the frozen model.

    ``locale`` defaults to the file name's when it is one ("models/de-DE.json"), else en-US."""
    if locale is None:
        stem = Path(file).stem
        locale = stem if _LOCALE.fullmatch(stem) else DEFAULT_LOCALE
    return _Parser(file, locale).model(data)


class _Parser:
    """Walks the JSON once, keeping the file name so every error can say where it is."""

    def __init__(self, file: str, locale: str) -> None:
        self.file = file
        self.locale = locale

    def fail(self, path: str, problem: str) -> ContentError:
        return ContentError(self.file, path, problem)

    def obj(self, value: object, path: str) -> Mapping[str, object]:
        if not isinstance(value, dict):
            raise self.fail(path, "must be an object")
        return value

    def arr(self, value: object, path: str) -> Sequence[object]:
        if not isinstance(value, list):
            raise self.fail(path, "must be a list")
        return value

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(path, "must be a non-empty string")
        return value

    def model(self, data: object) -> InteractionModel:
        root = self.obj(data, "$")
        im = self.obj(root.get("interactionModel"), "interactionModel")
        lm = self.obj(im.get("languageModel"), ROOT)
        invocation = self.invocation(lm.get("invocationName"), f"{ROOT}.invocationName")
        raw_types = self.arr(lm.get("types", []), f"{ROOT}.types")
        types = tuple(self.slot_type(t, f"{ROOT}.types[{i}]") for i, t in enumerate(raw_types))
        self.unique([t.name for t in types], f"{ROOT}.types", "slot type")
        declared = {t.name for t in types}
        raw_intents = self.arr(lm.get("intents"), f"{ROOT}.intents")
        intents = tuple(self.intent(x, f"{ROOT}.intents[{i}]", declared) for i, x in enumerate(raw_intents))
        self.unique([i.name for i in intents], f"{ROOT}.intents", "intent")
        self.no_shared_samples(intents)
        return InteractionModel(invocation, intents, types, self.file, self.locale)

    def invocation(self, value: object, path: str) -> str:
        name = self.text(value, path)
        if not all(c.islower() or c == " " for c in name):
            raise self.fail(path, f"{name!r}: only lowercase letters and spaces are allowed")
        parts = name.split(" ")
        if "" in parts:
            raise self.fail(path, f"{name!r}: no leading, trailing or double spaces")
        if len(parts) < 2:
            raise self.fail(path, f"{name!r}: must have at least two words")
        bad = sorted(set(parts) & language_for(self.locale, self.file).forbidden_invocation_words)
        if bad:
            raise self.fail(path, f"{name!r}: launch, connecting or wake words {bad}")
        return name

    def unique(self, names: list[str], path: str, what: str) -> None:
        seen: set[str] = set()
        for i, name in enumerate(names):
            if name in seen:
                raise self.fail(f"{path}[{i}].name", f"duplicate {what} {name!r}")
            seen.add(name)

    def slot_type(self, value: object, path: str) -> SlotType:
        raw = self.obj(value, path)
        name = self.text(raw.get("name"), f"{path}.name")
        if not _NAME.fullmatch(name):
            raise self.fail(
                f"{path}.name",
                f"{name!r}: letters and underscores only (extending AMAZON. types is unsupported)",
            )
        raw_values = self.arr(raw.get("values"), f"{path}.values")
        if not raw_values:
            raise self.fail(f"{path}.values", "a slot type needs at least one value")
        values: list[TypeValue] = []
        seen: set[str] = set()
        for i, item in enumerate(raw_values):
            vpath = f"{path}.values[{i}]"
            entry = self.obj(item, vpath)
            raw_id = entry.get("id")
            if raw_id is not None:
                self.text(raw_id, f"{vpath}.id")
            body = self.obj(entry.get("name"), f"{vpath}.name")
            text = self.text(body.get("value"), f"{vpath}.name.value")
            if normalize(text) in seen:
                raise self.fail(f"{vpath}.name.value", f"duplicate value {text!r}")
            seen.add(normalize(text))
            syn_path = f"{vpath}.name.synonyms"
            synonyms = tuple(
                self.text(s, f"{syn_path}[{j}]")
                for j, s in enumerate(self.arr(body.get("synonyms", []), syn_path))
            )
            values.append(TypeValue(text, raw_id if isinstance(raw_id, str) else None, synonyms))
        return SlotType(name, tuple(values))

    def intent(self, value: object, path: str, types: set[str]) -> Intent:
        raw = self.obj(value, path)
        name = self.text(raw.get("name"), f"{path}.name")
        if not (_NAME.fullmatch(name) or _BUILTIN_NAME.fullmatch(name)):
            raise self.fail(f"{path}.name", f"{name!r}: letters and underscores (or AMAZON.X)")
        slots: list[Slot] = []
        for i, item in enumerate(self.arr(raw.get("slots", []), f"{path}.slots")):
            spath = f"{path}.slots[{i}]"
            entry = self.obj(item, spath)
            slot_name = self.text(entry.get("name"), f"{spath}.name")
            if not _NAME.fullmatch(slot_name):
                raise self.fail(f"{spath}.name", f"{slot_name!r}: letters and underscores only")
            slot_type = self.text(entry.get("type"), f"{spath}.type")
            if not (_BUILTIN_NAME.fullmatch(slot_type) or slot_type in types):
                raise self.fail(f"{spath}.type", f"{slot_type!r} is not a declared slot type")
            slots.append(Slot(slot_name, slot_type))
        self.unique([s.name for s in slots], f"{path}.slots", "slot")
        spath = f"{path}.samples"
        samples = tuple(
            self.sample(s, f"{spath}[{i}]", {s.name for s in slots})
            for i, s in enumerate(self.arr(raw.get("samples", []), spath))
        )
        if not samples and not name.startswith(BUILTIN_PREFIX):
            raise self.fail(spath, f"custom intent {name!r} needs at least one sample")
        return Intent(name, tuple(slots), samples)

    def sample(self, value: object, path: str, slots: set[str]) -> str:
        sample = self.text(value, path)
        refs = sample_slot_names(sample)
        for ref in refs:
            if ref not in slots:
                raise self.fail(path, f"{sample!r}: slot {{{ref}}} is not declared by the intent")
        if len(set(refs)) != len(refs):
            raise self.fail(path, f"{sample!r}: a slot may appear only once in a sample")
        for word in sample.split(" "):
            if _SLOT_REF.search(word) and not _SLOT_REF.fullmatch(word):
                raise self.fail(path, f"{sample!r}: a slot reference must stand alone as a word")
        rest = _SLOT_REF.sub(" ", sample)
        bad = sorted({c for c in rest if not (c.isalpha() or c in _SAMPLE_PUNCTUATION)})
        if bad:
            raise self.fail(path, f"{sample!r}: characters {bad} not allowed (write numbers out)")
        return sample

    def no_shared_samples(self, intents: tuple[Intent, ...]) -> None:
        owner: dict[tuple[str, ...], str] = {}
        for i, intent in enumerate(intents):
            for j, sample in enumerate(intent.samples):
                key = sample_words(sample)
                first = owner.get(key)
                if first is not None:
                    where = "this intent" if first == intent.name else repr(first)
                    raise self.fail(
                        f"{ROOT}.intents[{i}].samples[{j}]",
                        f"{sample!r} is already a sample of {where}",
                    )
                owner[key] = intent.name


def sample_words(sample: str) -> tuple[str, ...]:
    """A sample as normalised words, each ``{Slot}`` reference kept verbatim as one word."""
    out: list[str] = []
    for word in sample.split():
        out.extend((word,) if _SLOT_REF.fullmatch(word) else words(word))
    return tuple(out)
