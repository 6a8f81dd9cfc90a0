"""Attributed claims: who said it, the cue, who was told, what was said, and echo chains.

Rule-based, one sentence at a time, over the folded text (see _lang.fold) so offsets are
offsets into the original. The patterns follow how PARC 3.0 annotates attribution: a
source, a cue and a content span, with "according to" and "reportedly" as cues too. We add
the recipient ("told The Independent") and the chain link: when a claim is passed on
("..., which was cited by Al Jazeera", "citing an activist", "نقلت صحيفة ... عن ناشط"), the
passing outlet gets its own attribution with `cites` naming where it took the claim from,
so the independence checks can see one origin behind two reports.

English sentence shapes:
    SRC CUE [RCP] [that|,|:] CONTENT          an activist told The Independent that ...
    [According to SRC,] CONTENT               / CONTENT, according to SRC.
    "CONTENT," SRC CUE [RCP].                 / "CONTENT," CUE SRC.
    ... reportedly ...                        source "unspecified"
Arabic sentence shapes (verb first):
    CUE SRC [لـRCP | في حديث لـRCP] (إن|أن|بأن|:) CONTENT
    (بحسب|وفقا لـ|نقلا عن|حسبما أفاد) SRC، CONTENT / CONTENT، بحسب SRC.
    نقلت OUTLET عن SRC قوله (إن) CONTENT
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_EN_CUES = (
    r"said|says|say|told|tells|stated|claimed|claims|reported|reports|added|announced|"
    r"confirmed|confirms|denied|denies|warned|explained|alleged|insisted|noted|wrote|"
    r"tweeted|posted|estimated|recounted|described|accused|testified|recalled"
)
_SENT = re.compile(r"[^.!?\n]+(?:[.!?]+[\"']?|$)|(?<=\n)")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Ms|Mrs|Dr|St|Gen|Col|Lt|No|U\.S|U\.K|Jan|Feb|Aug|Sept|Oct|Nov|Dec)|\b[A-Z])$"
)
_EN_SRC_FIRST = re.compile(
    rf"(?P<cue>\b(?:{_EN_CUES})\b)(?:\s+(?:on|in)\s+\w+day\b)?"
    r"(?:(?<=told)\s+(?P<rcp>(?:the\s+)?[A-Z][\w'&.-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'&.-]*){0,5}"
    r"|(?:a|an|the)\s+[a-z]+(?:\s+[a-z]+)?))?"
    r"(?:\s+(?:on|last|this|earlier)\s+[A-Za-z]+)?"
    r"(?:\s+(?:in|during)\s+an?\s+(?:interview|statement|phone call|message)(?:\s+with\s+(?P<rcp2>[^,]+?))?)?"  # noqa: E501 (a pattern or data table reads best on one line)
    r"\s*(?:,\s*|:\s*|\s+that\s+|\s+(?=\")|\s+(?=[a-zA-Z0-9]))\"?"
)
_EN_ACCORDING = re.compile(r"\b(?i:according\s+to)\s+")
_EN_TRAIL = re.compile(
    rf",\"?\s+(?:(?P<cue1>{_EN_CUES})\s+(?P<src1>[^,]+?)|(?P<src2>[^,]+?)\s+(?P<cue2>{_EN_CUES})"
    r"(?:\s+(?P<rcp>[A-Z][^,]*?|the\s+[^,]*?))?)(?:\s+in\s+an?\s+(?:statement|interview))?"
    r"(?:\s+(?:on|last|this|earlier)\s+[A-Za-z]+)?"
    r"\s*[.!]?\"?\s*$"
)
_EN_CITED_BY = re.compile(
    r",?\s*(?:which\s+was\s+|who\s+was\s+|as\s+)?(?P<cue>cited|quoted|reported|relayed|picked up)\s+by\s+"  # noqa: E501 (a pattern or data table reads best on one line)
    r"(?P<b>[^,.]+?)(?=\s*[,.]|\s*$|\s+(?:on|in)\s)"
)
_EN_CITING = re.compile(r",\s*(?P<cue>citing|quoting)\s+(?P<a>[^,.]+?)\s*(?:,|[.!]?\"?\s*$)")
_EN_REPORTEDLY = re.compile(r"\b(?:reportedly|allegedly)\b")
_CLAUSE_CUT = re.compile(r"(?:.*(?:[,;:\"]|\b(?:and|but|while|as|after|when|because)\b)|^)\s*")

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
    source: str
    cue: str
    recipient: str | None
    content_span: tuple[int, int]
    cites: str | None = None


def _sentences(folded: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?]+[\"']?(?=\s|$)|\n+", folded):
        if m.group(0).startswith(".") and _ABBREV.search(folded[start : m.start()]):
            continue
        spans.append((start, m.end()))
        start = m.end()
    if start < len(folded):
        spans.append((start, len(folded)))
    return [
        (a + len(folded[a:b]) - len(folded[a:b].lstrip()), b)
        for a, b in spans
        if folded[a:b].strip()
    ]


def _trim(folded: str, a: int, b: int) -> tuple[int, int]:
    """Content span without surrounding spaces, quotes, final stop or a chain tail."""
    seg = folded[a:b]
    for rx in (_EN_CITED_BY, _EN_CITING, re.compile(r",\s*(?i:according\s+to)\s+.*$"),
               re.compile(r"(?:,\s*|\s+)و?(?:بحسب|حسب|وفقا\u064b?|وفق|نقلا\u064b?\s+عن|حسبما)(?=\s|ل).*$")):  # fmt: skip  # noqa: E501 (a pattern or data table reads best on one line)
        m = rx.search(seg)
        if m and (m.start() > 0 or rx in (_EN_CITED_BY, _EN_CITING)):
            seg = seg[: m.start()]
    b = a + len(seg)
    while a < b and folded[a] in " \"',:":
        a += 1
    lead = re.match(r"(?:ف?ب?ان|انه)\s+", folded[a:b])
    if lead:
        a += lead.end()
    while b > a and folded[b - 1] in " \"'.,!?;":
        b -= 1
    return a, b


def _source_before(folded: str, lo: int, cue_at: int) -> str:
    before = folded[lo:cue_at]
    before = re.sub(r",\s[^,]+,\s*$", "", before)  # drop an appositive: "X, who ..., said"
    m = _CLAUSE_CUT.match(before)
    src = before[m.end() :] if m else before
    words = src.split()
    return " ".join(words[-10:]).strip(" \"'")


def _english(folded: str, lo: int, hi: int) -> list[RawAttribution]:
    s = folded[lo:hi]
    out: list[RawAttribution] = []
    acc = _EN_ACCORDING.search(s)
    if acc:
        rest = s[acc.end() :]
        src_m = re.match(r"[^,.]+", rest)
        src = src_m.group(0).strip() if src_m else ""
        src = _EN_CITED_BY.split(src)[0].strip() if src else src
        if acc.start() < 3:  # "According to X, CONTENT"
            comma = s.find(",", acc.end())
            c = _trim(folded, lo + comma + 1, hi) if comma > 0 else (hi, hi)
        else:  # "CONTENT, according to X"
            c = _trim(folded, lo, lo + acc.start())
        out.append(RawAttribution(src, "according to", None, c))
    else:
        m = _EN_SRC_FIRST.search(s)
        src = _source_before(s, 0, m.start()) if m else ""
        c = _trim(folded, lo + m.end(), hi) if m else (hi, hi)
        if m and src and len(folded[c[0] : c[1]].split()) >= 3:
            rcp = (m["rcp"] or m["rcp2"] or "").strip() or None
            out.append(RawAttribution(src, m["cue"], rcp, c))
        else:
            tail = _EN_CITED_BY.search(s)
            t = _EN_TRAIL.search(s[: tail.start()] if tail else s)
            if t:
                src = (t["src1"] or t["src2"] or "").strip()
                cue = t["cue1"] or t["cue2"] or ""
                rcp = t["rcp"].strip() if t["rcp"] else None
                out.append(RawAttribution(src, cue, rcp, _trim(folded, lo, lo + t.start())))
    if not out:
        r = _EN_REPORTEDLY.search(s)
        if r:
            out.append(RawAttribution("unspecified", r.group(0), None, _trim(folded, lo, hi)))
        return out
    first = out[0]
    origin = first.recipient or first.source
    for cm in _EN_CITED_BY.finditer(s):
        if cm.start() >= first.content_span[1] - lo or cm.end() <= first.content_span[0] - lo:
            out.append(
                RawAttribution(cm["b"].strip(), cm["cue"] + " by", None, first.content_span, origin)
            )
    ci = _EN_CITING.search(s)
    if ci:
        cited = ci["a"].strip()
        out[0] = RawAttribution(first.source, first.cue, first.recipient, first.content_span, cited)
        out.append(RawAttribution(cited, ci["cue"], None, first.content_span))
    return out


def _arabic(folded: str, lo: int, hi: int) -> list[RawAttribution]:
    s = folded[lo:hi]
    out: list[RawAttribution] = []
    q = _AR_QUOTED.search(s)
    if q:
        c = _trim(folded, lo + q.end(), hi)
        src, outlet = q["src"].strip(), q["b"].strip()
        out.append(RawAttribution(src, "قوله", outlet, c))
        out.append(RawAttribution(outlet, q["cue"], None, c, src))
        return out
    v = _AR_VERB_FIRST.search(s)
    if v:
        c = _trim(folded, lo + v.end(), hi)
        rcp = v["rcp"].strip() if v["rcp"] else None
        out.append(RawAttribution(v["src"].strip(), v["cue"], rcp, c))
    for p in _AR_PREP_RE.finditer(s):
        src = p["src"].strip()
        cue = re.sub(r"\s+", " ", p["cue"])
        if v and v.start() <= p.start() < v.end():
            continue
        chain = re.split(r"\s+نقلا\u064b?\s+عن\s+", src)
        if out:  # a second cue in a sentence that already has one: a chain link
            first = out[0]
            out.append(RawAttribution(chain[0], cue, None, first.content_span, first.source))
            continue
        if p.start() < 3:
            comma = s.find(",", p.end())
            c = _trim(folded, lo + comma + 1, hi) if comma > 0 else (hi, hi)
        else:
            c = _trim(folded, lo, lo + p.start())
        out.append(RawAttribution(chain[0], cue, None, c, chain[1] if len(chain) > 1 else None))
        if len(chain) > 1:
            out.append(RawAttribution(chain[1], "نقلا عن", None, c))
    return out


def find_attributions(folded: str) -> list[RawAttribution]:
    """Every attribution in `folded`, in text order, chain links after their claim."""
    out: list[RawAttribution] = []
    for lo, hi in _sentences(folded):
        seg = folded[lo:hi]
        arabic = len(re.findall(r"[\u0621-\u064a]", seg)) > len(re.findall(r"[A-Za-z]", seg))
        out += _arabic(folded, lo, hi) if arabic else _english(folded, lo, hi)
    return out
