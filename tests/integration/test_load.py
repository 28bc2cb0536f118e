"""Many users at once through real gunicorn workers: every routine completes, nothing crosses.

Each simulated user has its own Device (userId, deviceId, session) and walks the whole quick
routine over HTTP while the others do the same; afterwards the SQLite file must hold exactly
each user's own finished routine. The captured server log (INFO) must name no user.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass

import pytest

from heel_coach.catalogue import load_catalogue
from heel_coach.catalogue.model import Focus
from heel_coach.console.client import VoiceClient, http_transport
from heel_coach.console.envelopes import Device
from heel_coach.engine.plan import Foot, build_plan
from tests.integration.conftest import LiveServer, LiveServerFactory

pytestmark = pytest.mark.slow

USERS = 24
FEET = ("left", "right", "both")
MAX_TURNS = 20
REQUEST_TIMEOUT_S = 15.0
APOLOGY = "Sorry"


@dataclass
class Outcome:
    user_id: str
    foot: str
    consent_token: str
    access_token: str
    statuses: list[int]
    texts: list[str]
    finished: bool


def run_user(url: str, index: int) -> Outcome:
    foot = FEET[index % len(FEET)]
    device = Device(
        user_id=f"amzn1.ask.account.LOADTEST{index:03d}{uuid.uuid4().hex.upper()}",
        permissions_token=f"consent-{uuid.uuid4().hex}",
        api_access_token=f"access-{uuid.uuid4().hex}",
    )
    alexa = VoiceClient.for_locale(http_transport(url, timeout_s=REQUEST_TIMEOUT_S), device=device)
    heard = [alexa.launch(), alexa.say("start the quick routine"), alexa.say(foot)]
    finished = False
    for _ in range(MAX_TURNS):
        reply = alexa.say("next")
        heard.append(reply)
        if reply.ends_session:
            finished = True
            break
    return Outcome(
        device.user_id,
        foot,
        device.permissions_token or "",
        device.api_access_token,
        [h.status for h in heard],
        [h.text for h in heard],
        finished,
    )


def stored_users(server: LiveServer) -> dict[str, dict[str, object]]:
    with closing(sqlite3.connect(server.db_path)) as conn:
        rows = conn.execute("SELECT user_id, attributes FROM users").fetchall()
    return {user_id: json.loads(attributes) for user_id, attributes in rows}


def test_concurrent_users_each_finish_their_own_routine(live_server_factory: LiveServerFactory) -> None:
    server = live_server_factory(workers=3)
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        futures = [pool.submit(run_user, server.alexa_url, i) for i in range(USERS)]
        outcomes = [f.result(timeout=120) for f in futures]

    for outcome in outcomes:
        assert set(outcome.statuses) == {200}, outcome
        assert outcome.finished, outcome.texts[-1]
        assert not any(text.startswith(APOLOGY) for text in outcome.texts), outcome.texts
        assert "end of the quick routine" in outcome.texts[-1]

    catalogue = load_catalogue()
    stored = stored_users(server)
    assert set(stored) == {o.user_id for o in outcomes}  # no extra, no missing user
    for outcome in outcomes:
        routine = stored[outcome.user_id]["routine"]
        assert isinstance(routine, dict)
        plan = build_plan(catalogue.routines["quick"], Foot(outcome.foot), Focus(routine["focus"]))
        steps = len(plan.steps)
        assert routine == {
            "v": 2,
            "routine": "quick",
            "foot": outcome.foot,
            "focus": routine["focus"],
            "position": steps,
            "paused": False,
            "offset_ms": 0,
            "done": list(range(steps)),
            "skipped": [],
        }, outcome.user_id
        profile = stored[outcome.user_id]["profile"]
        assert isinstance(profile, dict) and profile["foot"] == outcome.foot

    server.stop()
    log = server.log_text()
    assert log.count('"logger": "heelcoach.request"') >= sum(len(o.statuses) for o in outcomes)
    for outcome in outcomes:
        for secret in (outcome.user_id, outcome.consent_token, outcome.access_token):
            assert secret not in log
    assert "amzn1.ask.account.LOADTEST" not in log
    assert "Traceback" not in log


def test_request_log_lines_are_structured(live_server: LiveServer) -> None:
    alexa = VoiceClient.for_locale(http_transport(live_server.alexa_url, timeout_s=10))
    assert alexa.launch().status == 200
    assert alexa.say("start the quick routine").status == 200
    live_server.stop()
    lines = [
        json.loads(line)
        for line in live_server.log_text().splitlines()
        if line.startswith("{") and '"heelcoach.request"' in line and "alexa request" in line
    ]
    assert len(lines) == 2
    first, second = lines
    assert first["type"] == "LaunchRequest" and first["status"] == 200 and first["outcome"] == "ok"
    assert second["intent"] == "StartRoutineIntent"
    assert all(isinstance(line["latency_ms"], float) for line in lines)
    assert alexa.device.user_id not in live_server.log_text()
