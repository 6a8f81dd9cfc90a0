"""Who a report really comes from: origin keys, name matching and unnamed sources.

An origin key names one independent source: `source:<designation>` (our own intake's
opaque id), `outlet:<name>` (a publication reporting on its own account), `who:<name>`
(a source named in an attribution, such as "according to the Civil Defence"), or
`report:<id>` when a text says nothing of where it comes from.

Unnamed sources ("activists said", "according to witnesses") cannot be told apart, so,
failing closed, every unnamed source of one kind within an event counts once: two outlets
quoting "local activists" may well quote the same post.
"""

from __future__ import annotations

import re

from quietwire.verify._cluster_types import Report
from quietwire.verify._origins import fold as _fold
from quietwire.verify._origins import lookup, resolve

# Unnamed kinds of source, English and Arabic (normalised forms: no marks, folded alef).
_UNNAMED: dict[str, str] = {
    "activist": "activists",
    "activists": "activists",
    "local activists": "activists",
    "ناشطون": "activists",
    "ناشطين": "activists",
    "ناشط": "activists",
    "witness": "witnesses",
    "a witness": "witnesses",
    "an eyewitness": "witnesses",
    "witnesses": "witnesses",
    "eyewitnesses": "witnesses",
    "شهود": "witnesses",
    "شهود عيان": "witnesses",
    "شاهد": "witnesses",
    "resident": "residents",
    "residents": "residents",
    "local residents": "residents",
    "سكان": "residents",
    "اهالي": "residents",
    "source": "sources",
    "sources": "sources",
    "local sources": "sources",
    "a source": "sources",
    "مصادر": "sources",
    "مصادر محليه": "sources",
    "مصدر": "sources",
    "officials": "officials",
    "an official": "officials",
    "مسؤولون": "officials",
}


_SELF = frozenset({"our", "we"})
_ARTICLE = re.compile(r"^ال(?=[\u0621-\u064a]{3})")
_SELF_AR = frozenset({"مراسلنا", "مراسلتنا", "فريقنا", "مصادرنا", "موفدنا"})


def name_key(name: str) -> str:
    """A name folded for matching (case, Arabic letter forms, punctuation, a leading
    article), mapped to its canonical origin when data/origins.json knows it by exactly
    that name."""
    folded = _fold(name)
    found = lookup(folded)
    return found.canonical if found is not None else folded


def unnamed_kind(name: str) -> str | None:
    """The kind of an unnamed source ("activists", "witnesses"...), or None for a real name.

    Attribution spans can run long ("... killed seven people on Thursday, witnesses"), so
    the first and last one or two words are tried as well as the whole name.
    """
    words = [_ARTICLE.sub("", w) for w in _fold(name).split()]
    for cut in (
        " ".join(words),
        *(" ".join(w) for w in (words[-2:], words[-1:], words[:2], words[:1])),
    ):
        if cut in _UNNAMED:
            return _UNNAMED[cut]
    return None


def is_self(name: str) -> bool:
    """True for a text's own staff ("our correspondent", "مراسلنا"): its own account."""
    words = _fold(name).split()
    return bool(words) and (words[0] in _SELF or any(w in _SELF_AR for w in words[:2]))


def attributed_origin(name: str) -> str:
    """The origin key of a source named in an attribution: a canonical origin when the
    name holds one of its namings, else the unnamed kind, else the folded name."""
    known = resolve(name)
    if known is not None:
        return f"who:{known.canonical}"
    kind = unnamed_kind(name)
    return f"who:unnamed {kind}" if kind else f"who:{name_key(name)}"


def own_origin(report: Report) -> str:
    """The origin key of a report that attributes to no one but itself."""
    if report.source:
        return f"source:{name_key(report.source)}"
    if report.doc.outlet:
        return f"outlet:{name_key(report.doc.outlet)}"
    return f"report:{report.id}"


def aliases(report: Report) -> set[str]:
    """The folded names a report may be cited by: its outlet, its source, its id."""
    names = {name_key(report.id)}
    if report.doc.outlet:
        names.add(name_key(report.doc.outlet))
    if report.source:
        names.add(name_key(report.source))
    names.discard("")
    return names


def track_key(origin: str) -> str:
    """The track-record key of an origin: the folded name after its prefix."""
    return origin.split(":", 1)[1] if ":" in origin else origin
