"""Slices and the error profile pinned to statsmodels' Wilson interval and to pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from claimreport.stats.slices import (
    LOW_VIEWS_QUANTILE,
    error_profile,
    low_views_threshold,
    slice_masks,
    slice_scores,
    wilson,
)


@pytest.mark.parametrize(("k", "n"), [(185, 190), (54, 54), (0, 12), (1, 3), (1916, 1922)])
def test_wilson_matches_statsmodels(k, n):
    ci = wilson(k, n)
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert (ci.value, ci.successes, ci.trials) == (k / n, k, n)
    assert (ci.low, ci.high) == (pytest.approx(low), pytest.approx(high))


def test_wilson_of_nothing_is_undefined():
    ci = wilson(0, 0)
    assert np.isnan(ci.value) and np.isnan(ci.low) and ci.trials == 0


def _test_frame():
    # 10 videos: claims 0-5, opinions 6-9
    return pd.DataFrame({
        "verified_status": ["verified"] * 3 + ["not verified"] * 7,
        "author_ban_status": ["active", "banned", "under review", "active", "active", "banned",
                              "active", "active", "under review", "active"],
        "video_view_count": [100, 50_000, 900, 80_000, 70_000, 60_000, 500, 400, 300, 20_000],
        "video_like_count": [10, 5_000, 90, 8_000, 7_000, 6_000, 50, 40, 30, 2_000],
        "video_share_count": [1, 500, 9, 800, 700, 600, 5, 4, 3, 200],
    })


Y = np.array([1, 1, 1, 1, 1, 1, 0, 0, 0, 0])
PRED = np.array([0, 1, 0, 1, 1, 1, 0, 0, 0, 1])  # misses claims 0 and 2, flags opinion 9


def test_slice_scores_by_hand():
    frame = _test_frame()
    masks = slice_masks(frame, low_views=1_000)
    assert list(masks) == ["verified", "not_verified", "active", "under_review", "banned",
                           "low_views"]
    got = {s.slice: s for s in slice_scores(Y, PRED, masks, target=0.9, min_claims=3)}
    v = got["verified"]  # videos 0-2: claims 0,1,2, caught 1
    assert (v.videos, v.claims, v.recall.successes, v.flag_rate.successes) == (3, 3, 1, 1)
    assert v.recall.value == pytest.approx(1 / 3) and v.enough_claims and v.below_target
    nv = got["not_verified"]  # videos 3-9: claims 3,4,5 all caught; flags 3,4,5,9
    assert (nv.claims, nv.recall.value, nv.flag_rate.value) == (3, 1.0, 4 / 7)
    assert not nv.below_target
    low = got["low_views"]  # views < 1,000: videos 0, 2, 6, 7, 8 → claims 0, 2, none caught
    assert (low.videos, low.claims, low.recall.value) == (5, 2, 0.0)
    assert not low.enough_claims and not low.below_target  # 2 claims: not judged
    assert got["banned"].claims == 2 and got["under_review"].claims == 1
    assert got["active"].recall.value == pytest.approx(2 / 3)
    assert (got["under_review"].column, got["under_review"].level) == (
        "author_ban_status", "under review")
    assert (low.column, low.level) == ("video_view_count", None)
    ref = proportion_confint(1, 3, method="wilson")
    assert (v.recall.low, v.recall.high) == (pytest.approx(ref[0]), pytest.approx(ref[1]))


def test_slice_without_claims_has_no_recall():
    frame = _test_frame()
    got = {s.slice: s for s in slice_scores(np.zeros(10), PRED, slice_masks(frame, 1_000),
                                            target=0.9, min_claims=0)}
    assert np.isnan(got["verified"].recall.value)
    assert got["verified"].enough_claims and not got["verified"].below_target


def test_low_view_line_is_a_quantile_of_training_claims_only():
    train = pd.DataFrame({"video_view_count": [10, 20, 30, 40, 50, 1, 2, 3]})
    y = np.array([1, 1, 1, 1, 1, 0, 0, 0])
    assert low_views_threshold(train, y) == pytest.approx(
        np.quantile([10, 20, 30, 40, 50], LOW_VIEWS_QUANTILE))
    assert np.isnan(low_views_threshold(train, np.zeros(8)))


def test_error_profile_against_pandas():
    frame = _test_frame()
    got = {e.group: e for e in error_profile(frame, Y, PRED)}
    groups = {"missed_claims": [0, 2], "caught_claims": [1, 3, 4, 5], "flagged_opinions": [9],
              "passed_opinions": [6, 7, 8]}
    for group, rows in groups.items():
        part = frame.iloc[rows]
        e = got[group]
        assert e.videos == len(rows)
        assert e.median_views == part["video_view_count"].median()
        assert e.median_likes == part["video_like_count"].median()
        assert e.median_shares == part["video_share_count"].median()
        assert e.share_verified == pytest.approx((part["verified_status"] == "verified").mean())
        assert e.share_banned == pytest.approx((part["author_ban_status"] == "banned").mean())
    none = {e.group: e for e in error_profile(frame, Y, Y)}
    assert none["missed_claims"].videos == 0 and np.isnan(none["missed_claims"].median_views)
