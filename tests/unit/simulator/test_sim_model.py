"""Loading and validating interaction models: every refusal names the file and JSON path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from heel_coach.errors import ContentError
from heel_coach.simulator import (
    Intent,
    Matcher,
    Slot,
    SlotType,
    TypeValue,
    load_interaction_model,
    parse_interaction_model,
)

LM = "interactionModel.languageModel"


def language_model(data: dict[str, Any]) -> dict[str, Any]:
    inner: dict[str, Any] = data["interactionModel"]["languageModel"]
    return inner


def test_loads_file_into_frozen_dataclasses(tmp_path: Path, model_json: dict[str, Any]) -> None:
    path = tmp_path / "en-US.json"
    path.write_text(json.dumps(model_json), encoding="utf-8")
    model = load_interaction_model(path)
    assert model.invocation_name == "heel coach"
    assert model.source == str(path)
    assert model.intents[0] == Intent(
        "StartRoutineIntent",
        (Slot("Routine", "ROUTINE_NAME"),),
        (
            "start my {Routine}",
            "start the {Routine}",
            "start {Routine}",
            "for the {Routine}",
            "start a routine",
        ),
    )
    assert model.slot_type("ROUTINE_NAME") == SlotType(
        "ROUTINE_NAME",
        (
            TypeValue("full heel routine", "full", ("foot routine", "morning routine")),
            TypeValue("quick routine", "quick", ("short routine",)),
        ),
    )
    assert model.intent("AMAZON.HelpIntent") == Intent("AMAZON.HelpIntent")
    assert model.intent("NoSuchIntent") is None
    with pytest.raises(AttributeError):
        model.invocation_name = "x"  # type: ignore[misc]


def test_value_without_id_and_synonyms(model_json: dict[str, Any]) -> None:
    language_model(model_json)["types"][1]["values"].append({"name": {"value": "both feet"}})
    model = parse_interaction_model(model_json)
    foot = model.slot_type("FOOT_SIDE")
    assert foot is not None and foot.values[-1] == TypeValue("both feet", None, ())


def test_unreadable_and_invalid_json_files(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(ContentError) as err:
        load_interaction_model(missing)
    assert err.value.file == str(missing) and "cannot read" in err.value.problem
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_interaction_model(broken)
    assert (err.value.file, err.value.field) == (str(broken), "$")
    assert "invalid JSON" in err.value.problem


def _error(data: dict[str, Any]) -> ContentError:
    with pytest.raises(ContentError) as err:
        parse_interaction_model(data, "models/en-US.json")
    assert err.value.file == "models/en-US.json"
    return err.value


def test_duplicate_sample_across_intents_names_the_second(model_json: dict[str, Any]) -> None:
    language_model(model_json)["intents"][4]["samples"].append("Start a routine.")
    err = _error(model_json)
    assert err.field == f"{LM}.intents[4].samples[2]"
    assert "StartRoutineIntent" in err.problem


def test_duplicate_sample_within_an_intent(model_json: dict[str, Any]) -> None:
    language_model(model_json)["intents"][0]["samples"].append("start my  {Routine}")
    err = _error(model_json)
    assert err.field == f"{LM}.intents[0].samples[5]"
    assert "this intent" in err.problem


def test_same_words_with_different_slots_are_not_duplicates(model_json: dict[str, Any]) -> None:
    language_model(model_json)["intents"][3]["samples"].append("start my {Foot}")
    parse_interaction_model(model_json)


def test_undeclared_slot_in_sample(model_json: dict[str, Any]) -> None:
    language_model(model_json)["intents"][2]["samples"].append("hold for {Seconds}")
    err = _error(model_json)
    assert err.field == f"{LM}.intents[2].samples[2]"
    assert "{Seconds}" in err.problem


@pytest.mark.parametrize(
    ("sample", "problem"),
    [
        ("do 10 reps", "characters ['0', '1']"),
        ("do {Count} reps!", "characters ['!']"),
        ("do {Count}reps", "stand alone"),
        ("do {Count} and {Count} reps", "only once"),
    ],
)
def test_bad_sample_text(model_json: dict[str, Any], sample: str, problem: str) -> None:
    language_model(model_json)["intents"][2]["samples"].append(sample)
    err = _error(model_json)
    assert err.field == f"{LM}.intents[2].samples[2]"
    assert problem in err.problem


def test_sample_punctuation_alexa_allows(model_json: dict[str, Any]) -> None:
    language_model(model_json)["intents"][2]["samples"].append("what's a t.v. lunge-hold")
    parse_interaction_model(model_json)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Heel Coach", "lowercase"),
        ("heel coach 2", "lowercase"),
        ("heel-coach", "lowercase"),
        ("coach", "two words"),
        ("heel  coach", "double spaces"),
        ("open coach", "launch"),
        ("heel coach app", "'app'"),
        ("coach for heels", "'for'"),
        ("", "non-empty"),
    ],
)
def test_bad_invocation_name(model_json: dict[str, Any], name: str, problem: str) -> None:
    language_model(model_json)["invocationName"] = name
    err = _error(model_json)
    assert err.field == f"{LM}.invocationName"
    assert problem in err.problem


@pytest.mark.parametrize(
    ("edit", "field", "problem"),
    [
        (lambda lm: lm["intents"][0].update(name="Start-Routine"), "intents[0].name", "letters"),
        (lambda lm: lm["intents"][5].update(name="AMAZON."), "intents[5].name", "letters"),
        (
            lambda lm: lm["intents"][1].update(name="StartRoutineIntent"),
            "intents[1].name",
            "duplicate intent",
        ),
        (
            lambda lm: lm["intents"][0]["slots"][0].update(name="the routine"),
            "intents[0].slots[0].name",
            "letters",
        ),
        (
            lambda lm: lm["intents"][0]["slots"][0].update(type="ROUTINE"),
            "intents[0].slots[0].type",
            "not a declared slot type",
        ),
        (lambda lm: lm["intents"][4].update(samples=[]), "intents[4].samples", "at least one sample"),
        (lambda lm: lm["types"][0].update(values=[]), "types[0].values", "at least one value"),
        (lambda lm: lm["types"][0].update(name="AMAZON.Food"), "types[0].name", "AMAZON."),
        (lambda lm: lm["types"][1].update(name="ROUTINE_NAME"), "types[1].name", "duplicate slot type"),
        (
            lambda lm: lm["types"][1]["values"][1]["name"].update(value="Left-Foot"),
            "types[1].values[1].name.value",
            "duplicate value",
        ),
        (
            lambda lm: lm["types"][1]["values"][1]["name"].update(synonyms=["ok", 3]),
            "types[1].values[1].name.synonyms[1]",
            "string",
        ),
        (lambda lm: lm.update(intents={}), "intents", "list"),
        (lambda lm: lm["intents"].append("HelpIntent"), "intents[12]", "object"),
    ],
)
def test_structural_errors_name_the_json_path(
    model_json: dict[str, Any], edit: Any, field: str, problem: str
) -> None:
    edit(language_model(model_json))
    err = _error(model_json)
    assert err.field == f"{LM}.{field}"
    assert problem in err.problem


def test_missing_language_model() -> None:
    err = _error({"interactionModel": {}})
    assert err.field == LM


def test_matcher_refuses_unsupported_builtin_slot_types(model_json: dict[str, Any]) -> None:
    intent = {
        "name": "SearchIntent",
        "slots": [{"name": "Query", "type": "AMAZON.SearchQuery"}],
        "samples": ["search for {Query}"],
    }
    language_model(model_json)["intents"].append(intent)
    model = parse_interaction_model(model_json, "models/en-US.json")
    with pytest.raises(ContentError) as err:
        Matcher(model)
    assert err.value.file == "models/en-US.json"
    assert err.value.field == f"{LM}.intents[12].slots[0].type"
    assert "AMAZON.SearchQuery" in err.value.problem
