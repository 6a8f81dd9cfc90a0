"""Render the public pages: one page per bulletin, the index and the archive pages.

Pages carry no JavaScript and no inline style (the public CSP forbids both); links are
relative so the same tree works on the server, under a mirror's sub-path and from a plain
file server. Arabic bulletins get `lang="ar" dir="rtl"`; list entries carry their own
language and direction so a mixed index reads correctly.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

import jinja2

from quietwire.publish._model import Bulletin

#: Bulletins on the index page; older ones go to archive-N.html pages of the same size.
PAGE_SIZE = 50

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "published": "Published",
        "date": "Date of events",
        "place": "Place",
        "event_type": "Event type",
        "grade": "Grade",
        "sources": "Independent sources",
        "signature": "signature",
        "signed_json": "Signed JSON",
        "signed": "Everything here is signed with the key in",
        "older": "Older bulletins",
        "newer": "Newer bulletins",
        "chart_title": "Incidents per week by event type",
        "chart_alt": (
            "Bar chart of incidents per week by event type; the table below has the figures."
        ),
        "week": "Week starting",
        "total": "Total",
        "no_data": "No incidents yet.",
    },
    "ar": {
        "published": "تاريخ النشر",
        "date": "تاريخ الأحداث",
        "place": "المكان",
        "event_type": "نوع الحدث",
        "grade": "التقييم",
        "sources": "مصادر مستقلة",
        "signature": "التوقيع",
        "signed_json": "نسخة JSON موقعة",
        "signed": "كل ما هنا موقّع بالمفتاح في",
        "older": "نشرات أقدم",
        "newer": "نشرات أحدث",
        "chart_title": "الحوادث أسبوعيًا حسب نوع الحدث",
        "chart_alt": "رسم بياني للحوادث أسبوعيًا حسب النوع؛ الجدول أدناه يضم الأرقام.",
        "week": "بداية الأسبوع",
        "total": "المجموع",
        "no_data": "لا حوادث بعد.",
    },
}

EVENT_TYPES: dict[str, dict[str, str]] = {
    "battles": {"en": "Battles", "ar": "معارك"},
    "explosions_remote_violence": {
        "en": "Explosions / remote violence",
        "ar": "انفجارات وعنف عن بعد",
    },
    "violence_against_civilians": {"en": "Violence against civilians", "ar": "عنف ضد المدنيين"},
    "protests": {"en": "Protests", "ar": "احتجاجات"},
    "riots": {"en": "Riots", "ar": "أعمال شغب"},
    "strategic_developments": {"en": "Strategic developments", "ar": "تطورات استراتيجية"},
}


def event_type_label(event_type: str, lang: str) -> str:
    return EVENT_TYPES.get(event_type, {}).get(lang, event_type.replace("_", " "))


@dataclass(frozen=True, slots=True)
class SiteInfo:
    title: str
    public_key: str
    lang: str = "en"


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("quietwire.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def stylesheet() -> bytes:
    """The one stylesheet every page links to (`style.css`)."""
    source = _env().loader.get_source(_env(), "style.css")  # type: ignore[union-attr]
    return source[0].encode()


def render_bulletin_page(b: Bulletin, site: SiteInfo) -> bytes:
    """The HTML page of one bulletin, in the bulletin's own language and direction."""
    published = b.published.astimezone(UTC)
    paragraphs = [p.strip() for p in b.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    html = (
        _env()
        .get_template("bulletin.html")
        .render(
            lang=b.lang,
            root="../",
            site_title=site.title,
            public_key=site.public_key,
            t=LABELS[b.lang],
            b=b,
            paragraphs=paragraphs,
            published_iso=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            published_text=published.strftime("%Y-%m-%d %H:%M UTC"),
            event_type_label=event_type_label(b.event_type, b.lang) if b.event_type else "",
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
    common = {
        "lang": site.lang,
        "root": "",
        "site_title": site.title,
        "public_key": site.public_key,
        "t": LABELS[site.lang],
        "pages": pages,
    }
    out = {
        "index.html": _env()
        .get_template("index.html")
        .render(
            **common,
            items=newest_first[:PAGE_SIZE],
            weeks=weeks,
            chart_types=chart_types,
            et_labels={et: event_type_label(et, site.lang) for et in chart_types},
        )
        .encode()
    }
    for page in range(2, pages + 1):
        chunk = newest_first[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        out[f"archive-{page}.html"] = (
            _env().get_template("archive.html").render(**common, items=chunk, page=page).encode()
        )
    return out
