"""The desk UI's message table: every message in both languages, placeholders matching."""

from __future__ import annotations

import re
from importlib.resources import files

from quietwire.desk.ui._i18n import LANGUAGES, MESSAGES, language, translate

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_message_has_every_language_with_the_same_placeholders() -> None:
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(text.strip() for text in entry.values()), key
        names = {lang: set(PLACEHOLDER.findall(text)) for lang, text in entry.items()}
        assert names["ar"] == names["en"], key


def test_every_key_the_templates_use_exists() -> None:
    used: set[str] = set()
    for template in (files("quietwire.desk.ui") / "templates").iterdir():
        used |= set(re.findall(r"""\bt\(["'](\w+)["']""", template.read_text(encoding="utf-8")))
    assert used, "no messages found in the templates"
    assert used - set(MESSAGES) == set()


def test_report_fields_and_how_known_values_are_translated() -> None:
    from quietwire.crypto import HOW_KNOWN, REPORT_FIELDS

    assert set(REPORT_FIELDS) | set(HOW_KNOWN) <= set(MESSAGES)


def test_unknown_language_falls_back_to_english() -> None:
    assert language("xx").code == "en" and language(None).code == "en"
    assert language("ar").direction == "rtl"
    assert translate(language("ar"), "bytes", n=5) == "5 بايت"
    assert translate(language("en"), "no-such-key") == "no-such-key"
