"""The content snapshot stores equal immutable parts once (``lambda_package.shared``): the
result equals the input, and only what nothing can change is shared."""

from __future__ import annotations

from dataclasses import dataclass, field

from heel_coach.lambda_package import shared


@dataclass(frozen=True)
class Text:
    words: str
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class Mutable:
    items: list[str]


def test_equal_frozen_records_become_one_object_and_the_whole_is_equal() -> None:
    content = {
        "en-US": (Text("roll", {"a": "b"}), Mutable(["x"])),
        "en-GB": (Text("roll", {"a": "b"}), Mutable(["x"])),
        "de-DE": (Text("rollen", {"a": "b"}), Mutable(["x"])),
    }
    made = shared(content, {})
    assert made == content
    assert made["en-US"][0] is made["en-GB"][0]  # equal frozen records: one object
    assert made["en-US"][0] is not made["de-DE"][0]
    assert made["en-US"][1] is not made["en-GB"][1]  # a mutable record is never shared
    assert made["en-US"][1].items is not made["en-GB"][1].items
    assert made["en-US"] is not made["en-GB"]  # a tuple holding a mutable record is not either


def test_dicts_in_another_order_are_not_the_same_record() -> None:
    """Sharing must not change what iterating a record's dict gives."""
    first, second = Text("x", {"a": "1", "b": "2"}), Text("x", {"b": "2", "a": "1"})
    made = shared([first, second], {})
    assert made[0] is not made[1] and list(made[1].notes) == ["b", "a"]


def test_numbers_equal_across_types_stay_their_type() -> None:
    made = shared((1, 1.0, True, "1"), {})
    assert [type(v) for v in made] == [int, float, bool, str]
