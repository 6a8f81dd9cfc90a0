"""The desk's local web UI: inbox, reports, scrubbed images, downloads, replies.

Served by `quietwire desk ui` on 127.0.0.1 only, behind a per-run token, with no
JavaScript, no external resources and the same strict headers as the source app.
"""

from quietwire.desk.ui._model import DeskUIError
from quietwire.desk.ui._serve import run
from quietwire.desk.ui.app import create_app

__all__ = ["DeskUIError", "create_app", "run"]
