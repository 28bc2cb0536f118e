"""``heel-coach package``: an ASK CLI v2 project that ``ask deploy`` takes as it is.

Writes, under ``--out`` (default: the current folder)::

    ask-resources.json                             skill metadata only: the code is deployed
                                                   by SAM (deploy/template.yaml) or self-hosted
    skill-package/skill.json                       the manifest
    skill-package/interactionModels/custom/<locale>.json

Everything comes from data: ``content/skill/manifest.yaml`` (what every locale shares),
``publishing.yaml`` of each supported locale (store listing, privacy links, the health
disclaimer the description must keep; read through the locale's chain, so every English
locale shares ``locales/en/publishing.yaml``) and the packaged interaction models; only the endpoint
(a Lambda ARN or an HTTPS URL with its certificate type) comes from the command line. Each
model is checked against Alexa's rules (``simulator.model``: invocation name, sample
characters, slot references) before anything is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from heel_coach.catalogue._fields import read_yaml
from heel_coach.catalogue.locale_files import load_manifest, read_locale_file
from heel_coach.errors import ContentError
from heel_coach.resources import CONTENT_DIR, model_path
from heel_coach.simulator.model import parse_interaction_model

__all__ = [
    "ASK_RESOURCES",
    "CERTIFICATE_TYPES",
    "Endpoint",
    "build_manifest",
    "package_locales",
    "write_package",
]

MANIFEST_FILE = "skill/manifest.yaml"
PUBLISHING_FILE = "publishing.yaml"
CERTIFICATE_TYPES = ("Trusted", "Wildcard", "SelfSigned")
ASK_RESOURCES = {
    "askcliResourcesVersion": "2020-03-31",
    "profiles": {"default": {"skillMetadata": {"src": "./skill-package"}}},
}
_LAMBDA_ARN = re.compile(
    r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?"
)
_LISTING_FIELDS = (
    "name",
    "summary",
    "description",
    "examplePhrases",
    "keywords",
    "smallIconUri",
    "largeIconUri",
)


@dataclass(frozen=True)
class Endpoint:
    """Where Alexa sends requests and skill events: a Lambda ARN, or HTTPS with a cert type."""

    uri: str
    ssl_certificate_type: str | None = None

    @classmethod
    def lambda_arn(cls, arn: str) -> Endpoint:
        if not _LAMBDA_ARN.fullmatch(arn):
            raise ValueError(f"not a Lambda function ARN: {arn!r}")
        return cls(arn)

    @classmethod
    def https(cls, url: str, certificate_type: str = "Trusted") -> Endpoint:
        if not url.startswith("https://"):
            raise ValueError("an HTTPS endpoint must start with https://")
        if certificate_type not in CERTIFICATE_TYPES:
            raise ValueError(f"certificate type must be one of {', '.join(CERTIFICATE_TYPES)}")
        return cls(url, certificate_type)

    def as_json(self) -> dict[str, str]:
        out = {"uri": self.uri}
        if self.ssl_certificate_type:
            out["sslCertificateType"] = self.ssl_certificate_type
        return out


def package_locales(root: Path = CONTENT_DIR) -> tuple[str, ...]:
    """Every supported locale (``locales/locales.yaml``): each has a model and a store listing."""
    return load_manifest(root).locales


def _mapping(value: object, file: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ContentError(file, "$", "must be a mapping")
    return value


def _listing(locale: str, root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """(publishingInformation.locales[locale], privacyAndCompliance.locales[locale])."""
    raw, at = read_locale_file(root, locale, PUBLISHING_FILE)
    file = at.file
    data = _mapping(raw, file)
    missing = [
        k for k in (*_LISTING_FIELDS, "privacyPolicyUrl", "termsOfUseUrl", "disclaimer") if k not in data
    ]
    if missing:
        raise ContentError(file, ", ".join(missing), "missing")
    description = str(data["description"])
    for phrase in data["disclaimer"]:
        if str(phrase).lower() not in description.lower():
            raise ContentError(file, "description", f"must keep the health disclaimer: {phrase!r}")
    listing = {key: data[key] for key in _LISTING_FIELDS}
    privacy = {"privacyPolicyUrl": data["privacyPolicyUrl"], "termsOfUseUrl": data["termsOfUseUrl"]}
    return listing, privacy


def _check_phrases(locale: str, phrases: list[str], invocation: str) -> None:
    """Example phrases are what certification tries first: at most three, each starting with
    the wake word, the first one naming the skill's invocation name."""
    file = f"locales/{locale}/{PUBLISHING_FILE}"
    if not 1 <= len(phrases) <= 3:
        raise ContentError(file, "examplePhrases", "one to three phrases")
    if not all(p.startswith("Alexa, ") for p in phrases):
        raise ContentError(file, "examplePhrases", "each phrase starts with 'Alexa, '")
    if invocation not in phrases[0]:
        raise ContentError(file, "examplePhrases[0]", f"must use the invocation name {invocation!r}")


def build_manifest(endpoint: Endpoint, root: Path = CONTENT_DIR) -> dict[str, Any]:
    """skill.json as a dict, from the content files and ``endpoint``."""
    shared = _mapping(read_yaml(root, MANIFEST_FILE), MANIFEST_FILE)
    locales = package_locales(root)
    if not locales:
        raise ContentError(MANIFEST_FILE, "locales", "no locale has both a model and publishing.yaml")
    listings: dict[str, Any] = {}
    privacy_locales: dict[str, Any] = {}
    for locale in locales:
        listing, privacy = _listing(locale, root)
        invocation = _model(locale, root)["interactionModel"]["languageModel"]["invocationName"]
        _check_phrases(locale, list(listing["examplePhrases"]), invocation)
        listings[locale], privacy_locales[locale] = listing, privacy
    publishing = {**shared["publishingInformation"], "locales": listings}
    return {
        "manifest": {
            "manifestVersion": shared["manifestVersion"],
            "publishingInformation": publishing,
            "privacyAndCompliance": {**shared["privacyAndCompliance"], "locales": privacy_locales},
            "apis": {"custom": {"endpoint": endpoint.as_json(), "interfaces": shared["interfaces"]}},
            "permissions": shared["permissions"],
            "events": {
                "endpoint": endpoint.as_json(),
                "subscriptions": [{"eventName": name} for name in shared["eventSubscriptions"]],
            },
        }
    }


def _model(locale: str, root: Path) -> dict[str, Any]:
    """The packaged model of ``locale``, refused if Alexa would refuse to build it."""
    path = model_path(locale) if root == CONTENT_DIR else root / "models" / f"{locale}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    parse_interaction_model(data, str(path))
    return _mapping(data, str(path))


def _dump(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def write_package(out: Path, endpoint: Endpoint, root: Path = CONTENT_DIR) -> list[Path]:
    """Write the ASK CLI project under ``out``; returns the files written."""
    manifest = build_manifest(endpoint, root)
    package = out / "skill-package"
    files = {
        out / "ask-resources.json": _dump(ASK_RESOURCES),
        package / "skill.json": _dump(manifest),
    }
    for locale in manifest["manifest"]["publishingInformation"]["locales"]:
        files[package / "interactionModels" / "custom" / f"{locale}.json"] = _dump(_model(locale, root))
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)
