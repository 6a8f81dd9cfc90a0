"""Codenames: wordlist strength, normalisation, round trips and the codename detector."""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quietwire.crypto._codename import (
    WORDLISTS,
    Wordlist,
    _wordlist_from_text,
    generate_codename,
    login_forms,
    looks_like_codename,
    normalize_codename,
)
from quietwire.crypto._errors import CodenameError, CryptoError
from quietwire.errors import Error

REPO = Path(__file__).resolve().parents[3]
# The 28 letters plus hamza forms: U+0621-U+063A and U+0641-U+064A (U+0640 is tatweel).
ARABIC_LETTERS = {chr(c) for c in [*range(0x0621, 0x063B), *range(0x0641, 0x064B)]}
HARAKAT = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670"]
SEPARATORS = [" ", "  ", "\t", "\n", "-", "_", ".", ",", "\u060c", "\u200f", "\u200b", "\u2067"]
ALEF_VARIANTS = {"\u0627": "\u0627\u0623\u0625\u0622\u0671"}


# --- the lists -----------------------------------------------------------------------------


def test_each_list_gives_at_least_80_bits() -> None:
    assert sorted(WORDLISTS) == ["ar", "en"]
    for wordlist in WORDLISTS.values():
        bits = math.log2(len(wordlist.words))
        assert wordlist.bits_per_word == pytest.approx(bits)
        assert wordlist.words_per_codename == math.ceil(80 / bits)
        assert wordlist.entropy_bits == pytest.approx(wordlist.words_per_codename * bits)
        assert wordlist.entropy_bits >= 80
        assert wordlist.source
        assert wordlist.licence


def test_list_sizes_are_the_documented_ones() -> None:
    # The EFF long list less its four hyphenated words; Arabic is 2**12 words.
    assert len(WORDLISTS["en"].words) == 7772
    assert len(WORDLISTS["ar"].words) == 4096
    assert WORDLISTS["en"].words_per_codename == 7
    assert WORDLISTS["ar"].words_per_codename == 7


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_no_two_words_collide_under_login_normalisation(lang: str) -> None:
    wordlist = WORDLISTS[lang]
    assert wordlist.normal == tuple(normalize_codename(w) for w in wordlist.words)
    assert len(set(wordlist.normal)) == len(wordlist.words)
    assert not any(" " in w or not w for w in wordlist.normal)
    assert not any(" " in w for w in wordlist.words)


def test_english_words_are_plain_lowercase_ascii() -> None:
    assert all(w.isascii() and w.isalpha() and w.islower() for w in WORDLISTS["en"].words)
    assert WORDLISTS["en"].words == WORDLISTS["en"].normal


def test_arabic_words_are_short_arabic_letters_only() -> None:
    for word, normal in zip(WORDLISTS["ar"].words, WORDLISTS["ar"].normal, strict=True):
        assert 2 <= len(normal) <= 5
        assert set(word) <= ARABIC_LETTERS


def test_issue_13_hamza_pairs_are_one_word_shown_with_its_hamza() -> None:
    # Issue 13: the list held pairs a source cannot tell apart from memory (هوا/هواء) and
    # showed normalised, misspelt-looking forms (جايزه for جائزة).
    words = set(WORDLISTS["ar"].words)
    for pair in (("هوا", "هواء"), ("صفا", "صفاء"), ("مل", "ملء"), ("بري", "بريء")):
        assert normalize_codename(pair[0]) == normalize_codename(pair[1])
        assert len(words & set(pair)) <= 1
    assert {"هواء", "صفاء", "ملء", "جائزة", "حجرة"} <= words
    assert not words & {"جايزه", "حجره", "هوا", "صفا"}


def test_arabic_words_are_shown_in_standard_spelling() -> None:
    words = WORDLISTS["ar"].words
    # ta marbuta, hamza forms and alef maqsura are shown, not folded away as they were
    assert sum(w.endswith("\u0629") for w in words) > 500
    assert sum(any(ch in w for ch in "\u0621\u0623\u0624\u0625\u0626\u0622") for w in words) > 500
    assert any(w.endswith("\u0649") for w in words)
    # a plain final ha after a list word reads as a possessive ("his ..."); 355 did before
    normal = set(WORDLISTS["ar"].normal)
    assert [w for w in words if w.endswith("\u0647") and normalize_codename(w[:-1]) in normal] == []


_SEATS = {
    "\u0623": "\u0627",
    "\u0625": "\u0627",
    "\u0622": "\u0627",
    "\u0624": "\u0648",
    "\u0626": "\u064a",
}


def _variants(word: str) -> set[str]:
    """How a source may type a shown Arabic word: hamzas, ta marbuta, alef maqsura, marks."""
    no_seats = "".join(_SEATS.get(ch, ch) for ch in word)
    plain = no_seats.replace("\u0621", "").replace("\u0629", "\u0647").replace("\u0649", "\u064a")
    return {
        word,
        no_seats,  # hamza seats typed as their bare letters
        word.replace("\u0621", ""),  # a standalone hamza left off
        word.replace("\u0626", "\u0649\u0621"),  # the older spelling of hamza on ya
        word.replace("\u0629", "\u0647"),  # ta marbuta typed as ha
        word.replace("\u0649", "\u064a"),  # alef maqsura typed as ya
        plain,
        "\u064e".join(word) + "\u064f",  # with tashkeel
        "\u0640".join(word),  # with tatweel
        normalize_codename(word),
    }


def test_every_arabic_word_is_reached_by_its_common_spellings() -> None:
    wordlist = WORDLISTS["ar"]
    index = dict(zip(wordlist.normal, wordlist.words, strict=True))
    for word, normal in zip(wordlist.words, wordlist.normal, strict=True):
        for typed in _variants(word):
            assert normalize_codename(typed) == normal, (word, typed)
            assert index[normalize_codename(typed)] == word


def test_login_forms_keep_codenames_drawn_before_the_hamza_change() -> None:
    # Given a codename drawn from the old list, derived from the form that kept the hamza
    old = "هواء جايزه سماء بناء ماء كتاب قلم"
    # Then the forms tried at login hold today's form first and that older one after it
    forms = login_forms("  هَواء جائزة سماء بناء ماء كتاب  قلم ")
    assert forms == (normalize_codename(old), old)
    # and a codename without a standalone hamza has one form, the same in both
    assert login_forms("كتاب قلم") == ("كتاب قلم",)
    assert login_forms(" \u200f ") == ()
    # and only a codename the old list could have given pays for a second derivation
    assert login_forms("هواء كتاب كلمةٌ-لم-تكن-فيها") == (
        normalize_codename("هواء كتاب كلمه لم تكن فيها"),
    )
    assert login_forms("ء") == ()


def test_retired_arabic_words_are_still_detected() -> None:
    retired = (REPO / "src/quietwire/crypto/wordlists/ar-before-2026-12.txt").read_text()
    digest = hashlib.sha256(retired.encode()).hexdigest()
    assert digest == "636e8e694478afc05e1366cd623ac2cf0767058709e6b94e7d006673c38bfab8"
    gone = sorted(set(retired.split()) - set(WORDLISTS["ar"].normal))
    assert len(gone) > 100
    assert looks_like_codename(" ".join(gone[:4]))


def test_a_word_list_is_not_writable() -> None:
    wordlist = WORDLISTS["en"]
    with pytest.raises(AttributeError):
        wordlist.words = ()  # type: ignore[misc]
    assert not hasattr(WORDLISTS, "__setitem__")


def test_damaged_list_text_is_refused() -> None:
    # Given list texts with a duplicate, an unnormalised word, a separator, too few words
    for text in (
        "alpha\nbeta\nalpha\n",
        "alpha\nBeta\n",
        "alpha\nice cream\n",
        "alpha\n",
        "هوا\nهواء\n",  # two words that normalise alike
        "كتَاب\nقلم\n",  # a mark in a shown word
    ):
        # Then loading fails closed instead of producing weaker codenames
        with pytest.raises(CodenameError):
            _wordlist_from_text("xx", text, "test", "test")
    good = _wordlist_from_text("xx", "a\nb\nc\nd\n", "test", "test")
    assert isinstance(good, Wordlist)
    assert good.words_per_codename == 40  # 2 bits a word


def test_shipped_lists_match_the_regeneration_script() -> None:
    # Provenance check: the shipped files are exactly what tools/build_wordlists.py derives
    # from diceware (PyPI), wordfreq (PyPI) and hunspell-ar (Debian). If one is missing the
    # script names the package and the command to install it, and this test shows that.
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_wordlists.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=120,
    )
    assert result.returncode == 0, (
        "wordlists do not match their regeneration (needs PyPI diceware==1.0.1 and "
        "wordfreq==3.1.1, Debian hunspell-ar 3.2-1.2):\n" + result.stdout + result.stderr
    )


# --- generating ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_generated_codename_is_list_words_in_shown_form(lang: str) -> None:
    wordlist = WORDLISTS[lang]
    codename = generate_codename(lang)
    words = codename.split(" ")
    assert len(words) == wordlist.words_per_codename
    assert set(words) <= set(wordlist.words)
    assert normalize_codename(codename).split(" ") == [normalize_codename(w) for w in words]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_generated_codenames_differ(lang: str) -> None:
    # 84+ bits: a repeat among 200 draws means the generator is not random.
    codenames = {generate_codename(lang) for _ in range(200)}
    assert len(codenames) == 200


def test_unknown_language_raises_codename_error() -> None:
    with pytest.raises(CodenameError, match="no codename wordlist") as info:
        generate_codename("fr")
    assert isinstance(info.value, CryptoError)
    assert isinstance(info.value, Error)


# --- normalising ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("  Correct   HORSE\tbattery ", "correct horse battery"),
        ("correct-horse_battery.staple,pin", "correct horse battery staple pin"),
        ("\u200fcorrect\u2067 horse\u2069\u200b", "correct horse"),
        ("ＣＯＲＲＥＣＴ", "correct"),  # fullwidth Latin from an East Asian keyboard
        ("أحمد إلى آخر ٱسم", "احمد الي اخر اسم"),
        ("مَدْرَسَةٌ", "مدرسه"),
        ("مـــدرسة", "مدرسه"),
        ("مسؤول، رئيس", "مسوول رييس"),
        ("هواء سماءٌ شاطىء شاطئ", "هوا سما شاطي شاطي"),  # a standalone hamza is dropped
        ("\ufefb", "\u0644\u0627"),  # lam-alef presentation ligature
        ("٠١٢٣٤٥٦٧٨٩ ۰۱۲۳۴۵۶۷۸۹", "0123456789 0123456789"),
        ("ڪتاب کتاب ی", "ڪتاب كتاب ي"),  # Persian keheh/yeh fold, other letters stay
        ("", ""),
        (" - _ . ، ", ""),
    ],
)
def test_normalize_examples(typed: str, expected: str) -> None:
    assert normalize_codename(typed) == expected


@given(st.text())
def test_normalize_never_crashes_and_is_idempotent(text: str) -> None:
    once = normalize_codename(text)
    assert normalize_codename(once) == once
    assert once == once.strip()
    assert "  " not in once


_ARABICISH = st.text(
    alphabet=st.sampled_from(
        [*sorted(ARABIC_LETTERS), *HARAKAT, "\u0640", "\u0654", "\u0655", "\u0653", "A", "é"]
        + [sep for sep in SEPARATORS if len(sep) == 1]
    )
)


@given(_ARABICISH)
def test_normalize_is_idempotent_on_arabic_with_marks(text: str) -> None:
    once = normalize_codename(text)
    assert normalize_codename(once) == once
    assert not any(mark in once for mark in [*HARAKAT, "\u0640"])


@given(
    st.text(alphabet=st.sampled_from(sorted(ARABIC_LETTERS) + list("0123456789")), min_size=1),
    st.data(),
)
def test_letter_and_digit_variants_collapse(text: str, data: st.DataObject) -> None:
    variants = {
        "\u0627": "\u0623\u0625\u0622\u0671",  # alef forms
        "\u0647": "\u0629",  # ta marbuta typed for ha
        "\u064a": "\u0649\u0626\u06cc",  # alef maqsura, hamza on ya, Farsi yeh
        "\u0648": "\u0624",  # hamza on waw
        **{str(d): chr(0x0660 + d) + chr(0x06F0 + d) for d in range(10)},
    }
    base = normalize_codename(text)
    retyped = "".join(
        data.draw(st.sampled_from(ch + variants.get(ch, ""))) if ch in variants else ch
        for ch in base
    )
    assert normalize_codename(retyped) == base


def _retype(codename: str, data: st.DataObject) -> str:
    """How a person might type a codename again: other spacing, case, marks, letter forms."""
    typed_words = []
    for word in codename.split(" "):
        letters = []
        for ch in word:
            if ch in ALEF_VARIANTS:
                ch = data.draw(st.sampled_from(ALEF_VARIANTS[ch]))
            elif ch == "\u0647" and data.draw(st.booleans()):
                ch = "\u0629"
            elif ch == "\u064a" and data.draw(st.booleans()):
                ch = "\u0649"
            elif ch.isascii() and data.draw(st.booleans()):
                ch = ch.upper()
            letters.append(ch)
            if ch in ARABIC_LETTERS | set("\u0623\u0625\u0622\u0671\u0629\u0649"):
                letters.append(data.draw(st.sampled_from(["", "", *HARAKAT, "\u0640"])))
        typed_words.append("".join(letters))
    glue = [data.draw(st.sampled_from(SEPARATORS)) for _ in typed_words]
    lead = data.draw(st.sampled_from(["", " ", "\u200f", "\n"]))
    return lead + "".join(w + g for w, g in zip(typed_words, glue, strict=True))


@settings(max_examples=200)
@given(st.sampled_from(["en", "ar"]), st.data())
def test_codename_survives_retyping(lang: str, data: st.DataObject) -> None:
    wordlist = WORDLISTS[lang]
    words = data.draw(
        st.lists(
            st.sampled_from(wordlist.words),
            min_size=wordlist.words_per_codename,
            max_size=wordlist.words_per_codename,
        )
    )
    codename = " ".join(words)
    retyped = _retype(codename, data)
    assert normalize_codename(retyped) == normalize_codename(codename)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_freshly_generated_codename_survives_retyping_nfd(lang: str) -> None:
    codename = generate_codename(lang)
    decomposed = unicodedata.normalize("NFD", codename.upper()).replace(" ", " \u200f- ")
    assert normalize_codename(decomposed) == normalize_codename(codename)


# --- detecting -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_detects_a_codename_inside_text(lang: str) -> None:
    codename = generate_codename(lang)
    words = codename.split(" ")
    assert looks_like_codename(f"My code is: {codename}. Thanks!")
    assert looks_like_codename("«" + ", ".join(words[:4]).upper() + "»")
    assert not looks_like_codename(" ".join(words[:3]))
    assert looks_like_codename(" ".join(words[:3]), min_run=3)


def test_detects_arabic_codename_typed_with_marks() -> None:
    codename = generate_codename("ar")
    marked = "".join(ch + "\u064e" if ch in ARABIC_LETTERS else ch for ch in codename)
    assert looks_like_codename("رمز الدخول: " + marked)


def test_ordinary_text_is_not_a_codename() -> None:
    assert not looks_like_codename("The report was filed at 10:40 on the 3rd of May.")
    assert not looks_like_codename("")
    # Four list words from two different lists are not one codename.
    en = WORDLISTS["en"].words
    ar = WORDLISTS["ar"].words
    assert not looks_like_codename(f"{en[0]} {ar[0]} {en[1]} {ar[1]}")


def test_min_run_below_one_is_refused() -> None:
    with pytest.raises(CodenameError):
        looks_like_codename("anything", min_run=0)
