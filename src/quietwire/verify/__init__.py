"""quietwire.verify

The clustering names load on first use: they pull in numpy (a fifth of a second), which
`quietwire verify extract` never needs, and the CLI's start-up is part of its cost.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from quietwire.verify._cluster_score import BCubed, bcubed
from quietwire.verify._cluster_types import (
    ClusterError,
    ClusterSettings,
    Contradiction,
    Event,
    LineageEdge,
    Report,
    SourceRecord,
)
from quietwire.verify._document_io import decode_line, document_from_json
from quietwire.verify._events import EVENT_TYPES, SUB_EVENT_TYPES
from quietwire.verify._extract import extract, extract_many, to_json
from quietwire.verify._places import GazEntry, Gazetteer, GeonamesGazetteer
from quietwire.verify._types import (
    Actor,
    Attribution,
    DateMention,
    Document,
    Extraction,
    Place,
    Quantity,
    VerifyError,
)

if TYPE_CHECKING:
    from quietwire.verify._cluster_events import cluster
    from quietwire.verify._cluster_io import (
        event_to_json,
        report_from_json,
        track_record_from_json,
    )

_LAZY = {
    "cluster": "quietwire.verify._cluster_events",
    "event_to_json": "quietwire.verify._cluster_io",
    "report_from_json": "quietwire.verify._cluster_io",
    "track_record_from_json": "quietwire.verify._cluster_io",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'quietwire.verify' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "EVENT_TYPES",
    "SUB_EVENT_TYPES",
    "Actor",
    "Attribution",
    "BCubed",
    "ClusterError",
    "ClusterSettings",
    "Contradiction",
    "DateMention",
    "Document",
    "Event",
    "Extraction",
    "GazEntry",
    "Gazetteer",
    "GeonamesGazetteer",
    "LineageEdge",
    "Place",
    "Quantity",
    "Report",
    "SourceRecord",
    "VerifyError",
    "bcubed",
    "cluster",
    "decode_line",
    "document_from_json",
    "event_to_json",
    "extract",
    "extract_many",
    "report_from_json",
    "to_json",
    "track_record_from_json",
]
