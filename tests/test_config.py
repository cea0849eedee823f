"""Configuration: every invalid setting is refused on one line, before any stage runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimreport.config import MAX_SEED, WORKERS_ENV, Config, ModelingConfig, load_config, usable_cores
from claimreport.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def run(*args, env=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})}
    return subprocess.run([sys.executable, "-m", "claimreport.cli", *args], capture_output=True,
                          text=True, env=env)


def refused(tmp_path: Path, toml: str, overrides=None) -> str:
    """The message of the ConfigError that *toml* raises; it is one line naming the file."""
    path = tmp_path / "c.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as info:
        load_config(path, overrides)
    message = str(info.value)
    assert message.startswith(f"{path}: invalid configuration: ")
    assert "\n" not in message
    assert "Value error" not in message and "after validation" not in message
    return message


def accepted(tmp_path: Path, toml: str) -> Config:
    path = tmp_path / "c.toml"
    path.write_text(toml)
    return load_config(path)


@pytest.fixture(autouse=True)
def _no_workers_env(monkeypatch):
    monkeypatch.delenv(WORKERS_ENV, raising=False)


def test_defaults_are_valid_and_round_trip():
    assert load_config() == Config()
    assert Config.model_validate(Config().model_dump()) == Config()
    assert Config.model_validate_json(Config().model_dump_json()) == Config()


# 1. non-finite numbers ------------------------------------------------------------------------

@pytest.mark.parametrize("toml, field", [
    ("[eda]\nskew_threshold = inf\n", "eda.skew_threshold: should be a finite number, not inf"),
    ("[hypothesis]\nalpha = nan\n", "hypothesis.alpha: should be a finite number, not nan"),
    ("[regression]\nsteps = { video_view_count = nan }\n",
     "regression.steps.video_view_count: should be a finite number, not nan"),
    ("[regression]\nsteps = { video_view_count = inf }\n",
     "regression.steps.video_view_count: should be a finite number, not inf"),
    ("[modeling]\nthresholds = [0.5, nan]\n", "modeling.thresholds[1]: should be a finite number"),
    ("[modeling]\nthresholds = [inf]\n", "modeling.thresholds[0]: should be a finite number"),
    ("[modeling]\ntarget_recall = -inf\n", "modeling.target_recall: should be a finite number"),
    ("random_state = inf\n", "random_state: should be a whole number, not inf"),
])
def test_non_finite_numbers_are_refused(tmp_path, toml, field):
    assert field in refused(tmp_path, toml)


def test_all_problems_of_a_file_are_on_one_line(tmp_path):
    message = refused(tmp_path, "[eda]\nskew_threshold = inf\n[modeling]\nthresholds = [nan]\n"
                                "cv_folds = 1\n")
    assert message.count("; ") == 2
    for field in ("eda.skew_threshold", "modeling.thresholds[0]", "modeling.cv_folds"):
        assert field in message


# 2. seeds -------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1, 2**70])
def test_seed_outside_32_bits_is_refused(tmp_path, seed):
    assert f"random_state: should be a seed from 0 to {MAX_SEED}, not {seed}" in refused(
        tmp_path, f"random_state = {seed}\n")


@pytest.mark.parametrize("seed", [0, MAX_SEED])
def test_seed_range_ends_are_valid(tmp_path, seed):
    assert accepted(tmp_path, f"random_state = {seed}\n").random_state == seed


def test_seed_from_the_command_line_is_named_as_such(tmp_path):
    with pytest.raises(ConfigError, match=r"^command-line options: invalid configuration: "
                                          r"random_state: should be a seed"):
        load_config(overrides={"random_state": -5})
    message = refused(tmp_path, "random_state = 3\n", overrides={"random_state": MAX_SEED + 1})
    assert "random_state (set on the command line): should be a seed" in message


def test_seed_override_replaces_a_bad_file_value(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("random_state = -1\n")
    assert load_config(path, {"random_state": 7}).random_state == 7


# 3. hypothesis --------------------------------------------------------------------------------

def test_chi2_primary_is_refused_with_where_it_belongs(tmp_path):
    message = refused(tmp_path, """
[hypothesis.primary]
name = "Claims and bans"
kind = "chi2"
by = "claim_status"
against = "author_ban_status"
""")
    assert ("hypothesis.primary: the primary test must be a Welch comparison (metric, by, groups); "
            "chi-square tests belong in [[hypothesis.comparisons]]") in message


def test_empty_primary_table_is_a_clear_error(tmp_path):
    message = refused(tmp_path, "[hypothesis.primary]\n")
    assert ("hypothesis.primary: the primary table is empty; it replaces the default test, so it "
            "needs all of name, metric, by, groups") in message


def test_incomplete_primary_table_lists_what_is_missing(tmp_path):
    message = refused(tmp_path, "[hypothesis.primary]\nname = 'x'\nmetric = 'video_view_count'\n")
    assert "hypothesis.primary: the primary table lacks by, groups" in message
    assert "Field required" not in message


def test_primary_with_three_groups(tmp_path):
    message = refused(tmp_path, "[hypothesis.primary]\nname = 'x'\nmetric = 'video_view_count'\n"
                                "by = 'verified_status'\ngroups = ['verified', 'not verified', 'x']\n")
    assert "hypothesis.primary.groups: should be a list of two groups [A, B], not 3 items" in message


def test_no_comparisons_is_a_family_of_one(tmp_path):
    from claimreport.data.demo import generate, write_csv
    from claimreport.data.load import load_data
    from claimreport.stages.hypothesis import compute

    # the stratified analysis adds its tests to the family, so it is switched off here too
    cfg = accepted(tmp_path, "[hypothesis]\ncomparisons = []\nstratify_by = ''\n")
    assert cfg.hypothesis.comparisons == ()
    write_csv(generate(600, random_state=3), tmp_path / "d.csv")
    result = compute(load_data(tmp_path / "d.csv"), cfg).result
    assert result.key_figures["tests_in_family"] == 1
    assert result.primary.p_holm == pytest.approx(result.primary.p_value)


def test_stratification_is_on_by_claim_status_and_joins_the_family(tmp_path):
    from claimreport.data.demo import generate, write_csv
    from claimreport.data.load import load_data
    from claimreport.stages.hypothesis import compute

    cfg = accepted(tmp_path, "[hypothesis]\ncomparisons = []\n")
    assert cfg.hypothesis.stratify_by == "claim_status"
    assert Config().hypothesis.comparisons[-1].model_dump(exclude_none=True) == {
        "name": "Verified status and claim status", "kind": "chi2", "by": "verified_status",
        "against": "claim_status"}
    write_csv(generate(600, random_state=3), tmp_path / "d.csv")
    result = compute(load_data(tmp_path / "d.csv"), cfg).result
    assert result.key_figures["tests_in_family"] == 4  # primary, two levels, adjusted


def test_stratify_by_another_category_column_is_accepted(tmp_path):
    cfg = accepted(tmp_path, "[hypothesis]\nstratify_by = 'author_ban_status'\n")
    assert cfg.hypothesis.stratify_by == "author_ban_status"


@pytest.mark.parametrize("value, shown", [
    ("'video_view_count'", "'video_view_count'"), ("'colour'", "'colour'"),
    ("'verified_status'", "'verified_status'")])
def test_stratify_by_must_be_another_category_column(tmp_path, value, shown):
    message = refused(tmp_path, f"[hypothesis]\nstratify_by = {value}\n")
    assert (f"hypothesis: stratify_by={shown} must be a category column other than the primary "
            "test's by='verified_status' (choose from claim_status, author_ban_status), or \"\" "
            "to switch the stratified analysis off") in message


def test_stratify_by_the_primary_column_is_refused_when_the_primary_changes(tmp_path):
    message = refused(tmp_path, "[hypothesis.primary]\nname = 'Claims'\n"
                      "metric = 'video_view_count'\nby = 'claim_status'\n"
                      "groups = ['claim', 'opinion']\n")
    assert "hypothesis: stratify_by='claim_status' must be a category column other than the " \
           "primary test's by='claim_status' (choose from verified_status, author_ban_status)" \
           in message
    ok = accepted(tmp_path, "[hypothesis]\nstratify_by = 'verified_status'\n"
                  "[hypothesis.primary]\nname = 'Claims'\nmetric = 'video_view_count'\n"
                  "by = 'claim_status'\ngroups = ['claim', 'opinion']\n")
    assert ok.hypothesis.stratify_by == "verified_status"


def test_stratify_by_must_be_text(tmp_path):
    message = refused(tmp_path, "[hypothesis]\nstratify_by = 3\n")
    assert "hypothesis.stratify_by: should be text, not 3" in message


CHI2 = "[[hypothesis.comparisons]]\nname = '{}'\nkind = 'chi2'\nby = '{}'\nagainst = 'author_ban_status'\n"


def test_duplicate_comparison_names_are_refused(tmp_path):
    message = refused(tmp_path, CHI2.format("Bans", "claim_status")
                      + CHI2.format("Bans", "verified_status"))
    assert "hypothesis: test names must be unique across primary and comparisons; 'Bans'" in message


def test_comparison_named_like_the_primary_is_refused(tmp_path):
    message = refused(tmp_path, CHI2.format("Views: unverified vs verified authors", "claim_status"))
    assert "'Views: unverified vs verified authors' is used more than once" in message


def test_fields_of_the_other_kind_are_refused(tmp_path):
    message = refused(tmp_path, CHI2.format("x", "claim_status") + "metric = 'video_view_count'\n")
    assert "hypothesis.comparisons[0]: comparison 'x': metric only apply to welch" in message


# 4. regression --------------------------------------------------------------------------------

def features(*names: str) -> str:
    return f"[regression]\nfeatures = {list(names)!r}\n".replace("'", '"')


@pytest.mark.parametrize("names, message", [
    (("verified_status", "video_view_count"),
     "regression.features: 'verified_status' is the target of the regression, not a predictor"),
    (("video_id", "video_view_count"), "'video_id' is an identifier, not a predictor"),
    (("video_transcription_text", "video_view_count"),
     "'video_transcription_text' is free text, not a predictor"),
    (("views", "video_view_count"),
     "'views' is not a column the regression can use (choose from video_duration_sec, "
     "video_view_count, video_like_count, video_share_count, video_download_count, "
     "video_comment_count, claim_status, author_ban_status)"),
    ((), "regression.features: at least one predictor is needed"),
    (("video_view_count", "claim_status", "video_view_count"),
     "'video_view_count' is listed more than once"),
    (("claim_status", "author_ban_status"), "at least one count column is needed"),
])
def test_features_must_be_usable_predictors(tmp_path, names, message):
    assert message in refused(tmp_path, features(*names))


def test_capped_and_dropped_are_count_columns(tmp_path):
    message = refused(tmp_path, "[regression]\ncapped = ['claim_status']\n"
                                "dropped_for_collinearity = ['likes']\n")
    assert "regression.capped: 'claim_status' is not a count column (choose from " in message
    assert "regression.dropped_for_collinearity: 'likes' is not a count column" in message


def test_dropped_column_cannot_also_be_a_feature(tmp_path):
    message = refused(tmp_path, features("video_view_count", "video_like_count")
                      + "dropped_for_collinearity = ['video_like_count']\n")
    assert ("'video_like_count' is in both features and dropped_for_collinearity; a column is a "
            "predictor or dropped") in message


def test_collinearity_check_needs_two_count_columns(tmp_path):
    message = refused(tmp_path, features("video_view_count", "claim_status")
                      + "dropped_for_collinearity = []\n")
    assert "at least two count columns for the collinearity check" in message


@pytest.mark.parametrize("steps, message", [
    ("{ claim_status = 1 }", "regression.steps: 'claim_status' is not a count column"),
    ("{ video_view_count = 0 }", "regression.steps: video_view_count = 0 must be greater than 0"),
    ("{ video_view_count = -10 }", "video_view_count = -10 must be greater than 0"),
    ("{ video_view_count = true }", "regression.steps.video_view_count: should be a number, not true"),
])
def test_steps_are_positive_per_count_column(tmp_path, steps, message):
    assert message in refused(tmp_path, f"[regression]\nsteps = {steps}\n")


def test_a_valid_custom_regression(tmp_path):
    cfg = accepted(tmp_path, features("video_view_count", "author_ban_status")
                   + "dropped_for_collinearity = ['video_like_count']\ncapped = []\n"
                   "steps = { video_view_count = 50000 }\n")
    assert cfg.regression.features == ("video_view_count", "author_ban_status")
    assert cfg.regression.steps == {"video_view_count": 50_000.0}


# 5. modeling thresholds and recall ------------------------------------------------------------

@pytest.mark.parametrize("values, message", [
    ("[]", "modeling.thresholds: at least one threshold is needed"),
    ("[0, 0.5]", "modeling.thresholds: 0 is not strictly between 0 and 1"),
    ("[0.5, 1, 1.5, -0.1]", "modeling.thresholds: 1, 1.5, -0.1 are not strictly between 0 and 1"),
    ("['0.5']", "modeling.thresholds[0]: should be a number, not '0.5'"),
])
def test_thresholds_are_probabilities(tmp_path, values, message):
    assert message in refused(tmp_path, f"[modeling]\nthresholds = {values}\n")


def test_thresholds_are_sorted_without_repeats(tmp_path):
    cfg = accepted(tmp_path, "[modeling]\nthresholds = [0.9, 0.1, 0.5, 0.1]\n")
    assert cfg.modeling.thresholds == (0.1, 0.5, 0.9)


@pytest.mark.parametrize("value, ok", [(0, False), (-0.5, False), (1.01, False), (1, True),
                                       (0.5, True)])
def test_target_recall_in_zero_to_one(tmp_path, value, ok):
    toml = f"[modeling]\ntarget_recall = {value}\n"
    if ok:
        assert accepted(tmp_path, toml).modeling.target_recall == value
    else:
        assert "modeling.target_recall: " in refused(tmp_path, toml)


# 6. cores -------------------------------------------------------------------------------------

def test_usable_cores_is_capped_by_machine_and_affinity(monkeypatch):
    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert usable_cores(64) == 3
    assert usable_cores(2) == 2
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert usable_cores(64) == 1


def test_n_jobs_above_the_cores_is_capped_not_refused(tmp_path):
    cfg = accepted(tmp_path, "[modeling]\nn_jobs = 512\n")
    assert cfg.modeling.n_jobs == 512  # recorded as asked
    assert cfg.modeling.usable_n_jobs == usable_cores(512) <= (os.cpu_count() or 1)
    assert ModelingConfig(n_jobs=1).usable_n_jobs == 1


def test_workers_env_is_capped(monkeypatch):
    from claimreport.figures import _workers

    monkeypatch.setenv(WORKERS_ENV, "512")
    assert _workers() == usable_cores(512) <= (os.cpu_count() or 1)
    monkeypatch.setenv(WORKERS_ENV, "1")
    assert _workers() == 1
    monkeypatch.delenv(WORKERS_ENV)
    assert _workers() == usable_cores(2)


@pytest.mark.parametrize("value", ["abc", "0", "-2", "2.5", "two"])
def test_bad_workers_env_is_a_config_error_at_load(monkeypatch, value):
    monkeypatch.setenv(WORKERS_ENV, value)
    with pytest.raises(ConfigError, match=rf"^environment variable {WORKERS_ENV}='{value}': must "
                                          r"be a positive whole number"):
        load_config()


# 7. unknown keys and types --------------------------------------------------------------------

def test_unknown_keys_list_the_valid_ones(tmp_path):
    message = refused(tmp_path, "seed = 1\n[eda]\ntop_phrase = 3\n" + CHI2.format("x", "claim_status")
                      + "colour = 'red'\n")
    assert "eda.top_phrase: unknown key (valid keys: top_phrases, histogram_bins, skew_threshold)" \
        in message
    assert "seed: unknown key (valid keys: random_state, protocol, sample_rows, eda, hypothesis, " \
           "regression, modeling)" in message
    assert "hypothesis.comparisons[0].colour: unknown key (valid keys: name, kind, by, metric, " \
           "groups, against)" in message


@pytest.mark.parametrize("toml, message", [
    ("[modeling]\nn_jobs = true\n", "modeling.n_jobs: should be a whole number, not true"),
    ("[modeling]\ncandidates = 2.5\n", "modeling.candidates: should be a whole number, not 2.5"),
    ("eda = 3\n", "eda: should be a table, not 3"),
    ("[regression]\nfeatures = 'video_view_count'\n", "regression.features: should be a list"),
])
def test_wrong_types_are_named_in_toml_words(tmp_path, toml, message):
    assert message in refused(tmp_path, toml)


def test_override_into_a_non_table_is_reported_not_crashed(tmp_path):
    assert "modeling: should be a table, not 4" in refused(
        tmp_path, "modeling = 4\n", overrides={"modeling.search": "fast"})


# through the command line: exit 2, one line, nothing written ---------------------------------

def assert_refused_by_cli(out, tmp_path, *expected):
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    for text in expected:
        assert text in lines[0]
    assert not (tmp_path / "out").exists()


def test_cli_refuses_non_finite_config(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[modeling]\nthresholds = [0.5, nan]\n[regression]\nsteps = { video_view_count = inf }\n")
    out = run("render", "--config", str(cfg), "--out", str(tmp_path / "out"), "--format", "html")
    assert_refused_by_cli(out, tmp_path, "c.toml", "modeling.thresholds[1]",
                          "regression.steps.video_view_count")


@pytest.mark.parametrize("seed", ["-1", str(MAX_SEED + 1)])
def test_cli_refuses_seed_out_of_range(tmp_path, seed):
    out = run("render", "--stage", "eda", "--seed", seed, "--out", str(tmp_path / "out"),
              "--format", "html")
    assert_refused_by_cli(out, tmp_path, "command-line options", "random_state")


def test_cli_refuses_chi2_primary(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[hypothesis.primary]\nname = 'x'\nkind = 'chi2'\nby = 'claim_status'\n"
                   "against = 'author_ban_status'\n")
    out = run("render", "--stage", "hypothesis", "--config", str(cfg), "--out", str(tmp_path / "out"))
    assert_refused_by_cli(out, tmp_path, "c.toml", "hypothesis.primary", "Welch")


def test_cli_refuses_bad_workers_env(tmp_path):
    out = run("render", "--stage", "eda", "--out", str(tmp_path / "out"), "--format", "html",
              env={WORKERS_ENV: "many"})
    assert_refused_by_cli(out, tmp_path, WORKERS_ENV, "'many'")
