"""Every note the scrubbers can write has an Arabic template in the desk UI, read from
the scrubbers' own source, so that a new note cannot stay English in the Arabic UI."""

from __future__ import annotations

import ast
import re
import signal
from importlib.util import find_spec
from pathlib import Path

from quietwire.desk._scrub_types import Limits, limit_note, memory_note, wall_note
from quietwire.desk.ui._i18n import language
from quietwire.desk.ui._notes import TEMPLATES, note_in, translate_clause

MODULES = ["_scrub", "_scrub_image", "_scrub_pdf", "_scrub_office", "_scrub_types", "_pull"]
# Words that only the editor's notes use among these modules' strings.
NOTE_WORDS = re.compile(r"scrubbed|scrub \(|removed|copied|frames only|may keep|attached")


def _note_strings() -> list[str]:
    """String literals and f-strings of the scrubbers that are notes (docstrings and the
    prefixes that other clauses are joined to excluded), each f-string's values as 7."""
    found = []
    for name in MODULES:
        spec = find_spec(f"quietwire.desk.{name}")
        assert spec is not None and spec.origin is not None
        tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
        }
        parts = {
            id(part)
            for node in ast.walk(tree)
            if isinstance(node, ast.JoinedStr)
            for part in node.values
        }
        for node in ast.walk(tree):
            if id(node) in docstrings or id(node) in parts:
                continue
            if isinstance(node, ast.JoinedStr):
                text = "".join(v.value if isinstance(v, ast.Constant) else "7" for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            if NOTE_WORDS.search(text) and "\n" not in text and not text.endswith(": "):
                found.append(text.removeprefix("; "))
    return found


def test_every_note_in_the_scrubbers_source_has_an_arabic_template() -> None:
    notes = _note_strings()
    assert len(notes) > 25, notes  # the reader still finds them
    missing = [n for n in notes if n != "scrubbed" and translate_clause(n) is None]
    assert missing == [], missing


def test_composed_and_limit_notes_are_translated_whole() -> None:
    ar = language("ar")
    limits = Limits()
    for note in (
        limit_note(-signal.SIGXCPU, limits),
        limit_note(-signal.SIGXFSZ, limits),
        limit_note(-signal.SIGSEGV, limits),
        limit_note(3, limits),
        memory_note(limits),
        wall_note(limits),
        "metadata removed, image rebuilt from its pixels; first of 12 frames only (the original"
        " keeps them all)",
        "partially scrubbed: 2 embedded image(s) may keep their own metadata; the PDF carries"
        " attached files, which were not scrubbed",
    ):
        shown, native = note_in(ar, note)
        assert native and shown != note and not re.search("[a-z]{4,}", shown), shown
    assert (
        note_in(ar, "partially scrubbed: 2 embedded image(s) may keep their own metadata")[0]
        == "نُظِّف جزئيًّا: قد تحتفظ الصور المضمَّنة (2) ببياناتها الوصفية"
    )


def test_an_unknown_note_stays_english_and_english_is_untouched() -> None:
    assert note_in(language("ar"), "something new happened") == ("something new happened", False)
    assert note_in(language("en"), "PDF could not be read: not scrubbed") == (
        "PDF could not be read: not scrubbed",
        True,
    )
    assert all(en.count("{") == ar.count("{") for en, ar in TEMPLATES)
