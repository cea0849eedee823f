"""Read the course CSV (or a Parquet copy), check it against the schema, return one canonical frame.

Why not a bare ``pd.read_csv``: the published file has quirks (``#N/A`` for missing values, a ``#``
row-number column, counts written as ``343296`` or ``343296.0``) and people re-save it through
spreadsheets (BOM, CRLF, an extra index column, capitalised labels). Every stage must see the same
11 columns with the same types, and a bad file must be rejected *before* anything is computed,
with every problem listed at once (like pandera's ``SchemaErrors``) so one fix-and-retry suffices.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from claimreport.data import schema
from claimreport.errors import DataValidationError

__all__ = ["LoadedData", "load_data", "validate_frame", "summarize"]

CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
_SHOW = 5  # offending rows / values quoted per problem
_ROWS = "row 1 = first row after the header"
_HEADER = ",".join((schema.ROW_NUMBER, *schema.DATA_COLUMNS))
# The default text dtype: ``str`` (NaN for missing) on pandas 3, ``object`` on pandas 2.
_TEXT_DTYPE = pd.Series(["x"]).dtype
_MAGIC = (
    (b"\x89PNG", "it is a PNG image"),
    (b"\x1f\x8b", "it is gzip-compressed; decompress it first"),
    (b"PK\x03\x04", "it is a ZIP archive, e.g. an .xlsx workbook; export it as CSV UTF-8"),
    (b"PAR1", "it is a Parquet file; give it a .parquet extension"),
    (b"%PDF", "it is a PDF document"),
    ((b"\xff\xfe", b"\xfe\xff"), "it is UTF-16 text; re-save it as CSV UTF-8"),
)


@dataclass(frozen=True, eq=False)
class LoadedData:
    """A validated dataset and the facts about where it came from.

    The hash and the names of dropped columns travel with the frame so that the results bundle
    can record exactly which input a report was computed from. ``eq=False`` because comparing
    DataFrames with ``==`` is element-wise, so field-wise equality (and hashing) is meaningless.

    Attributes
    ----------
    frame : exactly ``schema.DATA_COLUMNS`` in that order; ``video_id`` int64, duration and counts
        float64 (NaN = missing, as in the course notebooks), labels lower-case text (NaN = missing).
    source : the resolved input path.
    sha256 : hex digest of the file's bytes.
    rows : number of data rows.
    row_number_column : original name of the recognised and dropped row-number column, e.g. ``"#"``.
    dropped_columns : other extra columns that were dropped, by original name.
    format : ``"csv"`` or ``"parquet"``.
    """

    frame: pd.DataFrame
    source: Path
    sha256: str
    rows: int
    row_number_column: str | None
    dropped_columns: tuple[str, ...]
    format: str


def load_data(path: str | os.PathLike[str]) -> LoadedData:
    """Read and validate the dataset at *path* (``.csv``, ``.parquet`` or ``.pq``).

    The file is opened read-only and read once; the same bytes are hashed and parsed, so the
    recorded ``sha256`` is exactly what was analysed.

    Raises
    ------
    DataValidationError
        If the path cannot be read, the format is unsupported, or the content breaks the schema.
        All content problems are collected and reported together.
    """
    shown = os.fspath(path)
    p = Path(path)
    _check_path(p, shown)
    suffix = p.suffix.lower()
    if suffix in CSV_SUFFIXES:
        fmt = "csv"
    elif suffix in PARQUET_SUFFIXES:
        fmt = "parquet"
    else:
        kinds = ", ".join(CSV_SUFFIXES + PARQUET_SUFFIXES)
        raise DataValidationError(shown, [
            f"unsupported file type {suffix or '(no extension)'!r}; expected one of {kinds} "
            "(export spreadsheets as 'CSV UTF-8')"])
    try:
        data = p.read_bytes()
    except PermissionError:
        raise DataValidationError(shown, [
            "permission denied while reading the file; check its permissions (ls -l) "
            "or copy it somewhere readable"]) from None
    except OSError as exc:
        raise DataValidationError(shown, [f"cannot be read: {exc.strerror or exc}"]) from None
    raw = _parse_csv(data, shown) if fmt == "csv" else _parse_parquet(data, shown)
    frame, row_col, dropped = _validate(raw, shown)
    return LoadedData(frame=frame, source=p.resolve(), sha256=hashlib.sha256(data).hexdigest(),
                      rows=len(frame), row_number_column=row_col, dropped_columns=dropped,
                      format=fmt)


def validate_frame(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Check an already-read *frame* against the schema and return the canonical frame.

    This is the part of :func:`load_data` that does not care about files, so Parquet input and
    tests go through exactly the same checks and coercions as the CSV. *frame* is not modified.

    Notes
    -----
    - Column names are matched after stripping whitespace (and a BOM), ignoring case.
    - Missing values are NaN/None or, once stripped, one of ``schema.NA_VALUES`` (``#N/A``, ``""``).
    - Labels are stripped and lower-cased: spreadsheets like to capitalise ("Claim"), and the
      meaning is unambiguous. Anything else ("maybe") is an error, never guessed at.
    - Engagement counts and ``video_id`` must be whole numbers; ``343296.0`` is accepted because the
      course files write counts that way. Duration may be fractional: it is a continuous quantity.
    - A leading extra column holding 1..n or 0..n-1 (or any column named ``#``) is the row-number
      column and is dropped; other unknown columns are dropped too. Neither is an error.
    """
    return _validate(frame, source)[0]


def summarize(loaded: LoadedData) -> list[str]:
    """A short data-quality summary, one fact per line, for ``claimreport validate``.

    Missing values are facts about the course data (298 rows carry only id, duration and author
    fields), so they are reported here rather than rejected.
    """
    f = loaded.frame
    n = loaded.rows
    pct = (lambda k: f"{k:,} ({k / n:.1%})") if n else (lambda k: f"{k:,}")
    extras = []
    if loaded.row_number_column is not None:
        extras.append(f"row-number column {loaded.row_number_column!r} dropped")
    if loaded.dropped_columns:
        extras.append("extra columns dropped: " + ", ".join(map(repr, loaded.dropped_columns)))
    claims = f[schema.CLAIM].value_counts()
    lines = [
        f"source: {loaded.source} ({loaded.format})",
        f"rows: {n:,}",
        f"columns: {f.shape[1]} data columns" + (f" ({'; '.join(extras)})" if extras else ""),
        f"rows complete (no missing value): {pct(int(f.notna().all(axis=1).sum()))}",
        f"rows missing claim status: {pct(int(f[schema.CLAIM].isna().sum()))}",
        "claim status: " + ", ".join(f"{claims.get(lab, 0):,} {lab}"
                                     for lab in schema.LABELS[schema.CLAIM]),
    ]
    lines += [f"missing in {c}: {pct(int(k))}" for c, k in f.isna().sum().items() if k > 0]
    lines.append(f"duplicate video ids: {int(f[schema.ID].duplicated().sum())}")
    lines.append(f"sha256: {loaded.sha256[:12]}…")
    return lines


# --------------------------------------------------------------------------- reading

def _check_path(p: Path, shown: str) -> None:
    """Turn OS errors into one-line hints before looking at the extension or the bytes."""
    try:
        st = p.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise DataValidationError(shown, [
            f"file does not exist (looked for {p.absolute()}); check the spelling "
            "or pass the full path"]) from None
    except PermissionError:
        raise DataValidationError(shown, [
            "permission denied; check the permissions of the file and its folders"]) from None
    except OSError as exc:
        raise DataValidationError(shown, [f"cannot be read: {exc.strerror or exc}"]) from None
    if stat.S_ISDIR(st.st_mode):
        try:
            inside = sorted(q.name for q in p.iterdir()
                            if q.suffix.lower() in CSV_SUFFIXES + PARQUET_SUFFIXES)[:3]
        except OSError:
            inside = []
        hint = f", e.g. {p / inside[0]}" if inside else ""
        raise DataValidationError(shown, [
            f"is a directory, not a file; pass the CSV or Parquet file inside it{hint}"])


def _parse_csv(data: bytes, shown: str) -> pd.DataFrame:
    """Decode and tokenise the CSV into all-text columns; the schema checks come later.

    ``header=None`` keeps pandas from guessing: with a header row pandas silently turns a first
    column into the index when data rows have one field more (e.g. trailing commas), which
    shifts every column by one. Here such a file is a clear tokenising error instead.
    """
    if not data:
        raise DataValidationError(shown, [
            f"the file is empty (0 bytes); expected the course CSV with the header {_HEADER}"])
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DataValidationError(shown, [f"is not a CSV text file: {what}"])
    if b"\x00" in data:
        raise DataValidationError(shown, [
            "is not a CSV text file: it contains NUL bytes, so it is binary data"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DataValidationError(shown, [
            f"is not a CSV text file: byte {exc.start} (line {line}) is not valid UTF-8; "
            "re-save it as 'CSV UTF-8'"]) from None
    try:
        cells = pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                            na_filter=False)
    except pd.errors.EmptyDataError:
        raise DataValidationError(shown, [
            f"the file is blank; expected the course CSV with the header {_HEADER}"]) from None
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        why = (f"line {m[2]} has {m[3]} fields but the header has {m[1]}; quote text that "
               "contains commas and remove stray trailing commas" if m
               else f"cannot be parsed as CSV ({exc}); check the quoting")
        raise DataValidationError(shown, [why]) from None
    names = [name.strip() or f"Unnamed: {i}" for i, name in enumerate(cells.iloc[0])]
    frame = cells.iloc[1:].reset_index(drop=True)
    frame.columns = names
    return frame


def _parse_parquet(data: bytes, shown: str) -> pd.DataFrame:
    """Read Parquet with pyarrow; a stored index is discarded (row position is what counts)."""
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises several unrelated types for a bad file
        raise DataValidationError(shown, [
            f"is not a readable Parquet file ({type(exc).__name__}: {exc})"]) from None
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- checking

def _validate(frame: pd.DataFrame, source: str
              ) -> tuple[pd.DataFrame, str | None, tuple[str, ...]]:
    """Shared checks: returns (canonical frame, row-number column, other dropped columns)."""
    problems: list[str] = []
    frame = frame.reset_index(drop=True)
    names = [str(c).lstrip("\ufeff").strip() for c in frame.columns]
    lookup = {c.lower(): c for c in schema.DATA_COLUMNS}
    found: dict[str, int] = {}
    extras: list[int] = []
    for i, name in enumerate(names):
        canon = lookup.get(name.lower())
        if canon is None:
            extras.append(i)
        elif canon in found:
            problems.append(f"column {canon!r} appears more than once in the header (columns "
                            f"{found[canon] + 1} and {i + 1}); keep one of them")
        else:
            found[canon] = i
    missing_cols = [c for c in schema.DATA_COLUMNS if c not in found]
    if missing_cols:
        problems.append(_missing_columns(missing_cols, [names[i] for i in extras], names))
    if len(frame) == 0:
        problems.append("has a header but no data rows; expected one row per video")
        raise DataValidationError(source, problems)

    row_pos = next((i for i in extras if names[i] == schema.ROW_NUMBER), None)
    if row_pos is None:
        first_data = min(found.values(), default=len(names))
        row_pos = next((i for i in extras if i < first_data
                        and _is_row_numbers(frame.iloc[:, i])), None)
    dropped = tuple(names[i] for i in extras if i != row_pos)

    out: dict[str, pd.Series] = {}
    for col, pos in found.items():
        s = frame.iloc[:, pos]
        if col in schema.LABELS:
            out[col] = _labels(col, s, problems)
        elif col == schema.TEXT:
            # The text is kept as written (not stripped): lengths and phrases are analysed.
            missing = _text(s)[1]
            out[col] = s.astype(object).where(~missing, np.nan).astype(_TEXT_DTYPE)
        else:
            out[col] = _numbers(col, s, problems)
    if problems:
        raise DataValidationError(source, problems)
    canonical = pd.DataFrame({c: out[c] for c in schema.DATA_COLUMNS})
    row_col = names[row_pos] if row_pos is not None else None
    return canonical, row_col, dropped


def _missing_columns(missing: list[str], unknown: list[str], names: list[str]) -> str:
    """Name the missing columns, the columns found, and any near-miss spelling."""
    msg = (f"missing required column{'s' if len(missing) > 1 else ''} "
           f"{', '.join(map(repr, missing))}; found columns: {', '.join(map(repr, names))}")
    guesses = [f"{u!r} for {m[0]!r}" for u in unknown
               if (m := difflib.get_close_matches(u.lower(), missing, n=1, cutoff=0.8))]
    if guesses:
        msg += f" (did you mean {', '.join(guesses)}?)"
    if len(names) == 1 and (sep := next((s for s in ";\t|" if s in names[0]), None)):
        msg += f" (the file seems to be separated by {sep!r}; save it with commas)"
    return msg


def _text(s: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Stripped text of every cell, and a mask of missing cells (NaN/None or in ``NA_VALUES``)."""
    isna = s.isna().to_numpy()
    txt = s.astype(object).where(~isna, "").astype(str).str.strip()
    return txt, isna | txt.isin(schema.NA_VALUES).to_numpy()


def _is_row_numbers(s: pd.Series) -> bool:
    """Whether *s* holds exactly 1..n or 0..n-1 in order: a row number, not data."""
    txt, missing = _text(s)
    if missing.any():
        return False
    values = pd.to_numeric(txt, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    n = len(values)
    return bool((values == np.arange(1, n + 1)).all() or (values == np.arange(n)).all())


def _where(mask: np.ndarray, shown: pd.Series | None) -> str:
    """"at data rows 3, 7 (and 2 more; ...): 'a', 'b'" -- where the offending cells are."""
    rows = np.flatnonzero(mask) + 1
    head = ", ".join(str(r) for r in rows[:_SHOW])
    more = f"and {len(rows) - _SHOW:,} more; " if len(rows) > _SHOW else ""
    where = f"at data {'row' if len(rows) == 1 else 'rows'} {head} ({more}{_ROWS})"
    if shown is None:
        return where
    values = pd.unique(shown.to_numpy(dtype=object)[mask])
    clip = [str(v) if len(str(v)) <= 40 else str(v)[:39] + "…" for v in values[:_SHOW]]
    quoted = ", ".join(map(repr, clip))
    return f"{where}: {quoted}{', ...' if len(values) > _SHOW else ''}"


def _count(k: int, what: str) -> str:
    return f"{k:,} {what}" if k == 1 else f"{k:,} {what}s"


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
    return low.astype(object).where(~missing, np.nan).astype(_TEXT_DTYPE)


def _no_gaps(col: str, missing: np.ndarray, problems: list[str]) -> None:
    if missing.any():
        problems.append(f"column {col!r}: {_count(int(missing.sum()), 'missing value')} "
                        f"{_where(missing, None)}; every row needs a {col}")


def _numbers(col: str, s: pd.Series, problems: list[str]) -> pd.Series:
    """Parse a count, the duration or the id; report non-numbers, negatives and fractions."""
    before = len(problems)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        shown, missing, parsed = s, s.isna().to_numpy(), s
    else:
        shown, missing = _text(s)
        parsed = pd.to_numeric(shown.where(~missing, ""), errors="coerce")
    values = parsed.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~missing & ~np.isfinite(values)
    if bad.any():
        k = int(bad.sum())
        problems.append(f"column {col!r}: {_count(k, 'value')} {'is' if k == 1 else 'are'} not "
                        f"numeric {_where(bad, shown)}; write plain numbers like 343296 or 343296.0")
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
    if col != schema.ID or len(problems) > before:
        return pd.Series(values, dtype="float64")
    # Integers parsed from text stay exact; floats are exact for ids below 2**53.
    ids = (parsed.to_numpy(dtype="int64") if pd.api.types.is_integer_dtype(parsed)
           else values.astype("int64"))
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
