"""deploy/template.yaml agrees with the code: the handler exists, the settings are real ones,
the tables are the ones DynamoStore uses, and the function's IAM policy allows exactly the
DynamoDB calls a whole conversation makes (cfn-lint checks the template itself in `make lint`)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode

from heel_coach.console.client import VoiceClient
from heel_coach.lambda_handler import LambdaEdge
from heel_coach.settings import Settings
from tests.integration.test_lambda import lambda_transport
from tests.integration.test_privacy import finish_quick_routine
from tests.stores import settings_for

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "template.yaml"


@pytest.fixture(scope="module")
def resources() -> dict[str, Any]:
    template, problems = decode(str(TEMPLATE))
    assert not problems and template is not None
    return dict(template["Resources"])


def test_the_handler_path_is_the_lambda_edge(resources: dict[str, Any]) -> None:
    function = resources["SkillFunction"]["Properties"]
    module, _, name = function["Handler"].rpartition(".")
    assert callable(getattr(importlib.import_module(module), name))
    assert function["Runtime"] in ("python3.11", "python3.12", "python3.13")
    assert function["Events"]["AlexaSkill"] == {
        "Type": "AlexaSkill",
        "Properties": {"SkillId": {"Ref": "SkillId"}},
    }


def test_the_function_is_configured_by_real_settings(resources: dict[str, Any]) -> None:
    variables = resources["SkillFunction"]["Properties"]["Environment"]["Variables"]
    assert set(variables) <= set(Settings().documented())
    assert variables["HEELCOACH_STORE"] == "dynamodb"
    assert variables["HEELCOACH_DYNAMODB_TABLE"] == {"Ref": "UsersTable"}
    assert variables["HEELCOACH_DYNAMODB_HISTORY_TABLE"] == {"Ref": "HistoryTable"}
    assert variables["HEELCOACH_SKILL_IDS"] == {"Ref": "SkillId"}


def test_tables_are_on_demand_recoverable_and_keyed_as_the_store_writes(
    resources: dict[str, Any],
) -> None:
    users, history = resources["UsersTable"]["Properties"], resources["HistoryTable"]["Properties"]
    for table in (users, history):
        assert table["BillingMode"] == "PAY_PER_REQUEST"
        assert table["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert [(k["AttributeName"], k["KeyType"]) for k in users["KeySchema"]] == [("user_id", "HASH")]
    assert [(k["AttributeName"], k["KeyType"]) for k in history["KeySchema"]] == [
        ("user_id", "HASH"),
        ("finished", "RANGE"),
    ]
    assert history["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}


def test_audio_is_private_in_s3_and_public_only_through_cloudfront(resources: dict[str, Any]) -> None:
    block = resources["AudioBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(block.values())
    origin = resources["AudioDistribution"]["Properties"]["DistributionConfig"]["Origins"][0]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["AudioOriginAccessControl", "Id"]}
    behaviour = resources["AudioDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "https-only"


def allowed_actions(resources: dict[str, Any]) -> dict[str, set[str]]:
    """Logical table name -> the DynamoDB actions the function's policy allows on it."""
    allowed: dict[str, set[str]] = {}
    for policy in resources["SkillFunction"]["Properties"]["Policies"]:
        for statement in policy["Statement"]:
            assert statement["Effect"] == "Allow"
            table = statement["Resource"]["Fn::GetAtt"][0]
            allowed.setdefault(table, set()).update(a.removeprefix("dynamodb:") for a in statement["Action"])
    return allowed


def test_iam_allows_exactly_the_calls_a_whole_conversation_makes(
    resources: dict[str, Any], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    settings = settings_for("dynamodb", tmp_path, request)
    edge = LambdaEdge.build(settings)
    store: Any = edge.assembled.store
    tables = {settings.dynamodb_table: "UsersTable", settings.dynamodb_history_table: "HistoryTable"}
    used: dict[str, set[str]] = {}

    def record(model: Any, params: dict[str, Any], **_: Any) -> None:
        if model.name == "TransactWriteItems":  # IAM checks each item's own action
            for item in params["TransactItems"]:
                put = item["Put"]
                used.setdefault(tables[put["TableName"]], set()).add("PutItem")
            return
        names = params.get("RequestItems", {}).keys() if "RequestItems" in params else [params["TableName"]]
        for name in names:
            used.setdefault(tables[name], set()).add(model.name)

    store.client.meta.events.register("before-parameter-build.dynamodb", record)
    alexa = VoiceClient.for_locale(lambda_transport(edge.handle))
    finish_quick_routine(alexa)
    alexa.launch()
    alexa.say("how am I doing")
    alexa.say("delete my data")
    alexa.say("yes")
    assert used == allowed_actions(resources)
