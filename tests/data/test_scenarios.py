"""Scenario datasets tell the story they are named for.

Every story is pinned with an independent computation on generated data: scipy's Welch t-test
(``ttest_ind(equal_var=False)``) for views by verified status overall and within each claim
status, medians by class, and a quick scikit-learn logistic regression on the log engagement
counts (and on the transcriptions' words, as the modeling stage uses them) for the modeling
stories. The main pins use 2,000 rows and seed 7 (``small`` its default
300 rows); the same checks run again at 600 rows and seed 11, because a scenario must tell its
story from about 600 rows up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import FrozenInstanceError, replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from claimreport.data import demo, schema
from claimreport.data.load import load_data
from claimreport.data.scenarios import (
    COURSE,
    SCENARIOS,
    Engagement,
    GeneratorParams,
    generate_scenario,
    get_scenario,
)
from claimreport.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
VIEWS = schema.VIEWS
REQUIRED = ("course", "reversed", "no_difference", "verified_popular", "confounded",
            "weak_signal", "small", "imbalanced")
ALPHA = 0.05
SIZES = [pytest.param(2_000, 7, id="2000rows-seed7"), pytest.param(600, 11, id="600rows-seed11")]


@cache
def frame(name: str, rows: int, seed: int) -> pd.DataFrame:
    """Labelled rows of a scenario (``small`` always at its default size)."""
    data = generate_scenario(name, None if name == "small" else rows, seed)
    return data.dropna(subset=[schema.CLAIM]).reset_index(drop=True)


def views(d: pd.DataFrame) -> pd.Series:
    return d[VIEWS].astype("float64")


def welch(d: pd.DataFrame) -> tuple[float, float]:
    """(mean views of verified / unverified authors, Welch p-value)."""
    verified = d[schema.VERIFIED] == "verified"
    a, b = views(d[verified]), views(d[~verified])
    return a.mean() / b.mean(), stats.ttest_ind(a, b, equal_var=False).pvalue


def by_class(d: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {c: d[d[schema.CLAIM] == c] for c in ("claim", "opinion")}


def median_ratio(d: pd.DataFrame, column: str = VIEWS) -> float:
    """Median of claims / median of opinions."""
    medians = d.groupby(schema.CLAIM)[column].median()
    return float(medians["claim"] / medians["opinion"])


def class_p(d: pd.DataFrame) -> float:
    """Welch p-value of views, claims against opinions."""
    parts = by_class(d)
    return stats.ttest_ind(views(parts["claim"]), views(parts["opinion"]), equal_var=False).pvalue


def model(d: pd.DataFrame, text: bool = False) -> dict[str, float]:
    """Held-out quality of a logistic regression on the log engagement counts (and the text).

    With ``text=True`` the transcriptions' words and word pairs are features too, as in the
    modeling stage. ``precision_at_99`` is the best precision among thresholds that keep 99 %
    recall: near the claim share when nothing separates claims, near 1 when a model finds
    them easily. ``text_auc`` is the ROC AUC of the words alone.
    """
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import precision_recall_curve, recall_score, roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    y = (d[schema.CLAIM] == "claim").to_numpy()
    train, test = train_test_split(np.arange(len(d)), test_size=0.3, stratify=y, random_state=0)
    counts = np.log1p(d[list(schema.ENGAGEMENT_COLUMNS)].astype("float64").to_numpy())
    scaler = StandardScaler().fit(counts[train])
    words = CountVectorizer(ngram_range=(1, 2), min_df=2).fit(d[schema.TEXT].iloc[train])

    def features(rows: np.ndarray, use_counts: bool = True, use_text: bool = text):
        parts = [csr_matrix(scaler.transform(counts[rows]))] if use_counts else []
        return hstack([*parts, words.transform(d[schema.TEXT].iloc[rows])] if use_text else parts)

    def score(**which) -> np.ndarray:
        fitted = LogisticRegression(max_iter=2_000).fit(features(train, **which), y[train])
        return fitted.predict_proba(features(test, **which))[:, 1]

    main = score()
    precision, recall, _ = precision_recall_curve(y[test], main)
    return {"recall_at_half": recall_score(y[test], main >= 0.5),
            "auc": roc_auc_score(y[test], main),
            "precision_at_99": float(precision[recall >= 0.99].max()),
            "text_auc": roc_auc_score(y[test], score(use_counts=False, use_text=True))}


def assert_no_verified_difference_within_classes(d: pd.DataFrame, tolerance: float = 0.15) -> None:
    for cls, part in by_class(d).items():
        ratio, p = welch(part)
        assert p > ALPHA and abs(ratio - 1) <= tolerance, (cls, ratio, p)


# --- the registry ----------------------------------------------------------------------------

def test_registry_has_every_story_with_a_one_line_description():
    assert set(REQUIRED) <= set(SCENARIOS)
    for name, scenario in SCENARIOS.items():
        assert scenario.name == name
        assert scenario.description and "\n" not in scenario.description
        assert isinstance(scenario.params, GeneratorParams) and scenario.default_rows >= 300
    assert SCENARIOS["small"].default_rows == 300
    assert SCENARIOS["course"].params == COURSE
    with pytest.raises(FrozenInstanceError):
        SCENARIOS["course"].default_rows = 5  # type: ignore[misc]


@pytest.mark.parametrize("name", ["nope", "Course", "", None])
def test_unknown_scenario_lists_the_valid_names(name):
    with pytest.raises(ConfigError, match="unknown scenario .*choose one of: course, reversed"):
        generate_scenario(name)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="imbalanced"):
        get_scenario(name)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [
    dict(class_weights=(1, 0, 1)),
    dict(class_weights=(1, 1)),
    dict(claim_authors=(1, 1, 1)),
    dict(opinion_authors=(0, 0, 0, 0, 0, 0)),
    dict(missing_authors=(1, -1, 1, 1, 1, 1)),
    dict(text_mix=1.5),
])
def test_bad_generator_params_are_config_errors(bad):
    with pytest.raises(ConfigError):
        replace(COURSE, **bad)


@pytest.mark.parametrize("bad", [(10, 5, 0.5, 0.5), (-1, 5, 0.5, 0.5), (1, 5, 1.5, 0.5),
                                 (1, 5, 0.5, -0.1)])
def test_bad_engagement_is_a_config_error(bad):
    with pytest.raises(ConfigError):
        Engagement(*bad)


@pytest.mark.parametrize("rows, seed", [(1, 0), (800, 3), (3_000, 42)])
def test_course_scenario_is_the_demo_generator(rows, seed):
    expected = demo.generate(rows, seed)
    pd.testing.assert_frame_equal(generate_scenario("course", rows, seed), expected)
    pd.testing.assert_frame_equal(demo.generate(rows, seed, params=COURSE), expected)


# --- schema, quirks and determinism, for every scenario ------------------------------------------

@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_keeps_the_course_schema_and_quirks(name, tmp_path):
    data = generate_scenario(name, None if name == "small" else 1_000, random_state=5)
    reference = demo.generate(50, 5)
    assert list(data.columns) == list(reference.columns)
    assert data.dtypes.equals(reference.dtypes)
    assert data[schema.ID].is_unique
    missing = data[schema.CLAIM].isna()
    assert 0 < missing.sum() <= 0.03 * len(data)
    dependent = [schema.TEXT, *schema.ENGAGEMENT_COLUMNS]
    assert data.loc[missing, dependent].isna().all().all()
    assert data.loc[~missing, dependent].notna().all().all()
    d = data[~missing]
    for upper, lower in [(schema.VIEWS, schema.LIKES), (schema.LIKES, schema.SHARES),
                         (schema.LIKES, schema.DOWNLOADS), (schema.DOWNLOADS, schema.COMMENTS)]:
        assert (d[lower] <= d[upper]).all(), (upper, lower)
    assert (d[list(schema.ENGAGEMENT_COLUMNS)] >= 0).all().all()
    assert set(d[schema.CLAIM]) == {"claim", "opinion"}

    loaded = load_data(demo.write_csv(data, tmp_path / f"{name}.csv"))  # validate_frame inside
    assert len(loaded.frame) == len(data)
    assert loaded.frame[schema.CLAIM].isna().sum() == missing.sum()


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenario_is_deterministic_for_a_seed(name):
    a = generate_scenario(name, 600, random_state=3)
    pd.testing.assert_frame_equal(a, generate_scenario(name, 600, random_state=3))
    b = generate_scenario(name, 600, random_state=4)
    for column in (schema.ID, schema.TEXT, schema.VIEWS):
        assert not a[column].equals(b[column]), column


# --- the stories -------------------------------------------------------------------------------

@pytest.mark.parametrize("rows, seed", SIZES)
def test_course_claims_far_more_viewed_verified_fewer_only_by_mix(rows, seed):
    d = frame("course", rows, seed)
    assert 50 <= median_ratio(d) <= 200
    ratio, p = welch(d)
    assert ratio < 0.6 and p < 0.01
    verified = d[schema.VERIFIED] == "verified"
    share = (d[schema.CLAIM] == "claim").groupby(verified).mean()
    assert share[True] < 0.5 * share[False]  # the mix behind the overall difference


@pytest.mark.parametrize("rows, seed", SIZES)
def test_course_a_model_finds_claims_easily(rows, seed):
    d = frame("course", rows, seed)
    fit = model(d, text=True)
    assert fit["auc"] >= 0.99
    assert fit["precision_at_99"] >= 0.95  # the 0.99 recall target is met with few false alarms
    # At the default 0.5 threshold about 1 % of claims are missed: in the course file too, some
    # claims have opinion-like view counts (1,000-10,000), and the counts outweigh the words.
    assert fit["recall_at_half"] >= 0.98
    counts_only = model(d)
    assert counts_only["auc"] >= 0.98 and counts_only["recall_at_half"] >= 0.95


@pytest.mark.parametrize("rows, seed", SIZES)
def test_reversed_opinions_draw_far_more_engagement(rows, seed):
    d = frame("reversed", rows, seed)
    for column in (schema.VIEWS, schema.LIKES, schema.SHARES, schema.DOWNLOADS):
        assert median_ratio(d, column) <= 0.1, column
    assert class_p(d) < 0.001
    assert views(by_class(d)["opinion"]).mean() > 10 * views(by_class(d)["claim"]).mean()


@pytest.mark.parametrize("rows, seed", SIZES)
def test_no_difference_in_views_anywhere_but_texts_differ(rows, seed):
    d = frame("no_difference", rows, seed)
    assert 0.9 <= median_ratio(d) <= 1.1 and class_p(d) > ALPHA
    ratio, p = welch(d)
    assert 0.85 <= ratio <= 1.15 and p > ALPHA
    assert_no_verified_difference_within_classes(d)
    fit = model(d, text=True)
    assert model(d)["auc"] < 0.65  # engagement says nothing about claim status
    assert fit["text_auc"] > 0.95 and fit["recall_at_half"] >= 0.95  # the transcriptions do


@pytest.mark.parametrize("rows, seed", SIZES)
def test_verified_popular_overall_and_within_each_class(rows, seed):
    d = frame("verified_popular", rows, seed)
    for part in (d, *by_class(d).values()):
        ratio, p = welch(part)
        assert 2.5 <= ratio <= 3.5 and p < 0.01, (ratio, p)


@pytest.mark.parametrize("rows, seed", SIZES)
def test_confounded_difference_is_only_the_claim_mix(rows, seed):
    d = frame("confounded", rows, seed)
    ratio, p = welch(d)
    assert ratio > 1.4 and p < 0.01
    assert_no_verified_difference_within_classes(d)
    verified = d[schema.VERIFIED] == "verified"
    share = (d[schema.CLAIM] == "claim").groupby(verified).mean()
    assert share[True] >= 0.7 and share[False] <= 0.55


@pytest.mark.parametrize("rows, seed", SIZES)
def test_weak_signal_no_model_reaches_the_recall_target(rows, seed):
    d = frame("weak_signal", rows, seed)
    for fit in (model(d), model(d, text=True)):
        assert fit["auc"] < 0.7
        assert fit["recall_at_half"] <= 0.85
        assert fit["precision_at_99"] <= 0.6  # 99 % recall only by calling most videos claims
    assert fit["text_auc"] < 0.65
    lengths = d[schema.TEXT].str.len().groupby(d[schema.CLAIM]).mean()
    assert abs(lengths["claim"] - lengths["opinion"]) < 3
    verified = (d[schema.VERIFIED] == "verified").groupby(d[schema.CLAIM]).mean()
    assert abs(verified["claim"] - verified["opinion"]) < 0.02


def test_small_is_the_course_story_in_300_rows():
    raw = generate_scenario("small")
    assert len(raw) == 300 and raw[schema.CLAIM].isna().any()
    d = frame("small", 300, 7)
    assert 50 <= median_ratio(d) <= 200
    ratio, p = welch(d)
    assert ratio < 0.6 and p < ALPHA
    # About 3 verified claims in 300 rows: their mean can be 20 % off while the test sees nothing.
    assert_no_verified_difference_within_classes(d, tolerance=0.3)
    assert len(generate_scenario("small", 1_000)) == 1_000


@pytest.mark.parametrize("rows, seed", SIZES)
def test_imbalanced_claims_are_about_five_percent(rows, seed):
    d = frame("imbalanced", rows, seed)
    assert 0.04 <= (d[schema.CLAIM] == "claim").mean() <= 0.06
    assert 50 <= median_ratio(d) <= 200


# --- command line --------------------------------------------------------------------------------

def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "claimreport.cli", *args], capture_output=True,
                          text=True, env=env)


def test_demo_data_help_lists_the_scenarios():
    out = run_cli("demo-data", "--help")
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.replace("│", " ").split())
    for name in SCENARIOS:
        assert name in text, name


def test_demo_data_writes_a_scenario_at_its_default_size(tmp_path):
    target = tmp_path / "small.csv"
    out = run_cli("demo-data", "--scenario", "small", "--seed", "7", "--out", str(target))
    assert out.returncode == 0, out.stderr
    assert "wrote 300 rows of the small scenario" in out.stdout
    expected = demo.write_csv(generate_scenario("small", random_state=7), tmp_path / "ref.csv")
    assert target.read_bytes() == expected.read_bytes()

    bad = run_cli("demo-data", "--scenario", "nope", "--out", str(tmp_path / "nope.csv"))
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("error: unknown scenario 'nope'; choose one of: course,")
    assert not (tmp_path / "nope.csv").exists()
