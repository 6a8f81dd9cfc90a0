"""The one Jinja environment of the public site's templates (pages, stylesheet, chart)."""

from __future__ import annotations

import functools

import jinja2


@functools.cache
def env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("quietwire.publish", "templates"),
        autoescape=jinja2.select_autoescape(("html", "svg")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
