"""Streak and week arithmetic in the user's time zone, including DST changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from heel_coach.progress import stats

ZONES = [ZoneInfo(z) for z in ("America/New_York", "Europe/Berlin", "Pacific/Auckland", "UTC")]
KINDS = {"strength": frozenset({stats.STRENGTH}), "morning": frozenset({stats.STRETCH})}


@dataclass(frozen=True)
class S:
    routine_id: str
    finished_at: datetime


def local_noon(day: date, zone: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=zone).astimezone(UTC)


days_2024_2026 = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=200, deadline=None)
@given(today=days_2024_2026, length=st.integers(0, 60), gap=st.booleans(), zone=st.sampled_from(ZONES))
def test_streak_is_the_run_of_days_ending_today_or_yesterday(
    today: date, length: int, gap: bool, zone: ZoneInfo
) -> None:
    end = today - timedelta(days=1) if gap else today
    days = [end - timedelta(days=i) for i in range(length)]
    sessions = [S("morning", local_noon(d, zone)) for d in days]
    progress = stats.summarise(sessions, local_noon(today, zone), zone, KINDS)
    assert progress.streak == length


@settings(max_examples=200, deadline=None)
@given(today=days_2024_2026, zone=st.sampled_from(ZONES))
def test_a_gap_of_two_days_breaks_the_streak(today: date, zone: ZoneInfo) -> None:
    sessions = [S("morning", local_noon(today - timedelta(days=2), zone))]
    assert stats.summarise(sessions, local_noon(today, zone), zone, KINDS).streak == 0


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(UTC)
    ),
    zone=st.sampled_from(ZONES),
)
def test_week_start_is_a_monday_at_most_six_days_back(moment: datetime, zone: ZoneInfo) -> None:
    day = stats.local_day(moment, zone)
    start = stats.week_start(day)
    assert start.weekday() == 0 and 0 <= (day - start).days <= 6
    assert stats.local_day(moment, zone) == moment.astimezone(zone).date()


@settings(max_examples=200, deadline=None)
@given(today=days_2024_2026, zone=st.sampled_from(ZONES), offsets=st.lists(st.integers(0, 20), max_size=30))
def test_this_week_counts_exactly_the_sessions_since_monday(
    today: date, zone: ZoneInfo, offsets: list[int]
) -> None:
    sessions = [S("strength", local_noon(today - timedelta(days=o), zone)) for o in offsets]
    progress = stats.summarise(sessions, local_noon(today, zone), zone, KINDS)
    monday = stats.week_start(today)
    expected = [o for o in offsets if today - timedelta(days=o) >= monday]
    assert progress.this_week == progress.strength_this_week == len(expected)
    assert progress.days_this_week == len(set(expected))
    assert progress.stretch_today == 0


def test_new_york_spring_forward_keeps_consecutive_days() -> None:
    ny = ZoneInfo("America/New_York")
    # 23:30 local on 8, 9 (DST starts 02:00) and 10 March 2025: three days, one each.
    moments = [datetime(2025, 3, d, 23, 30, tzinfo=ny) for d in (8, 9, 10)]
    sessions = [S("morning", m.astimezone(UTC)) for m in moments]
    progress = stats.summarise(sessions, moments[-1], ny, KINDS)
    assert progress.streak == 3 and progress.stretch_today == 1


def test_new_york_fall_back_hour_counts_once() -> None:
    ny = ZoneInfo("America/New_York")
    # 01:30 happens twice on 2 November 2025; both belong to Sunday 2 November.
    first = datetime(2025, 11, 2, 5, 30, tzinfo=UTC)
    second = datetime(2025, 11, 2, 6, 30, tzinfo=UTC)
    assert {stats.local_day(first, ny), stats.local_day(second, ny)} == {date(2025, 11, 2)}
    progress = stats.summarise([S("morning", first), S("morning", second)], second, ny, KINDS)
    assert progress.stretch_today == 2 and progress.days_this_week == 1


def test_auckland_session_is_tomorrow_in_utc_terms() -> None:
    akl = ZoneInfo("Pacific/Auckland")
    moment = datetime(2025, 4, 6, 12, 30, tzinfo=UTC)  # 00:30 Monday 7 April, NZ
    assert stats.local_day(moment, akl) == date(2025, 4, 7)
    progress = stats.summarise([S("strength", moment)], moment, akl, KINDS)
    assert progress.this_week == 1 and progress.last_week == 0


def test_berlin_week_boundary_at_local_midnight() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    sunday_late = datetime(2025, 3, 30, 21, 30, tzinfo=UTC)  # 23:30 Sunday (CEST)
    monday = datetime(2025, 3, 31, 8, 0, tzinfo=UTC)
    progress = stats.summarise([S("morning", sunday_late)], monday, berlin, KINDS)
    assert progress.this_week == 0 and progress.last_week == 1 and progress.streak == 1


@given(last=st.one_of(st.none(), days_2024_2026), today=days_2024_2026)
def test_weekly_summary_due_once_per_week(last: date | None, today: date) -> None:
    due = stats.weekly_summary_due(last, today)
    if last is None:
        assert due
    else:
        assert due == (stats.week_start(last) < stats.week_start(today))
    assert not stats.weekly_summary_due(today, today)


def test_progression_levels() -> None:
    levels = ("double-leg", "single-leg", "slow-eccentric")
    assert stats.next_level(levels, None) == "single-leg"
    assert stats.next_level(levels, "single-leg") == "slow-eccentric"
    assert stats.next_level(levels, "slow-eccentric") is None
    assert stats.next_level((), None) is None


def test_seed_figures() -> None:
    assert stats.STRETCH_PER_DAY == (2, 3) and stats.STRENGTH_PER_WEEK == (3, 5)
    assert stats.MASSAGE_PER_DAY == (1, 1) and stats.PROGRAMME_WEEKS == (6, 8)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)))
def test_utc_without_zoneinfo_counts_the_same_days(moment: datetime) -> None:
    """A user without a known zone is counted in ``datetime.UTC`` (no zoneinfo import on a
    first launch); it must give the days ``ZoneInfo("UTC")`` gave."""
    aware = moment.replace(tzinfo=UTC)
    assert stats.local_day(aware, UTC) == stats.local_day(aware, ZoneInfo("UTC"))
