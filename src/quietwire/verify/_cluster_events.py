"""`cluster`: from reports to graded events."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence

from quietwire.verify._cluster import Keys, group_reports, keys_of, majority
from quietwire.verify._cluster_evidence import profile
from quietwire.verify._cluster_links import TextEvidence
from quietwire.verify._cluster_text import terms, vectors
from quietwire.verify._cluster_types import (
    ClusterError,
    ClusterSettings,
    Event,
    Report,
    SourceRecord,
)
from quietwire.verify._contradictions import (
    actor_contradictions,
    quantity_contradictions,
    summarise,
)
from quietwire.verify._grading import credibility, reliability
from quietwire.verify._independence import own_origin
from quietwire.verify._lineage import build_lineage
from quietwire.verify._minhash import Signatures, shingle_hashes, signatures
from quietwire.verify._types import EventType

Progress = Callable[[str, int], None]


def cluster(
    reports: Sequence[Report],
    settings: ClusterSettings | None = None,
    track_record: Mapping[str, SourceRecord] | None = None,
    progress: Progress | None = None,
) -> list[Event]:
    """Group `reports` into events, trace their lineage, find contradictions and grade them.

    Every report lands in exactly one event (an event may hold one report). Events come
    in the order of their first report. `track_record` maps a folded source name (see
    `name_key`) to its record; a source missing from it grades F. `progress`, if given,
    is called with a stage name and how many reports that stage just finished.
    Raises ClusterError when two reports share an id.
    """
    settings = settings or ClusterSettings()
    records = track_record or {}
    seen: set[str] = set()
    for r in reports:
        if r.id in seen:
            raise ClusterError(f"two reports share the id {r.id!r}")
        seen.add(r.id)
    keys = [keys_of(r) for r in reports]
    shingles = [shingle_hashes(r.doc.text) for r in reports]
    if progress:
        progress("shingle", len(reports))
    sigs = signatures(shingles, settings.num_perm)
    del shingles
    if progress:
        progress("minhash", len(reports))

    def tick(n: int) -> None:
        if progress:
            progress("group", n)

    text = TextEvidence(
        vectors(terms(r.doc.text) for r in reports),
        [profile(r, settings) for r in reports],
    )
    if progress:
        progress("tf-idf", len(reports))
    groups = group_reports(keys, sigs, settings, tick, text)
    events = []
    for rows in groups:
        events.append(_event([reports[i] for i in rows], rows, keys, sigs, settings, records))
        if progress:
            progress("grade", len(rows))
    return events


def _event(
    members: list[Report],
    rows: list[int],
    keys: Sequence[Keys],
    sigs: Signatures,
    settings: ClusterSettings,
    records: Mapping[str, SourceRecord],
) -> Event:
    ids = tuple(r.id for r in members)
    digest = hashlib.blake2b("\x1f".join(sorted(ids)).encode(), digest_size=8).hexdigest()
    mine = [keys[i] for i in rows]
    event_type: EventType | None = majority(k.event_type for k in mine)
    lineage = build_lineage(members, rows, sigs, settings)
    origins = lineage.origins
    # Echoes of our own bulletins get no say: neither in contradictions nor in figures.
    echoes = set(lineage.echoes)
    heard = [r for r in members if r.id not in echoes]
    contradictions = quantity_contradictions(heard, lineage.origins_of, settings)
    contradictions += actor_contradictions(heard, lineage.origins_of, event_type)
    letter, letters = reliability(origins, records, settings.min_track_record)
    # Who published: outlets (or our own sources), echoes left out. Origins behind one
    # publisher are its quotes, and quotes alone never confirm (fail closed).
    voices = len({own_origin(r) for r in heard})
    number, reason = credibility(len(origins), contradictions, voices)
    days = [k.day for k in mine if k.day is not None]
    why = [f"{len(members)} report(s), {len(lineage.echoes)} echo(es) of our own bulletins"]
    why.append(f"{len(origins)} independent origin(s): {', '.join(origins) or 'none'}")
    judged = [f"{o}={v}" for o, v in sorted(letters.items()) if v != "F"]
    why.append(
        f"reliability {letter}: "
        + ("; ".join(judged) if judged else "no origin has a track record long enough")
    )
    why.append(f"credibility {number}: {reason}")
    why += [c.why for c in contradictions]
    return Event(
        event=f"ev-{digest}",
        members=ids,
        origins=origins,
        independent_sources=len(origins),
        reliability=letter,
        credibility=number,
        contradictions=tuple(contradictions),
        event_type=event_type,
        place=majority(k.place_label for k in mine),
        date_range=(min(days), max(days)) if days else None,
        lineage=lineage.edges,
        echoes=lineage.echoes,
        quantities=summarise(heard),
        why=tuple(why),
    )
