"""The token pass of the place finder: every run of words that is a gazetteer key.

One pass over the words of the folded text: a word no key begins with (most words, and the
answer is memoised) is skipped at once; otherwise the name grows word by word while what it
has so far begins a longer key. Each match records what its neighbours say (a locative or
place word before it, a street word, a capitalised word glued on); `_places` then judges it
against the rest of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from quietwire.verify._places_data import AR_CLITICS, REGION, GazEntry, arabic_key, latin_key


class Gazetteer(Protocol):
    """Anything that resolves a place name; tests may pass their own small one."""

    def candidates(self, key: str) -> tuple[GazEntry, ...]:
        """The entries a key (see `key_of`) may name, best first; () when unknown."""
        ...

    def masked(self, folded: str) -> list[tuple[int, int]]:
        """Spans where no place should be found (outlet names and the like)."""
        ...

    def could_start(self, first: str) -> bool:
        """False only when no key begins with this first word (a key's first word)."""
        ...

    def is_common(self, key: str) -> bool:
        """True when the key is also an everyday Arabic word (المدينة)."""
        ...

    def is_prefix(self, key: str) -> bool:
        """True when some longer key begins with this key's words."""
        ...

    def is_whole_word(self, key: str) -> bool:
        """True for an everyday word never to split at a clitic (بلاد is not ب + لاد)."""
        ...


# The words a name can be made of: capitalised Latin words, an Arabic article glued by a
# hyphen ("al-Bab") or standing before a capital ("Ras al Ain"), and Arabic words. Lower-case
# English words never are, and leaving them out of the pass is most of its speed on English.
_LINK = r"(?:al|el|ar|ad|as|ash|at|az|an|ez|es|ed)"
_WORD = re.compile(
    rf"(?<![\w'-])(?:[A-Z\u00c0-\u00de][\w']*(?:-[\w']+)*|{_LINK}(?:-[\w']+)+|{_LINK}(?= [A-Z]))"
    r"|[\u0621-\u064a\u064b-\u0652]+"
)
# A street word after a name, in either case ("Baghdad Street", "Baghdad street").
_EN_STREET_AFTER = re.compile(r" (?i:street|st|road|avenue|square|highway|bridge)\b")
_EN_LINK = frozenset({"al", "el", "ar", "ad", "as", "ash", "at", "az", "an", "ez", "es", "ed"})
_EN_LOCATIVE = frozenset(
    "in near at from outside around into to across towards toward of hit struck "  # noqa: SIM905 (a word list reads better as prose)
    "village town city province district countryside governorate neighbourhood suburb".split()
)
# A capitalised word after a place name that makes the run an outlet's name...
_OUTLET_WORDS = frozenset(
    "direct times post news monitor media center centre today network tribune daily "  # noqa: SIM905
    "herald observer journal press radio tv 24 voice eye agency "
    # and an organisation named after its place ("Khorasan Group", "Hama Military Council")
    "group brigade brigades battalion battalions front council movement army".split()
)
_EN_ACRONYMS = frozenset({"uae", "usa", "uk", "drc"})
_AR_TRIGGER = frozenset(
    arabic_key(w)
    for w in "مدينة بلدة قرية محافظة حي ولاية إقليم منطقة مخيم العاصمة عاصمة ريف ناحية قضاء "  # noqa: SIM905
    "مدينتي بلدتي قريتي مدن بلدات قرى مناطق جمهورية دولة سلطنة مملكة إمارة".split()
)
_AR_LOCATIVE = frozenset(
    arabic_key(w)
    for w in "في من إلى الى قرب شمال جنوب شرق غرب شمالي جنوبي شرقي غربي داخل عند نحو حول "  # noqa: SIM905
    "أطراف محيط مشارف بين وفي ومن وإلى".split()
)
_AR_STREET = frozenset(
    arabic_key(w)
    for w in "شارع ساحة دوار جادة نفق جسر أوتوستراد اوتوستراد".split()  # noqa: SIM905
)


@dataclass(slots=True)
class Match:
    span: tuple[int, int]
    key: str
    cands: tuple[GazEntry, ...]
    placed: bool  # after a locative or a place word
    named: bool  # after a place word (مدينة, "city of"): the word is surely a place
    doubtful: bool  # a capitalised word glued on (a person?), or after حي (a quarter)


def scan(text: str, folded: str, gaz: Gazetteer) -> list[Match]:
    words = list(_WORD.finditer(folded))
    out: list[Match] = []
    i, n_words = 0, len(words)
    while i < n_words:
        w = words[i].group(0)
        arabic = w[0] >= "\u0600"
        # a lower-case start is an Arabic article glued by a hyphen ("al-Bab"), never the
        # English words "an", "as", "at" ("an NGO")
        if not arabic and not (w[0].isupper() or (w.split("-", 1)[0] in _EN_LINK and "-" in w)):
            i += 1
            continue
        if not _variants(w, arabic, gaz):  # most words: no name begins with them
            i += 1
            continue
        found = _longest(folded, words, i, arabic, gaz)
        if found is None:
            i += 1
            continue
        a, b, key, cands, j = found
        prev = words[i - 1].group(0) if i else ""
        nxt = words[j].group(0) if j < n_words else ""
        gap_after = folded[b : words[j].start()] if j < n_words else "."
        if arabic:
            pk = arabic_key(prev)
            if pk in _AR_STREET:
                i = j
                continue
            named = pk in _AR_TRIGGER
            quarter = pk == "حي"  # a neighbourhood of the city named nearby
            placed = named or pk in _AR_LOCATIVE or a > words[i].start()
            doubtful = quarter
        else:
            if (nxt.lower() in _OUTLET_WORDS and gap_after == " ") or _EN_STREET_AFTER.match(
                folded, b
            ):
                i = j
                continue
            tok = text[a:b]
            if tok.isupper() and len(tok) > 1 and key not in _EN_ACRONYMS:
                i = j
                continue
            before = folded[max(0, a - 25) : a].lower().split()
            named = (
                bool(before)
                and before[-1] in ("of",)
                and len(before) > 1
                and (before[-2] in ("city", "town", "village", "province", "governorate"))
            )
            placed = bool(before) and before[-1] in _EN_LOCATIVE
            if (
                gap_after == " "
                and nxt.split("-", 1)[0].lower() in _EN_LINK
                and (nxt[:1].isupper() or "-" in nxt)
                and cands[0].kind != "country"
            ):
                i = j  # the start of a longer name we do not know ("Ain al-Dananeer")
                continue
            if tok[:3].lower() in ("al-", "el-") or tok[:3] in ("al ", "Al ", "el ", "El "):
                cands = tuple(e for e in cands if e.country_code in REGION)
                if not cands:  # an Arabic article: not a town in Utah or Libya's far south
                    i = j
                    continue
            glued_prev = i > 0 and prev[:1].isupper() and folded[words[i - 1].end() : a] == " "
            glued_next = nxt[:1].isupper() and gap_after == " "
            if glued_next and cands[0].kind == "city" and cands[0].population < 100_000:
                i = j  # the head of a longer name we do not know ("Tal Hamis")
                continue
            doubtful = glued_prev or glued_next
        out.append(Match((a, b), key, cands, placed, named, doubtful))
        i = j
    return out


_VARIANTS: dict[tuple[int, str], tuple[tuple[int, str], ...]] = {}


def _variants(word: str, arabic: bool, gaz: Gazetteer) -> tuple[tuple[int, str], ...]:
    """(characters before the name, key) for a word and its clitic-stripped forms that begin
    some key; memoised per gazetteer, since news repeats its words (most give ())."""
    memo = (id(gaz), word)
    got = _VARIANTS.get(memo)
    if got is None:
        if arabic:
            k0 = arabic_key(word)
            out = [(0, k0)]
            if not gaz.is_whole_word(k0):
                out += [(len(c), k0[len(c) :]) for c in AR_CLITICS
                        if k0.startswith(c) and len(k0) - len(c) >= 3]  # fmt: skip
                if k0.startswith("لل") and len(k0) > 4:  # ل + ال: the article's alef is gone
                    out.append((2, "ال" + k0[2:]))
        else:
            out = [(0, latin_key(word))]
        got = tuple((c, k) for c, k in out if gaz.could_start(k.split(" ", 1)[0]))
        if len(_VARIANTS) > 200_000:
            _VARIANTS.clear()
        _VARIANTS[memo] = got
    return got


def _longest(
    folded: str, words: list[re.Match[str]], i: int, arabic: bool, gaz: Gazetteer
) -> tuple[int, int, str, tuple[GazEntry, ...], int] | None:
    """The longest known name starting at word i: (start, end, key, candidates, next i).

    A name grows one word at a time only while what it has so far begins some longer key.
    """
    best: tuple[int, int, str, tuple[GazEntry, ...], int] | None = None
    start = words[i].start()
    for skip, k0 in _variants(words[i].group(0), arabic, gaz):
        key, j = k0, i + 1
        hit = (key, gaz.candidates(key), j)
        while j < len(words) and j - i < 4 and gaz.is_prefix(key):
            w = words[j]
            if folded[words[j - 1].end() : w.start()] != " ":
                break
            if arabic:
                key = f"{key} {arabic_key(w.group(0))}"
            elif w.group(0)[0].isupper() or w.group(0).split("-", 1)[0] in _EN_LINK:
                key = latin_key(folded[start : w.end()])
            else:
                break
            j += 1
            cands = gaz.candidates(key)
            if cands:
                hit = (key, cands, j)
        if hit[1] and (best is None or hit[2] > best[4]):
            best = (start + skip, words[hit[2] - 1].end(), hit[0], hit[1], hit[2])
    return best
