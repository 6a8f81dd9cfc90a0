"""Number words in English and Arabic, scale, vague and hedge words, and their values.

Arabic keys are in folded spelling (see _lang.fold: أ/إ/آ as ا, ى as ي); each word ending
in ة is also known with ه, as writers and OCR mix them.
"""

from __future__ import annotations

import re

from quietwire.verify._types import Qualifier

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_SCALES = {"hundred": 100, "dozen": 12, "thousand": 1000, "million": 1e6, "billion": 1e9}
_AR_UNITS_BASE = {
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاث": 3,
    "ثلاثة": 3, "اربع": 4, "اربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7,
    "سبعة": 7, "ثماني": 8, "ثمان": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10,
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90, "مئة": 100, "مائة": 100,
    "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200, "مئتا": 200, "مائتا": 200,
    "مئتي": 200, "مائتي": 200,
    "ثلاثمئة": 300, "ثلاثمائة": 300, "اربعمئة": 400, "اربعمائة": 400, "خمسمئة": 500,
    "خمسمائة": 500, "ستمئة": 600, "ستمائة": 600, "سبعمئة": 700, "سبعمائة": 700,
    "ثمانمئة": 800, "ثمانمائة": 800, "تسعمئة": 900, "تسعمائة": 900,
}  # fmt: skip
_AR_UNITS = {
    **_AR_UNITS_BASE,
    **{k[:-1] + "ه": v for k, v in _AR_UNITS_BASE.items() if k[-1] == "ة"},
}
_AR_TEEN_HEAD = {"احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
# Scale words: (multiplier, dual). A dual stands alone for two of them («ألفين» 2,000).
_AR_SCALES = {
    "الف": (1e3, False), "الفا": (1e3, False), "الاف": (1e3, False), "الفان": (1e3, True),
    "الفين": (1e3, True), "الفي": (1e3, True), "مليون": (1e6, False), "مليونا": (1e6, False),
    "ملايين": (1e6, False), "مليونان": (1e6, True), "مليونين": (1e6, True),
    "مليوني": (1e6, True), "مليار": (1e9, False), "مليارا": (1e9, False),
    "مليارات": (1e9, False), "ملياران": (1e9, True), "مليارين": (1e9, True),
}  # fmt: skip
#: Nouns in the dual: one word for "two people", "two killed"...
AR_DUALS = frozenset(
    [
        "شخصان",
        "شخصين",
        "قتيلان",
        "قتيلين",
        "جريحان",
        "جريحين",
        "طفلان",
        "طفلين",
        "جنديان",
        "جنديين",
        "عنصران",
        "عنصرين",
        "رجلان",
        "رجلين",
        "امراتان",
        "امراتين",
    ]
)
_SUFFIX = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9}
_VAGUE = {
    "dozens": (12, 99), "tens": (10, 99), "scores": (20, 99), "hundreds": (100, 999),
    "thousands": (1000, 9999), "millions": (1e6, 9999999), "several": (2, 9),
    "a few": (2, 9), "a handful": (2, 9), "a handful of": (2, 9),
    "عشرات": (10, 99), "مئات": (100, 999), "الاف": (1000, 9999), "ملايين": (1e6, 9999999),
    "عدة": (2, 9), "عده": (2, 9), "بضعة": (2, 9), "بضع": (2, 9),
}  # fmt: skip
_VAGUE_SCALE = {"hundred": 100, "hundreds": 100, "thousand": 1000, "thousands": 1000,
                "million": 1e6, "millions": 1e6, "dozen": 12, "مئات": 100, "الاف": 1000,
                "ملايين": 1e6}  # fmt: skip


def _alt(words: object) -> str:
    return "|".join(sorted(map(str, words), key=len, reverse=True))  # type: ignore[call-overload]


DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
EN_SCALE = r"(?i:thousand|million|billion|trillion)"
#: Units written glued to their number ("5km", "256GB"): the number stays one number.
GLUED_UNIT = (
    r"(?:GB|MB|TB|kg|km|kW|kWh|MW|Hz|kHz|MHz|GHz|Mbps|mph|pc|bhp|hp|HP|mm|cm|ml|mAh|ft|lbs?|G)"
)
AR_SCALE = "الف|الفا|الاف|مليون|مليونا|ملايين|مليار|مليارا|مليارات"
_EN_W = _alt([*_EN_UNITS, *_EN_SCALES])
_EN_VAGUE = (
    r"(?:dozens|scores|hundreds|thousands|millions|tens)(?:\s+of\s+(?:thousands|millions))?"
    r"|(?:several|a\s+few|a\s+handful(?:\s+of)?)(?:\s+(?:hundred|thousand|million|dozen)(?!\w))?"
)
EN_NUM = (
    rf"(?i:{_EN_VAGUE}|(?:a\s+(?:hundred|thousand|million|dozen)|(?:{_EN_W}))"
    rf"(?:(?:[\s-]+|(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+)(?:{_EN_W}))*)"
)
_AR_W = _alt([*_AR_UNITS, *_AR_TEEN_HEAD, *_AR_SCALES])
AR_NUM = (
    r"(?:و|[بل](?=\w{4}))?(?:(?:ال)?(?:عشرات|مئات|الاف|ملايين)(?:\s+(?:ال)?(?:الاف|ملايين))?"
    r"|(?:عدة|عده|بضعة|بضع)(?:\s+(?:الاف|مئات|ملايين))?"
    rf"|{_alt(AR_DUALS)}|(?:{_AR_W})(?:\s+و?(?:{_AR_W}))*)"
)
#: Words a number expression can start with (lower case, folded; Arabic with a proclitic).
_AR_FIRST = [*_AR_UNITS, *_AR_TEEN_HEAD, *_AR_SCALES, *AR_DUALS, "عشرات", "مئات", "الاف",
             "ملايين", "عدة", "عده", "بضعة", "بضع"]  # fmt: skip
STARTERS = frozenset(
    [*_EN_UNITS, *_EN_SCALES, "dozens", "scores", "hundreds", "thousands", "millions",
     "tens", "several"]
    + [p + w for w in _AR_FIRST for p in ("", "و", "ب", "ل")]
    + [p + "ال" + w for w in ("عشرات", "مئات", "الاف", "ملايين") for p in ("", "و", "ب", "ل")]
)  # fmt: skip
_VAGUE_RE = re.compile(
    r"(?:و|[بل])?(?:ال)?(?P<base>"
    + _alt(_VAGUE)
    + r")(?:\s+(?:of\s+)?(?:ال)?(?P<scale>"
    + _alt(_VAGUE_SCALE)
    + r"))?"
)
_DIGITS_RE = re.compile(rf"({DIGITS})(?:(k|mn|bn|m)(?![a-z])|[a-z]+)?(?:\s+(\w+))?")

#: Hedges before a number: (pattern, qualifier, shift of the bound: "more than 16" is 17..).
_HEDGE_TABLE: tuple[tuple[str, Qualifier, int], ...] = (
    ("no fewer than|no less than|not less than|at least|a minimum of", "at_least", 0),
    ("more than|over|just over|well over|upwards of|in excess of|above", "at_least", 1),
    ("up to|as many as|at most|no more than|not more than|a maximum of", "at_most", 0),
    ("fewer than|less than|under|just under|below", "at_most", -1),
    ("about|around|some|roughly|approximately|nearly|almost|close to|an estimated|estimated"
     "|circa|more or less|an approximate", "about", 0),
    ("ما لا يقل عن|لا يقل عن|علي الاقل", "at_least", 0),
    ("ما لا يزيد عن|ما لا يزيد علي|لا يزيد عن|لا يزيد علي", "at_most", 0),
    ("اكثر من|ازيد من|ما يزيد عن|ما يزيد علي|يزيد عن|يزيد علي|ما يربو علي|يربو علي|فوق",
     "at_least", 1),
    ("ما يصل الي|ما يصل ل|يصل الي|يصل ل|حتي", "at_most", 0),
    ("اقل من", "at_most", -1),
    ("نحو|حوالي|قرابة|قرابه|زهاء|ما يقارب|يقارب|ما يقرب من|يقرب من|ما يناهز|يناهز|تقريبا",
     "about", 0),
)  # fmt: skip
#: Hedges before a number, as the lower-cased words that end right before it: phrase ->
#: (qualifier, shift of the bound: "more than 16" is 17..). An Arabic hedge may carry a
#: proclitic on its first word («ونحو», «بنحو», «لأكثر من»).
HEDGES: dict[str, tuple[Qualifier, int]] = {}
for _phrases, _qual, _shift in _HEDGE_TABLE:
    for _p in _phrases.split("|"):
        HEDGES[_p] = (_qual, _shift)
        if not _p.isascii():
            for _c in "وبل":
                HEDGES[_c + _p] = (_qual, _shift)
AFTER_RE = re.compile(
    r"(?:\s+[^\s\d.,;:!?()\"]+){0,2}?\s+(?:(?P<least>(?i:or more|at least)|علي\s+(?:ال)?اقل"
    r"(?:\s+تقدير)?|او\s+اكثر)|(?P<about>(?i:or so|or thereabouts)|تقريبا))(?!\w)"
)


def vague_interval(words: str) -> tuple[float, float] | None:
    """(low, high) of a vague quantity ("dozens", «عشرات الآلاف»), or None."""
    m = _VAGUE_RE.fullmatch(" ".join(words.lower().split()))
    if m is None:
        return None
    lo, hi = _VAGUE[m["base"]]
    scale = _VAGUE_SCALE[m["scale"]] if m["scale"] else 1
    return lo * scale, (hi + 1) * scale - 1


def parse_core(words: str) -> tuple[float, float] | None:
    """(value, multiplier of its trailing scale word) of one number expression, or None."""
    s = words.strip()
    m = _DIGITS_RE.fullmatch(s.lower())
    if m:
        value = float(m[1].replace(",", ""))
        scale = _SUFFIX[m[2]] if m[2] else 1.0
        if m[3]:
            word = m[3]
            scale = _EN_SCALES.get(word, 0) or (_AR_SCALES.get(word, (0.0, False))[0])
            if not scale or word in ("hundred", "dozen"):
                return None
        return value * scale, scale
    if re.search(r"[a-zA-Z]", s):
        return _parse_en(s.lower())
    return _parse_ar(s)


def parse_number(words: str) -> float | None:
    """The value of one number expression (digits, English or Arabic words), or None."""
    core = parse_core(words)
    return None if core is None else core[0]


def _parse_en(s: str) -> tuple[float, float] | None:
    total, current, scale, last_unit = 0.0, 0.0, 1.0, 100
    for tok in re.split(r"[\s-]+", s):
        if tok in ("and", "a", ""):
            continue
        if tok in _EN_UNITS:
            v = _EN_UNITS[tok]
            if last_unit < 100 and not (last_unit >= 20 and last_unit % 10 == 0 and v < 10):
                return None  # "five six" is two numbers, not eleven
            current, last_unit, scale = current + v, v, 1.0
        elif tok in ("hundred", "dozen"):
            current, last_unit = max(current, 1) * _EN_SCALES[tok], 100
            scale = float(_EN_SCALES[tok])
        elif tok in _EN_SCALES:
            scale = float(_EN_SCALES[tok])
            total, current, last_unit = total + max(current, 1) * scale, 0.0, 100
        else:
            return None
    return total + current, scale


def _parse_ar(s: str) -> tuple[float, float] | None:
    toks = s.split()
    if toks and toks[0][:1] in "وبل" and toks[0] not in _AR_UNITS and toks[0] not in AR_DUALS:
        toks[0] = toks[0][1:]
    toks = [t[1:] if t[:1] == "و" and t not in _AR_UNITS else t for t in toks]
    if len(toks) == 1 and toks[0] in AR_DUALS:
        return 2.0, 1.0
    total, current, scale, prev = 0.0, 0.0, 1.0, ""
    for tok in toks:
        if tok in ("عشر", "عشرة") and (prev in _AR_TEEN_HEAD or 0 < _AR_UNITS.get(prev, 0) < 10):
            current += 10
        elif tok in _AR_TEEN_HEAD:
            current += _AR_TEEN_HEAD[tok]
        elif tok in ("مئة", "مائة") and 0 < current < 10:
            current *= 100
        elif tok in _AR_UNITS:
            current += _AR_UNITS[tok]
        elif tok in _AR_SCALES:
            scale, dual = _AR_SCALES[tok]
            total += (2 if dual and not current else max(current, 1)) * scale
            current = 0.0
        else:
            return None
        prev = tok
    if prev in _AR_TEEN_HEAD:
        return None  # «أحد» alone is "one of", not a number
    return (total + current, scale) if toks else None
