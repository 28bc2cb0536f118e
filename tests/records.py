"""A dataclass as a comparable value, for tests that make the same records two ways (by
``dataclasses``, and replayed by ``heel_coach.dataclass_cache``). Imports nothing of the skill,
so a child process can load it before any record exists."""

from __future__ import annotations

import dataclasses
import re
import types
from typing import Any

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def described(value: Any, depth: int = 0) -> Any:
    """What a record's attribute is, comparable across two makings of the same class: code,
    names, closure values, defaults, annotations; Field and params slot by slot."""
    if isinstance(value, types.FunctionType):
        return {
            "code": value.__code__.co_code,
            "consts": [c for c in value.__code__.co_consts if not isinstance(c, types.CodeType)],
            "names": (value.__code__.co_names, value.__code__.co_freevars, value.__code__.co_varnames),
            "qualname": value.__qualname__,
            "name": value.__name__,
            "module": value.__module__,
            "defaults": described(value.__defaults__, depth + 1),
            "kwdefaults": described(value.__kwdefaults__, depth + 1),
            "annotations": described(value.__annotations__, depth + 1),
            "closure": [described(c.cell_contents, depth + 1) for c in value.__closure__ or ()]
            if depth < 3
            else len(value.__closure__ or ()),
            "wrapped": described(getattr(value, "__wrapped__", None), depth + 1),
            "doc": value.__doc__,
        }
    if isinstance(value, dataclasses.Field) or type(value).__name__ == "_DataclassParams":
        return {slot: described(getattr(value, slot), depth + 1) for slot in type(value).__slots__}
    if isinstance(value, dict):
        return {key: described(v, depth + 1) for key, v in value.items()}
    if isinstance(value, tuple):
        return tuple(described(v, depth + 1) for v in value)
    if isinstance(value, type):
        return f"class {value.__module__}.{value.__qualname__}"
    return (
        value if isinstance(value, str | int | float | bool | type(None)) else _ADDRESS.sub("", repr(value))
    )


def record_of(cls: type) -> dict[str, Any]:
    return {
        name: described(value) for name, value in vars(cls).items() if name not in ("__dict__", "__weakref__")
    }


def records_of_package(package: str) -> dict[str, dict[str, Any]]:
    """Every dataclass defined in the loaded modules of ``package``, by qualified name."""
    import sys

    found: dict[str, dict[str, Any]] = {}
    for name, module in sorted(sys.modules.items()):
        if name != package and not name.startswith(package + "."):
            continue
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == name:
                found[f"{name}.{value.__qualname__}"] = record_of(value)
    return found
