"""Text similarity that catches paraphrase: TF-IDF cosine over words, in bounded memory.

MinHash over word bigrams (`_minhash`) finds copies; two outlets writing up one incident
in their own words share few bigrams but many rare words: the place, the names, the
weapon. TF-IDF weighs those words by how rare they are in the batch, so "Douma", "barrel"
and "bakery" count and "killed" hardly does.

Each text keeps only its `TOP` heaviest terms (ids and weights in two fixed-width numpy
arrays): memory grows with the number of texts, not the vocabulary, and the cosine of many
pairs is computed at once. Candidate pairs come from an inverted index over each text's
`KEYS` heaviest terms; a term shared by more than `CAP` texts pairs each text only with its
neighbours in date order, so the work stays near-linear (the most common terms are the
least telling anyway).

Arabic: words are folded (`_minhash.normalise`) and a leading conjunction or article
(و، ال، بال، وال، لل) is stripped from longer words, so "والرقة" and "الرقة" meet.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quietwire.verify._minhash import tokens

TOP = 48
KEYS = 8
CAP = 48
NEIGHBOURS = 6
_BATCH = 2048
IDF_FLOOR = 1.0
NAME_BOOST = 4
_AR_PREFIX = re.compile(r"^(?:وال|بال|فال|كال|لل|ال|[وبل])(?=[\u0621-\u064a]{4})")
_STOP = frozenset(
    # English function words and the most common reporting verbs; Arabic equivalents.
    "the a an of in on at and but or to for with from by as is was were are be been has "  # noqa: SIM905 (a word list reads better as prose)
    "have had it its this that these those he she they his her their them we our you not "
    "no said says say told will would could can may also after before about over into than "
    "then there here who which what when where how all any some more most other such only "
    "just one two new last year years day days time people according reported report "
    "reports news agency monday tuesday wednesday thursday friday saturday sunday "
    "في من على الى إلى عن مع ان أن إن التي الذي الذين هذا هذه ذلك تلك كان كانت قال قالت "
    "وقال وقالت اليوم امس بعد قبل خلال حيث كما او أو ثم لم لا ما هو هي".split()
)


_NAME = re.compile(r"(?<![.!?\n]\s)(?<!^)\b[A-Z][a-z]+(?:[-'][A-Za-z]+)?")


def terms(text: str) -> list[str]:
    """Content words of `text`, folded, Arabic clitics stripped, digits and stop words out.

    A word written with a capital inside a sentence (a name: "Douma", "Reid") comes out
    twice more, so names weigh more than the vocabulary every report of a kind shares.
    """
    out = []
    for w in tokens(text):
        if len(w) < 3 or w.isdigit() or w in _STOP:
            continue
        if len(w) > 4:
            w = _AR_PREFIX.sub("", w)
        out.append(w)
    names = [m.group().casefold() for m in _NAME.finditer(text)]
    out += [w for w in names if len(w) >= 3 and w not in _STOP] * NAME_BOOST
    return out


@dataclass(frozen=True, slots=True)
class Vectors:
    """Each text's `TOP` heaviest TF-IDF terms: ids (-1 = none) and unit-norm weights."""

    ids: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]

    def cosine(self, i: npt.NDArray[np.int64], j: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """Cosine of texts i[k] and j[k], for every k at once (on the kept terms)."""
        out = np.empty(len(i), dtype=np.float32)
        for lo in range(0, len(i), _BATCH):
            a, b = i[lo : lo + _BATCH], j[lo : lo + _BATCH]
            same = (self.ids[a][:, :, None] == self.ids[b][:, None, :]) & (
                self.ids[a][:, :, None] >= 0
            )
            prod = self.weights[a][:, :, None] * self.weights[b][:, None, :]
            out[lo : lo + _BATCH] = (prod * same).sum(axis=(1, 2))
        return out

    def one(self, i: int, j: int) -> float:
        return float(self.cosine(np.array([i]), np.array([j]))[0])


def vectors(texts: Iterable[Sequence[str]]) -> Vectors:
    """TF-IDF (log-scaled counts, smoothed IDF so a batch of three texts still works).

    `texts` is read once, lazily: only each text's distinct term ids and counts are kept
    (two flat int32 arrays), then weighed and cut to `TOP` terms for all texts at once.
    """
    vocab: dict[str, int] = {}
    flat_ids, flat_counts, lengths = array("i"), array("i"), array("i")
    for words in texts:
        c = Counter(vocab.setdefault(w, len(vocab)) for w in words)
        flat_ids.extend(c.keys())
        flat_counts.extend(c.values())
        lengths.append(len(c))
    n = len(lengths)
    ids = np.full((n, TOP), -1, dtype=np.int32)
    weights = np.zeros((n, TOP), dtype=np.float32)
    if not flat_ids:
        return Vectors(ids, weights)
    term = np.frombuffer(flat_ids, dtype=np.int32)
    count = np.frombuffer(flat_counts, dtype=np.int32)
    per_doc = np.frombuffer(lengths, dtype=np.int32).astype(np.int64)
    doc = np.repeat(np.arange(n), per_doc)
    df = np.bincount(term, minlength=len(vocab))
    idf = IDF_FLOOR + np.log((n + 1) / (df + 1.0))
    weight = ((1.0 + np.log(count)) * idf[term]).astype(np.float32)
    order = np.lexsort((-weight, doc))
    doc, term, weight = doc[order], term[order], weight[order]
    starts = np.concatenate(([0], np.cumsum(per_doc)[:-1]))
    rank = np.arange(len(doc)) - starts[doc]
    keep = rank < TOP
    ids[doc[keep], rank[keep]] = term[keep]
    weights[doc[keep], rank[keep]] = weight[keep]
    norm = np.sqrt((weights.astype(np.float64) ** 2).sum(axis=1))
    norm[norm == 0] = 1.0
    weights /= norm[:, None].astype(np.float32)
    return Vectors(ids, weights)


def candidate_pairs(
    vecs: Vectors, order: Sequence[int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Pairs (i < j) of texts that share one of their `KEYS` heaviest terms, each once.

    `order` ranks the texts (by date, undated last): a term shared by more than `CAP`
    texts pairs each only with its `NEIGHBOURS` next texts in that order. Up to `CAP`
    texts, every pair is a candidate.
    """
    n = vecs.ids.shape[0]
    if n <= CAP:
        # A handful of texts: every pair. (In so small a batch the heaviest terms are
        # the ones a text does not share, and the index would miss the pairs.)
        a, b = np.triu_indices(n, 1)
        return a.astype(np.int64), b.astype(np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(n)
    rows = np.repeat(np.arange(n, dtype=np.int64), KEYS)
    flat = vecs.ids[:, :KEYS].reshape(-1)
    keep = flat >= 0
    rows, flat = rows[keep], flat[keep]
    sort = np.lexsort((rank[rows], flat))
    rows, flat = rows[sort], flat[sort]
    breaks = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    firsts: list[npt.NDArray[np.int64]] = []
    seconds: list[npt.NDArray[np.int64]] = []
    for group in np.split(rows, breaks):
        m = len(group)
        if m < 2:
            continue
        if m <= CAP:
            a, b = np.triu_indices(m, 1)
            firsts.append(group[a])
            seconds.append(group[b])
            continue
        for step in range(1, NEIGHBOURS + 1):
            firsts.append(group[:-step])
            seconds.append(group[step:])
    if not firsts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    unique = np.unique(lo * n + hi)
    return unique // n, unique % n
