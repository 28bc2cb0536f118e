"""Runtime settings: defaults, overridden by ``HEELCOACH_*`` environment variables.

Read once by the factories (``create_app(settings)``), never at import time, so tests can
build several apps with different settings in one process.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from heel_coach.errors import SettingsError

PREFIX = "HEELCOACH_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
STORES = ("sqlite", "dynamodb")


@dataclass(frozen=True)
class Settings:
    """Every setting, one field each; ``from_env`` reads them from ``HEELCOACH_*`` variables."""

    store: str = "sqlite"
    """HEELCOACH_STORE: where users' data lives: sqlite (one file, self-hosting) or dynamodb."""
    db_path: Path = Path("var/heel-coach.sqlite3")
    """HEELCOACH_DB_PATH: the SQLite file (created with its folder on first use)."""
    db_busy_timeout_ms: int = 1000
    """HEELCOACH_DB_BUSY_TIMEOUT_MS: how long a write waits for another writer's lock before the
    user hears the storage apology. 1 s keeps every storage fault answered well within 3 s."""
    dynamodb_table: str = "heel-coach-users"
    """HEELCOACH_DYNAMODB_TABLE: DynamoDB table of users' attributes (key user_id)."""
    dynamodb_history_table: str = "heel-coach-history"
    """HEELCOACH_DYNAMODB_HISTORY_TABLE: DynamoDB table of finished routines (keys user_id,
    finished; TTL attribute expires_at)."""
    dynamodb_endpoint: str = ""
    """HEELCOACH_DYNAMODB_ENDPOINT: DynamoDB endpoint URL (tests, DynamoDB Local); empty: AWS."""
    dynamodb_region: str = ""
    """HEELCOACH_DYNAMODB_REGION: AWS region of the tables; empty: AWS_REGION (set on Lambda)."""
    dynamodb_timeout_s: float = 1.0
    """HEELCOACH_DYNAMODB_TIMEOUT_S: connect and read timeout of each DynamoDB call."""
    verify_signatures: bool = True
    """HEELCOACH_VERIFY_SIGNATURES: check Alexa's request signature and certificate chain."""
    verify_timestamps: bool = True
    """HEELCOACH_VERIFY_TIMESTAMPS: reject requests older or newer than 150 s."""
    skill_ids: frozenset[str] = field(default_factory=frozenset)
    """HEELCOACH_SKILL_IDS: comma-separated application ids allowed; empty allows any."""
    trusted_roots_file: Path | None = None
    """HEELCOACH_TRUSTED_ROOTS: PEM file of root CAs for Alexa's certificate chain
    (default: the certifi bundle)."""
    audio_base_url: str = ""
    """HEELCOACH_AUDIO_BASE_URL: public HTTPS URL under which /audio is reachable by Alexa
    (e.g. https://coach.example.com/audio). Empty: no clips, long silences use breaks."""
    audio_dir: Path = Path("audio")
    """HEELCOACH_AUDIO_DIR: rendered audio and silence clips."""
    host: str = "127.0.0.1"
    """HEELCOACH_HOST."""
    port: int = 8000
    """HEELCOACH_PORT."""
    workers: int = 2
    """HEELCOACH_WORKERS: gunicorn worker processes for `heel-coach serve`."""
    log_level: str = "INFO"
    """HEELCOACH_LOG_LEVEL."""
    max_body_bytes: int = 128 * 1024
    """HEELCOACH_MAX_BODY_BYTES: larger requests are refused with 400."""
    cert_timeout_s: float = 2.0
    """HEELCOACH_CERT_TIMEOUT_S: wall-clock deadline for downloading Alexa's signing certificate
    (connect, TLS, headers and body together); no request waits on a download longer."""
    api_timeout_s: float = 2.5
    """HEELCOACH_API_TIMEOUT_S: timeout for Alexa API calls (reminders, settings)."""
    default_locale: str = "en-US"
    """HEELCOACH_DEFAULT_LOCALE: used when a request's locale has no content."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            key = PREFIX + f.name.upper()
            if f.name == "trusted_roots_file":
                key = PREFIX + "TRUSTED_ROOTS"
            if key in env:
                values[f.name] = _convert(f.name, env[key], getattr(cls(), f.name))
        values.update(overrides)
        return replace(cls(), **values)  # type: ignore[arg-type]

    def documented(self) -> dict[str, str]:
        """Variable name -> current value, for the README test and `heel-coach settings`."""
        out = {}
        for f in fields(self):
            key = PREFIX + ("TRUSTED_ROOTS" if f.name == "trusted_roots_file" else f.name.upper())
            value = getattr(self, f.name)
            out[key] = ",".join(sorted(value)) if isinstance(value, frozenset) else str(value or "")
        return out


def _convert(name: str, raw: str, default: object) -> object:
    raw = raw.strip()
    if isinstance(default, bool):
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise SettingsError(f"{PREFIX}{name.upper()} must be true or false, not {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{PREFIX}{name.upper()} must be a whole number") from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise SettingsError(f"{PREFIX}{name.upper()} must be a number") from None
    if isinstance(default, frozenset):
        return frozenset(part.strip() for part in raw.split(",") if part.strip())
    if name in {"db_path", "audio_dir", "trusted_roots_file"}:
        return Path(raw) if raw else None
    if name == "store":
        if raw not in STORES:
            raise SettingsError(f"HEELCOACH_STORE must be one of {', '.join(STORES)}, not {raw!r}")
        return raw
    if name == "audio_base_url":
        if raw and not raw.startswith("https://"):
            raise SettingsError("HEELCOACH_AUDIO_BASE_URL must start with https://")
        return raw.rstrip("/")
    return raw
