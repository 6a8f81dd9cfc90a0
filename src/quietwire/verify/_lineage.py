"""The lineage graph of one event: which report repeats which, and the original sources.

Edges point from a text to what it repeats:
- `cites`: the input line's `cites` names another member (by id, outlet or source);
- `attributes`: the text says "according to X" and X is another member's outlet or
  source, or a source outside the set (`who:X`);
- `copies`: near-duplicate text, the later one copying the earlier one;
- `echoes`: the text mentions our own bulletins or cites one of their ids. An echo (and
  anything that repeats an echo) corroborates nothing: it is our claim coming back.

Origins are the roots reached from members that are not echoes; a member with no
outgoing edge is an original on its own account (see `_independence.own_origin`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from quietwire.verify._cluster_types import ClusterSettings, LineageEdge, Report
from quietwire.verify._independence import (
    aliases,
    attributed_origin,
    is_self,
    name_key,
    own_origin,
)
from quietwire.verify._lineage_facts import counts_apart, facts_only, named_origins
from quietwire.verify._minhash import Signatures, band_buckets, normalise
from quietwire.verify._origins import cited, resolve

OURS = "who:quietwire"
_PAIRWISE_LIMIT = 300


@dataclass(frozen=True, slots=True)
class Lineage:
    edges: tuple[LineageEdge, ...]
    origins_of: dict[str, tuple[str, ...]]  # member id -> its origins; empty for echoes
    echoes: tuple[str, ...]

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(sorted({o for os in self.origins_of.values() for o in os}))


def _order(report: Report) -> tuple[date, str]:
    return (report.doc.published or date.max, report.id)


def _mentions_us(report: Report, own: Sequence[str]) -> str | None:
    text = normalise(report.doc.text)
    for name in own:
        if name and name in text:
            return name
    return None


def _copy_edges(
    members: Sequence[Report], rows: Sequence[int], sigs: Signatures, threshold: float
) -> list[LineageEdge]:
    """Later near-duplicates point at the earliest text they duplicate."""
    sub = sigs[np.asarray(rows, dtype=np.int64)]
    pairs: set[tuple[int, int]] = set()
    if len(members) <= _PAIRWISE_LIMIT:
        equal = (sub[:, None, :] == sub[None, :, :]).mean(axis=2)
        empty = (sub == np.uint32(0xFFFFFFFF)).all(axis=1)
        equal[empty, :] = 0.0
        equal[:, empty] = 0.0
        i_idx, j_idx = np.nonzero(np.triu(equal >= threshold, k=1))
        pairs = set(zip(i_idx.tolist(), j_idx.tolist(), strict=True))
    else:
        rows_per = 4 if sub.shape[1] % 4 == 0 else 1
        for group in band_buckets(sub, sub.shape[1] // rows_per):
            g = group.tolist()
            for k in g[1:]:
                if float((sub[g[0]] == sub[k]).mean()) >= threshold:
                    pairs.add((min(g[0], k), max(g[0], k)))
    parent: dict[int, int] = {}
    for i, j in pairs:
        early, late = sorted((i, j), key=lambda k: _order(members[k]))
        if late not in parent or _order(members[early]) < _order(members[parent[late]]):
            parent[late] = early
    return [
        LineageEdge(
            members[late].id, members[early].id, "copies", "near-duplicate text, published later"
        )
        for late, early in sorted(parent.items())
    ]


def build_lineage(
    members: Sequence[Report], rows: Sequence[int], sigs: Signatures, settings: ClusterSettings
) -> Lineage:
    """The lineage graph of one event's `members` (`rows` index their signatures)."""
    own = [normalise(n) for n in settings.own_names]
    ids = {r.id for r in members}
    by_alias: dict[str, list[Report]] = {}
    for r in sorted(members, key=_order):
        for a in aliases(r):
            by_alias.setdefault(a, []).append(r)
    edges: list[LineageEdge] = []
    for r in members:
        mine = aliases(r)
        hit = _mentions_us(r, own)
        if hit:
            edges.append(LineageEdge(r.id, OURS, "echoes", f"mentions our bulletins ({hit})"))
        for c in r.cites:
            if c in settings.own_bulletin_ids:
                edges.append(LineageEdge(r.id, OURS, "echoes", f"cites our bulletin {c}"))
                continue
            key = name_key(c)
            if key in mine:
                continue
            targets = [t for t in by_alias.get(key, []) if t.id != r.id]
            if targets:
                edges.append(LineageEdge(r.id, targets[0].id, "cites", f"cites {c}"))
            elif key:
                edges.append(LineageEdge(r.id, f"who:{key}", "cites", f"cites {c}"))
        # A text that names another member as its source (via `cites`) most likely
        # means that member by any name it gives but we cannot resolve: fail closed.
        cites_member = any(e.child == r.id and e.kind == "cites" and e.parent in ids for e in edges)
        support: dict[str, list[tuple[int, int]]] = {}
        known_here = bool(cited(r.doc.text)) or any(
            resolve(a.source) is not None for a in r.extraction.attributions
        )
        for att in r.extraction.attributions:
            key = name_key(att.source)
            if not key or key in mine or is_self(att.source):
                continue
            if any(n in normalise(att.source) for n in own if n):
                edges.append(LineageEdge(r.id, OURS, "echoes", f"attributes to us: {att.source}"))
                continue
            # Prefer a text published no later; dates are coarse, so fall back to any.
            others = [t for t in by_alias.get(key, []) if t.id != r.id]
            targets = [t for t in others if _order(t) <= _order(r)] or others
            if targets:
                why = f'{att.cue} "{att.source}", another report here'
                edges.append(LineageEdge(r.id, targets[0].id, "attributes", why))
            elif not cites_member:
                if not counts_apart(att.source, att.recipient, mine, known_here):
                    continue
                why = f'{att.cue} "{att.source}"'
                who = attributed_origin(att.source)
                edges.append(LineageEdge(r.id, who, "attributes", why))
                support.setdefault(who, []).append(att.content_span)
                if (
                    att.cites
                    and name_key(att.cites) not in mine
                    and counts_apart(att.cites, None, mine, known_here)
                ):
                    # "X, quoting Y": X passed on what Y said; Y is the origin.
                    up = [t for t in by_alias.get(name_key(att.cites), []) if t.id != r.id]
                    parent = up[0].id if up else attributed_origin(att.cites)
                    if any(n in normalise(att.cites) for n in own if n):
                        edges.append(LineageEdge(r.id, OURS, "echoes", f"via {att.cites}"))
                    elif parent != who:
                        edges.append(LineageEdge(who, parent, "attributes", f"quoting {att.cites}"))
        if not cites_member:
            for edge, span in named_origins(r, mine, by_alias, edges):
                edges.append(edge)
                support.setdefault(edge.parent, []).append(span)
        edges = facts_only(r, edges, support)
    linked = {(e.child, e.parent) for e in edges}
    edges += [
        e
        for e in _copy_edges(members, rows, sigs, settings.near_duplicate)
        if (e.child, e.parent) not in linked
    ]
    return _resolve(members, edges)


def _resolve(members: Sequence[Report], edges: list[LineageEdge]) -> Lineage:
    out: dict[str, list[str]] = {}
    for e in edges:
        out.setdefault(e.child, []).append(e.parent)
    by_id = {r.id: r for r in members}
    memo: dict[str, frozenset[str]] = {}

    def roots(node: str, path: frozenset[str]) -> frozenset[str]:
        if node in memo:
            return memo[node]
        parents = [p for p in out.get(node, []) if p not in path]
        if not parents:
            found = frozenset({own_origin(by_id[node])}) if node in by_id else frozenset({node})
        else:
            found = frozenset().union(*(roots(p, path | {node}) for p in parents))
        memo[node] = found
        return found

    origins_of: dict[str, tuple[str, ...]] = {}
    echoes: list[str] = []
    for r in members:
        found = roots(r.id, frozenset())
        if OURS in found:
            echoes.append(r.id)
            origins_of[r.id] = ()
        else:
            origins_of[r.id] = tuple(sorted(found))
    return Lineage(tuple(edges), origins_of, tuple(sorted(echoes)))
