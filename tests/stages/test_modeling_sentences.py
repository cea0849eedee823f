"""The modeling report's sentence rules: the case that makes each true, the case that makes it
false, and the undefined case, on hand-made results."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace as NS

import pytest

from claimreport.render.narrative import modeling as M
from claimreport.results.modeling import Baseline, ErrorGroup, Interval, ReliabilityBin

NAN = math.nan


def _baseline(kind="rule", recall=0.992, precision=1.0, caught=1907, claims=1922, **kw):
    fields = {"rule": {"feature": "video_view_count", "direction": "above",
                       "threshold": 10_031.5, "train_balanced_accuracy": 0.994},
              "majority": {"predicts": "claim"}, "logistic": {}}[kind]
    return Baseline(kind=kind, recall=recall, precision=precision, flag_rate=0.5, claims=claims,
                    caught=caught, flagged=caught, videos=2 * claims, **{**fields, **kw})


def _slice(code="low_views", claims=190, caught=185, column="video_view_count", level=None,
           enough=True, below=True):
    return NS(slice=code, column=column, level=level, claims=claims, videos=10 * claims,
              recall=Interval(value=caught / claims if claims else NAN, low=0.9, high=0.99,
                              successes=caught, trials=claims),
              flag_rate=Interval(value=0.1, low=0.05, high=0.15, successes=1, trials=10),
              enough_claims=enough, below_target=below)


def _errors(missed=5, missed_views=3_782.0, caught_views=504_865.0, flagged=1, flagged_views=9_920.0):
    def group(name, n, views):
        return ErrorGroup(group=name, videos=n, median_views=views if n else NAN,
                          median_likes=NAN, median_shares=NAN, share_verified=NAN,
                          share_banned=NAN)
    return [group("missed_claims", missed, missed_views), group("caught_claims", 1917, caught_views),
            group("flagged_opinions", flagged, flagged_views),
            group("passed_opinions", 1894, 4_886.0)]


def result(**over):
    """A hand-made modeling result with the real data's shape (pilot: narrow margin and a
    low-view slice below the target)."""
    base = dict(
        champion="random_forest", target_recall=0.99, readiness="pilot",
        readiness_reasons=["small_margin", "slice_below_target"],
        margin_per_1000=1000 * 9 / 1922, min_margin_per_1000=5.0, min_slice_claims=30,
        best_baseline="rule", low_views_threshold=96_155.7,
        baselines=[_baseline("majority", 1.0, 0.5, 1922), _baseline(),
                   _baseline("logistic", 0.9818, 1.0, 1887)],
        validation=[NS(model="random_forest", recall=1916 / 1922, precision=1.0)],
        test=NS(recall=0.9974, precision=0.9995,
                confusion=NS(counts=[[1894, 1], [5, 1917]])),
        slices=[_slice("verified", 54, 54, "verified_status", "verified", True, False),
                _slice()],
        errors=_errors(),
        calibration=NS(brier=0.0011, reference_brier=0.25, bins=[
            ReliabilityBin(low=0.0, high=0.1, videos=1886, mean_predicted=0.004,
                           share_claims=0.0005),
            ReliabilityBin(low=0.1, high=0.2, videos=7, mean_predicted=0.14, share_claims=0.0),
            ReliabilityBin(low=0.9, high=1.0, videos=1907, mean_predicted=0.999,
                           share_claims=1.0)]),
    )
    return NS(**{**base, **over})


READY = re.compile(r"\bready\b")


# ------------------------------------------------------------------ headline: the verdict


def test_headline_pilot_for_a_narrow_margin():
    h = M.headline(result())
    assert h == ("Pilot only: the random forest catches 99.7% of claims, but a simple rule on "
                 "views alone catches nearly as many")
    assert not READY.search(h)


def test_headline_pilot_for_a_slice_only():
    h = M.headline(result(readiness_reasons=["slice_below_target"], margin_per_1000=7.0))
    assert h == ("Pilot only: the random forest catches 99.7% of claims overall, but only 97.4% "
                 "of claims with fewer than 96,156 views")


@pytest.mark.parametrize(("margin", "words"), [
    (0.0, "catches just as many"), (-3.0, "catches more"), (NAN, "could not be compared")])
def test_headline_pilot_reason_follows_the_margin(margin, words):
    reasons = ["no_margin"] if math.isnan(margin) else ["small_margin"]
    assert words in M.headline(result(margin_per_1000=margin, readiness_reasons=reasons))


def test_headline_ready_and_not_ready():
    ready = M.headline(result(readiness="ready", readiness_reasons=[], margin_per_1000=7.3))
    assert ready.endswith("7.3 more per 1,000 than simple rules: ready to order the review queue")
    missed = M.headline(result(readiness="not_ready", readiness_reasons=["target_missed"],
                               test=NS(recall=0.95, precision=1.0,
                                       confusion=NS(counts=[[10, 0], [1, 19]]))))
    assert missed.endswith("below the 99% target: not ready yet")


# ------------------------------------------------------------------ margin


def test_margin_sentence_each_side_of_the_bar():
    assert M.margin_sentence(result(margin_per_1000=5.2)) == (
        "On the 1,922 claims set aside to choose it, it caught 99.7%: 5.2 more per 1,000 than a "
        "simple rule on views alone (99.2%).")
    narrow = M.margin_sentence(result())
    assert "only 4.7 more per 1,000 for the model, short of the 5" in narrow
    assert "caught just as many" in M.margin_sentence(result(margin_per_1000=0.0))
    assert "3.0 more per 1,000 than the model" in M.margin_sentence(result(margin_per_1000=-3.0))


def test_margin_sentence_undefined_and_logistic_bar():
    assert M.margin_sentence(result(best_baseline=None, margin_per_1000=NAN)).startswith(
        "It could not be compared with simple rules")
    assert "a simple scoring formula on the same features" in M.margin_sentence(
        result(best_baseline="logistic", margin_per_1000=15.6))


@pytest.mark.parametrize(("direction", "threshold", "feature", "words"), [
    ("above", 10_031.5, "video_view_count", "flag videos with at least 10,032 views"),
    ("below", 10_031.5, "video_view_count", "flag videos with at most 10,031 views"),
    ("above", 75.5, "text_length", "flag videos with transcription length above 75.5"),
    ("above", 0.5, "verified_status_verified", "flag videos with verified author above 0.5"),
])
def test_rule_words(direction, threshold, feature, words):
    assert M.rule_words(_baseline(direction=direction, threshold=threshold,
                                  feature=feature)) == words


# ------------------------------------------------------------------ where it fails


def test_error_sentence_far_fewer_views():
    assert M.error_sentence(result()) == (
        "It misses about 3 in every 1,000 claims; those draw far fewer views than the claims it "
        "catches: typically about 3,780, against 505,000.")


def test_error_sentence_about_the_same_and_one_miss():
    same = M.error_sentence(result(errors=_errors(missed_views=500_000.0)))
    assert "about as many views as the claims it catches" in same
    one = M.error_sentence(result(errors=_errors(missed=1, missed_views=201_000.0,
                                                 caught_views=436_000.0)))
    assert "the one it missed drew fewer views than the claims it catches: about 201,000" in one


def test_error_sentence_without_misses():
    flagged = M.error_sentence(result(errors=_errors(missed=0)))
    assert flagged == ("It missed no claim in the test set; the one opinion it flagged drew about "
                       "9,920 views, against 4,890 for the opinions it passed.")
    none = M.error_sentence(result(errors=_errors(missed=0, flagged=0)))
    assert none.startswith("It made no mistake on the test set")


def test_slice_sentence_only_for_judged_slices_below_target():
    assert M.slice_sentence(result()) == (
        "It catches only 97.4% of the 190 test claims with fewer than 96,156 views, below the 99% "
        "target.")
    fine = result(slices=[_slice(below=False), _slice("verified", 12, 10, "verified_status",
                                                       "verified", enough=False, below=False)])
    assert M.slice_sentence(fine) is None
    summary = M.slice_summary(fine)
    assert summary.startswith("Every group with at least 30 test claims meets the 99% target.")
    assert "Too few test claims to judge: from verified accounts (12)." in summary
    two = result(slices=[_slice(), _slice("banned", 290, 284, "author_ban_status", "banned")])
    assert M.slice_sentence(two).endswith("below the 99% target; 1 other group also falls short.")
    assert "from banned authors" not in M.slice_sentence(two)  # the worst one is named


def test_calibration_sentence():
    good = M.calibration_sentence(result())
    assert good.startswith("Brier score 0.0011 on the test set (always predicting the claim "
                           "share would score 0.250)")
    # the 7-video bin is not read, so the scores in between are not vouched for
    assert good.endswith("in the 2 bins with at least 30 videos the average predicted probability "
                         "is within 10 points of the share of claims; the other 7 videos are too "
                         "few to check the scores in between.")
    full = result(calibration=NS(brier=0.0011, reference_brier=0.25, bins=[
        ReliabilityBin(low=0.0, high=0.1, videos=40, mean_predicted=0.04, share_claims=0.05),
        ReliabilityBin(low=0.9, high=1.0, videos=40, mean_predicted=0.97, share_claims=0.9)]))
    assert M.calibration_sentence(full).endswith("so its scores can be read as chances.")
    bad = result(calibration=NS(brier=0.08, reference_brier=0.25, bins=[
        ReliabilityBin(low=0.4, high=0.5, videos=300, mean_predicted=0.45, share_claims=0.8)]))
    assert "predicts 45% on average but 80% are claims" in M.calibration_sentence(bad)
    empty = result(calibration=NS(brier=NAN, reference_brier=NAN, bins=[]))
    assert "could not be checked" in M.calibration_sentence(empty)


def test_audit_step_names_a_random_sample_of_unflagged_videos():
    step = M.audit_step(result())
    assert "random sample of the videos it did not flag" in step
    assert "about 3 in every 1,000 unflagged videos were claims" in step  # 5 of 1,899
    none = M.audit_step(result(test=NS(recall=1.0, precision=1.0,
                                       confusion=NS(counts=[[10, 0], [0, 10]]))))
    assert "no unflagged video was a claim" in none


def test_readiness_details_state_the_rule_and_the_reasons():
    text = M.readiness_details(result())
    assert text.startswith("Readiness: pilot (margin over the best baseline below 5 claims per "
                           "1,000; a group with at least 30 claims below the target).")
