"""Read CSV bytes into all-text columns: encoding sniffing, pyarrow tokenising, malformed rows.

Why a module of its own: most ways a re-saved course CSV goes wrong happen before there are
columns to check (a workbook or UTF-16 file given a .csv name, semicolons for commas, a row cut
short or with a stray comma), and each deserves its own hint. Nothing is inferred here: every
cell stays text, and the schema checks in :mod:`claimreport.data.column_checks` come later.
Internal to :mod:`claimreport.data.load`.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

import pandas as pd
import pyarrow as pa

from claimreport.data import schema
from claimreport.data.column_checks import _LOOKUP
from claimreport.data.problem_wording import _SHOW, _count
from claimreport.errors import DataValidationError

_BOM = b"\xef\xbb\xbf"
_SEPARATORS = {",": "','", ";": "';'", "\t": "tabs", "|": "'|'"}
_BLANK = re.compile(rb"\s*")
_FIRST_LINE = re.compile(rb"[\r\n]*([^\r\n]*)")
_HEADER = ",".join((schema.ROW_NUMBER, *schema.DATA_COLUMNS))
_MAGIC = (
    (b"\x89PNG", "it is a PNG image"),
    (b"\x1f\x8b", "it is gzip-compressed; decompress it first"),
    (b"PK\x03\x04", "it is a ZIP archive, e.g. an .xlsx workbook; export it as CSV UTF-8"),
    (b"PAR1", "it is a Parquet file; give it a .parquet extension"),
    (b"%PDF", "it is a PDF document"),
    ((b"\xff\xfe", b"\xfe\xff"), "it is UTF-16 text; re-save it as CSV UTF-8"),
)


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
