"""English attributions: a cue word, the speaker it belongs to, and what they said.

Rule-based over tokens of one sentence, with no parser: a cue is a verb (or "according
to") of saying, believing, intending or judging; its source is the noun phrase that is its
subject (to the left, or to the right after an inverted cue: `"...," said Smith`), found by
walking over auxiliaries and adverbs and stopping at a clause boundary, so "When House
Speaker Paul Ryan said" yields the speaker, not "When"; its content is the clause after the
cue, or, when the cue closes the sentence, the clause or quotation before it (quotations
may run over several sentences). Cues of belief and judgement ("believes", "blamed",
"questioned") count as attributions, as PARC and PolNeAR annotate them, but only with a
plausible subject, because many of those words have other uses ("a man called Ali").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]


def _forms(*lemmas: str) -> set[str]:
    """Inflected forms of regular verbs; irregular ones are listed whole."""
    out: set[str] = set()
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        if lemma.endswith("y") and lemma[-2] not in "aeiou":
            out |= {lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
        else:
            s = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
            out |= {lemma, s, stem + "ed", stem + "ing"}
    return out


# Verbs whose subject is a speaker whatever follows them.
_SPEECH = _forms(
    "add", "announce", "state", "claim", "explain", "insist", "argue", "warn", "stress",
    "acknowledge", "admit", "deny", "confirm", "reveal", "tweet", "post", "reply", "respond",
    "recall", "predict", "promise", "pledge", "vow", "suggest", "declare", "allege", "contend",
    "maintain", "assert", "testify", "recount", "describe", "mention", "urge", "demand",
    "propose", "recommend", "caution", "complain", "indicate", "estimate", "boast", "lament",
    "charge", "accuse", "blame", "criticize", "criticise", "question", "dismiss", "reject",
    "praise", "defend", "endorse", "oppose", "blast", "slam", "threaten", "signal", "hint",
    "conclude", "note", "report", "emphasize", "emphasise", "concede", "assure", "announce",
    "remark", "observe", "quip", "joke", "counter", "retort", "reiterate", "repeat",
    "clarify", "affirm", "vouch", "complain", "condemn", "denounce", "applaud", "welcome",
    "mock", "scold", "chide", "fault", "attack", "cite", "characterize", "characterise",
    "label", "acknowledge", "disclose", "contest", "dispute", "advise", "order", "instruct",
    "inform", "notify", "forecast", "calculate", "project", "insinuate", "imply", "swear",
    "brag", "concur", "agree", "disagree", "pray", "plead", "appeal", "ask", "tout",
)  # fmt: skip
_SPEECH |= {
    "say", "says", "said", "saying", "tell", "tells", "told", "telling", "write", "writes",
    "wrote", "written", "writing", "speak", "spoke", "speaks", "speaking", "call", "calls",
    "called", "calling", "read", "reads", "show", "shows", "showed", "shown", "showing",
    "find", "finds", "found", "finding", "put", "puts", "argued", "continued", "continues",
    "declined", "refused", "testified", "swore", "sworn", "forecast", "foresaw",
}  # fmt: skip
# Verbs of belief, intent and judgement: attributions too, with a plausible subject only.
_BELIEF = _forms(
    "believe", "fear", "hope", "want", "expect", "suspect", "doubt", "worry", "consider",
    "seem", "appear", "plan", "intend", "wish", "decide", "prefer", "assume", "reckon",
    "suppose", "imagine", "trust", "guess", "support", "back", "view", "regard", "favor",
    "favour", "dislike", "like", "love", "hate", "need", "aim", "seek", "worry", "figure",
)  # fmt: skip
_BELIEF |= {
    "think", "thinks", "thought", "thinking", "feel", "feels", "felt", "know", "knows",
    "knew", "known", "see", "sees", "saw", "seen", "understand", "understands", "understood",
    "sought", "mean", "means", "meant",
}  # fmt: skip
# Forms that are nouns or other words far more often than cues in news text.
_NOT_CUES = {
    "like",
    "likes",
    "liked",
    "liking",
    "love",
    "loves",
    "hate",
    "hates",
    "need",
    "needs",
    "needed",
    "needing",
    "put",
    "puts",
    "state",
    "contest",
    "contests",
    "remark",
    "remarks",
    "figure",
    "figures",
    "figured",
    "mean",
    "means",
    "meant",
    "read",
    "find",
    "call",
    "calls",
    "back",
    "backs",
    "post",
    "posts",
    "report",
    "question",
    "questions",
    "attack",
    "attacks",
    "order",
    "orders",
    "project",
    "projects",
    "support",
    "supports",
    "label",
    "labels",
    "counter",
    "plan",
    "view",
    "views",
    "charge",
    "charges",
    "signal",
    "signals",
    "hint",
    "hints",
    "joke",
    "jokes",
    "aim",
    "aims",
    "favor",
    "welcome",
    "trust",
    "seek",
    "estimate",
    "forecast",
    "appeal",
    "swear",
    "pray",
    "guess",
    "reckon",
    "repeat",
    "calculate",
    "mock",
    "fault",
    "observe",
    "observes",
    "trusts",
    "want",
    "wants",
    "wanted",
    "wanting",
    "know",
    "knows",
    "knew",
    "known",
    "spoke",
    "speak",
    "speaks",
    "speaking",
    "states",
    "agree",
    "agrees",
    "agreed",
    "continues",
    "continue",
    "reporting",
    "charged",
    "saw",
    "see",
    "sees",
    "seen",
    "seeing",
    "thought",
    "understand",
    "understands",
    "understood",
}
# "citing" and "quoting" link an echo chain, read by the caller's chain rules.
_NOT_CUES |= {"citing", "quoting", "cites", "quotes"}
_SPEECH -= _NOT_CUES
_BELIEF -= _NOT_CUES
_CUES = _SPEECH | _BELIEF
#: Words whose presence makes a sentence worth reading for attributions (lower case).
EN_CUE_WORDS = frozenset(_CUES | {"according", "reportedly", "allegedly", "cited", "citing",
                                  "quoted", "quoting", "relayed"})  # fmt: skip
# Cues after which the object is who was told, before the content.
_TELL = {"tell", "tells", "told", "telling", "inform", "informs", "informed", "assured",
         "assure", "assures", "warned", "urged", "asked", "advised", "reminded"}  # fmt: skip
# Participles that attach to the subject of the main clause: "X attacked Y, saying ...".
_PARTICIPLE = {w for w in _CUES if w.endswith("ing")}

# Between a subject and its verb: auxiliaries, negation and adverbs.
_AUX = {
    "has", "have", "had", "also", "would", "will", "may", "might", "could", "can", "should",
    "must", "did", "does", "do", "not", "never", "then", "once", "still", "long", "been",
    "is", "was", "are", "were", "be", "being", "already", "even", "just", "only", "now",
    "again", "first", "later", "earlier", "always", "ever", "too", "n't", "often", "soon",
    "reportedly", "allegedly", "apparently", "previously", "recently", "repeatedly",
}  # fmt: skip
# Words that end a noun phrase when walking left: a clause starts there.
_STOP = {
    "when", "while", "after", "before", "because", "since", "if", "as", "but", "and", "or",
    "so", "that", "though", "although", "whereas", "until", "unless", "where", "whether",
    "than", "to", "in", "on", "at", "by", "with", "from", "into", "about", "over", "under",
    "against", "during", "without", "through", "between", "among", "what", "how", "why",
    "also", "not", "nor", "yet", "is", "was", "are", "were", "be", "been", "has", "have",
    "had", "would", "will", "can", "could", "should", "may", "might", "must", "did", "does",
    "do", "there", "here", "this", "then", "now", "even", "just", "only",
    "said", "says", "told", "which", "who", "whom", "whose", "it's", "said,", "like",
    "very", "more", "most", "much", "such", "all", "any", "both", "each", "either", "no",
    "him", "them", "us", "me", "she's", "he's", "they're", "i'm",
}  # fmt: skip
_PRONOUN = {"he", "she", "they", "we", "i", "you", "it", "who", "which"}
_ARTICLES = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "so", "so-",
             "to"}  # fmt: skip
_DET = {"the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "some",
        "many", "several", "few", "other", "another", "two", "three", "four", "most",
        "these", "those"}  # fmt: skip
_BE = {"is", "was", "are", "were", "be", "been", "being", "'s"}
_PARTICIPLE_PAST = {w for w in _CUES if w.endswith(("ed", "wn", "en", "ld", "ght", "id"))}
_CONTRACTED = {
    "he's",
    "she's",
    "it's",
    "they're",
    "i'm",
    "we're",
    "you're",
    "he'd",
    "she'd",
    "they'd",
    "i've",
    "we've",
    "they've",
}
_NP_PREP = {"of", "from", "for", "in", "at", "with"}
_SUBORDINATE = {"when", "after", "before", "if", "as", "while", "because", "since",
                "although", "though", "once", "until", "unless", "whereas"}  # fmt: skip
_QUOTE_MAX = 3000
_CLAUSE_BREAK = re.compile(
    r";|\s[—–]\s|,\s(?=(?:saying|adding|telling|noting|arguing|calling|claiming|insisting|"
    r"warning|explaining|stressing|accusing|urging)\b)|,\s(?=an?\s+\w+\s+(?:that|which)\b)|,\s(?=(?:which|however|but|while|although|though|whereas|and\s+(?:he|she|they|"
    r"it|we|I|the|that|this|then))\b)"
)
_DISCOURSE = {"though", "however", "meanwhile", "too", "also", "instead", "for", "in",
              "then", "still", "moreover", "likewise", "nonetheless", "nevertheless",
              "indeed", "meantime", "now", "separately", "similarly", "in turn"}  # fmt: skip
_RELATIVE = {"who", "that", "which"}
_CHAIN_TAIL = re.compile(
    r"[\s,]*(?:citing|quoting|which\s+was|who\s+was|as\s+(?:cited|quoted|reported)|"
    r"(?:cited|quoted|relayed)\s+by)\b"
)
_DASHES = {"—", "–", "--", "-"}
_CLOSERS = {",", ".", ";", '"', "!", "?", ")"}
# The -s forms that are also plural nouns ("attacks", "states", "plans").
_THIRD = {w for w in _CUES if w.endswith("s")}
# Words that open an appositive or a relative clause after a name and a comma.
_APPOSITION = _DET | {"who", "which", "whose", "now", "then", "himself", "herself", "the"}
# Words that open the clause or infinitive a belief cue takes.
_OPENERS = _PRONOUN | _DET | {"that", "to", "this", "there", "these", "those", "if",
                              "whether", "what", "how", "why", "when", "no", "nothing"}  # fmt: skip
# After a cue: adjuncts before the content ("said on Sunday in a statement that ...").
_ADJUNCT = re.compile(
    r"(?:\s*,?\s*(?:(?:on|last|this|early|late|earlier|later)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|night|month|year|"
    r"morning|afternoon|evening|today|yesterday)\b"
    r"|\s*,?\s*(?:in|during|at|on|via|through|over)\s+(?:a|an|the|his|her|their|its)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:statement|interview|speech|letter|post|tweet|note|email|"
    r"e-mail|call|conference|briefing|rally|debate|op-ed|column|message|video|release|"
    r"report|appearance|event|meeting|hearing|address|session|remarks|comments)"
    r"(?:\s+(?:with|to|on|at|in|for)\s+[^,.;:\"]{1,60}?(?=[,.;:\"]|\s+that\b))?"
    r"|\s*,?\s+(?:also|again|too|repeatedly|publicly|privately|recently|earlier|later|"
    r"flatly|bluntly|simply|firmly|openly|previously|then)\b"
    r"|\s+to\s+(?:reporters|journalists|the\s+press|supporters|the\s+crowd|a\s+crowd|"
    r"the\s+audience|an\s+audience|[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4}))+"
)
_RECIPIENT = re.compile(
    r"\s+((?:(?:the|a|an|his|her|their|its)\s+)?(?:[\w'&.-]+\s+){0,4}?[\w'&.-]+)"
    r"(?=\s*(?:,|:|\.|;|\"|$|that\b|on\b|in\b|during\b|last\b|this\b|about\b|after\b|"
    r"when\b|before\b|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
)
_NOT_SPEAKERS = {"note", "update", "editor's note", "photo", "watch", "read", "source",
                 "related", "correction", "warning", "video", "listen", "see also", "sources",
                 "credit", "caption", "summary", "background", "q", "a", "read more"}  # fmt: skip
# A line opened by a short capitalised name and a colon: a transcript or a headline.
_SPEAKER = re.compile(r"((?:[A-Z][\w.'-]*\s){0,3}[A-Z][\w.'-]*):\s+(?=\S)")
_TOKEN = re.compile(
    r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Maj|Brig|Adm|Rev|Prof|St|Jr|Sr)\.|"
    r"(?:[A-Z]\.){2,}|"
    r"[A-Za-z0-9][\w'.&-]*[\w]|[A-Za-z0-9]|\"|,|;|:|\(|\)|—|–|--|\S"
)


@dataclass(frozen=True, slots=True)
class Found:
    """One English attribution: spans into the folded text."""

    source: Span
    cue: Span
    recipient: Span | None
    content: Span


def _tokens(s: str, lo: int) -> list[tuple[str, int, int]]:
    return [(m.group(0), lo + m.start(), lo + m.end()) for m in _TOKEN.finditer(s)]


def _np_left(toks: list[tuple[str, int, int]], j: int) -> tuple[int, int] | None:
    """Token range [a, b] of the noun phrase that ends at token j, or None.

    Walks left over words that may stand in a noun phrase and stops at a clause boundary
    (a conjunction, a preposition, punctuation, an auxiliary), so the phrase never takes in
    the "When" of "When House Speaker Paul Ryan said"."""
    b = j
    a = j + 1
    while j >= 0 and b - j < 10:
        w = toks[j][0]
        lw = w.lower()
        if (
            lw in _RELATIVE
            and a <= b
            and b - a < 3
            and j > 0
            and _nounish(toks[j - 1][0])
            and (all(t[0].islower() for t in toks[a : b + 1]))
        ):
            j -= 1  # "a nurse who fled told": a short relative clause inside the phrase
            continue
        if lw in _PRONOUN:
            if a == b + 1:  # right before the verb, a pronoun is the whole subject
                return j, j
            break
        if lw in _NP_PREP and a <= b and j > 0 and _nounish(toks[j - 1][0]):
            j -= 1  # "a nurse from the town", "officials in Aleppo"
            continue
        if (
            lw in _STOP
            and w.islower()
            and a <= b
            and j > 0
            and toks[a][0][0].isupper()
            and (toks[j - 1][0][0].isupper() and toks[j - 1][0][0].isalpha())
        ):
            a = j  # a name with small words inside: "Raqqa is Being Slaughtered Silently"
            j -= 1
            continue
        if lw in _CUES and j > 0 and toks[j - 1][0].lower() not in _ARTICLES | _DET:
            break  # another verb of saying: "Doctors say ISIS members demanded"
        if lw in _STOP or not w[0].isalnum() or (w.islower() and lw.endswith("ed") and j < b):
            break  # a participle may close the phrase ("those surveyed said"), not open it
        a = j
        j -= 1
    last = b
    while a <= b and toks[b][0].lower() in _DET:
        b -= 1
    if a > b and a <= last:
        return a, last  # "Several said", "Two in three said": a quantifier stands alone
    return (a, b) if a <= b else None


def _nounish(w: str) -> bool:
    lw = w.lower()
    return w[0].isalnum() and lw not in _STOP and lw not in _CUES and lw not in _PRONOUN


def _plausible(toks: list[tuple[str, int, int]], a: int, b: int) -> bool:
    """A subject a belief cue may take: a pronoun, a name or a group of people."""
    head = toks[b][0]
    return (
        head.lower() in _PRONOUN
        or any(t[0][0].isupper() for t in toks[a : b + 1])
        or head.lower().endswith(("s", "man", "woman", "person", "official", "spokesperson"))
    )


def _np_right(toks: list[tuple[str, int, int]], i: int) -> tuple[int, int] | None:
    """The phrase after an inverted cue: `said John Smith, a spokesman.`"""
    if i >= len(toks) or (not _nounish(toks[i][0]) and toks[i][0].lower() not in _PRONOUN):
        return None
    if toks[i][0].lower() in _PRONOUN:
        return i, i
    a = i
    while i < len(toks) and i - a < 8:
        w = toks[i][0]
        if w in ',;:."()' or w.lower() in ("that", "in", "on", "at", "who", "when", "as"):
            break
        i += 1
    return (a, i - 1) if i > a else None


def _inside_quote(folded: str, lo: int, at: int, para: tuple[int, int]) -> bool:
    """Whether offset `at` lies inside a quotation (by the parity of quote marks before it,
    over the paragraph when its marks pair up, else over the sentence alone)."""
    start = para[0] if folded.count('"', para[0], para[1]) % 2 == 0 else lo
    return folded.count('"', start, at) % 2 == 1


def _quote_end(folded: str, at: int, hi: int, limit: int) -> int:
    """Where content that opens a quotation at `at` ends: at the closing mark, which may lie
    past the sentence end `hi` (never past `limit`, the paragraph's end)."""
    close = folded.find('"', at + 1, limit)
    return close + 1 if close >= hi else hi


def find_english(folded: str, lo: int, hi: int, para: tuple[int, int]) -> list[Found]:
    """The attributions of the sentence folded[lo:hi]; `para` bounds multi-sentence quotes."""
    s = folded[lo:hi]
    toks = _tokens(s, lo)
    title: bool | None = None  # a headline in title case ("County Says Trump Should Win")
    out: list[Found] = []
    speaker = _SPEAKER.match(folded, lo, hi)
    if (
        speaker
        and len(folded[speaker.end() : hi].split()) >= 2
        and speaker.group(1).lower() not in _NOT_SPEAKERS
    ):
        # "TAPPER: And you support him?", "Council Head: Water Will Run Out": a speaker line
        end = hi
        while end > speaker.end() and folded[end - 1] in ' ."':
            end -= 1
        colon = speaker.end(1)
        out.append(Found(speaker.span(1), (colon, colon + 1), None, (speaker.end(), end)))
    for i, (w, t0, t1) in enumerate(toks):
        lw = w.lower()
        if lw == "according" and i + 1 < len(toks) and toks[i + 1][0].lower() == "to":
            f = _according(folded, toks, i, lo, hi)
            if f:
                out.append(f)
            continue
        if lw not in _CUES:
            continue
        if w[0].isupper() and i > 0:
            if title is None:
                words = [t[0] for t in toks if t[0][0].isalpha()]
                title = len(words) >= 3 and sum(x[0].isupper() for x in words) >= 0.8 * len(words)
            if not title:
                continue
        # "the said document", "so-called", "his remarks": a noun or adjective, no cue
        if i > 0 and toks[i - 1][0].lower() in _ARTICLES:
            continue
        if re.match(r"\s+to\s+(?:be|have)\b", folded[t1 : t1 + 12]):
            continue  # "is said to be", "warplanes believed to be Russian": no speaker
        if _inside_quote(folded, lo, t0, para):
            continue  # inside a quotation: the quoted speaker's own words, not a new claim
        src = _subject(toks, i)
        if src is None:
            continue
        a, b = src
        head = toks[b][0]
        if lw in _BELIEF and not (_plausible(toks, a, b) and _clause_follows(toks, i)):
            continue
        if (
            lw.endswith("s")
            and lw in _THIRD
            and b == i - 1
            and head.islower()
            and (head.lower() not in ("he", "she", "it", "who", "which") and a == b)
        ):
            continue  # "swing states", "terror attacks": a plural noun, not a verb
        source = (toks[a][1], toks[b][2])
        rcp: Span | None = None
        k = t1
        if lw in _TELL:
            r = _RECIPIENT.match(folded, k, hi)
            if r and r.group(1).split()[0].lower() in (
                "not",
                "to",
                "for",
                "about",
                "if",
                "whether",
            ):
                continue  # "asked not to be named", "asked to leave": no claim
            if r and r.group(1).lower() not in ("that", "him", "her", "them", "me", "us"):
                rcp = (r.start(1), r.start(1) + len(r.group(1).rstrip(".,;:")))
                k = r.end()
            elif r:
                k = r.end()
        adj = _ADJUNCT.match(folded, k, hi)
        if adj:
            k = adj.end()
        sub = a > 0 and toks[a - 1][0].lower() in _SUBORDINATE
        end = folded.find(",", k, hi) if sub else -1
        content = _content_after(folded, k, end if end > 0 else hi, para)
        if content is not None and _CHAIN_TAIL.match(folded, k):
            content = None  # "..., Hawar News reported, citing residents": content is before
        if source[0] >= t1:  # inverted: the content is before the cue
            content = _content_before(folded, lo, t0, para)
        elif content is None:
            content = _content_before(folded, lo, source[0], para)
        if content is None:
            continue
        out.append(Found(source, (t0, t1), rcp, content))
    return out


def _subject(toks: list[tuple[str, int, int]], i: int) -> tuple[int, int] | None:
    """Token range of the source of the cue at token i, or None."""
    j = i - 1
    while j >= 0 and (toks[j][0].lower() in _AUX or _adverb(toks[j][0])):
        if toks[j][0].lower() in _BE and toks[i][0].lower() in _PARTICIPLE_PAST:
            return None  # a passive: "we are being told", "a rally was held called ..."
        j -= 1
    if j >= 0 and toks[j][0] == ")":
        # "Roger Wicker (R-Miss.) said": step over a parenthesis
        k = j
        while k >= 0 and toks[k][0] != "(":
            k -= 1
        j = k - 1 if k > 0 else j
    speech = toks[i][0].lower() in _SPEECH
    if j < 0:
        return _np_right(toks, i + 1) if speech else None
    w = toks[j][0]
    if w.lower() == "and" or (w in _DASHES | {","} and toks[i][0].lower() in _PARTICIPLE):
        # "X rubbed his chin and then said", "X attacked Y, saying": the main subject
        return _np_left_from_start(toks, j)
    if w not in {",", '"'}:
        return _np_left(toks, j)
    if w == ",":
        appositive = _before_appositive(toks, j)
        if appositive is not None:
            return appositive
    right = _np_right(toks, i + 1) if speech else None
    if right and (right[1] + 1 >= len(toks) or toks[right[1] + 1][0] in _CLOSERS):
        return right  # an inverted cue: `"...," said Smith.`, `..., said Smith, a ...`
    return None


def _before_appositive(toks: list[tuple[str, int, int]], j: int) -> tuple[int, int] | None:
    """The subject before a comma-bounded insertion that ends at the comma at token j:
    "Smith, a spokesman for the group, said", "Carter's aide, Peter Cook, told", "Smith,
    who lost a son in Homs, Syria, in 2012, said", "Murphy, though, said"."""
    for k in range(j - 1, max(-1, j - 40), -1):
        if toks[k][0] in {'"', ";", ":", "(", ")"}:
            return None
        if toks[k][0] != "," or k == 0:
            continue
        opener = toks[k + 1][0]
        nearest = k == _prev_comma(toks, j)
        if (
            opener.lower() in _APPOSITION
            or opener.isdigit()
            or (opener.islower() and opener.endswith(("ing", "ed")))
            or (nearest and j - k - 1 <= 3 and opener.lower() in _DISCOURSE)
        ):
            np = _np_left(toks, k - 1)
            if np is not None and np[0] > 0 and toks[np[0] - 1][0] == ",":
                continue  # one insertion after another: look further left
            return np
        if nearest and j - k - 1 <= 6 and opener[0].isupper():
            return _np_left(toks, j - 1)
    return None


def _prev_comma(toks: list[tuple[str, int, int]], j: int) -> int:
    k = j - 1
    while k >= 0 and toks[k][0] != ",":
        k -= 1
    return k


def _adverb(w: str) -> bool:
    return w.islower() and w.endswith("ly") and len(w) > 4


def _clause_follows(toks: list[tuple[str, int, int]], i: int) -> bool:
    """Whether a clause, an infinitive or a quotation follows the cue at token i."""
    k = i + 1
    while k < len(toks) and _adverb(toks[k][0]):
        k += 1
    if k >= len(toks):
        return False
    w = toks[k][0]
    return w.lower() in _OPENERS or w == '"' or w[0].isupper() or w[0].isdigit()


def _np_left_from_start(toks: list[tuple[str, int, int]], upto: int) -> tuple[int, int] | None:
    """The phrase that opens the sentence ("Officials in Aleppo said ..." -> Officials)."""
    if toks and toks[0][0].lower() in _CONTRACTED:
        return 0, 0
    i = 0
    while i < upto and i < 10:
        w = toks[i][0].lower()
        if w in _STOP or w in _CUES or not w[0].isalnum() or w.endswith("ed"):
            break
        i += 1
    return (0, i - 1) if i else None


def _content_after(folded: str, k: int, hi: int, para: tuple[int, int]) -> Span | None:
    m = re.match(r"[\s,:]*(?:that\s+)?", folded[k:hi])
    a = k + (m.end() if m else 0)
    if a >= hi - 1 and folded[k:hi].strip() in (":", "") and folded[hi:].lstrip()[:1] == '"':
        # `X said:` and the quotation in the next paragraph
        a = hi + len(folded[hi:]) - len(folded[hi:].lstrip())
        close = folded.find('"', a + 1, a + _QUOTE_MAX)
        return (a + 1, close) if close > a + 1 else None
    if a < hi and folded[a] == '"':
        b = _quote_end(folded, a, hi, para[1])
        a += 1
        while b > a and folded[b - 1] in ' "':
            b -= 1
    else:
        b = _clause_end(folded, a, hi)
    while b > a and folded[b - 1] in " .,;!?":
        b -= 1
    if len(folded[a:b].split()) < 2:
        return None
    return a, b


def _clause_end(folded: str, a: int, hi: int) -> int:
    """Where reported content ends inside its sentence: at a semicolon or a comma that opens
    a new clause ("..., which", "..., but"), outside quotation marks."""
    for m in _CLAUSE_BREAK.finditer(folded, a, hi):
        if folded.count('"', a, m.start()) % 2 == 0 and len(folded[a : m.start()].split()) >= 2:
            return m.start()
    return hi


def _content_before(folded: str, lo: int, upto: int, para: tuple[int, int]) -> Span | None:
    seg = folded[lo:upto]
    b = lo + len(seg.rstrip(' ,"—–-'))
    a = lo
    quoted = folded[lo:upto].rstrip().endswith('"')
    if folded[lo:b].count('"') % 2 == 0 and quoted:
        # a quotation closing just before the cue may have opened sentences earlier
        opened = folded.rfind('"', para[0], lo)
        if folded[para[0] : lo].count('"') % 2 == 1 and opened >= 0:
            a = opened
    while a < b and folded[a] in ' "':
        a += 1
    while b > a and folded[b - 1] in ' ",.':
        b -= 1
    if len(folded[a:b].split()) < 2:
        return None
    if quoted:
        # `"First part," he said. "Second part."`: the quotation goes on after the cue
        nxt = re.match(r'[^"\n]{0,60}?[.,]\s*"', folded[upto : para[1]])
        if nxt:
            close = folded.find('"', upto + nxt.end(), para[1])
            if close > 0:
                b = close
    return a, b


def _according(
    folded: str, toks: list[tuple[str, int, int]], i: int, lo: int, hi: int
) -> Found | None:
    start = toks[i + 1][2]
    m = re.match(r"\s+([^,.;:\"()]+)", folded[start:hi])
    if not m:
        return None
    source = (start + m.start(1), start + len(m.group(0).rstrip()))
    if toks[i][1] - lo < 3:  # "According to X, CONTENT"
        comma = folded.find(",", source[1], hi)
        a = comma + 1 if comma >= 0 else source[1]
        content: Span = (a, hi)
    else:  # "CONTENT, according to X"
        content = (lo, toks[i][1])
    a, b = content
    while a < b and folded[a] in ' ",':
        a += 1
    while b > a and folded[b - 1] in ' ",.;':
        b -= 1
    if b <= a:
        return None
    return Found(source, (toks[i][1], toks[i + 1][2]), None, (a, b))
