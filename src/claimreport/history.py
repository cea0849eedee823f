"""``OUT/history.jsonl``: one line per build attempt into an output folder.

A scheduler's memory: when each build ran, on which data, what every stage's key figures were,
what was reused, how long it took and how it ended (``published``, ``unchanged`` or ``failed``
with its message and exit status). Lines are appended under the build lock, one ``write`` each.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["HISTORY", "append", "read", "table"]

HISTORY = "history.jsonl"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def append(out: Path, record: dict) -> None:
    """Append *record* (with ``time`` and the claimreport version) as one JSON line."""
    from . import __version__

    line = json.dumps({"time": _now(), "claimreport_version": __version__, **record},
                      sort_keys=False, default=str, allow_nan=False) + "\n"
    fd = os.open(Path(out) / HISTORY, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def read(out: Path) -> list[dict]:
    """Every record of ``OUT/history.jsonl`` (lines that do not parse are skipped)."""
    path = Path(out) / HISTORY
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    return records


def table(records: list[dict]) -> list[str]:
    """The history as aligned text lines for ``claimreport history OUT``."""
    rows = [("time", "outcome", "data", "rows", "stages", "seconds")]
    for r in records:
        data = r.get("data") or {}
        stages = r.get("stages") or {}
        marks = ", ".join(f"{s}{'' if not v.get('reused') else ' (reused)'}"
                          for s, v in stages.items())
        outcome = r.get("outcome", "?")
        if outcome == "failed":
            marks = (r.get("message") or "")[:60]
        rows.append((r.get("time", ""), outcome, f"{data.get('name', '')} "
                     f"{(data.get('sha256') or '')[:8]}".strip(), f"{data.get('rows', '')}",
                     marks, f"{r.get('seconds', '')}"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in rows]
