"""Storage: SQLAlchemy models, migrations and blob stores holding only ciphertext."""

from quietwire.store._blobs import BlobStore, FileBlobStore, PendingBlob, check_key
from quietwire.store._db import Database
from quietwire.store._errors import BlobIntegrityError, StoreError
from quietwire.store._models import (
    Base,
    BlobChunk,
    BlobRecord,
    Delivery,
    Editor,
    Envelope,
    Reply,
    Source,
    Submission,
    UtcHour,
    new_id,
    now_hour,
)
from quietwire.store._pgblobs import PgBlobStore

__all__ = [
    "Base",
    "BlobChunk",
    "BlobIntegrityError",
    "BlobRecord",
    "BlobStore",
    "Database",
    "Delivery",
    "Editor",
    "Envelope",
    "FileBlobStore",
    "PendingBlob",
    "PgBlobStore",
    "Reply",
    "Source",
    "StoreError",
    "Submission",
    "UtcHour",
    "check_key",
    "new_id",
    "now_hour",
]
