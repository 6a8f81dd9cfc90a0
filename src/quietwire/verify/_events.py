"""Event type on the ACLED taxonomy by weighted keywords (English and Arabic).

Each sub-event type has trigger patterns with a weight; the sub-type with the highest total
wins, and its parent gives the event type. Ties go to the sub-type listed first, which is
why the more specific and more violent ones come first. No trigger at all gives None:
many texts (a statement, a market report) describe no event. Coercing civilians to give
blood is violence against civilians ("attack" in ACLED terms: harm done directly to
unarmed people), as the codebook treats forced labour and similar abuse.
"""

from __future__ import annotations

import re
from typing import get_args

from quietwire.verify._lang import fold
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

# (sub-type, weight, pattern). Arabic patterns are written in folded spelling.
_TRIGGERS: tuple[tuple[str, int, str], ...] = (
    ("chemical_weapon", 5, r"(?i:chemical (?:attack|weapons?)|chlorine|sarin|mustard gas)|كيماوي|كيميائي|غاز الكلور|السارين"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("excessive_force_against_protesters", 5, r"(?i:(?:fired|opened fire) on (?:the )?(?:protesters|demonstrators|crowd))|اطلق\w*(?: \S+){0,3} النار علي (?:ال)?(?:متظاهرين|محتجين)"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("air_drone_strike", 4, r"(?i:air ?strikes?|airstrikes?|air raids?|drone strikes?|drones?|warplanes?|bombing raids?|jets? (?:struck|hit|bombed)|barrel bombs?|(?<!car )bombing|\d+ strikes)|غار(?:ة|ات) جوي|طائرات|غار(?:ة|ات)|الطيران|طائر(?:ة|ات) مسير|مسيرة|قصف جوي|براميل متفجرة|الطائرات الحربية"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("suicide_bomb", 4, r"(?i:suicide (?:bomb|attack|car bomb)|suicide bomber)|انتحاري|مفخخة يقودها"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("remote_explosive_landmine_ied", 4, r"(?i:landmines?|roadside bomb|\bIEDs?\b|car bomb|explosive device|mines?\b)|لغم|الغام|عبوة ناسفة|مفخخ\w*"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("shelling_artillery_missile_attack", 3, r"(?i:shell(?:ing|ed|s)|artillery|mortars?|rockets?|missiles?)|قصف مدفعي|قذائف|قذيفة|صواريخ|صاروخ|مدفعية|هاون|قصف"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("grenade", 3, r"(?i:grenades?)|قنبلة يدوية"),
    ("sexual_violence", 5, r"(?i:rape[ds]?|sexual (?:violence|assault|slavery)|sex slaves?)|اغتصاب|سبايا|سبي|عنف جنسي"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("abduction_forced_disappearance", 4, r"(?i:abduct\w*|kidnap\w*|disappeared|taken away|whereabouts (?:are|remain) unknown|forcibly disappeared|heard nothing since|took (?:my|his|her|their) \w+|took away)|اختطا?ف|خطف|اختطف\w*|مصير\w* مجهول|اخفاء قسري|مخطوف"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("attack", 4, r"(?i:(?:give|giving|donate|donating|draw(?:ing)?|supply|supplying) blood|blood (?:donation|from)|execut\w*|beheaded|shot dead|crucified|tortur\w*|flogg\w*|lashe[sd]|massacre|killed civilians|sniper|fired on|opened fire on)|قناص|اطلاق (?:ال)?نار|التبرع ب?(?:ال)?دم|سحب (?:ال)?دم|دماء?هم|اعدام|اعدم\w*|ذبح|صلب|تعذيب|جلد|مجزرة|التبرع بدمائهم"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("arrests", 3, r"(?i:arrest\w*|detain\w*|round(?:ed)? up|raid(?:ed|s)? (?:on )?homes)|اعتقال|اعتقل\w*|احتجاز|احتجز\w*|حملة مداهمات|مداهم\w*"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("protest_with_intervention", 5, r"(?i:(?:dispersed|broke up|beat) (?:the )?(?:protest|demonstrat|crowd)\w*|tear gas)|(?:ب|و)?(?:تفريق|فرق\w*) (?:ال)?(?:مظاهرة|متظاهرين|تظاهرة)|الغاز المسيل"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("peaceful_protest", 4, r"(?i:protest\w*|demonstrat\w*|rall(?:y|ied)|sit-in|march(?:ed)? through)|مظاهرة|مظاهرات|تظاهر\w*|احتجاج\w*|وقفة احتجاجية|اعتصام"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("violent_demonstration", 5, r"(?i:riot\w*|torched|stone-throwing|threw stones|burn(?:ed|t|ing) tyres)|شغب|احرق\w* (?:ال)?مقر"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("mob_violence", 2, r"(?i:\bmob\b|lynch\w*)|اعدام ميداني علي يد حشد"),
    ("armed_clash", 3, r"(?i:clash\w*|fighting|gun ?battles?|exchange(?:d)? of fire|firefight|battle for)|اشتباك\w*|معارك|معركة|مواجهات"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("non_state_actor_overtakes_territory", 2, r"(?i:(?:seized|captured|overran|took control of|stormed))|سيطر\w*|اقتحم\w*"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("government_regains_territory", 4, r"(?i:(?:recaptured|retook|regained|liberated))|استعاد\w*|حرر\w*|تحرير"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("agreement", 3, r"(?i:ceasefire|truce|agreement|deal to|negotiated)|هدنة|اتفاق|وقف اطلاق النار"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("looting_property_destruction", 2, r"(?i:loot\w*|plunder\w*|demolish\w*|confiscat\w*|blew up (?:the )?(?:house|home|church|shrine))|نهب|سرق\w*|مصادرة|صادر\w*|هدم|تفجير (?:ال)?(?:منازل|كنيسة|ضريح)"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("headquarters_or_base_established", 2, r"(?i:set up (?:a )?(?:base|headquarters)|established (?:a )?(?:base|headquarters))|اقام\w* مقرا|انشا\w* قاعدة"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("disrupted_weapons_use", 2, r"(?i:defused|dismantled (?:a |the )?(?:bomb|device)|intercepted)|تفكيك (?:عبوة|لغم)|اسقاط"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("non_violent_transfer_of_territory", 1, r"(?i:withdrew from|handed over)|انسحب\w*|تسليم"),
    ("change_to_group_activity", 1, r"(?i:imposed|decree|banned|new rules|recruit\w*|curfew)|فرض\w*|قرار|منع|تجنيد|حظر تجول"),  # noqa: E501 (a pattern or data table reads best on one line)
)  # fmt: skip


def _split(pattern: str) -> tuple[str | None, str | None]:
    """A trigger's English part (inside its leading "(?i:...)") and its Arabic rest."""
    if not pattern.startswith("(?i:"):
        return None, pattern
    depth = 0
    for i, ch in enumerate(pattern):
        depth += ch == "(" and pattern[i - 1 : i] != "\\"
        depth -= ch == ")" and pattern[i - 1 : i] != "\\"
        if depth == 0:
            return pattern[4:i], pattern[i + 2 :] or None
    return pattern[4:], None


def _compile() -> tuple[tuple[str, int, re.Pattern[str] | None, re.Pattern[str] | None], ...]:
    # English runs on lower-cased text; an Arabic trigger may carry a clitic and the
    # article (والمظاهرة). Running only the script a text is written in halves the work.
    out = []
    for sub, w, p in _TRIGGERS:
        en, ar = _split(p)
        out.append(
            (
                sub,
                w,
                re.compile(rf"\b(?:{en})") if en else None,
                re.compile(rf"(?<!\w)(?:[وبلف]?(?:ال)?)?(?:{ar})") if ar else None,
            )
        )
    return tuple(out)


_COMPILED = _compile()
_LATIN = re.compile(r"[a-z]")
_ARABIC = re.compile(r"[\u0621-\u064a]")


def classify(text: str) -> tuple[EventType | None, str | None]:
    """The (event type, sub-event type) the text most likely reports, or (None, None).

    Triggers in the first 60 words weigh double: a report leads with its event.
    """
    # Harakat and shadda break words apart for the patterns and carry no meaning here;
    # classify needs no offsets, so they can simply go.
    folded = re.sub(r"[\u064b-\u0652\u0640]", "", fold(text)).lower()
    lead_end = len(" ".join(folded.split(" ")[:60]))
    has_en, has_ar = bool(_LATIN.search(folded)), bool(_ARABIC.search(folded))
    scores: dict[str, int] = {}
    for sub, weight, en, ar in _COMPILED:
        for rx in (en if has_en else None, ar if has_ar else None):
            if rx is None:
                continue
            for m in rx.finditer(folded):
                scores[sub] = scores.get(sub, 0) + weight * (2 if m.start() < lead_end else 1)
    if not scores:
        return None, None
    order = {sub: i for i, (sub, _, _) in enumerate(_TRIGGERS)}
    best = max(scores, key=lambda s: (scores[s], -order[s]))
    return SUB_EVENT_TYPES[best], best
