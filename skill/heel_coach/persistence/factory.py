"""Pick the store the settings name; the DynamoDB backend (and boto3) is imported only then."""

from __future__ import annotations

from heel_coach.persistence.store import UserStore
from heel_coach.settings import Settings


def create_store(settings: Settings) -> UserStore:
    """``HEELCOACH_STORE``: ``sqlite`` (one file, self-hosting) or ``dynamodb`` (Lambda)."""
    if settings.store == "dynamodb":
        from heel_coach.persistence.dynamodb_store import DynamoStore

        return DynamoStore(
            settings.dynamodb_table,
            settings.dynamodb_history_table,
            endpoint_url=settings.dynamodb_endpoint or None,
            region=settings.dynamodb_region or None,
            timeout_s=settings.dynamodb_timeout_s,
        )
    from heel_coach.persistence.sqlite_store import SqliteStore

    return SqliteStore(settings.db_path, busy_timeout_ms=settings.db_busy_timeout_ms)
