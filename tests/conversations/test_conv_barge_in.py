"""Speaking over a step: "Alexa, one more time" mid-set, with the request times Alexa would send.

Alexa tells the skill nothing about where a barge-in cut its speech; each request carries its
``timestamp``. These conversations set those timestamps explicitly (the toe raises' response
ends its sets at about 60 s, 124 s and 188 s; set two's counting runs from about 92 s), so the
skill can only be right by working out from them where the person was.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from heel_coach.console.client import Heard, VoiceClient, http_transport
from heel_coach.console.envelopes import utc_now

IN_SET_TWO_S = 105
"""Seconds into the toe raises' response: set two is being counted."""


class Clock:
    """Alexa's clock, moved by hand. It starts two minutes back so that every request of a test
    stays within the 150 s the skill accepts around its own time."""

    def __init__(self) -> None:
        self.now: datetime = utc_now().replace(microsecond=0) - timedelta(seconds=120)

    def __call__(self) -> datetime:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(alexa: VoiceClient) -> Clock:
    alexa.device.clock = clock = Clock()
    return clock


def toe_raises(
    alexa: VoiceClient, said: tuple[str, str, str] = ("start the strengthening routine", "both", "ready")
) -> Heard:
    """The strengthening routine's first exercise, both feet: its response (request stamped now)."""
    alexa.launch()
    for words in said:
        heard = alexa.say(words)
    assert "toe raises" in heard.text.lower() or "zehenstand" in heard.text.lower(), heard.text
    return heard


def test_one_more_time_mid_set_two_gives_the_instructions_and_sets_two_and_three(
    alexa: VoiceClient, clock: Clock
) -> None:
    toe_raises(alexa)
    clock.wait(IN_SET_TWO_S)
    again = alexa.say("one more time")
    assert again.text.startswith("From set two. Exercise one of five: toe raises. Stand with your feet")
    assert "Set one of three" not in again.text and "Set two of three. Follow my count." in again.text
    assert "Last set." in again.text and again.text.endswith("Say next for the next exercise.")
    assert again.text.count("And relax.") == 2
    assert not again.ends_session and "heel lift" in alexa.say("next").text


def test_a_request_stamped_before_the_step_was_sent_repeats_it_as_it_was_said(
    alexa: VoiceClient, clock: Clock
) -> None:
    """Alexa's clock went backwards: nothing can be told from it; the whole step, as before."""
    first = toe_raises(alexa)
    clock.wait(-5)
    again = alexa.say("repeat")
    assert again.text.startswith("Exercise one of five: toe raises.")
    assert again.text.count("And relax.") == first.text.count("And relax.") == 3


def test_after_every_set_one_more_time_is_the_last_set_once_more(alexa: VoiceClient, clock: Clock) -> None:
    first = toe_raises(alexa)
    assert first.text.endswith("Well done. Say next for the next exercise.")
    clock.wait(197)  # the response has ended (about 193 s): Alexa is listening
    again = alexa.say("one more time")
    assert again.text.startswith("From set three. Exercise one of five: toe raises.")
    assert again.text.count("And relax.") == 1 and "Last set. Follow my count." in again.text


def test_a_question_mid_set_fixes_the_place_a_later_repeat_starts_from(
    alexa: VoiceClient, clock: Clock
) -> None:
    """The towel crunch: right then left in each set. "Which foot am I on" is asked in set two
    on the right foot (its sets end at about 65, 103, 142, 180, 218 and 256 s); the answers
    name that foot and that set, and "repeat", said later, starts where the question was asked."""
    toe_raises(alexa)
    alexa.say("next")
    crunch = alexa.say("next")
    assert "towel toe crunch" in crunch.text
    clock.wait(120)
    assert alexa.say("which foot am I on").text.startswith("You're on your right foot.")
    clock.wait(10)
    sets = alexa.say("how many sets are left")
    assert sets.text.startswith("You're on set two of three of the towel toe crunch.")
    clock.wait(20)
    again = alexa.say("repeat")
    assert again.text.startswith("From set two, right foot. Exercise three of five: towel toe crunch.")
    assert again.text.count("And relax.") == 4


def test_a_break_mid_set_resumes_at_that_set(alexa: VoiceClient, clock: Clock) -> None:
    toe_raises(alexa)
    clock.wait(IN_SET_TWO_S)
    paused = alexa.say("I need a break")
    assert paused.ends_session and "saved your place at the toe raises" in paused.text
    clock.wait(60)
    welcome = alexa.say("open heel coach")
    assert "carries on with toe raises" in welcome.text
    resumed = alexa.say("yes")
    assert resumed.text.startswith("From set two. Exercise one of five: toe raises.")
    assert resumed.text.count("And relax.") == 2


def test_in_german_noch_einmal_mid_set_two_starts_at_set_two(live_url: str) -> None:
    alexa = VoiceClient.for_locale(http_transport(live_url), "de-DE")
    alexa.device.clock = clock = Clock()
    toe_raises(alexa, ("starte das kräftigungsprogramm", "beide", "bereit"))
    clock.wait(IN_SET_TWO_S)
    again = alexa.say("noch einmal")
    assert again.text.startswith("Ab Satz zwei. Übung eins von fünf: Zehenstand.")
    assert "Satz zwei von drei." in again.text and "Satz eins von drei" not in again.text


@pytest.mark.parametrize(
    "after_s,answer",
    [(3, "About twenty minutes left"), (IN_SET_TWO_S, "About eighteen minutes left")],
)
def test_how_long_is_left_counts_from_the_set_the_person_is_in(
    alexa: VoiceClient, clock: Clock, after_s: int, answer: str
) -> None:
    """Asked as the toe raises begin, or in set two: the second answer leaves out the set done
    and the instructions said (about a minute and a half of a twenty-minute routine)."""
    toe_raises(alexa)
    clock.wait(after_s)
    left = alexa.say("how long is left")
    assert left.text.startswith(answer), left.text
