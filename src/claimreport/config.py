"""One typed configuration: defaults in code, an optional TOML file, CLI overrides on top.

The full config is recorded in the bundle's manifest so a report says exactly how it was made.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ConfigError

__all__ = ["Config", "EdaConfig", "Comparison", "HypothesisConfig", "RegressionConfig",
           "ModelingConfig", "load_config"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EdaConfig(_Frozen):
    """Settings of the EDA stage."""

    top_phrases: int = Field(10, ge=1, le=50, description="phrases listed per class")
    histogram_bins: int = Field(30, ge=5, le=200)
    skew_threshold: float = Field(
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
        from .data import schema as S

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
        elif self.against not in S.LABELS or self.against == self.by:
            problems.append(f"against={self.against!r} must be another category column "
                            f"(choose from {', '.join(S.LABELS)})")
        if problems:
            raise ValueError(f"comparison {self.name!r}: " + "; ".join(problems))
        return self


class HypothesisConfig(_Frozen):
    """Settings of the hypothesis stage (course 4)."""

    alpha: float = Field(0.05, gt=0, lt=0.5, description="significance level, two-sided")
    primary: Comparison = Comparison(
        name="Views: unverified vs verified authors", kind="welch", metric="video_view_count",
        by="verified_status", groups=("not verified", "verified"))
    comparisons: tuple[Comparison, ...] = (
        Comparison(name="Views: claims vs opinions", kind="welch", metric="video_view_count",
                   by="claim_status", groups=("claim", "opinion")),
        Comparison(name="Claim status and author ban status", kind="chi2", by="claim_status",
                   against="author_ban_status"),
    )
    qq_points: int = Field(200, ge=20, le=2000, description="points per group in QQ plots")


class RegressionConfig(_Frozen):
    """Settings of the regression stage (course 5): logistic regression of verified status."""

    features: tuple[str, ...] = (
        "video_duration_sec", "claim_status", "author_ban_status", "video_view_count",
        "video_share_count", "video_download_count", "video_comment_count")
    dropped_for_collinearity: tuple[str, ...] = ("video_like_count",)
    capped: tuple[str, ...] = ("video_like_count", "video_comment_count")
    test_size: float = Field(0.25, gt=0, lt=0.9)
    rebalance: Literal["class_weight", "upsample"] = Field(
        "class_weight", description="rigorous protocol: how the training part is rebalanced")
    max_iter: int = Field(800, ge=100)
    #: "each additional <step> <unit>" in the narrative and the odds-ratio table
    steps: dict[str, float] = {
        "video_duration_sec": 10, "video_view_count": 100_000, "video_share_count": 10_000,
        "video_download_count": 1_000, "video_comment_count": 100, "video_like_count": 10_000}


class ModelingConfig(_Frozen):
    """Settings of the modeling stage (course 6): claim classifier tuned for recall."""

    search: Literal["fast", "course"] = Field(
        "fast", description="fast: successive halving over random candidates from the course "
        "grids; course: the exemplar's full grids (72 + 24 candidates, several minutes)")
    candidates: int = Field(24, ge=2, le=200, description="candidates per model, fast search")
    cv_folds: int = Field(5, ge=2, le=10)
    max_phrases: int = Field(15, ge=1, le=200, description="CountVectorizer max_features")
    target_recall: float = Field(0.99, gt=0, le=1)
    thresholds: tuple[float, ...] = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    permutation_repeats: int = Field(5, ge=1, le=50)
    n_jobs: int = Field(2, ge=1, description="processes for the search (this machine: 2 cores)")


class Config(_Frozen):
    """Everything that changes a bundle. Stage sections are added as stages arrive."""

    random_state: int = Field(42, description="seed for every random draw in every stage")
    protocol: Literal["rigorous", "course"] = Field(
        "rigorous", description="course: replicate the exemplar notebooks exactly; rigorous: "
        "split before resampling, scale, report imbalance-honest metrics")
    eda: EdaConfig = EdaConfig()
    hypothesis: HypothesisConfig = HypothesisConfig()
    regression: RegressionConfig = RegressionConfig()
    modeling: ModelingConfig = ModelingConfig()


def load_config(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Config:
    """Build the config from defaults, an optional TOML *path*, then *overrides*.

    Raises :class:`ConfigError` naming the file and each invalid field.
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
    for key, value in (overrides or {}).items():
        _set_dotted(data, key, value)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg'].removeprefix('Value error, ')}"
            for err in exc.errors()
        )
        raise ConfigError(f"{source}: invalid configuration: {problems}") from None


def _set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value
