"""Typed conversation state: rows and session attributes written by earlier versions still load."""

from __future__ import annotations

from datetime import date
from typing import Any

from heel_coach.catalogue.model import Focus
from heel_coach.engine.plan import Foot
from heel_coach.engine.state import RoutineState
from heel_coach.voice.state import (
    Notice,
    Pending,
    PlaybackChoice,
    PlaybackPrefs,
    PlaybackRecord,
    ProgressionOffer,
    ReminderItem,
    ReminderRequest,
    SessionState,
)
from heel_coach.voice.user import UserData

STATE = {
    "v": 2, "routine": "quick", "foot": "left", "focus": "sole", "position": 2, "paused": False,
    "offset_ms": 1500, "done": [0, 1], "skipped": [],
}  # fmt: skip

OLD_ROW: dict[str, Any] = {
    # As the dict-based UserData (UserData.extra) wrote it, every feature's key present.
    "profile": {"foot": "left", "focus": "sole", "disclaimer_given": True, "contraindications_given": False},
    "routine": STATE,
    "playback": {"state": STATE, "failures": 1},
    "reminders": {
        "items": [{"token": "t-1", "hour": 7, "minute": 30, "days": ["sat", "sun"], "routine": "morning"}],
        "pending": {"action": "create", "hour": 21, "minute": 0, "days": None, "routine": "evening"},
    },
    "progress": {"summary_given": "2026-11-23"},
    "progression": {"toe-raise": "single-leg"},
    "time_zone": "Europe/Berlin",
}


def test_an_old_format_row_loads_into_typed_fields() -> None:
    user = UserData.from_attributes(OLD_ROW)
    state = RoutineState("quick", Foot.LEFT, Focus.SOLE, 2, False, 1500, frozenset({0, 1}))
    assert user.routine == state
    assert user.playback == PlaybackRecord(state, failures=1)
    assert user.reminders is not None
    assert user.reminders.items == [ReminderItem("t-1", 7, 30, ("sat", "sun"), "morning")]
    assert user.reminders.pending == ReminderRequest("create", 21, 0, None, "evening")
    assert user.progress is not None and user.progress.summary_given == date(2026, 11, 23)
    assert user.progression == {"toe-raise": "single-leg"}
    assert user.time_zone == "Europe/Berlin"


def test_an_old_format_row_is_written_back_unchanged() -> None:
    """Unchanged data must compare equal to the loaded row, or every request would write it."""
    assert UserData.from_attributes(OLD_ROW).to_attributes() == OLD_ROW


def test_a_new_user_writes_only_the_profile_and_routine() -> None:
    assert set(UserData().to_attributes()) == {"profile", "routine"}


def test_corrupt_feature_records_are_dropped_not_fatal() -> None:
    row = {
        "profile": "nonsense",
        "playback": {"state": {"v": 99}},
        "reminders": {"items": "x", "pending": {"action": "explode"}},
        "progress": {"summary_given": "yesterday"},
        "progression": {"toe-raise": 3},
        "time_zone": 42,
        "unknown": {"kept": False},
    }
    user = UserData.from_attributes(row)
    assert user.foot is None and user.playback is None
    assert user.reminders is not None and user.reminders.items == [] and user.reminders.pending is None
    assert user.progress is not None and user.progress.summary_given is None
    assert user.progression == {} and user.time_zone is None
    assert "unknown" not in user.to_attributes()


def test_session_attributes_round_trip_and_last_is_gone() -> None:
    session = SessionState(
        Pending.REMINDER,
        routine="quick",
        reminder=ReminderRequest("cancel", tokens=("a", "b")),
        progression=ProgressionOffer("toe-raise", "single-leg"),
    )
    raw = session.to_attributes()
    assert raw == {
        "pending": "reminder",
        "routine": "quick",
        "reminder": {"action": "cancel", "tokens": ["a", "b"]},
        "progression": {"exercise": "toe-raise", "level": "single-leg"},
    }
    assert SessionState.from_attributes(raw) == session
    old = {**raw, "last": {"ssml": "<speak>…</speak>", "reprompt": "…"}}
    assert "last" not in SessionState.from_attributes(old).to_attributes()


def test_an_unknown_pending_question_is_no_question() -> None:
    assert SessionState.from_attributes({"pending": "what"}).pending is None
    assert SessionState.from_attributes(None).to_attributes() == {"pending": None}


def test_a_move_request_keeps_the_reminder_token() -> None:
    request = ReminderRequest("move", 8, 15, ("mon",), "morning", token="t-9")
    assert ReminderRequest.from_attributes(request.to_attributes()) == request


def test_the_hands_free_choice_and_an_owed_notice_round_trip() -> None:
    assert UserData.from_attributes(OLD_ROW).playback_prefs is None  # never asked: asked next time
    user = UserData.from_attributes(OLD_ROW)
    user.playback_prefs = PlaybackPrefs(PlaybackChoice.STEP, Notice.AUDIO_FAILED)
    row = user.to_attributes()
    assert row["playback_prefs"] == {"choice": "step", "notice": "audio_failed"}
    assert UserData.from_attributes(row).playback_prefs == PlaybackPrefs(
        PlaybackChoice.STEP, Notice.AUDIO_FAILED
    )
    odd = UserData.from_attributes({**OLD_ROW, "playback_prefs": {"choice": "loud", "notice": 3}})
    assert odd.playback_prefs == PlaybackPrefs(None, None)
