"""The desk API: the server side of the editors' desk (its own listener, token-protected).

`create_app(instance)` builds the FastAPI app; `add_editor`/`list_editors`/`revoke_editor`
manage the editor accounts behind `quietwire editors`, `list_recipients`/`add_recipient`/
`remove_recipient` the keys behind `quietwire recipients`, `check_recipients` what
`doctor` and `serve` say about them.
"""

from quietwire.deskapi._app import MAX_REPLY_BYTES, create_app
from quietwire.deskapi._deletion import (
    DeletionOutcome,
    delete_source_now,
    pending_requests,
    request_deletion,
)
from quietwire.deskapi._editors import (
    EditorInfo,
    add_editor,
    hash_token,
    list_editors,
    revoke_editor,
    set_recipient,
)
from quietwire.deskapi._errors import DeskApiError, EditorError
from quietwire.deskapi._recipients import (
    RecipientChecks,
    RecipientInfo,
    add_recipient,
    check_recipients,
    list_recipients,
    remove_recipient,
)
from quietwire.deskapi._service import list_sources, purge_expired

__all__ = [
    "MAX_REPLY_BYTES",
    "DeletionOutcome",
    "DeskApiError",
    "EditorError",
    "EditorInfo",
    "RecipientChecks",
    "RecipientInfo",
    "add_editor",
    "add_recipient",
    "check_recipients",
    "create_app",
    "delete_source_now",
    "hash_token",
    "list_editors",
    "list_recipients",
    "list_sources",
    "pending_requests",
    "purge_expired",
    "remove_recipient",
    "request_deletion",
    "revoke_editor",
    "set_recipient",
]
