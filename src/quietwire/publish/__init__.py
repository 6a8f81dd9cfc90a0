"""Publishing: signed bulletins, the public site, feeds, and the redaction guard.

The desk renders and signs the whole public site (`write_site`, `bulletin_files`,
`refresh_aggregates`) after the redaction guard (`check_bulletin`) lets a bulletin through;
the server only stores the files and serves them (`create_public_app`). Anyone can check a
site or a mirror with `verify_site`. Errors: see `quietwire.publish._errors`.
"""

from quietwire.publish._errors import (
    BulletinError,
    BulletinSignatureError,
    PublishError,
    RedactionRefused,
    SiteError,
)
from quietwire.publish._guard import (
    Finding,
    GuardContext,
    GuardPolicy,
    SourceRecord,
    check_bulletin,
    enforce,
    normalise,
)
from quietwire.publish._model import (
    DEFAULT_PRECISION,
    Bulletin,
    Media,
    Place,
    coarsen,
    from_canonical_json,
    to_canonical_json,
)
from quietwire.publish._public import create_public_app
from quietwire.publish._render import SiteInfo
from quietwire.publish._site import (
    bulletin_files,
    check_site_path,
    delete_site_file,
    is_shrinking_aggregate,
    iter_tree,
    refresh_aggregates,
    sha256_hex,
    site_target,
    tree_hashes,
    write_atomic,
    write_site,
)
from quietwire.publish._verify import SiteReport, verify_file, verify_site

__all__ = [
    "DEFAULT_PRECISION",
    "Bulletin",
    "BulletinError",
    "BulletinSignatureError",
    "Finding",
    "GuardContext",
    "GuardPolicy",
    "Media",
    "Place",
    "PublishError",
    "RedactionRefused",
    "SiteError",
    "SiteInfo",
    "SiteReport",
    "SourceRecord",
    "bulletin_files",
    "check_bulletin",
    "check_site_path",
    "coarsen",
    "create_public_app",
    "delete_site_file",
    "enforce",
    "from_canonical_json",
    "is_shrinking_aggregate",
    "iter_tree",
    "normalise",
    "refresh_aggregates",
    "sha256_hex",
    "site_target",
    "to_canonical_json",
    "tree_hashes",
    "verify_file",
    "verify_site",
    "write_atomic",
    "write_site",
]
