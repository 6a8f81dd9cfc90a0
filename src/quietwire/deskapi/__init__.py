"""The desk API: the server side of the editors' desk (its own listener, token-protected).

`create_app(instance)` builds the FastAPI app; `add_editor`/`list_editors`/`revoke_editor`
manage the editor accounts behind `quietwire editors`.
"""

from quietwire.deskapi._app import MAX_REPLY_BYTES, create_app
from quietwire.deskapi._editors import (
    EditorInfo,
    add_editor,
    hash_token,
    list_editors,
    revoke_editor,
)
from quietwire.deskapi._errors import DeskApiError, EditorError
from quietwire.deskapi._service import delete_source, purge_expired

__all__ = [
    "MAX_REPLY_BYTES",
    "DeskApiError",
    "EditorError",
    "EditorInfo",
    "add_editor",
    "create_app",
    "delete_source",
    "hash_token",
    "list_editors",
    "purge_expired",
    "revoke_editor",
]
