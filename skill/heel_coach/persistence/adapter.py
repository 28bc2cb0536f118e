"""ask-sdk persistence adapter over any ``UserStore``, so the SDK's AttributesManager uses it.

The SDK calls ``get_attributes`` and later ``save_attributes`` with the same request
envelope; the adapter remembers (per thread) what it loaded for that envelope and saves
against it, so two requests of one user at once never lose each other's changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.request_envelope import RequestEnvelope

from heel_coach.errors import StorageError
from heel_coach.json_data import copy_json
from heel_coach.persistence.store import UserStore

__all__ = ["StorePersistenceAdapter", "user_id_key"]


def user_id_key(request_envelope: RequestEnvelope) -> str:
    """Partition by Alexa userId (per skill enablement), as the SDK's own adapters do."""
    context = getattr(request_envelope, "context", None)
    system = getattr(context, "system", None)
    user = getattr(system, "user", None)
    user_id = getattr(user, "user_id", None)
    if not isinstance(user_id, str) or not user_id:
        raise StorageError("request envelope has no context.System.user.userId to key storage by")
    return user_id


class StorePersistenceAdapter(AbstractPersistenceAdapter):
    """Thin bridge: the key comes from the envelope, everything else is the store's job."""

    def __init__(
        self,
        store: UserStore,
        partition_keygen: Callable[[RequestEnvelope], str] = user_id_key,
    ) -> None:
        self.store = store
        self.partition_keygen = partition_keygen
        self._loaded = threading.local()  # (envelope, user id, attributes as loaded)

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        """Stored attributes for the envelope's user, ``{}`` if none."""
        user_id = self.partition_keygen(request_envelope)
        attributes = self.store.get_attributes(user_id)
        self._loaded.entry = (request_envelope, user_id, copy_json(attributes))
        return attributes

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        """Write the envelope's user's attributes against what this request loaded."""
        user_id = self.partition_keygen(request_envelope)
        entry = getattr(self._loaded, "entry", None)
        base = None
        if entry is not None and entry[0] is request_envelope and entry[1] == user_id:
            base = entry[2]
        self.store.save_attributes(user_id, attributes, base=base)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        """Forget the envelope's user (attributes and session history)."""
        self._loaded.entry = None
        self.store.delete_user(self.partition_keygen(request_envelope))
