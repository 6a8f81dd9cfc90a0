from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quietwire.crypto import EnvelopeError, FileEntry, Manifest


@given(text=st.text(), name=st.text(min_size=1, max_size=50), size=st.integers(0, 2**40))
def test_manifest_round_trip(text: str, name: str, size: int) -> None:
    m = Manifest(
        submission="a" * 32,
        source="b" * 64,
        received="2026-01-01T05:00:00+00:00",
        lang="ar",
        text=text,
        report={"what": "x", "how_known": "saw"},
        files=(
            FileEntry(
                envelope="c" * 32,
                position=1,
                name=name,
                type="image/jpeg",
                size=size,
                header_sha256="d" * 64,
            ),
        ),
    )
    assert Manifest.from_bytes(m.to_bytes()) == m


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe",
        b"[]",
        b'{"format": "other"}',
        b'{"format": "quietwire-submission/2"}',
        b'{"format": "quietwire-submission/1"}',
        b'{"format": "quietwire-submission/2", "submission": "x", "source": "y", '
        b'"received": "z", "lang": "en", "text": "", "files": [1]}',
    ],
)
def test_malformed_manifest_is_an_envelope_error(data: bytes) -> None:
    with pytest.raises(EnvelopeError, match=r"manifest|QuietWire"):
        Manifest.from_bytes(data)
