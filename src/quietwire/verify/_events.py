"""Event type on the ACLED taxonomy from cue words and a few general rules (English, Arabic).

The text is read once as words (cues in _event_cues.py: words, stems, short phrases); cues
in the first 60 words weigh double, as a report leads with its event. Direct cues score a
sub-event type. Role cues are combined by rules that hold for any report:
- a protest whose demonstrators are violent (stones, fire, "turned violent") is a riot;
  with police action (tear gas, dispersal) it is a protest with intervention;
- weapons seized, defused or shot down are a disrupted weapons use, not an explosion;
- a generic attack (shooting, "attacked", gunmen, killed) is violence against civilians when
  the text names civilians and no armed side, else an armed clash;
- a call for a ceasefire is not an agreement.
Reports ACLED does not code (a claim of responsibility, diplomacy, sanctions, a disaster,
crime) score a "none" side; when it weighs at least as much as the best event type, or no
cue is found at all, the answer is (None, None). Coercing civilians to give blood is
violence against civilians ("attack": harm done directly to unarmed people).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import get_args

from quietwire.verify._event_cues import ROLE_CUES, SUB_CUES
from quietwire.verify._lang import _HARAKAT, fold
from quietwire.verify._types import EventType

SUB_EVENT_TYPES: dict[str, EventType] = {
    "armed_clash": "battles",
    "government_regains_territory": "battles",
    "non_state_actor_overtakes_territory": "battles",
    "chemical_weapon": "explosions_remote_violence",
    "air_drone_strike": "explosions_remote_violence",
    "suicide_bomb": "explosions_remote_violence",
    "shelling_artillery_missile_attack": "explosions_remote_violence",
    "remote_explosive_landmine_ied": "explosions_remote_violence",
    "grenade": "explosions_remote_violence",
    "sexual_violence": "violence_against_civilians",
    "attack": "violence_against_civilians",
    "abduction_forced_disappearance": "violence_against_civilians",
    "peaceful_protest": "protests",
    "protest_with_intervention": "protests",
    "excessive_force_against_protesters": "protests",
    "violent_demonstration": "riots",
    "mob_violence": "riots",
    "agreement": "strategic_developments",
    "arrests": "strategic_developments",
    "change_to_group_activity": "strategic_developments",
    "disrupted_weapons_use": "strategic_developments",
    "headquarters_or_base_established": "strategic_developments",
    "looting_property_destruction": "strategic_developments",
    "non_violent_transfer_of_territory": "strategic_developments",
    "other": "strategic_developments",
}
"""The 25 ACLED sub-event types as snake_case ids, each with its event type."""

EVENT_TYPES: tuple[EventType, ...] = get_args(EventType)
"""The six ACLED event types, in the order `EventType` lists them."""


_BLOOD = re.compile(r"\bblood\b|التبرع ب(?:ال)?دم")
_TOKEN = re.compile(r"\w+(?:-\w+)?")
_Cue = tuple[str, str, int]  # ("sub" | "role", name, weight)
_CUES: dict[str, _Cue] = {
    **{w: ("sub", sub, wt) for w, (sub, wt) in SUB_CUES.items()},
    **{w: ("role", role, 1) for w, role in ROLE_CUES.items()},
}
_PHRASES = {w for w in _CUES if " " in w}
_FIRST = {w.split()[0] for w in _PHRASES}
_Entry = tuple[_Cue | None, tuple[str, ...]]  # a word's cue, its forms that start phrases
_MEMO: dict[str, _Entry] = {}
_MEANS = (
    "chemical_weapon", "air_drone_strike", "suicide_bomb", "remote_explosive_landmine_ied",
    "shelling_artillery_missile_attack", "grenade",
)  # fmt: skip
_TYPE_ORDER = {sub: i for i, sub in enumerate(SUB_EVENT_TYPES)}


def _variants(word: str) -> list[str]:
    """The word, then without an Arabic proclitic and article (والمتظاهرين -> متظاهرين)."""
    out = [word]
    if len(word) < 4 or word.isascii():
        return out
    if word[:2] in ("ال", "لل"):  # المتظاهرين, للاغتصاب
        out.append(word[2:])
    if word[0] in "وفبل":
        w = word[1:]
        out.append(w)
        if len(w) > 4 and w[:2] == "ال":
            out.append(w[2:])
    return out


def _entry(word: str) -> _Entry:
    found: _Cue | None = None
    forms = _variants(word)
    for v in forms:
        found = _CUES.get(v)
        for k in range(len(v), 2, -1):
            if found is not None:
                break
            found = _CUES.get(v[:k] + "*")
        if found is not None:
            break
    if len(_MEMO) > 200_000:
        _MEMO.clear()  # bounded: a hostile stream of unique words cannot grow it forever
    entry = (found, tuple(v for v in forms if v in _FIRST))
    _MEMO[word] = entry
    return entry


def _cue(word: str) -> _Cue | None:
    return (_MEMO.get(word) or _entry(word))[0]


def _phrase(firsts: tuple[str, ...], words: list[str], i: int) -> tuple[_Cue, int] | None:
    for v in firsts:
        for n in (3, 2):
            key = " ".join([v, *words[i + 1 : i + n]])
            if key in _PHRASES:
                return _CUES[key], n
    return None


def classify(text: str) -> tuple[EventType | None, str | None]:
    """The (event type, sub-event type) the text most likely reports, or (None, None)."""
    folded = fold(text).lower().translate(_HARAKAT)
    words = _TOKEN.findall(folded)
    subs: dict[str, float] = defaultdict(float)
    roles: dict[str, float] = defaultdict(float)
    i, end = 0, len(words)
    while i < end:
        cue, firsts = _MEMO.get(words[i]) or _entry(words[i])
        lead = 2.0 if i < 60 else 1.0
        hit = _phrase(firsts, words, i) if firsts else None
        if hit is not None:
            cue, n = hit
            i += n
        else:
            i += 1
        if cue is None:
            continue
        kind, name, weight = cue
        (subs if kind == "sub" else roles)[name] += weight * lead
    if _BLOOD.search(folded):
        subs["attack"] += 8
    _combine(subs, roles)
    if not subs:
        return None, None
    by_type: dict[EventType, float] = defaultdict(float)
    for sub, score in subs.items():
        by_type[SUB_EVENT_TYPES[sub]] += score
    best_type = max(by_type, key=lambda t: by_type[t])
    none = 8 * roles["claim"] + 3 * roles["blame"] + 2 * roles["diplomacy"] + 4 * roles["condemn"]
    none += 6 * roles["sanctions"] + 3 * roles["call"]
    if not roles["protest"] + roles["riot"]:  # a protest about an accident is a protest
        none += 3 * roles["disaster"] + 3 * roles["crime"]
    if by_type[best_type] <= none:
        return None, None
    sub = max(
        (s for s in subs if SUB_EVENT_TYPES[s] == best_type),
        key=lambda s: (subs[s], -_TYPE_ORDER[s]),
    )
    return best_type, sub


def _combine(subs: dict[str, float], roles: dict[str, float]) -> None:
    """The rules of the module docstring, in place; sub-types left at 0 are dropped."""
    protest, violent, police = roles["protest"], roles["demo_violence"], roles["police_action"]
    lethal, riot = roles["lethal"], roles["riot"]
    protest, violent = protest + riot, violent + riot
    if protest:  # a protest's demand (a release) is not itself an agreement
        subs["agreement"] = subs.get("agreement", 0.0) / 3
        if "armed_clash" in subs:  # demonstrators clashing with police: a riot
            violent += subs.pop("armed_clash") / 5
    if protest and violent:
        subs["violent_demonstration"] += 4 * (protest + violent)
    elif protest and lethal:
        subs["excessive_force_against_protesters"] += 4 * (protest + lethal)
    elif protest and police:
        subs["protest_with_intervention"] += 4 * (protest + police)
    elif protest:
        subs["peaceful_protest"] += 4 * protest
    elif roles["mob"]:
        subs["mob_violence"] += 4 * (roles["mob"] + violent)
    elif violent and roles["armed"]:  # stones thrown at the police by a crowd
        subs["mob_violence"] += 3 * violent
    elif violent:  # burning and smashing with no crowd named: property destruction
        subs["looting_property_destruction"] += 3 * violent
    weapon, strong = roles["weapon"], roles["disrupt_strong"]
    taken = ("non_state_actor_overtakes_territory", "looting_property_destruction")
    seized = weapon and any(sub in subs for sub in taken)
    disrupted = strong or (
        weapon and (roles["disrupt"] or seized) and not roles["violence"] + roles["hurt"]
    )
    if not protest and disrupted:
        subs["disrupted_weapons_use"] += 4 * (strong + roles["disrupt"] + weapon + bool(seized))
        for sub in ("remote_explosive_landmine_ied", "shelling_artillery_missile_attack",
                    "air_drone_strike", "armed_clash", *taken):  # fmt: skip
            subs[sub] = subs.get(sub, 0.0) / 3
    if "government_regains_territory" in subs:  # «استعاد السيطرة»: regained, not seized
        subs["government_regains_territory"] += subs.pop(taken[0], 0)
    for sub in ("government_regains_territory", taken[0]):
        if sub in subs:
            subs[sub] += 6  # a change of hands is the news, the fighting its means
    violence = roles["violence"] + roles["hurt"] + lethal
    means = sum(subs.get(sub, 0.0) for sub in _MEANS)
    if roles["disaster"] and not roles["violence"] + roles["armed"] + lethal:
        for sub in _MEANS:  # a gas tank or a warehouse exploding with no attacker: an accident
            if sub in subs:
                subs[sub] /= 3
    if violence and means:  # deaths and a weapon named: the weapon says how they died
        for sub in _MEANS:
            if sub in subs:
                subs[sub] *= 1.5
    if violence and not protest and not means:  # the weapon used decides, not the deaths
        if roles["civilian"] > roles["armed"]:
            subs["attack"] += 2 * violence
        else:
            subs["armed_clash"] += 1.5 * violence
    if roles["call"]:
        subs["agreement"] = 0.0
    for sub in ("arrests", "disrupted_weapons_use"):
        if roles["crime"] and sub in subs:  # arrests or smugglers stopped for a crime
            subs[sub] /= 3
    for sub in [s for s, v in subs.items() if v <= 0]:
        del subs[sub]
