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


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        # strategic developments, and a ceasefire that is not a battle
        (
            "The two sides signed a ceasefire deal in the capital on Monday.",
            "strategic_developments",
        ),
        ("Police arrested four men suspected of planning attacks.", "strategic_developments"),
        (
            "Turkish troops set up a new observation post south of the town.",
            "strategic_developments",
        ),
        ("Engineers defused a bomb planted under a bridge.", "strategic_developments"),
        (
            "Soldiers seized a cache of weapons and ammunition in a farmhouse.",
            "strategic_developments",
        ),
        ("The government released 300 prisoners under the amnesty deal.", "strategic_developments"),
        # violence found from its verbs and nouns, by who is hit
        ("Rebels attacked army positions on the outskirts overnight.", "battles"),
        (
            "Gunmen opened fire on a bus carrying villagers, killing five.",
            "violence_against_civilians",
        ),
        ("Government forces recaptured the town after heavy fighting.", "battles"),
        # riots are protests whose demonstrators turn violent
        ("Protesters threw stones at police and torched two cars.", "riots"),
        ("Police used tear gas to disperse a protest outside the ministry.", "protests"),
        ("Hundreds of students rallied peacefully outside parliament.", "protests"),
        # outside ACLED: null
        ("The group claimed responsibility for the bombing in a statement.", None),
        ("Washington imposed sanctions on three officials.", None),
        ("The foreign minister met his counterpart to discuss trade.", None),
        ("An earthquake struck the coastal province, killing 12.", None),
        ("Police said a gang robbed a jewellery shop and escaped.", None),
        ("The envoy called for a ceasefire in the province.", None),
        ("A gas cylinder exploded in a restaurant kitchen, injuring four cooks.", None),
        ("Coast guards intercepted a boat used by smugglers to carry migrants.", None),
        # the weapon named says how the dead died, even inside a battle report
        (
            "Amid fierce clashes, artillery shelling killed nine people in the old town.",
            "explosions_remote_violence",
        ),
        ("Demonstrators pulled down the barricades and broke through police lines.", "riots"),
        # Arabic
        ("فجّر رجل نفسه بحزام ناسف قرب نقطة تفتيش.", "explosions_remote_violence"),
        ("سار متظاهرون في وسط المدينة احتجاجا على الغلاء.", "protests"),
        ("رشق محتجون مقر البلدية بالحجارة وأحرقوا بوابته.", "riots"),
        ("اعتقلت الشرطة ثلاثة ناشطين في حي الميدان.", "strategic_developments"),
        ("وقع الطرفان اتفاقا لتبادل الأسرى.", "strategic_developments"),
        ("اشتبك مقاتلو الفصائل مع قوات الجيش على أطراف البلدة.", "battles"),
        ("تبنت جماعة مسلحة الهجوم في بيان.", None),
        ("فرض الاتحاد الأوروبي عقوبات على شركات نفط.", None),
        ("أودى فيضان بحياة أربعة أشخاص.", None),
    ],
)
def test_event_type_by_general_rules(text: str, event_type: str | None) -> None:
    assert classify(text)[0] == event_type


def test_no_trigger_no_event() -> None:
    assert classify("The weather was mild and the market opened as usual.") == (None, None)
