"""Whom one report cites for an event's facts (the per-report half of the lineage).

- `counts_apart`: a quoted person is the article's own reporting, not an origin;
- `named_origins`: known origins the text names with a reporting word, which the
  attribution rules may have missed;
- `facts_only`: when some of the origins a report names are cited for the figures (a
  casualty count inside what they said, or in the sentence naming them), the others are
  context ("the UN has called for restraint") and are dropped: an item's origin is whom
  it cites for the event's facts, else its outlet.
"""

from __future__ import annotations

from quietwire.verify._cluster_types import LineageEdge, Report
from quietwire.verify._independence import is_self, name_key, unnamed_kind
from quietwire.verify._origins import citations, organisation_like, resolve
from quietwire.verify._types import Span

_DETERMINER = frozenset({"the", "its", "their", "a", "an", "this", "that", "his", "her"})


def _generic(source: str) -> bool:
    """'the war monitor', 'its network of sources': a description, not a name of its own
    (a determiner, then lower-case words only)."""
    words = source.split()
    return (
        len(words) > 1
        and words[0].casefold() in _DETERMINER
        and all(w.islower() for w in words[1:])
    )


def counts_apart(source: str, recipient: str | None, mine: set[str], known_here: bool) -> bool:
    """Whether a quoted source is an origin of its own, apart from the report quoting it.

    Known origins (data/origins.json), bodies and offices, and unnamed kinds are. A
    private person an article quotes is the article's own reporting: seven quoted people
    are one article, not seven sources, unless the outlet reached the witness itself
    ("told Reuters" in Reuters' own report, "told our correspondent").
    `known_here`: the report names a known origin somewhere.
    """
    if resolve(source) is not None or unnamed_kind(source):
        return True
    if organisation_like(source):
        # Once the text names a known origin, "the war monitor said" refers back to it.
        return not (known_here and _generic(source))
    return recipient is not None and (is_self(recipient) or name_key(recipient) in mine)


def named_origins(
    r: Report, mine: set[str], by_alias: dict[str, list[Report]], edges: list[LineageEdge]
) -> list[tuple[LineageEdge, Span]]:
    """Edges to the known origins the text names with a reporting word that no
    attribution already leads to ("..., the Britain-based monitor said" missed by the
    attribution rules): the report's facts come from them, not from its outlet."""
    have = {e.parent for e in edges if e.child == r.id}
    out = []
    for origin, span in citations(r.doc.text):
        key = origin.canonical
        members = [t for t in by_alias.get(key, []) if t.id != r.id]
        parent = members[0].id if members else f"who:{key}"
        if key in mine or parent in have:
            continue
        have.add(parent)
        why = f'names "{key}" as its source'
        out.append((LineageEdge(r.id, parent, "attributes", why), span))
    return out


def facts_only(
    r: Report, edges: list[LineageEdge], support: dict[str, list[Span]]
) -> list[LineageEdge]:
    """`edges` without r's edges to named origins that are not cited for the figures,
    when at least one origin r names is."""
    figures = [q.span for q in r.extraction.quantities if q.counts is not None]

    def for_facts(parent: str) -> bool:
        return any(a <= q0 and q1 <= b for a, b in support.get(parent, ()) for q0, q1 in figures)

    mine = [e for e in edges if e.child == r.id and e.kind == "attributes" and e.parent in support]
    keep = {e.parent for e in mine if for_facts(e.parent)}
    if not keep:
        return edges
    return [e for e in edges if e not in mine or e.parent in keep]
