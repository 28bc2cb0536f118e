"""What a routine needs is said once per item, in every locale, before it starts.

The listing is derived (``catalogue.model.equipment_for``) from every exercise's needs, which
come from the seeds with their alternatives; these checks keep it from naming one item twice
("a small towel ... Optional: a towel"), naming two items so alike they sound like one ("a small
foam roller, a foam roller"), or calling optional what the routine already needs.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from heel_coach.catalogue.model import Catalogue, EquipmentNeed, Focus, RoutineEntry, equipment_for
from heel_coach.voice.prompts import available_locales, load_prompts
from heel_coach.voice.speech import Speaker

LOCALES = available_locales()


def runs(catalogue: Catalogue) -> list[tuple[str, tuple[RoutineEntry, ...]]]:
    """Every routine as it can be run: once per focus when it has focus-only entries."""
    out: list[tuple[str, tuple[RoutineEntry, ...]]] = []
    for routine in catalogue.routines.values():
        for entries in (routine.entries_for(focus) for focus in Focus):
            if (routine.id, entries) not in out:
                out.append((routine.id, entries))
    return out


def tail_of(name: str, other: str) -> bool:
    """``name`` without its article ends ``other``'s words: "a foam roller" in "a small foam
    roller", "ein Handtuch" in "ein kleines Handtuch"."""
    words, others = name.split()[1:], other.split()[1:]
    return len(words) < len(others) and others[-len(words) :] == words


@pytest.mark.parametrize("locale", LOCALES)
def test_every_routine_names_each_item_once(catalogue: Catalogue, locale: str) -> None:
    speaker = Speaker(catalogue, load_prompts(locale), locale)
    names = catalogue.equipment[speaker.locale]
    for routine_id, entries in runs(catalogue):
        needs = equipment_for(entries)
        items = [item for need in needs for item in need.any_of]
        assert len(items) == len(set(items)), (routine_id, needs)  # never twice, never both
        spoken = " ".join(speaker.routine_equipment(entries))
        for item in items:
            assert spoken.count(names[item]) == 1, (locale, routine_id, names[item], spoken)
        for i, first in enumerate(needs):
            for second in needs[i + 1 :]:
                for a, b in ((names[x], names[y]) for x in first.any_of for y in second.any_of):
                    assert a != b and not tail_of(a, b) and not tail_of(b, a), (locale, routine_id, spoken)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_item_has_its_own_name(catalogue: Catalogue, locale: str) -> None:
    names = catalogue.equipment[Speaker(catalogue, load_prompts(locale), locale).locale]
    assert len(set(names.values())) == len(names), names


def test_a_need_another_covers_is_not_said(catalogue: Catalogue) -> None:
    """Covering, on made-up needs: a narrower required choice covers a wider one; what is
    needed is never also optional; an optional item stays beside a choice it is one side of."""
    entry = catalogue.routine("quick").entries[0]

    def doing(*needs: EquipmentNeed) -> RoutineEntry:
        return replace(entry, exercise=replace(entry.exercise, needs=needs))

    def need(*any_of: str, optional: bool = False) -> EquipmentNeed:
        return EquipmentNeed(any_of, optional, entry.exercise.needs[0].source)

    wide, narrow = need("double-ball", "small-roller", "massage-ball"), need("massage-ball", "small-roller")
    assert equipment_for([doing(wide), doing(narrow)]) == (narrow,)
    assert equipment_for([doing(need("wall", optional=True)), doing(need("wall"))]) == (need("wall"),)
    assert equipment_for([doing(need("chair")), doing(need("chair", "wall", optional=True))]) == (
        need("chair"),
    )
    assert equipment_for([doing(narrow, need("massage-ball", optional=True))]) == (
        narrow,
        need("massage-ball", optional=True),
    )
