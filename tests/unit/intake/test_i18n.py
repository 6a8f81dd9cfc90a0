"""The source app's languages: complete catalogues, right plurals, right direction."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from quietwire.intake._i18n import languages, negotiate

ROOT = Path(__file__).resolve().parents[3]
AR_PO = ROOT / "src/quietwire/intake/locales/ar/LC_MESSAGES/messages.po"
BUSY = (
    "Too many people are using this service at the moment. Nothing was sent or lost. "
    "Please try again in %(num)d minute."
)
BUSY_PLURAL = BUSY.replace("minute.", "minutes.")


def fresh_msgids(tmp_path: Path) -> set[str]:
    pot = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [str(pybabel), "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(pot), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    with pot.open("rb") as fh:
        return {m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(fh) if m.id}


def arabic() -> dict[str, object]:
    with AR_PO.open("rb") as fh:
        return {
            (m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in read_po(fh) if m.id
        }


def test_every_template_string_has_an_arabic_translation(tmp_path: Path) -> None:
    ids = fresh_msgids(tmp_path)
    assert len(ids) > 50
    translated = arabic()
    missing = sorted(i for i in ids if not translated.get(i))
    assert missing == [], "run tools/update_catalogues.py and translate these"


def test_translations_keep_placeholders_and_are_really_arabic() -> None:
    for msgid, msgstr in arabic().items():
        forms = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        for form in forms:
            assert sorted(re.findall(r"%\(\w+\)[sd]", form)) == sorted(
                set(re.findall(r"%\(\w+\)[sd]", msgid))
            ), msgid
            assert form != msgid
            assert re.search(r"[\u0600-\u06FF]", str(form)), msgid


@pytest.mark.parametrize(
    ("n", "word"),
    [(0, "دقيقة"), (1, "دقيقة"), (2, "دقيقتين"), (5, "دقائق"), (11, "دقيقة"), (100, "دقيقة")],
)
def test_arabic_plural_forms(n: int, word: str) -> None:
    text = languages()["ar"].translations.ngettext(BUSY, BUSY_PLURAL, n) % {"num": n}
    assert text.endswith(f"{n} {word}.")


def test_arabic_is_right_to_left_and_translates() -> None:
    ar = languages()["ar"]
    assert ar.direction == "rtl"
    assert ar.translations.gettext("Quick exit") == "خروج سريع"
    assert languages()["en"].direction == "ltr"


@pytest.mark.parametrize(
    ("header", "chosen", "expected"),
    [
        ("ar-SY,ar;q=0.9,en;q=0.5", None, "ar"),
        ("en-US", None, "en"),
        ("ar-SY", "en", "en"),
        ("en", "ar", "ar"),
        ("fr-FR,ar;q=0.3", None, "ar"),
        ("en;q=0.2,ar;q=0.8", None, "ar"),
        (";;;q=zz,,", None, "en"),
        (None, "xx", "en"),
    ],
)
def test_negotiation(header: str | None, chosen: str | None, expected: str) -> None:
    assert negotiate(header, chosen).code == expected


@pytest.mark.parametrize(
    ("header", "chosen", "default", "expected"),
    [
        ("en-US,en;q=0.5", None, "ar", "ar"),  # what Tor Browser sends, on an Arabic tip line
        ("en-US,en;q=0.5", "en", "ar", "en"),  # the source's own choice still wins
        ("ar", None, "en", "en"),
        ("ar", None, "", "ar"),  # no instance language: the browser's preference
        ("ar", None, "xx", "ar"),  # (an unknown one is refused when the app starts)
    ],
)
def test_the_instance_language_comes_before_the_browser(
    header: str, chosen: str | None, default: str, expected: str
) -> None:
    assert negotiate(header, chosen, default).code == expected


def test_issue_13_arabic_wording() -> None:
    # Reviewers' wording: what a source reads after sending and after seeing the codename,
    # and no "capital letters" (Arabic has none) in the hint under the codename field.
    gettext = languages()["ar"].translations.gettext
    assert gettext("Received and encrypted") == "وصلتنا رسالتك وشُفِّرت"
    assert gettext("I have memorised it: continue") == "حفظته، تابِع"
    hint = gettext("Spaces, capital letters and Arabic letter forms do not matter.")
    assert "الكبيرة" not in hint and "الهمزات" in hint


def test_the_neutral_page_is_translated_and_names_nothing() -> None:
    gettext = languages()["ar"].translations.gettext
    assert gettext("Weather") == "الطقس"
    template = (ROOT / "src/quietwire/intake/templates/neutral.html").read_text()
    assert "tip_line" not in template and "QuietWire" not in template.split("-#}")[1]
    assert "extends" not in template and 'href="/' not in template.replace('href="/static', "")
