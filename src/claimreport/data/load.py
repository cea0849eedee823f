"""Read the course CSV (or a Parquet copy), check it against the schema, return one canonical frame.

Why not a bare ``pd.read_csv``: the published file has quirks (``#N/A`` for missing values, a ``#``
row-number column, counts written as ``343296`` or ``343296.0``) and people re-save it through
spreadsheets (BOM, CRLF, an extra index column, capitalised labels). Every stage must see the same
11 columns with the same types, and a bad file must be rejected *before* anything is computed,
with every problem listed at once (like pandera's ``SchemaErrors``) so one fix-and-retry suffices.

This module is the public entry point; the work is split by concern into
:mod:`~claimreport.data.csv_reader`, :mod:`~claimreport.data.parquet_reader`,
:mod:`~claimreport.data.column_checks` and :mod:`~claimreport.data.problem_wording`.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from claimreport.data import schema
from claimreport.data.column_checks import (
    _LOOKUP,
    _ids,
    _is_row_numbers,
    _labels,
    _nested,
    _numbers,
    _transcriptions,
)
from claimreport.data.csv_reader import _parse_csv
from claimreport.data.parquet_reader import _parse_parquet
from claimreport.errors import DataValidationError

__all__ = ["LoadedData", "load_data", "validate_frame", "summarize"]

CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


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
    backend : where the EDA and hypothesis statistics are computed
        (:class:`claimreport.backends.Backend`); None means the pandas backend over ``frame``.
        The Spark loader sets it, and ``frame`` is then the stratified sample of at most
        ``sample_rows`` rows that regression, modeling and rank-based checks use.
    """

    frame: pd.DataFrame
    source: Path
    sha256: str
    rows: int
    row_number_column: str | None
    dropped_columns: tuple[str, ...]
    format: str
    backend: object = None

    def statistics(self):
        """The backend of the statistics layer for this data (pandas over ``frame`` unless a
        loader set another); made once per LoadedData."""
        if self.backend is None:
            from claimreport.backends.pandas_backend import PandasBackend

            object.__setattr__(self, "backend", PandasBackend(self.frame))
        return self.backend


def load_data(path: str | os.PathLike[str]) -> LoadedData:
    """Read and validate the dataset at *path* (``.csv``, ``.parquet`` or ``.pq``).

    The file is opened read-only and read once; the same bytes are hashed and parsed, so the
    recorded ``sha256`` is exactly what was analysed. Pipes, sockets and devices are refused
    from their file type before anything is opened (reading a FIFO would block).

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
    sha256 = hashlib.sha256(data).hexdigest()
    if fmt == "csv":
        raw = _parse_csv(data, shown)
        del data  # the file's bytes are not needed past parsing: the frame is what counts
        frame, row_col, dropped = _validate(raw, shown)
    else:
        raw = _parse_parquet(data, shown)
        del data
        try:
            frame, row_col, dropped = _validate(raw, shown)
        except DataValidationError:
            raise
        except Exception as exc:  # odd Arrow/pandas types: a message, never a traceback
            raise DataValidationError(shown, [
                f"has a column the loader cannot interpret ({type(exc).__name__}: {exc}); "
                "store the columns as plain text and numbers, as in the course CSV"]) from None
    del raw
    _release_arrow_memory()
    return LoadedData(frame=frame, source=p.resolve(), sha256=sha256,
                      rows=len(frame), row_number_column=row_col, dropped_columns=dropped,
                      format=fmt)


def _release_arrow_memory() -> None:
    """Hand the memory Arrow freed while parsing back to the system: its allocator keeps freed
    pages for itself, where numpy cannot use them (on a 10-million-row file, gigabytes)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()


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
      Counts and duration must be finite, non-negative and at most ``schema.MAX_COUNT``.
    - ``video_id`` must fit int64 and is read digit for digit; an id given as a float is accepted
      only below 2**53, where a float holds every whole number exactly.
    - Transcriptions of another type (a Parquet integer column) become text; cells holding lists
      or records are an error in any data column.
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
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        # Opening a FIFO blocks until a writer appears, and a device may never end: refuse both
        # from the file type alone, before anything is opened.
        kind = next((what for test, what in _FILE_KINDS if test(st.st_mode)), "a special file")
        raise DataValidationError(shown, [
            f"is {kind}, not a regular file; save the data to a .csv or .parquet file first "
            "and pass that file (pipes, sockets and devices are not read)"])
    if stat.S_ISDIR(st.st_mode):
        try:
            inside = sorted(q.name for q in p.iterdir()
                            if q.suffix.lower() in CSV_SUFFIXES + PARQUET_SUFFIXES)[:3]
        except OSError:
            inside = []
        hint = f", e.g. {p / inside[0]}" if inside else ""
        raise DataValidationError(shown, [
            f"is a directory, not a file; pass the CSV or Parquet file inside it{hint}"])


# --------------------------------------------------------------------------- checking

def _validate(frame: pd.DataFrame, source: str
              ) -> tuple[pd.DataFrame, str | None, tuple[str, ...]]:
    """Shared checks: returns (canonical frame, row-number column, other dropped columns)."""
    frame = frame.reset_index(drop=True)
    names = [str(c).lstrip("\ufeff").strip() for c in frame.columns]
    found, extras, problems = match_columns(names)
    if len(frame) == 0:
        problems.append("has a header but no data rows; expected one row per video")
        raise DataValidationError(source, problems)

    row_pos = next((i for i in extras if names[i] == schema.ROW_NUMBER), None)
    if row_pos is None:
        first_data = min(found.values(), default=len(names))
        row_pos = next((i for i in extras if i < first_data
                        and _is_row_numbers(frame.iloc[:, i])), None)
    dropped = tuple(names[i] for i in extras if i != row_pos)

    # The checks are called by this module's names (imported from column_checks), so a test
    # can replace one here to stand for an unforeseen failure.
    out: dict[str, pd.Series] = {}
    for col, pos in found.items():
        s = frame.iloc[:, pos]
        if _nested(col, s, problems):
            continue
        if col in schema.LABELS:
            out[col] = _labels(col, s, problems)
        elif col == schema.TEXT:
            out[col] = _transcriptions(col, s, problems)
        elif col == schema.ID:
            out[col] = _ids(col, s, problems)
        else:
            out[col] = _numbers(col, s, problems)
    if problems:
        raise DataValidationError(source, problems)
    canonical = pd.DataFrame({c: out[c] for c in schema.DATA_COLUMNS})
    row_col = names[row_pos] if row_pos is not None else None
    return canonical, row_col, dropped


def match_columns(names: list[str], where: str = " in the header"
                  ) -> tuple[dict[str, int], list[int], list[str]]:
    """The schema column each of *names* (cleaned header names) stands for: ``(found: column ->
    position, positions of the other columns, problems)`` — a repeated or missing column is a
    problem. Shared by every loader, so each names columns the same way."""
    problems: list[str] = []
    found: dict[str, int] = {}
    extras: list[int] = []
    for i, name in enumerate(names):
        canon = _LOOKUP.get(name.lower())
        if canon is None:
            extras.append(i)
        elif canon in found:
            problems.append(f"column {canon!r} appears more than once{where} (columns "
                            f"{found[canon] + 1} and {i + 1}); keep one of them")
        else:
            found[canon] = i
    missing = [c for c in schema.DATA_COLUMNS if c not in found]
    if missing:
        problems.append(_missing_columns(missing, [names[i] for i in extras], names))
    return found, extras, problems


def _missing_columns(missing: list[str], unknown: list[str], names: list[str]) -> str:
    """Name the missing columns, the columns found, and any near-miss spelling."""
    msg = (f"missing required column{'s' if len(missing) > 1 else ''} "
           f"{', '.join(map(repr, missing))}; found columns: {', '.join(map(repr, names)) or 'none'}")
    guesses = [f"{u!r} for {m[0]!r}" for u in unknown
               if (m := difflib.get_close_matches(u.lower(), missing, n=1, cutoff=0.8))]
    if guesses:
        msg += f" (did you mean {', '.join(guesses)}?)"
    if len(names) == 1 and (sep := next((s for s in ";\t|" if s in names[0]), None)):
        msg += f" (the file seems to be separated by {sep!r}; save it with commas)"
    return msg
