"""One reader of input lines: `verify extract` and `verify cluster` take a line the same way.

Every case runs through both doors: `document_from_json` (what `extract` calls on a raw
line) and `report_from_json` (what `cluster` calls on the decoded line). A good line gives
the same Document; a bad one the same message (VerifyError / ClusterError respectively).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quietwire.verify import (
    ClusterError,
    Document,
    VerifyError,
    document_from_json,
    report_from_json,
)

TEXT = "Witness W-7731 saw the convoy at the northern checkpoint"


def _both(obj: Any) -> tuple[Document | str, Document | str]:
    """What extract's reader and cluster's reader make of one decoded line: a Document or
    the error message."""
    try:
        via_extract: Document | str = document_from_json(json.dumps(obj))
    except VerifyError as exc:
        via_extract = str(exc)
    try:
        via_cluster: Document | str = report_from_json(obj, None, {}).doc
    except ClusterError as exc:
        via_cluster = str(exc)
    return via_extract, via_cluster


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({"id": "a", "text": TEXT}, Document("a", TEXT)),
        (
            {"id": "a", "text": TEXT, "lang": "ar", "published": "2015-03-02", "outlet": "X"},
            Document("a", TEXT, "ar", date(2015, 3, 2), "X"),
        ),
        # a date-time keeps the calendar date as written, with no shift to UTC
        (
            {"id": "a", "text": TEXT, "published": "2015-03-02T23:30:00-05:00"},
            Document("a", TEXT, published=date(2015, 3, 2)),
        ),
        (
            {"id": "a", "text": TEXT, "published": "2015-03-02T10:00:00Z"},
            Document("a", TEXT, published=date(2015, 3, 2)),
        ),
        # null and blank optional fields are absent, as a CSV export writes them
        (
            {"id": "a", "text": TEXT, "lang": "", "published": " ", "outlet": None},
            Document("a", TEXT),
        ),
        # fields the document does not hold are left alone
        ({"id": "a", "text": TEXT, "gold_event": 3, "cites": []}, Document("a", TEXT)),
    ],
)
def test_a_good_line_gives_the_same_document_to_both_commands(
    line: dict[str, Any], expected: Document
) -> None:
    assert _both(line) == (expected, expected)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ([1, 2], "a line must hold a JSON object, not an array"),
        ("just a string", "a line must hold a JSON object, not a string"),
        ({"text": TEXT}, "field 'id' is missing"),
        ({"id": None, "text": TEXT}, "field 'id' is missing"),
        ({"id": "  ", "text": TEXT}, "field 'id' is empty"),
        (
            {"id": 7, "text": TEXT},
            "field 'id' must be a string, not a number (write \"7\", not 7)",
        ),
        ({"id": True, "text": TEXT}, "field 'id' must be a string, not a boolean"),
        ({"id": "a"}, "field 'text' is missing"),
        ({"id": "a", "text": ""}, "field 'text' is empty"),
        ({"id": "a", "text": [TEXT]}, "field 'text' must be a string, not an array"),
        ({"id": "a", "text": TEXT, "lang": 1}, "field 'lang' must be a string, not a number"),
        (
            {"id": "a", "text": TEXT, "lang": ["en"]},
            "field 'lang' must be a string, not an array",
        ),
        (
            {"id": "a", "text": TEXT, "outlet": {"n": "X"}},
            "field 'outlet' must be a string, not an object",
        ),
        (
            {"id": "a", "text": TEXT, "published": 20150302},
            "field 'published' must be a string, not a number",
        ),
        (
            {"id": "a", "text": TEXT, "published": "yesterday"},
            "field 'published' is not an ISO 8601 date or date-time (like 2015-03-02)",
        ),
        # the old readers took the first ten characters and let the rest pass unread
        (
            {"id": "a", "text": TEXT, "published": "2015-03-02 (roughly)"},
            "field 'published' is not an ISO 8601 date or date-time (like 2015-03-02)",
        ),
        (
            {"id": "a", "text": TEXT, "published": "2015-02-30"},
            "field 'published' is not an ISO 8601 date or date-time (like 2015-03-02)",
        ),
        ({"id": "\ud800", "text": TEXT}, "field 'id' holds a lone surrogate escape, not text"),
        (
            {"id": "a", "text": TEXT + "\udfff"},
            "field 'text' holds a lone surrogate escape, not text",
        ),
    ],
)
def test_a_bad_line_gets_the_same_message_from_both_commands(line: Any, message: str) -> None:
    assert _both(line) == (message, message)
    assert "W-7731" not in message


def test_the_cluster_only_fields_follow_the_same_rule_as_outlet() -> None:
    line = {"id": "a", "text": TEXT, "source": "", "url": None}
    assert report_from_json(line, None, {}).source is None
    with pytest.raises(ClusterError, match=r"^field 'url' must be a string, not a number$"):
        report_from_json({"id": "a", "text": TEXT, "url": 3}, None, {})


def test_a_line_that_is_not_json_is_named_without_its_content() -> None:
    with pytest.raises(VerifyError, match=r"^not JSON \(.* at column \d+\)$") as caught:
        document_from_json('{"id": "a", "text": "' + TEXT)
    assert "W-7731" not in str(caught.value)
    with pytest.raises(VerifyError, match=r"^not JSON \(not UTF-8 text\)$"):
        document_from_json(b'{"id": "a", "text": "\xff"}')


_MESSAGE = re.compile(
    r"a line must hold a JSON object, not (null|a boolean|a number|a string|an array)"
    r"|field '(id|text|lang|published|outlet)' ("
    r"is missing|is empty|holds a lone surrogate escape, not text"
    r"|must be a string, not (a boolean|a number|an array|an object)( \(write \"7\", not 7\))?"
    r"|is not an ISO 8601 date or date-time \(like 2015-03-02\))"
)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
_FIELD = st.one_of(
    _JSON, st.sampled_from(["", " ", "2015-03-02", "2015-03-02T08:00:00+02:00", "x"])
)


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(("id", "text", "lang", "published", "outlet"), _FIELD),
    )
    | _JSON
)
def test_any_decoded_line_means_the_same_to_both_and_no_value_is_echoed(line: Any) -> None:
    via_extract, via_cluster = _both(line)
    assert via_extract == via_cluster
    if isinstance(via_extract, str):
        assert _MESSAGE.fullmatch(via_extract), via_extract
    else:
        assert via_extract.id.strip() and via_extract.text.strip()


def _cli(command: str, src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "quietwire.cli", "verify", command, str(src), str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "400"},  # one stderr line per skipped line
        check=False,
    )


def test_extract_and_cluster_skip_the_same_lines_with_the_same_words(tmp_path: Path) -> None:
    # Given one input file with good lines and lines each command used to read differently
    lines = [
        {
            "id": "good-1",
            "text": "Air strikes killed at least 16 in Raqqa.",
            "published": "2015-03-02",
        },
        {"id": 7, "text": "Shelling killed 3 in Aleppo."},
        {"id": "lang", "text": "Shelling killed 3 in Aleppo.", "lang": 1},
        {"id": "day", "text": "Shelling killed 3 in Aleppo.", "published": "2015-03-02 approx"},
        ["not", "an", "object"],
        {"id": "\ud800", "text": "Shelling killed 3 in Aleppo."},  # written as an escape
        {"id": "empty", "text": "   "},
        {
            "id": "good-2",
            # raw line and paragraph separators are text inside a JSON string, not line ends
            "text": "قال ناشط إن داعش اعتقل عشرات الشبان في حلب\u2028\x85\u2029ثم أطلق سراحهم",
            "lang": "ar",
            "published": "2015-03-04T09:00:00+03:00",
        },
    ]
    src = tmp_path / "in.jsonl"
    src.write_text(
        # the lone surrogate can only be written escaped; every other line is raw UTF-8
        "".join(json.dumps(x, ensure_ascii=n == 6) + "\n" for n, x in enumerate(lines, 1))
        + "{not json\n",  # line 9
        "utf-8",
    )

    # When both real commands read it
    extract = _cli("extract", src, tmp_path / "extracted.jsonl")
    cluster = _cli("cluster", src, tmp_path / "events.jsonl")

    # Then both succeed and skip lines 2 to 7 and 9, each with the same message
    assert extract.returncode == 0, extract.stderr
    assert cluster.returncode == 0, cluster.stderr

    def skipped(stderr: str) -> list[str]:
        return [x for x in stderr.splitlines() if ": skipped: " in x]

    assert skipped(extract.stderr) == skipped(cluster.stderr)
    numbers = [x.split(":")[0] for x in skipped(extract.stderr)]
    assert numbers == [f"line {n}" for n in (2, 3, 4, 5, 6, 7, 9)]
    assert "line 9: skipped: not JSON (" in extract.stderr
    assert (
        "line 2: skipped: field 'id' must be a string, not a number (write \"7\", not 7)"
        in extract.stderr
    )
    extracted = [
        json.loads(x)["id"]
        for x in (tmp_path / "extracted.jsonl").read_text("utf-8").split("\n")[:-1]
    ]
    assert extracted == ["good-1", "good-2"]
    members = [
        m
        for x in (tmp_path / "events.jsonl").read_text("utf-8").split("\n")[:-1]
        for m in json.loads(x)["members"]
    ]
    assert sorted(members) == ["good-1", "good-2"]
