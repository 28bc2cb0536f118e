"""The ask-sdk adapter works with real RequestEnvelope objects and the SDK's AttributesManager."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ask_sdk_core.attributes_manager import AttributesManager
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.request_envelope import RequestEnvelope

from heel_coach.errors import StorageError
from heel_coach.persistence.adapter import StorePersistenceAdapter, user_id_key
from heel_coach.persistence.sqlite_store import SqliteStore

USER = "amzn1.ask.account.ADAPTER"


def envelope(user_id: str | None = USER) -> RequestEnvelope:
    system: dict[str, Any] = {
        "application": {"applicationId": "amzn1.ask.skill.heel-coach"},
        "apiEndpoint": "https://api.amazonalexa.com",
    }
    if user_id is not None:
        system["user"] = {"userId": user_id}
    body = {
        "version": "1.0",
        "session": {
            "new": True,
            "sessionId": "amzn1.echo-api.session.1",
            "application": {"applicationId": "amzn1.ask.skill.heel-coach"},
            "user": {"userId": user_id or "x"},
        },
        "context": {"System": system},
        "request": {
            "type": "LaunchRequest",
            "requestId": "amzn1.echo-api.request.1",
            "timestamp": "2024-03-05T06:45:12Z",
            "locale": "en-US",
        },
    }
    result = DefaultSerializer().deserialize(json.dumps(body), "ask_sdk_model.RequestEnvelope")
    assert isinstance(result, RequestEnvelope)
    return result


def test_user_id_key_reads_the_system_user() -> None:
    assert user_id_key(envelope()) == USER
    with pytest.raises(StorageError):
        user_id_key(envelope(user_id=None))


def test_adapter_round_trip_and_delete(store: SqliteStore) -> None:
    adapter = StorePersistenceAdapter(store)
    env = envelope()
    assert adapter.get_attributes(env) == {}
    adapter.save_attributes(env, {"streak": 2})
    assert adapter.get_attributes(env) == {"streak": 2}
    assert store.get_attributes(USER) == {"streak": 2}
    adapter.delete_attributes(env)
    assert adapter.get_attributes(env) == {}
    assert store.count_users() == 0


def test_adapter_refuses_envelope_without_user(store: SqliteStore) -> None:
    adapter = StorePersistenceAdapter(store)
    with pytest.raises(StorageError):
        adapter.save_attributes(envelope(user_id=None), {"v": 1})
    assert store.count_users() == 0


def test_custom_partition_keygen(store: SqliteStore) -> None:
    adapter = StorePersistenceAdapter(store, partition_keygen=lambda env: "fixed-key")
    adapter.save_attributes(envelope(), {"v": 1})
    assert store.get_attributes("fixed-key") == {"v": 1}
    assert store.get_attributes(USER) == {}


def test_sdk_attributes_manager_uses_the_adapter(store: SqliteStore) -> None:
    adapter = StorePersistenceAdapter(store)
    manager = AttributesManager(request_envelope=envelope(), persistence_adapter=adapter)
    assert manager.persistent_attributes == {}
    manager.persistent_attributes = {"routine": "morning", "step": 1}
    manager.save_persistent_attributes()
    again = AttributesManager(request_envelope=envelope(), persistence_adapter=adapter)
    assert again.persistent_attributes == {"routine": "morning", "step": 1}
    again.delete_persistent_attributes()
    assert store.get_attributes(USER) == {}
