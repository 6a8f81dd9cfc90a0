"""Numbers with their hedges, as intervals: "up to 100", "at least 16", "dozens", "نحو 30".

Interval conventions (counts are never negative, so every interval is closed below):

    exact      "16", "sixteen", "١٦", "4.2 million", "30k", «250 ألف»   low = high
    about      "some 30", "roughly", "40 or so", نحو، حوالي، قرابة       n -/+ 10% (at least 1)
    at_least   "at least 16", "16 or more", «37 قتيلا على الأقل»         low = 16, high = None
               "more than 16", "over", أكثر من، ما يزيد عن               low = 17, high = None
    at_most    "up to 100", "حتى 100"                                   low = 0, high = 100
               "fewer than 100", "أقل من 100"                           low = 0, high = 99
    range      "between 10 and 20", "from 120 to 150", "10-20", «بين 10 و20»
    vague      "dozens" 12..99 (ACLED codes 12), "tens"/"عشرات" 10..99, "hundreds"/"مئات"
               100..999, "thousands"/"آلاف" 1000..9999, "several"/"عدة" 2..9, "scores"
               20..99; with a scale after, the scale multiplies: "tens of thousands",
               «عشرات الآلاف» 10,000..99,999

The low end of a vague interval is ACLED's conservative figure, so `low` can be coded
directly while the interval keeps the honest uncertainty. A hedge may stand before the
number (with a proclitic: «ونحو 100», «بنحو») or after it and its noun ("10,000 people or
more", «5 أشخاص على الأقل»). Left alone, because they count nothing: years ("in 2016",
"between 2011 and 2020"), days of a month ("March 3", «3 آذار»), names that carry a number
("resolution 2254", "Brigade 93", «الفرقة 30», «شارع 40», "F-16"), and the start of a
change ("rose from 20 to 35" is two figures, not a range).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from quietwire.verify._counted import counted, names_people
from quietwire.verify._number_words import (
    AFTER_RE,
    AR_DUALS,
    AR_NUM,
    AR_SCALE,
    DIGITS,
    EN_NUM,
    EN_SCALE,
    GLUED_UNIT,
    HEDGES,
    STARTERS,
    parse_core,
    parse_number,
    vague_interval,
)
from quietwire.verify._types import Qualifier

__all__ = ["RawNumber", "find_numbers", "parse_number"]

# One scan finds every number core: digits (with a scale word or suffix), English and
# Arabic number words, or a vague word. A proclitic و/ب/ل may be glued on in Arabic.
_CORE_RE = re.compile(
    rf"(?:(?<![\w.,])(?<![A-Za-z]-)|(?<=(?<!\w)[وبل])|(?<=(?<!\w)[وبل]ـ))"
    rf"(?P<n>(?:{DIGITS})(?:(?i:k|bn|mn)|(?<=\.\d)m|(?<=\.\d\d)m|{GLUED_UNIT})?"
    rf"(?:\s+(?:{EN_SCALE}|{AR_SCALE}))?(?!\w))"
    rf"|(?<!\w)(?P<w>{EN_NUM}|{AR_NUM})(?!\w)"
)
_WORD_RE = re.compile(r"\w+")
# A hedge after the number holds one of these; AFTER_RE runs only then.
_TOKEN = re.compile(r"[^\s\"'(«]+")
_AFTER_CUES = (" or ", "at least", "علي", " او ", "تقريبا")
_DIGITS_RUN = re.compile(r"\d+")  # no lookbehind: a plain run is found at C speed
_A_PHRASES = ("a few", "a handful", "a dozen", "a hundred", "a thousand", "a million")
# A range's connector, and what must stand before its first number for it to be one.
_RANGE_MID = re.compile(r"\s*(?:(?P<dash>[-–])|(?P<to>(?i:to)|الي|حتي)|(?P<or>(?i:or)|او)"
                        r"|(?P<and>(?i:and)|و))\s*$")  # fmt: skip
_BETWEEN = re.compile(r"(?:(?i:between)|(?:ما\s+)?بين)\s+$")
_FROM = re.compile(r"(?:(?i:from)|من)\s+$")
_CHANGE = re.compile(
    r"(?i:rose|risen|rising|increased|climbed|jumped|fell|dropped|up|down)\s+(?i:from)\s+$"
    r"|(?:ارتفع\w*|تراجع\w*|انخفض\w*|زاد\w*)\s+من\s+$"
)
_MONTHS = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
    r"|كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|تشرين|يناير|فبراير|مارس|ابريل|مايو"
    r"|يونيو|يونيه|يوليو|يوليه|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر"
)
_MONTH_AFTER = re.compile(rf"\s+(?:{_MONTHS})(?!\w)|\s*[/:]\d|\s*(?i:a\.?m\b|p\.?m\b|o'clock)")
_CLOCK_AFTER = re.compile(r"\s*(?i:gmt|utc|hrs)\b")
_MONTH_BEFORE = re.compile(rf"(?<!\w)(?:{_MONTHS})\s+$|\d\s*[/:]$")
# Nouns that name a thing by a number ("resolution 2254", «الفرقة 30»): not a count.
_LABEL_WORDS = (
    "resolution resolutions division brigade battalion regiment corps highway route road "
    "street avenue st article chapter section paragraph row seat room flight bus line gate "
    "terminal unit sector zone block building tower platform channel page number no hill "
    "level phase stage km kilometre kilometer camp group squad base district "
    "فرقة فيلق لواء فوج كتيبة سرية شارع طريق اوتوستراد قرار مادة بند فصل كيلو مبني بوابة "
    "مخرج رحلة صفحة قطاع دائرة محطة مخيم رقم"
)
_LABEL_LAST = frozenset(_LABEL_WORDS.split())
_LABEL = re.compile(
    rf"(?<!\w)(?:ال)?(?i:{'|'.join(_LABEL_LAST)})\.?\s+(?:(?i:no\.?|number)\s+|رقم\s+)?$"
)
_YEAR_BEFORE = re.compile(r"(?<!\w)(?:(?i:in|since|of|until|till|by|before|after|during|year|"
                          r"from|through)|عام|العام|سنة|منذ|خلال|في)\s+$")  # fmt: skip


@dataclass(frozen=True, slots=True)
class RawNumber:
    """A number expression and what it counts (a label of docs/verify.md, or None)."""

    text: str
    span: tuple[int, int]
    low: float | None
    high: float | None
    qualifier: Qualifier
    counts: str | None = None


def _about(n: float) -> tuple[float, float]:
    band = max(1.0, math.ceil(n * 0.1))
    return max(0.0, n - band), n + band


def _is_year(folded: str, lo: int, hi: int, value: float) -> bool:
    """A bare four-digit year: a year unless a person noun follows ("1943 people")."""
    if not (1900 <= value <= 2100 and hi - lo == 4 and folded[lo:hi].isdigit()):
        return False
    return not names_people(folded, hi) or bool(_YEAR_BEFORE.search(folded[max(0, lo - 8) : lo]))


def _name_or_date(folded: str, lo: int, hi: int, value: float) -> bool:
    left = folded[max(0, lo - 24) : lo]
    words = left.split()
    last = words[-1].lower().rstrip(".") if words else ""
    if (last in _LABEL_LAST or last[2:] in _LABEL_LAST) and _LABEL.search(left):
        return True
    if folded[lo] == "0" and hi - lo > 1 and folded[lo + 1].isdigit():
        return True  # "0300 GMT", "07": a clock or a code, never a count
    if value.is_integer() and 1 <= value <= 31:
        return bool(_MONTH_AFTER.match(folded, hi) or _MONTH_BEFORE.search(left))
    return folded[hi + 1 : hi + 2] in ("G", "U", "g", "u", "h") and bool(
        _CLOCK_AFTER.match(folded, hi)
    )


def _candidates(folded: str) -> Iterator[re.Match[str]]:
    """The number cores, found by trying the full pattern only where one can start: at a
    digit, or at a word that starts a number (found with set operations and str.find), as
    a pattern tried at every position of a page cost about 1 ms."""
    starts = [m.start() for m in _DIGITS_RUN.finditer(folded)]
    lower = folded.lower()
    words = set(STARTERS.intersection(_WORD_RE.findall(lower)))
    words.update(p for p in _A_PHRASES if p in lower)
    for w in words:
        at = lower.find(w)
        while at >= 0:
            end = at + len(w)
            if not (at and lower[at - 1].isalnum()) and not lower[end : end + 1].isalnum():
                starts.append(at)
            at = lower.find(w, end)
    starts.sort()
    free = 0
    for pos in starts:
        if pos < free:
            continue
        m = _CORE_RE.match(folded, pos)
        if m is not None:
            free = m.end()
            yield m


_Core = tuple[int, int, float, float, float, bool]  # lo, hi, low, high, scale, vague


def find_numbers(folded: str) -> list[RawNumber]:
    """Every hedged number, range and vague quantity in `folded` (see _lang.fold)."""
    cores: list[_Core] = []
    for m in _candidates(folded):
        group = "n" if m["n"] is not None else "w"
        lo, hi = m.span(group)
        words = m[group]
        vague = vague_interval(words) if group == "w" else None
        if vague is not None:
            cores.append((lo, hi, vague[0], vague[1], 1.0, True))
            continue
        core = parse_core(words)
        if core is None or _name_or_date(folded, lo, hi, core[0]):
            continue
        cores.append((lo, hi, core[0], core[0], core[1], False))
    out: list[RawNumber] = []
    i = 0
    while i < len(cores):
        lo, hi, low, high, _, is_vague = cores[i]
        if i + 1 < len(cores) and not is_vague and not cores[i + 1][5]:
            rng = _range(folded, cores[i], cores[i + 1])
            if rng is not None:
                out.extend(rng)
                i += 2
                continue
        i += 1
        if is_vague:
            out.append(_raw(folded, lo, hi, hi, low, high, "vague"))
        elif folded[lo:hi].split()[-1] in AR_DUALS:
            out.append(_raw(folded, lo, hi, lo, low, high, "exact"))  # the noun is counted
        elif not _is_year(folded, lo, hi, low):
            out.append(_hedged(folded, lo, hi, low))
    return out


def _range(folded: str, a: _Core, b: _Core) -> list[RawNumber] | None:
    """The range `a`..`b` as one quantity ([] when both are years), or None if not one."""
    mid = _RANGE_MID.fullmatch(folded, a[1], b[0])
    if mid is None:
        return None
    left = folded[max(0, a[0] - 14) : a[0]]
    start = a[0]
    if mid["and"]:
        h = _BETWEEN.search(left)
        if h is None:
            return None
        start = a[0] - (len(left) - h.start())
    elif mid["to"]:
        if _CHANGE.search(folded[max(0, a[0] - 20) : a[0]]):
            return None
        h = _FROM.search(left)
        start = a[0] - (len(left) - h.start()) if h else start
    lo_v, hi_v = a[2], b[2]
    if a[4] == 1 and b[4] > 1 and lo_v * b[4] <= hi_v:
        lo_v *= b[4]  # "between 1 and 2 million": the scale belongs to both
    if _is_year(folded, a[0], a[1], a[2]) and _is_year(folded, b[0], b[1], b[2]):
        return []
    if lo_v >= hi_v:
        return None
    return [_raw(folded, start, b[1], b[1], lo_v, hi_v, "range")]


def _hedged(folded: str, lo: int, hi: int, value: float) -> RawNumber:
    start, end, qual, shift = lo, hi, "exact", 0
    window = folded[max(0, lo - 40) : lo]
    if window[-1:].isspace():  # a hedge ends in a word, then space, then the number
        words = [(m.start(), m[0]) for m in _TOKEN.finditer(window)][-4:]
        for k in range(len(words), 0, -1):
            hedge = HEDGES.get(" ".join(w for _, w in words[-k:]).lower())
            if hedge is not None:
                qual, shift = hedge
                start = lo - (len(window) - words[-k][0])
                break
    if qual == "exact" and any(cue in folded[hi : hi + 48].lower() for cue in _AFTER_CUES):
        a = AFTER_RE.match(folded, hi)
        if a is not None and not _CORE_RE.match(folded, a.end() + 1):  # not "at least 9"
            qual, end = ("at_least" if a["least"] else "about"), a.end()
    if qual == "at_least":
        return _raw(folded, start, end, hi, value + shift, None, "at_least")
    if qual == "at_most":
        return _raw(folded, start, end, hi, 0.0, max(0.0, value + shift), "at_most")
    if qual == "about":
        return _raw(folded, start, end, hi, *_about(value), "about")
    return _raw(folded, start, end, hi, value, value, "exact")


def _raw(
    folded: str, start: int, end: int, core_end: int, low: float, high: float | None, q: Qualifier
) -> RawNumber:
    return RawNumber(
        folded[start:end], (start, end), low, high, q, counted(folded, start, core_end)
    )
