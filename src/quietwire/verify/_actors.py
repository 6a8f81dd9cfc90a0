"""Actors named in a text, each resolved to one canonical entity.

The alias table is ours and deliberately small: the armed groups, states and victim
categories that recur in reporting on Syria and Iraq. English aliases are matched
case-sensitively where case carries meaning ("IS" the group, "is" the verb) and without
case otherwise; Arabic aliases are matched on the folded text (see _lang.fold), with the
clitics و ب ل allowed in front. Press usage folds the YPG into the SDF it leads; we do too,
so the two count as one actor when sources are compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from quietwire.verify._lang import fold

# canonical -> (case-insensitive English, case-sensitive English, Arabic (written unfolded))
_ALIASES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Islamic State": (
        ("Islamic State", "Islamic State of Iraq and the Levant", "Islamic State of Iraq and Syria",
         "Daesh", "Daish", "Da'esh", "Islamic State group"),
        ("ISIS", "Isis", "ISIL", "IS"),
        ("داعش", "تنظيم الدولة", "تنظيم الدولة الإسلامية", "الدولة الإسلامية"),
    ),
    "US-led coalition": (
        ("US-led coalition", "U.S.-led coalition", "international coalition", "anti-ISIS coalition",
         "anti-IS coalition", "the coalition", "coalition forces", "coalition aircraft",
         "coalition warplanes", "coalition", "Operation Inherent Resolve"),
        ("CJTF-OIR",),
        ("التحالف الدولي", "قوات التحالف", "طيران التحالف", "التحالف"),
    ),
    "Syrian government": (
        ("Syrian government", "government forces", "regime forces", "Syrian army",
         "Syrian Arab Army", "Assad regime", "pro-government forces", "Damascus government",
         "the regime", "Syrian regime"),
        ("SAA",),
        ("قوات النظام", "النظام السوري", "جيش النظام", "الجيش السوري", "قوات الأسد",
         "الحكومة السورية", "طيران النظام", "النظام", "الجيش العربي السوري"),
    ),
    "SDF": (
        ("Syrian Democratic Forces", "Kurdish-led forces", "People's Protection Units",
         "Kurdish fighters"),
        ("SDF", "YPG"),
        ("قوات سوريا الديمقراطية", "قسد", "وحدات حماية الشعب"),
    ),
    "Russia": (
        ("Russia", "Russian forces", "Russian warplanes", "Russian aircraft", "Russian jets",
         "Moscow"),
        (),
        ("روسيا", "القوات الروسية", "الطيران الروسي", "الطائرات الروسية"),
    ),
    "Turkey": (("Turkey", "Turkish forces", "Turkish army", "Ankara"), (), ("تركيا", "القوات التركية", "الجيش التركي")),  # noqa: E501 (a pattern or data table reads best on one line)
    "HTS": (
        ("Hayat Tahrir al-Sham", "Jabhat al-Nusra", "Nusra Front", "al-Nusra Front"),
        ("HTS",),
        ("هيئة تحرير الشام", "جبهة النصرة", "النصرة"),
    ),
    "Free Syrian Army": (("Free Syrian Army", "Syrian National Army"), ("FSA", "SNA"), ("الجيش السوري الحر", "الجيش الحر", "الجيش الوطني")),  # noqa: E501 (a pattern or data table reads best on one line)
    "Hezbollah": (("Hezbollah", "Hizbollah", "Hizballah"), (), ("حزب الله",)),
    "Iran": (("Iran", "Iranian forces", "IRGC", "Revolutionary Guards"), (), ("إيران", "الحرس الثوري")),  # noqa: E501 (a pattern or data table reads best on one line)
    "United States": (("United States", "US forces", "U.S. forces", "Pentagon", "American forces"), ("US", "U.S."), ("الولايات المتحدة", "القوات الأمريكية", "القوات الأميركية")),  # noqa: E501 (a pattern or data table reads best on one line)
    "Civilians": (("civilians", "civilian", "residents", "local people", "townspeople"), (), ("مدنيين", "مدنيون", "المدنيين", "المدنيون", "مدنيا", "الأهالي", "أهالي", "السكان")),  # noqa: E501 (a pattern or data table reads best on one line)
    "Protesters": (("protesters", "demonstrators", "protestors"), (), ("متظاهرين", "المتظاهرين", "المتظاهرون", "محتجين", "المحتجين")),  # noqa: E501 (a pattern or data table reads best on one line)
    "Houthis": (("Houthis", "Houthi", "Houthi rebels", "Ansar Allah", "Ansarullah"), (), ("الحوثيون", "الحوثيين", "الحوثي", "حوثيون", "حوثيين", "حوثي", "حوثيا", "حوثية", "جماعة الحوثي", "أنصار الله", "انصار الله")),  # noqa: E501
    "al-Qaeda": (("al-Qaeda", "al-Qaida", "Al Qaeda", "al Qaeda"), ("AQAP",), ("تنظيم القاعدة", "القاعدة", "تنظيم القاعدة في جزيرة العرب")),  # noqa: E501
    "Hamas": (("Hamas", "Qassam Brigades"), (), ("حماس", "حركة حماس", "كتائب القسام", "كتائب عز الدين القسام")),  # noqa: E501
    "Taliban": (("Taliban",), (), ("طالبان", "حركة طالبان")),
    "PKK": (("Kurdistan Workers' Party", "Kurdistan Workers Party"), ("PKK",), ("حزب العمال الكردستاني", "حزب العمال", "العمال الكردستاني")),  # noqa: E501
    "Fatah": (("Fatah",), (), ("حركة فتح",)),
    "Islamic Jihad": (("Islamic Jihad",), (), ("الجهاد الإسلامي", "حركة الجهاد الإسلامي", "سرايا القدس")),  # noqa: E501
    "Syrian opposition": (("Syrian opposition", "rebels", "rebel groups", "opposition fighters", "opposition factions", "armed opposition"), (), ("المعارضة السورية", "فصائل المعارضة", "فصائل المعارضة السورية", "المعارضة المسلحة", "الفصائل المسلحة")),  # noqa: E501
    "Israel": (("Israeli army", "Israeli forces", "Israel Defense Forces", "Israeli military", "Israeli troops"), ("IDF",), ("الجيش الإسرائيلي", "القوات الإسرائيلية", "جيش الاحتلال", "الجيش الاسرائيلي")),  # noqa: E501
    "Iraq": (("Iraqi forces", "Iraqi army", "Iraqi security forces", "Iraqi troops", "Iraqi police"), (), ("القوات العراقية", "الجيش العراقي", "القوات الأمنية العراقية", "الشرطة العراقية", "الحكومة العراقية")),  # noqa: E501
    "Yemen": (("Yemeni government", "Yemeni forces", "Yemeni army"), (), ("الحكومة اليمنية", "القوات الحكومية اليمنية", "الجيش اليمني", "القوات اليمنية")),  # noqa: E501
    "Lebanon": (("Lebanese army",), (), ("الجيش اللبناني",)),
    "Egypt": (("Egyptian army", "Egyptian forces"), (), ("الجيش المصري", "القوات المصرية")),
    "Pakistan": (("Pakistani army", "Pakistani forces"), (), ("الجيش الباكستاني", "القوات الباكستانية")),  # noqa: E501
    "Afghanistan": (("Afghan forces", "Afghan army"), (), ("القوات الأفغانية", "الجيش الأفغاني")),
    "Saudi Arabia": (("Saudi forces", "Saudi-led coalition", "Arab coalition"), (), ("القوات السعودية", "الجيش السعودي", "التحالف العربي")),  # noqa: E501
    "Hisba": (("Hisba", "religious police", "morality police"), (), ("الحسبة", "الشرطة الدينية")),
}  # fmt: skip


# State ministries by country, in both languages: (canonical country, English adjective,
# Arabic feminine adjective).
_STATES = (
    ("Syria", "Syrian", "السورية"), ("Iraq", "Iraqi", "العراقية"), ("Yemen", "Yemeni", "اليمنية"),
    ("Lebanon", "Lebanese", "اللبنانية"), ("Israel", "Israeli", "الإسرائيلية"),
    ("United States", "US", "الأمريكية"), ("United States", "American", "الأميركية"),
    ("Turkey", "Turkish", "التركية"), ("Russia", "Russian", "الروسية"),
    ("Iran", "Iranian", "الإيرانية"),
    ("Egypt", "Egyptian", "المصرية"), ("Saudi Arabia", "Saudi", "السعودية"),
    ("Jordan", "Jordanian", "الأردنية"), ("Palestine", "Palestinian", "الفلسطينية"),
    ("Pakistan", "Pakistani", "الباكستانية"), ("Afghanistan", "Afghan", "الأفغانية"),
    ("France", "French", "الفرنسية"), ("United Kingdom", "British", "البريطانية"),
)  # fmt: skip
_MINISTRIES = (
    ("Defence", ("Defence", "Defense"), "الدفاع"), ("Foreign Affairs", ("Foreign",), "الخارجية"),
    ("Interior", ("Interior",), "الداخلية"), ("Health", ("Health",), "الصحة"),
    ("Finance", ("Finance", "Treasury"), "المالية"),
)  # fmt: skip
for _country, _adj, _ar in _STATES:
    for _name, _en_words, _ar_word in _MINISTRIES:
        _canon = f"Ministry of {_name} ({_country})"
        _en = tuple(f"{_adj} {w} Ministry" for w in _en_words) + tuple(
            f"{_adj} Ministry of {w}" for w in _en_words
        )
        _ars: tuple[str, ...] = (f"وزارة {_ar_word} {_ar}",)
        if _name == "Finance":
            _ars += (f"وزارة الخزانة {_ar}",)
        old_en, old_cs, old_ar = _ALIASES.get(_canon, ((), (), ()))
        _ALIASES[_canon] = (old_en + _en, old_cs, old_ar + _ars)

#: Words that refer back to a group named earlier in the text («التنظيم» is the group the
#: text is about, not always Islamic State), with the groups each may stand for.
_GROUPS = frozenset(
    {"Islamic State", "HTS", "al-Qaeda", "Houthis", "Hamas", "Taliban", "PKK", "Hezbollah",
     "Fatah", "Islamic Jihad", "SDF", "Free Syrian Army"}
)  # fmt: skip
_ANAPHORA = {fold(w): _GROUPS for w in ("التنظيم", "الحركة", "الجماعة", "الحزب", "الميليشيا")}

_TOKEN = re.compile(r"[^\W_]+(?:[-'.][^\W_]+)*")
_CLITICS = ("وب", "ول", "و", "ب", "ل")


def _tokens(s: str) -> tuple[str, ...]:
    return tuple(m.group(0) for m in _TOKEN.finditer(s))


def _tables() -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str], int]:
    """Exact-case and lower-case lookup tables keyed by token tuples, and the longest key.

    Matching by token n-grams in a dict is much faster than one alternation of 200
    aliases, which the regex engine would try at every character.
    """
    exact: dict[tuple[str, ...], str] = {}
    lower: dict[tuple[str, ...], str] = {}
    for canon, (ci, cs, ar) in _ALIASES.items():
        for a in ci:
            lower[tuple(t.lower() for t in _tokens(fold(a)))] = canon
        for a in (*cs, *(fold(x) for x in ar)):
            exact[_tokens(a)] = canon
    longest = max(len(k) for k in (*exact, *lower))
    return exact, lower, longest


_EXACT, _LOWER, _LONGEST = _tables()
# First words (lower-cased, clitic-free) of every alias: most words start none.
_FIRST = frozenset(k[0].lower() for k in (*_EXACT, *_LOWER))


@dataclass(frozen=True, slots=True)
class RawActor:
    span: tuple[int, int]
    canonical: str


def find_actors(folded: str) -> list[RawActor]:
    """Every actor alias in `folded`, earliest and longest first, without overlaps.

    An Arabic clitic (و ب ل) glued to the first word is left outside the span; a case
    ending (tanween) after the last word is kept inside it.
    """
    toks = list(_TOKEN.finditer(folded))
    words = [m.group(0) for m in toks]
    out: list[RawActor] = []
    i = 0
    lows = [w.lower() for w in words]
    while i < len(toks):
        first = lows[i]
        clitic = 1 if first[:1] in "وف" and first[1:] in _ANAPHORA else 0
        back = _ANAPHORA.get(first[clitic:])
        if back is not None:
            named = [a for a in out if a.canonical in back]
            if named:  # the group most recently named
                out.append(RawActor((toks[i].start() + clitic, toks[i].end()), named[-1].canonical))
            i += 1
            continue
        if (
            first not in _FIRST
            and first[1:] not in _FIRST
            and (first[:2] not in ("وب", "ول") or first[2:] not in _FIRST)
        ):
            i += 1
            continue
        hit: tuple[int, int, str] | None = None
        for n in range(min(_LONGEST, len(toks) - i), 0, -1):
            key = tuple(words[i : i + n])
            canon = _EXACT.get(key) or _LOWER.get(tuple(lows[i : i + n]))
            skip = 0
            if canon is None and "\u0621" <= key[0][:1] <= "\u064a":
                for cl in _CLITICS:
                    if key[0].startswith(cl) and len(key[0]) > len(cl) + 2:
                        canon = _EXACT.get((key[0][len(cl) :], *key[1:]))
                        if canon:
                            skip = len(cl)
                            break
            if canon:
                hit = (n, skip, canon)
                break
        if hit is None:
            i += 1
            continue
        n, skip, canon = hit
        a, b = toks[i].start() + skip, toks[i + n - 1].end()
        while b < len(folded) and "\u064b" <= folded[b] <= "\u0652":
            b += 1  # keep the case ending (tanween) with the word
        out.append(RawActor((a, b), canon))
        i += n
    return out
