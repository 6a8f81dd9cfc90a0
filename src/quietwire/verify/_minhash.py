"""MinHash signatures and LSH banding over word shingles, vectorised with numpy.

Why not one `datasketch.MinHash` per text: at a million reports the per-object Python
overhead dominates (FINDINGS.md: 8.5 s per 100k texts before indexing). Here shingles are
hashed with CRC-32 (stable across processes, unlike `hash()`), and a whole batch of texts
is permuted and reduced at once with multiply-shift hashing, which is a universal family:
for odd 64-bit `a`, `(a*x + b) mod 2**64 >> 32` is as good as the classic modular family
for estimating Jaccard similarity.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
import zlib
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

Signatures = npt.NDArray[np.uint32]

_WORD = re.compile(r"\w+", re.UNICODE)
# Arabic short vowels, shadda, sukun, dagger alef and tatweel carry no identity of a word.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"})
_BATCH = 4096
_EMPTY = np.uint32(0xFFFFFFFF)


def normalise(text: str) -> str:
    """Case-folded, NFKC text with Arabic letter variants folded and marks removed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _ARABIC_MARKS.sub("", folded).translate(_ARABIC_FOLD)


def tokens(text: str) -> list[str]:
    """The words of `normalise(text)`."""
    return _WORD.findall(normalise(text))


def shingle_hashes(text: str) -> list[int]:
    """CRC-32 of each word bigram (each word, for a one-word text); empty for no words."""
    words = tokens(text)
    if len(words) < 2:
        return [zlib.crc32(w.encode()) for w in words]
    return [zlib.crc32(f"{a} {b}".encode()) for a, b in itertools.pairwise(words)]


def _permutations(num_perm: int) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    # Fixed, reproducible constants: the same text gets the same signature in every run.
    seed = hashlib.blake2b(f"quietwire-minhash-{num_perm}".encode(), digest_size=64).digest()
    stream = hashlib.shake_256(seed).digest(16 * num_perm)
    raw = np.frombuffer(stream, dtype=np.uint64).reshape(num_perm, 2)
    return raw[:, 0] | np.uint64(1), raw[:, 1].copy()


def signatures(shingles: Sequence[Sequence[int]], num_perm: int) -> Signatures:
    """One row of `num_perm` minimum hashes per text; a text without words gets all-ones.

    Two rows agree in a position with probability equal to the Jaccard similarity of the
    two shingle sets.
    """
    a, b = _permutations(num_perm)
    out = np.full((len(shingles), num_perm), _EMPTY, dtype=np.uint32)
    for start in range(0, len(shingles), _BATCH):
        chunk = shingles[start : start + _BATCH]
        lengths = np.fromiter((len(s) for s in chunk), dtype=np.int64, count=len(chunk))
        nonempty = np.flatnonzero(lengths)
        if nonempty.size == 0:
            continue
        flat = np.fromiter((h for s in chunk for h in s), dtype=np.uint64, count=int(lengths.sum()))
        with np.errstate(over="ignore"):
            permuted = ((flat[:, None] * a[None, :] + b[None, :]) >> np.uint64(32)).astype(
                np.uint32
            )
        offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
        out[start + nonempty] = np.minimum.reduceat(permuted, offsets, axis=0)
    return out


def similarity(sigs: Signatures, i: int, j: int) -> float:
    """Estimated Jaccard similarity of texts `i` and `j`; 0.0 when either has no words."""
    if sigs[i, 0] == _EMPTY and bool((sigs[i] == _EMPTY).all()):
        return 0.0
    return float(np.count_nonzero(sigs[i] == sigs[j])) / float(sigs.shape[1])


def band_buckets(sigs: Signatures, bands: int) -> Iterator[npt.NDArray[np.int64]]:
    """Groups of row indices that agree on every value of at least one band.

    A pair of texts with Jaccard similarity s shares a band with probability
    1 - (1 - s**r)**bands, r = num_perm / bands: a steep S-curve around
    (1/bands)**(1/r). Texts without words are never bucketed.
    """
    _n, num_perm = sigs.shape
    rows = num_perm // bands
    has_words = ~(sigs == _EMPTY).all(axis=1)
    mult = np.array(
        [0x9E3779B97F4A7C15 ^ (k * 0x100000001B3) | 1 for k in range(rows)], dtype=np.uint64
    )
    for band in range(bands):
        part = sigs[:, band * rows : (band + 1) * rows].astype(np.uint64)
        with np.errstate(over="ignore"):
            keys = (part * mult[None, :]).sum(axis=1, dtype=np.uint64)
        idx = np.flatnonzero(has_words)
        order = idx[np.argsort(keys[idx], kind="stable")]
        sorted_keys = keys[order]
        if order.size < 2:
            continue
        breaks = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
        starts = np.concatenate(([0], breaks))
        ends = np.concatenate((breaks, [order.size]))
        shared = ends - starts > 1
        for lo, hi in zip(starts[shared].tolist(), ends[shared].tolist(), strict=True):
            yield order[lo:hi]
