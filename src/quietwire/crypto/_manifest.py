"""The manifest: the small envelope that describes one submission.

A submission is a set of envelopes: one age file per uploaded file (decrypting to exactly
the bytes the source sent) and one manifest, written last, holding the text, the
structured report and, for each file, its original name, type, size and the digest of
its envelope's header (`header_digest`). Keeping names and digests inside the manifest
means a server that swaps, drops or replays file envelopes is caught by the desk, and a
seized server learns no file name.

Format 2 binds each file by its envelope header where format 1 held the SHA-256 of the
plaintext: as binding, since only that header opens that payload, and neither the
server nor the desk has to hash every byte (the desk hashes what it keeps in plaintext
anyway). Format 1 came before any release and is not read.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from quietwire.crypto._errors import EnvelopeError

FORMAT = "quietwire-submission/2"
REPORT_FIELDS = ("what", "where", "when", "how_many", "how_known", "other")
HOW_KNOWN = ("saw", "witness", "hearsay")


@dataclass(frozen=True, slots=True)
class FileEntry:
    envelope: str
    position: int
    name: str
    type: str
    size: int  # of the plaintext
    header_sha256: str  # `header_digest` of the file's envelope


@dataclass(frozen=True, slots=True)
class Manifest:
    submission: str
    source: str
    received: str  # ISO 8601, cut to the hour
    lang: str
    text: str
    report: dict[str, str] = field(default_factory=dict)
    files: tuple[FileEntry, ...] = ()

    def to_bytes(self) -> bytes:
        body = asdict(self)
        body["files"] = [asdict(f) for f in self.files]
        return json.dumps({"format": FORMAT, **body}, ensure_ascii=False, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        """Parse a decrypted manifest. Raises EnvelopeError if it is not one of ours."""
        try:
            raw = json.loads(data.decode("utf-8"))
            if raw.get("format") == "quietwire-submission/1":
                raise EnvelopeError(f"a manifest in an unreleased format (this reads {FORMAT})")
            if raw.get("format") != FORMAT:
                raise EnvelopeError("not a QuietWire submission manifest")
            files = tuple(FileEntry(**_pick(f, FileEntry)) for f in raw["files"])
            report = {k: str(v) for k, v in raw.get("report", {}).items() if k in REPORT_FIELDS}
            return cls(
                submission=str(raw["submission"]),
                source=str(raw["source"]),
                received=str(raw["received"]),
                lang=str(raw["lang"]),
                text=str(raw["text"]),
                report=report,
                files=files,
            )
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise EnvelopeError("the manifest is malformed") from None


def _pick(raw: Any, cls: type) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise TypeError("file entry is not an object")
    return {f.name: raw[f.name] for f in fields(cls)}
