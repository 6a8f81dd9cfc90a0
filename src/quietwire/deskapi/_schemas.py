"""The desk API's wire format (pydantic: this is the edge the OpenAPI spec describes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints


class EnvelopeOut(BaseModel):
    id: str = Field(description="Opaque envelope id.")
    kind: str = Field(description="'manifest' (position 0) or 'file'.")
    position: int
    size: int = Field(description="Size of the age file in bytes.")


class SubmissionOut(BaseModel):
    cursor: str = Field(description="Opaque; pass as `after` to list what follows.")
    id: str
    source: str = Field(description="The source's opaque id.")
    created: datetime = Field(description="Cut to the hour (UTC).")
    size: int
    envelopes: list[EnvelopeOut]


class SubmissionPage(BaseModel):
    submissions: list[SubmissionOut]
    next: str | None = Field(description="Cursor for the next page; null when done.")


class AckOut(BaseModel):
    deleted: bool = Field(description="True if every editor has it now and it was deleted.")


class AckManyIn(BaseModel):
    submissions: list[Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]] = Field(
        max_length=500
    )


class AckManyOut(BaseModel):
    acknowledged: list[str] = Field(description="Ids acknowledged for this editor.")
    deleted: list[str] = Field(description="Ids every editor now has, deleted from the server.")
    unknown: list[str] = Field(description="Ids never delivered to this editor (or gone).")


class EnvelopeBatchIn(BaseModel):
    envelopes: list[Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]] = Field(
        max_length=500, description="Envelope ids, as listed with the submissions."
    )


class EnvelopeDataOut(BaseModel):
    id: str
    data: str = Field(description="The whole age file, base64 (standard alphabet, padded).")


class EnvelopeBatchOut(BaseModel):
    envelopes: list[EnvelopeDataOut] = Field(description="In the order asked for.")
    missing: list[str] = Field(description="Ids not delivered to this editor (or gone).")


class SourceOut(BaseModel):
    id: str
    reply_recipient: str = Field(description="age1... public key replies are encrypted to.")
    created: datetime


class DeletionOut(BaseModel):
    deleted: bool = Field(description="False: held for the editors who have not fetched it.")
    waiting_for: int = Field(description="How many other editors have yet to fetch or agree.")


class ReplyOut(BaseModel):
    id: str


class EditorOut(BaseModel):
    name: str


class Problem(BaseModel):
    detail: str
