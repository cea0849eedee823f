"""Column checks and coercions: every data column to its canonical type, or a problem per defect.

Why a module of its own: these rules (labels, engagement counts and duration, ``video_id``,
transcriptions, nested cells, the row-number column) are the schema as the loader enforces it,
and they apply unchanged to CSV text and to typed Parquet columns. Each check appends its
problems to a shared list instead of raising, so that :mod:`claimreport.data.load` can report
every problem in the file at once. Internal to :mod:`claimreport.data.load`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from claimreport.data import schema
from claimreport.data.problem_wording import _ROWS, _SHOW, _clip, _count, _where

_INT64_MAX = np.iinfo(np.int64).max
# Every whole number below 2**53 is exact in float64; above it neighbouring ids collapse.
_FLOAT_EXACT = 2**53
_NESTED = (list, tuple, dict, set, np.ndarray)
_LOOKUP = {c.lower(): c for c in schema.DATA_COLUMNS}
# The default text dtype: ``str`` (NaN for missing) on pandas 3, ``object`` on pandas 2.
_TEXT_DTYPE = pd.Series(["x"]).dtype


def _plain(s: pd.Series) -> bool:
    """Whether every cell of *s* is a scalar; only object columns are looked at cell by cell."""
    return s.dtype != object or pd.api.types.infer_dtype(s, skipna=True) in (
        "string", "empty", "integer", "floating", "mixed-integer-float", "decimal", "boolean")


def _nested(col: str, s: pd.Series, problems: list[str]) -> bool:
    """Report cells holding lists, arrays or records (Parquet list/struct/map columns)."""
    if _plain(s):
        return False
    mask = s.map(lambda v: isinstance(v, _NESTED)).to_numpy(dtype=bool)
    if not mask.any():
        return False
    example = _clip(repr(s[mask].iloc[0]))
    problems.append(f"column {col!r}: {_count(int(mask.sum()), 'cell')} {_where(mask, None)} "
                    f"{'holds' if mask.sum() == 1 else 'hold'} nested values (lists or records, "
                    f"e.g. {example}); store one plain text or number per cell")
    return True


def _strings(s: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Every cell as ``str`` ("" where missing), the NaN/None mask, and a mask of binary cells
    that are not UTF-8. Numbers and booleans (a Parquet column of another type) become their
    ``str``; bytes are decoded."""
    isna = s.isna().to_numpy()
    undecodable = np.zeros(len(s), dtype=bool)
    if s.dtype != object and pd.api.types.is_string_dtype(s.dtype):
        # a text column (CSV, Parquet strings): stays in Arrow, no Python object per cell
        return s.fillna(""), isna, undecodable
    obj = s.astype(object).where(~isna, "")
    if pd.api.types.infer_dtype(obj, skipna=False) not in ("string", "empty"):
        cells = []
        for i, v in enumerate(obj):
            if isinstance(v, bytes):
                try:
                    v = v.decode("utf-8")
                except UnicodeDecodeError:
                    undecodable[i] = True
                    v = repr(v)
            cells.append(str(v))
        obj = pd.Series(cells, index=obj.index, dtype=object)
    return obj, isna, undecodable


def _text(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Stripped text of every cell, and a mask of missing cells (NaN/None or in ``NA_VALUES``)."""
    obj, isna, _ = _strings(s)
    txt = obj.astype(str).str.strip()
    return txt, isna | txt.isin(schema.NA_VALUES).to_numpy()


def _transcriptions(col: str, s: pd.Series, problems: list[str]) -> pd.Series:
    """The text as written (not stripped: lengths and phrases are analysed), always ``str``."""
    obj, isna, undecodable = _strings(s)
    if undecodable.any():
        problems.append(f"column {col!r}: {_count(int(undecodable.sum()), 'value')} "
                        f"{_where(undecodable, None)} {'is' if undecodable.sum() == 1 else 'are'} "
                        "binary data that is not UTF-8 text; store the transcriptions as text")
    missing = isna | obj.astype(str).str.strip().isin(schema.NA_VALUES).to_numpy()
    return obj.where(~missing, np.nan).astype(_TEXT_DTYPE)


def _is_row_numbers(s: pd.Series) -> bool:
    """Whether *s* holds exactly 1..n or 0..n-1 in order: a row number, not data."""
    if not _plain(s):
        return False
    txt, missing = _text(s)
    if missing.any():
        return False
    values = pd.to_numeric(txt, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    n = len(values)
    return bool((values == np.arange(1, n + 1)).all() or (values == np.arange(n)).all())


def _labels(col: str, s: pd.Series, problems: list[str]) -> pd.Series:
    """Stripped, lower-cased labels; unknown labels and forbidden gaps become problems."""
    allowed = schema.LABELS[col]
    txt, missing = _text(s)
    low = txt.str.lower()
    bad = ~missing & ~low.isin(allowed).to_numpy()
    required = col in schema.ALWAYS_PRESENT
    if bad.any():
        gap = "never missing" if required else "or empty / #N/A when missing"
        problems.append(f"column {col!r}: {_count(int(bad.sum()), 'unknown label')} "
                        f"{_where(bad, txt)}; allowed: {', '.join(map(repr, allowed))} ({gap})")
    if required:
        _no_gaps(col, missing, problems)
    if low.dtype == _TEXT_DTYPE and low.dtype != object:
        return low.where(~missing, np.nan)
    return low.astype(object).where(~missing, np.nan).astype(_TEXT_DTYPE)


def _no_gaps(col: str, missing: np.ndarray, problems: list[str]) -> None:
    if missing.any():
        problems.append(f"column {col!r}: {_count(int(missing.sum()), 'missing value')} "
                        f"{_where(missing, None)}; every row needs a {col}")


def _parse(col: str, s: pd.Series, problems: list[str]
           ) -> tuple[pd.Series, np.ndarray, np.ndarray, bool]:
    """Parse a count, the duration or the id; report non-numbers, negatives, fractions, gaps.

    Returns the cells as shown in messages, the missing mask, the float64 values and whether
    the column arrived numeric (Parquet, a frame) rather than as text.
    """
    numeric = (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)
               and not pd.api.types.is_complex_dtype(s))
    if numeric:
        shown, missing, parsed = s, s.isna().to_numpy(), s
    else:
        shown, missing = _text(s)
        parsed = pd.to_numeric(shown.where(~missing, ""), errors="coerce")
    values = parsed.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~missing & ~np.isfinite(values)
    if bad.any():
        k = int(bad.sum())
        what = "a finite number" if numeric else "numeric"
        problems.append(f"column {col!r}: {_count(k, 'value')} {'is' if k == 1 else 'are'} not "
                        f"{what} {_where(bad, shown)}; write plain numbers like 343296 or 343296.0")
    ok = np.isfinite(values)
    neg = ok & (values < 0)
    if neg.any():
        problems.append(f"column {col!r}: {_count(int(neg.sum()), 'negative value')} "
                        f"{_where(neg, shown)}; counts and durations cannot be below 0")
    frac = ok & (values != np.floor(values))
    if col != schema.DURATION and frac.any():
        problems.append(f"column {col!r}: {_count(int(frac.sum()), 'non-integer value')} "
                        f"{_where(frac, shown)}; {col} must be a whole number")
    if col in schema.ALWAYS_PRESENT:
        _no_gaps(col, missing, problems)
    return shown, missing, values, numeric


def _numbers(col: str, s: pd.Series, problems: list[str]) -> pd.Series:
    """A count or the duration as float64 (NaN = missing), within ``schema.MAX_COUNT``."""
    shown, _, values, _ = _parse(col, s, problems)
    big = np.isfinite(values) & (values > schema.MAX_COUNT)
    if big.any():
        k = int(big.sum())
        problems.append(
            f"column {col!r}: {_count(k, 'value')} {'is' if k == 1 else 'are'} above the "
            f"plausibility ceiling of {schema.MAX_COUNT:,} {_where(big, shown)}; real counts "
            "and durations are far smaller (the most-watched videos have about 10,000,000,000 "
            "views), so such a value is a corrupted cell or a wrong unit")
    return pd.Series(values, dtype="float64")


def _ids(col: str, s: pd.Series, problems: list[str]) -> pd.Series:
    """``video_id`` as exact int64: whole, non-negative, unique, within the int64 range.

    Notes
    -----
    Ids are identifiers, so they must come through digit for digit. Integers (text or an
    integer column) are read exactly. A float can only be trusted below 2**53: above it,
    neighbouring whole numbers share one float, so ``1.2345678901234567e+18`` may be the
    rounded form of several ids; such values are refused rather than silently altered.
    """
    before = len(problems)
    shown, missing, values, numeric = _parse(col, s, problems)
    ok = np.isfinite(values) & (values >= 0)
    if numeric and pd.api.types.is_integer_dtype(s):
        int_like = ~missing
        above = (pd.api.types.is_unsigned_integer_dtype(s)
                 & (s.to_numpy(dtype="uint64", na_value=0) > _INT64_MAX))
    elif numeric:
        int_like = np.zeros(len(s), dtype=bool)
        above = np.zeros(len(s), dtype=bool)
    else:
        int_like = ~missing & shown.str.fullmatch(r"[+-]?\d+").to_numpy(dtype=bool)
        digits = shown.str.lstrip("+").str.lstrip("0")
        size = digits.str.len().to_numpy()
        above = int_like & ok & ((size > 19) | ((size == 19)
                                                & (digits > str(_INT64_MAX)).to_numpy(dtype=bool)))
    if above.any():
        k = int(above.sum())
        problems.append(f"column {col!r}: {_count(k, 'id')} {'is' if k == 1 else 'are'} above "
                        f"the 64-bit integer range {_where(above, shown)}; ids must be whole "
                        f"numbers from 0 to {_INT64_MAX:,}")
    rounded = ~int_like & ok & (values >= _FLOAT_EXACT)
    if rounded.any():
        k = int(rounded.sum())
        problems.append(
            f"column {col!r}: {_count(k, 'id')} {'is a' if k == 1 else 'are'} floating-point "
            f"{'value' if k == 1 else 'values'} of at least 2**53 ({_FLOAT_EXACT:,}) "
            f"{_where(rounded, shown)}; a float that large cannot hold every digit of an id, "
            "so it may have been rounded: export the ids as whole numbers (e.g. 7017666017, "
            "not 7.017666017e+09)")
    if len(problems) > before:
        return pd.Series(values, dtype="float64")
    ids = np.zeros(len(s), dtype="int64")
    ids[~int_like] = values[~int_like].astype("int64")  # floats below 2**53: exact
    if int_like.any():  # integers never go through float64
        exact = s[int_like] if numeric else pd.to_numeric(shown[int_like])
        ids[int_like] = exact.to_numpy(dtype="int64")
    dup = pd.Series(ids).duplicated(keep=False).to_numpy()
    if dup.any():
        repeated = pd.unique(ids[dup])
        groups = "; ".join(
            f"{v} at data rows {', '.join(str(r + 1) for r in np.flatnonzero(ids == v)[:_SHOW])}"
            for v in repeated[:_SHOW])
        etc = f" (and {len(repeated) - _SHOW:,} more ids)" if len(repeated) > _SHOW else ""
        verb = "appears" if len(repeated) == 1 else "appear"
        problems.append(f"column {col!r}: {_count(len(repeated), 'id')} {verb} more than once "
                        f"({_ROWS}): {groups}{etc}; each video must appear exactly once")
    return pd.Series(ids, dtype="int64")
