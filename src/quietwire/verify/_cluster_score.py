"""Scoring a clustering against gold labels: B-cubed precision, recall and F1.

B-cubed (Bagga and Baldwin, 1998) scores each item: precision is the share of its
predicted cluster that shares its gold label, recall the share of its gold cluster that
landed in its predicted cluster; both are averaged over items. Unlike pairwise scores it
does not let one huge cluster dominate.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from quietwire.verify._cluster_types import ClusterError


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 0.0 if total == 0 else 2 * self.precision * self.recall / total


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> BCubed:
    """B-cubed scores of `predicted` (item -> cluster) against `gold` (item -> label).

    Both must label exactly the same, non-empty set of items (ClusterError otherwise).
    """
    if not gold or set(predicted) != set(gold):
        raise ClusterError("predicted and gold clusterings must cover the same items")
    pred_size = Counter(predicted.values())
    gold_size = Counter(gold.values())
    both = Counter((predicted[i], gold[i]) for i in gold)
    precision = sum(both[(predicted[i], gold[i])] / pred_size[predicted[i]] for i in gold)
    recall = sum(both[(predicted[i], gold[i])] / gold_size[gold[i]] for i in gold)
    return BCubed(precision / len(gold), recall / len(gold))
