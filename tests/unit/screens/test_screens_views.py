"""Data sources: every word from the locale, every number from the plan or progress."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from heel_coach.catalogue.model import Catalogue, Focus
from heel_coach.engine.plan import Foot, build_plan
from heel_coach.engine.timing import step_script
from heel_coach.progress import stats
from heel_coach.screens import views
from heel_coach.screens.documents import document
from heel_coach.screens.requests import SafetyTopic
from heel_coach.screens.samples import samples
from heel_coach.screens.timeline import device_length, screen_timeline
from heel_coach.screens.views import Screen
from heel_coach.voice.prompts import load_prompts

WORDING = load_prompts("en-US")


def test_exercise_screen_names_side_and_set_like_the_coach(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("full"), Foot.BOTH, Focus.SOLE)
    step = next(s for s in plan.steps if s.segments[0].sets > 1 and s.segments[0].side)
    phases = screen_timeline([(step, [(i, device_length(i, 1.0)) for i in step_script(plan, step)], 3.0)])
    view = views.exercise_view(
        plan, phases, locale="en-US", wording=WORDING, routine_name="full heel routine"
    )
    indicators = {p["indicator"] for p in view.data["phases"]}
    assert "Right foot, set 1 of 3" in indicators or "Right foot, set 1 of 2" in indicators
    assert view.data["routine"] == "Full heel routine"
    assert [b["command"] for b in view.data["buttons"]] == ["repeat", "pause", "next"]
    assert view.token.startswith("heelcoach.exercise.full.")
    step_data = view.data["steps"][0]
    assert step_data["startMs"] == 0 and step_data["endMs"] == view.data["phases"][-1]["endMs"]


def test_paused_screen_offers_resume(catalogue: Catalogue) -> None:
    plan = build_plan(catalogue.routine("quick"), Foot.LEFT, Focus.SOLE)
    script = [(i, device_length(i, 1.0)) for i in step_script(plan, plan.steps[0])]
    phases = screen_timeline([(plan.steps[0], script, 3.0)])
    view = views.exercise_view(plan, phases, locale="en-US", wording=WORDING, routine_name="x", paused=True)
    assert [b["command"] for b in view.data["buttons"]] == ["repeat", "resume", "next"]


def test_overview_lists_every_exercise_the_equipment_once_and_the_plan_total(catalogue: Catalogue) -> None:
    routine = catalogue.routine("full")
    plan = build_plan(routine, Foot.BOTH, Focus.SOLE)
    view = views.overview_view(
        plan,
        routine,
        locale="en-US",
        wording=WORDING,
        feet_phrase="Both feet",
        total_s=1745,
        equipment_names=catalogue.equipment["en-US"],
    )
    assert [e["number"] for e in view.data["exercises"]] == list(range(1, len(plan.entries) + 1))
    assert len(view.data["equipment"]) == len(set(view.data["equipment"]))
    assert view.data["total"] == "About 29 minutes"


def test_progress_counts_the_users_local_week(catalogue: Catalogue) -> None:
    class Done:
        def __init__(self, when: datetime) -> None:
            self.routine_id, self.finished_at = "quick", when

    zone = ZoneInfo("America/Los_Angeles")
    now = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)  # Thursday, 12:00 in Los Angeles
    sessions = [
        Done(datetime(2026, 11, 24, 7, 0, tzinfo=UTC)),
        Done(datetime(2026, 11, 26, 18, 0, tzinfo=UTC)),
    ]
    counts = views.week_counts(sessions, now, zone)
    assert counts == [1, 0, 0, 1, 0, 0, 0]  # 07:00 UTC Tuesday is Monday evening in Los Angeles
    progress = stats.summarise(sessions, now, zone, {"quick": frozenset({stats.STRETCH})})
    view = views.progress_view(progress, counts, wording=WORDING)
    assert [d["today"] for d in view.data["days"]].index(True) == 3
    assert (view.data["bandLow"], view.data["bandHigh"]) == stats.STRETCH_PER_DAY


def test_safety_screens_carry_the_locale_safety_text(catalogue: Catalogue) -> None:
    safety = catalogue.safety["en-US"]
    contra = views.safety_view(SafetyTopic.CONTRAINDICATIONS, safety, wording=WORDING)
    assert len(contra.data["items"]) == len(safety.massage_contraindications)
    assert sum(len(c) for c in contra.data["columns"]) == len(safety.massage_contraindications)
    signs = views.safety_view(SafetyTopic.WARNING_SIGNS, safety, wording=WORDING)
    assert [i.lower() for i in signs.data["items"]] == [f.lower() for f in safety.red_flags]
    disclaimer = views.safety_view(SafetyTopic.DISCLAIMER, safety, wording=WORDING)
    assert disclaimer.data["intro"] == safety.disclaimer


def test_every_screen_has_a_document_and_every_document_imports_the_viewport_profiles(
    catalogue: Catalogue,
) -> None:
    names = {s.view.screen for s in samples(catalogue, WORDING)}
    assert names == set(Screen)
    for screen in Screen:
        doc = document(screen)
        assert doc["type"] == "APL" and doc["mainTemplate"]["parameters"] == ["payload"]
        assert {"name": "alexa-viewport-profiles", "version": "1.6.0"} in doc["import"]
