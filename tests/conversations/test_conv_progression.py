"""Effort, not symptoms: after a strengthening routine the skill asks how it felt, and a
progression the seeds describe is offered and then spoken when that exercise comes up."""

from __future__ import annotations

from heel_coach.console.client import VoiceClient


def test_effort_question_then_progression_is_spoken_next_time(alexa: VoiceClient) -> None:
    alexa.launch()
    alexa.say("start the strengthening routine")
    heard = alexa.say("both feet")
    for _ in range(80):
        if "How did" in heard.text or heard.ends_session:
            break
        heard = alexa.say("next")
    assert "easy" in heard.text and not heard.ends_session, heard.text
    offer = alexa.say("it felt easy")
    assert "single" in offer.text.lower() or "one foot" in offer.text.lower(), offer.text
    alexa.say("yes")
    alexa.say("stop")
    alexa.launch()
    alexa.say("no")
    routine = alexa.say("start the strengthening routine")
    text = routine.text
    for _ in range(20):
        if "toe raise" in text.lower():
            break
        text = alexa.say("next").text
    assert "one foot" in text.lower() or "single" in text.lower(), text
