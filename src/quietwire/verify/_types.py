"""Records the verify engine produces and consumes.

These mirror the JSON contract of `quietwire verify extract` and `quietwire verify cluster`
(field names are the contract; see docs/verify.md). Spans are [start, end) character offsets
into the input text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from quietwire.errors import Error

EventType = Literal[
    "battles",
    "explosions_remote_violence",
    "violence_against_civilians",
    "protests",
    "riots",
    "strategic_developments",
]
Qualifier = Literal["exact", "about", "at_least", "at_most", "range", "vague"]
Span = tuple[int, int]


class VerifyError(Error):
    """The verify engine cannot use its input (an unreadable file, a malformed document)."""


@dataclass(frozen=True, slots=True)
class Document:
    """One input text: a source's report or a news article."""

    id: str
    text: str
    lang: str | None = None
    published: date | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Attribution:
    source: str
    cue: str
    recipient: str | None
    content: str
    content_span: Span
    cites: str | None = None  # the earlier link this source passed the claim on from
    #: Where the source is named (None for an unnamed one: "reportedly"), and the cue.
    source_span: Span | None = None
    cue_span: Span | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    text: str
    span: Span
    low: float | None
    high: float | None  # None when the interval is open above
    qualifier: Qualifier
    counts: str | None


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    span: Span
    lat: float | None
    lon: float | None
    country_code: str | None
    #: The gazetteer id, the same in every language ("gn:172955" for Raqqa and الرقة).
    id: str | None = None
    #: The units that contain the place, nearest first ("SY.04" its governorate, "SY").
    ancestors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str
    span: Span
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    canonical: str
    span: Span


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything `extract` finds in one Document."""

    id: str
    lang: str
    event_type: EventType | None
    sub_event_type: str | None
    attributions: tuple[Attribution, ...] = field(default_factory=tuple)
    quantities: tuple[Quantity, ...] = field(default_factory=tuple)
    places: tuple[Place, ...] = field(default_factory=tuple)
    dates: tuple[DateMention, ...] = field(default_factory=tuple)
    actors: tuple[Actor, ...] = field(default_factory=tuple)
