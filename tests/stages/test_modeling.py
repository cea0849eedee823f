"""Modeling stage: no leakage into the vectoriser, champion rule, reloadable model, targets."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest

from claimreport.config import Config
from claimreport.data.load import load_data
from claimreport.stages.modeling import choose_champion, prepare

FAST = {"modeling": {"candidates": 4, "cv_folds": 3, "permutation_repeats": 2}}


def test_vectorizer_never_sees_validation_or_test_text(demo_csv):
    data = load_data(demo_csv).frame.dropna()
    cfg = Config(**FAST)
    first = prepare(data, cfg)
    held_out = np.concatenate([first["ids"]["validation"], first["ids"]["test"]])
    tampered = data.copy()
    rows = tampered["video_id"].isin(held_out)
    # a phrase that would top the vocabulary if held-out text were used for fitting
    tampered.loc[rows, "video_transcription_text"] = (
        "zebra unicorn zebra unicorn " + tampered.loc[rows, "video_transcription_text"])
    second = prepare(tampered, cfg)
    assert np.array_equal(second["ids"]["test"], first["ids"]["test"])  # same split
    vocab = second["vectorizer"].vocabulary_
    assert not any("zebra" in phrase for phrase in vocab)
    assert vocab == first["vectorizer"].vocabulary_
    # and held-out rows are still transformed with the training vocabulary
    assert "zebra unicorn" not in second["X"]["test"].columns


def test_splits_are_60_20_20_and_disjoint(demo_csv):
    data = load_data(demo_csv).frame.dropna()
    p = prepare(data, Config())
    ids = p["ids"]
    n = len(data)
    assert len(ids["test"]) == pytest.approx(0.2 * n, abs=1)
    assert len(ids["validation"]) == pytest.approx(0.2 * n, abs=1)
    assert not set(ids["train"]) & set(ids["validation"])
    assert not set(ids["train"]) & set(ids["test"])
    assert not set(ids["validation"]) & set(ids["test"])
    shares = [p["y"][k].mean() for k in ("train", "validation", "test")]
    assert max(shares) - min(shares) < 0.01  # rigorous protocol stratifies


def score(model, recall, precision, f1):
    return SimpleNamespace(model=model, recall=recall, precision=precision, f1=f1)


@pytest.mark.parametrize("scores, winner, reason", [
    ([score("rf", .99, .90, .94), score("xgb", .995, .80, .89)], "xgb", "higher_recall"),
    ([score("rf", .99, .90, .94), score("xgb", .99, .95, .97)], "xgb", "higher_precision"),
    ([score("rf", .99, .95, .96), score("xgb", .99, .95, .97)], "xgb", "higher_f1"),
    ([score("rf", .99, .95, .97), score("xgb", .99, .95, .97)], "rf", "tie"),
    ([score("rf", .99, .95, .97)], "rf", "only_model"),
])
def test_champion_rule(scores, winner, reason):
    chosen, why = choose_champion(scores)
    assert chosen == winner and why == reason


def test_saved_model_reloads_and_reproduces_test_predictions(demo_build, demo_csv):
    import pandas as pd

    from claimreport.bundle import read_bundle, read_table
    from claimreport.modelio import load_champion

    bundle = read_bundle(demo_build / "bundle")
    result = bundle.results["modeling"]
    model = load_champion(bundle.folder())
    saved = read_table(bundle, result.tables["test_predictions"])
    frame = load_data(demo_csv).frame.set_index("video_id", drop=False).loc[saved["video_id"]]
    proba = model.predict_proba(frame.reset_index(drop=True))
    assert np.allclose(proba, saved["probability_claim"], atol=1e-9)
    assert ((proba >= 0.5).astype(int) == saved["predicted"]).all()
    assert model.features == result.features
    assert isinstance(saved, pd.DataFrame) and len(saved) == result.n_test


def test_model_file_is_not_a_pickle(demo_build):
    from claimreport.bundle import read_bundle

    result = read_bundle(demo_build / "bundle").results["modeling"]
    head = (demo_build / "bundle" / result.model_file).read_bytes()[:4]
    assert head[:1] != b"\x80"  # pickle protocol marker
    assert result.model_format in {"skops", "xgboost-json"}


@pytest.mark.realdata
def test_course_protocol_split_sizes_on_real_data(real_csv):
    data = load_data(real_csv).frame.dropna()
    p = prepare(data, Config(protocol="course"))
    sizes = tuple(len(p["y"][k]) for k in ("train", "validation", "test"))
    assert sizes == (11_450, 3_817, 3_817)


@pytest.fixture(scope="module")
def real_modeling(real_csv, tmp_path_factory):
    from claimreport.pipeline import build

    out = tmp_path_factory.mktemp("modeling")
    build(real_csv, out, ["modeling"], ["pdf"], Config())
    return out


@pytest.mark.realdata
def test_real_data_meets_the_course_targets(real_modeling, pdf_text):
    raw = json.loads((real_modeling / "bundle" / "modeling.json").read_text())
    kf = raw["key_figures"]
    assert kf["rf_val_recall"] >= 0.99
    assert kf["xgb_val_recall"] >= 0.98
    assert kf["champion_test_recall"] >= 0.99 and kf["champion_test_precision"] >= 0.99
    top = [i["feature"] for i in raw["importances"][:3]]
    assert set(top) <= {"video_view_count", "video_like_count", "video_share_count",
                        "video_download_count", "video_comment_count"}
    assert "video_view_count" in top
    first = " ".join(pdf_text(real_modeling / "reports" / "modeling.pdf", 1, 1).split())
    assert "missed" in first


@pytest.mark.realdata
def test_real_data_beats_the_obvious_only_narrowly(real_modeling, pdf_text):
    """Observed on the course data (rigorous protocol, seed 42): a rule on views alone,
    learned on the training rows (flag at least 10,032 views), catches 1,907 of the 1,922
    validation claims with no false flag; the random forest catches 1,916. 9 claims of 1,922 is
    4.7 per 1,000, short of the bar of 5, and low-view claims fall below the target: pilot."""
    raw = json.loads((real_modeling / "bundle" / "modeling.json").read_text())
    kf = raw["key_figures"]
    assert kf["baseline_rule_feature"] == "video_view_count"
    rule = next(b for b in raw["baselines"] if b["kind"] == "rule")
    assert (rule["direction"], rule["threshold"]) == ("above", 10_031.5)
    assert (rule["caught"], rule["claims"], rule["flagged"]) == (1_907, 1_922, 1_907)
    assert kf["baseline_rule_val_recall"] == pytest.approx(1_907 / 1_922)
    assert kf["baseline_rule_val_precision"] == 1.0
    assert kf["baseline_logistic_val_recall"] == pytest.approx(1_887 / 1_922)
    assert kf["champion"] == "random_forest" and kf["rf_val_recall"] == pytest.approx(1_916 / 1_922)
    assert kf["champion_margin_per_1000"] == pytest.approx(1000 * 9 / 1_922)
    assert kf["champion_brier"] == pytest.approx(0.0011, abs=2e-4)
    # test-set slices of the forest the fast search chooses (max_features 0.6, 75 trees; the
    # random-candidate halving chose 0.3 and 100 trees: 185/190, 1,863/1,868 and 55/252)
    assert kf["recall_low_views"] == pytest.approx(184 / 190)
    assert kf["recall_verified"] == 1.0 and kf["recall_not_verified"] == pytest.approx(1_862 / 1_868)
    assert kf["flag_rate_verified"] == pytest.approx(54 / 252)
    assert kf["readiness"] == "pilot"
    assert raw["readiness_reasons"] == ["small_margin", "slice_below_target"]
    first = " ".join(pdf_text(real_modeling / "reports" / "modeling.pdf", 1, 1).split())
    assert ("Pilot only: the random forest catches 99.7% of claims, but a simple rule on views "
            "alone catches nearly as many") in first
    assert "4.7 more per 1,000" in first and "ready" not in first.replace("already", "")
    text = " ".join(pdf_text(real_modeling / "reports" / "modeling.pdf").split())
    assert "Does it beat the obvious?" in text
    assert "Best single-feature rule: flag videos with at least 10,032 views" in text


# ------------------------------------------------------------------ beats the obvious, fails where


def _saved(demo_build, demo_csv):
    """The demo bundle's modeling result, its stored test predictions joined with the data."""
    from claimreport.bundle import read_bundle, read_table

    bundle = read_bundle(demo_build / "bundle")
    result = bundle.results["modeling"]
    saved = read_table(bundle, result.tables["test_predictions"])
    data = load_data(demo_csv).frame.set_index("video_id")
    return result, saved.join(data, on="video_id")


def test_calibration_is_pinned_to_scikit_learn_on_the_stored_predictions(demo_build, demo_csv):
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss

    result, test = _saved(demo_build, demo_csv)
    y, p = test["actual"], test["probability_claim"]
    assert result.key_figures["champion_brier"] == pytest.approx(brier_score_loss(y, p))
    share, mean = calibration_curve(y, p, n_bins=10)
    filled = [b for b in result.calibration.bins if b.videos]
    assert [b.share_claims for b in filled] == pytest.approx(share)
    assert [b.mean_predicted for b in filled] == pytest.approx(mean)
    assert sum(b.videos for b in result.calibration.bins) == result.n_test


def test_slices_are_pinned_to_statsmodels_on_the_stored_predictions(demo_build, demo_csv):
    from statsmodels.stats.proportion import proportion_confint

    result, test = _saved(demo_build, demo_csv)
    kf = result.key_figures
    slices = {s.slice: s for s in result.slices}
    parts = {"verified": test["verified_status"] == "verified",
             "not_verified": test["verified_status"] == "not verified",
             "banned": test["author_ban_status"] == "banned",
             "low_views": test["video_view_count"] < result.low_views_threshold}
    for code, rows in parts.items():
        claims = test[rows & (test["actual"] == 1)]
        caught = int(claims["predicted"].sum())
        s = slices[code]
        assert (s.claims, s.recall.successes, s.videos) == (len(claims), caught, int(rows.sum()))
        assert s.flag_rate.value == pytest.approx(test.loc[rows, "predicted"].mean())
        if len(claims):
            low, high = proportion_confint(caught, len(claims), method="wilson")
            assert (s.recall.low, s.recall.high) == (pytest.approx(low), pytest.approx(high))
        assert s.below_target is (len(claims) >= result.min_slice_claims
                                  and caught / len(claims) < result.target_recall)
    for name in ("verified", "not_verified"):
        assert kf[f"recall_{name}"] == pytest.approx(slices[name].recall.value, nan_ok=True)
        assert kf[f"flag_rate_{name}"] == pytest.approx(slices[name].flag_rate.value)
    assert kf["recall_low_views"] == pytest.approx(slices["low_views"].recall.value, nan_ok=True)


def test_error_profile_on_the_stored_predictions(demo_build, demo_csv):
    result, test = _saved(demo_build, demo_csv)
    groups = {e.group: e for e in result.errors}
    missed = test[(test["actual"] == 1) & (test["predicted"] == 0)]
    flagged = test[(test["actual"] == 0) & (test["predicted"] == 1)]
    assert groups["missed_claims"].videos == result.key_figures["test_claims_missed"] == len(missed)
    assert groups["flagged_opinions"].videos == result.key_figures["test_opinions_flagged"]
    if len(missed):
        assert groups["missed_claims"].median_views == missed["video_view_count"].median()
    if len(flagged):
        assert groups["flagged_opinions"].median_likes == flagged["video_like_count"].median()


def test_margin_and_verdict_follow_the_stored_numbers(demo_build):
    from claimreport.bundle import read_bundle
    from claimreport.stats.readiness import readiness

    result = read_bundle(demo_build / "bundle").results["modeling"]
    kf = result.key_figures
    base = {b.kind: b for b in result.baselines}
    champ = next(s for s in result.validation if s.model == result.champion)
    best = max((base["rule"], base["logistic"]), key=lambda b: (b.recall, b.precision))
    assert result.best_baseline == best.kind
    assert kf["champion_margin_per_1000"] == pytest.approx(1000 * (champ.recall - best.recall))
    assert kf["baseline_rule_feature"] == base["rule"].feature
    assert kf["baseline_rule_val_recall"] == base["rule"].recall
    assert kf["baseline_logistic_val_recall"] == base["logistic"].recall
    verdict, reasons = readiness(result.test.recall, result.target_recall,
                                 result.margin_per_1000,
                                 [(s.claims, s.recall.value) for s in result.slices])
    assert kf["readiness"] == result.readiness == verdict and result.readiness_reasons == reasons
    # the threshold table: every 0.01 stored; the sentence's threshold is a shown row
    assert [r.threshold for r in result.thresholds] == [round(0.01 * i, 2) for i in range(1, 100)]
    shown = [r.threshold for r in result.thresholds if r.shown]
    assert {0.05, 0.5, 0.95} <= set(shown)
    if result.threshold_for_target is not None:
        assert result.threshold_for_target in shown
