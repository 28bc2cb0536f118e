"""A German model is understood with German built-ins: launch words, yes/no, numbers and times."""

from __future__ import annotations

from typing import Any

import pytest

from heel_coach.errors import ContentError
from heel_coach.simulator import Matcher, parse_interaction_model, sample_utterances


def german(invocation: str = "fersen trainer") -> dict[str, Any]:
    return {
        "interactionModel": {
            "languageModel": {
                "invocationName": invocation,
                "intents": [
                    {
                        "name": "SetReminderIntent",
                        "slots": [{"name": "Time", "type": "AMAZON.TIME"}],
                        "samples": ["erinnere mich jeden tag um {Time}", "erinnere mich um {Time}"],
                    },
                    {"name": "TimeLeftIntent", "samples": ["wie lange noch"]},
                    {"name": "AMAZON.YesIntent", "samples": []},
                    {"name": "AMAZON.NoIntent", "samples": []},
                    {"name": "AMAZON.StopIntent", "samples": []},
                    {"name": "AMAZON.FallbackIntent", "samples": []},
                ],
            }
        }
    }


@pytest.fixture
def matcher() -> Matcher:
    return Matcher(parse_interaction_model(german(), "models/de-DE.json"))


def test_the_locale_comes_from_the_file_name() -> None:
    assert parse_interaction_model(german(), "models/de-DE.json").locale == "de-DE"
    assert parse_interaction_model(german(), "x.json", locale="de-DE").locale == "de-DE"


@pytest.mark.parametrize(
    ("said", "intent", "time"),
    [
        ("erinnere mich jeden tag um sieben uhr", "SetReminderIntent", "07:00"),
        ("erinnere mich um halb acht abends", "SetReminderIntent", "19:30"),
        ("alexa frag fersen trainer wie lange noch", "TimeLeftIntent", None),
        ("frage fersentrainer wie lange noch", "TimeLeftIntent", None),
        ("ja bitte", "AMAZON.YesIntent", None),
        ("nein danke", "AMAZON.NoIntent", None),
        ("stopp", "AMAZON.StopIntent", None),
        ("yes", "AMAZON.FallbackIntent", None),
    ],
)
def test_german_is_heard_in_german(matcher: Matcher, said: str, intent: str, time: str | None) -> None:
    heard = matcher.recognize_best(said)
    assert heard.intent_name == intent
    assert (heard.slots["Time"].value if "Time" in heard.slots else None) == time


def test_opening_the_skill_in_german_two_words_or_one(matcher: Matcher) -> None:
    assert matcher.recognize_best("öffne fersen trainer").kind == "launch"
    assert matcher.recognize_best("starte fersentrainer").kind == "launch"


def test_every_german_sample_maps_back_with_german_slot_examples() -> None:
    model = parse_interaction_model(german(), "models/de-DE.json")
    matcher = Matcher(model)
    said = list(sample_utterances(model))
    assert ("SetReminderIntent", "erinnere mich um sieben uhr") in [(i, t) for i, t, _ in said]
    for intent, text, slots in said:
        assert (matcher.recognize_best(text).intent_name, matcher.recognize_best(text).slots) == (
            intent,
            slots,
        )


@pytest.mark.parametrize("name", ["öffne trainer", "fersen trainer für dich", "alexa fersen"])
def test_german_launch_and_connecting_words_are_refused_in_the_invocation_name(name: str) -> None:
    with pytest.raises(ContentError, match="launch, connecting or wake words"):
        parse_interaction_model(german(name), "models/de-DE.json")


def test_a_language_without_built_ins_is_refused_not_matched_in_english() -> None:
    with pytest.raises(ContentError, match="no simulator built-ins for 'fr-FR'"):
        parse_interaction_model(german(), "models/fr-FR.json")
