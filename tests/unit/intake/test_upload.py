from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quietwire.intake._upload import _decode, clean_filename


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\photo.jpg", "photo.jpg"),
        ("report\u202egpj.exe", "reportgpj.exe"),
        ("a\x00b\x1fc.txt", "abc.txt"),
        ("..", "file-3"),
        ("", "file-3"),
        ("صورة من الرقة.jpg", "صورة من الرقة.jpg"),
    ],
)
def test_file_names_arrive_harmless(raw: str, expected: str) -> None:
    assert clean_filename(raw, 3) == expected


@given(st.text())
def test_clean_names_never_carry_paths_or_controls(raw: str) -> None:
    name = clean_filename(raw, 1)
    assert name and "/" not in name and "\\" not in name and len(name) <= 200
    assert name not in {".", ".."}
    assert all(ch.isprintable() or ch == " " for ch in name)


def test_text_keeps_every_character_but_control_characters() -> None:
    # Every code point but surrogates, which cannot arrive as valid UTF-8.
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    kept = _decode(bytearray(every.encode("utf-8")))
    assert kept == "".join(ch for ch in every if ch in "\t\n\r" or unicodedata.category(ch) != "Cc")
