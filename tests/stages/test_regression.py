"""Regression stage: protocols, leakage, statsmodels agreement, labelled evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from claimreport.config import Config
from claimreport.data.load import LoadedData
from claimreport.stages.regression import compute, prepare
from claimreport.stats.evaluation import evaluate


def synthetic(n=3000, seed=0) -> LoadedData:
    """Opinion videos are much more often verified: a known, strong association."""
    rng = np.random.default_rng(seed)
    claim = rng.choice(["claim", "opinion"], n)
    p_verified = np.where(claim == "opinion", 0.25, 0.03)
    verified = np.where(rng.uniform(size=n) < p_verified, "verified", "not verified")
    views = rng.integers(20, 1_000_000, n).astype(float)
    df = pd.DataFrame({
        "claim_status": claim, "video_id": np.arange(n) + 10_000,
        "video_duration_sec": rng.integers(5, 61, n).astype(float),
        "video_transcription_text": "text", "verified_status": verified,
        "author_ban_status": rng.choice(["active", "under review", "banned"], n, p=[.8, .1, .1]),
        "video_view_count": views, "video_like_count": np.round(views * rng.uniform(0, .6, n)),
        "video_share_count": np.round(views * rng.uniform(0, .1, n)),
        "video_download_count": np.round(views * rng.uniform(0, .01, n)),
        "video_comment_count": np.round(views * rng.uniform(0, .002, n)),
    })
    return LoadedData(df, Path("synthetic.csv"), "0" * 64, n, None, (), "csv")


@pytest.fixture(scope="module")
def data():
    return synthetic()


def test_rigorous_split_keeps_shares_and_never_leaks(data):
    p = prepare(data.frame, Config())
    assert not np.isin(p["test_ids"], p["train_ids"]).any()
    assert len(np.unique(p["test_ids"])) == len(p["test_ids"])
    share_all = (data.frame.verified_status == "verified").mean()
    assert p["y_test"].mean() == pytest.approx(share_all, abs=1 / len(p["y_test"]))
    assert len(p["y_test"]) == pytest.approx(0.25 * len(data.frame), abs=1)


def test_rigorous_upsampling_touches_only_the_training_part(data):
    cfg = Config(regression={"rebalance": "upsample"})
    p = prepare(data.frame, cfg)
    assert p["y_fit"].mean() == pytest.approx(0.5)
    assert p["y_test"].mean() < 0.2  # test keeps the real share
    result = compute(data, cfg).result
    assert result.test_rows_also_in_train == 0
    assert result.balance_train[1].share == pytest.approx(0.5)


def test_course_protocol_leaks_and_is_reported(data):
    result = compute(data, Config(protocol="course")).result
    n_majority = int((data.frame.verified_status == "not verified").sum())
    assert result.n_train + result.n_test == 2 * n_majority
    assert result.test_rows_also_in_train > 0
    assert result.key_figures["share_verified_test"] == pytest.approx(0.5, abs=0.03)


def test_coefficients_match_a_direct_statsmodels_fit(data):
    import statsmodels.api as sm

    cfg = Config()
    p = prepare(data.frame, cfg)
    direct = sm.Logit(p["y_train"].astype(float),
                      sm.add_constant(p["X_train"].astype(float))).fit(disp=0)
    result = compute(data, cfg).result
    ours = {c.term: c for c in result.coefficients}
    for term, value in direct.params.items():
        assert ours[term].coef == pytest.approx(value, rel=1e-6)
        assert ours[term].std_err == pytest.approx(direct.bse[term], rel=1e-6)
        assert ours[term].p_value == pytest.approx(direct.pvalues[term], rel=1e-5)
    opinion = ours["claim_status_opinion"]
    assert opinion.odds_ratio_per_step == pytest.approx(np.exp(direct.params["claim_status_opinion"]))
    assert opinion.odds_ratio_per_step > 3 and opinion.p_value < 0.001  # the planted association


def test_per_sd_and_per_unit_odds_ratios_agree(data):
    result = compute(data, Config()).result
    views = next(c for c in result.coefficients if c.term == "video_view_count")
    sd = data.frame.video_view_count.std(ddof=0)  # close to the training SD
    assert np.log(views.odds_ratio_per_sd) == pytest.approx(np.log(views.odds_ratio_per_unit) * sd,
                                                            rel=0.05)
    assert views.odds_ratio_per_step == pytest.approx(views.odds_ratio_per_unit ** 100_000)


def test_confusion_matrix_labels_on_a_known_answer():
    y_true = np.array([0, 0, 0, 1, 1])
    y_pred = np.array([0, 0, 1, 1, 0])
    ev = evaluate(y_true, y_pred, np.array([.1, .2, .7, .9, .4]), ("not verified", "verified"))
    assert ev.confusion.labels == ["not verified", "verified"]
    assert ev.confusion.counts == [[2, 1], [1, 1]]  # rows actual, columns predicted
    verified = ev.classes[1]
    assert verified.label == "verified" and verified.support == 2
    assert verified.recall == 0.5 and verified.precision == 0.5
    assert ev.classes[0].recall == pytest.approx(2 / 3)
    assert ev.roc.auc == pytest.approx(5 / 6)


def test_end_to_end_confusion_rows_are_actual_classes(data):
    result = compute(data, Config()).result
    counts = np.asarray(result.confusion.counts)
    y = data.frame.verified_status
    assert counts[1].sum() == result.balance_test[1].count  # the verified row = actual verified
    assert counts.sum() == result.n_test
    assert result.class_metrics[1].support == counts[1].sum()
    assert (y == "verified").mean() < 0.2


@pytest.fixture(scope="module")
def real_course(real_csv, tmp_path_factory):
    from claimreport.pipeline import build

    out = tmp_path_factory.mktemp("reg")
    build(real_csv, out, ["regression"], ["pdf"], Config(protocol="course"))
    return out


@pytest.mark.realdata
def test_course_protocol_on_real_data_reproduces_the_split(real_course, pdf_text):
    kf = json.loads((real_course / "bundle" / "regression.json").read_text())["key_figures"]
    assert (kf["n_train"], kf["n_test"]) == (26_826, 8_942)
    assert kf["protocol"] == "course" and kf["test_rows_also_in_train"] > 0
    first = " ".join(pdf_text(real_course / "reports" / "regression.pdf", 1, 1).split())
    assert "26,826 training videos" in first and "8,942 held-out videos" in first
    assert "Course protocol" in first
    assert "odds" not in first.lower() and "Of every 100 opinion videos" in first


# ------------------------------------------------------------------ baseline, fits, risks


def test_baseline_is_the_training_majority_scored_on_the_test_set(data):
    from sklearn.dummy import DummyClassifier
    from sklearn.metrics import accuracy_score, balanced_accuracy_score

    cfg = Config()
    p = prepare(data.frame, cfg)
    result = compute(data, cfg).result
    dummy = DummyClassifier(strategy="most_frequent").fit(p["X_train"], p["y_train"])
    predicted = dummy.predict(p["X_test"])
    base = result.baseline
    assert base.predicted_label == "not verified"
    assert base.accuracy == pytest.approx(accuracy_score(p["y_test"], predicted))
    assert base.accuracy == pytest.approx(1 - p["y_test"].mean())
    assert result.key_figures["baseline_accuracy"] == base.accuracy
    assert base.balanced_accuracy == pytest.approx(balanced_accuracy_score(p["y_test"], predicted))
    assert (base.recall_verified, base.f1_verified, base.share_flagged) == (0.0, 0.0, 0.0)
    assert np.isnan(base.precision_verified)  # it flags nothing: not defined, not 0
    assert base.roc_auc == 0.5 and base.pr_auc == pytest.approx(p["y_test"].mean())


def test_share_flagged_is_the_predicted_verified_share(data):
    result = compute(data, Config()).result
    cm = np.asarray(result.confusion.counts)
    assert result.key_figures["share_flagged"] == pytest.approx(cm[:, 1].sum() / cm.sum())
    assert result.share_flagged == result.key_figures["share_flagged"]


def test_the_two_fits_are_labelled_with_their_settings(data):
    result = compute(data, Config()).result
    inf, pred = result.inference_fit, result.prediction_fit
    assert (inf.library, inf.estimator, inf.rebalance, inf.penalty, inf.C) == (
        "statsmodels", "Logit", "none", "none", None)
    assert inf.rows == result.n_train
    assert (pred.library, pred.estimator, pred.rebalance, pred.penalty, pred.C) == (
        "scikit-learn", "LogisticRegression", "class_weight", "l2", 1.0)
    upsampled = compute(data, Config(regression={"rebalance": "upsample"})).result.prediction_fit
    assert upsampled.rebalance == "upsample" and upsampled.rows > result.n_train
    course = compute(data, Config(protocol="course")).result
    assert course.inference_fit.rebalance == "upsample_before_split"
    assert not course.inference_fit.scaled


def test_adjusted_risks_match_statsmodels_predict(data):
    import statsmodels.api as sm

    cfg = Config()
    p = prepare(data.frame, cfg)
    X = sm.add_constant(p["X_train"].astype(float), has_constant="add")
    direct = sm.Logit(p["y_train"].astype(float), X).fit(disp=0)
    risks = {r.term: r for r in compute(data, cfg).result.adjusted_risks}

    def mean_risk(**values):
        return 100 * direct.predict(X.assign(**values)).mean()

    opinion = risks["claim_status_opinion"]
    assert opinion.adjusted_per_100_level == pytest.approx(mean_risk(claim_status_opinion=1.0))
    assert opinion.adjusted_per_100_reference == pytest.approx(mean_risk(claim_status_opinion=0.0))
    assert opinion.adjusted_per_100_level > 4 * opinion.adjusted_per_100_reference  # planted
    banned = risks["author_ban_status_banned"]
    both = {"author_ban_status_banned": 1.0, "author_ban_status_under review": 0.0}
    assert banned.adjusted_per_100_level == pytest.approx(mean_risk(**both))
    assert banned.adjusted_per_100_reference == pytest.approx(mean_risk(
        **{"author_ban_status_banned": 0.0, "author_ban_status_under review": 0.0}))
    # a count: one step (100,000 views) more, on the standardised scale the fit used
    views = risks["video_view_count"]
    sd = p["sd"]["video_view_count"]
    shifted = X.assign(video_view_count=X.video_view_count + 100_000 / sd)
    assert views.adjusted_per_100_level == pytest.approx(100 * direct.predict(shifted).mean())
    assert views.adjusted_per_100_reference == pytest.approx(100 * p["y_train"].mean(), abs=1e-4)
    # observed rates per level: raw shares of the training rows
    train = p["train"].assign(y=p["y_train"])
    rates = 100 * train.groupby("claim_status")["y"].mean()
    assert opinion.observed_per_100_level == pytest.approx(rates["opinion"])
    assert opinion.observed_per_100_reference == pytest.approx(rates["claim"])
    assert opinion.n_level == int((train.claim_status == "opinion").sum())


def test_page_one_speaks_in_risks_and_states_the_baseline(data):
    from claimreport.bundle import Bundle
    from claimreport.render.narrative import executive
    from claimreport.render.narrative.regression import per_100

    result = compute(data, Config()).result
    ex = executive(Bundle.model_construct(path=".", manifest=None,
                                          results={"regression": result}), "regression")
    opinion = next(r for r in result.adjusted_risks if r.term == "claim_status_opinion")
    page = " ".join([ex.headline, ex.impact, *ex.insights, *(t.label for t in ex.tiles)])
    assert "odds" not in page.lower()
    assert (f"Of every 100 opinion videos, {per_100(opinion.adjusted_per_100_level)} come from "
            "verified authors") in ex.impact
    assert "Two models are used" in page and "always answering “not verified”" in page.lower()
    # the tiles: the headline's risks (inference model) first, then the flagging model's
    # recall and precision, each beside what it is compared with
    values = [t.value for t in ex.tiles]
    assert all(v.endswith("in 100") for v in values[:2])
    assert values[2:] == [f"{100 * result.class_metrics[1].recall:.0f}%",
                          f"{100 * result.class_metrics[1].precision:.0f}%"]
    assert f"flags {100 * result.share_flagged:.0f}% of test videos" in ex.tiles[2].label
    assert any("odds" in d for d in ex.details)  # odds ratios stay on the analysts' pages


@pytest.mark.parametrize("x, other, words", [
    (11.23, 1.93, "about 11"), (1.93, 11.23, "about 2"), (0.4, 2.0, "fewer than 1"),
    (0.0, 2.0, "none"), (6.38, 5.88, "about 6.4"), (5.88, 6.38, "about 5.9"),
    (float("nan"), 1.0, "not defined")])
def test_per_100_words(x, other, words):
    from claimreport.render.narrative.regression import per_100

    assert per_100(x, other) == words


def test_screening_verdict_follows_the_lift():
    from types import SimpleNamespace as NS

    from claimreport.render.narrative.regression import (
        LIFT_NONE,
        LIFT_USEFUL,
        LIFT_WORSE,
        screening_verdict,
    )

    def verdict(precision, share=0.1):
        return screening_verdict(NS(class_metrics=[None, NS(precision=precision)],
                                    key_figures={"share_verified_test": share}))

    assert verdict(0.1 * LIFT_USEFUL) == "useful"
    assert verdict(0.1 * LIFT_USEFUL - 0.001) == "weak"
    assert verdict(0.1 * LIFT_NONE - 0.001) == "no_better"
    assert verdict(0.1 * LIFT_WORSE) == "no_better"
    assert verdict(0.1 * LIFT_WORSE - 0.001) == "worse"
    assert verdict(float("nan")) == "none"  # nothing flagged


@pytest.fixture(scope="module")
def real_rigorous(real_csv):
    from claimreport.data.load import load_data

    return compute(load_data(real_csv), Config())


@pytest.mark.realdata
def test_real_data_rigorous_baseline_and_risks(real_rigorous):
    result = real_rigorous.result
    kf = result.key_figures
    assert (kf["n_train"], kf["n_test"]) == (14_313, 4_771)
    assert kf["baseline_accuracy"] == pytest.approx(4_471 / 4_771)  # ≈ 0.94
    assert kf["baseline_accuracy"] == pytest.approx(0.94, abs=0.005)
    assert kf["accuracy"] < kf["baseline_accuracy"]  # the rebalanced model flags half the videos
    assert kf["share_flagged"] == pytest.approx((2_172 + 239) / 4_771)
    opinion = next(r for r in result.adjusted_risks if r.term == "claim_status_opinion")
    assert opinion.adjusted_per_100_level == pytest.approx(11.23, abs=0.01)
    assert opinion.adjusted_per_100_reference == pytest.approx(1.93, abs=0.01)
    assert opinion.observed_per_100_level == pytest.approx(100 * 752 / 7_065, abs=0.01)
    table = real_rigorous.tables["baseline"][2].set_index("metric")
    assert table.loc["accuracy", "baseline"] == kf["baseline_accuracy"]
    assert np.isnan(table.loc["precision", "baseline"])


def test_observed_rates_are_added_only_when_they_tell_another_story():
    from claimreport.render.narrative.regression import OBSERVED_DIFFERS, observed_sentence
    from claimreport.results.regression import AdjustedRisk

    def risk(adj, ref, seen, seen_ref):
        return AdjustedRisk(term="claim_status_opinion", kind="indicator", column="claim_status",
                            level="opinion", reference="claim", step=None,
                            adjusted_per_100_level=adj, adjusted_per_100_reference=ref,
                            observed_per_100_level=seen, observed_per_100_reference=seen_ref,
                            n_level=100, n_reference=100)

    # adjusted 7x, observed 1x: the adjustment changed the picture, so both are said
    said = observed_sentence(risk(28.8, 4.3, 8.0, 8.1))
    assert said == ("Counted as they are, without holding anything fixed, it is about 8.0 in "
                    "every 100 opinion videos against about 8.1 in every 100 claim videos.")
    assert observed_sentence(risk(11.2, 1.9, 10.6, 2.0)) is None  # the same story
    assert observed_sentence(risk(10.0, 2.0, 10.0 * OBSERVED_DIFFERS, 2.0)) is not None
    assert observed_sentence(risk(10.0, 2.0, 10.0 * OBSERVED_DIFFERS * 0.99, 2.0)) is None
    assert observed_sentence(risk(10.0, 2.0, float("nan"), 2.0)) is None  # undefined
