"""ACLED event types by keyword."""

from __future__ import annotations

import pytest

from quietwire.verify import EVENT_TYPES, SUB_EVENT_TYPES
from quietwire.verify._events import classify


def test_taxonomy_has_six_types_and_twenty_five_sub_types() -> None:
    assert len(EVENT_TYPES) == 6
    assert len(SUB_EVENT_TYPES) == 25
    assert set(SUB_EVENT_TYPES.values()) == set(EVENT_TYPES)


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("Coalition air strikes killed 12 civilians", "air_drone_strike"),
        ("ISIS forced 16 men to give blood for its wounded", "attack"),
        ("أجبر التنظيم الأهالي على التبرع بالدم", "attack"),
        ("Gunmen abducted three activists at a checkpoint", "abduction_forced_disappearance"),
        ("خرجت مظاهرة في الرقة ضد التنظيم", "peaceful_protest"),
        ("Security forces fired on protesters in the square", "excessive_force_against_protesters"),
        ("Clashes broke out between the SDF and ISIS", "armed_clash"),
        ("Artillery shelling hit the old city", "shelling_artillery_missile_attack"),
        ("The Hisba arrested dozens of young men", "arrests"),
        ("A roadside bomb exploded near the bridge", "remote_explosive_landmine_ied"),
    ],
)
def test_sub_event_type(text: str, sub: str) -> None:
    assert classify(text) == (SUB_EVENT_TYPES[sub], sub)


def test_no_trigger_no_event() -> None:
    assert classify("The weather was mild and the market opened as usual.") == (None, None)
