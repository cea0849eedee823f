"""Tune on demand, refit on schedule: stored hyper-parameters are refitted on new data and
searched again only when asked, expired, changed or no longer good enough."""

from __future__ import annotations

import pytest

from claimreport.bundle import read_bundle
from claimreport.config import Config
from claimreport.data.demo import generate, write_csv
from claimreport.pipeline import build
from claimreport.results.modeling import Tuning
from claimreport.stages.modeling_search import NAMES, stored_tuning, tuning_settings

FAST = Config(modeling={"candidates": 3, "cv_folds": 3, "permutation_repeats": 1,
                        "target_recall": 0.9})


def tuning(config=FAST, tuned_at="2026-11-01", seed=42, **over) -> Tuning:
    fields = dict(tuned_at=tuned_at, data_name="a.csv", data_sha256="0" * 64,
                  settings=tuning_settings(config, seed),
                  params={k: {"n_estimators": 100} for k in NAMES},
                  cv_recall={k: 0.99 for k in NAMES}, cv_recall_std={k: 0.01 for k in NAMES},
                  source="searched", reason="first_build")
    fields.update(over)
    return Tuning(**fields)


class Previous:
    def __init__(self, t):
        self.tuning = t


@pytest.mark.parametrize(("previous", "retune", "now", "reason"), [
    (None, False, "2026-11-02", "first_build"),
    (Previous(tuning()), True, "2026-11-02", "requested"),
    (Previous(tuning()), False, "2026-11-02", "stored"),
    (Previous(tuning()), False, "2026-12-01", "stored"),  # 30 days: still fresh
    (Previous(tuning()), False, "2026-12-02", "expired"),  # 31 days
    (Previous(tuning(settings="other")), False, "2026-11-02", "settings_changed"),
])
def test_stored_tuning_rule(previous, retune, now, reason):
    found, why = stored_tuning(previous, FAST, 42, retune, now=now)
    assert why == reason
    assert (found is not None) is (reason == "stored")


def test_a_new_seed_or_search_setting_invalidates_stored_settings():
    other = FAST.model_copy(update={"modeling": FAST.modeling.model_copy(update={"cv_folds": 4})})
    assert stored_tuning(Previous(tuning()), other, 42, False, now="2026-11-02")[1] == \
        "settings_changed"
    assert stored_tuning(Previous(tuning()), FAST, 7, False, now="2026-11-02")[1] == \
        "settings_changed"


def test_new_data_refits_the_stored_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMREPORT_WORKERS", "1")
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_csv(generate(1200, random_state=1), a)
    write_csv(generate(1300, random_state=2), b)
    out = tmp_path / "o"
    build(a, out, ["modeling"], [], FAST)
    first = read_bundle(out / "bundle").results["modeling"]
    assert (first.tuning.source, first.tuning.reason) == ("searched", "first_build")
    assert first.tuning.data_name == "a.csv"
    assert {s.method for s in first.searches} == {"halving_sizes"}

    build(b, out, ["modeling"], [], FAST)
    second = read_bundle(out / "bundle").results["modeling"]
    assert (second.tuning.source, second.tuning.reason) == ("stored", "stored")
    assert second.tuning.params == first.tuning.params  # refitted, not searched
    assert second.tuning.data_name == "a.csv"  # the report says on which data they were tuned
    assert {s.method for s in second.searches} == {"stored"}
    assert second.n_train != first.n_train  # fitted on the new data

    build(b, out, ["modeling"], [], FAST, retune=True)
    third = read_bundle(out / "bundle").results["modeling"]
    assert (third.tuning.source, third.tuning.reason) == ("searched", "requested")
    assert third.tuning.data_name == "b.csv"


def test_settings_that_miss_the_target_are_searched_again(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMREPORT_WORKERS", "1")
    a = tmp_path / "a.csv"
    write_csv(generate(1200, random_state=1), a)
    out = tmp_path / "o"
    build(a, out, ["modeling"], [], FAST)
    strict = FAST.model_copy(update={"modeling": FAST.modeling.model_copy(
        update={"target_recall": 1.0})})
    build(a, out, ["modeling"], [], strict)
    result = read_bundle(out / "bundle").results["modeling"]
    best = max(s.recall for s in result.validation)
    if best < 1.0:  # the refit missed a perfect target: a new search was run
        assert (result.tuning.source, result.tuning.reason) == ("searched", "refit_missed_target")
    else:
        assert result.tuning.source == "stored"
