"""The simulated person: reads the skill's own prompts, works the catalogue's time, answers."""

from __future__ import annotations

import pytest

from heel_coach.catalogue.model import Catalogue, RoutineEntry
from heel_coach.engine.speech_time import word_count
from heel_coach.simulator.person import REACTION_S, CueReader, Person, SetDone, repeated_sets, seconds_in
from heel_coach.voice.prompts import Prompts, load_prompts


@pytest.fixture(scope="module")
def prompts() -> Prompts:
    return load_prompts("en-US")


def person(catalogue: Catalogue, prompts: Prompts, routine: str = "strength", foot: str = "both") -> Person:
    return Person(catalogue, CueReader.from_templates(prompts.strings), routine, foot)


def rep_entry(catalogue: Catalogue, routine: str) -> RoutineEntry:
    """An entry of the routine done as repetitions, with a pace in the catalogue."""
    return next(
        e
        for e in catalogue.routine(routine).entries
        if e.dose.hold_s is None and e.dose.duration_s is None and e.variant.rep_pace_s
    )


def test_counted_repetitions_are_done_inside_the_response(catalogue: Catalogue, prompts: Prompts) -> None:
    """The skill counts every repetition aloud at the catalogue's pace: nothing is left to do
    after the response, so the person says "next" right away."""
    entry = rep_entry(catalogue, "strength")
    someone = person(catalogue, prompts)
    someone.started = True
    text = " ".join(
        [
            prompts.get("exercise.intro", number="one", count="five", name=entry.exercise.text["en-US"].name),
            prompts.get("cue.set", set="two", sets="three"),
            prompts.get("cue.reps_start"),
            prompts.get("cue.count", n="One"),
            prompts.get("cue.count_last"),
            prompts.get("cue.reps_done"),
            prompts.get("step.wait.exercise"),
        ]
    )
    action = someone.react(text)
    assert action.work_s == 0 and action.after_s == REACTION_S
    assert action.say == "next"
    assert action.performed == (SetDone(entry.exercise.id, None, 2),)


def test_sides_sets_and_continued_parts_are_told_apart(catalogue: Catalogue, prompts: Prompts) -> None:
    entry = next(
        e for e in catalogue.routine("full").entries if e.dose.hold_s and e.exercise.sides.value == "each"
    )
    name = entry.exercise.text["en-US"].name
    someone = person(catalogue, prompts, "full")
    someone.started = True
    first = " ".join(
        [
            prompts.get("exercise.intro", number="two", count="nine", name=name),
            prompts.get("cue.side.foot", side="right"),
            prompts.get("cue.start_hold", duration="thirty seconds"),
            prompts.get("cue.release"),
            prompts.get("cue.hold_again", n="two", count="three"),
            prompts.get("cue.release"),
            prompts.get("cue.switch_side.foot", side="left"),
            prompts.get("cue.keep_going"),
            prompts.get("cue.start_hold", duration="thirty seconds"),
        ]
    )
    action = someone.react(first)
    ex = entry.exercise.id
    assert action.performed == (SetDone(ex, "right", 1),)  # the continued part is the same set
    assert action.work_s == 0  # timed work is inside the speech
    heard_before = first[: first.index(prompts.get("cue.start_hold", duration="thirty seconds"))]
    assert action.first_move_words == word_count(heard_before)
    intro = prompts.get("exercise.intro", number="two", count="nine", name=name)
    hold = prompts.get("cue.start_hold", duration="thirty seconds")
    release = prompts.get("cue.release")
    cut_short = someone.react(f"{intro} {prompts.get('cue.side.foot', side='right')} {hold}")
    assert cut_short.started == (SetDone(ex, "right", 1),) and cut_short.performed == ()
    assert someone.current == SetDone(ex, "right", 1)  # begun, not finished: not done twice
    again = someone.react(f"{intro} {prompts.get('cue.side.foot', side='right')} {hold} {release}")
    assert again.performed == (SetDone(ex, "right", 1),)
    assert repeated_sets(someone.performed) == [SetDone(ex, "right", 1)]


def test_a_set_of_holds_is_finished_at_its_last_release(catalogue: Catalogue, prompts: Prompts) -> None:
    entry = next(e for e in catalogue.routine("morning").entries if e.dose.hold_s and (e.dose.reps or 1) > 1)
    name = entry.exercise.text["en-US"].name
    someone = person(catalogue, prompts, "morning")
    someone.started = True
    holds = [prompts.get("cue.start_hold", duration="twenty seconds"), prompts.get("cue.release")]
    for n in range(2, (entry.dose.reps or 1) + 1):
        holds += [prompts.get("cue.hold_again", n=str(n), count="three"), prompts.get("cue.release")]
    intro = [prompts.get("exercise.intro", number="two", count="three", name=name)]
    side = [prompts.get("cue.side.foot", side="right")]
    assert someone.react(" ".join(intro + side + holds[:-1])).performed == ()
    assert someone.react(" ".join(intro + side + holds)).performed == (
        SetDone(entry.exercise.id, "right", 1),
    )


def test_questions_get_answers_and_the_end_is_noticed(catalogue: Catalogue, prompts: Prompts) -> None:
    someone = person(catalogue, prompts, "quick", foot="left")
    welcome = someone.react(prompts.get("welcome.back") + " " + prompts.get("welcome.back.question"))
    assert welcome.say == f"start the {catalogue.routine('quick').text['en-US'].name}"
    assert someone.react(prompts.get("ask.foot")).say == "left foot"
    assert someone.react(prompts.get("ask.focus")).say == "sole"
    announcement = prompts.get(
        "routine.start", routine="quick routine", foot_phrase="your left foot", duration="four minutes"
    )
    start = someone.react(announcement)
    assert start.announced_s == 240
    resume = prompts.get(
        "welcome.resume.next", exercise="x", number="one", count="two", routine="quick routine"
    )
    assert someone.react(resume).say == "yes"
    end = someone.react(
        prompts.get("routine.finished", routine="quick routine") + " " + prompts.get("effort.question")
    )
    assert end.finished and end.say == "about right"


def test_a_new_person_declines_an_old_routine(catalogue: Catalogue, prompts: Prompts) -> None:
    resume = prompts.get(
        "welcome.resume.next", exercise="x", number="one", count="two", routine="morning routine"
    )
    assert person(catalogue, prompts).react(resume).say == "no"


@pytest.mark.parametrize(
    ("spoken", "seconds"),
    [
        ("twelve minutes", 720),
        ("a minute and a half", 90),
        ("twenty-nine minutes", 1740),
        ("thirty seconds", 30),
    ],
)
def test_spoken_durations_are_read_back(spoken: str, seconds: float) -> None:
    assert seconds_in(spoken) == seconds


def test_every_prompt_the_person_listens_for_exists(prompts: Prompts) -> None:
    CueReader.from_templates(prompts.strings)
    with pytest.raises(KeyError, match="cue.reps_start"):
        CueReader.from_templates({k: v for k, v in prompts.strings.items() if k != "cue.reps_start"})


def test_a_lost_routine_is_started_again(catalogue: Catalogue, prompts: Prompts) -> None:
    someone = person(catalogue, prompts, "morning")
    someone.started = True
    heard = someone.react(prompts.get("routine.none") + " " + prompts.get("routine.none.question"))
    assert heard.say == f"start the {catalogue.routine('morning').text['en-US'].name}"


def test_asked_to_say_ready_they_say_ready(catalogue: Catalogue, prompts: Prompts) -> None:
    someone = person(catalogue, prompts)
    someone.started = True
    assert someone.react("You need a wall and a towel. Say 'ready' when you have them.").say == "ready"
