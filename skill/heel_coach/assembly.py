"""Build the skill once, the same way for every edge (Flask server, AWS Lambda).

Settings choose the store (SQLite or DynamoDB), the audio URLs and the API timeouts; each
edge adds only what is its own (HTTP verification and routes; the Lambda event check).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.skill import CustomSkill

from heel_coach.catalogue.model import Catalogue
from heel_coach.persistence.adapter import StorePersistenceAdapter
from heel_coach.persistence.factory import create_store
from heel_coach.persistence.store import UserStore
from heel_coach.settings import Settings
from heel_coach.voice.prompts import Prompts
from heel_coach.voice.skill_factory import build_skill
from heel_coach.voice.ssml import SilenceClips
from heel_coach.voice.tracks import TrackLibrary

__all__ = ["Assembled", "assemble", "silence_clips"]


@dataclass(frozen=True)
class Assembled:
    """What an edge serves: the skill and the parts tests and health checks reach into."""

    settings: Settings
    catalogue: Catalogue
    store: UserStore
    skill: CustomSkill


def assemble(
    settings: Settings,
    *,
    catalogue: Catalogue | None = None,
    store: UserStore | None = None,
    api_client: Any = None,
    prompts: Mapping[str, Prompts] | None = None,
) -> Assembled:
    """Catalogue, store and skill from ``settings``; nothing is opened or fetched yet.
    ``catalogue`` and ``prompts`` come from a built package's snapshot, when it has one."""
    if catalogue is None:
        from heel_coach.catalogue.loader import load_catalogue  # not with a packaged snapshot

        catalogue = load_catalogue()
    store = store or create_store(settings)
    if api_client is None:
        from heel_coach.services.api_client import TimeoutApiClient

        api_client = TimeoutApiClient(timeout_s=settings.api_timeout_s)
    skill = build_skill(
        catalogue,
        StorePersistenceAdapter(store),
        api_client=api_client,
        silence=silence_clips(settings),
        default_locale=settings.default_locale,
        store=store,
        tracks=TrackLibrary(settings.audio_dir, settings.audio_base_url),
        prompts=prompts,
    )
    return Assembled(settings, catalogue, store, skill)


def silence_clips(settings: Settings) -> SilenceClips | None:
    """Silent MP3 clips for long holds, when they are published under a public HTTPS URL."""
    if not settings.audio_base_url:
        return None
    from heel_coach.audio.silence import SILENCE_CLIP_SECONDS, silence_clip_name

    base = settings.audio_base_url

    def url_for(seconds: int) -> str:
        return f"{base}/silence/{silence_clip_name(seconds)}"

    return SilenceClips(tuple(SILENCE_CLIP_SECONDS), url_for)
