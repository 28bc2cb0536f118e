"""Build ask-sdk-model objects from parsed request JSON, equal to the SDK's own, at a tenth of the cost.

ask-sdk-core's ``DefaultSerializer`` works out every model class again on every request. It
matches regexes on type strings, imports classes by name, rewrites ``attribute_map`` and runs
dateutil's general parser on the timestamp. On this machine that is 200-300 µs per request,
the largest single cost of serving one. ``ModelDecoder`` makes one small decoder per type
string, the first time that type is seen, and keeps it.

The objects it builds are the ones the SDK would build: the same classes, the same
attributes, unknown keys kept as extra attributes. The hypothesis tests in
tests/contract/test_contract_sdk_serializer.py compare the two. When a value is not the plain JSON type
the model declares, for example a number where a string belongs, a list where an object
belongs, or a timestamp in an unusual format, the decoder hands that value to the SDK's own
code, so odd input behaves exactly as it does in the SDK. One deliberate difference: an
Alexa timestamp ("...Z") gets ``dateutil.tz.UTC``, where dateutil answers ``tzlocal()`` on a
machine whose own zone is UTC. The instant is the same.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from typing import Any

from ask_sdk_core.exceptions import SerializationException
from ask_sdk_core.serialize import DefaultSerializer
from dateutil.tz import UTC

__all__ = ["ModelDecoder"]

Decoder = Callable[[Any], Any]
_PRIMITIVES: dict[str, type] = {"str": str, "int": int, "long": int, "float": float, "bool": bool}
# What Alexa sends: UTC, second precision, optional fraction. Anything else goes to dateutil.
# As text: ``re`` compiles it on the first timestamp and keeps it (a cold start compiles what
# the first request needs, nothing at import).
_ALEXA_TIMESTAMP = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"


def _list_item(spec: str) -> str | None:
    """``list[X]`` -> ``X`` (one item type, no comma); None for anything else."""
    if spec.startswith("list[") and spec.endswith("]") and "," not in spec:
        return spec[5:-1].strip()
    return None


def _dict_value(spec: str) -> str | None:
    """``dict(K, V)`` -> ``V``, as the SDK writes its maps; None for anything else."""
    if spec.startswith("dict(") and spec.endswith(")"):
        key, comma, value = spec[5:-1].partition(", ")
        if comma and "," not in key:
            return value
    return None


class ModelDecoder:
    """``decode(payload, "ask_sdk_model.RequestEnvelope")`` = ``DefaultSerializer``'s result."""

    def __init__(self, serializer: DefaultSerializer | None = None) -> None:
        self._serializer = serializer or DefaultSerializer()
        # The SDK keeps its object-level method private; that is the code odd values go through.
        self._sdk: Callable[[Any, Any], Any] = getattr(  # noqa: B009 - a name-mangled attribute
            self._serializer, "_DefaultSerializer__deserialize"
        )
        self._decoders: dict[str, Decoder] = {}
        self._lock = threading.Lock()

    def decode(self, payload: Any, type_spec: str | type) -> Any:
        if isinstance(type_spec, type):
            type_spec = f"{type_spec.__module__}.{type_spec.__qualname__}"
        return self.decoder(type_spec)(payload)

    def decoder(self, spec: str) -> Decoder:
        found = self._decoders.get(spec)
        if found is None:
            with self._lock:
                found = self._decoders.get(spec) or self._compile(spec)
        return found

    # --- compiling one type string ---------------------------------------------------
    def _compile(self, spec: str) -> Decoder:
        """Called with the lock held; registers the decoder before compiling its fields,
        so a model that refers to itself gets a working decoder."""
        decoder: Decoder
        if (item := _list_item(spec)) is not None:
            decoder = self._container(spec, list, item)
        elif (value := _dict_value(spec)) is not None:
            decoder = self._container(spec, dict, value)
        elif spec in _PRIMITIVES:
            decoder = self._primitive(spec, _PRIMITIVES[spec])
        elif spec == "object":
            decoder = _identity
        elif spec == "datetime":
            decoder = self._datetime
        elif "." in spec and "[" not in spec and "(" not in spec:
            decoder = self._class(spec)
        else:  # 'date', mixed-type lists and other rarities: the SDK's path
            decoder = self._delegate(spec)
        self._decoders[spec] = decoder
        return decoder

    def _delegate(self, spec: str) -> Decoder:
        sdk = self._sdk
        return lambda value: sdk(value, spec)

    def _container(self, spec: str, kind: type, item_spec: str) -> Decoder:
        """``list[X]`` or ``dict(str, X)``: each item (or value) through X's decoder, made on
        first use; anything but that JSON container goes to the SDK."""
        sdk = self._sdk
        items: Decoder | None = None

        def decode(value: Any) -> Any:
            nonlocal items
            if type(value) is not kind:
                return None if value is None else sdk(value, spec)
            if items is None:
                items = self.decoder(item_spec)
            found: Any = value  # a list or a dict, checked above
            if kind is list:
                return [items(item) for item in found]
            return {key: items(item) for key, item in found.items()}

        return decode

    def _primitive(self, spec: str, kind: type) -> Decoder:
        sdk = self._sdk

        def decode(value: Any) -> Any:
            if type(value) is kind or value is None:
                return value
            return sdk(value, spec)

        return decode

    def _datetime(self, value: Any) -> Any:
        if type(value) is str and re.match(_ALEXA_TIMESTAMP, value):
            try:
                return datetime.fromisoformat(value[:-1]).replace(tzinfo=UTC)
            except ValueError:
                pass  # e.g. month 13: let the SDK raise its own error
        return None if value is None else self._sdk(value, "datetime")

    def _class(self, spec: str) -> Decoder:
        module_name, _, class_name = spec.rpartition(".")
        try:
            cls = getattr(__import__(module_name, fromlist=[class_name]), class_name)
        except Exception:
            return self._delegate(spec)  # the SDK raises its own SerializationException
        if isinstance(cls, type) and issubclass(cls, Enum):
            return self._enum(spec, cls)
        if not hasattr(cls, "deserialized_types"):
            return _identity
        codec = _ModelCodec(self, spec, cls)
        if hasattr(cls, "get_real_child_model"):
            return _Discriminated(self, spec, cls, codec)
        return codec

    def _enum(self, spec: str, cls: type[Enum]) -> Decoder:
        members = cls._value2member_map_
        sdk = self._sdk

        def decode(value: Any) -> Any:
            if type(value) is str and value in members:
                return members[value]
            return None if value is None else sdk(value, spec)

        return decode


def _identity(value: Any) -> Any:
    return value


class _ModelCodec:
    """One model class: its (attribute, JSON key, type) fields, worked out on first use. A
    field's own decoder is made the first time that key is present: a request carries a
    handful of the hundreds of types a model can name, and loading the rest would slow the
    first request down."""

    def __init__(self, owner: ModelDecoder, spec: str, cls: type) -> None:
        self.owner, self.spec, self.cls = owner, spec, cls
        self.fields: list[list[Any]] | None = None
        self.known: frozenset[str] = frozenset()

    def _resolve(self) -> list[list[Any]]:
        types: dict[str, str] = self.cls.deserialized_types  # type: ignore[attr-defined]
        mapping: dict[str, str] = dict(getattr(self.cls, "attribute_map", {}))
        for attribute in types:
            mapping.setdefault(attribute, attribute)
        self.known = frozenset(mapping.values())
        self.fields = [[attribute, key, types[attribute], None] for attribute, key in mapping.items()]
        return self.fields

    def __call__(self, value: Any) -> Any:
        if type(value) is not dict:
            return None if value is None else self.owner._sdk(value, self.spec)
        fields = self.fields if self.fields is not None else self._resolve()
        try:
            model = self.cls()
            for field in fields:
                if field[1] in value:
                    decode = field[3] or self._field_decoder(field)
                    setattr(model, field[0], decode(value[field[1]]))
            for key in value:
                if key not in self.known:  # the SDK keeps unknown keys as attributes
                    setattr(model, key, value[key])
        except SerializationException:
            raise
        except Exception as exc:
            raise SerializationException(str(exc)) from None
        return model

    def _field_decoder(self, field: list[Any]) -> Decoder:
        decode = self.owner.decoder(field[2])
        field[3] = decode
        return decode


class _Discriminated:
    """A base class such as ``Request``: the JSON ``type`` picks the subclass to build."""

    def __init__(self, owner: ModelDecoder, spec: str, cls: Any, own: _ModelCodec) -> None:
        self.owner, self.spec = owner, spec
        self.key: str = cls.json_discriminator_key
        self.classes: dict[str, str] = cls.discriminator_value_class_map
        self.own = own

    def __call__(self, value: Any) -> Any:
        if type(value) is not dict:
            return None if value is None else self.owner._sdk(value, self.spec)
        name = value.get(self.key)
        target = self.classes.get(name) if type(name) is str else None
        if target is None:
            return self.owner._sdk(value, self.spec)  # the SDK's own error for this case
        codec = self.owner.decoder(target)
        concrete = codec.own if isinstance(codec, _Discriminated) else codec
        return concrete(value)
