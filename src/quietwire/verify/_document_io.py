"""The one reader of an input line (a document), shared by `verify extract` and `verify cluster`.

A line is a JSON object. The rules, the same for both commands:

- `id`: required, a JSON string with something other than white space in it. A number is
  refused rather than turned into a string: the output writes ids as strings and the
  cluster command pairs `--extractions` lines with input lines by id, so `7` and `"7"`
  would silently fail to meet (and could name two different reports).
- `text`: required, a JSON string that is not blank (a report with no words is an export
  gone wrong, not a report).
- `lang`, `outlet`: optional strings. Missing, null or blank means absent; any other type
  is refused, never dropped in silence.
- `published`: optional. Missing, null or blank means absent; otherwise an ISO 8601 date
  or date-time string (`2015-03-02`, `2015-03-02T10:00:00+03:00`), of which the calendar
  date as written is kept (no time-zone shift). Anything else is refused.
- A string holding a lone surrogate escape (`"\\ud800"`, valid JSON but no Unicode text)
  is refused wherever it stands in these fields.
- Other fields are left to the caller (`cluster` reads `source`, `cites`, `url`,
  `extraction`; `extract` ignores them).

Errors are VerifyError with a message that names the field and the JSON type found, never
a value from the line, so a report's words never reach a terminal or a log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from quietwire.verify._types import Document, VerifyError


def _json_type(value: object) -> str:
    """The JSON name of a decoded value's type, with its article ("a number", "null")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def _unicode(key: str, value: str) -> str:
    # JSON may spell a lone surrogate (\ud800), which no UTF-8 output can hold.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise VerifyError(f"field {key!r} holds a lone surrogate escape, not text") from None
    return value


def _required_str(obj: Mapping[str, Any], key: str) -> str:
    if key not in obj or obj[key] is None:
        raise VerifyError(f"field {key!r} is missing")
    value = obj[key]
    if not isinstance(value, str):
        hint = ' (write "7", not 7)' if key == "id" and _json_type(value) == "a number" else ""
        raise VerifyError(f"field {key!r} must be a string, not {_json_type(value)}{hint}")
    if not value.strip():
        raise VerifyError(f"field {key!r} is empty")
    return _unicode(key, value)


def optional_str(obj: Mapping[str, Any], key: str) -> str | None:
    """`obj[key]` when it is a string with something in it; None when it is missing, null or
    blank; VerifyError naming the field when it is any other JSON type."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise VerifyError(f"field {key!r} must be a string, not {_json_type(value)}")
    return _unicode(key, value) if value.strip() else None


def _published(obj: Mapping[str, Any]) -> date | None:
    text = optional_str(obj, "published")
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text.strip()).date()
    except ValueError:  # its message quotes the value: say what is wrong without it
        raise VerifyError(
            "field 'published' is not an ISO 8601 date or date-time (like 2015-03-02)"
        ) from None


def document_from_value(obj: object) -> Document:
    """A Document from one decoded input line (see the module docstring for the rules).

    Raises VerifyError naming the first field that breaks a rule, never echoing a value.
    """
    if not isinstance(obj, Mapping):
        raise VerifyError(f"a line must hold a JSON object, not {_json_type(obj)}")
    return Document(
        id=_required_str(obj, "id"),
        text=_required_str(obj, "text"),
        lang=optional_str(obj, "lang"),
        published=_published(obj),
        outlet=optional_str(obj, "outlet"),
    )


def decode_line(line: str | bytes) -> Any:
    """One input line decoded from JSON. Raises VerifyError saying why it is not JSON we
    read, in the same words for every command, never echoing the line."""
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise VerifyError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    except UnicodeDecodeError:
        raise VerifyError("not JSON (not UTF-8 text)") from None
    except RecursionError:
        raise VerifyError("not JSON we read (nested too deeply)") from None


def document_from_json(line: str | bytes) -> Document:
    """A Document from one JSON line with `id` and `text` (optionally `lang`, `published`,
    `outlet`), by the rules `verify extract` and `verify cluster` share.

    Raises VerifyError naming what is wrong (not JSON, not an object, or the first field
    that breaks a rule), never echoing the text or any other value from the line.
    """
    return document_from_value(decode_line(line))
