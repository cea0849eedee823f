"""One typed configuration: defaults in code, an optional TOML file, CLI overrides on top.

The full config is recorded in the bundle's manifest so a report says exactly how it was made.
Every invalid setting is refused by :func:`load_config`, before any data is read or any stage
runs, with one line that names the file (or the command-line options) and each field.
The wording of those lines lives in :mod:`claimreport.config_messages`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, field_validator, model_validator

from .config_messages import _describe
from .errors import ConfigError

__all__ = ["Config", "EdaConfig", "Comparison", "HypothesisConfig", "RegressionConfig",
           "ModelingConfig", "MAX_SEED", "WORKERS_ENV", "load_config", "usable_cores",
           "workers_from_env"]

#: numpy's legacy seeding (and so scikit-learn's and pandas' ``random_state``) takes 32 bits
MAX_SEED = 2**32 - 1
WORKERS_ENV = "CLAIMREPORT_WORKERS"

# Strict: TOML has real integers and booleans, so `candidates = 2.5` or `n_jobs = true` are
# mistakes, not values to coerce. A float still accepts an integer (`skew_threshold = 1`).
Int = Annotated[int, Strict()]
Real = Annotated[float, Strict()]


class _Frozen(BaseModel):
    # allow_inf_nan=False reaches floats nested in dicts and tuples too (regression.steps,
    # modeling.thresholds): TOML spells them `inf` and `nan`, and no setting here means either.
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


def _schema():
    # imported on use: the schema module is light, but config is imported by everything
    from .data import schema

    return schema


class EdaConfig(_Frozen):
    """Settings of the EDA stage."""

    top_phrases: Int = Field(10, ge=1, le=50, description="phrases listed per class")
    histogram_bins: Int = Field(30, ge=5, le=200)
    skew_threshold: Real = Field(
        1.0, gt=0, description="|skewness| above which a count is drawn on a log scale"
    )


class Comparison(_Frozen):
    """One test of the hypothesis stage, defined in config so a new one needs no code.

    ``kind="welch"``: Welch two-sample t-test of ``metric`` between ``groups[0]`` (A) and
    ``groups[1]`` (B) of column ``by``; the difference is A - B. ``kind="chi2"``: chi-square test
    of independence of ``by`` and ``against``.
    """

    name: str = Field(min_length=1)
    kind: Literal["welch", "chi2"] = "welch"
    by: str
    metric: str | None = None
    groups: tuple[str, str] | None = None
    against: str | None = None

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Comparison:
        S = _schema()
        problems = []
        if self.by not in S.LABELS:
            problems.append(f"by={self.by!r} is not a category column "
                            f"(choose from {', '.join(S.LABELS)})")
        if self.kind == "welch":
            if self.metric not in S.COUNT_COLUMNS:
                problems.append(f"metric={self.metric!r} is not a numeric column "
                                f"(choose from {', '.join(S.COUNT_COLUMNS)})")
            if self.groups is None:
                problems.append("a welch comparison needs groups = [A, B]")
            elif self.by in S.LABELS:
                bad = [g for g in self.groups if g not in S.LABELS[self.by]]
                if bad:
                    problems.append(f"group {', '.join(map(repr, bad))} is not a value of "
                                    f"{self.by} (values: {', '.join(S.LABELS[self.by])})")
                if self.groups[0] == self.groups[1]:
                    problems.append("the two groups must differ")
            if self.against is not None:
                problems.append("against is only used by chi2 comparisons")
        else:
            if self.against not in S.LABELS or self.against == self.by:
                problems.append(f"against={self.against!r} must be another category column "
                                f"(choose from {', '.join(S.LABELS)})")
            unused = [f for f in ("metric", "groups") if getattr(self, f) is not None]
            if unused:
                problems.append(f"{' and '.join(unused)} only apply to welch comparisons")
        if problems:
            raise ValueError(f"comparison {self.name!r}: " + "; ".join(problems))
        return self


_PRIMARY_KEYS = ("name", "metric", "by", "groups")
_NOT_PRIMARY = ("the primary test must be a Welch comparison (metric, by, groups); chi-square "
                "tests belong in [[hypothesis.comparisons]]")


class HypothesisConfig(_Frozen):
    """Settings of the hypothesis stage (course 4)."""

    alpha: Real = Field(0.05, gt=0, lt=0.5, description="significance level, two-sided")
    primary: Comparison = Comparison(
        name="Views: unverified vs verified authors", kind="welch", metric="video_view_count",
        by="verified_status", groups=("not verified", "verified"))
    comparisons: tuple[Comparison, ...] = (
        Comparison(name="Views: claims vs opinions", kind="welch", metric="video_view_count",
                   by="claim_status", groups=("claim", "opinion")),
        Comparison(name="Claim status and author ban status", kind="chi2", by="claim_status",
                   against="author_ban_status"),
        Comparison(name="Verified status and claim status", kind="chi2", by="verified_status",
                   against="claim_status"),
    )
    stratify_by: str = Field(
        "claim_status", description="category column within whose levels the primary groups are "
        "compared again (and adjusted for); \"\" switches the stratified analysis off")
    qq_points: Int = Field(200, ge=20, le=2000, description="points per group in QQ plots")

    @field_validator("primary", mode="before")
    @classmethod
    def _primary_is_complete_welch(cls, value: Any) -> Any:
        """Say what the primary needs before the generic per-field messages: a
        ``[hypothesis.primary]`` table replaces the default test as a whole."""
        if not isinstance(value, dict):
            return value
        if value.get("kind") == "chi2":
            raise ValueError(_NOT_PRIMARY)
        missing = [k for k in _PRIMARY_KEYS if k not in value]
        if missing:
            state = "is empty" if not value else f"lacks {', '.join(missing)}"
            raise ValueError(f"the primary table {state}; it replaces the default test, so it "
                             f"needs all of {', '.join(_PRIMARY_KEYS)}")
        return value

    @field_validator("primary")
    @classmethod
    def _primary_is_welch(cls, value: Comparison) -> Comparison:
        if value.kind != "welch":
            raise ValueError(_NOT_PRIMARY)
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> HypothesisConfig:
        # the names label the rows of one Holm-adjusted family
        names = [c.name for c in (self.primary, *self.comparisons)]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"test names must be unique across primary and comparisons; "
                             f"{', '.join(map(repr, twice))} is used more than once")
        return self

    @model_validator(mode="after")
    def _stratifier_is_another_category(self) -> HypothesisConfig:
        # within one level of the primary's own column only one group exists: nothing to compare
        S = _schema()
        if self.stratify_by and (self.stratify_by not in S.LABELS
                                 or self.stratify_by == self.primary.by):
            others = [c for c in S.LABELS if c != self.primary.by]
            raise ValueError(f"stratify_by={self.stratify_by!r} must be a category column other "
                             f"than the primary test's by={self.primary.by!r} (choose from "
                             f"{', '.join(others)}), or \"\" to switch the stratified analysis "
                             "off")
        return self


def _duplicates(values: tuple[str, ...]) -> list[str]:
    return sorted({v for v in values if values.count(v) > 1})


def _count_columns_only(values: tuple[str, ...]) -> list[str]:
    """Problems with a list of count-column names (unknown names, duplicates)."""
    S = _schema()
    problems = [f"{v!r} is not a count column (choose from {', '.join(S.COUNT_COLUMNS)})"
                for v in values if v not in S.COUNT_COLUMNS]
    problems += [f"{v!r} is listed more than once" for v in _duplicates(values)]
    return problems


def _reject(problems: list[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))


class RegressionConfig(_Frozen):
    """Settings of the regression stage (course 5): logistic regression of verified status."""

    features: tuple[str, ...] = (
        "video_duration_sec", "claim_status", "author_ban_status", "video_view_count",
        "video_share_count", "video_download_count", "video_comment_count")
    dropped_for_collinearity: tuple[str, ...] = ("video_like_count",)
    capped: tuple[str, ...] = ("video_like_count", "video_comment_count")
    test_size: Real = Field(0.25, gt=0, lt=0.9)
    rebalance: Literal["class_weight", "upsample"] = Field(
        "class_weight", description="rigorous protocol: how the training part is rebalanced")
    max_iter: Int = Field(800, ge=100)
    #: "each additional <step> <unit>" in the narrative and the odds-ratio table
    steps: dict[str, Real] = {
        "video_duration_sec": 10, "video_view_count": 100_000, "video_share_count": 10_000,
        "video_download_count": 1_000, "video_comment_count": 100, "video_like_count": 10_000}

    @field_validator("features")
    @classmethod
    def _usable_predictors(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        S = _schema()
        usable = (*S.COUNT_COLUMNS, S.CLAIM, S.BAN)
        why = {S.VERIFIED: "is the target of the regression, not a predictor",
               S.ID: "is an identifier, not a predictor",
               S.TEXT: "is free text, not a predictor (the modeling stage uses its phrases)"}
        if not value:
            raise ValueError(f"at least one predictor is needed (choose from {', '.join(usable)})")
        problems = [f"{v!r} {why[v]}" if v in why else
                    f"{v!r} is not a column the regression can use (choose from "
                    f"{', '.join(usable)})" for v in value if v not in usable]
        problems += [f"{v!r} is listed more than once" for v in _duplicates(value)]
        if not problems and not any(v in S.COUNT_COLUMNS for v in value):
            problems.append(f"at least one count column is needed (choose from "
                            f"{', '.join(S.COUNT_COLUMNS)})")
        _reject(problems)
        return value

    @field_validator("dropped_for_collinearity", "capped")
    @classmethod
    def _count_columns(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _reject(_count_columns_only(value))
        return value

    @field_validator("steps")
    @classmethod
    def _positive_steps(cls, value: dict[str, float]) -> dict[str, float]:
        S = _schema()
        problems = [f"{k!r} is not a count column (choose from {', '.join(S.COUNT_COLUMNS)})"
                    for k in value if k not in S.COUNT_COLUMNS]
        problems += [f"{k} = {v:g} must be greater than 0" for k, v in value.items() if v <= 0]
        problems += [f"{k} = {v:g} is above {S.MAX_COUNT:,}, the largest count claimreport "
                     "accepts" for k, v in value.items() if v > S.MAX_COUNT]
        _reject(problems)
        return value

    @model_validator(mode="after")
    def _predictor_or_dropped(self) -> RegressionConfig:
        S = _schema()
        both = [c for c in self.dropped_for_collinearity if c in self.features]
        if both:
            raise ValueError(f"{', '.join(map(repr, both))} is in both features and "
                             "dropped_for_collinearity; a column is a predictor or dropped")
        # the collinearity table compares each count column with the others
        checked = [c for c in (*self.features, *self.dropped_for_collinearity)
                   if c in S.COUNT_COLUMNS]
        if len(checked) < 2:
            raise ValueError("features and dropped_for_collinearity together must name at least "
                             "two count columns for the collinearity check (now: "
                             f"{', '.join(checked)})")
        return self


class ModelingConfig(_Frozen):
    """Settings of the modeling stage (course 6): claim classifier tuned for recall."""

    search: Literal["fast", "course"] = Field(
        "fast", description="fast: successive halving over the course grids, ensembles grown "
        "size by size (seconds); course: the exemplar's full grids (72 + 24 candidates, several "
        "minutes)")
    candidates: Int = Field(72, ge=2, le=200, description="grid points per model the fast "
                            "search starts from: all of the course grid (72 forest, 24 XGBoost "
                            "settings) or a seeded random draw of this many")
    cv_folds: Int = Field(5, ge=2, le=10, description="cross-validation folds of the course "
                          "search; the fast search uses 2 (on all the training rows)")
    max_phrases: Int = Field(15, ge=1, le=200, description="CountVectorizer max_features")
    target_recall: Real = Field(0.99, gt=0, le=1)
    #: rows of the report's threshold table. The bundle stores every 0.01 from 0.01 to 0.99
    #: (and these); the report also shows 0.5 and the highest threshold keeping target_recall.
    thresholds: tuple[Real, ...] = Field(
        tuple(round(0.05 * i, 2) for i in range(1, 20)),
        description="thresholds shown in the report's table (every 0.05 by default); the "
        "bundle's table holds every 0.01 as well")
    permutation_repeats: Int = Field(5, ge=1, le=50)
    retune_after_days: Int = Field(
        30, ge=0, le=3650, description="stored hyper-parameters older than this are searched "
        "again; newer ones are refitted on new data without a search (--retune forces one)")
    n_jobs: Int = Field(2, ge=1, description="processes for the search; more than the machine's "
                        "cores is capped at use (see usable_n_jobs)")

    @field_validator("thresholds")
    @classmethod
    def _probabilities(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        """Sorted and without repeats: the threshold table is read top to bottom."""
        if not value:
            raise ValueError("at least one threshold is needed, e.g. [0.5]")
        bad = [f"{t:g}" for t in value if not 0 < t < 1]
        if bad:
            raise ValueError(f"{', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not strictly "
                             "between 0 and 1 (a threshold is a predicted probability)")
        return tuple(sorted(set(value)))

    @property
    def usable_n_jobs(self) -> int:
        """``n_jobs`` capped at the cores this process may use (a shared config can ask for
        more than a small machine has; oversubscribing only slows the search down)."""
        return usable_cores(self.n_jobs)


class Config(_Frozen):
    """Everything that changes a bundle. Stage sections are added as stages arrive."""

    random_state: Int = Field(42, ge=0, le=MAX_SEED,
                              description="seed for every random draw in every stage")
    protocol: Literal["rigorous", "course"] = Field(
        "rigorous", description="course: replicate the exemplar notebooks exactly; rigorous: "
        "split before resampling, scale, report imbalance-honest metrics")
    sample_rows: Int = Field(
        1_000_000, ge=1_000, le=100_000_000,
        description="rows above which the rank-based checks, plots and examples, the "
        "regression and the modeling fit on a sample stratified by claim status (drawn with "
        "random_state, named in the report); counts, means, variances, correlations, quantiles, "
        "histograms, phrases and every test of the EDA and hypothesis stages stay exact")
    eda: EdaConfig = EdaConfig()
    hypothesis: HypothesisConfig = HypothesisConfig()
    regression: RegressionConfig = RegressionConfig()
    modeling: ModelingConfig = ModelingConfig()


def usable_cores(requested: int) -> int:
    """*requested* processes, capped at the CPUs this process may run on (at least 1).

    Notes
    -----
    ``os.cpu_count()`` counts the machine; the CPU affinity mask (containers, ``taskset``)
    can allow fewer, and that is the real limit.
    """
    cores = os.cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        try:
            cores = min(cores, len(os.sched_getaffinity(0)) or cores)
        except OSError:
            pass
    return max(1, min(int(requested), cores))


def workers_from_env() -> int | None:
    """Figure-drawing processes asked for by ``CLAIMREPORT_WORKERS`` (None when unset).

    Raises :class:`ConfigError` for anything but a positive whole number, so a typo is reported
    when the build starts rather than ignored.
    """
    raw = os.environ.get(WORKERS_ENV, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or int(raw) < 1:
        raise ConfigError(f"environment variable {WORKERS_ENV}={raw!r}: must be a positive whole "
                          f"number of figure-drawing processes (1 draws in-process), or unset")
    return int(raw)


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Build the config from defaults, an optional TOML *path*, then *overrides*.

    Also checks the ``CLAIMREPORT_WORKERS`` environment variable, so that every setting of a
    build is refused before it starts.

    Raises :class:`ConfigError` naming the file and each invalid field, on one line.
    """
    data: dict[str, Any] = {}
    source = "command-line options"
    if path is not None:
        source = str(path)
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: config file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config file ({exc})") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    overridden = [tuple(k.split(".")) for k in overrides or {}]
    for key, value in (overrides or {}).items():
        _set_dotted(data, key, value)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_describe(err, overridden if path is not None else [],
                                         Config, MAX_SEED)
                             for err in exc.errors())
        raise ConfigError(f"{source}: invalid configuration: {problems}") from None
    workers_from_env()
    return config


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):  # the file gave a value where a table belongs:
            return                      # validation reports that, naming the file
    node[leaf] = value
