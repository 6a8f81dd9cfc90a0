"""Render the public pages: bulletins, the index and archive pages, the About pages.

Pages carry no JavaScript and no inline style (the public CSP forbids both); links are
relative so the same tree works on the server, under a mirror's sub-path and from a plain
file server. Arabic bulletins get `lang="ar" dir="rtl"`; list entries carry their own
language and direction so a mixed index reads correctly. The site's look (its name, a short
description, an accent colour) comes from `SiteInfo` and reaches the page through the one
stylesheet, never through a style attribute.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date
from typing import Any

from quietwire.publish._errors import SiteError
from quietwire.publish._labels import (
    CREDIBILITY,
    LABELS,
    RELIABILITY,
    digits,
    event_type_label,
    grade_words,
    long_date,
    short_date,
)
from quietwire.publish._model import LANGS, Bulletin
from quietwire.publish._templates import env

#: One colour per event type, the same on every chart and legend of every site.
TYPE_COLOURS = {
    "battles": "#b2182b",
    "explosions_remote_violence": "#ef8a62",
    "violence_against_civilians": "#762a83",
    "protests": "#2166ac",
    "riots": "#67a9cf",
    "strategic_developments": "#1b7837",
    "untyped": "#878787",
}

#: Bulletins on the index page; older ones go to archive-N.html pages of the same size.
PAGE_SIZE = 50
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
DIGIT_STYLES = ("latin", "arab")


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What a site says about itself. `accent` is a CSS colour `#rrggbb` (checked: it goes
    into the stylesheet); `digits` is "arab" for Arabic-Indic digits on Arabic pages."""

    title: str
    public_key: str
    lang: str = "en"
    description: str = ""
    accent: str = "#8a1c1c"
    digits: str = "latin"

    def __post_init__(self) -> None:
        if not _COLOUR.fullmatch(self.accent):
            raise SiteError("the accent colour is written #rrggbb")
        if self.digits not in DIGIT_STYLES:
            raise SiteError("digits are latin or arab")
        if self.lang not in LANGS:
            raise SiteError(f"the site language is one of {', '.join(LANGS)}")


def stylesheet(site: SiteInfo) -> bytes:
    """The one stylesheet every page links to (`style.css`), in the site's accent colour."""
    return env().get_template("style.css").render(accent=site.accent).encode()


def _common(site: SiteInfo, lang: str, root: str) -> dict[str, Any]:
    style = site.digits

    def num(value: object) -> str:
        return digits(str(value), lang, style)

    return {
        "lang": lang,
        "root": root,
        "site": site,
        "t": LABELS[lang],
        "num": num,
        "long_date": lambda d: long_date(d, lang, style),
        "type_label": lambda et: event_type_label(et, lang),
    }


def render_bulletin_page(b: Bulletin, site: SiteInfo) -> bytes:
    """The HTML page of one bulletin, in the bulletin's own language and direction."""
    published = b.published.astimezone(UTC)
    paragraphs = [p.strip() for p in b.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = (
        env()
        .get_template("bulletin.html")
        .render(
            **_common(site, b.lang, "../"),
            b=b,
            paragraphs=paragraphs,
            published_iso=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            published_day=published.date(),
            grade_words=grade_words(b.grade, b.lang) if b.grade else "",
        )
    )
    return html.encode()


def render_index_pages(
    newest_first: Sequence[Bulletin],
    site: SiteInfo,
    weeks: Sequence[tuple[str, dict[str, int]]],
    chart_types: Sequence[str],
) -> dict[str, bytes]:
    """`index.html` (newest bulletins, the chart and its table) and `archive-N.html` pages."""
    pages = max(1, -(-len(newest_first) // PAGE_SIZE))
    common = {**_common(site, site.lang, ""), "pages": pages}
    out = {
        "index.html": env()
        .get_template("index.html")
        .render(
            **common,
            items=newest_first[:PAGE_SIZE],
            weeks=weeks,
            chart_types=chart_types,
            week_label=lambda w: short_date(date.fromisoformat(w), site.lang, site.digits),
            colours=TYPE_COLOURS,
        )
        .encode()
    }
    for page in range(2, pages + 1):
        chunk = newest_first[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        out[f"archive-{page}.html"] = (
            env().get_template("archive.html").render(**common, items=chunk, page=page).encode()
        )
    return out


def render_about_pages(site: SiteInfo) -> dict[str, bytes]:
    """`about-en.html` and `about-ar.html`: the key, how to verify with stock minisign, and
    what each part of a grade means; a bulletin links to the one in its own language."""
    return {
        f"about-{lang}.html": env()
        .get_template("about.html")
        .render(
            **_common(site, lang, ""),
            reliability=[(k, v[lang]) for k, v in RELIABILITY.items()],
            credibility=[(k, v[lang]) for k, v in CREDIBILITY.items()],
        )
        .encode()
        for lang in LANGS
    }
