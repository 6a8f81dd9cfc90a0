"""Records of the cross-document half of verify: reports in, events out.

    Error
    └── VerifyError
        └── ClusterError        (bad settings, a bad track record, a bad input record)

A `Report` is one input text with what `extract` found in it and the little we know of
where it came from (`source`, `outlet`, `cites`, `url`). An `Event` is what `cluster`
returns: the reports that describe one happening, the lineage graph that shows who
repeated whom, the independent origins, contradictions and an Admiralty grade.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from quietwire.verify._types import Document, EventType, Extraction, VerifyError

EdgeKind = Literal["attributes", "cites", "copies", "echoes"]


class ClusterError(VerifyError):
    """Clustering cannot go on: a bad setting, track record or input record."""


@dataclass(frozen=True, slots=True)
class Report:
    """One input text, its extraction and its provenance as given on the input line."""

    doc: Document
    extraction: Extraction
    source: str | None = None
    cites: tuple[str, ...] = ()
    url: str | None = None

    @property
    def id(self) -> str:
        return self.doc.id


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """How often a source's past reports were confirmed or refuted by the desk."""

    confirmed: int
    refuted: int


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Knobs of `cluster`; the defaults are the ones the gold set was scored with.

    `window_days`: how far apart the dates two reports of one event mention may lie.
    `publish_lag_days`: how long after an event a report without a date of its own (only
    a publication date) may still be about it.

    `text_similar`: the TF-IDF cosine plus field evidence at which two reports' words join
    them (the paraphrase step, `_cluster_links`).

    `own_names` are the names and URL fragments of our own bulletins: a report that
    mentions one (or cites one of `own_bulletin_ids`) echoes us and corroborates nothing.
    """

    window_days: int = 1
    publish_lag_days: int = 2
    near_duplicate: float = 0.7
    text_link: float = 0.35
    text_similar: float = 0.30
    num_perm: int = 32
    bands: int = 8
    own_names: tuple[str, ...] = ("quietwire", "quiet wire", "كوايت واير")
    own_bulletin_ids: frozenset[str] = frozenset()
    min_track_record: int = 5
    contradiction_ratio: float = 1.25
    contradiction_gap: float = 2.0

    def __post_init__(self) -> None:
        if self.window_days < 0 or self.publish_lag_days < 0:
            raise ClusterError("window_days and publish_lag_days must be zero or more")
        if not (
            0.0 < self.near_duplicate <= 1.0
            and 0.0 < self.text_link <= 1.0
            and 0.0 < self.text_similar <= 1.0
        ):
            raise ClusterError("similarity thresholds must lie in (0, 1]")
        if self.num_perm <= 0 or self.bands <= 0 or self.num_perm % self.bands:
            raise ClusterError("num_perm must be a positive multiple of bands")


@dataclass(frozen=True, slots=True)
class LineageEdge:
    """`child` repeats `parent`: `parent` is a report id or an origin key (`who:...`)."""

    child: str
    parent: str
    kind: EdgeKind
    why: str


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a contradiction: the reports, their origins and their interval."""

    reports: tuple[str, ...]
    origins: tuple[str, ...]
    low: float | None
    high: float | None
    actors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Contradiction:
    kind: Literal["quantity", "actors"]
    counts: str | None
    a: Side
    b: Side
    why: str


@dataclass(frozen=True, slots=True)
class QuantitySummary:
    """Airwars-style: the smallest and the largest figure reported, never averaged."""

    counts: str
    min: float
    max: float | None  # None when some report gives an interval open above
    reports: int


@dataclass(frozen=True, slots=True)
class Event:
    """One happening, as `cluster` found it across the reports."""

    event: str
    members: tuple[str, ...]
    origins: tuple[str, ...]
    independent_sources: int
    reliability: str
    credibility: int
    contradictions: tuple[Contradiction, ...]
    event_type: EventType | None
    place: str | None
    date_range: tuple[date, date] | None
    lineage: tuple[LineageEdge, ...]
    echoes: tuple[str, ...]
    quantities: tuple[QuantitySummary, ...]
    why: tuple[str, ...] = field(default_factory=tuple)

    @property
    def grade(self) -> str:
        return f"{self.reliability}{self.credibility}"
