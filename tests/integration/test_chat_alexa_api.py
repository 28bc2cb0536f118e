"""Reminders, progress and data deletion tried as a new user would: `heel-coach chat` typed
into through pipes, against the runnable fake Alexa API (`python -m tests.fakes.alexa_api`),
both real subprocesses. Asserts the printed dialogue and the state behind it: the fake's
reminders (read over its own HTTPS API) and the SQLite rows.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
TIMEOUT_S = 20.0
PROMPT = b"You: "
ZONE = "Europe/Berlin"
DAILY_7 = "FREQ=DAILY;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"
DAILY_8 = "FREQ=DAILY;BYHOUR=8;BYMINUTE=0;BYSECOND=0;INTERVAL=1;"


def child_env(**extra: str) -> dict[str, str]:
    """No HEELCOACH_* from the developer's shell, and never a proxy between us and loopback."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEELCOACH_") and "proxy" not in k.lower()}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


@dataclass(frozen=True)
class FakeApi:
    """What the fake printed: where it is, what to trust, and the two tokens."""

    endpoint: str
    ca_bundle: str
    token: str
    granted_token: str

    def get(self, path: str = "/v1/alerts/reminders") -> Any:
        with requests.Session() as session:
            session.trust_env = False
            response = session.get(
                self.endpoint + path,
                verify=self.ca_bundle,
                timeout=5,
                headers={"Authorization": f"Bearer {self.granted_token}"},
            )
            response.raise_for_status()
            return response.json()

    def reminders(self) -> list[dict[str, Any]]:
        alerts: list[dict[str, Any]] = self.get()["alerts"]
        return alerts

    def delete_all(self) -> None:
        with requests.Session() as session:
            session.trust_env = False
            for alert in self.reminders():
                session.delete(
                    f"{self.endpoint}/v1/alerts/reminders/{alert['alertToken']}",
                    verify=self.ca_bundle,
                    timeout=5,
                    headers={"Authorization": f"Bearer {self.granted_token}"},
                )


def read_facts(stream: TextIO) -> queue.Queue[str | None]:
    """Lines of the fake's stdout up to ``ready`` (None at EOF), read off the test thread."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line.strip())
            if line.strip() == "ready":
                return
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeApi]:
    state = tmp_path_factory.mktemp("fake-alexa-state")
    command = [
        sys.executable,
        "-m",
        "tests.fakes.alexa_api",
        "--port",
        "0",
        "--time-zone",
        ZONE,
        "--state-dir",
        str(state),
    ]
    with subprocess.Popen(
        command, cwd=REPO, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdout is not None
        try:
            lines, facts = read_facts(process.stdout), {}
            while (line := lines.get(timeout=TIMEOUT_S)) is not None and line != "ready":
                key, _, value = line.partition("=")
                facts[key] = value
            assert line == "ready", facts
            assert facts["time_zone"] == ZONE
            yield FakeApi(facts["endpoint"], facts["ca_bundle"], facts["token"], facts["granted_token"])
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise
        assert code == 0  # a clean stop on SIGTERM


@pytest.fixture(autouse=True)
def no_reminders_left(fake: FakeApi) -> Iterator[None]:
    """The fake outlives each test and its reminders belong to one user: start empty."""
    fake.delete_all()
    yield
    fake.delete_all()


class Chat:
    """`heel-coach chat` through pipes. ``say`` returns what was printed for that line; the
    console's ``You: `` prompt, flushed before each read, says the answer is complete."""

    def __init__(self, args: list[str], db: Path, log: Path) -> None:
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "heel_coach", "chat", *args],
            cwd=REPO,
            env=child_env(HEELCOACH_DB_PATH=str(db)),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            bufsize=0,
        )
        self._out = bytearray()
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()
        self.transcript = self._until_prompt(0)

    def _pump(self) -> None:
        assert self.process.stdout is not None
        while chunk := self.process.stdout.read(4096):
            with self._changed:
                self._out += chunk
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def _until_prompt(self, start: int) -> str:
        def ready() -> bool:
            return (len(self._out) > start and self._out.endswith(PROMPT)) or self.process.poll() is not None

        with self._changed:
            if not self._changed.wait_for(ready, timeout=TIMEOUT_S):
                raise AssertionError(f"no prompt in {TIMEOUT_S} s:\n{self._out.decode()[-3000:]}")
            return self._out[start:].decode("utf-8")

    def say(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.poll() is None
        with self._changed:
            start = len(self._out)
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()
        answer = self._until_prompt(start)
        self.transcript += answer
        assert "Traceback" not in answer, answer
        return answer

    def close(self) -> int:
        """Say quit, end the input, and wait; kill only if the console hangs."""
        try:
            if self.process.poll() is None and self.process.stdin is not None:
                self.process.stdin.write(b"quit\n")
                self.process.stdin.close()
            return self.process.wait(timeout=TIMEOUT_S)
        except (subprocess.TimeoutExpired, OSError):
            self.process.kill()
            return self.process.wait()
        finally:
            self._reader.join(timeout=TIMEOUT_S)
            assert self.process.stdout is not None
            self.process.stdout.close()
            self._log.close()


ChatFactory = Callable[..., Chat]


@pytest.fixture
def chat(fake: FakeApi, tmp_path: Path) -> Iterator[ChatFactory]:
    """Start a console as a given user against the fake (in-process skill, SQLite in tmp)."""
    started: list[Chat] = []

    def start(user: str, *extra: str) -> Chat:
        args = [
            "--user",
            user,
            "--api-endpoint",
            fake.endpoint,
            "--ca-bundle",
            fake.ca_bundle,
            "--api-token",
            fake.token,
            *extra,
        ]
        console = Chat(args, tmp_path / "heel-coach.sqlite3", tmp_path / f"chat-{len(started)}.log")
        started.append(console)
        return console

    yield start
    for console in started:
        console.close()
    for index in range(len(started)):
        assert "Traceback" not in (tmp_path / f"chat-{index}.log").read_text()


def rule(reminder: dict[str, Any]) -> str:
    rules: list[str] = reminder["trigger"]["recurrence"]["recurrenceRules"]
    return rules[0]


def stored(db: Path, user: str) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT attributes FROM users WHERE user_id = ?", (user,)).fetchone()
    conn.close()
    return json.loads(row[0]) if row else {}


def rows_mentioning(db: Path, user: str) -> dict[str, int]:
    """Rows of every table in the file that contain the user id anywhere."""
    counts: dict[str, int] = {}
    with sqlite3.connect(db) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            found = sum(
                1
                for row in conn.execute(f'SELECT * FROM "{table}"')
                if any(isinstance(v, str) and user in v for v in row)
            )
            counts[table] = found
    conn.close()
    return counts


def test_reminders_asked_for_denied_then_granted(chat: ChatFactory, fake: FakeApi, tmp_path: Path) -> None:
    user = "amzn1.ask.account.chat-new-user"
    alexa = chat(user)
    assert ":grant / :revoke" in alexa.transcript and ":disable" in alexa.transcript
    alexa.say("open heel coach")
    out = alexa.say("remind me every day at seven am")
    assert "Shall I remind you every day at 7 AM to do your morning routine?" in out
    out = alexa.say("yes")
    assert "[Alexa asks: Allow Heel Coach to create reminders? yes / no" in out
    assert fake.reminders() == []  # nothing before the permission
    out = alexa.say("")  # the user says nothing to Alexa's question
    assert "(Connections.Response: NOT_ANSWERED)" in out and "I haven't set a reminder" in out
    assert fake.reminders() == []

    alexa.say("remind me every day at seven am")
    assert "[Alexa asks: Allow Heel Coach to create reminders?" in alexa.say("yes")
    out = alexa.say("no")
    assert "(Connections.Response: DENIED)" in out
    assert (
        "Okay, I haven't set a reminder. If you change your mind, you can allow reminders "
        "for Heel Coach in the Alexa app" in out
    )
    assert "[card shown in the Alexa app: allow Heel Coach to create reminders]" in out
    assert fake.reminders() == []
    assert stored(tmp_path / "heel-coach.sqlite3", user)["reminders"] == {"items": []}

    alexa.say("remind me every day at seven am")
    assert "[Alexa asks: Allow Heel Coach to create reminders?" in alexa.say("yes")
    out = alexa.say("yes")
    assert "(Connections.Response: ACCEPTED)" in out
    assert "Done. I'll remind you every day at 7 AM to do your morning routine." in out
    [reminder] = fake.reminders()
    assert rule(reminder) == DAILY_7 and reminder["trigger"]["timeZoneId"] == ZONE
    items = stored(tmp_path / "heel-coach.sqlite3", user)["reminders"]["items"]
    assert [i["token"] for i in items] == [reminder["alertToken"]]

    # The same session now carries the granted token: list, move and cancel just work.
    out = alexa.say("what reminders do I have")
    assert "You have one Heel Coach reminder: every day at 7 AM for your morning routine." in out
    out = alexa.say("move my reminder to eight")
    assert "Shall I move your reminder for your morning routine to every day at 8 AM?" in out
    assert rule(fake.reminders()[0]) == DAILY_7  # not before yes
    assert "Done. Your reminder for your morning routine is now every day at 8 AM." in alexa.say("yes")
    [moved] = fake.reminders()
    assert rule(moved) == DAILY_8 and moved["alertToken"] == reminder["alertToken"]
    out = alexa.say("cancel my reminder")
    assert "Shall I cancel your reminder every day at 8 AM for your morning routine?" in out
    assert "I've cancelled it" in alexa.say("yes")
    assert fake.reminders() == []
    assert stored(tmp_path / "heel-coach.sqlite3", user)["reminders"]["items"] == []


def test_reminders_with_permission_from_the_start(chat: ChatFactory, fake: FakeApi) -> None:
    alexa = chat("amzn1.ask.account.chat-granted-user", "--grant-reminders")
    alexa.say("open heel coach")
    assert "don't have any reminders" in alexa.say("what reminders do I have")
    alexa.say("remind me every day at seven am")
    out = alexa.say("yes")
    assert "Alexa asks" not in out and "Connections" not in out
    assert "Done. I'll remind you every day at 7 AM to do your morning routine." in out
    assert [rule(r) for r in fake.reminders()] == [DAILY_7]
    assert "one Heel Coach reminder: every day at 7 AM" in alexa.say("what reminders do I have")
    alexa.say("move my reminder to eight")
    assert "is now every day at 8 AM" in alexa.say("yes")
    assert [rule(r) for r in fake.reminders()] == [DAILY_8]

    # Withdrawn in the Alexa app: the skill says so and the reminder stays with Alexa.
    assert "SkillPermissionChanged: HTTP 200" in alexa.say(":revoke")
    assert "doesn't have permission to use reminders" in alexa.say("what reminders do I have")
    assert [rule(r) for r in fake.reminders()] == [DAILY_8]
    assert "SkillPermissionAccepted: HTTP 200" in alexa.say(":grant")

    alexa.say("cancel my reminder")
    assert "I've cancelled it" in alexa.say("yes")
    assert fake.reminders() == []


def do_quick_routine(alexa: Chat, moment: str) -> str:
    assert "[clock: " in alexa.say(f":date {moment}")
    alexa.say("open heel coach")
    out = alexa.say("start the quick routine")
    if "Which foot" in out:
        out = alexa.say("both")
    for _ in range(10):
        if "That's the end of the quick routine" in out:
            return out
        out = alexa.say("next")
    raise AssertionError(f"quick routine did not end:\n{alexa.transcript[-3000:]}")


def test_how_am_i_doing_after_a_simulated_week(chat: ChatFactory, tmp_path: Path) -> None:
    user = "amzn1.ask.account.chat-week-user"
    alexa = chat(user)
    do_quick_routine(alexa, "2026-11-08T12:00")  # Sunday: last week
    do_quick_routine(alexa, "2026-11-09T08:00")  # Monday
    do_quick_routine(alexa, "2026-11-10T23:30")  # Tuesday in UTC, Wednesday 00:30 in Berlin
    do_quick_routine(alexa, "2026-11-12T08:00")  # Thursday
    do_quick_routine(alexa, "2026-11-13T08:00")  # Friday
    do_quick_routine(alexa, "2026-11-14T08:00")  # Saturday
    do_quick_routine(alexa, "2026-11-14T17:00")  # Saturday again
    alexa.say(":date 2026-11-14T18:00")
    alexa.say("open heel coach")
    out = alexa.say("how am I doing")
    assert "This week you've finished six routines on five days." in out
    assert "You're on a four-day streak." in out  # Wed-Sat in Berlin; UTC would say three
    assert "today you've stretched twice" in out
    with sqlite3.connect(tmp_path / "heel-coach.sqlite3") as conn:
        finished = [
            f
            for (f,) in conn.execute(
                "SELECT finished_at FROM sessions WHERE user_id = ? ORDER BY finished_at", (user,)
            )
        ]
    conn.close()
    assert len(finished) == 7 and finished[0].startswith("2026-11-08T12:00")
    assert finished[-1].startswith("2026-11-14T17:00")

    # Back to the real clock: a week and more later, the week is empty and the streak gone.
    assert "(real time)" in alexa.say(":date now")
    alexa.say(":date 2026-11-30T12:00")
    out = alexa.say("how am I doing")
    assert "You haven't finished a routine yet this week." in out
    assert "Today is a good day to start a new streak." in out


def test_disabling_the_skill_deletes_every_row(chat: ChatFactory, fake: FakeApi, tmp_path: Path) -> None:
    user = "amzn1.ask.account.chat-leaving-user"
    db = tmp_path / "heel-coach.sqlite3"
    alexa = chat(user, "--grant-reminders")
    do_quick_routine(alexa, "now")
    alexa.say("remind me every day at seven am")
    alexa.say("yes")
    before = rows_mentioning(db, user)
    assert before["users"] == 1 and before["sessions"] == 1
    assert stored(db, user)["reminders"]["items"]
    out = alexa.say(":disable")
    assert "Alexa sent SkillDisabled: HTTP 200" in out
    assert set(rows_mentioning(db, user).values()) == {0}, rows_mentioning(db, user)
    # Talking again is a new enablement: a new user id, and nothing of the old one comes back.
    alexa.say("open heel coach")
    assert set(rows_mentioning(db, user).values()) == {0}
