"""What can go wrong on the desk API side of the server.

DeskApiError
└── EditorError    an editor name that is malformed, taken or unknown
"""

from __future__ import annotations

from quietwire.errors import Error


class DeskApiError(Error):
    """Base of the desk API's deliberate failures."""


class EditorError(DeskApiError):
    """An editor account operation that cannot be done (bad, taken or unknown name)."""
