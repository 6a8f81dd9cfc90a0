"""Small urlencoded forms (login, create, delete, logout), read with a hard size cap.

Only file uploads need streaming (see _upload.py); these forms are a few hundred bytes,
so we read them whole but never more than `limit` bytes, and decode strictly.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request

from quietwire.crypto import REPORT_FIELDS
from quietwire.intake.errors import BadSubmission, SubmissionTooLarge

SMALL_FORM_LIMIT = 8 * 1024


async def read_small_form(request: Request, limit: int = SMALL_FORM_LIMIT) -> dict[str, str]:
    if request.headers.get("content-type", "").split(";")[0].strip() != (
        "application/x-www-form-urlencoded"
    ):
        raise BadSubmission("expected a urlencoded form")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise SubmissionTooLarge("form over the limit")
    try:
        parsed = parse_qs(body.decode("utf-8"), max_num_fields=20, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise BadSubmission("malformed form") from None
    return {key: values[0] for key, values in parsed.items() if values}


def report_from_fields(fields: dict[str, str]) -> dict[str, str]:
    """The structured report: known questions only, trimmed, empty answers dropped."""
    report = {k: fields[k].strip() for k in REPORT_FIELDS if fields.get(k, "").strip()}
    if report.get("how_known") not in {None, "saw", "witness", "hearsay"}:
        raise BadSubmission("unknown answer to 'how do you know'")
    return report
