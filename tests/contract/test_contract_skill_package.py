"""`heel-coach package` writes an ASK CLI project Amazon's own model classes accept, field for
field, and that keeps Alexa's published limits."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer

from heel_coach.errors import ContentError
from heel_coach.resources import CONTENT_DIR, model_locales, upload_model_path
from heel_coach.simulator.language import language_for
from heel_coach.skill_package import ASK_RESOURCES, Endpoint, build_manifest

REPO = Path(__file__).resolve().parents[2]
ARN = "arn:aws:lambda:us-east-1:123456789012:function:heel-coach-SkillFunction-AbC123"
MANIFEST_CLASS = "ask_smapi_model.v1.skill.manifest.skill_manifest_envelope.SkillManifestEnvelope"
MODEL_CLASS = "ask_smapi_model.v1.skill.interaction_model.interaction_model_data.InteractionModelData"


def package(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "heel_coach", "package", "--out", str(out), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ask-project")
    done = package(out, "--endpoint-arn", ARN)
    assert done.returncode == 0, done.stderr
    return out


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def round_trip(data: dict[str, Any], model_class: str) -> dict[str, Any]:
    """Through Amazon's classes and back: a field the classes do not know is dropped and an
    enum value they do not know raises, so equality means every field is a documented one."""
    serializer = DefaultSerializer()
    obj = serializer.deserialize(json.dumps(data), model_class)
    result = serializer.serialize(obj)
    assert isinstance(result, dict)
    return result


def test_the_project_has_exactly_what_ask_deploy_reads(project: Path) -> None:
    files = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    assert files == sorted(
        [
            "ask-resources.json",
            "skill-package/skill.json",
            *(f"skill-package/interactionModels/custom/{loc}.json" for loc in model_locales()),
        ]
    )
    assert load(project / "ask-resources.json") == ASK_RESOURCES


def test_the_manifest_is_accepted_field_for_field_by_amazons_classes(project: Path) -> None:
    manifest = load(project / "skill-package" / "skill.json")
    assert round_trip(manifest, MANIFEST_CLASS) == manifest


def test_the_round_trip_would_notice_an_unknown_field(project: Path) -> None:
    manifest = load(project / "skill-package" / "skill.json")
    manifest["manifest"]["apis"]["custom"]["interfaces"][0]["typo"] = "AUDIO_PLAYER"
    assert round_trip(manifest, MANIFEST_CLASS) != manifest


@pytest.mark.parametrize("locale", model_locales())
def test_each_model_is_accepted_and_is_the_packaged_one(project: Path, locale: str) -> None:
    path = project / "skill-package" / "interactionModels" / "custom" / f"{locale}.json"
    model = load(path)
    assert round_trip(model, MODEL_CLASS) == model
    assert path.read_bytes() == (CONTENT_DIR / "models" / f"{locale}.json").read_bytes()
    upload = upload_model_path(locale)
    assert upload is not None and path.read_bytes() == upload.read_bytes()


def test_every_locale_is_published_with_the_health_disclaimer_and_privacy_links(project: Path) -> None:
    manifest = load(project / "skill-package" / "skill.json")["manifest"]
    listings = manifest["publishingInformation"]["locales"]
    assert sorted(listings) == sorted(model_locales())
    disclaimers = {
        "en": ("not a substitute for professional medical advice", "emergency services"),
        "de": ("ersetzt keinen professionellen medizinischen rat", "rettungsdienst"),
    }
    for locale, listing in listings.items():
        text = listing["description"].lower()
        for phrase in disclaimers[locale.split("-")[0]]:
            assert phrase in text, locale
        assert len(listing["summary"]) <= 160 and len(listing["description"]) <= 4000
        assert manifest["privacyAndCompliance"]["locales"][locale]["privacyPolicyUrl"].startswith("https://")
    assert manifest["publishingInformation"]["category"] == "HEALTH_AND_FITNESS"
    assert manifest["permissions"] == [{"name": "alexa::alerts:reminders:skill:readwrite"}]
    assert {"type": "AUDIO_PLAYER"} in manifest["apis"]["custom"]["interfaces"]
    assert {"type": "ALEXA_PRESENTATION_APL"} in manifest["apis"]["custom"]["interfaces"]  # screens
    assert [s["eventName"] for s in manifest["events"]["subscriptions"]] == [
        "SKILL_ENABLED",
        "SKILL_DISABLED",
        "SKILL_PERMISSION_ACCEPTED",
        "SKILL_PERMISSION_CHANGED",
    ]


def test_a_lambda_endpoint_names_the_arn_for_requests_and_events(project: Path) -> None:
    manifest = load(project / "skill-package" / "skill.json")["manifest"]
    assert manifest["apis"]["custom"]["endpoint"] == {"uri": ARN}
    assert manifest["events"]["endpoint"] == {"uri": ARN}


def test_an_https_endpoint_carries_its_certificate_type(tmp_path: Path) -> None:
    done = package(
        tmp_path, "--endpoint-url", "https://coach.example.com/alexa", "--ssl-certificate-type", "Wildcard"
    )
    assert done.returncode == 0, done.stderr
    manifest = load(tmp_path / "skill-package" / "skill.json")
    assert manifest["manifest"]["apis"]["custom"]["endpoint"] == {
        "uri": "https://coach.example.com/alexa",
        "sslCertificateType": "Wildcard",
    }
    assert round_trip(manifest, MANIFEST_CLASS) == manifest


@pytest.mark.parametrize(
    "args",
    [
        ["--endpoint-url", "http://coach.example.com/alexa"],
        ["--endpoint-arn", "arn:aws:s3:::not-a-function"],
    ],
)
def test_a_bad_endpoint_is_refused(tmp_path: Path, args: list[str]) -> None:
    done = package(tmp_path, *args)
    assert done.returncode == 2 and "heel-coach package:" in done.stderr
    assert not (tmp_path / "skill-package").exists()


@pytest.mark.parametrize("locale", model_locales())
def test_models_keep_alexas_limits(locale: str) -> None:
    """Invocation name, sample characters and slot references, as the certification rules say."""
    language = load(CONTENT_DIR / "models" / f"{locale}.json")["interactionModel"]["languageModel"]
    name = language["invocationName"]
    assert all(ch.islower() or ch == " " for ch in name) and len(name.split()) >= 2
    assert not set(name.split()) & language_for(locale).forbidden_invocation_words
    types = {t["name"] for t in language.get("types", [])}
    for intent in language["intents"]:
        slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
        assert all(t in types or t.startswith("AMAZON.") for t in slots.values()), intent["name"]
        for sample in intent.get("samples", []):
            words = sample.split()
            refs = [w[1:-1] for w in words if w.startswith("{")]
            assert set(refs) <= set(slots), (intent["name"], sample)
            plain = "".join(w for w in words if not w.startswith("{"))
            assert all(ch.isalpha() or ch in "'.-" for ch in plain), (intent["name"], sample)


def copy_content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def test_a_description_without_the_disclaimer_is_refused(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "locales" / "en" / "publishing.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Heel Coach is not a substitute for", "Heel Coach is"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="health disclaimer"):
        build_manifest(Endpoint.lambda_arn(ARN), root)


def test_a_launch_word_in_the_invocation_name_is_refused(tmp_path: Path) -> None:
    root = copy_content(tmp_path)
    path = root / "models" / "en-US.json"
    model = load(path)
    model["interactionModel"]["languageModel"]["invocationName"] = "open heel coach"
    path.write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(ContentError, match="launch, connecting or wake words"):
        build_manifest(Endpoint.lambda_arn(ARN), root)
