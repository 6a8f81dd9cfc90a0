"""Storage: SQLAlchemy models, migrations and blob stores holding only ciphertext."""

from quietwire.store._blobs import BlobStore, FileBlobStore, PendingBlob, check_key
from quietwire.store._db import Database
from quietwire.store._errors import BlobIntegrityError, StoreError
from quietwire.store._held import UNATTACHED, held_submissions
from quietwire.store._leases import BlobCensus, LeaseKeeper, census, new_node_id, sweep_dead_nodes
from quietwire.store._models import (
    Base,
    BlobChunk,
    BlobRecord,
    DeletionRequest,
    Delivery,
    Editor,
    Envelope,
    InstanceSettings,
    NodeLease,
    Reply,
    Seal,
    Source,
    Submission,
    UnclaimedRecipient,
    UtcHour,
    new_id,
    now_hour,
)
from quietwire.store._pgblobs import PgBlobStore

__all__ = [
    "UNATTACHED",
    "Base",
    "BlobCensus",
    "BlobChunk",
    "BlobIntegrityError",
    "BlobRecord",
    "BlobStore",
    "Database",
    "DeletionRequest",
    "Delivery",
    "Editor",
    "Envelope",
    "FileBlobStore",
    "InstanceSettings",
    "LeaseKeeper",
    "NodeLease",
    "PendingBlob",
    "PgBlobStore",
    "Reply",
    "Seal",
    "Source",
    "StoreError",
    "Submission",
    "UnclaimedRecipient",
    "UtcHour",
    "census",
    "check_key",
    "held_submissions",
    "new_id",
    "new_node_id",
    "now_hour",
    "sweep_dead_nodes",
]
