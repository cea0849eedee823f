"""EDA stage: numbers pinned to pandas on small data, and to the published course figures."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from claimreport.config import Config
from claimreport.data.load import load_data
from claimreport.stages import STAGE_NAMES
from claimreport.stages.eda import compute, neutralise_formulas, tableau_extract

HEADER = ("#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
          "author_ban_status,video_view_count,video_like_count,video_share_count,"
          "video_download_count,video_comment_count\n")


def write(tmp_path, rows: list[str], name="t.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{i + 1},{r}\n" for i, r in enumerate(rows)))
    return path


@pytest.fixture
def small(tmp_path):
    rows = [
        "claim,101,10,someone shared with me that cats fly high,not verified,active,1000,100,10,1,0",
        "claim,102,20,someone shared with me that dogs fly high,verified,banned,3000,300,30,3,1",
        "claim,103,30,a friend read online that fish sing loudly,not verified,under review,5000,500,50,5,2",
        "opinion,104,40,i think that cats are lovely,not verified,active,10,1,0,0,0",
        "opinion,105,50,i think that dogs are lovely,verified,active,30,3,1,0,0",
        "#N/A,106,60,#N/A,not verified,active,#N/A,#N/A,#N/A,#N/A,#N/A",
    ]
    return load_data(write(tmp_path, rows))


def test_key_figures_on_known_data(small):
    kf = compute(small, Config()).result.key_figures
    assert kf["rows_total"] == 6
    assert kf["rows_complete"] == 5
    assert kf["rows_missing_claim_status"] == 1
    assert (kf["n_claim"], kf["n_opinion"]) == (3, 2)
    assert kf["mean_views_claim"] == 3000 and kf["median_views_claim"] == 3000
    assert kf["mean_views_opinion"] == 20 and kf["median_views_opinion"] == 20
    assert kf["share_verified"] == pytest.approx(2 / 6, abs=1e-6)
    assert kf["share_banned_claim"] == pytest.approx(1 / 3, abs=1e-6)


def test_missing_pattern_and_inventory(small):
    inv = compute(small, Config()).result.inventory
    assert inv.row_number_column == "#"
    assert inv.identifiers == ["#", "video_id"]
    [pattern] = inv.missing_patterns
    assert pattern.rows == 1
    assert set(pattern.columns) == {"claim_status", "video_transcription_text", "video_view_count",
                                    "video_like_count", "video_share_count",
                                    "video_download_count", "video_comment_count"}


def test_tables_match_pandas(small):
    out = compute(small, Config())
    by_claim = out.tables["summary_by_claim_status"][2]
    df = small.frame
    views = by_claim[(by_claim.group == "claim") & (by_claim.column == "video_view_count")].iloc[0]
    ref = df.loc[df.claim_status == "claim", "video_view_count"]
    assert views["std"] == pytest.approx(ref.std())
    assert views["skewness"] == pytest.approx(ref.skew())
    pearson = out.tables["correlation_pearson"][2].set_index("column")
    complete = df.dropna()
    assert pearson.loc["video_view_count", "video_like_count"] == pytest.approx(
        complete.video_view_count.corr(complete.video_like_count), abs=1e-6)
    crosstab = out.tables["crosstab_author_ban_status"][2].set_index("claim_status")
    assert crosstab.loc["claim", "banned (count)"] == 1
    assert crosstab.loc["claim", "banned (share)"] == pytest.approx(1 / 3)
    rates = out.tables["engagement_rates"][2]
    likes = rates[(rates.claim_status == "claim") & (rates.rate == "likes_per_view")].iloc[0]
    assert likes["mean"] == pytest.approx(0.1)


def test_top_phrases_per_class(small):
    phrases = compute(small, Config()).result.top_phrases
    assert phrases["claim"][0].phrase == "fly high"  # 2 occurrences, the most frequent
    assert phrases["claim"][0].count == 2
    assert {p.phrase for p in phrases["opinion"]} >= {"think cats", "think dogs"}


def test_formula_cells_are_neutralised():
    s = pd.Series(["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain", None])
    out = neutralise_formulas(s)
    assert list(out[:5]) == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "plain"]
    assert pd.isna(out[5])


def test_tableau_extract_has_clean_names(small):
    df = small.frame.assign(text_length=small.frame.video_transcription_text.str.len())
    extract = tableau_extract(df)
    assert "Views" in extract.columns and "video_view_count" not in extract.columns
    assert (extract["Claim status"] == "missing").sum() == 1


def test_histogram_counts_add_up(small):
    result = compute(small, Config()).result
    views = next(h for h in result.histograms if h.column == "video_view_count")
    assert sum(views.counts["claim"]) == 3 and sum(views.counts["opinion"]) == 2


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_compute_never_imports_rendering(stage, demo_csv):
    code = (f"import sys; from claimreport.stages import compute_stage;"
            f"from claimreport.config import Config; from claimreport.data.load import load_data;"
            f"compute_stage({stage!r}, load_data({str(demo_csv)!r}), Config());"
            "bad = [m for m in ('jinja2', 'weasyprint', 'matplotlib') if m in sys.modules];"
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.realdata
def test_real_data_matches_published_course_figures(real_build):
    kf = json.loads((real_build / "bundle" / "eda.json").read_text())["key_figures"]
    assert kf["rows_total"] == 19_382
    assert kf["rows_missing_claim_status"] == 298
    assert kf["n_claim"] == 9_608 and kf["n_opinion"] == 9_476
    assert kf["mean_views_claim"] == pytest.approx(501_029.45, abs=0.005)
    assert kf["mean_views_opinion"] == pytest.approx(4_956.43, abs=0.005)
    assert kf["median_views_claim"] == 501_555
    assert kf["median_views_opinion"] == 4_953
    assert kf["rows_complete"] == 19_084
    assert kf["share_verified"] == pytest.approx(1240 / 19382, abs=1e-6)


@pytest.mark.realdata
def test_real_data_pdf_first_page_says_the_figures(real_build, pdf_text):
    """Page 1 speaks to people (rounded numbers); the analysts' page has the course figures."""
    text = " ".join(pdf_text(real_build / "reports" / "eda.pdf", 1, 1).split())
    for phrase in ["19,382 videos", "9,608 (49.6%) claims", "9,476 (48.9%) opinions",
                   "298 videos (1.5%) have no claim status",
                   "A typical claim video has about 502,000 views, about 100 times the 4,950 of "
                   "a typical opinion video."]:
        assert phrase in text, phrase
    assert "501,029.45" not in text  # no false precision for a director
    details = " ".join(pdf_text(real_build / "reports" / "eda.pdf", 2, 2).split())
    for phrase in ["Mean views: claims 501,029.45, opinions 4,956.43", "medians 501,555 and 4,953"]:
        assert phrase in details, phrase
    assert "nan" not in text.lower().split()


# ------------------------------------------------------------------ data alerts, correlations by class


@pytest.fixture
def with_duplicates(tmp_path):
    rows = [
        "claim,201,10,someone said that cats fly,not verified,active,1000,100,10,1,0",
        "claim,202,20,someone said that cats fly,verified,banned,3000,250,30,3,1",
        "claim,203,30,a friend read that fish sing,not verified,under review,5000,520,50,5,2",
        "opinion,204,40,a friend read that fish sing,not verified,active,10,1,0,0,0",
        "opinion,205,50,i think that dogs are lovely,verified,active,30,3,1,0,0",
        "opinion,206,55,i think that dogs are lovely,verified,active,20,2,1,0,0",
        "opinion,207,45,i think that dogs are lovely,not verified,active,25,1,1,0,0",
        "#N/A,208,60,#N/A,not verified,active,#N/A,#N/A,#N/A,#N/A,#N/A",
        "#N/A,209,60,#N/A,not verified,active,#N/A,#N/A,#N/A,#N/A,#N/A",
    ]
    return load_data(write(tmp_path, rows))


def test_duplicate_transcriptions_on_known_data(with_duplicates):
    result = compute(with_duplicates, Config()).result
    # "cats fly" ×2, "fish sing" ×2 (claim and opinion), "dogs are lovely" ×3; missing texts
    # are not duplicates of each other
    assert result.key_figures["duplicate_transcriptions"] == 4
    assert result.duplicate_transcriptions == 4
    assert result.duplicate_transcription_conflicts == 1
    assert "duplicate_transcriptions" in result.key_figures["alerts"]
    # 2 of 9 rows miss values: above MISSING_ROWS_MAX
    assert result.rows_with_missing_share == pytest.approx(2 / 9, abs=1e-6)
    assert "heavy_missingness" in result.key_figures["alerts"]


def test_separating_column_on_known_data(with_duplicates):
    from sklearn.metrics import balanced_accuracy_score

    result = compute(with_duplicates, Config()).result
    views = next(x for x in result.separation if x.column == "video_view_count")
    df = with_duplicates.frame.dropna(subset=["claim_status"])
    y = df.claim_status == "claim"
    assert views.balanced_accuracy == balanced_accuracy_score(y, df.video_view_count > views.threshold)
    assert views.balanced_accuracy == 1.0 and views.upper_class == "claim" and views.threshold == 30
    assert "separating_column" in result.key_figures["alerts"]
    [alert] = [a for a in result.alerts if a.code == "separating_column"]
    assert "video_view_count" in alert.columns and alert.threshold == 0.98


def test_correlations_within_each_class_match_pandas(small):
    out = compute(small, Config())
    df = small.frame.assign(text_length=small.frame.video_transcription_text.str.len())
    for m in out.result.class_correlations:
        part = df[df.claim_status == m.claim_status][m.labels].dropna()
        ref = part.corr(method=m.method)
        got = pd.DataFrame(m.values, index=m.labels, columns=m.labels)
        pd.testing.assert_frame_equal(got, ref, atol=1e-6, check_names=False)
        table = out.tables[f"correlation_{m.method}_{m.claim_status}"][2].set_index("column")
        assert table.loc["video_view_count", "video_like_count"] == pytest.approx(
            ref.loc["video_view_count", "video_like_count"], abs=1e-6)
    assert {(m.method, m.claim_status) for m in out.result.class_correlations} == {
        ("pearson", "claim"), ("pearson", "opinion"), ("spearman", "claim"),
        ("spearman", "opinion")}


def _corr_result(pooled: float, claim: float, opinion: float):
    from types import SimpleNamespace as NS

    labels = ["video_view_count", "video_like_count"]

    def m(r, cls=None, method="pearson"):
        return NS(method=method, labels=labels, values=[[1.0, r], [r, 1.0]], claim_status=cls)

    return NS(correlations=[m(pooled)], class_correlations=[m(claim, "claim"),
                                                           m(opinion, "opinion")])


def test_class_driven_correlation_rule():
    from claimreport.render.narrative.eda import (
        POOLED_STRONG_R,
        WITHIN_WEAK_R,
        class_driven_pairs,
        class_driven_sentence,
    )

    fires = _corr_result(POOLED_STRONG_R, WITHIN_WEAK_R, -0.1)
    assert len(class_driven_pairs(fires)) == 1
    assert class_driven_sentence(fires).startswith("Views and likes rise together across all "
                                                   "videos only because claims and opinions")
    assert class_driven_sentence(_corr_result(0.69, 0.1, 0.1)) is None  # pooled not strong
    assert class_driven_sentence(_corr_result(0.9, 0.41, 0.1)) is None  # strong within claims
    assert class_driven_sentence(_corr_result(0.9, float("nan"), 0.1)) is None  # undefined


def test_alerts_are_text_figures_and_round_trip(with_duplicates):
    from claimreport.results.eda import EdaResult

    result = compute(with_duplicates, Config()).result
    again = EdaResult.model_validate_json(result.model_dump_json())
    assert again.key_figures["alerts"] == result.key_figures["alerts"]
    with pytest.raises(ValueError):
        EdaResult.model_validate({**result.model_dump(), "key_figures": {
            **result.key_figures, "duplicate_transcriptions": ["x"]}})


@pytest.mark.realdata
def test_real_data_alerts(real_csv):
    from scipy import stats

    loaded = load_data(real_csv)
    df = loaded.frame.assign(text_length=loaded.frame.video_transcription_text.str.len())
    result = compute(loaded, Config()).result
    kf = result.key_figures
    assert kf["duplicate_transcriptions"] == 72
    assert int(df.video_transcription_text.dropna().duplicated().sum()) == 72
    assert kf["alerts"] == ["separating_column", "near_uniform", "duplicate_transcriptions"]
    alerts = {a.code: a for a in result.alerts}
    assert alerts["separating_column"].columns == ["video_view_count"]
    assert alerts["near_uniform"].columns == ["video_duration_sec", "video_view_count"]
    for u in result.uniformity:  # every distance pinned to scipy
        x = df.loc[df.claim_status == u.claim_status, u.column].dropna().to_numpy(float)
        ref = stats.kstest(x, stats.uniform(loc=x.min(), scale=x.max() - x.min()).cdf).statistic
        assert u.ks_distance == pytest.approx(ref, abs=1e-12)
    views = next(x for x in result.separation if x.column == "video_view_count")
    assert views.balanced_accuracy == pytest.approx(0.995, abs=0.0005)
    likes = next(x for x in result.separation if x.column == "video_like_count")
    assert likes.balanced_accuracy < 0.98  # just below the alert: 0.979
