"""Write a frame in the course CSV format fast: the bytes of ``DataFrame.to_csv``, built by Arrow.

Why a module of its own: ``DataFrame.to_csv`` formats every cell in Python (about a minute for
the 10-million-row benchmark file). Here each column becomes Arrow strings (integers cast,
missing values ``#N/A``, text quoted where it holds a comma), the columns are joined row-wise by
Arrow's string kernels and the joined lines are written straight from Arrow's buffer. The bytes
are those of ``frame.to_csv(index=False, na_rep="#N/A", lineterminator="\\n")`` (a test pins
them); whatever this writer does not handle byte for byte (a column that is neither integer nor
text, text holding a quote or a line break) is written by pandas itself, a chunk of rows at a
time. Internal to :mod:`claimreport.data.demo`.
"""

from __future__ import annotations

from typing import BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["write_frame_csv", "NA_REP", "CHUNK_ROWS"]

NA_REP = "#N/A"
#: rows formatted at a time (bounds the memory of the joined lines)
CHUNK_ROWS = 500_000
# pandas writes with the csv module (QUOTE_MINIMAL, lineterminator "\n"): a field is quoted when
# it holds the delimiter, the quote character or a line break. Text holding the last two goes
# through pandas, so only the comma is handled here.
_PANDAS_ONLY = '["\r\n]'


def _to_csv_kwargs() -> dict:
    return {"index": False, "na_rep": NA_REP, "lineterminator": "\n"}


def _cells(s: pd.Series) -> pa.Array | None:
    """The CSV cells of one column as Arrow strings, or None when pandas must write them."""
    if pd.api.types.is_integer_dtype(s.dtype):
        values = pa.array(s, from_pandas=True)
        return pc.fill_null(pc.cast(values, pa.string()), NA_REP)
    if not pd.api.types.is_string_dtype(s.dtype) or (
            s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) not in ("string",
                                                                                   "empty")):
        return None
    text = pa.array(s, type=pa.string(), from_pandas=True)
    if pc.any(pc.match_substring_regex(text, _PANDAS_ONLY)).as_py():
        return None
    quoted = pc.binary_join_element_wise('"', text, '"', "")
    return pc.fill_null(pc.if_else(pc.match_substring(text, ","), quoted, text), NA_REP)


def _write_lines(columns: list[pa.Array], handle: BinaryIO) -> None:
    lines = pc.binary_join_element_wise(*columns, ",")
    lines = pc.binary_join_element_wise(lines, "\n", "")
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    if lines.type != pa.large_string():
        lines = lines.cast(pa.large_string())  # 64-bit offsets: one buffer whatever its size
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64, count=len(lines) + 1,
                            offset=lines.offset * 8)
    handle.write(memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]])


def write_frame_csv(frame: pd.DataFrame, handle: BinaryIO, chunk_rows: int = CHUNK_ROWS) -> None:
    """Write *frame* to the binary *handle* as ``frame.to_csv(index=False, na_rep="#N/A",
    lineterminator="\\n")`` would, encoded as UTF-8."""
    kwargs = _to_csv_kwargs()
    handle.write(frame.iloc[:0].to_csv(**kwargs).encode("utf-8"))
    if frame.shape[1] < 2:  # a lone empty field is quoted by the csv module: leave it to pandas
        handle.write(frame.to_csv(header=False, **kwargs).encode("utf-8"))
        return
    for start in range(0, len(frame), chunk_rows):
        part = frame.iloc[start:start + chunk_rows]
        columns = []
        for name in part.columns:
            cells = _cells(part[name])
            if cells is None:
                break
            columns.append(cells)
        else:
            _write_lines(columns, handle)
            continue
        handle.write(part.to_csv(header=False, **kwargs).encode("utf-8"))
