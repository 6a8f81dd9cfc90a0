"""Admiralty grading (STANAG 2511): two axes, judged apart.

Source reliability (A-F) comes only from the track record of the event's origins: how
often the desk confirmed or refuted what each reported before. Too short a record is F
(cannot be judged): a new source is not an unreliable one. The letter rests on the Wilson
lower bound of the confirmed share, so ten confirmations out of ten do not make an "A".

Information credibility (1-6) comes only from this event: independent corroboration and
contradiction. It fails closed:
- no independent origin (nothing, or only echoes of our own bulletins): 6;
- a contradiction: 4, or 5 when neither side has more independent origins than the other;
- one origin, however many outlets repeat it: at best 3;
- one publisher, however many people or bodies it quotes: at best 3;
- two independent origins: 2; three or more: 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from quietwire.verify._cluster_types import Contradiction, SourceRecord
from quietwire.verify._independence import track_key

_LETTERS = (("A", 0.90), ("B", 0.75), ("C", 0.55), ("D", 0.35))
_Z = 1.96


def wilson_lower(confirmed: int, total: int) -> float:
    """The 95% Wilson lower bound of confirmed/total (0.0 for no record)."""
    if total <= 0:
        return 0.0
    p = confirmed / total
    centre = p + _Z * _Z / (2 * total)
    spread = _Z * math.sqrt(p * (1 - p) / total + _Z * _Z / (4 * total * total))
    return (centre - spread) / (1 + _Z * _Z / total)


def source_letter(record: SourceRecord | None, min_record: int) -> str:
    """A-E from a track record of at least `min_record` judged reports, else F."""
    if record is None or record.confirmed + record.refuted < min_record:
        return "F"
    bound = wilson_lower(record.confirmed, record.confirmed + record.refuted)
    for letter, floor in _LETTERS:
        if bound >= floor:
            return letter
    return "E"


def reliability(
    origins: Sequence[str], records: Mapping[str, SourceRecord], min_record: int
) -> tuple[str, dict[str, str]]:
    """The best letter among the origins (F when none can be judged), and each one's letter."""
    letters = {o: source_letter(records.get(track_key(o)), min_record) for o in origins}
    judged = sorted(v for v in letters.values() if v != "F")
    return (judged[0] if judged else "F"), letters


def credibility(
    independent: int, contradictions: Sequence[Contradiction], publishers: int = 2
) -> tuple[int, str]:
    """1-6 from the count of independent origins and the contradictions, with the reason.

    `publishers` is how many different outlets or sources published the reports heard:
    with one, however many origins it quotes, the grade stays at 3 or worse (an article
    quoting seven people, or citing two agencies, is one article nobody confirmed).
    """
    if independent <= 0:
        return 6, "no independent source: nothing to judge the information on"
    if contradictions:
        balanced = any(len(c.a.origins) == len(c.b.origins) for c in contradictions)
        if balanced:
            return 5, "contradicted, and neither side has more independent sources"
        return 4, "contradicted by a minority of the independent sources"
    if independent == 1:
        return 3, "a single source, not confirmed by any other"
    if publishers < 2:
        return 3, f"{independent} sources, all through one publisher: not confirmed"
    if independent == 2:
        return 2, "two independent sources agree"
    return 1, f"confirmed by {independent} independent sources"
