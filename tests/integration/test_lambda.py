"""The AWS Lambda edge: the same skill, Lambda's calling convention, the checks that replace
signature verification, and nothing heavy loaded before it is needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from heel_coach import lambda_handler
from heel_coach.console.client import Transport, VoiceClient
from heel_coach.console.envelopes import Device
from heel_coach.errors import RequestRejected
from heel_coach.lambda_handler import LambdaEdge
from heel_coach.settings import Settings
from tests.integration.test_privacy import event, finish_quick_routine
from tests.stores import STORE_KINDS, row_counts, settings_for

SKILL_ID = "amzn1.ask.skill.heel-coach-local"
REPO = Path(__file__).resolve().parents[2]


class LambdaContext:
    """What the Lambda runtime passes as ``context`` (only what the SDK may read)."""

    function_name = "heel-coach"
    aws_request_id = "test-invocation"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 7000


def lambda_transport(handler: Any) -> Transport:
    """Alexa's Lambda trigger: the JSON body becomes the event, the return value the answer;
    a refused event fails the invocation (here: a 400 so the client can see it)."""

    def send(body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        try:
            answer = handler(json.loads(body), LambdaContext())
        except RequestRejected as exc:
            return 400, json.dumps({"error": exc.reason}).encode()
        return 200, json.dumps(answer).encode()

    return send


@pytest.fixture(params=STORE_KINDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return settings_for(request.param, tmp_path, request, skill_ids=frozenset({SKILL_ID}))


@pytest.fixture
def edge(settings: Settings) -> LambdaEdge:
    return LambdaEdge.build(settings)


def test_a_routine_from_launch_to_the_end_through_the_lambda_handler(edge: LambdaEdge) -> None:
    alexa = VoiceClient.for_locale(lambda_transport(edge.handle))
    finish_quick_routine(alexa)
    assert row_counts(edge.assembled.store, alexa.device.user_id) == {"users": 1, "sessions": 1}
    disabled = event(alexa, "SkillDisabled")
    assert disabled.status == 200 and "outputSpeech" not in disabled.response
    assert row_counts(edge.assembled.store, alexa.device.user_id) == {"users": 0, "sessions": 0}


def test_another_skills_request_is_refused(edge: LambdaEdge) -> None:
    alexa = VoiceClient.for_locale(
        lambda_transport(edge.handle), device=Device(application_id="amzn1.ask.skill.someone-else")
    )
    heard = alexa.launch()
    assert heard.status == 400 and heard.body == {"error": "unknown_skill_id"}


@pytest.mark.parametrize(
    "event",
    [
        [],
        {"version": "1.0"},
        {"version": "1.0", "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "t"}},
    ],
    ids=["not-an-object", "no-request", "no-user"],
)
def test_malformed_events_are_refused_before_the_skill(edge: LambdaEdge, event: Any) -> None:
    with pytest.raises(RequestRejected) as refused:
        edge.handle(event, LambdaContext())
    assert refused.value.reason == "invalid_request"


def test_an_unreachable_table_is_an_apology(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    settings = settings_for(
        "dynamodb", tmp_path, request, dynamodb_endpoint="http://127.0.0.1:9", dynamodb_timeout_s=0.5
    )
    alexa = VoiceClient.for_locale(lambda_transport(LambdaEdge.build(settings).handle))
    heard = alexa.launch()
    assert heard.status == 200 and "can't reach your saved progress" in heard.text


def test_a_failure_on_an_audioplayer_request_is_answered_without_speech(
    edge: LambdaEdge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alexa rejects speech in a response to AudioPlayer and PlaybackController requests, also
    when the skill failed in a way its own error handlers did not catch."""

    def fail(**_: object) -> None:
        raise RuntimeError("escaped the skill")

    monkeypatch.setattr(edge.assembled.skill, "invoke", fail)
    alexa = VoiceClient.for_locale(lambda_transport(edge.handle))
    for request_type in ("AudioPlayer.PlaybackNearlyFinished", "PlaybackController.NextCommandIssued"):
        assert alexa.audio_event(request_type, token="t", offset_ms=0).body == {
            "version": "1.0",
            "response": {},
        }
    assert "sorry" in alexa.launch().text.lower()


def test_the_module_handler_builds_once_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings = settings_for("dynamodb", tmp_path, request)
    for key, value in {
        "HEELCOACH_STORE": "dynamodb",
        "HEELCOACH_DYNAMODB_TABLE": settings.dynamodb_table,
        "HEELCOACH_DYNAMODB_HISTORY_TABLE": settings.dynamodb_history_table,
        "HEELCOACH_DYNAMODB_ENDPOINT": settings.dynamodb_endpoint,
        "HEELCOACH_DYNAMODB_REGION": settings.dynamodb_region,
        "HEELCOACH_SKILL_IDS": SKILL_ID,
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(lambda_handler, "_EDGE", None)
    alexa = VoiceClient.for_locale(lambda_transport(lambda_handler.handler))
    alexa.launch()
    first = lambda_handler.edge()
    alexa.say("start the quick routine")
    assert lambda_handler.edge() is first
    assert first.settings.store == "dynamodb"
    assert first.assembled.store.get_attributes(alexa.device.user_id) != {}


def _modules_after(code: str, env: dict[str, str] | None = None) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), **(env or {})},
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_handler_loads_nothing_heavy() -> None:
    loaded = _modules_after("import heel_coach.lambda_handler")
    assert not {"flask", "boto3", "botocore", "ask_sdk_core", "requests"} & loaded


def test_the_sqlite_path_never_imports_boto3_and_no_edge_imports_flask(tmp_path: Path) -> None:
    code = (
        "from heel_coach.lambda_handler import handler\n"
        "from heel_coach.console.envelopes import Device\n"
        "handler(Device().launch(), None)\n"
    )
    loaded = _modules_after(code, {"HEELCOACH_DB_PATH": str(tmp_path / "db.sqlite3")})
    assert "heel_coach.voice.skill_factory" in loaded  # it did build and answer
    assert not {"flask", "boto3", "botocore"} & loaded


def test_launches_of_users_without_a_known_zone_need_no_zone_database_and_no_screen_views(
    tmp_path: Path,
) -> None:
    """The common Lambda cold starts: a new user, then the same user back (the weekly-summary
    check runs) before any routine was finished, so no time zone is known, on a speaker.
    Their days are counted in UTC without zoneinfo, and no screen is built."""
    code = (
        "from heel_coach.lambda_handler import handler\n"
        "from heel_coach.console.envelopes import Device\n"
        "event = Device().launch()\n"
        "first, back = handler(event, None), handler(event, None)\n"
        "assert first != back and 'outputSpeech' in back['response']\n"
    )
    loaded = _modules_after(code, {"HEELCOACH_DB_PATH": str(tmp_path / "db.sqlite3")})
    assert "heel_coach.voice.features.progress" in loaded
    assert not {"zoneinfo", "heel_coach.screens.views", "heel_coach.screens.timeline"} & loaded


def test_a_launch_imports_no_handler_it_cannot_reach(tmp_path: Path) -> None:
    """The handler list names each handler by module and the request types it answers
    (``skill_factory.HANDLERS``): launches, new user and returning, import the launch handler
    and its helpers; no other handler module, not the exception handlers (nothing failed), and
    none of the features only those handlers use."""
    code = (
        "from heel_coach.lambda_handler import handler\n"
        "from heel_coach.console.envelopes import Device\n"
        "event = Device().launch()\n"
        "first, back = handler(event, None), handler(event, None)\n"
        "assert 'outputSpeech' in first['response'] and 'outputSpeech' in back['response']\n"
    )
    loaded = _modules_after(code, {"HEELCOACH_DB_PATH": str(tmp_path / "db.sqlite3")})
    package = "heel_coach.voice.handlers."
    assert {m.removeprefix(package) for m in loaded if m.startswith(package)} == {"base", "launch"}
    only_other_handlers_need = {
        "heel_coach.voice.features.coaching",
        "heel_coach.voice.features.safety",
        "heel_coach.voice.features.reminders",
        "heel_coach.voice.alexa_api",
        "heel_coach.services.settings_api",
        "heel_coach.reminders.schedule",
    }
    assert not only_other_handlers_need & loaded


def test_launches_need_neither_the_engine_nor_statistics_and_a_returning_user_no_screen_request(
    tmp_path: Path,
) -> None:
    """The voice layer imports the routine engine, progress statistics and screen requests
    where a routine runs, progress is told or a screen is chosen: a new user's launch (the
    disclaimer, shown on a screen) and, in another container, the same user's next launch (a
    welcome back) need of the engine only the one-line speech-time estimate."""
    env = {"HEELCOACH_DB_PATH": str(tmp_path / "db.sqlite3")}
    saved = tmp_path / "launch.json"
    first = (
        "import json\n"
        "from heel_coach.lambda_handler import handler\n"
        "from heel_coach.console.envelopes import Device\n"
        f"event = Device().launch(); open({str(saved)!r}, 'w').write(json.dumps(event))\n"
        "handler(event, None)\n"
    )
    again = (
        "import json\n"
        "from heel_coach.lambda_handler import handler\n"
        f"assert 'Welcome back' in str(handler(json.load(open({str(saved)!r})), None))\n"
    )
    for code, screen_request in ((first, True), (again, False)):
        loaded = _modules_after(code, env)
        assert {m for m in loaded if m.startswith("heel_coach.engine.")} == {"heel_coach.engine.speech_time"}
        assert "heel_coach.progress.stats" not in loaded or not screen_request  # a returning user's summary
        assert ("heel_coach.screens.requests" in loaded) is screen_request


def test_the_build_pauses_the_cycle_collector_only_while_it_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A cold start builds without collections (everything built lives as long as the
    container); the collector must run again afterwards, also when the build failed."""
    import gc

    from heel_coach.errors import SettingsError

    seen: list[bool] = []
    real_build = LambdaEdge.build

    def build(settings: Settings | None = None) -> LambdaEdge:
        seen.append(gc.isenabled())
        return real_build(settings)

    monkeypatch.setattr(LambdaEdge, "build", build)
    monkeypatch.setattr(lambda_handler, "_EDGE", None)
    monkeypatch.setenv("HEELCOACH_STORE", "no-such-store")
    with pytest.raises(SettingsError):
        lambda_handler.edge()
    assert seen == [False] and gc.isenabled()
    monkeypatch.setenv("HEELCOACH_STORE", "sqlite")
    monkeypatch.setenv("HEELCOACH_DB_PATH", str(tmp_path / "db.sqlite3"))
    assert lambda_handler.edge() is lambda_handler.edge()
    assert seen == [False, False] and gc.isenabled()
