"""Inference helpers pinned to scipy/statsmodels on synthetic data with a known answer."""

import numpy as np
import pytest
from scipy import stats
from scipy.stats.contingency import association
from statsmodels.stats.meta_analysis import effectsize_smd
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from claimreport.stats.inference import (
    chi_square,
    effect_word,
    hedges_g,
    holm,
    mean_ci,
    rank_biserial,
    welch,
)

rng = np.random.default_rng(20261127)
A = rng.normal(12.0, 2.0, 400)   # true difference A - B = 2, unequal spreads and sizes
B = rng.normal(10.0, 4.0, 150)


def test_welch_matches_statsmodels_and_finds_the_known_difference():
    w = welch(A, B)
    cm = CompareMeans(DescrStatsW(A), DescrStatsW(B))
    t, p, dof = cm.ttest_ind(usevar="unequal")
    low, high = cm.tconfint_diff(usevar="unequal")
    assert w.t_statistic == pytest.approx(t, rel=1e-10)
    assert w.p_value == pytest.approx(p, rel=1e-8)
    assert w.dof == pytest.approx(dof, rel=1e-10)
    assert (w.ci_low, w.ci_high) == pytest.approx((low, high), rel=1e-10)
    assert w.mean_difference == pytest.approx(A.mean() - B.mean())
    assert w.p_value < 0.05 and w.ci_low < 2.0 < w.ci_high


def test_no_difference_fails_to_reject():
    x, y = np.random.default_rng(1).normal(5, 1, (2, 300))
    assert welch(x, y).p_value > 0.05


def test_swapping_groups_flips_the_sign_and_keeps_p():
    ab, ba = welch(A, B), welch(B, A)
    assert ba.t_statistic == pytest.approx(-ab.t_statistic)
    assert ba.p_value == pytest.approx(ab.p_value)
    assert (ba.ci_low, ba.ci_high) == pytest.approx((-ab.ci_high, -ab.ci_low))
    assert hedges_g(B, A)[0] == pytest.approx(-hedges_g(A, B)[0])
    assert rank_biserial(B, A)[2] == pytest.approx(-rank_biserial(A, B)[2])
    assert rank_biserial(B, A)[1] == pytest.approx(rank_biserial(A, B)[1])


def test_hedges_g_matches_statsmodels():
    g, low, high = hedges_g(A, B)
    smd, var = effectsize_smd(A.mean(), A.std(ddof=1), len(A), B.mean(), B.std(ddof=1), len(B))
    assert g == pytest.approx(smd, rel=1e-3)  # statsmodels uses the exact gamma-function J
    assert (high - low) / 2 == pytest.approx(1.959964 * np.sqrt(var), rel=2e-2)
    assert effect_word(g, "g") in {"medium", "large"}


def test_rank_biserial_extremes_and_scipy():
    u, p, r = rank_biserial(np.array([1.0, 2, 3]), np.array([4.0, 5, 6]))
    assert (u, r) == (0.0, -1.0)
    ref = stats.mannwhitneyu(A, B, alternative="two-sided")
    assert rank_biserial(A, B)[:2] == pytest.approx((ref.statistic, ref.pvalue))


def test_chi_square_and_cramers_v():
    table = np.array([[6566, 1603, 1439], [8817, 463, 196]])
    res = chi_square(table)
    ref = stats.chi2_contingency(table)
    assert res.chi2 == pytest.approx(ref.statistic) and res.dof == 2
    assert res.cramers_v == pytest.approx(association(table, method="cramer"))
    assert res.n == table.sum()


def test_holm_hand_checked_and_against_statsmodels():
    p = [0.01, 0.04, 0.03, 0.005]
    # sorted: 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone 0.06
    assert holm(p) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    ps = list(np.random.default_rng(3).uniform(0, 0.2, 9))
    assert holm(ps) == pytest.approx(list(multipletests(ps, method="holm")[1]))
    assert holm([0.9, 0.8]) == [1.0, 1.0]  # 2 x 0.8 capped at 1, then kept monotone


def test_mean_ci_matches_statsmodels():
    assert mean_ci(A) == pytest.approx(DescrStatsW(A).tconfint_mean())
