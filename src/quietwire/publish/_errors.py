"""The exception family of `quietwire.publish`.

    PublishError
    ├── BulletinError            a bulletin is incomplete or malformed
    ├── RedactionRefused         the redaction guard found something that must not leave the desk
    ├── SiteError                a site tree, path or upload is not acceptable
    └── BulletinSignatureError   a signature of a site or export is missing or does not verify

Messages go to editors and mirror operators; they never carry key material.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quietwire.errors import Error

if TYPE_CHECKING:
    from quietwire.publish._guard import Finding


class PublishError(Error):
    """Base of every failure in quietwire.publish."""


class BulletinError(PublishError):
    """A bulletin cannot be built as given."""


class SiteError(PublishError):
    """A site tree, a path in it or an uploaded file is not acceptable."""


class BulletinSignatureError(PublishError):
    """A published file's signature is missing, malformed or does not verify."""


class RedactionRefused(PublishError):
    """The guard refused publication; `findings` says exactly why."""

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.findings = findings
        lines = "\n".join(f"  {f.id}: {f.message}" for f in findings)
        super().__init__(
            f"the redaction guard refused publication ({len(findings)} finding(s)):\n{lines}\n"
            "fix the bulletin, or override one finding explicitly with "
            "--override FINDING-ID --reason TEXT"
        )
