"""Reading `verify extract` input lines into Documents, with errors that name the problem."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from quietwire.verify._types import Document, VerifyError


def document_from_json(line: str) -> Document:
    """A Document from one JSON line with `id` and `text` (optionally `lang`, `published`,
    `outlet`). Raises VerifyError naming what is wrong, never echoing the text."""
    try:
        obj: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise VerifyError(f"not JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise VerifyError("not a JSON object")
    doc_id, text = obj.get("id"), obj.get("text")
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool) or doc_id == "":
        raise VerifyError("missing or empty 'id'")
    if not isinstance(text, str):
        raise VerifyError("missing 'text' (a string)")
    published = obj.get("published")
    day: date | None = None
    if published is not None:
        if not isinstance(published, str):
            raise VerifyError("'published' must be an ISO date string")
        try:
            day = date.fromisoformat(published[:10])
        except ValueError:
            raise VerifyError("'published' is not an ISO date") from None
    lang, outlet = obj.get("lang"), obj.get("outlet")
    return Document(
        id=str(doc_id),
        text=text,
        lang=lang if isinstance(lang, str) and lang else None,
        published=day,
        outlet=outlet if isinstance(outlet, str) else None,
    )
