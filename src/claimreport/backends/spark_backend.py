"""The statistics layer on a Spark DataFrame: every aggregate of :mod:`.base` as a Spark job.

Why Spark aggregates and not ``toPandas()``: the point of this backend is data that do not fit
one machine's memory. Every method below is one aggregation (a ``groupBy`` or a global ``agg``)
whose result is small: a row per group, a bin, a distinct value or a phrase. Only
:meth:`SparkBackend.sample` brings rows to the driver, at most ``max_rows`` of them.

PySpark is imported inside the methods, so importing this module costs nothing; it is imported
only when the Spark backend is chosen (``--backend spark``, :func:`claimreport.data.spark_loader
.load_spark`).

Notes
-----
* Moments take two passes, as :meth:`Moments.of <.base.Moments.of>` does: counts, means and
  ranges, then the sums of ``d², d³, d⁴`` of the deviations from each group's mean (a literal
  per group); co-moments likewise. Spark's one-pass ``skewness``/``kurtosis``/``covar_pop``
  aggregates are as precise but keep one state per statistic, three times slower here. Both
  agree with the pandas backend to ~1e-12 relative on the course file.
* Quantiles are ``percentile_approx`` (a Greenwald-Khanna sketch): the returned value is a data
  value whose rank is within ``quantile_error * n`` of the exact rank (Spark documents the
  relative error as ``1 / accuracy``). The pandas backend interpolates between neighbours;
  the difference is inside the same bound.
* Histogram bins are found by a binary search over the edges written as nested ``CASE WHEN``
  (as ``numpy.histogram`` does with ``searchsorted``: bins closed on the left, the last bin
  closed on both sides), so non-uniform (log) edges are exact too.
* Phrases tokenise in the JVM exactly as :mod:`claimreport.stats.phrases` does in Python: the
  same pattern with Java's ``(?U)`` flag for Unicode ``\\w`` and ``\\b``, the same stop words
  (an ``IN`` list Spark turns into a hash set), the same n-grams.
* The sample: see :mod:`.spark_sample`.
"""

from __future__ import annotations

import math
from functools import cached_property, reduce
from typing import TYPE_CHECKING

import numpy as np

from ..data import schema as S
from ..stats.phrases import ENGLISH_STOP_WORDS, TOKEN_PATTERN
from .base import RATES, CoMoments, Duplicates, Moments, Tails
from .spark_sample import arrow, draw, level_case

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SparkBackend", "DEFAULT_ACCURACY", "JAVA_TOKEN_PATTERN", "ORDER_COLUMNS"]

#: ``percentile_approx`` accuracy: rank error at most rows / accuracy (Spark's own default)
DEFAULT_ACCURACY = 10_000
#: scikit-learn's token pattern for Java: ``(?U)`` makes ``\w`` and ``\b`` Unicode-aware, as
#: Python's ``(?u)`` does
JAVA_TOKEN_PATTERN = "(?U)" + TOKEN_PATTERN.pattern.removeprefix("(?u)")
#: the data order: file (path) and row within the file, added by the loader
ORDER_COLUMNS = ("_file", "_row")


def _functions():
    from pyspark.sql import functions as F

    return F


def _all(conditions):
    return reduce(lambda a, b: a & b, conditions)


def _num(value) -> float:
    return math.nan if value is None else float(value)


class SparkBackend:
    """:class:`~.base.Backend` over a Spark DataFrame with the schema's data columns in their
    canonical types (``video_id`` long, duration and counts double, labels lower-case strings,
    null for missing), as :func:`claimreport.data.spark_loader.load_spark` makes it.

    Parameters
    ----------
    sdf : the data; columns ``_file`` and ``_row`` (the loader adds them) give the data order
        of :meth:`sample`, else Spark's ``monotonically_increasing_id`` does.
    rows : the number of rows when already known (saves a count).
    accuracy : ``percentile_approx`` accuracy; :attr:`quantile_error` is ``1 / accuracy``.
    unique_ids : the caller has checked that ``video_id`` is unique (the loader does), which
        saves a ``count(distinct)`` over the ids.
    """

    name = "spark"

    def __init__(self, sdf, rows: int | None = None, accuracy: int = DEFAULT_ACCURACY,
                 unique_ids: bool = False):
        F = _functions()
        missing = [c for c in S.DATA_COLUMNS if c not in sdf.columns]
        if missing:
            raise ValueError(f"SparkBackend needs the data columns {', '.join(missing)}; load "
                             "the data with claimreport.data.spark_loader.load_spark")
        order = [c for c in ORDER_COLUMNS if c in sdf.columns] or \
            [F.monotonically_increasing_id().alias("_row")]
        self._data = sdf.select(*S.DATA_COLUMNS, *order)
        self._order = [c for c in ORDER_COLUMNS if c in self._data.columns]
        self.accuracy = int(accuracy)
        self.quantile_error = 1.0 / self.accuracy
        self.rows = int(rows) if rows is not None else self._data.count()
        self._samples: dict[tuple, pd.DataFrame] = {}
        self._memo: dict[tuple, object] = {}
        if unique_ids:
            self.__dict__["_ids"] = self.rows  # the cached_property's value

    # ----------------------------------------------------------------- shared pieces

    @cached_property
    def frame(self):
        """The data with the derived columns (:data:`~.base.DERIVED`), as a Spark DataFrame."""
        F = _functions()
        views = F.when(F.col(S.VIEWS) > 0, F.col(S.VIEWS))
        return self._data.select(
            "*", F.length(S.TEXT).cast("double").alias(S.TEXT_LENGTH),
            *[(F.col(col) / views).alias(rate) for rate, col in RATES.items()])

    def _rows(self, by=(), complete=False, derived=True):
        """The rows of the groups of *by* (missing levels left out), complete ones if asked."""
        F = _functions()
        conditions = [F.col(b).isNotNull() for b in by]
        if complete:
            conditions += [F.col(c).isNotNull() for c in S.DATA_COLUMNS]
        df = self.frame if derived else self._data
        return df.where(_all(conditions)) if conditions else df

    @staticmethod
    def _agg(df, by, exprs) -> list:
        return (df.groupBy(*by).agg(*exprs) if by else df.agg(*exprs)).collect()

    # ----------------------------------------------------------------- the protocol
    # Every answer is kept: a Spark job costs seconds, an answer a few bytes, and the stages
    # ask some questions more than once (the overall moments, the missing patterns, the
    # duplicates). Moments and quantiles are kept per column, so a later question about a
    # subset of the columns asked before runs no job.

    def moments(self, columns, by=(), complete=False):
        return self._per_column("moments", columns, (tuple(by), bool(complete)),
                                lambda todo: self._moments(todo, tuple(by), complete))

    def quantiles(self, columns, probs, by=(), complete=False):
        probs = tuple(float(p) for p in probs)
        return self._per_column("quantiles", columns, (tuple(by), bool(complete), probs),
                                lambda todo: self._quantiles(todo, probs, tuple(by), complete))

    def counts(self, columns, complete=False):
        return self._once(("counts", tuple(columns), bool(complete)),
                          lambda: self._counts(columns, complete)).copy()

    def missing(self):
        per_column, patterns = self._once(("missing",), self._missing)
        return dict(per_column), patterns.copy()

    def comoments(self, columns, by=()):
        return dict(self._once(("comoments", tuple(columns), tuple(by)),
                               lambda: self._comoments(columns, tuple(by))))

    def histogram(self, column, edges, by=(), complete=False):
        edges = np.asarray(edges, dtype=float)
        key = ("histogram", column, edges.tobytes(), tuple(by), bool(complete))
        return {k: v.copy() for k, v in self._once(
            key, lambda: self._histogram(column, edges, tuple(by), complete)).items()}

    def tails(self, column, fences, by=(), complete=False):
        key = ("tails", column, tuple(sorted((k, tuple(map(float, v)))
                                             for k, v in fences.items())), tuple(by),
               bool(complete))
        return dict(self._once(key, lambda: self._tails(column, fences, tuple(by), complete)))

    def value_counts(self, column, by=()):
        return dict(self._once(("value_counts", column, tuple(by)),
                               lambda: self._value_counts(column, tuple(by))))

    def phrases(self, by, top, low=2, high=3):
        found = self._once(("phrases", by, int(top), int(low), int(high)),
                           lambda: self._phrases(by, top, low, high))
        return {level: list(p) for level, p in found.items()}

    def duplicates(self):
        return self._once(("duplicates",), self._duplicates)

    def _once(self, key: tuple, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def _per_column(self, kind: str, columns, key: tuple, compute) -> dict:
        """``{(levels, column): value}`` for *columns*, computing (in one job) only the columns
        not asked before with the same *key*."""
        store = self._memo.setdefault((kind, *key), {})
        todo = [c for c in dict.fromkeys(columns) if c not in store]
        if todo:
            found = compute(todo)
            for c in todo:
                store[c] = {levels: v for (levels, col), v in found.items() if col == c}
        return {(levels, c): v for c in columns for levels, v in store[c].items()}

    # ----------------------------------------------------------------- the jobs

    def _moments(self, columns, by=(), complete=False):
        F = _functions()
        by, rows = tuple(by), self._rows(by, complete)
        first = []
        for c in columns:
            x = F.col(c)
            first += [F.count(x), F.avg(x), F.min(x), F.max(x), F.min(F.when(x > 0, x))]
        head = {tuple(r[: len(by)]): r[len(by):] for r in self._agg(rows, by, first)}
        means = {c: {g: v[5 * i + 1] for g, v in head.items() if v[5 * i + 1] is not None}
                 for i, c in enumerate(columns)}
        sums = self._central_sums(rows, by, {c: (F.col(c),) for c in columns}, means,
                                  lambda d: _powers(d[0] * d[0], d[0]))
        out = {}
        for levels, v in head.items():
            for i, c in enumerate(columns):
                n, mean, low, high, low_positive = v[5 * i: 5 * i + 5]
                m2, m3, m4 = sums.get(levels, {}).get(c, (0.0, 0.0, 0.0))
                out[levels, c] = (Moments(int(n), float(mean), m2, m3, m4, float(low),
                                          float(high), _num(low_positive)) if n
                                  else Moments(0, *(math.nan,) * 6))
        return out

    def _quantiles(self, columns, probs, by=(), complete=False):
        F = _functions()
        by = tuple(by)
        exprs = [F.percentile_approx(c, [float(p) for p in probs], self.accuracy)
                 for c in columns]
        out = {}
        for row in self._agg(self._rows(by, complete), by, exprs):
            levels = tuple(row[: len(by)])
            for i, c in enumerate(columns):
                v = row[len(by) + i]
                out[levels, c] = (np.array(v, dtype=float) if v is not None
                                  else np.full(len(probs), np.nan))
        return out

    def _counts(self, columns, complete=False):
        import pandas as pd

        columns = list(columns)
        rows = self._rows((), complete, derived=False).groupBy(*columns).count().collect()
        rows = sorted((tuple(r) for r in rows),
                      key=lambda r: tuple((v is None, v if v is not None else 0) for v in r[:-1]))
        out = pd.DataFrame(rows, columns=[*columns, "count"]).astype({"count": "int64"})
        out[columns] = out[columns].astype(object)
        return out

    def _missing(self):
        import pandas as pd

        F = _functions()
        flags = [F.col(c).isNull().alias(c) for c in S.DATA_COLUMNS]
        rows = self._data.groupBy(*flags).count().collect()
        patterns = pd.DataFrame([tuple(r) for r in rows], columns=[*S.DATA_COLUMNS, "count"])
        patterns = patterns.astype({**dict.fromkeys(S.DATA_COLUMNS, bool), "count": "int64"})
        per_column = {c: int(patterns.loc[patterns[c], "count"].sum()) for c in S.DATA_COLUMNS}
        return per_column, patterns

    def distinct(self, columns):
        F = _functions()
        known = {S.ID: lambda: self._ids, S.TEXT: lambda: self._texts[0]}
        # One job per column: a single agg of several count(distinct) makes Spark copy every
        # row once per column (Expand), which is slower on large data.
        return {c: int(known[c]() if c in known else
                       self.frame.select(c).where(F.col(c).isNotNull()).distinct().count())
                for c in columns}

    @cached_property
    def _ids(self) -> int:
        """Distinct ids (shared by :meth:`distinct` and :meth:`duplicates`)."""
        F = _functions()
        return int(self._data.agg(F.count_distinct(S.ID)).collect()[0][0])

    @cached_property
    def _texts(self) -> tuple[int, int, int]:
        """Distinct transcriptions, repeated ones (copies after the first) and repeated ones
        whose copies carry different claim statuses (missing counts as a status): one
        ``groupBy`` on the text, shared by :meth:`distinct` and :meth:`duplicates`."""
        F = _functions()
        per_text = (self._data.where(F.col(S.TEXT).isNotNull()).groupBy(S.TEXT)
                    .agg(F.count("*").alias("k"),
                         (F.count_distinct(S.CLAIM)
                          + F.max(F.col(S.CLAIM).isNull().cast("int"))).alias("labels")))
        distinct, repeated, conflicts = per_text.agg(
            F.count("*"), F.sum(F.col("k") - 1),
            F.count(F.when((F.col("k") > 1) & (F.col("labels") > 1), 1))).collect()[0]
        return int(distinct), int(repeated or 0), int(conflicts)

    def _comoments(self, columns, by=()):
        F = _functions()
        columns, by, k = list(columns), tuple(by), len(columns)
        present = _all([F.col(c).isNotNull() for c in columns])
        x = {c: F.when(present, F.col(c)) for c in columns}
        rows = self._rows(by)
        head = {tuple(r[: len(by)]): r[len(by):] for r in self._agg(
            rows, by, [F.count(F.when(present, 1)), *[F.avg(v) for v in x.values()]])}
        means = {c: {g: v[i + 1] for g, v in head.items() if v[i + 1] is not None}
                 for i, c in enumerate(columns)}
        pairs = [(i, j) for i in range(k) for j in range(i, k)]
        sums = self._central_sums(rows, by, {"_all": tuple(x.values())}, means,
                                  lambda d: tuple(d[i] * d[j] for i, j in pairs),
                                  names=columns)
        out = {}
        for levels, v in head.items():
            cross = np.zeros((k, k))
            for (i, j), total in zip(pairs, sums.get(levels, {}).get("_all", ())):
                cross[i, j] = cross[j, i] = total
            out[levels] = CoMoments(int(v[0]), tuple(columns),
                                    np.array([_num(m) for m in v[1:]]), cross)
        return out

    def _central_sums(self, rows, by, terms: dict, means: dict, products, names=None) -> dict:
        """Second pass of the two-pass moments: per group and term, the sums of *products* of
        the deviations ``x - mean`` of the term's columns (the group's mean from the first
        pass, as a literal), exactly as the pandas backend forms them."""
        F = _functions()
        exprs, shape = [], {}
        for term, xs in terms.items():
            cols = names if names is not None else [term]
            deviations = [x - level_case(by, means[c], F) for x, c in zip(xs, cols)]
            parts = products(deviations)
            shape[term] = len(parts)
            exprs += [F.sum(p) for p in parts]
        out: dict[tuple, dict] = {}
        for r in self._agg(rows, by, exprs):
            values, at = r[len(by):], 0
            for term, width in shape.items():
                out.setdefault(tuple(r[: len(by)]), {})[term] = tuple(
                    float(v) if v is not None else 0.0 for v in values[at: at + width])
                at += width
        return out

    def _histogram(self, column, edges, by=(), complete=False):
        F = _functions()
        by, edges = tuple(by), np.asarray(edges, dtype=float)
        k = len(edges) - 1
        rows = (self._rows(by, complete).groupBy(*by, _bucket(F.col(column), edges, F)
                                                 .alias("_bin")).count().collect())
        out: dict[tuple, np.ndarray] = {}
        for row in rows:
            counts = out.setdefault(tuple(row[: len(by)]), np.zeros(k, dtype=np.int64))
            if row["_bin"] is not None:
                counts[row["_bin"]] += row["count"]
        if not by:
            out.setdefault((), np.zeros(k, dtype=np.int64))
        return out

    def _tails(self, column, fences, by=(), complete=False):
        F = _functions()
        by = tuple(by)
        # A NaN fence compares false with everything in numpy, but Spark orders NaN above
        # every number: pass it as null, which compares as nothing.
        lo = level_case(by, {g: None if math.isnan(f[0]) else float(f[0])
                                   for g, f in fences.items()}, F)
        hi = level_case(by, {g: None if math.isnan(f[1]) else float(f[1])
                                   for g, f in fences.items()}, F)
        x = F.col(column)
        inside = F.when((x >= lo) & (x <= hi), x)
        exprs = [F.count(F.when(x < lo, 1)), F.count(F.when(x > hi, 1)), F.min(inside),
                 F.max(inside)]
        out = {}
        for row in self._agg(self._rows(by, complete), by, exprs):
            levels = tuple(row[: len(by)])
            if levels in fences:
                below, above, low, high = row[len(by):]
                out[levels] = Tails(int(below), int(above), _num(low), _num(high))
        return out

    def _value_counts(self, column, by=()):
        by = tuple(by)
        rows = arrow(self._rows(by).groupBy(*by, column).count()).to_pandas()
        groups = rows.groupby(list(by), sort=False, dropna=True) if by else [((), rows)]
        out = {}
        for levels, part in groups:
            values = part[column].to_numpy(dtype=float, na_value=np.nan)
            finite = np.isfinite(values)
            order = np.argsort(values[finite], kind="stable")
            out[levels if isinstance(levels, tuple) else (levels,)] = (
                values[finite][order], part["count"].to_numpy(dtype=np.int64)[finite][order])
        return out

    def _phrases(self, by, top, low=2, high=3):
        from pyspark.sql import Window

        F = _functions()
        tokens = F.filter(F.regexp_extract_all(F.lower(F.col(S.TEXT)), F.lit(JAVA_TOKEN_PATTERN),
                                               0),
                          lambda t: ~t.isin(sorted(ENGLISH_STOP_WORDS)))
        texts = self._rows((by,), derived=False).where(F.col(S.TEXT).isNotNull())
        tokenised = texts.select(by, tokens.alias("_tokens"))
        t = F.col("_tokens")
        def gram(n: int):  # (a one-argument lambda: transform passes the index as a second)
            return lambda i: F.concat_ws(" ", F.slice(t, i + 1, n))

        grams = [F.when(F.size(t) >= n, F.transform(F.sequence(F.lit(0), F.size(t) - n),
                                                    gram(n)))
                 .otherwise(F.array().cast("array<string>")) for n in range(low, high + 1)]
        counts = (tokenised.select(by, F.explode(F.concat(*grams)).alias("_phrase"))
                  .groupBy(by, "_phrase").count())
        rank = F.row_number().over(Window.partitionBy(by).orderBy(F.desc("count"),
                                                                  F.asc("_phrase")))
        rows = counts.select(by, "_phrase", "count", rank.alias("_rank")) \
            .where(F.col("_rank") <= top).collect()
        out = {level: [] for level in self._levels(by)}
        for row in sorted(rows, key=lambda r: r["_rank"]):
            out.setdefault(row[by], []).append((row["_phrase"], int(row["count"])))
        return out

    def _duplicates(self):
        # A repeated row repeats its id: with unique ids (the loader's check) the costly
        # distinct over every column is not needed.
        distinct_rows = self.rows if self._ids == self.rows else \
            self._data.select(*S.DATA_COLUMNS).distinct().count()
        _, texts, conflicts = self._texts
        return Duplicates(rows=self.rows - distinct_rows, ids=self.rows - self._ids,
                          texts=texts, text_conflicts=conflicts)

    def sample(self, max_rows, by, seed):
        key = (int(max_rows), by, int(seed))
        if key not in self._samples:
            self._samples[key] = draw(self._data, self.rows, self._order, *key)
        return self._samples[key]

    # ----------------------------------------------------------------- helpers

    def _levels(self, by: str) -> list:
        return [r[0] for r in self._rows((by,), derived=False).select(by).distinct().collect()]


def _powers(d2, d):
    """``(d², d³, d⁴)`` formed as ``Moments.of`` forms them (``d2 * d``, ``d2 * d2``)."""
    return d2, d2 * d, d2 * d2


def _bucket(x, edges: np.ndarray, F):
    """The ``numpy.histogram`` bin of *x*: ``i`` where ``edges[i] <= x < edges[i+1]``, the
    last edge in the last bin, null outside the edges; a binary search as nested CASE WHEN."""
    k = len(edges) - 1

    def node(lo: int, hi: int):  # edges[lo] <= x < edges[hi]: the largest i with edges[i] <= x
        if hi - lo == 1:
            return F.lit(lo)
        mid = (lo + hi) // 2
        return F.when(x < F.lit(float(edges[mid])), node(lo, mid)).otherwise(node(mid, hi))

    return (F.when(x.isNull() | (x < F.lit(float(edges[0]))) | (x > F.lit(float(edges[-1]))),
                   F.lit(None))
            .when(x == F.lit(float(edges[-1])), F.lit(k - 1))
            .otherwise(node(0, k)))
