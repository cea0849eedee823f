"""Bundle tables formatted for people, once, for both engines.

A bundle table (a CSV the stage result points to) is shown through a :class:`TableSpec`: which
columns, which are numeric (right-aligned), how many decimals, which are percentages or
p-values. :func:`format_table` turns a :class:`~claimreport.render.html.TableView` and its spec
into a :class:`FormattedTable` of strings; the Jinja ``data_table`` macro prints those strings
as HTML and :func:`markdown_table` prints them as a Markdown pipe table for the Quarto
documents, so a number reads the same in both. The specs live in
:mod:`claimreport.render.table_specs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Number

from .context import cell, label, num, pct, ptab

__all__ = ["TableSpec", "FormattedTable", "format_table", "format_cell", "markdown_table",
           "bundle_table"]


@dataclass(frozen=True)
class TableSpec:
    """How one bundle table is shown.

    ``columns``: the columns shown, in order (None: all); ``numeric``: the right-aligned columns
    (None: all but the first; empty: none); ``labels``: show known string values in words;
    ``digits``: ``{column: decimals}``; ``pct``: columns shown as percentages (two decimals
    below 1%); ``pct_suffix``: columns whose name ends so are percentages too; ``sci``: p-value
    columns (scientific below 0.001).
    """

    columns: tuple[str, ...] | None = None
    numeric: tuple[str, ...] | None = None
    labels: bool = True
    digits: Mapping[str, int] = field(default_factory=dict)
    pct: tuple[str, ...] = ()
    sci: tuple[str, ...] = ()
    pct_suffix: str | None = None


@dataclass(frozen=True)
class FormattedTable:
    """A table ready to print: every cell is already the text a reader sees.

    ``title`` is the table's caption; ``note`` the text printed under it; ``numeric`` says per
    column whether it is right-aligned (numbers).
    """

    title: str
    headers: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    note: str = ""


def format_cell(column: str, value, spec: TableSpec) -> str:
    """One cell of a bundle table as text (the rules the ``data_table`` macro always used)."""
    if column in spec.pct or (spec.pct_suffix and column.endswith(spec.pct_suffix)):
        small = isinstance(value, Number) and value < 0.01
        return pct(value, 2 if small else 1)
    if column in spec.sci:
        return ptab(value)
    if column in spec.digits:
        return num(value, spec.digits[column])
    if spec.labels and isinstance(value, str):
        return label(value)
    return cell(value)


def _is_numeric(index: int, column: str, spec: TableSpec) -> bool:
    if spec.numeric is None:
        return index > 0
    return column in spec.numeric


def format_table(view, spec: TableSpec) -> FormattedTable:
    """*view* (a ``TableView``: title, caption, columns, rows of values) shown through *spec*."""
    return FormattedTable(
        title=view.title,
        headers=[label(c) for c in view.columns],
        numeric=[_is_numeric(i, c, spec) for i, c in enumerate(view.columns)],
        rows=[[format_cell(c, v, spec) for c, v in zip(view.columns, row)] for row in view.rows],
        note=view.caption or "",
    )


def bundle_table(bundle, stage: str, key: str) -> FormattedTable:
    """Table *key* of *stage* in *bundle*, shown through its spec in ``table_specs``."""
    from .html import table_view
    from .table_specs import spec_for

    spec = spec_for(stage, key)
    return format_table(table_view(bundle, stage, key, spec.columns), spec)


def markdown_table(table: FormattedTable, escape) -> str:
    """*table* as a Markdown pipe table with its title as the caption (``: title``) and its
    note below; *escape* makes every text literal (it comes from data and configuration)."""
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(escape(c).replace("\n", " ") for c in cells) + " |"

    rule = "|" + "|".join("---:" if n else ":---" for n in table.numeric) + "|"
    lines = [row(table.headers), rule, *(row(r) for r in table.rows), "",
             f": {escape(table.title)}", ""]
    if table.note:
        lines += [f"*{escape(table.note)}*", ""]
    return "\n".join(lines)
