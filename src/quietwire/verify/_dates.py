"""Date mentions, absolute and relative, resolved to a [start, end] day interval.

Absolute: "12 March 2015", "March 12, 2015", "March 12", "March 2015", "12/03/2015" (read day
first, as in the region; month first only when the day-first reading is impossible),
"2015-03-12", and Arabic months in both the Levantine (آذار) and the Egyptian/Gulf (مارس)
series, also written together as "آذار/مارس". Relative: "yesterday", "last week", "over the
past few days", "on Monday", "الأسبوع الماضي", "أمس", "يوم الاثنين", resolved against the
document's `published` day; without one they keep start = end = None. A date without a year
takes the year of `published` (or the year before when that would put it in the future).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_EN_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_EN_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_EN_MONTHS["sept"] = 9
# Folded spellings (see _lang.fold: hamza forms of alef become a bare alef).
_AR_MONTHS = {
    "كانون الثاني": 1, "يناير": 1, "شباط": 2, "فبراير": 2, "اذار": 3, "مارس": 3,
    "نيسان": 4, "ابريل": 4, "ايار": 5, "مايو": 5, "حزيران": 6, "يونيو": 6, "تموز": 7,
    "يوليو": 7, "اب": 8, "اغسطس": 8, "ايلول": 9, "سبتمبر": 9, "تشرين الاول": 10,
    "اكتوبر": 10, "تشرين الثاني": 11, "نوفمبر": 11, "كانون الاول": 12, "ديسمبر": 12,
}  # fmt: skip
_EN_DAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
_AR_DAYS = {"الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4,
            "السبت": 5, "الاحد": 6}  # fmt: skip

_ENM = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_ARM1 = "|".join(sorted(_AR_MONTHS, key=len, reverse=True))
# "آذار/مارس" and "آذار (مارس)" name one month twice.
_ARM = rf"(?:{_ARM1})(?:\s*[/(]\s*(?:{_ARM1})\)?)?"
_Y = r"(?:19|20)\d\d"
_ABSOLUTE = re.compile(
    rf"(?<!\w)(?:"
    rf"(?P<iso>{_Y})-(?P<im>\d\d)-(?P<id>\d\d)"
    rf"|(?P<nd>\d{{1,2}})[/.](?P<nm>\d{{1,2}})[/.](?P<ny>{_Y})"
    rf"|(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>(?i:{_ENM}))\.?(?:,?\s+(?P<y1>{_Y}))?"
    rf"|(?P<m2>(?i:{_ENM}))\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>{_Y}))?"
    rf"|(?P<m3>(?i:{_ENM}))\s+(?P<y3>{_Y})"
    rf"|(?P<d4>\d{{1,2}})\s+(?:من\s+)?(?:شهر\s+)?(?P<m4>{_ARM})(?:\s+(?:عام\s+|سنة\s+)?(?P<y4>{_Y}))?"
    rf"|(?:شهر\s+)?(?P<m5>{_ARM})\s+(?:عام\s+|سنة\s+)?(?P<y5>{_Y})"
    rf")(?!\w)"
)

_FEW = r"(?:few|several|couple of|two|three)"
_RELATIVE: tuple[tuple[str, tuple[int, int] | str], ...] = (
    (r"(?i:the day before yesterday)|اول\s+(?:من\s+)?امس", (-2, -2)),
    (r"(?i:yesterday|last night)|(?:ب?ال)?امس|البارحة|ليلة\s+امس", (-1, -1)),
    (r"(?i:today|this morning|tonight|this evening)|اليوم|صباح\s+اليوم|مساء\s+اليوم", (0, 0)),
    (rf"(?i:(?:over|in|during)\s+the\s+(?:past|last)\s+{_FEW}\s+days|in recent days)"
     r"|(?:خلال\s+)?الايام\s+(?:القليلة\s+)?(?:الماضية|الاخيرة)", (-7, 0)),
    (r"(?i:(?:over|in|during)\s+the\s+(?:past|last)\s+week|this week|last week)"
     r"|(?:خلال\s+)?الاسبوع\s+(?:الماضي|المنصرم)|هذا\s+الاسبوع", "week"),
    (r"(?i:last month|the previous month)|الشهر\s+(?:الماضي|المنصرم|الفائت)", "lastmonth"),
    (r"(?i:earlier this month|this month)|(?:مطلع\s+|بداية\s+)?هذا\s+الشهر|الشهر\s+الجاري", "thismonth"),  # noqa: E501 (a pattern or data table reads best on one line)
    (r"(?i:last year)|العام\s+(?:الماضي|المنصرم)|السنة\s+الماضية", "lastyear"),
    (r"(?i:(?P<n>\d+|two|three|four|five|six|seven)\s+days\s+ago)"
     r"|قبل\s+(?P<an>\d+|يومين|ثلاثة\s+ايام|اربعة\s+ايام)(?:\s+ايام)?", "ago"),
    (rf"(?i:(?:on|last)\s+(?P<wd>{'|'.join(_EN_DAYS)}))"
     rf"|(?:يوم\s+|صباح\s+|مساء\s+|ليلة\s+)(?P<awd>{'|'.join(_AR_DAYS)})", "weekday"),
)  # fmt: skip
_RELATIVE_RE = tuple((re.compile(rf"(?<!\w)(?:{p})(?!\w)"), how) for p, how in _RELATIVE)
_SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "يومين": 2}


@dataclass(frozen=True, slots=True)
class RawDate:
    span: tuple[int, int]
    start: date | None
    end: date | None


def _month_of(name: str) -> int:
    key = name.lower().rstrip(".")
    if key in _EN_MONTHS:
        return _EN_MONTHS[key]
    first = re.split(r"\s*[/(]\s*", name)[0].strip()
    return _AR_MONTHS.get(first, 0)


def _year(y: str | None, month: int, day: int, published: date | None) -> int | None:
    if y:
        return int(y)
    if published is None:
        return None
    guess = published.year
    if (month, day) > (published.month, published.day):
        guess -= 1
    return guess


def _day(y: int | None, m: int, d: int) -> date | None:
    if y is None:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _absolute(m: re.Match[str], published: date | None) -> tuple[date | None, date | None]:
    if m["iso"]:
        d = _day(int(m["iso"]), int(m["im"]), int(m["id"]))
        return d, d
    if m["nd"]:
        a, b, y = int(m["nd"]), int(m["nm"]), int(m["ny"])
        d = _day(y, b, a) if b <= 12 else _day(y, a, b)
        return d, d
    for k in "124":
        if m["d" + k]:
            month, day = _month_of(m["m" + k]), int(m["d" + k])
            d = _day(_year(m["y" + k], month, day, published), month, day)
            return d, d
    for k in "35":
        if m["m" + k]:
            month, year = _month_of(m["m" + k]), int(m["y" + k])
            if not month:
                return None, None
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
    return None, None


def _relative(how: tuple[int, int] | str, m: re.Match[str], pub: date) -> tuple[date, date]:
    if isinstance(how, tuple):
        return pub + timedelta(days=how[0]), pub + timedelta(days=how[1])
    if how == "week":
        return pub - timedelta(days=7), pub
    if how == "lastmonth":
        last = pub.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if how == "thismonth":
        return pub.replace(day=1), pub
    if how == "lastyear":
        return date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31)
    if how == "ago":
        raw = (m["n"] or m["an"] or "1").split()[0].lower()
        n = int(raw) if raw.isdigit() else _SMALL.get(raw, 3)
        day = pub - timedelta(days=n)
        return day, day
    wd = _EN_DAYS[m["wd"].lower()] if m["wd"] else _AR_DAYS[m["awd"]]
    back = (pub.weekday() - wd) % 7
    day = pub - timedelta(days=back)
    return day, day


def find_dates(folded: str, published: date | None) -> list[RawDate]:
    """Every date mention in `folded` (see _lang.fold), earliest first, without overlaps."""
    found: list[RawDate] = []
    for m in _ABSOLUTE.finditer(folded):
        start, end = _absolute(m, published)
        if start is None and not m["m3"] and not m["m5"] and published is not None:
            continue  # an impossible day such as 31/02: not a date after all
        found.append(RawDate(m.span(), start, end))
    for rx, how in _RELATIVE_RE:
        for m in rx.finditer(folded):
            if any(not (m.end() <= f.span[0] or m.start() >= f.span[1]) for f in found):
                continue
            if published is None:
                found.append(RawDate(m.span(), None, None))
            else:
                s, e = _relative(how, m, published)
                found.append(RawDate(m.span(), s, e))
    found.sort(key=lambda r: r.span)
    return found
