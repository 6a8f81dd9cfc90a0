"""Numbers with their hedges, as intervals: "up to 100", "at least 16", "dozens", "نحو 30".

Interval conventions (counts are never negative, so every interval is closed below):

    exact      "16", "sixteen", "١٦"              low = high = 16
    about      "some 30", "around", "نحو", "حوالي"  low/high = n -/+ 10% (at least 1)
    at_least   "at least 16", "ما لا يقل عن 16"    low = 16, high = None
               "more than 16", "أكثر من 16"        low = 17, high = None
    at_most    "up to 100", "حتى 100"              low = 0, high = 100
               "fewer than 100", "أقل من 100"      low = 0, high = 99
    range      "between 10 and 20", "10-20"        low = 10, high = 20
    vague      "dozens" 12..99 (ACLED codes 12), "tens"/"عشرات" 10..99, "hundreds"/"مئات"
               100..999, "thousands"/"آلاف" 1000..9999, "several"/"عدة" 2..9, "scores" 20..99

The low end of a vague interval is ACLED's conservative figure, so `low` can be coded
directly while the interval keeps the honest uncertainty.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from quietwire.verify._types import Qualifier

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "dozen": 12}

# Arabic number words, keyed by their folded spelling (see _lang.fold): masculine and
# feminine forms, nominative and oblique endings.
_AR_UNITS = {
    "واحد": 1, "واحده": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "ثلاث": 3, "ثلاثة": 3, "اربع": 4, "اربعة": 4, "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6,
    "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمان": 8, "ثمانية": 8, "تسع": 9, "تسعة": 9,
    "عشر": 10, "عشرة": 10, "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30,
    "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60,
    "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
    "مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    "ثلاثمئة": 300, "ثلاثمائة": 300, "اربعمئة": 400, "اربعمائة": 400, "خمسمئة": 500,
    "خمسمائة": 500, "الف": 1000, "الفا": 1000, "الفان": 2000, "الفين": 2000,
}  # fmt: skip
_AR_TEEN_HEAD = {"احد": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}

_EN_WORD = "|".join(sorted([*_UNITS, *_SCALES], key=len, reverse=True))
_AR_WORD = "|".join(sorted([*_AR_UNITS, *_AR_TEEN_HEAD], key=len, reverse=True))
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"
_EN_NUM = rf"(?:{_EN_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_EN_WORD}))*"
_AR_NUM = rf"(?:{_AR_WORD})(?:\s+و?(?:{_AR_WORD}))*"
_B = r"(?<![\w.,])"  # no word, digit or separator glued on the left
_E = r"(?![\w])"
NUM = rf"(?:{_DIGITS}|(?i:{_EN_NUM})|{_AR_NUM})"
_NUM_RE = re.compile(rf"{_B}(?P<n>{NUM}){_E}")

_VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (12, 99), "tens": (10, 99), "scores": (20, 99), "hundreds": (100, 999),
    "thousands": (1000, 9999), "several": (2, 9), "a few": (2, 9), "a handful": (2, 9),
    "عشرات": (10, 99), "العشرات": (10, 99), "مئات": (100, 999), "المئات": (100, 999),
    "الاف": (1000, 9999), "عدة": (2, 9), "عده": (2, 9), "بضعة": (2, 9),
    "بضع": (2, 9),
}  # fmt: skip
_VAGUE_RE = re.compile(
    r"(?<!\w)(?P<v>(?i:dozens|tens|scores|hundreds|thousands|several|a few|a handful)"
    r"|و?(?:ال)?(?:عشرات|مئات|الاف)|عدة|عده|بضعة|بضع)(?!\w)"
)

# A hedge must end where the number starts (only spaces between).
_HEDGES: tuple[tuple[str, Qualifier, int], ...] = (
    (r"(?i:no fewer than|no less than|at least|a minimum of)", "at_least", 0),
    (r"(?i:more than|over|upwards of|in excess of|above)", "at_least", 1),
    (r"(?i:up to|as many as|at most|no more than|a maximum of)", "at_most", 0),
    (r"(?i:fewer than|less than|under|below)", "at_most", -1),
    (
        r"(?i:about|around|some|roughly|approximately|nearly|almost|close to|an estimated"
        r"|estimated|circa|an approximate)",
        "about",
        0,
    ),
    (r"(?:ما\s+)?لا\s+يقل\s+عن|علي\s+الاقل", "at_least", 0),
    (r"اكثر\s+من|ازيد\s+من|ما\s+يزيد\s+(?:عن|علي)|يزيد\s+(?:عن|علي)|فوق", "at_least", 1),
    (r"ما\s+يصل\s+(?:الي|ل)|يصل\s+(?:الي|عددهم\s+الي)|حتي", "at_most", 0),
    (r"اقل\s+من", "at_most", -1),
    (r"نحو|حوالي|حوالى|قرابة|قرابه|زهاء|ما\s+يقارب|ما\s+يقرب\s+من|تقريبا", "about", 0),
)
_HEDGE_RES = tuple(
    (re.compile(rf"(?:^|(?<=[\s(\"']))(?:{pat})\s+$"), q, shift) for pat, q, shift in _HEDGES
)
_RANGE_RE = re.compile(
    rf"(?:(?i:between)\s+(?P<a1>{NUM})\s+(?i:and)\s+(?P<b1>{NUM})"
    rf"|بين\s+(?P<a2>{NUM})\s+و\s*(?P<b2>{NUM})"
    rf"|من\s+(?P<a3>{NUM})\s+(?:الي|حتي)\s+(?P<b3>{NUM})"
    rf"|{_B}(?P<a4>{NUM})\s*(?:(?i:to|or)\s+|[-–]\s*)(?P<b4>{NUM})){_E}"
)


@dataclass(frozen=True, slots=True)
class RawNumber:
    """A number expression before we know what it counts."""

    text: str
    span: tuple[int, int]
    low: float | None
    high: float | None
    qualifier: Qualifier


def parse_number(words: str) -> float | None:
    """The value of one number expression (digits, English or Arabic words), or None."""
    s = words.strip().replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    if re.search(r"[a-zA-Z]", s):
        return _parse_en(s.lower())
    return _parse_ar(s)


def _parse_en(s: str) -> float | None:
    total, current = 0, 0
    for tok in re.split(r"[\s-]+", s):
        if tok == "and" or not tok:
            continue
        if tok in _UNITS:
            current += _UNITS[tok]
        elif tok in ("hundred", "dozen"):
            current = max(current, 1) * _SCALES[tok]
        elif tok in _SCALES:
            total += max(current, 1) * _SCALES[tok]
            current = 0
        else:
            return None
    return float(total + current)


def _parse_ar(s: str) -> float | None:
    toks = [t[1:] if t.startswith("و") and t[1:] in _AR_UNITS else t for t in s.split()]
    total = 0
    for i, tok in enumerate(toks):
        if tok in _AR_TEEN_HEAD and i + 1 < len(toks) and toks[i + 1] in ("عشر", "عشرة"):
            total += _AR_TEEN_HEAD[tok]
            continue
        if tok in ("عشر", "عشرة") and i > 0 and toks[i - 1] in _AR_UNITS | _AR_TEEN_HEAD:
            prev = toks[i - 1]
            if _AR_UNITS.get(prev, 0) < 10 or prev in _AR_TEEN_HEAD:
                total += 10
                continue
        if tok in ("الف", "الفا", "الاف") and total:
            total *= 1000
            continue
        if tok not in _AR_UNITS:
            return None
        total += _AR_UNITS[tok]
    return float(total) if toks else None


def _about(n: float) -> tuple[float, float]:
    band = max(1.0, math.ceil(n * 0.1))
    return max(0.0, n - band), n + band


def find_numbers(folded: str) -> list[RawNumber]:
    """Every hedged number, range and vague quantity in `folded` (see _lang.fold)."""
    out: list[RawNumber] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _RANGE_RE.finditer(folded):
        k = next(i for i in "1234" if m["a" + i] is not None)
        a, b = parse_number(m["a" + k]), parse_number(m["b" + k])
        if a is None or b is None or a >= b:
            continue
        lo, hi = m.span()
        out.append(RawNumber(folded[lo:hi], (lo, hi), a, b, "range"))
        taken.append((lo, hi))
    for m in _NUM_RE.finditer(folded):
        lo, hi = m.span()
        value = parse_number(m["n"])
        if value is None or not free(lo, hi):
            continue
        start, low = lo, value
        high: float | None = value
        qual_t: Qualifier = "exact"
        window = folded[max(0, lo - 40) : lo]
        for rx, q, shift in _HEDGE_RES:
            h = rx.search(window)
            if h:
                start = lo - (len(window) - h.start())
                qual_t = q
                if q == "at_least":
                    low, high = value + shift, None
                elif q == "at_most":
                    low, high = 0.0, max(0.0, value + shift)
                else:
                    low, high = _about(value)
                break
        out.append(RawNumber(folded[start:hi], (start, hi), low, high, qual_t))
        taken.append((start, hi))
    for m in _VAGUE_RE.finditer(folded):
        lo, hi = m.span()
        key = m["v"].lower()
        key = key[1:] if key.startswith("و") and key[1:] in _VAGUE else key
        key = key[2:] if key.startswith("ال") and key[2:] in _VAGUE else key
        if key not in _VAGUE or not free(lo, hi):
            continue
        vlo, vhi = _VAGUE[key]
        out.append(RawNumber(folded[lo:hi], (lo, hi), vlo, vhi, "vague"))
    out.sort(key=lambda r: r.span)
    return out
