"""Codenames: the memorable secret a source is given once and types again to log in.

A codename is `words_per_codename` words drawn with `secrets` from one wordlist (English or
Arabic), joined by single spaces. It is shown in the words' standard spelling (جائزة, هواء)
and reaches the key derivation only in the form `normalize_codename` gives it, so every
spelling that normalises alike logs in. Each list carries enough words for at least 80 bits.

Normalisation exists because a source retypes the codename later, perhaps on another
keyboard, phone or café computer: different alef and hamza forms, ta marbuta typed as ha,
alef maqsura as ya, harakat, tatweel, capitals, Arabic-Indic digits, doubled spaces or an
invisible bidi mark pasted in from the page must not lock them out of their own
submissions. It is lossy only in ways the wordlists were built against: no two words of a
list normalise alike, so a codename's normal form names exactly one sequence of words.

Until 2026-12 the normaliser kept a standalone hamza (ء), so هوا and هواء were two list
words and a source who left the hamza off was refused. It now drops it; codenames drawn
before were derived from the older form, and `login_forms` gives both so they still log in.

Errors: `CodenameError` for an unknown wordlist language or a damaged wordlist file.
"""

from __future__ import annotations

import functools
import math
import re
import secrets
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import NewType

from quietwire.crypto._errors import CodenameError

Codename = NewType("Codename", str)

MIN_ENTROPY_BITS = 80
#: A run of this many consecutive list words is treated as a possible codename.
LOOKS_LIKE_RUN = 4

# (language, file name, where it comes from, licence) -- README.md beside the files has the detail.
_LIST_FILES: tuple[tuple[str, str, str, str], ...] = (
    (
        "en",
        "en.txt",
        "EFF long wordlist (7,776 words) as shipped in the PyPI package diceware 1.0.1",
        "CC-BY-3.0-US (Electronic Frontier Foundation)",
    ),
    (
        "ar",
        "ar.txt",
        "nouns and adjectives of Ayaspell (Debian hunspell-ar 3.2-1.2), 2-5 letters, in "
        "standard spelling, concrete nouns first, ranked by wordfreq 3.1.1 frequencies",
        "GPL-2.0-or-later OR LGPL-2.1-or-later OR MPL-1.1 (Ayaspell, Mohamed Kebdani)",
    ),
)

# Lists codenames were drawn from before, kept only so that `looks_like_codename` still
# recognises those codenames (their sources keep them): never drawn from again.
_RETIRED_FILES: tuple[tuple[str, str], ...] = (("ar", "ar-before-2026-12.txt"),)


def _char_map(*, drop_hamza: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    # Harakat, Quranic marks and superscript alef carry no identity for a typed codename:
    # a source may or may not type them, and phone keyboards add them inconsistently.
    for code in range(0x064B, 0x0660):
        table[code] = None
    table[0x0670] = None  # superscript alef
    table[0x0640] = None  # tatweel, a purely visual stretch
    for alef in "\u0623\u0625\u0622\u0671":  # أ إ آ ٱ
        table[ord(alef)] = "\u0627"
    table[0x0629] = "\u0647"  # ta marbuta -> ha: commonly typed without its dots
    table[0x0649] = "\u064a"  # alef maqsura -> ya: Egyptian usage writes ya without dots
    table[0x0624] = "\u0648"  # hamza on waw -> waw
    table[0x0626] = "\u064a"  # hamza on ya -> ya
    if drop_hamza:
        # A standalone hamza is left off as often as it is typed (هوا for هواء), and the
        # older spelling of a final hamza on ya writes it after a dotless ya (شاطىء for
        # شاطئ): dropping it makes both reach the same word.
        table[0x0621] = None
    table[0x06A9] = "\u0643"  # Persian keheh, typed on Persian/Urdu keyboards -> kaf
    table[0x06CC] = "\u064a"  # Farsi yeh -> ya
    for digit in range(10):
        table[0x0660 + digit] = str(digit)  # Arabic-Indic digits
        table[0x06F0 + digit] = str(digit)  # extended (Persian/Urdu) digits
    return table


_CHAR_MAP = _char_map(drop_hamza=True)
# The normaliser of codenames drawn before 2026-12: their source ids were derived from it.
_LEGACY_CHAR_MAP = _char_map(drop_hamza=False)
# What a displayed word may not contain: marks and tatweel (a hamza is part of a spelling).
_NOT_SHOWN = frozenset(code for code, to in _CHAR_MAP.items() if to is None) - {0x0621}

# Anything a person or a copy-paste may put between words: whitespace, hyphens and dashes,
# underscores, dots, commas (Latin and Arabic), and invisible zero-width/bidi controls that
# the RTL page can leak into a clipboard. All collapse to one space.
_SEPARATORS = re.compile(
    "[\\s\\-_.,\u060c\u06d4\u2010-\u2015\u2212\u200b-\u200f\u061c"
    "\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+"
)
_WORD = re.compile(r"\w+")

# NFKC, case folding and mark stripping can each re-enable the others (casefold output is not
# always NFKC; stripping a mark can bring a base letter next to another combining mark), so
# the steps repeat until nothing changes. Real text settles in two or three rounds.
_MAX_ROUNDS = 16


def _normalize_round(text: str, table: dict[int, str | None]) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKC", text).translate(table)
    return _SEPARATORS.sub(" ", text).strip()


def _normalize(text: str, table: dict[int, str | None]) -> Codename:
    current = text
    for _ in range(_MAX_ROUNDS):
        following = _normalize_round(current, table)
        if following == current:
            break
        current = following
    return Codename(current)


def normalize_codename(text: str) -> Codename:
    """Return the canonical form of a typed codename.

    Contract: total (never raises for any `str`), pure and idempotent:
    ``normalize_codename(normalize_codename(x)) == normalize_codename(x)``. Applies NFKC,
    case folding, removes Arabic harakat (U+064B-U+065F), superscript alef, tatweel and the
    standalone hamza (U+0621), unifies alef forms to bare alef, ta marbuta to ha, alef
    maqsura and hamza-on-ya to ya, hamza-on-waw to waw, Persian keheh/yeh to Arabic kaf/ya,
    Arabic-Indic digits to ASCII, and turns every run of whitespace, hyphens, underscores,
    dots, commas and zero-width or bidi marks into a single space, trimmed at both ends. An
    empty result means the input held no codename; callers decide whether that is an error.
    """
    return _normalize(text, _CHAR_MAP)


def login_forms(typed: str) -> tuple[Codename, ...]:
    """The normal forms to derive keys from when a source logs in with `typed`.

    Contract: total and pure (it reads the wordlist files once; a damaged one raises
    `CodenameError`). Returns `normalize_codename(typed)` first, then the form the
    normaliser gave before 2026-12 (which kept the standalone hamza) when it differs and
    every word of it is on a retired list, because codenames drawn then were derived from
    it and held only such words; each Argon2id derivation costs, so no other typing pays
    for a second one. An empty tuple means nothing was typed. Derive every form returned,
    whatever the outcome, so the work depends only on what was typed, not on which exists.
    """
    current = _normalize(typed, _CHAR_MAP)
    legacy = _normalize(typed, _LEGACY_CHAR_MAP)
    forms = [current] if current else []
    if legacy != current and set(legacy.split(" ")) <= _retired_words():
        forms.append(legacy)
    return tuple(forms)


@dataclass(frozen=True, slots=True)
class Wordlist:
    """One wordlist and the codename strength it gives.

    `words` are unique single tokens in their standard spelling (what a source is shown);
    `normal` holds their `normalize_codename` forms in the same order, and no two of them
    are equal. `entropy_bits` is `words_per_codename * bits_per_word` and is at least 80.
    """

    lang: str
    words: tuple[str, ...]
    normal: tuple[str, ...]
    bits_per_word: float
    words_per_codename: int
    entropy_bits: float
    source: str
    licence: str


def _shown_form(word: str) -> bool:
    """A word as it may be shown: one token, NFKC and lower case already, no mark or tatweel."""
    return (
        bool(word)
        and unicodedata.normalize("NFKC", word).casefold() == word
        and _SEPARATORS.search(word) is None
        and not any(ord(ch) in _NOT_SHOWN for ch in word)
    )


def _wordlist_from_text(lang: str, text: str, source: str, licence: str) -> Wordlist:
    words = tuple(line for line in text.splitlines() if line)
    # Fail closed on a damaged or hand-edited list: a duplicate, or two words a source
    # cannot tell apart once typed, silently weakens every codename drawn from it.
    if len(words) < 2:
        raise CodenameError(f"wordlist {lang!r} is too short")
    if len(set(words)) != len(words):
        raise CodenameError(f"wordlist {lang!r} holds duplicate words")
    if not all(_shown_form(word) for word in words):
        raise CodenameError(f"wordlist {lang!r} holds a word that is not one plain token")
    normal = tuple(normalize_codename(word) for word in words)
    if len(set(normal)) != len(normal) or any(not n or " " in n for n in normal):
        raise CodenameError(f"wordlist {lang!r} holds words that normalise alike")
    bits = math.log2(len(words))
    count = math.ceil(MIN_ENTROPY_BITS / bits)
    return Wordlist(lang, words, normal, bits, count, count * bits, source, licence)


def _read(file_name: str) -> str:
    resource = resources.files("quietwire.crypto").joinpath("wordlists", file_name)
    try:
        return resource.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodenameError(f"wordlist {file_name} is missing or not UTF-8") from exc


@functools.cache
def _all_lists() -> dict[str, Wordlist]:
    return {
        lang: _wordlist_from_text(lang, _read(name), src, lic)
        for lang, name, src, lic in _LIST_FILES
    }


@functools.cache
def _retired_words() -> frozenset[str]:
    """The words of the retired lists, in the older normal form they are stored in."""
    return frozenset(word for _, name in _RETIRED_FILES for word in _read(name).split())


@functools.cache
def _word_sets() -> tuple[frozenset[str], ...]:
    """Per language, the normal forms of its list and of the lists it retired."""
    sets = {lang: set(wl.normal) for lang, wl in _all_lists().items()}
    for lang, name in _RETIRED_FILES:
        sets[lang].update(normalize_codename(word) for word in _read(name).split())
    return tuple(frozenset(words) for words in sets.values())


class _Wordlists(Mapping[str, Wordlist]):
    """Read-only mapping that reads the list files on first use, not at import."""

    def __getitem__(self, lang: str) -> Wordlist:
        return _all_lists()[lang]

    def __iter__(self) -> Iterator[str]:
        return iter(_all_lists())

    def __len__(self) -> int:
        return len(_all_lists())

    def __repr__(self) -> str:
        return f"WORDLISTS({sorted(lang for lang, *_ in _LIST_FILES)})"


WORDLISTS: Mapping[str, Wordlist] = _Wordlists()


def generate_codename(lang: str) -> Codename:
    """Draw a fresh codename from the `lang` wordlist ("en" or "ar").

    Contract: returns `words_per_codename` words chosen independently and uniformly with
    `secrets.choice`, in their standard spelling, joined by single spaces; it carries at
    least 80 bits of entropy, and keys are derived from `normalize_codename` of it (the
    form a source's retyping reaches). Raises `CodenameError` for an unknown language or
    an unusable wordlist file.
    """
    if lang not in {code for code, *_ in _LIST_FILES}:
        raise CodenameError(f"no codename wordlist for language {lang[:16]!r}")
    wordlist = WORDLISTS[lang]
    chosen = [secrets.choice(wordlist.words) for _ in range(wordlist.words_per_codename)]
    return Codename(" ".join(chosen))


def looks_like_codename(text: str, min_run: int = LOOKS_LIKE_RUN) -> bool:
    """Tell whether `text` may contain a codename or a large part of one.

    Contract: true when, after `normalize_codename`, the text holds at least `min_run`
    (default 4, at least 1) consecutive words that all belong to one codename wordlist.
    Punctuation between words does not break a run. Meant for guards that keep codenames
    out of published or logged text, so it errs towards yes: ordinary English prose does
    contain runs of four common words that happen to be on the EFF list. Raises
    `CodenameError` if `min_run` is below 1 or a wordlist file is damaged.
    """
    if min_run < 1:
        raise CodenameError("min_run must be at least 1")
    tokens = _WORD.findall(normalize_codename(text))
    for words in _word_sets():
        run = 0
        for token in tokens:
            run = run + 1 if token in words else 0
            if run >= min_run:
                return True
    return False
