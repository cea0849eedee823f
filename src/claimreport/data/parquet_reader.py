"""Read a Parquet file into pandas columns without losing exact integers.

Why a module of its own: Parquet arrives typed (nullable integers, booleans, timestamps, lists),
so reading it is a different job from tokenising CSV text; the result then goes through the same
column checks as a CSV. Internal to :mod:`claimreport.data.load`.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from claimreport.data.column_checks import _LOOKUP
from claimreport.errors import DataValidationError

# Parquet integers and booleans -> pandas nullable types (exact values, gaps as <NA>).
_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
             pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(),
             pa.bool_(): pd.BooleanDtype()}
# Parquet text -> pandas' default text dtype, kept in Arrow (no Python object per cell) when
# that dtype is Arrow-backed (pandas 3: ``str``).
_TEXT = pd.Series(["x"]).dtype
if getattr(_TEXT, "storage", None) == "pyarrow":
    _NULLABLE.update({pa.string(): _TEXT, pa.large_string(): _TEXT})


def _parse_parquet(data: bytes, shown: str) -> pd.DataFrame:
    """Read Parquet with pyarrow, column by column.

    A stored pandas index is discarded (row position is what counts) unless it is one of the
    data columns, e.g. ``video_id`` saved as the index. Integer and boolean columns become
    pandas' nullable types, so an integer column with a gap keeps exact values (a float64
    detour would round ids above 2**53 and turn a transcription ``5`` into ``"5.0"``).
    """
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(pa.BufferReader(data)).read()  # allows repeated column names
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise DataValidationError(shown, [
            f"is not a readable Parquet file ({type(exc).__name__}: {exc})"]) from None
    index = {c for c in (table.schema.pandas_metadata or {}).get("index_columns", [])
             if isinstance(c, str) and _LOOKUP.get(c.strip().lower()) is None}
    names, columns, problems = [], [], []
    for i, field in enumerate(table.schema):
        if field.name in index:
            continue
        try:
            series = table.column(i).to_pandas(types_mapper=_NULLABLE.get)
        except Exception as exc:  # e.g. timestamps out of pandas' range, extension types
            if _LOOKUP.get(field.name.lstrip("\ufeff").strip().lower()) is not None:
                problems.append(f"column {field.name!r} of Parquet type {field.type} cannot be "
                                f"read ({type(exc).__name__}: {exc}); store it as text or numbers")
            series = pd.Series([None] * table.num_rows, dtype=object)  # extra: dropped anyway
        names.append(field.name)
        columns.append(series.reset_index(drop=True))
    if problems:
        raise DataValidationError(shown, problems)
    frame = pd.concat(columns, axis=1, ignore_index=True) if columns else pd.DataFrame()
    frame.columns = names
    return frame
