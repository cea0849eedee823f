"""The statistics layer on a validated pandas frame (one machine; exact quantiles).

Everything is computed with numpy on the frame's columns; group rows are found once per grouping
and reused. This backend is the reference the Spark backend is tested against.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..data import schema as S
from .base import RATES, CoMoments, Duplicates, Moments, Tails

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["PandasBackend", "with_derived"]

#: rows per block where a computation would otherwise copy every row of several columns
BLOCK = 1_000_000


def with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """*frame* with the derived columns: transcription length and the per-view rates (missing
    where views are 0 or missing)."""
    text = frame[S.TEXT]
    views = frame[S.VIEWS].where(frame[S.VIEWS] > 0)
    return frame.assign(**{S.TEXT_LENGTH: text.str.len().astype(float)},
                        **{rate: frame[col] / views for rate, col in RATES.items()})


class PandasBackend:
    """:class:`~.base.Backend` over a frame with the schema's data columns."""

    name = "pandas"
    quantile_error = 0.0

    def __init__(self, frame: pd.DataFrame):
        self._data = frame
        self.rows = len(frame)

    @cached_property
    def frame(self) -> pd.DataFrame:
        return with_derived(self._data)

    @cached_property
    def _labels(self) -> pd.DataFrame:
        """The label columns as categories: grouping on them costs a fraction of grouping on
        text."""
        return self._data[list(S.LABELS)].astype("category")

    def _keys(self, columns: list[str]) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame({c: self._labels[c] if c in self._labels else self._data[c]
                             for c in columns})

    @cached_property
    def _complete(self) -> np.ndarray:
        return self._data[list(S.DATA_COLUMNS)].notna().all(axis=1).to_numpy()

    @lru_cache(maxsize=32)  # noqa: B019 - one backend per run, the cache dies with it
    def _groups(self, by: tuple[str, ...], complete: bool) -> dict[tuple, np.ndarray]:
        """Row positions of each group (levels tuple -> positions), missing levels left out."""
        index = np.int32 if self.rows < 2**31 else np.int64  # positions: half the memory
        rows = (np.flatnonzero(self._complete).astype(index) if complete
                else np.arange(self.rows, dtype=index))
        if not by:
            return {(): rows}
        keys = self._keys(list(by)).iloc[rows]
        groups = keys.groupby(list(by), dropna=True, sort=True, observed=True).indices
        return {(k if isinstance(k, tuple) else (k,)): rows[idx] for k, idx in groups.items()}

    def _values(self, column: str) -> np.ndarray:
        return self.frame[column].to_numpy(dtype=float, na_value=np.nan)

    @lru_cache(maxsize=32)  # noqa: B019
    def _codes(self, by: tuple[str, ...], complete: bool) -> tuple[np.ndarray, list[tuple]]:
        """Each row's group number (-1: in no group) and the groups' levels, in group order."""
        groups = self._groups(by, complete)
        codes = np.full(self.rows, -1, dtype=np.int16)  # a handful of groups
        for k, idx in enumerate(groups.values()):
            codes[idx] = k
        return codes, list(groups)

    @lru_cache(maxsize=256)  # noqa: B019 - the stages ask for the same figures repeatedly
    def _moments(self, col: str, by: tuple[str, ...], complete: bool) -> dict:
        """Every group's moments in a few passes over the column (``bincount`` sums by group
        number), instead of one gathered copy of the column per group."""
        import pandas as pd

        codes, levels = self._codes(by, complete)
        x = self._values(col)
        keep = (codes >= 0) & ~np.isnan(x)
        c, v = codes[keep].astype(np.intp), x[keep]
        k = len(levels)
        n = np.bincount(c, minlength=k)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.bincount(c, v, minlength=k) / n
        d = v - mean[c]
        d2 = d * d
        m2, m3, m4 = (np.bincount(c, w, minlength=k) for w in (d2, d2 * d, d2 * d2))
        by_group = pd.Series(v).groupby(c)
        low, high = by_group.min(), by_group.max()
        positive = pd.Series(np.where(v > 0, v, np.inf)).groupby(c).min()
        out = {}
        for i, lv in enumerate(levels):
            if n[i] == 0:
                out[lv] = Moments.of(np.array([]))
                continue
            pos = float(positive[i])
            out[lv] = Moments(int(n[i]), float(mean[i]), float(m2[i]), float(m3[i]),
                              float(m4[i]), float(low[i]), float(high[i]),
                              pos if np.isfinite(pos) else np.nan)
        return out

    def moments(self, columns, by=(), complete=False):
        return {(levels, col): m for col in columns
                for levels, m in self._moments(col, tuple(by), complete).items()}

    #: quantiles always computed together (one partition serves them all)
    _COMMON = (0.25, 0.5, 0.75)

    @lru_cache(maxsize=256)  # noqa: B019
    def _quantile_table(self, col: str, probs: tuple[float, ...], by: tuple[str, ...],
                        complete: bool) -> dict:
        x = self._values(col)
        out = {}
        for levels, idx in self._groups(by, complete).items():
            v = x[idx]
            v = v[~np.isnan(v)]
            values = (np.percentile(v, [100 * p for p in probs]) if v.size
                      else np.full(len(probs), np.nan))
            out[levels] = dict(zip(probs, values))
        return out

    def _quantiles(self, col: str, probs: tuple[float, ...], by: tuple[str, ...],
                   complete: bool) -> dict:
        wanted = tuple(sorted(set(probs) | set(self._COMMON)))
        if set(probs) <= set(self._COMMON):
            wanted = self._COMMON
        table = self._quantile_table(col, wanted, by, complete)
        return {lv: np.array([found[p] for p in probs]) for lv, found in table.items()}

    def quantiles(self, columns, probs, by=(), complete=False):
        return {(levels, col): q for col in columns
                for levels, q in self._quantiles(col, tuple(probs), tuple(by), complete).items()}

    @lru_cache(maxsize=64)  # noqa: B019
    def _counts(self, columns: tuple[str, ...], complete: bool) -> pd.DataFrame:
        keys = self._keys(list(columns))
        part = keys[self._complete] if complete else keys
        out = part.value_counts(dropna=False, sort=False).rename("count").reset_index()
        out = out[out["count"] > 0].reset_index(drop=True)  # categories never observed
        out[list(columns)] = out[list(columns)].astype(object).where(out[list(columns)].notna(),
                                                                     None)
        return out

    def counts(self, columns, complete=False):
        return self._counts(tuple(columns), complete).copy()

    @lru_cache(maxsize=1)  # noqa: B019
    def _missing(self):
        mask = self._data[list(S.DATA_COLUMNS)].isna()
        per_column = {c: int(v) for c, v in mask.sum().items()}
        patterns = mask.value_counts(sort=False).rename("count").reset_index()
        return per_column, patterns

    def missing(self):
        per_column, patterns = self._missing()
        return dict(per_column), patterns.copy()

    @cached_property
    def _texts(self):
        """The transcriptions dictionary-encoded once (Arrow's hash): the distinct texts and
        each row's code (-1 where missing). Distinct counts, duplicates and phrase counts all
        read it."""
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(self._data[S.TEXT], type=pa.string(), from_pandas=True)
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks() if text.num_chunks else pa.array([], pa.string())
        encoded = pc.dictionary_encode(text)
        codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
        return encoded.dictionary, codes

    def distinct(self, columns):
        out = {}
        for c in columns:
            if c == S.TEXT:
                out[c] = len(self._texts[0])
            else:  # data or derived columns alike, as the protocol says
                out[c] = int(self.frame[c].nunique())
        return out

    def comoments(self, columns, by=()):
        """Two passes over blocks of rows (means, then co-moment sums about them): exact, and
        memory bounded by the block, not by the data."""
        columns = list(columns)
        values = [self._values(c) for c in columns]
        present = np.logical_and.reduce([~np.isnan(v) for v in values])
        out = {}
        for levels, idx in self._groups(tuple(by), False).items():
            rows = idx[present[idx]]
            means = np.array([v[rows].mean() if len(rows) else np.nan for v in values])
            cross = np.zeros((len(columns), len(columns)))
            for start in range(0, len(rows), BLOCK):
                block = rows[start:start + BLOCK]
                d = np.column_stack([v[block] for v in values]) - means
                cross += d.T @ d
            out[levels] = CoMoments(len(rows), tuple(columns), means, cross)
        return out

    def histogram(self, column, edges, by=(), complete=False):
        x = self._values(column)
        out = {}
        for levels, idx in self._groups(tuple(by), complete).items():
            v = x[idx]
            out[levels] = np.histogram(v[~np.isnan(v)], bins=edges)[0]
        return out

    def tails(self, column, fences, by=(), complete=False):
        x = self._values(column)
        out = {}
        for levels, idx in self._groups(tuple(by), complete).items():
            if levels not in fences:
                continue
            lo, hi = fences[levels]
            v = x[idx]
            v = v[~np.isnan(v)]
            inside = v[(v >= lo) & (v <= hi)]
            out[levels] = Tails(int((v < lo).sum()), int((v > hi).sum()),
                                float(inside.min()) if inside.size else np.nan,
                                float(inside.max()) if inside.size else np.nan)
        return out

    def value_counts(self, column, by=()):
        import pandas as pd

        x = self._values(column)
        out = {}
        for levels, idx in self._groups(tuple(by), False).items():
            v = x[idx]
            found = pd.Series(v[np.isfinite(v)]).value_counts(sort=False).sort_index()
            out[levels] = (found.index.to_numpy(dtype=float), found.to_numpy(dtype=np.int64))
        return out

    def phrases(self, by, top, low=2, high=3):
        from ..stats.phrase_counts import top_ngrams_by

        dictionary, codes = self._texts
        weights = {}
        for (level,), idx in self._groups((by,), False).items():
            present = codes[idx]
            weights[level] = np.bincount(present[present >= 0], minlength=len(dictionary))
        return top_ngrams_by(dictionary, weights, top, low, high)

    @lru_cache(maxsize=1)  # noqa: B019 - asked by the inventory and by the data alerts
    def duplicates(self):
        df = self._data
        repeated_ids = int(df[S.ID].duplicated().sum())
        rows = 0
        if repeated_ids:  # equal rows have equal ids: only rows sharing an id can repeat a row
            rows = int(df[df[S.ID].duplicated(keep=False).to_numpy()].duplicated().sum())
        texts, conflicts = self._text_duplicates()
        return Duplicates(rows=rows, ids=repeated_ids, texts=texts, text_conflicts=conflicts)

    def _text_duplicates(self) -> tuple[int, int]:
        """Repeated transcriptions, and those whose copies carry more than one claim status
        (missing counts as a status), from the text codes."""
        dictionary, codes = self._texts
        present = codes >= 0
        repeated = int(present.sum()) - len(dictionary)
        if not repeated:
            return 0, 0
        status = self._labels[S.CLAIM].cat.codes.to_numpy().astype(np.int64) + 1  # 0: missing
        seen = np.bincount(codes[present] * 4 + status[present], minlength=4 * len(dictionary))
        per_text = (seen.reshape(-1, 4) > 0).sum(axis=1)  # statuses each text appears with
        return repeated, int((per_text > 1).sum())

    @lru_cache(maxsize=4)  # noqa: B019 - the EDA and the hypothesis stage draw the same one
    def sample(self, max_rows, by, seed):
        if self.rows <= max_rows:
            return self.frame
        share = max_rows / self.rows
        picked = (self._data.groupby(by, dropna=False, group_keys=False)[by]
                  .sample(frac=share, random_state=seed).index)
        return self.frame.loc[self._data.index.isin(picked)]
