"""Helpers for JSON-shaped data (dicts, lists and scalars), shared by the core and the voice layer."""

from __future__ import annotations

from typing import Any

__all__ = ["copy_json"]


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-shaped data: ten times cheaper than ``copy.deepcopy``, which matters
    because user state is copied on every request and content on every start."""
    if type(value) is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if type(value) is list:
        return [copy_json(item) for item in value]
    return value
