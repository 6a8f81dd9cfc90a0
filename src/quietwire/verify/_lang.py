"""Language guess and offset-preserving normalisation for English and Arabic text.

Every matcher in the extractor runs over `fold(text)`, a string of the same length as the
input, so a match's offsets are offsets into the original text. Folding maps one character
to one character only: Arabic-Indic and Persian digits to ASCII digits, the hamza-bearing
alef forms to a bare alef and alef maqsura to ya (writers and OCR mix them freely), and the
tatweel (a stretching stroke with no meaning) to a space-free placeholder letter is NOT done
because it would change nothing a pattern needs.
"""

from __future__ import annotations

import re

_FOLD = str.maketrans(
    {
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0649": "\u064a",  # ى -> ي
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        "\u060c": ",",  # Arabic comma
        "\u061b": ";",  # Arabic semicolon
        "\u061f": "?",  # Arabic question mark
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
    }
)

_HARAKAT = str.maketrans("", "", "\u0640" + "".join(chr(c) for c in range(0x064B, 0x0653)))
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN = re.compile(r"[A-Za-z]")


def fold(text: str) -> str:
    """The text with the one-to-one substitutions above; same length as `text`."""
    return text.translate(_FOLD)


def guess_lang(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en' ('und' for no letters)."""
    sample = text[:4000]
    ar = len(_ARABIC.findall(sample))
    la = len(_LATIN.findall(sample))
    if ar == 0 and la == 0:
        return "und"
    return "ar" if ar > la else "en"


def normalise_ar(word: str) -> str:
    """A lookup key for an Arabic word: folded, ta marbuta as ha, no tatweel or harakat."""
    return fold(word).replace("\u0629", "\u0647").translate(_HARAKAT)
