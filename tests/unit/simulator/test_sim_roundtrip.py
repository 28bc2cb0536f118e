"""Every real model's own samples, filled with slot values, must map back to their intent.

Failures are either a model ambiguity (two intents claim the same words; fix the model or
list it in known_ambiguities.yaml with a reason) or a matcher bug.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from heel_coach.resources import model_locales, model_path
from heel_coach.simulator import Matcher, load_interaction_model, sample_utterances

MODELS = [model_path(locale) for locale in model_locales()]
AMBIGUITIES = Path(__file__).with_name("known_ambiguities.yaml")
FIELDS = {"locale", "text", "expected", "reason"}


def _known() -> list[dict[str, Any]]:
    entries = yaml.safe_load(AMBIGUITIES.read_text(encoding="utf-8"))
    assert isinstance(entries, list), f"{AMBIGUITIES.name}: must be a list"
    for i, entry in enumerate(entries):
        assert isinstance(entry, dict) and set(entry) == FIELDS, f"entry {i}: keys {FIELDS}"
        assert all(isinstance(v, str) and v.strip() for v in entry.values()), f"entry {i}"
    return entries


def _model_params() -> list[Any]:
    if not MODELS:
        reason = "no interaction_models/*.json exists yet; nothing to round-trip"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="no-models")]
    return [pytest.param(path, id=path.stem) for path in MODELS]


def test_known_ambiguities_file_is_well_formed() -> None:
    locales = {path.stem for path in MODELS}
    seen: set[tuple[str, str]] = set()
    for entry in _known():
        assert entry["locale"] in locales, f"no interaction_models/{entry['locale']}.json"
        key = (entry["locale"], entry["text"])
        assert key not in seen, f"listed twice: {key}"
        seen.add(key)


@pytest.mark.parametrize("path", _model_params())
def test_every_sample_maps_back_to_its_own_intent(path: Path) -> None:
    model = load_interaction_model(path)
    matcher = Matcher(model)
    failures: dict[str, str] = {}
    checked = 0
    for intent, text, expected in sample_utterances(model):
        checked += 1
        got = matcher.recognize_best(text)
        if got.intent_name != intent or got.slots != expected:
            failures[text] = (
                f"{text!r}: expected {intent} {expected}, "
                f"got {got.intent_name} {got.slots} via sample {got.sample!r}"
            )
    assert checked, f"{path.name}: no samples at all"
    known = {e["text"]: e for e in _known() if e["locale"] == path.stem}
    unexpected = [failures[t] for t in sorted(set(failures) - set(known))]
    assert not unexpected, (
        f"{path.name}: {len(unexpected)} sample(s) do not map back (fix the model, or list "
        f"them in {AMBIGUITIES.name} with a reason):\n" + "\n".join(unexpected)
    )
    stale = sorted(set(known) - set(failures))
    assert not stale, f"{AMBIGUITIES.name}: no longer ambiguous, remove: {stale}"
