"""Read the course CSV (or a Parquet copy), check it against the schema, return one canonical frame.

Why not a bare ``pd.read_csv``: the published file has quirks (``#N/A`` for missing values, a ``#``
row-number column, counts written as ``343296`` or ``343296.0``) and people re-save it through
spreadsheets (BOM, CRLF, an extra index column, capitalised labels). Every stage must see the same
11 columns with the same types, and a bad file must be rejected *before* anything is computed,
with every problem listed at once (like pandera's ``SchemaErrors``) so one fix-and-retry suffices.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import hashlib
import io
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from claimreport.data import schema
from claimreport.errors import DataValidationError

__all__ = ["LoadedData", "load_data", "validate_frame", "summarize"]

CSV_SUFFIXES = (".csv",)
PARQUET_SUFFIXES = (".parquet", ".pq")
_SHOW = 5  # offending rows / values quoted per problem
_ROWS = "row 1 = first row after the header"
_INT64_MAX = np.iinfo(np.int64).max
# Every whole number below 2**53 is exact in float64; above it neighbouring ids collapse.
_FLOAT_EXACT = 2**53
_BOM = b"\xef\xbb\xbf"
_SEPARATORS = {",": "','", ";": "';'", "\t": "tabs", "|": "'|'"}
_BLANK = re.compile(rb"\s*")
_FIRST_LINE = re.compile(rb"[\r\n]*([^\r\n]*)")
_NESTED = (list, tuple, dict, set, np.ndarray)
_LOOKUP = {c.lower(): c for c in schema.DATA_COLUMNS}
# Parquet integers and booleans -> pandas nullable types (exact values, gaps as <NA>).
_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
             pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(),
             pa.bool_(): pd.BooleanDtype()}
_FILE_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
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
    if fmt == "csv":
        frame, row_col, dropped = _validate(_parse_csv(data, shown), shown)
    else:
        raw = _parse_parquet(data, shown)
        try:
            frame, row_col, dropped = _validate(raw, shown)
        except DataValidationError:
            raise
        except Exception as exc:  # odd Arrow/pandas types: a message, never a traceback
            raise DataValidationError(shown, [
                f"has a column the loader cannot interpret ({type(exc).__name__}: {exc}); "
                "store the columns as plain text and numbers, as in the course CSV"]) from None
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


def _parse_csv(data: bytes, shown: str) -> pd.DataFrame:
    """Decode and tokenise the CSV into all-text columns; the schema checks come later.

    Notes
    -----
    The header is read as a data row (all cells text, nothing inferred) and every row must have
    exactly as many fields as the header: ``pandas.read_csv`` would silently pad a short row with
    missing values, and with a header row it turns a first column into the index when data rows
    have one field more, shifting every column. pyarrow's reader rejects both kinds of row and
    hands them to ``invalid_row_handler``, so all of them are counted in one pass; it also reads
    large files with several threads.
    """
    if not data:
        raise DataValidationError(shown, [
            f"the file is empty (0 bytes); expected the course CSV with the header {_HEADER}"])
    _check_text(data, shown)
    body = memoryview(data)[len(_BOM):] if data.startswith(_BOM) else memoryview(data)
    if _BLANK.fullmatch(body):
        raise DataValidationError(shown, [
            f"the file is blank; expected the course CSV with the header {_HEADER}"])
    header_line = _FIRST_LINE.match(body)[1].decode("utf-8", errors="replace")
    try:
        header = next(csv.reader([header_line]))
        _check_separator(header_line, shown)
    except csv.Error as exc:  # e.g. a "header" longer than the csv module's field limit
        raise DataValidationError(shown, [
            f"cannot split the header row into columns ({exc}); expected the header {_HEADER}"
        ]) from None
    table, wrong = _read_arrow_csv(body, len(header), shown)
    if wrong:
        raise DataValidationError(shown, _field_count_problems(body, wrong, len(header)))
    if not table.num_rows or [c[0].as_py() for c in table.columns] != header:
        raise DataValidationError(shown, [
            "cannot split the header row into columns; check its quoting"])
    frame = table.slice(1).to_pandas()
    frame.columns = [name.strip() or f"Unnamed: {i}" for i, name in enumerate(header)]
    return frame


def _check_text(data: bytes, shown: str) -> None:
    """Refuse binary data, UTF-16 and invalid UTF-8 with a word on what the file is instead."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DataValidationError(shown, [f"is not a CSV text file: {what}"])
    if b"\x00" in data:
        what = ("it looks like UTF-16 text without a byte-order mark (every other byte is a NUL "
                "byte); re-save it as 'CSV UTF-8'" if _looks_utf16(data)
                else "it contains NUL bytes, so it is binary data")
        raise DataValidationError(shown, [f"is not a CSV text file: {what}"])
    # Chunked, so that a large file is checked without holding a decoded copy of it.
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 1 << 24
    for start in range(0, len(data), step):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(memoryview(data)[start:start + step], final=start + step >= len(data))
        except UnicodeDecodeError as exc:
            at = start - pending + exc.start
            line = data.count(b"\n", 0, at) + 1
            raise DataValidationError(shown, [
                f"is not a CSV text file: byte {at} (line {line}) is not valid UTF-8; "
                "re-save it as 'CSV UTF-8'"]) from None


def _looks_utf16(data: bytes) -> bool:
    """ASCII text saved as UTF-16 without a BOM: NUL bytes at every other position only."""
    sample = data[:4096]
    sample = sample[:len(sample) // 2 * 2]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return half >= 2 and (min(even, odd) == 0 and max(even, odd) >= half / 2)


def _check_separator(line: str, shown: str) -> None:
    """Name the separator when the header splits into more known columns at ';', tab or '|'."""
    def known(fields: list[str]) -> int:
        return sum(f.lstrip("\ufeff").strip().lower() in _LOOKUP for f in fields)

    counts = {sep: known(next(csv.reader([line], delimiter=sep))) for sep in _SEPARATORS}
    best = max(counts, key=counts.__getitem__)
    if best != "," and counts[best] > counts[","]:
        raise DataValidationError(shown, [
            f"the file is separated by {_SEPARATORS[best]}, not commas (its header has "
            f"{counts[best]} known column names when split at {_SEPARATORS[best]} and "
            f"{counts[',']} when split at commas); save it with commas, e.g. as 'CSV UTF-8 "
            "(comma delimited)'"])


def _read_arrow_csv(body: memoryview, fields: int, shown: str) -> tuple[pa.Table, list[int]]:
    """Tokenise with pyarrow: every cell as text; returns the table and the field counts of
    the rows skipped for having a different number of fields than the header."""
    import pyarrow.csv as pacsv

    wrong: list[int] = []

    def skip(row: pacsv.InvalidRow) -> str:  # may run on reader threads: keep it trivial
        wrong.append(row.actual_columns)
        return "skip"

    names = [f"f{i}" for i in range(fields)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(body)),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, invalid_row_handler=skip),
            # UTF-8 was checked above; empty cells stay "" like every other missing marker.
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                 strings_can_be_null=False, check_utf8=False))
    except (pa.ArrowException, ValueError) as exc:
        raise DataValidationError(shown, [
            f"cannot be parsed as CSV ({exc}); check the quoting"]) from None
    return table, wrong


def _field_count_problems(body: memoryview, wrong: list[int], fields: int) -> list[str]:
    """One problem per kind (too many / too few fields), naming the first lines of each kind.

    pyarrow counts the rows but (reading with threads) not their line numbers, so the first
    few are located again with the csv module: this only runs when the file is already bad.
    """
    kinds = (("more", [k for k in wrong if k > fields],
              "quote text that contains commas and remove stray trailing commas"),
             ("fewer", [k for k in wrong if k < fields],
              f"every row needs all {fields} fields: write a missing value as an empty field "
              "(',,') or #N/A rather than cutting the row short, and quote text that contains "
              "line breaks"))
    found = _find_lines(body, fields, *(min(len(k), _SHOW) for _, k, _ in kinds))
    problems = []
    for (word, counts, hint), lines in zip(kinds, found):
        if not counts:
            continue
        if not lines:  # the csv module split the file differently: give the counts only
            problems.append(f"{_count(len(counts), 'row')} {'has' if len(counts) == 1 else 'have'}"
                            f" {word} fields than the header ({fields}); {hint}")
            continue
        first, last, k, unclosed = lines[0]
        span = (f" (a quoted field runs on to line {last}: check for an unmatched '\"')"
                if last > first else " (a '\"' in it is never closed)" if unclosed else "")
        msg = f"line {first} has {k} fields but the header has {fields}{span}"
        if len(counts) > 1:
            more = f" and {len(counts) - len(lines):,} more" if len(counts) > len(lines) else ""
            msg += (f"; in all {len(counts):,} lines have {word} fields than the header (lines "
                    f"{', '.join(str(line[0]) for line in lines)}{more})")
        problems.append(f"{msg}; {hint}")
    return problems


def _find_lines(body: memoryview, fields: int, many: int, few: int
                ) -> tuple[list[tuple[int, int, int, bool]], list[tuple[int, int, int, bool]]]:
    """(first line, last line, fields, unclosed quote) of the first *many* rows with too many
    fields and the first *few* with too few; line 1 is the header, as an editor counts."""
    text = io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", errors="replace", newline="")
    raw: list[str] = []

    def lines() -> Iterator[str]:  # the csv module pulls lines one by one: keep the row's text
        for line in text:
            raw.append(line)
            yield line

    reader = csv.reader(lines())
    too_many: list[tuple[int, int, int, bool]] = []
    too_few: list[tuple[int, int, int, bool]] = []
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            unclosed = "".join(raw).count('"') % 2 == 1
            raw.clear()
            if row and len(row) > fields and len(too_many) < many:
                too_many.append((start, end, len(row), unclosed))
            elif row and len(row) < fields and len(too_few) < few:
                too_few.append((start, end, len(row), unclosed))
            if len(too_many) >= many and len(too_few) >= few:
                break
    except csv.Error:  # e.g. a field beyond the csv module's size limit: report what we have
        pass
    return too_many, too_few


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


# --------------------------------------------------------------------------- checking

def _validate(frame: pd.DataFrame, source: str
              ) -> tuple[pd.DataFrame, str | None, tuple[str, ...]]:
    """Shared checks: returns (canonical frame, row-number column, other dropped columns)."""
    problems: list[str] = []
    frame = frame.reset_index(drop=True)
    names = [str(c).lstrip("\ufeff").strip() for c in frame.columns]
    found: dict[str, int] = {}
    extras: list[int] = []
    for i, name in enumerate(names):
        canon = _LOOKUP.get(name.lower())
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
    obj = s.astype(object).where(~isna, "")
    undecodable = np.zeros(len(s), dtype=bool)
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


def _clip(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _where(mask: np.ndarray, shown: pd.Series | None) -> str:
    """"at data rows 3, 7 (and 2 more; ...): 'a', 'b'" -- where the offending cells are."""
    rows = np.flatnonzero(mask) + 1
    head = ", ".join(str(r) for r in rows[:_SHOW])
    more = f"and {len(rows) - _SHOW:,} more; " if len(rows) > _SHOW else ""
    where = f"at data {'row' if len(rows) == 1 else 'rows'} {head} ({more}{_ROWS})"
    if shown is None:
        return where
    values = pd.unique(shown.to_numpy(dtype=object)[mask])
    quoted = ", ".join(repr(_clip(str(v))) for v in values[:_SHOW])
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
