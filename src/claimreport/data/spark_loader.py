"""Load the dataset with Spark: a Parquet file, a partitioned Parquet folder or a catalog table.

Why a second loader: past one machine's memory the data cannot go through
:func:`claimreport.data.load.load_data`, which reads every row into pandas. This loader reads
with Spark, checks the schema with Spark aggregates (:mod:`.spark_checks`: the same rules and
messages as the pandas loader), and returns a :class:`~claimreport.data.load.LoadedData` whose
``backend`` is a :class:`~claimreport.backends.spark_backend.SparkBackend` over the whole data,
while ``frame`` holds the stratified sample of at most ``sample_rows`` rows (every row when the
data are smaller) that regression, modeling and the rank-based checks fit on.

A ``.csv`` file is read and checked by the pandas loader (it must fit in memory) and then
handed to Spark, so a small file runs on both backends unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from claimreport.data import schema
from claimreport.data.load import CSV_SUFFIXES, PARQUET_SUFFIXES, LoadedData
from claimreport.errors import ConfigError, DataValidationError

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

__all__ = ["SparkSource", "load_spark", "to_spark", "fingerprint_folder",
           "summarize_statistics"]


@dataclass(frozen=True)
class SparkSource:
    """What ``--backend spark`` adds to a build: a catalog table read instead of ``--data``,
    and the session's settings (``--conf key=value``)."""

    table: str | None = None
    conf: dict[str, str] = field(default_factory=dict)


def load_spark(source: str | os.PathLike[str] | None = None, spark=None, table: str | None = None,
               sample_rows: int = 1_000_000, seed: int = 42, conf: dict[str, str] | None = None,
               accuracy: int | None = None) -> LoadedData:
    """Read and validate the data with Spark.

    Parameters
    ----------
    source : a Parquet file, a folder of Parquet files (partitioned ``key=value`` folders
        included), a URI of either that Spark's file systems read (``s3a://bucket/videos``,
        given as a string), or a ``.csv`` file (read by the pandas loader).
    spark : an existing SparkSession; default: the active one, else a new one (``local[*]``
        unless *conf* sets ``spark.master``).
    table : a table name in the session's catalog (``db.videos``), instead of *source*.
    sample_rows, seed : the size and seed of ``frame``, the stratified sample (see
        :meth:`SparkBackend.sample <claimreport.backends.spark_backend.SparkBackend.sample>`).
    conf : settings for a new session.
    accuracy : ``percentile_approx`` accuracy (default 10,000: quantile ranks within
        rows / 10,000).

    Raises
    ------
    DataValidationError
        The input cannot be read or breaks the schema (every problem listed).
    ConfigError
        Neither or both of *source* and *table*; Spark cannot start.
    """
    from claimreport.backends.spark_backend import DEFAULT_ACCURACY, SparkBackend
    from claimreport.data.spark_checks import canonical_columns
    from claimreport.data.spark_session import spark_session

    if (source is None) == (table is None):
        raise ConfigError("pass either a Parquet path or a table name to the Spark loader")
    spark = spark if spark is not None else spark_session(conf)
    accuracy = accuracy or DEFAULT_ACCURACY
    if table is not None:
        raw, order = _read_table(spark, table)
        canonical, rows, row_col, dropped = canonical_columns(raw, table, None, order)
        where, fmt, sha256 = Path(table), "table", _table_fingerprint(spark, table, raw, rows)
    elif isinstance(source, str) and _URI.match(source) and not source.startswith("file:"):
        # hdfs://, s3a://, abfss://...: read by Spark's file systems, fingerprinted by what
        # Spark lists (sizes and times are not asked for: that would cost a listing per file)
        raw, order = _read_parquet(spark, source, source)
        canonical, rows, row_col, dropped = canonical_columns(raw, source, source, order)
        where, fmt = Path(source.rstrip("/")), "parquet"
        sha256 = _table_fingerprint(spark, source, raw, rows, detail=False)
    else:
        shown, path = os.fspath(source), Path(source)
        kind = _check_path(path, shown)
        if kind == "csv":
            return _from_csv(spark, path, sample_rows, seed, accuracy)
        raw, order = _read_parquet(spark, str(path.resolve()), shown)
        folder = path.resolve() if kind == "folder" else None
        canonical, rows, row_col, dropped = canonical_columns(raw, shown, folder, order)
        where, fmt = path.resolve(), "parquet"
        sha256 = fingerprint_folder(path) if folder else _file_sha256(path)
    backend = SparkBackend(canonical, rows=rows, accuracy=accuracy, unique_ids=True)
    frame = backend.sample(sample_rows, schema.CLAIM, seed)[list(schema.DATA_COLUMNS)]
    return LoadedData(frame=frame, source=where, sha256=sha256, rows=rows,
                      row_number_column=row_col, dropped_columns=dropped, format=fmt,
                      backend=backend)


def _file_sha256(path: Path) -> str:
    from claimreport.fingerprint import file_sha256

    return file_sha256(path)


def fingerprint_folder(folder: Path) -> str:
    """sha256 of the sorted relative paths, sizes and modification times of the files Spark
    reads in *folder* (names starting with ``.`` or ``_`` are skipped, as Spark skips them):
    hashing the bytes of a large partitioned dataset would cost as much as reading it."""
    h = hashlib.sha256(b"claimreport parquet folder\n")
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if any(part.startswith((".", "_")) and "=" not in part for part in rel.parts):
            continue
        st = path.stat()
        h.update(f"{rel.as_posix()}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def _table_fingerprint(spark, table: str, raw, rows: int, detail: bool = True) -> str:
    """Delta's ``DESCRIBE DETAIL`` (version, files, size, last modified) when the table has
    one; else its name, row count, schema and input files."""
    h = hashlib.sha256(f"claimreport table\n{table}\n".encode())
    if detail:
        try:
            found = spark.sql(f"DESCRIBE DETAIL {table}").collect()
            h.update(repr([tuple(r) for r in found]).encode())
            return h.hexdigest()
        except Exception:  # not a Delta table (plain Spark has no DESCRIBE DETAIL)
            pass
    try:
        files = sorted(raw.inputFiles())
    except Exception:
        files = []
    h.update(f"{rows}\n{raw.schema.json()}\n{files}".encode())
    return h.hexdigest()


def _check_path(path: Path, shown: str) -> str:
    """"file", "folder" or "csv"; one-line problems for what Spark should not be given."""
    try:
        st = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise DataValidationError(shown, [
            f"does not exist (looked for {path.absolute()}); pass a Parquet file or folder "
            "(or --table NAME for a table of the Spark catalog)"]) from None
    except OSError as exc:
        raise DataValidationError(shown, [f"cannot be read: {exc.strerror or exc}"]) from None
    if stat.S_ISDIR(st.st_mode):
        return "folder"
    if not stat.S_ISREG(st.st_mode):
        raise DataValidationError(shown, [
            "is not a regular file or folder; pipes, sockets and devices are not read"])
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix not in PARQUET_SUFFIXES:
        raise DataValidationError(shown, [
            f"unsupported file type {suffix or '(no extension)'!r} for the Spark backend; "
            "expected a .parquet or .pq file, a folder of them, or a .csv file"])
    return "file"


def _with_order(spark, reader):
    """The data with ``_file`` and ``_row`` (Parquet's row index within its file: the data
    order, whatever the partitioning), or only a ``_row`` where no file metadata exist."""
    from pyspark.sql import functions as F

    df = reader()
    try:
        return df.select("*", F.col("_metadata.file_path").alias("_file"),
                         F.col("_metadata.row_index").alias("_row")), ["_file", "_row"]
    except Exception:  # a source without Spark's file metadata (a view, a JDBC table)
        return df.select("*", F.monotonically_increasing_id().alias("_row")), ["_row"]


def _read_parquet(spark, location: str, shown: str):
    from claimreport.data.spark_checks import _unreadable

    try:
        return _with_order(spark, lambda: spark.read.parquet(location))
    except Exception as exc:  # AnalysisException: no Parquet files, unreadable footers
        if "UNABLE_TO_INFER_SCHEMA" in str(exc) or "Unable to infer schema" in str(exc):
            raise DataValidationError(shown, [
                "holds no Parquet files Spark can read (files starting with '.' or '_' are "
                "skipped); pass a .parquet file or a folder of them"]) from None
        raise DataValidationError(shown, [_unreadable(exc)]) from None


def _read_table(spark, table: str):
    try:
        return _with_order(spark, lambda: spark.table(table))
    except Exception as exc:
        text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
        raise DataValidationError(table, [
            f"is not a table of the Spark catalog ({text}); check the name (db.table) and "
            "spark.sql.catalog / spark.sql.warehouse.dir settings"]) from None


def to_spark(spark, frame):
    """A validated pandas *frame* (``LoadedData.frame``) as a Spark DataFrame with the data
    columns and its row order (``_row``); through Arrow, so types and missing values stay."""
    import numpy as np
    import pyarrow as pa

    frame = frame[list(schema.DATA_COLUMNS)].assign(_row=np.arange(len(frame), dtype=np.int64))
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.cast(pa.schema([pa.field(f.name, pa.string()) if pa.types.is_large_string(
        f.type) else f for f in table.schema]))
    try:
        return spark.createDataFrame(table)
    except TypeError:  # pragma: no cover - Spark 3.5 takes pandas frames, not Arrow tables
        return spark.createDataFrame(table.to_pandas())


def _from_csv(spark, path: Path, sample_rows: int, seed: int, accuracy: int) -> LoadedData:
    """A CSV read and checked by the pandas loader, then distributed."""
    from pyspark.sql import functions as F

    from claimreport.backends.spark_backend import SparkBackend
    from claimreport.data.load import load_data

    loaded = load_data(path)
    sdf = to_spark(spark, loaded.frame)
    sdf = sdf.select(*schema.DATA_COLUMNS, F.lit(str(loaded.source)).alias("_file"), "_row")
    backend = SparkBackend(sdf, rows=loaded.rows, accuracy=accuracy, unique_ids=True)
    sample = backend.sample(sample_rows, schema.CLAIM, seed)[list(schema.DATA_COLUMNS)]
    return LoadedData(frame=sample, source=loaded.source, sha256=loaded.sha256,
                      rows=loaded.rows, row_number_column=loaded.row_number_column,
                      dropped_columns=loaded.dropped_columns, format=loaded.format,
                      backend=backend)


def summarize_statistics(loaded: LoadedData) -> list[str]:
    """:func:`claimreport.data.load.summarize` from the backend's aggregates (whole data, not
    the sample), for ``claimreport validate --backend spark``."""
    stats = loaded.statistics()
    n = loaded.rows
    pct = (lambda k: f"{k:,} ({k / n:.1%})") if n else (lambda k: f"{k:,}")
    per_column, patterns = stats.missing()
    complete = int(patterns.loc[~patterns[list(schema.DATA_COLUMNS)].any(axis=1), "count"].sum())
    claims = stats.counts([schema.CLAIM])
    by_label = dict(zip(claims[schema.CLAIM], claims["count"]))
    extras = []
    if loaded.row_number_column is not None:
        extras.append(f"row-number column {loaded.row_number_column!r} dropped")
    if loaded.dropped_columns:
        extras.append("extra columns dropped: " + ", ".join(map(repr, loaded.dropped_columns)))
    lines = [
        f"source: {loaded.source} ({loaded.format}, read with Spark)",
        f"rows: {n:,}",
        f"columns: {len(schema.DATA_COLUMNS)} data columns"
        + (f" ({'; '.join(extras)})" if extras else ""),
        f"rows complete (no missing value): {pct(complete)}",
        f"rows missing claim status: {pct(int(by_label.get(None, 0)))}",
        "claim status: " + ", ".join(f"{int(by_label.get(lab, 0)):,} {lab}"
                                     for lab in schema.LABELS[schema.CLAIM]),
    ]
    lines += [f"missing in {c}: {pct(k)}" for c, k in per_column.items() if k > 0]
    lines.append(f"duplicate video ids: {n - stats.distinct([schema.ID])[schema.ID]}")
    lines.append(f"sha256: {loaded.sha256[:12]}…")
    return lines
