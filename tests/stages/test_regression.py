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
