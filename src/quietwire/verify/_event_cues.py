"""Cue words for event types, English and Arabic (folded spelling, see _lang.fold).

A cue is a word, a stem (ending in "*": any word starting so) or a two-word phrase, and
names either an ACLED sub-event type with a weight, or a role that the scorer in _events.py
combines with others: who is hit (civilians or armed men), what the violence is (a generic
attack, a weapon, a disruption of weapons), who is protesting and whether they are violent,
and the kinds of report ACLED does not code (a claim of responsibility, diplomacy,
sanctions, disasters, crime). Arabic words are listed without proclitics (و ف ب ل ال):
the scorer strips them.
"""

# ruff: noqa: E501 (a table of cue lists reads best one list to a line)
from __future__ import annotations

#: Direct cues: (sub-event type, weight).
SUB_CUES: dict[str, tuple[str, int]] = {}
#: Role cues: role name.
ROLE_CUES: dict[str, str] = {}


def _sub(sub: str, weight: int, words: str) -> None:
    for w in words.split("|"):
        SUB_CUES[w.strip()] = (sub, weight)


def _role(role: str, words: str) -> None:
    for w in words.split("|"):
        ROLE_CUES[w.strip()] = role


_sub(
    "chemical_weapon",
    6,
    "chemical attack|chemical weapons|chemical weapon|chlorine|sarin|mustard gas|poison gas|sulfur mustard|nerve agent|toxic gas|كيماوي*|كيميائي*|الكلور|كلور|السارين|سارين",
)
_sub(
    "air_drone_strike",
    4,
    "airstrike*|air strike|air strikes|drone strike|drone strikes|strikes|bombing|bombed|bombings|air raid|air raids|drone*|warplane*|jets|aircraft|helicopter*|barrel bombs|bombing raid|غارة|غارات|طيران|طائرات|طائرة|طائرة مسيرة|طائرات مسيرة|طائرات المسيرة|طائرة المسيرة|مقاتلات|مروحي*|براميل|حربي*",
)
_sub(
    "suicide_bomb",
    6,
    "suicide*|blew himself|blew herself|detonated his|انتحاري*|فجر نفسه|فجرت نفسها|حزام ناسف|حزاما ناسفا",
)
_sub(
    "remote_explosive_landmine_ied",
    4,
    "ied|ieds|landmine*|mine|blew up|roadside bomb|car bomb|explosive device|improvised explosive|bomb|bombs|blast|explosion*|exploded|detonat*|booby*|limpet|لغم|الغام|ناسفة|مفخخ*|انفجار|انفجر*|تفجير*|عبوة|عبوات",
)
_sub(
    "shelling_artillery_missile_attack",
    4,
    "shell*|artillery|mortar*|rocket*|missile*|bombard*|pounded|howitzer*|قذائف|قذيفة|صواريخ|صاروخ*|مدفعي*|هاون|قصف*|قصفت|راجمات",
)
_sub("grenade", 5, "grenade*|قنبلة يدوية|قنابل يدوية")
_sub(
    "sexual_violence",
    6,
    "rape*|raping|molest*|sexual violence|sexual assault|sexually|sex slave*|اغتصاب|اغتصب*|عنف جنسي|تحرش*",
)
_sub(
    "abduction_forced_disappearance",
    5,
    "abduct*|kidnap*|disappeared|hostage*|taken away|took away|took my|took his|took her|took their|heard nothing|not been seen|whereabouts|اختطا*|اختطف*|خطف*|مخطوف*|مختطف*|اخفاء قسري|مصيره مجهول",
)
_sub(
    "attack",
    4,
    "executed|execution*|beheaded|behead*|massacre*|lynched|tortur*|sniper*|assassinat*|stabbed|stabbing|اعدام|اعدم*|ذبح*|مجزرة|تعذيب|قناص|قنص|اغتيال|اغتال*|طعن*|جثث|مقيدي",
)
_sub(
    "arrests",
    5,
    "arrest*|detain|detained|detaining|detains|detention|apprehended|rounded up|custody|نفذ مداهمات|اعتقال*|اعتقل*|احتجاز|احتجز*|القبض|توقيف|اوقف*|مداهم*|داهم*|داهمت",
)
_sub(
    "agreement",
    5,
    "agreement|agreed|peace talks|exchanged|deal|accord|truce|ceasefire|cease-fire|signed|swap|surrender*|prisoner exchange|released prisoners|freed prisoners|release|released|reconciliation|اتفاق*|هدنة|تسوية|مصالحة|صفقة|تبادل|افرج*|الافراج|اطلاق سراح|وقف اطلاق النار|استسلم*|توصل*",
)
_sub(
    "headquarters_or_base_established",
    6,
    "set up|established|establish*|observation post|new base|military base|new post|انشا*|اقام*|قاعدة عسكرية|نقطة مراقبة|مقرا",
)
_sub(
    "change_to_group_activity",
    4,
    "deployed|deploy*|dispatched|reinforced|mobiliz*|mobilis*|defected|defect*|merged|merger|recruit*|reinforcements|dissolved|new commander|curfew|انتشر*|نشر*|انشق*|اندماج*|اندمج*|تجنيد|تعزيزات|حظر تجول|تشكيل",
)
_sub(
    "non_violent_transfer_of_territory",
    4,
    "withdrew|withdrawn|withdrawal|pulled out|handed over|evacuated|انسحب*|انسحاب|تسليم|سلمت|سلم",
)
_sub(
    "looting_property_destruction",
    4,
    "loot*|plunder*|confiscat*|صادر*|مصادرة|demolish*|bulldoz*|vandalis*|vandaliz*|نهب*|سرق*|هدم*|جرافات",
)
_sub(
    "government_regains_territory",
    5,
    "recaptured|retook|regained|liberated|freed|recovered|recover|استعاد*|استعادة|حرر*",
)
_sub(
    "non_state_actor_overtakes_territory",
    4,
    "captured|overran|took control|seized control|taken control|gained control|pushed out|drove out|controlling|seized|seize|سيطر*|السيطرة",
)
_sub(
    "armed_clash",
    5,
    "clash*|fighting|fought|firefight|gunfight|gun battle|exchange of fire|exchanged fire|ambush*|repelled|repulsed|counterattack*|offensive|battle*|skirmish*|اشتباك*|اشتبك*|معارك|معركة|مواجهات|كمين|تصد*|صد|هجوم معاكس|تسلل",
)

_role("hurt", "killed|killing|killings|wounded|injured|dead|قتل*|قتلى|مقتل|اصابة|جرحى")
_role(
    "violence",
    "attack|attacks|attacked|attacking|assault*|stormed|attackers|assailants|gunmen|gunman|shot|shooting|shootings|gunfire|هجوم|هاجم*|اقتحم*|اطلاق نار|مسلح*|رصاص",
)
_role(
    "lethal",
    "النار علي|opened fire|fired on|fired at|live ammunition|live fire|shot dead|اطلق النار|اطلقت النار|اطلاق النار|الرصاص الحي",
)
_role(
    "civilian",
    "hospital*|مستشفي|mosque*|church*|school*|market*|wedding|funeral|shop*|worshipers|villagers|residents|worshippers|passengers|farmers|shepherd*|journalist*|students|pupils|women|children|family|families|vehicle|bus|motorist*|مدني*|اهالي|سكان*|مصلين|مصلي|اطفال|طفل*|نساء|امراة|عائلة|مختار|ناشط*|راكب*|مزارع*",
)
_role(
    "armed",
    "troops|soldiers|army|forces|fighters|rebels|insurgents|positions|checkpoint|base|convoy|patrol|militia*|military|police|policemen|officers|قوات|جيش|الجيش|جنود|مقاتل*|مسلحي|عناصر|فصائل|ميليشيا*|حاجز|دورية|موقع|مواقع|نقطة عسكرية|الشرطة|عسكري*",
)
_role(
    "weapon",
    "weapons|weapon|ammunition|arms|explosives|firearms|cache*|stash|depot|rifles|guns|pistol*|bullets|magazines|rounds|mines|اسلحة|اسلحتها|سلاح|ذخائر|ذخيرة|متفجرات|مستودع",
)
_role("disrupt", "found|discovered|uncovered|destroyed|cleared|ضبط*|دمر*|عثر*")
_role(
    "disrupt_strong",
    "defused|dismantled|intercepted|shot down|thwarted|foiled|فكك*|تفكيك|اسقط*|اسقاط|احبط*|اعترض*|ابطال",
)
_role(
    "protest",
    "protest*|demonstrat*|rally|rallies|rallied|marched|marchers|protest march|sit-in|general strike|strikers|picket*|متظاهر*|محتج*|تظاهر*|مظاهر*|احتجاج*|احتج*|اعتصام|اعتصم*|وقفة|مسيرة احتجاجية|اضرب*|اضراب|سار متظاهرون|سار*",
)
_role("mob", "mob|mobs|lynch*|vigilante*|حشود|حشد")
_role("riot", "riot|riots|rioting|rioters|rioted|شغب")
_role(
    "demo_violence",
    "stone-throwing|rock-throwing|threw stones|threw rocks|hurled stones|pelted|petrol bombs|molotov*|torched|torch*|set fire|set ablaze|burned|burnt|burning tyres|turned violent|violent|violence|vandal*|smashed|barricade*|pull down|tear down|broke through|breached|rocks|stones|hurled|tore down|pulled down|violent protest|violent protests|رشق*|احرق*|اضرم*|حرق|المشتعلة|حطم*|غاضب*|قطع*",
)
_role(
    "police_action",
    "tear gas|teargas|dispersed|rubber bullets|water cannon*|baton*|crackdown|beat|beaten|beating|المسيل|فرق*|تفريق|قمع*",
)
_role(
    "claim",
    "claimed responsibility|claim responsibility|claiming responsibility|claims responsibility|responsibility for|تبني|تبنى|تبنت|مسؤوليته|مسؤوليتها|يتبنى",
)
_role(
    "diplomacy",
    "talks|summit|met with|meeting|visit*|diplomat*|envoy|expel*|retaliat*|embassy|ambassador*|negotiation*|negotiat*|التقي|لقاء|زيارة|مباحثات|نظيره|مفاوضات|قمة",
)
_role("condemn", "condemn*|ادان*|يدين|ندد*")
_role("blame", "responsible|accus*|blamed|blaming")
_role("sanctions", "sanction*|embargo|blacklist*|asset freeze|عقوبات|حظر")
_role("call", "urged|called for|calls for|call for|appealed|دعا|يدعو|دعت|حث|ناشد*")
_role(
    "ignore",
    "police said|police say|police sources|riot police|riot gear|anti-riot|riot squad|ceasefire violation|ceasefire violations|violated the|خرق*|مكافحة الشغب",
)
_role(
    "disaster",
    "earthquake|quake|flood*|storm|cyclone|hurricane|landslide|drought|wildfire*|fire broke|caught fire|blaze|firefighters|volcan*|erupt*|tsunami|rain|heavy rain|plant|factory|refinery|pipeline|gas leak|leak*|propane|boiler|transformer|short circuit|gas explosion|cooking gas|gas cylinder|ammonium|nitrate|industrial|chemicals|petroleum|lockdown|covid*|coronavirus|virus|pandemic|cases|outbreak|accident|crash*|collapsed|collapse|derailed|capsized|overturned|electrical|زلزال|سيول|فيضان*|عاصفة|حريق|ماس كهربائي|حادث|انقلبت|انهيار|كورونا|اصابات|وباء|غرق",
)
_role(
    "crime",
    "crime|criminal*|counterfeit|fake|cyber*|robbery|robbed|robber*|drugs|drug|narcotic*|smuggl*|trafficking|fraud|theft|stole|burglar*|heist|murder*|homicide|mafia|gang|cartel|smuggler*|مخدرات|تهريب|مهرب*|سطو|احتيال|جريمة|عصابة|خلاف عائلي",
)
_role("negation", "not|no|never|denied|without|failed|لم|لن|نفى|نفت|دون")
