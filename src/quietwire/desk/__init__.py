"""The editor's desk: pull, verify, decrypt and scrub submissions locally; reply to sources.

Plaintext exists only here, on the editor's machine. `Workspace` is the Python API the
CLI (`quietwire desk`) and the local web UI are built on.
"""

from quietwire.desk._designation import designation_for
from quietwire.desk._errors import (
    DeskError,
    IdentityError,
    NotFound,
    ServerError,
    Unreachable,
    WorkspaceError,
)
from quietwire.desk._pull import PullInterrupted, PullReport
from quietwire.desk._views import FileView, ReplyView, SourceView, SubmissionView
from quietwire.desk._workspace import Workspace

__all__ = [
    "DeskError",
    "FileView",
    "IdentityError",
    "NotFound",
    "PullInterrupted",
    "PullReport",
    "ReplyView",
    "ServerError",
    "SourceView",
    "SubmissionView",
    "Unreachable",
    "Workspace",
    "WorkspaceError",
    "designation_for",
]
