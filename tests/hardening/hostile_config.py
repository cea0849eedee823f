"""Hostile TOML configs for ``test_hostile_inputs``: a valid config (README's keys) and edits.

A :class:`ConfigCase` is a printable value like :class:`~.hostile_data.DataCase`: edits of the
TOML document as nested dicts (set or delete a key anywhere, known or not), byte edits of the
written file, and optional ``--seed`` / ``--protocol`` options. Paths that do not exist in the
edited document are skipped, so every edit applies to every document. The strategies are in
:mod:`.hostile_strategies`.
"""

from __future__ import annotations

import copy
import datetime
import math
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from claimreport.config import (
    Comparison,
    Config,
    EdaConfig,
    HypothesisConfig,
    ModelingConfig,
    RegressionConfig,
)
from claimreport.data import schema as S

INF, NAN = math.inf, math.nan
LABELS = tuple(S.LABELS)
STEPS = {"video_duration_sec": 10, "video_view_count": 100000, "video_share_count": 10000,
         "video_download_count": 1000, "video_comment_count": 100, "video_like_count": 10000}

#: README's configuration, with a modeling search small enough for a test (2 candidates, 2 folds)
BASE: dict[str, Any] = {
    "random_state": 42,
    "protocol": "rigorous",
    "eda": {"top_phrases": 10, "histogram_bins": 30, "skew_threshold": 1.0},
    "hypothesis": {
        "alpha": 0.05,
        "qq_points": 200,
        "primary": {"name": "Views: unverified vs verified authors", "kind": "welch",
                    "metric": "video_view_count", "by": "verified_status",
                    "groups": ("not verified", "verified")},
        "comparisons": (
            {"name": "Likes: claims vs opinions", "metric": "video_like_count",
             "by": "claim_status", "groups": ("claim", "opinion")},
            {"name": "Claim status and author ban status", "kind": "chi2", "by": "claim_status",
             "against": "author_ban_status"},
        ),
    },
    "regression": {"rebalance": "class_weight", "test_size": 0.25, "max_iter": 800,
                   "steps": dict(STEPS)},
    "modeling": {"search": "fast", "candidates": 2, "cv_folds": 2, "max_phrases": 15,
                 "target_recall": 0.99, "permutation_repeats": 1, "n_jobs": 1},
}

#: the keys each table accepts, from the config models themselves
TABLE_KEYS: dict[tuple, tuple[str, ...]] = {
    (): tuple(Config.model_fields),
    ("eda",): tuple(EdaConfig.model_fields),
    ("hypothesis",): tuple(HypothesisConfig.model_fields),
    ("hypothesis", "primary"): tuple(Comparison.model_fields),
    ("hypothesis", "comparisons", 0): tuple(Comparison.model_fields),
    ("hypothesis", "comparisons", 1): tuple(Comparison.model_fields),
    ("regression",): tuple(RegressionConfig.model_fields),
    ("regression", "steps"): S.COUNT_COLUMNS,
    ("modeling",): tuple(ModelingConfig.model_fields),
}
LEAVES = [(*table, key) for table, keys in TABLE_KEYS.items() for key in keys]


def _non_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


# ---------------------------------------------------------------------------- document edits
def _parent(doc: Any, path: tuple) -> Any:
    """The container holding ``path[-1]``, or None when the path does not exist."""
    node = doc
    for part in path[:-1]:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return None
            node = node[part]
        elif isinstance(node, dict):
            node = node.setdefault(part, {})
        else:
            return None
    return node if isinstance(node, dict) else None


@dataclass(frozen=True)
class SetKey:
    path: tuple
    value: Any

    def apply(self, doc: dict) -> dict:
        parent = _parent(doc, self.path)
        if parent is not None:
            parent[self.path[-1]] = copy.deepcopy(self.value)
        return doc

    @property
    def refuses(self) -> bool:
        """Non-finite numbers fit no setting, and unknown keys are refused."""
        table = self.path[:-1]
        unknown = table in TABLE_KEYS and self.path[-1] not in TABLE_KEYS[table]
        return unknown or _non_finite(self.value)

    @property
    def mentions(self) -> str:
        return next(str(p) for p in reversed(self.path) if isinstance(p, str))


@dataclass(frozen=True)
class DeleteKey:
    path: tuple

    def apply(self, doc: dict) -> dict:
        parent = _parent(doc, self.path)
        if parent is not None:
            parent.pop(self.path[-1], None)
        return doc

    refuses = False
    mentions = ""


# ---------------------------------------------------------------------------- TOML writer
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _string(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _key(k: Any) -> str:
    k = str(k)
    return k if _BARE.fullmatch(k) else _string(k)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    return "[" + ", ".join(_value(x) for x in v) + "]"


def _table_array(v: Any) -> bool:
    return isinstance(v, list | tuple) and bool(v) and all(isinstance(x, dict) for x in v)


def dumps(doc: dict) -> str:
    """*doc* as TOML: plain keys first, then sub-tables and arrays of tables."""
    lines: list[str] = []

    def table(d: dict, path: tuple) -> None:
        for k, v in d.items():
            if not isinstance(v, dict) and not _table_array(v):
                lines.append(f"{_key(k)} = {_value(v)}")
        for k, v in d.items():
            dotted = ".".join(_key(p) for p in (*path, k))
            if isinstance(v, dict):
                lines.append(f"[{dotted}]")
                table(v, (*path, k))
            elif _table_array(v):
                for item in v:
                    lines.append(f"[[{dotted}]]")
                    lines.extend(f"{_key(ik)} = {_value(iv)}" for ik, iv in item.items())

    table(doc, ())
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- known bugs
#: Reported bugs, each kept as an xfail test in test_hostile_inputs. A generated case that fails
#: and runs into one of them is counted as an event, not a failure, so that CI stays green;
#: delete the entry (and the check in ConfigCase.known_bug) when the bug is fixed.
KNOWN_BUGS: dict[str, str] = {}  # reported bugs the generator may run into (none open)
SMALL_TEST_SIZE = 0.1


# ---------------------------------------------------------------------------- the case
@dataclass(frozen=True)
class ConfigCase:
    edits: tuple = ()
    raw: tuple = ()
    modeling: bool = False
    seed: int | None = None
    protocol: str | None = None
    file: str = "toml"  # toml; missing: no such file; folder: a directory of that name
    base: int = 3  # the valid data file: index into hostile_data.BASES
    eda: bool = False

    def document(self) -> dict:
        doc = _thaw(BASE)
        for edit in self.edits:
            doc = edit.apply(doc)
        return doc

    def to_bytes(self) -> bytes:
        data = dumps(self.document()).encode("utf-8")
        for edit in self.raw:
            data = edit.apply(data)
        return data

    @property
    def sure_refusal(self):
        """The edit that must make the build refuse, when the case is one such edit."""
        if (self.file == "toml" and not self.raw and self.seed is None and self.protocol is None
                and len(self.edits) == 1 and self.edits[0].refuses
                and self.document() != _thaw(BASE)):
            return self.edits[0]
        return None

    def stages(self, data: bytes) -> list[str]:
        """hypothesis and regression, eda when asked for, and modeling when asked for and its
        search is tiny (an invalid file is refused before any stage runs, so it may ask)."""
        stages = ["eda"] * self.eda + ["hypothesis", "regression"]
        if not self.modeling:
            return stages
        try:
            m = tomllib.loads(data.decode("utf-8")).get("modeling", {})
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            return [*stages, "modeling"]
        if not isinstance(m, dict):
            return [*stages, "modeling"]
        tiny = (m.get("search", "fast") == "fast" and self._small(m, "candidates", 4)
                and self._small(m, "cv_folds", 3) and self._small(m, "permutation_repeats", 2)
                and self._small(m, "n_jobs", 1))
        return [*stages, "modeling"] if tiny else stages

    def known_bug(self) -> str | None:
        """The reported bug this case runs into, if any (see ``KNOWN_BUGS``)."""
        try:
            doc = tomllib.loads(self.to_bytes().decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        reg = doc.get("regression")
        size = reg.get("test_size") if isinstance(reg, dict) else None
        if (isinstance(size, int | float) and not isinstance(size, bool)
                and 0 < size < SMALL_TEST_SIZE and "small test_size" in KNOWN_BUGS):
            return KNOWN_BUGS["small test_size"]
        return None

    @staticmethod
    def _small(m: dict, key: str, most: int) -> bool:
        v = m.get(key)
        return isinstance(v, int) and not isinstance(v, bool) and v <= most


def _thaw(v: Any) -> Any:
    """A deep copy with lists for tuples, so that edits can index into lists."""
    if isinstance(v, dict):
        return {k: _thaw(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_thaw(x) for x in v]
    return v
