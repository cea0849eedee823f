"""Hostile data files for ``test_hostile_inputs``: a valid demo CSV and a few mutations of it.

The strategies that combine them are in :mod:`.hostile_strategies`.

A :class:`DataCase` is a plain, printable value (Hypothesis shows it when a case fails, and it
can be pasted into an ``@example``): which demo file to start from, row-and-column edits of its
cells, how the file is written (delimiter, line ends, BOM, quoting, encoding) and byte edits of
the written file. Edits address rows by number modulo the data rows and columns by header
name, so every edit applies to every table (an edit of a column that is gone does nothing).
"""

from __future__ import annotations

import collections
import csv
import functools
import io
import random
import tempfile
from dataclasses import dataclass
from pathlib import Path

from claimreport.data import schema as S
from claimreport.data.demo import generate, write_csv

Table = list[list[str]]

#: (rows, seed) of demo files that render eda, hypothesis and regression unmodified: each has
#: at least 12 complete rows of each verified status (the regression's preflight needs 10).
BASES = ((120, 0), (120, 4), (150, 4), (150, 5), (150, 11))

COUNTS = S.ENGAGEMENT_COLUMNS
LABEL_COLUMNS = tuple(S.LABELS)
ALL_COLUMNS = (S.ROW_NUMBER, *S.DATA_COLUMNS)

# ---------------------------------------------------------------------------- cell values
#: values that no number column accepts (not a finite non-negative number up to 1e15)
BAD_NUMBERS = ("abc", "inf", "-inf", "Infinity", "1e400", "-1e400", "-3", "12abc", "9" * 25,
               "1e16", "0x1F", "1..2", "--5")
#: what a spreadsheet reads as the start of a formula (OWASP CSV injection)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: values a count (not the fractional duration) refuses besides those
BAD_COUNTS = (*BAD_NUMBERS, "3.5", "0.1")
#: values every number column accepts or reads as missing
BENIGN_NUMBERS = ("0", "-0", "1e3", "343296.0", " 42 ", "+7", "1e-400", "1000000000000000",
                  "", "#N/A", "N/A", "NA", "nan", "NaN")
OTHER_NUMBERS = ("1e15", "1000000000000001", "9007199254740993", "4.0", "1_000", "1,000",
                 "\u0663", "\uff11\uff12", "true", "None", "null", "0.0000001", "1E3", "٫5")
BAD_IDS = ("abc", "-1", "1.5", "9223372036854775808", "18446744073709551616", "1e400", "",
           "#N/A", "inf", "1e16", "9" * 40)
OTHER_IDS = ("0", "007", "9223372036854775807", "1e3", " 123 ", "+5", "9007199254740992",
             "9.007199254740991e15", "1234567890123456789")
BAD_LABELS = ("maybe", "claimed", "yes", "0", "verified?")
BENIGN_LABELS = ("Claim", " OPINION ", "claim ", "CLAIM", "Verified", "NOT VERIFIED", "banned",
                 "Under Review", " active", "", "#N/A")
# Transcriptions are shown in the reports (phrases, lengths): no "nan"/"None"/"inf" words here,
# which the report check would take for an undefined number.
TEXTS = ("", "#N/A", "a, b, c", 'he said "hi", twice', "line\nbreak", "line\r\nbreak", "café",
         "naïve façade", "emoji 😀 text", "\u202eright to left", "zero\u200bwidth",
         "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "x" * 3000, " ", "tab\there",
         "\\", '"', "#", "é" * 50, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
         '=HYPERLINK("http://example.invalid")')


def required(column: str) -> bool:
    return column in S.ALWAYS_PRESENT


def refused_values(column: str) -> tuple[str, ...]:
    """Cell values that make the file invalid whatever else it holds."""
    if column == S.ID:
        return BAD_IDS
    if column == S.DURATION:
        return (*BAD_NUMBERS, "", "#N/A", "nan")
    if column in COUNTS:
        return BAD_COUNTS
    if column in LABEL_COLUMNS:
        return BAD_LABELS + (("", "#N/A") if required(column) else ())
    return ()


# ---------------------------------------------------------------------------- the base file
@functools.cache
def base_rows(base: int) -> tuple[tuple[str, ...], ...]:
    """The demo CSV of ``BASES[base]`` as written by ``claimreport.data.demo.write_csv``."""
    rows, seed = BASES[base % len(BASES)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "base.csv"
        write_csv(generate(rows, random_state=seed), path)
        text = path.read_text(encoding="utf-8")
    return tuple(tuple(r) for r in csv.reader(io.StringIO(text, newline="")))


def _col(t: Table, name: str) -> int | None:
    return t[0].index(name) if t and name in t[0] else None


def _row(t: Table, i: int) -> int | None:
    return 1 + i % (len(t) - 1) if len(t) > 1 else None


# ---------------------------------------------------------------------------- cell edits
@dataclass(frozen=True)
class SetCell:
    """Write *value* into one cell."""

    row: int
    column: str
    value: str

    def apply(self, t: Table) -> Table:
        j, i = _col(t, self.column), _row(t, self.row)
        if j is not None and i is not None and j < len(t[i]):
            t[i][j] = self.value
        return t

    @property
    def refuses(self) -> bool:
        return self.value in refused_values(self.column)

    @property
    def mentions(self) -> str:
        return self.column


@dataclass(frozen=True)
class FillColumn:
    """Write *value* into every cell of a column (constant views, all verified ...)."""

    column: str
    value: str

    def apply(self, t: Table) -> Table:
        j = _col(t, self.column)
        for r in t[1:]:
            if j is not None and j < len(r):
                r[j] = self.value
        return t

    @property
    def refuses(self) -> bool:
        return self.value in refused_values(self.column)

    @property
    def mentions(self) -> str:
        return self.column


@dataclass(frozen=True)
class CopyId:
    """Give row *dst* the id of row *src* (a duplicated id when they differ)."""

    src: int
    dst: int

    def apply(self, t: Table) -> Table:
        j, a, b = _col(t, S.ID), _row(t, self.src), _row(t, self.dst)
        if j is not None and a is not None and b is not None and j < min(len(t[a]), len(t[b])):
            t[b][j] = t[a][j]
        return t

    @property
    def refuses(self) -> bool:
        return False  # whether src and dst differ depends on the number of rows

    mentions = S.ID


@dataclass(frozen=True)
class Relabel:
    """Re-case or pad every label of a category column (spreadsheets do this)."""

    column: str
    style: str  # upper, title, pad

    def apply(self, t: Table) -> Table:
        j = _col(t, self.column)
        how = {"upper": str.upper, "title": str.title, "pad": lambda v: f"  {v} "}[self.style]
        for r in t[1:]:
            if j is not None and j < len(r) and r[j] not in ("", "#N/A"):
                r[j] = how(r[j])
        return t

    refuses = False
    mentions = ""


# ---------------------------------------------------------------------------- row edits
@dataclass(frozen=True)
class Truncate:
    """Cut one row short: keep its first *keep* fields (at least one, never all)."""

    row: int
    keep: int

    def apply(self, t: Table) -> Table:
        i = _row(t, self.row)
        if i is not None and len(t[i]) > 1:
            t[i] = t[i][: 1 + self.keep % (len(t[i]) - 1)]
        return t

    refuses = True
    mentions = "fields"


@dataclass(frozen=True)
class ExtraField:
    """One field more in one row (a stray comma)."""

    row: int
    value: str

    def apply(self, t: Table) -> Table:
        i = _row(t, self.row)
        if i is not None:
            t[i] = [*t[i], self.value]
        return t

    refuses = True
    mentions = "fields"


@dataclass(frozen=True)
class Subset:
    """Keep some rows: ``head``/``tail``/``stride`` k, one claim status, or k rows of one
    verified status; ``k`` from 1 (a tiny file) up."""

    kind: str
    k: int

    def apply(self, t: Table) -> Table:
        header, rows = t[0], t[1:]
        k = max(1, self.k)
        pick = {
            "head": lambda: rows[:k],
            "tail": lambda: rows[-k:],
            "stride": lambda: rows[::k],
            "claims": lambda: self._where(header, rows, S.CLAIM, "claim"),
            "opinions": lambda: self._where(header, rows, S.CLAIM, "opinion"),
            "verified": lambda: self._where(header, rows, S.VERIFIED, "verified")[:k],
            "not verified": lambda: self._where(header, rows, S.VERIFIED, "not verified")[:k],
        }[self.kind]
        return [header, *pick()]

    @staticmethod
    def _where(header: list[str], rows: Table, column: str, value: str) -> Table:
        j = header.index(column) if column in header else None
        return [r for r in rows if j is not None and j < len(r) and r[j] == value]

    refuses = False
    mentions = ""


# ---------------------------------------------------------------------------- column edits
@dataclass(frozen=True)
class DropColumn:
    column: str

    def apply(self, t: Table) -> Table:
        j = _col(t, self.column)
        return t if j is None else [r[:j] + r[j + 1:] for r in t]

    @property
    def refuses(self) -> bool:
        return self.column in S.DATA_COLUMNS

    @property
    def mentions(self) -> str:
        return self.column


@dataclass(frozen=True)
class AddColumn:
    """A column the schema does not know (dropped) or a second copy of a known one (refused)."""

    name: str
    value: str
    at: int

    def apply(self, t: Table) -> Table:
        j = self.at % (len(t[0]) + 1)
        return [r[:j] + [self.name if k == 0 else self.value] + r[j:] for k, r in enumerate(t)]

    @property
    def refuses(self) -> bool:
        return self.name.lstrip("\ufeff").strip().lower() in S.DATA_COLUMNS

    @property
    def mentions(self) -> str:
        return self.name.lstrip("\ufeff").strip().lower()


@dataclass(frozen=True)
class RenameHeader:
    column: str
    new: str

    def apply(self, t: Table) -> Table:
        j = _col(t, self.column)
        if j is not None:
            t[0][j] = self.new
        return t

    @property
    def refuses(self) -> bool:
        same = self.new.lstrip("\ufeff").strip().lower() == self.column
        return self.column in S.DATA_COLUMNS and not same and \
            self.new.lstrip("\ufeff").strip().lower() not in S.DATA_COLUMNS

    @property
    def mentions(self) -> str:
        return self.column


@dataclass(frozen=True)
class Shuffle:
    """Put the columns in another order (the loader finds them by name)."""

    seed: int

    def apply(self, t: Table) -> Table:
        order = list(range(len(t[0])))
        random.Random(self.seed).shuffle(order)
        return [[r[j] for j in order if j < len(r)] for r in t]

    refuses = False
    mentions = ""


# ---------------------------------------------------------------------------- file layout
@dataclass(frozen=True)
class Layout:
    """How the table is written: the defaults are the course file's."""

    delimiter: str = ","
    newline: str = "\n"
    bom: bool = False
    quote_all: bool = False
    encoding: str = "utf-8"
    final_newline: bool = True


# ---------------------------------------------------------------------------- byte edits
@dataclass(frozen=True)
class Insert:
    at: int
    data: bytes

    def apply(self, b: bytes) -> bytes:
        i = self.at % (len(b) + 1)
        return b[:i] + self.data + b[i:]


@dataclass(frozen=True)
class Overwrite:
    at: int
    data: bytes

    def apply(self, b: bytes) -> bytes:
        i = self.at % (len(b) + 1)
        return b[:i] + self.data + b[i + len(self.data):]


@dataclass(frozen=True)
class Cut:
    """Keep only the first bytes (a download or copy that stopped)."""

    at: int

    def apply(self, b: bytes) -> bytes:
        return b[: self.at % (len(b) + 1)]


@dataclass(frozen=True)
class Delete:
    at: int
    length: int

    def apply(self, b: bytes) -> bytes:
        i = self.at % (len(b) + 1)
        return b[:i] + b[i + self.length:]


# ---------------------------------------------------------------------------- the case
@dataclass(frozen=True)
class DataCase:
    base: int = 0
    edits: tuple = ()
    layout: Layout = Layout()
    byte_edits: tuple = ()

    def table(self) -> Table:
        t = [list(r) for r in base_rows(self.base)]
        for edit in self.edits:
            t = edit.apply(t)
        return t

    def to_bytes(self) -> bytes:
        lay = self.layout
        buf = io.StringIO(newline="")
        quoting = csv.QUOTE_ALL if lay.quote_all else csv.QUOTE_MINIMAL
        csv.writer(buf, delimiter=lay.delimiter, lineterminator=lay.newline,
                   quoting=quoting).writerows(self.table())
        text = buf.getvalue()
        if not lay.final_newline:
            text = text.removesuffix(lay.newline)
        data = ("\ufeff" if lay.bom else "").encode() + text.encode(lay.encoding,
                                                                   errors="replace")
        for edit in self.byte_edits:
            data = edit.apply(data)
        return data

    @property
    def plain(self) -> bool:
        """Written as the course file is, without byte edits: the edits say what happens."""
        return self.layout == Layout() and not self.byte_edits

    def label_counts(self, column: str) -> collections.Counter:
        """How often each label of *column* occurs, read as the loader reads it (header names
        and labels stripped, any case)."""
        t = self.table()
        j = next(j for j, name in enumerate(t[0])
                 if name.lstrip("\ufeff").strip().lower() == column)
        return collections.Counter(r[j].strip().lower() for r in t[1:] if j < len(r))

    def data_rows(self) -> int:
        """Rows the file holds: a row cut down to nothing is a blank line, which is no row."""
        return sum(1 for r in self.table()[1:] if r)

    @property
    def sure_refusal(self):
        """The edit that must make the build refuse, when the case is one such edit."""
        if self.plain and len(self.edits) == 1 and self.edits[0].refuses:
            return self.edits[0]
        return None
