"""Turn an ask-sdk-model response into JSON-ready dicts, equal to the SDK's, at a fraction of the cost.

``DefaultSerializer.serialize`` rebuilds every model class's key map (it even writes to
``attribute_map``) and runs a chain of isinstance checks for each value, on every response.
``ModelEncoder`` works out each class's (attribute, JSON key) pairs once. It handles the
common types directly (None, str, int, float, bool, list, dict and model objects). Anything
else (enums, datetimes, tuples, Decimals, classes it has not seen) goes to the SDK's own
``serialize``, so the output is the SDK's. tests/contract/test_contract_sdk_serializer.py
compares the two.
"""

from __future__ import annotations

import threading
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer

__all__ = ["ModelEncoder"]

_PLAIN = frozenset({str, int, float, bool, type(None)})


class ModelEncoder:
    """``encode(obj)`` = ``DefaultSerializer().serialize(obj)``."""

    def __init__(self, serializer: DefaultSerializer | None = None) -> None:
        self._serializer = serializer or DefaultSerializer()
        self._fields: dict[type, tuple[tuple[str, str], ...]] = {}
        self._lock = threading.Lock()

    def encode(self, obj: Any) -> Any:
        kind = type(obj)
        if kind in _PLAIN:
            return obj
        if kind is list:
            return [self.encode(item) for item in obj]
        if kind is dict:
            return {key: self.encode(value) for key, value in obj.items()}
        fields = self._fields.get(kind)
        if fields is None:
            fields = self._model_fields(kind)
            if fields is None:
                return self._serializer.serialize(obj)
        out: dict[str, Any] = {}
        for attribute, key in fields:
            value = getattr(obj, attribute)
            if value is not None:
                out[key] = self.encode(value)
        return out

    def _model_fields(self, kind: type) -> tuple[tuple[str, str], ...] | None:
        """The class's (attribute, key) pairs; None for anything that is not a plain model."""
        types = getattr(kind, "deserialized_types", None)
        if not isinstance(types, dict) or any(
            issubclass(kind, base) for base in DefaultSerializer.PRIMITIVE_TYPES + (list, tuple, dict)
        ):
            return None
        mapping: dict[str, str] = dict(getattr(kind, "attribute_map", {}) or {})
        fields: tuple[tuple[str, str], ...] = tuple(
            (str(attribute), mapping.get(attribute, str(attribute))) for attribute in types
        )
        with self._lock:
            self._fields[kind] = fields
        return fields
