"""The most frequent word n-grams of millions of transcriptions, counted as CountVectorizer
counts them, in seconds.

Why not :func:`claimreport.stats.phrases.count_ngrams` alone: it handles one text at a time in
Python (about 17 s per million transcriptions). Here ASCII texts are tokenised on their UTF-8
bytes with numpy (lower-case and word-character lookup tables: for ASCII, Python's ``(?u)\\w``
is ``[A-Za-z0-9_]`` and ``str.lower`` is the ASCII mapping), tokens become integer ids through
one vocabulary, and each n-gram becomes one integer key (21 bits per token), so counting is
``value_counts`` on integers. Texts with other characters (rare) are tokenised by the exact
regular expression of :mod:`claimreport.stats.phrases` and join the same integer keys; only the
candidates for the top *k* are turned back into strings. ``tests/stats/test_phrases.py`` pins
this module to CountVectorizer and to :func:`~claimreport.stats.phrases.count_ngrams`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from .phrases import ENGLISH_STOP_WORDS, TOKEN_PATTERN

__all__ = ["top_ngrams", "top_ngrams_by"]

#: texts tokenised at a time (bounds the memory of the byte masks)
CHUNK = 250_000
_BITS = 21  # per token id in a key: 3 ids fit in 63 bits
_WORD = np.zeros(256, dtype=bool)
for _c in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
    _WORD[_c] = True
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A"):ord("Z") + 1] += 32


class _Vocabulary:
    """Token -> id, with each id's stop-word flag."""

    def __init__(self):
        import threading

        self.lock = threading.Lock()
        self.ids: dict[str, int] = {}
        self.words: list[str] = []
        self.stop: list[bool] = []

    def lookup(self, tokens: Iterable[str]) -> np.ndarray:
        with self.lock:
            return self._lookup(tokens)

    def _lookup(self, tokens: Iterable[str]) -> np.ndarray:
        out = []
        for t in tokens:
            i = self.ids.get(t)
            if i is None:
                i = self.ids[t] = len(self.words)
                self.words.append(t)
                self.stop.append(t in ENGLISH_STOP_WORDS)
            out.append(i)
        return np.asarray(out, dtype=np.int64)


def _ascii_tokens(chunk, vocab: _Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and the row of each token, for an Arrow string array of ASCII texts."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chunk = chunk.cast(pa.large_string())
    offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64, count=len(chunk) + 1,
                            offset=chunk.offset * 8)
    data = np.frombuffer(chunk.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    offsets = offsets - offsets[0]
    word = _WORD[data]
    starts, ends = word.copy(), word.copy()
    starts[1:] &= ~word[:-1]
    ends[:-1] &= ~word[1:]
    first, last = offsets[:-1], offsets[1:] - 1
    present = offsets[1:] > offsets[:-1]  # a token never spans two texts
    starts[first[present]] = word[first[present]]
    ends[last[present]] = word[last[present]]
    start, end = np.flatnonzero(starts), np.flatnonzero(ends) + 1
    long = (end - start) >= 2  # \w\w+: two characters or more
    start, end = start[long], end[long]
    inside = np.zeros(len(data) + 1, dtype=np.int8)
    inside[start] = 1  # where one text's last token meets the next's first: +1 - 1, still in
    inside[end] -= 1
    mask = np.cumsum(inside[:-1], dtype=np.int8).astype(bool)
    text = _LOWER[data[mask]]
    token_offsets = np.concatenate([[0], np.cumsum(end - start)]).astype(np.int64)
    tokens = pa.LargeStringArray.from_buffers(len(start), pa.py_buffer(token_offsets),
                                              pa.py_buffer(text.tobytes()))
    encoded = pc.dictionary_encode(tokens)
    local = vocab.lookup(encoded.dictionary.to_pylist())
    ids = local[encoded.indices.to_numpy()] if len(local) else np.zeros(0, np.int64)
    rows = np.searchsorted(offsets, start, side="right") - 1
    return ids, rows


def _python_tokens(texts: list[str], vocab: _Vocabulary) -> tuple[np.ndarray, np.ndarray]:
    ids, rows = [], []
    for row, text in enumerate(texts):
        tokens = TOKEN_PATTERN.findall(text.lower())
        ids.append(vocab.lookup(tokens))
        rows.append(np.full(len(tokens), row, dtype=np.int64))
    if not ids:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(ids), np.concatenate(rows)


def _keys(ids: np.ndarray, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The key of every *n*-gram within one text, and that text's row."""
    m = len(ids) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    same = np.ones(m, dtype=bool)
    key = ids[:m].copy()
    for k in range(1, n):
        same &= rows[k:k + m] == rows[:m]
        key = (key << _BITS) | ids[k:k + m]
    return key[same], rows[:m][same]


def top_ngrams(texts, top: int, low: int = 2, high: int = 3) -> list[tuple[str, int]]:
    """The *top* most frequent *low*..*high*-word n-grams of *texts* (a pandas Series or Arrow
    array of strings; missing values skipped), ties in alphabetical order, as
    ``sorted(count_ngrams(texts).items(), key=lambda kv: (-kv[1], kv[0]))[:top]``."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(texts, pd.Series):
        texts = pa.array(texts, type=pa.string(), from_pandas=True)
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks else pa.array([], pa.string())
    distinct = pc.value_counts(pc.drop_null(texts))  # each distinct text is tokenised once
    return top_ngrams_by(distinct.field("values"),
                         {None: distinct.field("counts").to_numpy()}, top, low, high)[None]


def top_ngrams_by(texts, weights: dict, top: int, low: int = 2, high: int = 3) -> dict:
    """:func:`top_ngrams` for several groups at once: *texts* are distinct transcriptions (an
    Arrow string array), ``weights[group]`` how many rows of the group hold each of them (an
    integer array as long as *texts*). Each text is tokenised once for every group."""
    from concurrent.futures import ThreadPoolExecutor

    import pandas as pd
    import pyarrow.compute as pc

    vocab = _Vocabulary()
    found: dict = {g: {n: [] for n in range(low, high + 1)} for g in weights}

    def count(start: int) -> dict:
        chunk = texts.slice(start, CHUNK)
        ascii_ = pc.string_is_ascii(chunk)
        mask = pc.fill_null(ascii_, True).to_numpy(zero_copy_only=False)
        where = np.arange(start, start + len(chunk))
        parts = [(*_ascii_tokens(pc.filter(chunk, ascii_), vocab), where[mask])]
        others = pc.filter(chunk, pc.invert(ascii_)).to_pylist()
        if others:
            parts.append((*_python_tokens(others, vocab), where[~mask]))
        with vocab.lock:
            stop = np.asarray(vocab.stop, dtype=bool)
        out: dict = {g: {n: [] for n in range(low, high + 1)} for g in weights}
        for ids, rows, position in parts:
            keep = ~stop[ids] if len(ids) else np.zeros(0, bool)
            ids, rows = ids[keep], rows[keep]
            for n in range(low, high + 1):
                keys, first = _keys(ids, rows, n)
                text_of = position[first]
                for g, w in weights.items():
                    counts = np.asarray(w)[text_of]
                    used = counts > 0
                    out[g][n].append(pd.Series(counts[used]).groupby(keys[used]).sum())
        return out

    # numpy, Arrow and pandas' group sums release the GIL: two chunks at a time
    with ThreadPoolExecutor(max_workers=2) as pool:
        for part in pool.map(count, range(0, len(texts), CHUNK)):
            for g, per_n in part.items():
                for n, series in per_n.items():
                    found[g][n].extend(series)
    if len(vocab.words) >= 1 << _BITS:  # keys would collide: count the plain way
        from .phrases import count_ngrams

        out = {}
        for g, w in weights.items():
            total = count_ngrams([t for t, k in zip(texts.to_pylist(), w) for _ in range(k)],
                                 low, high)
            out[g] = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return out
    return {g: _top(per_n, vocab.words, top) for g, per_n in found.items()}


def _top(per_n: dict, words: list[str], top: int) -> list[tuple[str, int]]:
    """The *top* phrases from the partial counts of each n, ties alphabetical: only the
    candidates at or above the top-th count are turned back into strings."""
    import pandas as pd

    totals = {n: pd.concat(parts).groupby(level=0).sum() for n, parts in per_n.items() if parts}
    everything = np.concatenate([t.to_numpy() for t in totals.values()]) if totals else []
    if len(everything) == 0 or top <= 0:
        return []
    cut = np.sort(everything)[-min(top, len(everything))]  # the top-th count: ties included
    mask = (1 << _BITS) - 1
    found = []
    for n, series in totals.items():
        for key, c in series[series >= cut].items():
            parts = [(int(key) >> (_BITS * (n - 1 - k))) & mask for k in range(n)]
            found.append((" ".join(words[i] for i in parts), int(c)))
    return sorted(found, key=lambda kv: (-kv[1], kv[0]))[:top]
