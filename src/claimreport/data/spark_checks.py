"""The schema checks of :mod:`claimreport.data.column_checks`, as Spark expressions.

Why a module of its own: a Spark input is too large to check row by row in Python, so each rule
of the pandas loader (labels, counts and duration, ``video_id``, transcriptions, gaps in
required columns, unique ids) becomes a boolean column; one aggregation counts the offenders of
every rule at once, and only a rule that fails runs a second, small query for the first
offending rows it quotes. The canonical columns come out in the pandas loader's types (long id,
double numbers, stripped lower-case labels, null for missing) and every problem is collected
before one :class:`DataValidationError` is raised, as the pandas loader does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from claimreport.data import schema
from claimreport.data.column_checks import _INT64_MAX
from claimreport.data.problem_wording import _SHOW, _clip, _count
from claimreport.errors import DataValidationError

__all__ = ["canonical_columns"]

_FLOAT_EXACT = 2**53
# A plain decimal number (what pandas.to_numeric reads): Java's parser also takes "1d", "0x1p3".
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(?i:inf|infinity)$"
_INTEGER = r"^[+-]?\d+$"
#: what str.strip() removes (SQL's trim removes only ' '); btrim with a set costs no regex
_WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())


@dataclass
class _Rule:
    column: str
    bad: object  # boolean Column: the offending rows
    shown: object | None  # Column quoted in the message, None for row positions only
    message: str  # "{n} unknown labels {where}; allowed ..." ({what} and {where} filled in)
    what: str  # the offender's noun, pluralised by the count


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def canonical_columns(raw, source: str, folder: Path | str | None, order: list[str]):
    """Check *raw* (a Spark DataFrame as read) against the schema.

    Returns ``(canonical DataFrame, rows, row-number column, dropped columns)``; the canonical
    frame has the data columns in ``schema.DATA_COLUMNS`` order, then the *order* columns
    (``_file``, ``_row``) passed through, and its ids are unique. Raises DataValidationError
    with every problem.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    from claimreport.data.load import match_columns

    names = [c for c in raw.columns if c not in order]
    clean = [str(c).lstrip("\ufeff").strip() for c in names]
    found, extras, problems = match_columns(clean, where="")
    types = {f.name: f.dataType for f in raw.schema.fields}
    nested = (T.ArrayType, T.MapType, T.StructType)
    for col, i in found.items():
        if isinstance(types[names[i]], nested):
            problems.append(f"column {col!r} has the nested Spark type "
                            f"{types[names[i]].simpleString()} (lists or records); store one "
                            "plain text or number per cell")
    if problems:
        raise DataValidationError(source, problems)

    rules: list[_Rule] = []
    values, plain = {}, {}
    for col, i in found.items():
        x, kind = F.col(_q(names[i])), types[names[i]]
        if col in schema.LABELS:
            values[col], plain[col] = _labels(col, x, kind, rules, F, T)
        elif col == schema.TEXT:
            text = x.cast("string")
            gap = text.isNull() | F.btrim(text, F.lit(_WHITESPACE)).isin(schema.NA_VALUES)
            values[col] = F.when(~gap, text)
            if isinstance(kind, T.StringType):
                plain[col] = (x, x.isNotNull() & gap)
        else:
            values[col], plain[col] = _numbers(col, x, kind, rules, F, T)
    plain = {c: p for c, p in plain.items() if p is not None}
    checked = raw.select("*", *[r.bad.alias(f"_bad{k}") for k, r in enumerate(rules)])
    try:
        counts = checked.agg(F.count(F.lit(1)), *[F.count(F.when(F.col(f"_bad{k}"), 1))
                                                   for k in range(len(rules))],
                             *[F.count(F.when(changed, 1)) for _, changed in plain.values()]
                             ).collect()[0]
    except Exception as exc:  # a corrupt file shows itself when read
        raise DataValidationError(source, [_unreadable(exc)]) from None
    rows = int(counts[0])
    if rows == 0:
        raise DataValidationError(source, ["has no data rows; expected one row per video"])
    for k, rule in enumerate(rules):
        if counts[k + 1]:
            problems.append(_problem(rule, int(counts[k + 1]), checked.where(F.col(f"_bad{k}")),
                                     folder, order, F))
    # A column already in its canonical form (the usual case: a file written by claimreport,
    # pandas or Spark) is passed through as it is, so later queries do not pay for the
    # normalisation on every row again.
    for (col, (as_is, _)), changed in zip(plain.items(), counts[len(rules) + 1:]):
        if not changed:
            values[col] = as_is
    canonical = raw.select(*[values[c].alias(c) for c in schema.DATA_COLUMNS], *order)
    if not any(p.startswith(f"column {schema.ID!r}") for p in problems):
        if dup := _repeated_ids(canonical, rows, folder, order, F):
            problems.append(dup)
    if problems:
        raise DataValidationError(source, problems)
    row_col = next((names[i] for i in extras if clean[i] == schema.ROW_NUMBER), None)
    dropped = tuple(clean[i] for i in extras if names[i] != row_col)
    return canonical, rows, row_col, dropped


def _labels(col, x, kind, rules, F, T):
    """Stripped, lower-cased labels (``column_checks._labels``); and the column as it is with
    the condition under which it differs from that."""
    allowed = schema.LABELS[col]
    shown = F.btrim(x.cast("string"), F.lit(_WHITESPACE))
    gap = shown.isNull() | shown.isin(schema.NA_VALUES)
    low = F.lower(shown)
    required = col in schema.ALWAYS_PRESENT
    rules.append(_Rule(col, ~gap & ~low.isin(list(allowed)), shown,
                       f"{{n}} {{where}}; allowed: {', '.join(map(repr, allowed))} "
                       f"({'never missing' if required else 'or empty / #N/A when missing'})",
                       "unknown label"))
    if required:
        _no_gaps(col, gap, rules)
    plain = (x, x.isNotNull() & (gap | (x != low))) if isinstance(kind, T.StringType) else None
    return F.when(~gap, low), plain


def _no_gaps(col, gap, rules):
    rules.append(_Rule(col, gap, None, f"{{n}} {{where}}; every row needs a {col}",
                       "missing value"))


def _numbers(col, x, kind, rules, F, T):
    """Duration, counts and the id: the checks of ``column_checks._parse`` and its callers."""
    if isinstance(kind, T.NumericType):
        v, shown = x.cast("double"), x.cast("string")
        gap = x.isNull() | F.isnan(v)  # NaN is pandas' missing value
        what = "a finite number"
    else:
        shown = F.btrim(x.cast("string"), F.lit(_WHITESPACE))
        gap = shown.isNull() | shown.isin(schema.NA_VALUES)
        v = F.when(shown.rlike(_NUMBER), shown.try_cast("double"))
        what = "numeric"
    finite = ~gap & v.isNotNull() & ~F.isnan(v) & (F.abs(v) != float("inf"))
    rules.append(_Rule(col, ~gap & ~finite, shown,
                       "{n} {verb} not " + what + " {where}; write plain numbers like 343296 or "
                       "343296.0", "value"))
    rules.append(_Rule(col, finite & (v < 0), shown,
                       "{n} {where}; counts and durations cannot be below 0", "negative value"))
    if col != schema.DURATION:
        rules.append(_Rule(col, finite & (v != F.floor(v)), shown,
                           f"{{n}} {{where}}; {col} must be a whole number", "non-integer value"))
    if col in schema.ALWAYS_PRESENT:
        _no_gaps(col, gap, rules)
    if col == schema.ID:
        return _id_value(col, x, kind, shown, finite & (v >= 0), v, rules, F, T), None
    rules.append(_Rule(col, finite & (v > float(schema.MAX_COUNT)), shown,
                       "{n} {verb} above the plausibility ceiling of "
                       f"{schema.MAX_COUNT:,} {{where}}; real counts and durations are far "
                       "smaller (the most-watched videos have about 10,000,000,000 views), "
                       "so such a value is a corrupted cell or a wrong unit", "value"))
    plain = (v, x.isNotNull() & F.isnan(v)) if isinstance(kind, T.NumericType) else None
    return F.when(finite, v), plain


def _id_value(col, x, kind, shown, ok, v, rules, F, T):
    """``video_id`` as an exact long: integers never pass through a double, and a double is
    trusted only below 2**53 (``column_checks._ids``)."""
    if isinstance(kind, T.IntegralType):
        return x.cast("long")
    limit = F.lit(_INT64_MAX).cast("decimal(38,0)")
    if isinstance(kind, T.DecimalType) and kind.scale == 0:  # e.g. Parquet's unsigned int64
        int_like, exact = F.lit(True), x.cast("decimal(38,0)")
    elif isinstance(kind, T.NumericType):
        int_like, exact = F.lit(False), None
    else:
        int_like = shown.rlike(_INTEGER)
        exact = F.when(int_like, shown.try_cast("decimal(38,0)"))
    if exact is not None:
        rules.append(_Rule(col, ok & int_like & (exact.isNull() | (exact > limit)), shown,
                           "{n} {verb} above the 64-bit integer range {where}; ids must be "
                           f"whole numbers from 0 to {_INT64_MAX:,}", "id"))
    rules.append(_Rule(col, ok & ~int_like & (v >= float(_FLOAT_EXACT)), shown,
                       "{n} {verb} floating-point values of at least 2**53 "
                       f"({_FLOAT_EXACT:,}) {{where}}; a float that large cannot hold every "
                       "digit of an id, so it may have been rounded: export the ids as whole "
                       "numbers (e.g. 7017666017, not 7.017666017e+09)", "id"))
    if exact is None:
        return v.cast("long")
    return F.when(int_like, exact.cast("long")).otherwise(v.cast("long"))


def _position(file: str, row: int, folder: Path | str | None) -> str:
    """Row *row* (0-based) of *file* as a message names it: its number, after the file's path
    inside *folder* (a local folder, or a URI prefix) when there is one."""
    if folder is None:
        return str(row + 1)
    if isinstance(folder, str):
        return f"{file.removeprefix(folder).lstrip('/') or file}:{row + 1}"
    path = Path(unquote(urlparse(file).path))
    try:
        return f"{path.relative_to(folder)}:{row + 1}"
    except ValueError:
        return f"{file}:{row + 1}"


def _where(k: int, examples: list, folder: Path | None, ordered: bool) -> str:
    """"at data rows 3, 7 (and 2 more; row 1 = first row of the file)" -- or, for a folder,
    ``file:row`` positions; values quoted after a colon."""
    more = f"and {k - _SHOW:,} more; " if k > _SHOW else ""
    if ordered:
        head = ", ".join(_position(f, r, folder) for f, r, _ in examples)
        unit = "row 1 = first row of the file" if folder is None else \
            "file:row in the folder, row 1 = first row of its file"
        where = f"at data {'row' if k == 1 else 'rows'} {head} ({more}{unit})"
    else:  # a catalog table without file positions
        where = "in the table"
    shown = list(dict.fromkeys(v for _, _, v in examples if v is not None))
    if not shown:
        return where
    return f"{where}: {', '.join(repr(_clip(str(v))) for v in shown)}"


def _problem(rule: _Rule, k: int, offending, folder, order, F) -> str:
    ordered = bool(order) and "_file" in order
    shown = rule.shown if rule.shown is not None else F.lit(None)
    cols = [F.col(c) for c in order] if ordered else [F.lit(""), F.lit(0)]
    query = offending.select(*cols, shown.cast("string"))
    if ordered:
        query = query.orderBy(*order)
    examples = [tuple(r) for r in query.limit(_SHOW).collect()]
    text = rule.message.format(n=_count(k, rule.what), verb="is" if k == 1 else "are",
                               where=_where(k, examples, folder, ordered))
    return f"column {rule.column!r}: {text}"


def _repeated_ids(canonical, rows: int, folder, order, F) -> str | None:
    """The ids that appear more than once, each with the first rows holding it."""
    if canonical.agg(F.count_distinct(schema.ID)).collect()[0][0] == rows:
        return None
    repeated = canonical.groupBy(schema.ID).count().where(F.col("count") > 1)
    k = repeated.count()
    ids = [r[0] for r in repeated.orderBy(schema.ID).limit(_SHOW).collect()]
    ordered = "_file" in order
    rows = canonical.where(F.col(schema.ID).isin(ids)).select(
        schema.ID, *([F.col(c) for c in order] if ordered else [F.lit(""), F.lit(0)]))
    if ordered:
        rows = rows.orderBy(*order)
    where: dict[int, list[str]] = {}
    for v, file, row in rows.collect():
        where.setdefault(v, []).append(_position(file, row, folder))
    groups = "; ".join(f"{v} at data rows {', '.join(where[v][:_SHOW])}" if ordered else str(v)
                       for v in ids)
    etc = f" (and {k - _SHOW:,} more ids)" if k > _SHOW else ""
    verb = "appears" if k == 1 else "appear"
    return (f"column {schema.ID!r}: {_count(k, 'id')} {verb} more than once: {groups}{etc}; "
            "each video must appear exactly once")


def _unreadable(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
    return (f"is not readable Parquet ({text}); write it with pandas.DataFrame.to_parquet, "
            "pyarrow or Spark")
