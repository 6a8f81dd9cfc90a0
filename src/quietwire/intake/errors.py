"""What can go wrong on the source side. A source sees a translated page, never these texts.

IntakeError
├── SubmissionTooLarge   over the per-submission limit (413)
├── BadSubmission        malformed multipart, too many parts, bad encoding (400)
├── EmptySubmission      nothing to send (400)
├── Busy                 throttled or the key-derivation pool is full (503)
└── NotLoggedIn          no session, or it expired (401 -> login page)
"""

from quietwire.errors import Error


class IntakeError(Error):
    status = 400
    page = "error"


class SubmissionTooLarge(IntakeError):
    status = 413
    page = "too_large"


class BadSubmission(IntakeError):
    status = 400
    page = "bad_request"


class EmptySubmission(IntakeError):
    status = 400
    page = "empty"


class Busy(IntakeError):
    status = 503
    page = "busy"

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"busy; retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


class NotLoggedIn(IntakeError):
    status = 401
    page = "expired"
