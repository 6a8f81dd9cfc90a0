"""What can go wrong at the editor's desk.

DeskError
├── WorkspaceError     no workspace, a damaged one, or one that exists already
├── IdentityError      the identity file is missing, malformed, or the passphrase is wrong
├── ServerError        the desk API refused a request (bad token, not found, bad reply)
│   └── Unreachable    the server did not answer or the connection broke: run again to resume
└── NotFound           no such submission, source or file in the workspace
"""

from __future__ import annotations

from quietwire.errors import Error


class DeskError(Error):
    """Base of the desk's deliberate failures."""


class WorkspaceError(DeskError):
    pass


class IdentityError(DeskError):
    pass


class ServerError(DeskError):
    pass


class Unreachable(ServerError):
    pass


class NotFound(DeskError):
    pass
