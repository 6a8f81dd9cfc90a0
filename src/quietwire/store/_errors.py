"""Failures of the database and the blob store.

StoreError
└── BlobIntegrityError   a blob is missing, incomplete or not what its row says
"""

from quietwire.errors import Error


class StoreError(Error):
    """The database or the blob store failed."""


class BlobIntegrityError(StoreError):
    """A blob is missing, incomplete, or does not match its record."""
