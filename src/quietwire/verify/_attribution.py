"""Attributed claims: who said it, the cue, who was told, what was said, and echo chains.

Rule-based, one sentence at a time, over the folded text (see _lang.fold) so offsets are
offsets into the original; every part is returned as a span, so the caller reads names in
their original spelling. The scheme follows PARC 3.0 and PolNeAR: a source, a cue and a
content, with "according to" and "reportedly" as cues too, and cues of belief and intent
("believes", "wants") as well as speech. We add the recipient ("told The Independent") and
the chain link: when a claim is passed on ("..., which was cited by Al Jazeera", "citing an
activist", "نقلت صحيفة ... عن ناشط"), the passing outlet gets its own attribution with
`cites` naming where it took the claim from, so the independence checks can see one origin
behind two reports.

English: see _attribution_en (a cue, its subject, its clause or quotation).
Arabic sentence shapes (verb first):
    CUE SRC [لـRCP | في حديث لـRCP] (إن|أن|بأن|:) CONTENT
    (بحسب|وفقا لـ|نقلا عن|حسبما أفاد) SRC، CONTENT / CONTENT، بحسب SRC.
    نقلت OUTLET عن SRC قوله (إن) CONTENT
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from quietwire.verify._attribution_en import EN_CUE_WORDS, Found, find_english

Span = tuple[int, int]

_ABBREV = re.compile(
    r"(?:\b(?:Mr|Ms|Mrs|Dr|St|Gen|Col|Lt|No|U\.S|U\.K|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Sen|Rep|Gov|"
    r"Jr|Sr|Inc|Corp|Co|vs|Pres|Prof|Sgt|Capt|Maj|Brig|Adm|Rev)|\b[A-Z])$"
)
_EN_CITED_BY = re.compile(
    r",?\s*(?:which\s+was\s+|who\s+was\s+|as\s+)?(?P<cue>cited|quoted|reported|relayed|picked up)\s+by\s+"  # noqa: E501 (a pattern or data table reads best on one line)
    r"(?P<b>[^,.]+?)(?=\s*[,.]|\s*$|\s+(?:on|in)\s)"
)
_EN_CITING = re.compile(r",\s*(?P<cue>citing|quoting)\s+(?P<a>[^,.]+?)\s*(?:,|[.!]?\"?\s*$)")
_EN_REPORTEDLY = re.compile(r"\b(?:reportedly|allegedly)\b")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_PUNCT_TO_SPACE = str.maketrans(dict.fromkeys(',.;:!?"()[]{}—–', " "))
_AR_TAIL = re.compile(
    r"(?:,\s*|\s+)و?(?:بحسب|حسب|وفقا\u064b?|وفق|نقلا\u064b?\s+عن|حسبما)(?=\s|ل).*$"
    r"|,\s*و?(?:نقلت|نقل|نقلته|نقلها)\s+عن(?:ه|ها)?\s.*$"
)

_AR_VERB = (
    r"قال|قالت|يقول|تقول|افاد|افادت|يفيد|تفيد|ذكر|ذكرت|يذكر|تذكر|اكد|اكدت|يؤكد|تؤكد|اعلن|"
    r"اعلنت|صرح|صرحت|اوضح|اوضحت|زعم|زعمت|نفي|نفت|اشار|اشارت|اضاف|اضافت|روي|روت|اخبر|اخبرت|"
    r"كشف|كشفت|اتهم|اتهمت|ادعي|ادعت|اعتبر|اعتبرت"
)
_AR_PREP = r"(?:حسب|وفق)\s*ما\s+(?:افادت?|ذكرت?|قالت?|اوردت?)(?:\s+به)?|بحسب|حسب|وفقا\u064b?\s*ل(?:ـ)?|وفق|نقلا\u064b?\s+عن"  # noqa: E501 (a pattern or data table reads best on one line)
_AR_VERB_FIRST = re.compile(
    rf"(?<![\u0621-\u064a])[وف]?(?P<cue>{_AR_VERB})\s+(?P<src>[^,:;.]+?)"
    r"(?:\s+(?:في\s+(?:حديث|تصريح|تصريحات|اتصال|مقابلة)\s+)?ل(?:ـ\s*)?(?P<rcp>(?:صحيفة|وكالة|موقع|قناة|شبكة|اذاعة|مجلة|مراسل)[^,:;.]*?))?"
    r"\s*(?:,\s*)?(?:(?<![\u0621-\u064a])(?:ب?انه?|إن)\s+|:\s*)"
)
_AR_QUOTED = re.compile(
    r"(?<![\u0621-\u064a])[وف]?(?P<cue>نقلت|نقل)\s+(?P<b>[^,:;.]+?)\s+عن\s+(?P<src>[^,:;.]+?)\s+"
    r"(?:قوله|قولها|قولهم|ان|بان)\s+(?:(?:ب?ان)\s+)?"
)
_AR_PREP_RE = re.compile(
    rf"(?<![\u0621-\u064a])[و]?(?P<cue>{_AR_PREP})\s*(?P<src>[^,:;.]+?)(?=\s*[,.;:]|\s*$)"
)


@dataclass(frozen=True, slots=True)
class RawAttribution:
    """Spans into the text: `source` is None for an unnamed source ("reportedly")."""

    source: Span | None
    cue: Span
    recipient: Span | None
    content_span: Span
    cites: Span | None = None


def _sentences(folded: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?]+[\"']?(?=\s|$)|\n+", folded):
        cut = m.start()
        if m.group(0).startswith(".") and _ABBREV.search(folded, max(start, cut - 6), cut):
            continue
        nxt = folded[m.end() : m.end() + 3].lstrip()[:1]
        if m.group(0)[-1] in "\"'" and nxt.islower():
            continue  # `"Is it over?" said a man`: the quotation belongs to what follows
        spans.append((start, m.end()))
        start = m.end()
    if start < len(folded):
        spans.append((start, len(folded)))
    return [
        (a + len(folded[a:b]) - len(folded[a:b].lstrip()), b)
        for a, b in spans
        if folded[a:b].strip()
    ]


def _strip(folded: str, a: int, b: int) -> Span:
    while a < b and folded[a] in " \"',:":
        a += 1
    while b > a and folded[b - 1] in " \"'.,!?;":
        b -= 1
    return a, b


def _group(m: re.Match[str], name: str, base: int) -> Span:
    a, b = m.span(name)
    seg = m.string[a:b]
    a += len(seg) - len(seg.lstrip())
    b -= len(seg) - len(seg.rstrip())
    return base + a, base + b


def _trim_ar(folded: str, a: int, b: int) -> Span:
    """Arabic content without a trailing "according to" tail or a leading "that"."""
    tail = _AR_TAIL.search(folded, a, b)
    if tail and tail.start() > a:
        b = tail.start()
    a, b = _strip(folded, a, b)
    lead = re.match(r"(?:ف?ب?ان|انه)\s+", folded[a:b])
    if lead:
        a += lead.end()
    return a, b


def _english(folded: str, lo: int, hi: int, para: Span) -> list[RawAttribution]:
    found: list[Found] = find_english(folded, lo, hi, para)
    out: list[RawAttribution] = []
    s = folded[lo:hi]
    for f in found:
        content = f.content
        tail = _EN_CITED_BY.search(folded, content[0], content[1]) or _EN_CITING.search(
            folded, content[0], content[1]
        )
        if tail and tail.start() > content[0]:
            content = _strip(folded, content[0], tail.start())
        out.append(RawAttribution(f.source, f.cue, f.recipient, content))
    if not out:
        r = _EN_REPORTEDLY.search(s)
        if r:
            c = _strip(folded, lo, hi)
            out.append(RawAttribution(None, (lo + r.start(), lo + r.end()), None, c))
        return out
    first = out[0]
    origin = first.recipient or first.source
    for cm in _EN_CITED_BY.finditer(s):
        b = _group(cm, "b", lo)
        if not any(x.source == b for x in out):
            cue = (lo + cm.start("cue"), lo + cm.start("b") - 1)
            out.append(RawAttribution(b, _strip(folded, *cue), None, first.content_span, origin))
    ci = _EN_CITING.search(s)
    if ci:
        cited = _group(ci, "a", lo)
        out[0] = RawAttribution(first.source, first.cue, first.recipient, first.content_span, cited)
        out.append(RawAttribution(cited, _group(ci, "cue", lo), None, first.content_span))
    return out


def _arabic(folded: str, lo: int, hi: int) -> list[RawAttribution]:
    s = folded[lo:hi]
    out: list[RawAttribution] = []
    q = _AR_QUOTED.search(s)
    if q:
        c = _trim_ar(folded, lo + q.end(), hi)
        src, outlet = _group(q, "src", lo), _group(q, "b", lo)
        return [
            RawAttribution(src, _quote_cue(q, lo), outlet, c),
            RawAttribution(outlet, _group(q, "cue", lo), None, c, src),
        ]
    v = _AR_VERB_FIRST.search(s)
    if v:
        c = _trim_ar(folded, lo + v.end(), hi)
        rcp = _group(v, "rcp", lo) if v["rcp"] else None
        out.append(RawAttribution(_group(v, "src", lo), _group(v, "cue", lo), rcp, c))
    for p in _AR_PREP_RE.finditer(s):
        if v and v.start() <= p.start() < v.end():
            continue
        src = _group(p, "src", lo)
        cue = _group(p, "cue", lo)
        split = re.search(r"\s+نقلا\u064b?\s+عن\s+", folded[src[0] : src[1]])
        nested = (src[0] + split.end(), src[1]) if split else None
        nested_cue = _strip(folded, src[0] + split.start(), src[0] + split.end()) if split else cue
        if split:
            src = (src[0], src[0] + split.start())
        if out:  # a second cue in a sentence that already has one: a chain link
            first = out[0]
            out.append(RawAttribution(src, cue, None, first.content_span, first.source))
            continue
        if p.start() < 3:
            comma = s.find(",", p.end())
            c = _trim_ar(folded, lo + comma + 1, hi) if comma > 0 else (hi, hi)
        else:
            c = _trim_ar(folded, lo, lo + p.start())
        out.append(RawAttribution(src, cue, None, c, nested))
        if nested:
            out.append(RawAttribution(nested, nested_cue, None, c))
    return out


def _quote_cue(q: re.Match[str], lo: int) -> Span:
    """The word قوله (or its forms) after the quoted source: the cue of the inner claim."""
    m = re.search(r"قوله|قولها|قولهم|ان|بان", q.string[q.end("src") : q.end()])
    base = q.end("src")
    return (lo + base + m.start(), lo + base + m.end()) if m else _group(q, "cue", lo)


def find_attributions(folded: str) -> list[RawAttribution]:
    """Every attribution in `folded`, in text order, chain links after their claim."""
    out: list[RawAttribution] = []
    paragraphs = [m.start() for m in re.finditer(r"[^\n]+", folded)]
    ends = [m.end() for m in re.finditer(r"[^\n]+", folded)]
    has_arabic = _ARABIC_LETTER.search(folded) is not None
    # Only sentences holding a cue word (or a colon, or "reportedly") can hold an
    # attribution: one pass over the words finds them, instead of reading every sentence.
    plain = folded.lower().translate(_PUNCT_TO_SPACE)
    for lo, hi in _sentences(folded):
        seg = folded[lo:hi]
        if has_arabic and len(_ARABIC_LETTER.findall(seg)) > len(_LATIN_LETTER.findall(seg)):
            out += _arabic(folded, lo, hi)
            continue
        if EN_CUE_WORDS.isdisjoint(plain[lo:hi].split()) and ":" not in seg:
            continue
        p = bisect_right(paragraphs, lo) - 1
        para = (paragraphs[p], ends[p]) if p >= 0 else (lo, hi)
        out += _english(folded, lo, hi, para)
    return out
