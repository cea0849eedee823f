"""The Spark backend's sample and the collection of Spark rows into pandas.

Why a hash and not ``rand()`` or ``sampleBy``: Spark's random columns depend on how the input is
split into partitions (the number of cores, ``spark.sql.files.maxPartitionBytes``), so the same
data and seed would give another sample on another cluster. Keeping, in each stratum, the rows
with the smallest ``xxhash64(video_id, seed)`` is a simple random sample of the stratum (ids are
unique) that depends on the data and the seed only, like the pandas backend's.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import reduce
from typing import TYPE_CHECKING

import numpy as np

from ..data import schema as S

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["draw", "arrow", "to_pandas", "data_order", "level_case"]

_HASH = "_hash"


def _functions():
    from pyspark.sql import functions as F

    return F


def _all(conditions):
    return reduce(lambda a, b: a & b, conditions)


def level_case(by, values: dict, F):
    """A column holding ``values[levels]`` on the rows of each group of *by* (null elsewhere):
    a group's mean, fences or sampling share as a literal per group."""
    if not by:
        return F.lit(values.get(()))
    expr = None
    for levels, value in values.items():
        cond = _all([F.col(b) == F.lit(v) for b, v in zip(by, levels)])
        expr = (F.when(cond, F.lit(value)) if expr is None
                else expr.when(cond, F.lit(value)))
    return expr if expr is not None else F.lit(None)


def draw(data, rows: int, order: list[str], max_rows: int, by: str, seed: int
         ) -> pd.DataFrame:
    """Every row, or the ``round(share * n_g)`` rows of smallest hash in each stratum g
    (``share = max_rows / rows``): a simple random sample per stratum that does not
    depend on the cluster."""
    from .pandas_backend import with_derived

    F = _functions()
    columns = [*S.DATA_COLUMNS, *order]
    if rows <= max_rows:
        return with_derived(to_pandas(arrow(data.select(*columns)), order))
    share = max_rows / rows
    sizes = {r[0]: (r[1], int(round(share * r[1]))) for r in data.groupBy(by).count().collect()}
    # Oversample each stratum by six standard deviations, then keep the k smallest hashes.
    margin = {g: min(1.0, (k + 6 * math.sqrt(k) + 50) / n) for g, (n, k) in sizes.items()}
    h = F.xxhash64(F.col(S.ID), F.lit(int(seed)))
    u = h.cast("double") / float(2 ** 64) + 0.5
    while True:
        frac = level_case((by,), {(g,): f for g, f in margin.items() if g is not None}, F)
        if None in margin:
            frac = F.when(F.col(by).isNull(), F.lit(margin[None])).otherwise(frac)
        frame = to_pandas(arrow(data.select(*columns, h.alias(_HASH)).where(u < frac)), [])
        strata = [None if v is None or v != v else v for v in frame[by].astype(object)]
        got = Counter(strata)
        short = [g for g, (_, k) in sizes.items() if got[g] < k and margin[g] < 1.0]
        if not short:  # (a stratum short of its k after six sigma: never seen)
            break
        margin.update(dict.fromkeys(short, 1.0))
    code = {g: i for i, g in enumerate(sizes)}
    frame = frame.assign(_stratum=np.array([code[g] for g in strata], dtype=np.int64),
                         _limit=np.array([sizes[g][1] for g in strata], dtype=np.int64))
    frame = frame.sort_values([_HASH, S.ID], kind="stable")
    rank = frame.groupby("_stratum", sort=False).cumcount().to_numpy()
    frame = frame[rank < frame["_limit"].to_numpy()].drop(columns=[_HASH, "_stratum", "_limit"])
    return with_derived(data_order(frame, order))


def arrow(df):
    """Collect *df* as a pyarrow Table (``toArrow`` from Spark 4; its private form before)."""
    if hasattr(df, "toArrow"):
        return df.toArrow()
    import pyarrow as pa  # pragma: no cover - Spark 3.5

    return pa.Table.from_batches(df._collect_as_arrow(), schema=None)  # pragma: no cover


def to_pandas(table, order: list[str]) -> pd.DataFrame:
    """Collected rows in the pandas loader's dtypes: id int64, numbers float64 (NaN for
    missing), text the default string dtype (NaN for missing)."""
    import pandas as pd

    from ..data.column_checks import _TEXT_DTYPE

    text = {S.TEXT, *S.LABELS}
    columns = {}
    for name in table.column_names:
        col = table.column(name)
        if name == S.ID:
            columns[name] = col.to_numpy(zero_copy_only=False).astype(np.int64)
        elif name in text:
            columns[name] = col.to_pandas().astype(object).astype(_TEXT_DTYPE)
        elif name in S.COUNT_COLUMNS:
            columns[name] = col.to_numpy(zero_copy_only=False).astype(np.float64)
        else:
            columns[name] = col.to_numpy(zero_copy_only=False)
    frame = pd.DataFrame(columns)
    return data_order(frame, order) if order else frame


def data_order(frame: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Rows in data order, the order columns dropped, a fresh RangeIndex."""
    return frame.sort_values(order, kind="stable").drop(columns=order).reset_index(drop=True)
