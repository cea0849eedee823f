"""Hypothesis stage: config-defined family, Holm, errors, and the published course result."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from claimreport.config import load_config
from claimreport.data.load import LoadedData
from claimreport.errors import ConfigError, DataValidationError
from claimreport.stages.hypothesis import compute
from claimreport.stats.inference import holm


def frame(n_ver=60, n_not=300, shift=0.0, seed=0) -> LoadedData:
    """Synthetic complete rows: views of verified authors shifted by *shift* (log scale)."""
    rng = np.random.default_rng(seed)
    n = n_ver + n_not
    verified = np.array(["verified"] * n_ver + ["not verified"] * n_not)
    views = np.round(np.exp(rng.normal(8, 1, n) + np.where(verified == "verified", shift, 0)))
    claim = rng.choice(["claim", "opinion"], n)
    df = pd.DataFrame({
        "claim_status": claim, "video_id": np.arange(n), "video_duration_sec": 30.0,
        "video_transcription_text": "text", "verified_status": verified,
        "author_ban_status": rng.choice(["active", "under review", "banned"], n),
        "video_view_count": views, "video_like_count": views // 3,
        "video_share_count": views // 10, "video_download_count": views // 100,
        "video_comment_count": views // 1000,
    }).astype({"video_view_count": float})
    return LoadedData(df, Path("synthetic.csv"), "0" * 64, n, None, (), "csv")


def test_primary_matches_scipy_on_known_difference():
    data = frame(shift=-1.0)
    t = compute(data, load_config()).result.primary
    df = data.frame
    a = df.loc[df.verified_status == "not verified", "video_view_count"]
    b = df.loc[df.verified_status == "verified", "video_view_count"]
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert t.t_statistic == pytest.approx(ref.statistic) and t.p_value == pytest.approx(ref.pvalue)
    assert t.mean_difference > 0 and t.decision == "reject"
    assert t.levene_p == pytest.approx(stats.levene(a, b, center="median").pvalue)


def test_no_difference_fails_to_reject():
    result = compute(frame(shift=0.0, seed=5), load_config()).result
    assert result.primary.decision == "fail to reject"
    assert result.key_figures["reject_h0"] is False


def test_swapping_groups_flips_sign_keeps_p():
    data = frame(shift=-0.5)
    swapped = load_config(overrides={"hypothesis.primary": {
        "name": "swapped", "metric": "video_view_count", "by": "verified_status",
        "groups": ["verified", "not verified"]}})
    t1 = compute(data, load_config()).result.primary
    t2 = compute(data, swapped).result.primary
    assert t2.t_statistic == pytest.approx(-t1.t_statistic)
    assert t2.p_value == pytest.approx(t1.p_value)
    assert t2.hedges_g == pytest.approx(-t1.hedges_g)


def test_family_is_holm_adjusted_and_config_defined(tmp_path):
    toml = tmp_path / "c.toml"
    toml.write_text("""
[[hypothesis.comparisons]]
name = "Likes: claims vs opinions"
metric = "video_like_count"
by = "claim_status"
groups = ["claim", "opinion"]

[[hypothesis.comparisons]]
name = "Verified and ban status"
kind = "chi2"
by = "verified_status"
against = "author_ban_status"
""")
    result = compute(frame(shift=-0.3), load_config(toml)).result
    names = [r.name for r in result.family]
    primary = "Views: unverified vs verified authors"
    assert names == [primary, "Likes: claims vs opinions", "Verified and ban status",
                     f"{primary}, within claim", f"{primary}, within opinion",
                     f"{primary}, adjusted for claim status"]
    assert [r.p_holm for r in result.family] == pytest.approx(holm([r.p_value for r in result.family]))
    for r in result.family:
        assert r.decision == ("reject" if r.p_holm < 0.05 else "fail to reject")


@pytest.mark.parametrize("override, message", [
    ({"name": "x", "metric": "video_view_count", "by": "colour", "groups": ["a", "b"]},
     "by='colour' is not a category column"),
    ({"name": "x", "metric": "views", "by": "verified_status", "groups": ["verified", "not verified"]},
     "metric='views' is not a numeric column"),
    ({"name": "x", "metric": "video_view_count", "by": "verified_status", "groups": ["verified", "vip"]},
     "group 'vip' is not a value of verified_status"),
])
def test_bad_comparison_config_is_a_clear_error(override, message):
    with pytest.raises(ConfigError, match=message):
        load_config(overrides={"hypothesis.primary": override})


def test_group_without_rows_is_a_data_error():
    data = frame(n_ver=1)
    with pytest.raises(DataValidationError, match="group 'verified' of column 'verified_status' has 1"):
        compute(data, load_config())


# ------------------------------------------------------------ is it the mix? (stratified)


def mixed_frame(effect=0.0, claims_ver=0.7, claims_not=0.3, n_ver=200, n_not=600, seed=1,
                ban=None) -> LoadedData:
    """Claims get ~10x the views of opinions; verified authors post a share *claims_ver* of
    claims, unverified ones *claims_not*; verified authors' views are shifted by *effect*
    within each claim status. So the true within-level difference (not verified - verified)
    is -effect, while the overall difference also carries the claim mix."""
    rng = np.random.default_rng(seed)
    verified = np.array(["verified"] * n_ver + ["not verified"] * n_not)
    claim = np.where(rng.random(n_ver + n_not) < np.where(verified == "verified", claims_ver,
                                                          claims_not), "claim", "opinion")
    views = np.where(claim == "claim", rng.normal(1000, 100, claim.size),
                     rng.normal(100, 20, claim.size)) + np.where(verified == "verified", effect, 0)
    data = frame(n_ver, n_not, seed=seed)
    df = data.frame.assign(verified_status=verified, claim_status=claim,
                           video_view_count=np.round(np.maximum(views, 0)))
    if ban is not None:
        df["author_ban_status"] = ban(df)
    return LoadedData(df, data.source, data.sha256, len(df), None, (), "csv")


def reference_ols(df: pd.DataFrame, by: str = "claim_status"):
    """statsmodels' formula OLS with HC3 errors on every row: the independent reference."""
    import statsmodels.formula.api as smf

    data = df.assign(unverified=(df.verified_status == "not verified").astype(float))
    return smf.ols(f"video_view_count ~ unverified + C({by})", data=data).fit(cov_type="HC3")


def test_within_level_tests_match_scipy_and_the_family_matches_statsmodels_holm():
    from statsmodels.stats.multitest import multipletests

    data = mixed_frame(effect=0.0)
    result = compute(data, load_config()).result
    df, s = data.frame, result.stratified
    assert [x.level for x in s.strata] == ["claim", "opinion"]
    for x in s.strata:
        part = df[df.claim_status == x.level]
        a = part.loc[part.verified_status == "not verified", "video_view_count"]
        b = part.loc[part.verified_status == "verified", "video_view_count"]
        ref = stats.ttest_ind(a, b, equal_var=False)  # R: t.test(a, b)
        ci = ref.confidence_interval()
        assert (x.t_statistic, x.p_value, x.dof) == pytest.approx((ref.statistic, ref.pvalue,
                                                                   ref.df))
        assert (x.mean_difference, x.ci_low, x.ci_high) == pytest.approx(
            (a.mean() - b.mean(), ci.low, ci.high))
        assert (x.n_a, x.n_b) == (len(a), len(b))
        assert x.share_a == pytest.approx(len(a) / (df.verified_status == "not verified").sum())
    holm_ref = multipletests([r.p_value for r in result.family], method="holm")[1]
    assert [r.p_holm for r in result.family] == pytest.approx(list(holm_ref))
    kf = result.key_figures
    assert kf["p_value_within_claim"] == pytest.approx(holm_ref[-3])
    assert kf["p_value_within_opinion"] == pytest.approx(holm_ref[-2])
    assert kf["adjusted_p_value"] == pytest.approx(holm_ref[-1])
    assert kf["tests_in_family"] == 7  # primary, 3 comparisons, 2 levels, adjusted
    # the known answer: the mix makes verified authors look ~6x more viewed; within, no effect
    assert result.primary.decision == "reject" and result.primary.mean_difference < 0
    assert not any(x.decision == "reject" for x in s.strata)
    assert s.verdict == kf["difference_verdict"] == "explained"


@pytest.mark.parametrize("effect", [0.0, 40.0, -40.0])
def test_adjusted_difference_matches_statsmodels_hc3(effect):
    data = mixed_frame(effect=effect)
    a = compute(data, load_config()).result.stratified.adjusted
    ref = reference_ols(data.frame)
    low, high = ref.conf_int().loc["unverified"]
    assert a.difference == pytest.approx(ref.params["unverified"])
    assert a.std_err == pytest.approx(ref.bse["unverified"])
    assert a.z_statistic == pytest.approx(ref.tvalues["unverified"])
    assert a.p_value == pytest.approx(ref.pvalues["unverified"])
    assert (a.ci_low, a.ci_high) == pytest.approx((low, high))
    assert a.ci_low < -effect < a.ci_high  # the true adjusted difference, not verified - verified


def test_levels_with_one_group_leave_the_adjusted_estimate_unchanged():
    # every banned author is unverified, and one level holds a single row: statsmodels on all
    # rows (where it is defined) and the fit without those levels agree
    def ban(df):
        out = np.where(df.verified_status == "verified", "active", "under review")
        out[np.flatnonzero(df.verified_status == "not verified")[:50]] = "banned"
        return out

    data = mixed_frame(effect=30.0, ban=ban)
    cfg = load_config(overrides={"hypothesis.stratify_by": "author_ban_status"})
    s = compute(data, cfg).result.stratified
    assert s.adjusted.levels == []  # no ban level holds both groups here
    assert s.adjusted.reason.startswith("no level holds rows of both groups")

    def ban_mixed(df):
        out = np.where(np.arange(len(df)) % 2 == 0, "active", "under review")
        out[np.flatnonzero(df.verified_status == "not verified")[:40]] = "banned"
        return out

    data = mixed_frame(effect=30.0, ban=ban_mixed)
    a = compute(data, cfg).result.stratified.adjusted
    ref = reference_ols(data.frame, "author_ban_status")
    assert a.levels == ["active", "under review"]
    assert a.difference == pytest.approx(ref.params["unverified"])
    assert a.std_err == pytest.approx(ref.bse["unverified"])


@pytest.mark.parametrize("effect, claims_ver, claims_not, verdict", [
    (0.0, 0.7, 0.3, "explained"),   # the mix makes the whole gap
    (150.0, 0.5, 0.5, "persists"),  # the same mix: the gap is the groups' own
    (-150.0, 0.9, 0.1, "reverses"),  # verified post claims but get fewer views within each
    (0.0, 0.5, 0.5, "none"),
])
def test_verdicts_on_synthetic_data_with_a_known_answer(effect, claims_ver, claims_not, verdict):
    result = compute(mixed_frame(effect, claims_ver, claims_not), load_config()).result
    assert result.stratified.verdict == verdict
    assert result.key_figures["difference_verdict"] == verdict


def test_a_level_without_enough_rows_is_not_computed_and_undefined_in_json():
    # one verified opinion: that level cannot be tested; the other still is
    data = mixed_frame(effect=0.0, claims_ver=1.0)
    df = data.frame.copy()
    first = df.index[df.verified_status == "verified"][0]
    df.loc[first, ["claim_status", "video_view_count"]] = ["opinion", 100.0]
    result = compute(LoadedData(df, data.source, data.sha256, len(df), None, (), "csv"),
                     load_config()).result
    opinion = result.stratified.strata[1]
    assert opinion.reason == "'verified' has 1 row(s); a t-test needs at least 2 per group"
    assert opinion.decision is None and np.isnan(opinion.p_value)
    assert all("within opinion" not in r.name for r in result.family)
    kf = json.loads(result.model_dump_json())["key_figures"]
    assert kf["p_value_within_opinion"] is None
    assert result.undefined["p_value_within_opinion"].startswith("not tested within opinion: ")
    assert kf["p_value_within_claim"] is not None and kf["difference_verdict"] == "explained"


def test_no_variation_in_a_level_is_not_computed():
    data = mixed_frame(effect=0.0)
    df = data.frame.copy()
    df.loc[df.claim_status == "opinion", "video_view_count"] = 100.0
    result = compute(LoadedData(df, data.source, data.sha256, len(df), None, (), "csv"),
                     load_config()).result
    assert result.stratified.strata[1].reason == "the values do not vary within either group"


def test_groups_that_never_share_a_level_give_not_computed():
    data = mixed_frame(effect=0.0, claims_ver=1.0, claims_not=0.0)
    result = compute(data, load_config()).result
    s = result.stratified
    assert all(x.reason is not None for x in s.strata) and s.adjusted.reason is not None
    assert s.verdict == "not_computed"
    assert result.key_figures["adjusted_difference"] is None
    assert "no level holds rows of both groups" in result.undefined["adjusted_difference"]


def test_stratification_switched_off():
    cfg = load_config(overrides={"hypothesis.stratify_by": ""})
    result = compute(mixed_frame(), cfg).result
    kf = result.key_figures
    assert result.stratified is None and kf["tests_in_family"] == 4
    assert kf["stratified_by"] is None and kf["difference_verdict"] is None
    assert "switched off" in result.undefined["difference_verdict"]
    assert not any(k.startswith("p_value_within_") for k in kf)


def test_association_key_figures_match_scipy():
    data = mixed_frame()
    kf = compute(data, load_config()).result.key_figures
    table = pd.crosstab(data.frame.verified_status, data.frame.claim_status)
    ref = stats.chi2_contingency(table)
    assert kf["chi2_verified_claim"] == pytest.approx(ref.statistic)
    assert kf["cramers_v_verified_claim"] == pytest.approx(
        np.sqrt(ref.statistic / table.to_numpy().sum()))
    assert kf["stratified_by"] == "claim_status"


def test_text_key_figures_round_trip_and_numbers_stay_numbers():
    from claimreport.results.hypothesis import HypothesisResult

    result = compute(mixed_frame(), load_config()).result
    back = HypothesisResult.model_validate_json(result.model_dump_json())
    assert back.model_dump_json() == result.model_dump_json()  # NaN != NaN: compare the JSON
    bad = json.loads(result.model_dump_json())
    bad["key_figures"]["adjusted_p_value"] = "explained"
    with pytest.raises(ValueError, match="'adjusted_p_value' must be a number"):
        HypothesisResult.model_validate(bad)


NAN = float("nan")


@pytest.mark.parametrize("overall_p, adjusted, strata, verdict", [
    # overall significant (difference +10)
    (0.001, (0.01, 5.0), [], "persists"),                       # adjusted, same way
    (0.001, (0.4, 5.0), [(0.2, 3.0), (0.01, 4.0)], "persists"),  # one level, same way
    (0.001, (0.4, 5.0), [(0.3, -3.0), (0.6, 4.0)], "explained"),  # nothing significant
    (0.001, (NAN, NAN), [(0.3, -3.0)], "explained"),              # adjusted not defined
    (0.001, (0.01, -5.0), [(0.3, 3.0)], "reverses"),               # adjusted, other way
    (0.001, (0.4, -5.0), [(0.01, -3.0)], "reverses"),              # one level, other way
    (0.001, (0.01, 5.0), [(0.01, -3.0)], "mixed"),                 # both ways
    # overall not significant
    (0.3, (0.4, 5.0), [(0.2, 3.0)], "none"),
    (0.3, (0.01, -5.0), [(0.2, 3.0)], "emerges"),
    (0.3, (0.4, 5.0), [(0.01, 3.0), (0.02, 4.0)], "emerges"),
    (0.3, (0.4, 5.0), [(0.01, 3.0), (0.02, -4.0)], "mixed"),
    # nothing to judge with
    (0.001, (NAN, NAN), [], "not_computed"),
    (0.3, (NAN, NAN), [], "not_computed"),
])
def test_difference_verdict_rule(overall_p, adjusted, strata, verdict):
    from claimreport.stats.stratified import difference_verdict

    assert difference_verdict(overall_p, 10.0, adjusted[0], adjusted[1], strata, 0.05) == verdict


def test_verdict_rule_uses_alpha_strictly_and_the_overall_sign():
    from claimreport.stats.stratified import difference_verdict

    assert difference_verdict(0.05, 10.0, 0.01, 5.0, [], 0.05) == "emerges"  # p = alpha: no
    assert difference_verdict(0.001, -10.0, 0.01, -5.0, [], 0.05) == "persists"
    assert difference_verdict(0.001, -10.0, 0.01, 5.0, [], 0.05) == "reverses"
    assert difference_verdict(0.001, 10.0, 0.01, 5.0, [], 0.01) == "explained"


@pytest.fixture(scope="module")
def real_hypothesis(real_csv, tmp_path_factory):
    from claimreport.config import Config
    from claimreport.pipeline import build

    out = tmp_path_factory.mktemp("hyp")
    build(real_csv, out, ["hypothesis"], ["pdf"], Config())
    return out


@pytest.mark.realdata
def test_real_data_matches_the_published_course_result(real_hypothesis):
    kf = json.loads((real_hypothesis / "bundle" / "hypothesis.json").read_text())["key_figures"]
    assert kf["t_statistic"] == pytest.approx(25.4994, abs=1e-4)
    assert kf["p_value"] == pytest.approx(2.609e-120, rel=5e-3)
    assert kf["dof"] == pytest.approx(1571.16, abs=0.01)
    assert kf["mean_views_not_verified"] == pytest.approx(265_663.79, abs=0.005)
    assert kf["mean_views_verified"] == pytest.approx(91_439.16, abs=0.005)
    assert kf["reject_h0"] is True


@pytest.mark.realdata
def test_real_data_difference_is_explained_by_the_claim_mix(real_hypothesis):
    """Course data: within claims and within opinions verified and unverified authors get the
    same views (Welch p 0.98 and 0.81); the OLS verified effect is +92 views, p 0.98."""
    result = json.loads((real_hypothesis / "bundle" / "hypothesis.json").read_text())
    kf, s = result["key_figures"], result["stratified"]
    assert kf["difference_verdict"] == s["verdict"] == "explained"
    claim, opinion = s["strata"]
    assert claim["p_value"] == pytest.approx(0.98, abs=0.005)  # published to two decimals
    assert opinion["p_value"] == pytest.approx(0.81, abs=0.005)
    assert kf["p_value_within_claim"] == kf["p_value_within_opinion"] == 1.0  # Holm, capped
    # the published +92 is verified - unverified; the stage's sign is A - B = unverified - verified
    assert -kf["adjusted_difference"] == pytest.approx(92, abs=0.5)
    assert s["adjusted"]["p_value"] == pytest.approx(0.98, abs=0.005)
    assert kf["mean_difference_within_claim"] == pytest.approx(501_016.62 - 501_606.65, abs=0.01)
    assert kf["chi2_verified_claim"] > 500 and 0.1 < kf["cramers_v_verified_claim"] < 0.3


@pytest.mark.realdata
def test_real_data_pdf_states_the_decision(real_hypothesis, pdf_text):
    first = " ".join(pdf_text(real_hypothesis / "reports" / "hypothesis.pdf", 1, 1).split())
    assert "The gap is too large to be explained by chance." in first
    assert "266,000 views" in first and "91,400" in first
    for jargon in ("p <", "Hedges", "Holm", "Welch's t =", "Cramér", "OLS", "HC3", "stratum"):
        assert jargon not in first, jargon  # statistics live on the analysts' pages
    assert "disappears once the claim mix is taken into account" in first
    assert "53% of the videos from unverified accounts are claim videos" in first
    details = " ".join(pdf_text(real_hypothesis / "reports" / "hypothesis.pdf", 2, 2).split())
    assert "Welch's t = 25.50 with 1,571.2 degrees of freedom" in details
    assert "Mean difference 174,224.62" in details
