"""What a number counts: the outcome of the people it counts, else who they were.

Read from the words around the number, in this order (the first that applies wins):

1. a unit or currency beside it ("70 percent", "$4.2 billion", "15 موقعا") counts nothing
   we list: money, distance, time, weapons and targets are not people;
2. an outcome noun right after it ("37 قتيلا", "73 dead", "1500 معتقل");
3. an outcome verb right before it, the number being its object ("killed 11 and wounded
   23", «قتل خمسة وأصيب سبعة»): this is what keeps killed and wounded apart in a list;
4. a protest verb governing it ("thousands marched", «تظاهر نحو مئتي شخص»): protesters;
5. the first outcome later in the clause ("two soldiers were killed");
6. the last outcome earlier in the clause (Arabic verb-first order: «اعتقلت قوات الأمن
   أكثر من 40 متظاهرا»; "the number of dead has reached 1,043");
7. who they were, from its own noun ("200 people", «مئات الأشخاص»);
8. a protest anywhere in the clause ("hundreds took part in a sit-in"): protesters;
9. who they were, from a later noun (fighters, children, civilians, people, air strikes).

Outcomes beat who the people were: "five protesters were shot dead" counts the killed.
"""

from __future__ import annotations

import re

from quietwire.verify._lang import _HARAKAT

# Arabic patterns are in folded spelling (see _lang.fold: hamza forms as bare alef, alef
# maqsura as ya). Martyr nouns (شهداء) are left out: «ساحة الشهداء» is a square's name.
_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("forced_to_give_blood", r"(?i:blood)|(?:بال|ب)?دم(?:اء|ائهم|ائهن|هم)?(?!\w)|التبرع"),
    ("killed", r"(?i:kill\w*|dead|died|die|deaths?|lives|bodies|corpses|fatalities|execut\w*|slain|perished|lost their lives|massacred|murdered)|قتل\w*|قتيل\w*|مقتل\w*|ضحايا|ضحية|اعدام|اعدم\w*|جثث|جثة|جثامين|حتف\w*|مصرع\w*|بحياة|وفيات|وفاة|توفي\w*|استشهد\w*"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("wounded", r"(?i:wound\w*|injur\w*|hurt|maimed)|جرح\w*|جريح\w*|جرحي|اصاب\w*|اصيب\w*|مصاب\w*|بجروح"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("abducted", r"(?i:abduct\w*|kidnap\w*|disappeared|took away|taken away|taken hostage|hostages)|اختطف\w*|خطف\w*|مخطوف\w*|مختطف\w*|اختطاف|رهائن|رهينة"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("arrested", r"(?i:arrest\w*|detain\w*|rounded up|taken into custody|jailed)|اعتقل\w*|اعتقال\w*|معتقل\w*|احتجز\w*|محتجز\w*|موقوف\w*|اوقف\w*|توقيف"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("displaced", r"(?i:displaced|fled|flee\w*|refugees|uprooted|(?:left|fled|forced from) their homes)|نزح\w*|نازح\w*|نزوح|تهجير|هجر\w*|مهجر\w*|فروا|فر|فرار|الفارين|هرب\w*|لاجئ\w*"),  # noqa: E501 (a pattern or data table reads best on one line)
)  # fmt: skip
_PROTEST = r"(?i:protest\w*|demonstrat\w*|marched|march|rall(?:y|ied|ies)|sit-in|took to the streets)|متظاهر\w*|محتج\w*|تظاهر\w*|مظاهر\w*|مسير\w*|احتجاج\w*|وقفة|اعتصام\w*"  # noqa: E501 (a pattern or data table reads best on one line)
# Protest verbs: when one governs the number, its people are protesters whatever else the
# clause says ("thousands marched to demand the release of detainees").
_PROTEST_VERB = r"(?i:marched|demonstrated|rallied|protested|staged|took to the streets)|تظاهر|تظاهروا|تظاهرت|يتظاهر\w*|احتج|احتجوا|اعتصم\w*"  # noqa: E501 (a pattern or data table reads best on one line)
_WHO: tuple[tuple[str, str], ...] = (
    ("protesters", r"(?i:protesters|demonstrators|marchers)|متظاهر\w*|محتج\w*"),
    ("air_strikes", r"(?i:air ?strikes?|strikes|raids?|sorties)|غار(?:ة|ات)|ضرب(?:ة|ات) جوية"),
    ("fighters", r"(?i:fighters|militants|soldiers|troops|members|gunmen|jihadists|policemen|officers|guards)|مقاتل\w*|عناصر|عنصرا|جنود|جندي\w*|مسلح\w*"),  # noqa: E501 (a pattern or data table reads best on one line)
    ("children", r"(?i:children|boys|girls|minors)|اطفال|طفل\w*|قاصر\w*"),
    ("civilians", r"(?i:civilians|residents)|مدني\w*|اهالي|سكان"),
    ("people", r"(?i:people|men|women|persons|families|activists|prisoners|nurses|workers|journalists|students|worshippers|passengers|travellers)|اشخاص|شخص\w*|رجال|رجلا|نساء|امراة|عائلات|عائلة|اسر\w*|ناشط\w*|شبان|شابا|سجين\w*|اسير\w*|اسري"),  # noqa: E501 (a pattern or data table reads best on one line)
)  # fmt: skip
_UNITS = r"(?i:percent|per cent|dollars|euros|pounds|km|kilomet\w*|miles?|met(?:er|re)s?|years|days|hours|minutes|weeks|months|times|tonnes|tons|rockets|missiles|shells|mortars|targets|sites|positions|vehicles|cars|trucks|tanks|houses|homes|buildings|villages|towns|points|votes|seats|barrels|rounds|bombs)|بالمئة|بالمائة|في المئة|في المائة|%|دولار\w*|يورو|ليرة|دينار\w*|ريال\w*|كيلومتر\w*|كم|متر\w*|عام|اعوام|سنوات|سنة|يوما|ايام|ساعة|ساعات|اشهر|شهرا|شهور|مرة|مرات|طن|صاروخ\w*|صواريخ|قذيفة|قذائف|موقع\w*|مواقع|هدف\w*|اهداف|منزل\w*|منازل|مبني|مباني|قرية|قري|بلدة|بلدات|سيارة|سيارات|الية|اليات|دبابة|دبابات|برميل\w*"  # noqa: E501 (a pattern or data table reads best on one line)
_ART = r"(?:(?:[وفبل]|لل)?(?:ال)?)"


def _one(table: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    """One alternation with a named group per label: one scan instead of one per label."""
    return re.compile(
        rf"(?<!\w){_ART}(?:" + "|".join(f"(?P<{lab}>{pat})" for lab, pat in table) + r")(?!\w)"
    )


_OUT_RE = _one(_OUTCOMES)
_WHO_RE = _one(_WHO)
_PROTEST_RE = re.compile(rf"(?<!\w){_ART}(?:{_PROTEST})(?!\w)")
_PROTEST_VERB_RE = re.compile(rf"{_ART}(?:{_PROTEST_VERB})")
_UNIT_RE = re.compile(rf"\s*(?:(?i:of)\s+|من\s+)?{_ART}(?:{_UNITS})(?!\w)")
# The next word, past "of"/«من» and "others"/«آخرون», for an outcome noun right after.
_NEXT_RE = re.compile(r"\s*(?:(?:(?i:of|others|more)|من|اخر\w*)\s+)*(\S+)")
_PHRASE_RE = re.compile(
    r"(?P<killed>(?i:lost their lives))|(?P<displaced>(?i:(?:left|fled|forced from) their homes))"
    r"|(?P<abducted>(?i:took away|taken away|taken hostage))"
    r"|(?P<arrested>(?i:rounded up|taken into custody))"
)
_PHRASE_ENDS = frozenset(["lives", "homes", "away", "hostage", "up", "custody"])
_STOP = re.compile(r"[.;!?\n]|,\s(?:(?i:and|but|while|according)|بحسب|وفق|حسب)")
_CURRENCY = frozenset("$£€")


def names_people(folded: str, end: int) -> bool:
    """Whether the word after `end` names people or what happened to them ("1943 people")."""
    nxt = _NEXT_RE.match(folded, end)
    if nxt is None:
        return False
    word = nxt[1].rstrip(",،")
    return bool(_OUT_RE.fullmatch(word) or _WHO_RE.fullmatch(word) or _PROTEST_RE.fullmatch(word))


# A word's labels (outcome, who, protest, protest verb), worked out once per distinct word:
# running the alternations over every window cost more than the rest of the stage.
_Labels = tuple[str | None, str | None, bool, bool]
_MEMO: dict[str, _Labels] = {}
_NONE: _Labels = (None, None, False, False)
_PUNCT = ",،.;:!?\"'()«»"


def _labels(word: str) -> _Labels:
    got = _MEMO.get(word)
    if got is None:
        w = word.translate(_HARAKAT).strip(_PUNCT)
        out, who = _OUT_RE.fullmatch(w), _WHO_RE.fullmatch(w)
        got = (
            out.lastgroup if out else None,
            who.lastgroup if who else None,
            bool(_PROTEST_RE.fullmatch(w)),
            bool(_PROTEST_VERB_RE.fullmatch(w)),
        )
        if len(_MEMO) > 100_000:
            _MEMO.clear()  # bounded against a stream of unique words
        _MEMO[word] = got
    return got


def _first(words: list[str], field: int) -> str | None:
    for w in words:
        label = _labels(w)[field]
        if label:
            return str(label)
    return None


def counted(folded: str, start: int, core_end: int) -> str | None:
    """What the number whose expression starts at `start` and whose digits or words end
    at `core_end` counts (a label of docs/verify.md), or None."""
    if start and folded[start - 1] in _CURRENCY:
        return None
    after = _STOP.split(folded[core_end : core_end + 80], maxsplit=1)[0]
    if _UNIT_RE.match(after):
        return None
    nxt = _NEXT_RE.match(after)
    nxt_word = nxt[1] if nxt else ""
    if nxt_word[:1] != "و":  # «خمسة وأصيب»: a next clause's verb, not this noun
        label = _labels(nxt_word)[0]
        if label:
            return label
    before = _STOP.split(folded[max(0, start - 60) : start])[-1]
    words_before, words_after = before.split(), after.split()
    last_word = words_before[-1] if words_before else ""
    if last_word.lower() == "of" and len(words_before) > 1:  # "the lives of 2 women"
        last_word = words_before[-2]
    label = _labels(last_word)[0]
    if label:
        return label
    if last_word in _PHRASE_ENDS:  # "took away eleven"
        tail = before[-24:]
        ends = [p.lastgroup for p in _PHRASE_RE.finditer(tail) if p.end() >= len(tail) - 1]
        if ends:
            return ends[-1]
    if any(_labels(w)[3] for w in [last_word, *words_after[:3]]):
        return "protesters"
    label = _first(words_after, 0)
    if label is None:
        phrase = _PHRASE_RE.search(after)  # "lost their lives", "took away"
        label = phrase.lastgroup if phrase else None
    label = label or _first(words_before[::-1], 0)
    if label:
        return label
    who = _labels(nxt_word)[1]
    if who:
        return who
    if any(_labels(w)[2] for w in words_after) or any(_labels(w)[2] for w in words_before):
        return "protesters"
    return _first(words_after, 1)
