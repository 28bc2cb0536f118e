"""Talking to the coach mid-exercise: pain, questions, breaks and stopping, the way people do.

Every test speaks to the real HTTP endpoint through the interaction model's own samples, so a
phrase that Alexa would send to another intent fails here too.
"""

from __future__ import annotations

import re

from heel_coach.console.client import Heard, VoiceClient

RULES = "Don't push through pain."
SIGNS = (
    "Please see a health professional if you have pain that continues despite regular exercise "
    "and support, severe pain that does not get better with rest, pain that disturbs your sleep, "
    "or a noticeable change in how your foot works."
)
OFFER = "Say skip to move on, or stop to finish for today."
ASKS_ABOUT_SYMPTOMS = re.compile(r"where does it hurt|how bad|sounds like|could be|rate your pain", re.I)


def start(alexa: VoiceClient, routine: str, *answers: str) -> Heard:
    """Open the skill, start a routine, answer its questions and say "ready" after its opening;
    the first exercise's turn."""
    alexa.launch()
    alexa.say(f"start the {routine}")
    heard = alexa.history[-1]
    for answer in answers:
        heard = alexa.say(answer)
    assert heard.text.endswith("Then say 'ready'."), heard.text
    return alexa.say("ready")


def assert_pain_answer(heard: Heard, *, massage: bool = True) -> None:
    """``massage``: the pain came during a roll or massage, or outside an exercise, so seed 003's
    rule on how much a massage may hurt is said; in a stretch or a toe raise it is not."""
    assert RULES in heard.text and SIGNS in heard.text
    assert ("never severely painful" in heard.text) is massage, heard.text  # seed 003
    assert not ASKS_ABOUT_SYMPTOMS.search(heard.text), heard.text
    assert not heard.ends_session and heard.reprompt


# -- pain ----------------------------------------------------------------------------------------


def test_it_hurts_in_the_menu_gives_the_rules_and_asks_nothing_about_it(alexa: VoiceClient) -> None:
    alexa.launch()
    heard = alexa.say("it hurts")
    assert_pain_answer(heard)
    assert "Say stop to finish for today" in heard.text
    assert "Goodbye" in alexa.say("stop").text


def test_my_heel_hurts_mid_exercise_stops_keeps_the_place_and_offers_skip_or_stop(
    alexa: VoiceClient,
) -> None:
    start(alexa, "morning routine", "both")
    second = alexa.say("next")
    assert "Exercise two of three: plantar fascia stretch" in second.text
    heard = alexa.say("my heel hurts")
    assert "Which foot" not in heard.text  # not a foot choice
    assert heard.text.startswith("Let's stop this exercise.")
    assert_pain_answer(heard, massage=False)  # a stretch
    assert heard.text.endswith(f"I've kept your place. {OFFER}") and heard.reprompt == OFFER
    skipped = alexa.say("skip")
    assert skipped.text.startswith("Skipping plantar fascia stretch. Exercise three of three")


def test_ouch_then_stop_finishes_for_today_with_the_place_kept(alexa: VoiceClient) -> None:
    start(alexa, "strengthening routine", "left foot")
    assert_pain_answer(alexa.say("ouch"), massage=False)  # toe raises
    stopped = alexa.say("stop")
    assert stopped.ends_session and "saved your place at toe raises" in stopped.text
    welcome = alexa.say("open heel coach")
    assert "toe raises, exercise one of five" in welcome.text


def test_every_way_of_saying_it_hurts_gets_the_same_answer(alexa: VoiceClient) -> None:
    start(alexa, "quick routine", "both")
    for said in ("it hurts", "that's too painful", "ow", "this hurts", "my foot hurts", "my calf hurts"):
        heard = alexa.say(said)
        assert heard.utterance is not None and heard.utterance.intent_name == "PainIntent", said
        assert_pain_answer(heard)


def test_the_massage_rule_comes_with_pain_in_a_roll_not_in_a_stretch(alexa: VoiceClient) -> None:
    roll = start(alexa, "quick routine", "both")
    assert "sole roll" in roll.text
    assert_pain_answer(alexa.say("it hurts"), massage=True)
    stretch = alexa.say("skip")
    assert "plantar fascia stretch" in stretch.text, stretch.text
    assert_pain_answer(alexa.say("it hurts"), massage=False)


def test_it_hurts_at_the_foot_question_asks_the_question_again(alexa: VoiceClient) -> None:
    alexa.launch()
    assert "Which foot" in alexa.say("start the quick routine").text
    heard = alexa.say("that really hurts")
    assert_pain_answer(heard)
    assert heard.text.endswith("Which foot: left, right, or both?")
    assert "The quick routine, both feet" in alexa.say("both").text


# -- understanding -------------------------------------------------------------------------------


def test_why_what_and_which_side_mid_exercise(alexa: VoiceClient) -> None:
    start(alexa, "morning routine", "right foot")
    alexa.say("next")
    alexa.say("next")  # exercise three: calf stretch, a leg exercise
    why = alexa.say("what is this for")
    assert why.text.startswith("Tight calf muscles add strain to the sole of your foot")
    need = alexa.say("what do i need")
    assert need.text.startswith("For the calf stretch, you'll need a wall.")
    side = alexa.say("which foot am i on")
    assert side.text.startswith("You're on your right leg.")
    sets = alexa.say("how many sets are left")
    assert sets.text.startswith("You're on set one of three of the calf stretch. It's the last exercise")
    for heard in (why, need, side, sets):
        assert not heard.ends_session and heard.reprompt


def test_sets_left_counts_the_exercises_after_this_one(alexa: VoiceClient) -> None:
    start(alexa, "strengthening routine", "both")
    heard = alexa.say("how many more")
    assert (
        "You're on set one of three of the toe raises. After it, you have four exercises to go." in heard.text
    )
    side = alexa.say("which side")
    assert side.text.startswith("This exercise works both feet together.")


def test_equipment_of_the_routine_before_it_starts(alexa: VoiceClient) -> None:
    alexa.launch()
    alexa.say("start the morning routine")
    heard = alexa.say("what do i need")
    assert heard.text.startswith("You'll need a chair and a wall.")
    assert heard.text.endswith("Which foot: left, right, or both?")
    named = alexa.say("what do i need for the quick routine")
    assert "You'll need" in named.text


def test_one_more_time_says_the_current_exercise_again(alexa: VoiceClient) -> None:
    first = start(alexa, "quick routine", "both")
    again = alexa.say("one more time")
    assert again.text.startswith("Exercise one of two: sole roll")
    assert first.text.endswith(again.text)


def test_a_break_pauses_keeps_the_place_and_says_how_to_come_back(alexa: VoiceClient) -> None:
    start(alexa, "morning routine", "both")
    alexa.say("next")
    heard = alexa.say("hang on")
    assert heard.ends_session
    assert heard.text == (
        "Take your time. I've saved your place at the plantar fascia stretch. "
        "When you're ready, say 'Alexa, open heel coach'."
    )
    assert "plantar fascia stretch, exercise two of three" in alexa.say("open heel coach").text
    assert alexa.say("yes").text.startswith("Exercise two of three: plantar fascia stretch")


def test_stop_for_now_keeps_the_place_and_says_so(alexa: VoiceClient) -> None:
    start(alexa, "strengthening routine", "both")
    heard = alexa.say("that's enough for today")
    assert heard.ends_session
    assert "I've saved your place at the toe raises in your strengthening routine" in heard.text
    assert "toe raises, exercise one of five" in alexa.say("open heel coach").text


# -- answers only in their context ---------------------------------------------------------------


def test_answers_nobody_asked_for_change_nothing(alexa: VoiceClient) -> None:
    first = start(alexa, "strengthening routine", "both")
    hard = alexa.say("hard")
    assert "How did" not in hard.text and "Go at your own pace" in hard.text
    left = alexa.say("left foot")
    assert "Let's do" not in left.text  # the routine is not restarted for another foot
    assert "start the strengthening routine for my left foot" in left.text
    assert alexa.say("one more time").text == first.text[first.text.index("Exercise one of five") :]


def test_yes_with_no_question_open_does_not_move_the_routine(alexa: VoiceClient) -> None:
    start(alexa, "quick routine", "both")
    heard = alexa.say("yes")
    assert heard.text == "Say next to go on, repeat to hear that again, or pause to take a break."
    assert "Exercise two of two" in alexa.say("next").text


# -- at a routine's opening, before "ready" -----------------------------------------------------


def test_questions_and_pain_at_the_opening_keep_the_ready_turn(alexa: VoiceClient) -> None:
    """Nothing has started yet: answers name the whole routine, pain stops nothing, and "ready"
    still begins exercise one (never skipping it)."""
    alexa.launch()
    alexa.say("start the morning routine")
    assert alexa.say("both").text.endswith("Then say 'ready'.")
    need = alexa.say("what do i need")
    assert need.text.startswith("You'll need a chair and a wall.")
    hurts = alexa.say("it hurts")
    assert_pain_answer(hurts)
    assert "Let's stop this exercise" not in hurts.text
    focus = alexa.say("calf")
    for heard in (need, hurts, focus):
        assert heard.text.endswith("Say 'ready' to begin, or 'pause' to stop for now."), heard.text
    assert "Exercise one of three: cross friction massage" in alexa.say("ready").text


# -- massage safety ------------------------------------------------------------------------------


def test_the_massage_warning_is_one_short_sentence_said_once(alexa: VoiceClient) -> None:
    first = start(alexa, "quick routine", "both")
    warning = re.search(r"Before you massage your feet: [^.]*\.", first.text)
    assert warning is not None
    sentence = warning.group(0)
    assert len(sentence.split()) <= 40
    for plain in ("open or infected wound", "blood clot", "circulation", "cancer", "pregnant"):
        assert plain in sentence
    for excludes_heel_spur in ("growth", "inflammat", "joint"):
        assert excludes_heel_spur not in sentence
    assert "Say 'massage safety' for the full list." in first.text
    alexa.say("stop")
    again = start(alexa, "evening massage")
    assert "Before you massage" not in again.text


def test_massage_safety_gives_the_full_list_and_a_card(alexa: VoiceClient) -> None:
    alexa.launch()
    heard = alexa.say("massage safety")
    assert "Don't massage your feet if you have" in heard.text
    assert "tuberculosis" in heard.text and "A heel spur is not on this list." in heard.text
    card = heard.response.get("card")
    assert card is not None and card["type"] == "Simple" and card["title"] == "Massage safety"
    assert "- open or infected wounds on your feet" in card["content"]
    assert card["content"].count("\n- ") == 16  # all sixteen items, one a line
    assert not heard.ends_session
