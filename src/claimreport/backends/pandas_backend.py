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
        rows = np.flatnonzero(self._complete) if complete else np.arange(self.rows)
        if not by:
            return {(): rows}
        keys = self._keys(list(by)).iloc[rows]
        groups = keys.groupby(list(by), dropna=True, sort=True, observed=True).indices
        return {(k if isinstance(k, tuple) else (k,)): rows[idx] for k, idx in groups.items()}

    def _values(self, column: str) -> np.ndarray:
        return self.frame[column].to_numpy(dtype=float, na_value=np.nan)

    def moments(self, columns, by=(), complete=False):
        out = {}
        for col in columns:
            x = self._values(col)
            for levels, idx in self._groups(tuple(by), complete).items():
                out[levels, col] = Moments.of(x[idx])
        return out

    def quantiles(self, columns, probs, by=(), complete=False):
        out = {}
        for col in columns:
            x = self._values(col)
            for levels, idx in self._groups(tuple(by), complete).items():
                v = x[idx]
                v = v[~np.isnan(v)]
                out[levels, col] = (np.percentile(v, [100 * p for p in probs]) if v.size
                                    else np.full(len(probs), np.nan))
        return out

    def counts(self, columns, complete=False):
        keys = self._keys(list(columns))
        part = keys[self._complete] if complete else keys
        out = part.value_counts(dropna=False, sort=False).rename("count").reset_index()
        out = out[out["count"] > 0].reset_index(drop=True)  # categories never observed
        out[list(columns)] = out[list(columns)].astype(object).where(out[list(columns)].notna(),
                                                                     None)
        return out

    def missing(self):
        mask = self._data[list(S.DATA_COLUMNS)].isna()
        per_column = {c: int(v) for c, v in mask.sum().items()}
        patterns = mask.value_counts(sort=False).rename("count").reset_index()
        return per_column, patterns

    def distinct(self, columns):
        import pyarrow as pa
        import pyarrow.compute as pc

        out = {}
        for c in columns:
            if c == S.TEXT:  # Arrow's hash count is several times faster on millions of texts
                out[c] = int(pc.count_distinct(pa.array(self._data[c], from_pandas=True))
                             .as_py())
            else:
                out[c] = int(self._data[c].nunique())
        return out

    def comoments(self, columns, by=()):
        columns = list(columns)
        present = self.frame[columns].notna().all(axis=1).to_numpy()
        x = self.frame[columns].to_numpy(dtype=float, na_value=np.nan)
        out = {}
        for levels, idx in self._groups(tuple(by), False).items():
            rows = x[idx[present[idx]]]
            means = rows.mean(axis=0) if len(rows) else np.full(len(columns), np.nan)
            d = rows - means
            out[levels] = CoMoments(len(rows), tuple(columns), means, d.T @ d)
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
        x = self._values(column)
        out = {}
        for levels, idx in self._groups(tuple(by), False).items():
            v = x[idx]
            out[levels] = np.unique(v[np.isfinite(v)], return_counts=True)
        return out

    def phrases(self, by, top, low=2, high=3):
        from concurrent.futures import ThreadPoolExecutor

        from ..stats.phrase_counts import top_ngrams

        text = self._data[S.TEXT]
        groups = self._groups((by,), False)
        # numpy and Arrow release the GIL: the classes are counted side by side
        with ThreadPoolExecutor(max_workers=min(2, len(groups) or 1)) as pool:
            found = pool.map(lambda idx: top_ngrams(text.iloc[idx], top, low, high),
                             groups.values())
            return {level: counts for (level,), counts in zip(groups, found)}

    @lru_cache(maxsize=1)  # noqa: B019 - asked by the inventory and by the data alerts
    def duplicates(self):
        df = self._data
        ids = df[S.ID].duplicated(keep=False)
        # equal rows have equal ids: only rows sharing an id can repeat a row
        rows = int(df[ids.to_numpy()].duplicated().sum()) if ids.any() else 0
        texts, conflicts = self._text_duplicates()
        return Duplicates(rows=rows, ids=int(df[S.ID].duplicated().sum()), texts=texts,
                          text_conflicts=conflicts)

    def _text_duplicates(self) -> tuple[int, int]:
        """Repeated transcriptions and those whose copies carry more than one claim status
        (missing counts as a status), with Arrow's hash kernels."""
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(self._data[S.TEXT], from_pandas=True)
        found = pc.value_counts(pc.drop_null(text))
        copies = found.field("counts")
        repeated = int(pc.sum(copies).as_py() or 0) - len(found)
        if not repeated:
            return 0, 0
        again = pc.filter(found.field("values"), pc.greater(copies, 1))
        rows = pc.fill_null(pc.is_in(text, value_set=again), False)
        claim = pa.array(self._data[S.CLAIM], type=pa.string(), from_pandas=True)
        table = pa.table({"t": pc.filter(text, rows), "c": pc.filter(claim, rows)})
        labels = table.group_by("t").aggregate([("c", "count_distinct",
                                                 pc.CountOptions(mode="all"))])
        return repeated, int(pc.sum(pc.greater(labels.column("c_count_distinct"), 1)).as_py())

    def sample(self, max_rows, by, seed):
        if self.rows <= max_rows:
            return self.frame
        share = max_rows / self.rows
        picked = (self._data.groupby(by, dropna=False, group_keys=False)[by]
                  .sample(frac=share, random_state=seed).index)
        return self.frame.loc[self._data.index.isin(picked)]
