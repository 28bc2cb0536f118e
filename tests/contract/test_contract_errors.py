"""One error base: every exception class Heel Coach defines is a HeelCoachError.

The edge turns a HeelCoachError into HTTP 400 or a spoken apology, and the command line into
one line and an exit code; an exception class outside the base would escape both.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import heel_coach
from heel_coach.errors import HeelCoachError


def defined_exception_classes() -> list[type[BaseException]]:
    found: list[type[BaseException]] = []
    for info in pkgutil.walk_packages(heel_coach.__path__, "heel_coach."):
        if info.name.endswith("__main__"):
            continue  # running it is its only purpose
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseException) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def test_every_exception_class_is_a_heel_coach_error() -> None:
    classes = defined_exception_classes()
    names = {c.__name__ for c in classes}
    # The scan must see the classes that sat outside the base before (it cannot pass empty).
    assert {"SettingsError", "SsmlLimitError", "ApiTimeout", "ApiUnreachable", "StoreError"} <= names
    outside = sorted(f"{c.__module__}.{c.__name__}" for c in classes if not issubclass(c, HeelCoachError))
    assert outside == []


def test_api_transport_errors_are_service_errors_with_their_code() -> None:
    """The SDK's service clients still see an ApiClientException; ours see a ServiceError."""
    from ask_sdk_core.exceptions import ApiClientException

    from heel_coach.errors import ServiceError
    from heel_coach.services.api_client import ApiTimeout, ApiUnreachable

    timeout, unreachable = ApiTimeout("slow"), ApiUnreachable("gone")
    assert isinstance(timeout, ApiClientException) and isinstance(timeout, ServiceError)
    assert (timeout.code, unreachable.code, str(unreachable)) == ("timeout", "unreachable", "gone")
