"""ask-sdk persistence adapter backed by SqliteStore, so the SDK's AttributesManager uses it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model.request_envelope import RequestEnvelope

from heel_coach.errors import StorageError
from heel_coach.persistence.sqlite_store import SqliteStore

__all__ = ["SqlitePersistenceAdapter", "user_id_key"]


def user_id_key(request_envelope: RequestEnvelope) -> str:
    """Partition by Alexa userId (per skill enablement), as the SDK's own adapters do."""
    context = getattr(request_envelope, "context", None)
    system = getattr(context, "system", None)
    user = getattr(system, "user", None)
    user_id = getattr(user, "user_id", None)
    if not isinstance(user_id, str) or not user_id:
        raise StorageError("request envelope has no context.System.user.userId to key storage by")
    return user_id


class SqlitePersistenceAdapter(AbstractPersistenceAdapter):
    """Thin bridge: the key comes from the envelope, everything else is the store's job."""

    def __init__(
        self,
        store: SqliteStore,
        partition_keygen: Callable[[RequestEnvelope], str] = user_id_key,
    ) -> None:
        self.store = store
        self.partition_keygen = partition_keygen

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        """Stored attributes for the envelope's user, ``{}`` if none."""
        return self.store.get_attributes(self.partition_keygen(request_envelope))

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        """Replace the envelope's user's attributes."""
        self.store.save_attributes(self.partition_keygen(request_envelope), attributes)

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        """Forget the envelope's user (attributes and session history)."""
        self.store.delete_user(self.partition_keygen(request_envelope))
