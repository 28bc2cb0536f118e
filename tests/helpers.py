"""Helpers shared by tests (not fixtures)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path


def db_dump(path: Path) -> list[tuple[object, ...]]:
    """Every row of every table, for "nothing changed" assertions."""
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        rows: list[tuple[object, ...]] = []
        for table in tables:
            rows.extend((table, *row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"))
        return rows
    finally:
        conn.close()


_TOKEN = re.compile(r"\[pause ([\d.]+) s\]|(Start\.)|(And release\.|And stop\.)")


def timed_work_seconds(text: str) -> float:
    """Time from a "Start." cue to its "And release." / "And stop." cue: the timed work itself
    (holds and bouts), its silences plus the cues said inside it ("Halfway."), at the one speech
    estimate; transitions between holds are outside it."""
    from heel_coach.engine.speech_time import speech_seconds

    total, inside, pos = 0.0, False, 0
    for match in _TOKEN.finditer(text):
        if inside:
            total += speech_seconds(text[pos : match.start()])
        if match.group(2):
            inside = True
        elif match.group(3):
            inside = False
        elif inside:
            total += float(match.group(1))
        pos = match.end()
    return total
