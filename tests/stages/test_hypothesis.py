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
    assert names == ["Views: unverified vs verified authors", "Likes: claims vs opinions",
                     "Verified and ban status"]
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
def test_real_data_pdf_states_the_decision(real_hypothesis, pdf_text):
    first = " ".join(pdf_text(real_hypothesis / "reports" / "hypothesis.pdf", 1, 1).split())
    assert "The gap is too large to be explained by chance." in first
    assert "266,000 views" in first and "91,400" in first
    for jargon in ("p <", "Hedges", "Holm", "Welch's t =", "Cramér"):
        assert jargon not in first, jargon  # statistics live on the analysts' pages
    details = " ".join(pdf_text(real_hypothesis / "reports" / "hypothesis.pdf", 2, 2).split())
    assert "Welch's t = 25.50 with 1,571.2 degrees of freedom" in details
    assert "Mean difference 174,224.62" in details
