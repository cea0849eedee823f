"""How a loader problem says *where* and *how many*: "3 values at data rows 2, 9 (...): 'x', 'y'".

Why a module of its own: the CSV reader and the column checks quote the same number of
offenders and pluralise alike, and every column check points at cells the same way ("data
row 1" is the first row after the header; the CSV reader's "line" numbers instead count the
header as line 1, as an editor does). Internal to :mod:`claimreport.data.load`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_SHOW = 5  # offending rows / values quoted per problem
_ROWS = "row 1 = first row after the header"


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
