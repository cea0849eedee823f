"""Narrative rules: words chosen from numbers."""

import math

import pytest

from claimreport.render.context import cell, num, pct, pval, times
from claimreport.render.narrative.words import share_phrase, strength_word


@pytest.mark.parametrize("ratio, words", [
    (101.26, "about 100 times"), (97.0, "about 100 times"), (45.3, "about 45 times"),
    (7.24, "about 7.2 times"), (2.0, "about 2 times"), (1.02, "about the same as"),
    (1234.0, "about 1,200 times"), (980.0, "about 1,000 times"),
])
def test_times(ratio, words):
    assert times(ratio) == words


@pytest.mark.parametrize("r, word", [(0.83, "strongly"), (-0.75, "strongly"), (0.5, "moderately"),
                                     (0.2, "weakly"), (0.05, "not")])
def test_strength_word(r, word):
    assert strength_word(r) == word


def test_number_formats_never_print_nan():
    assert num(501029.452748, 2) == "501,029.45"
    assert num(float("nan")) == "\u2014" and cell(None) == "\u2014" and pct(math.nan) == "\u2014"
    assert num(-0.0001, 2) == "0.00"
    assert pct(0.495718) == "49.6%"
    assert pval(2.6e-120) == "< 0.001" and pval(0.0234) == "0.023"
    assert cell(19382) == "19,382" and cell(0.3321) == "0.332" and cell("claim") == "claim"


def test_share_phrase():
    assert share_phrase(298, 19382) == "298 (1.5%)"


def test_eda_sentences_from_numbers(demo_build):
    from claimreport.bundle import read_bundle
    from claimreport.render.narrative import executive
    from claimreport.render.narrative.words import about

    bundle = read_bundle(demo_build / "bundle")
    ex = executive(bundle, "eda")
    kf = bundle.results["eda"].key_figures
    # data alerts on how the data were made come first (the synthetic demo data fire them)
    held = [s for s in ex.insights if not s.startswith("Data alert:")]
    assert held[0].startswith(f"The data hold {kf['rows_total']:,} videos")
    assert ex.insights.index(held[0]) == sum(
        c in ("separating_column", "near_uniform") for c in kf["alerts"])
    hi, lo = kf["median_views_claim"], kf["median_views_opinion"]
    assert f"A typical claim video has about {about(hi)} views, {times(hi / lo)} the {about(lo)}" \
        in ex.impact


def test_modeling_headline_follows_the_readiness_verdict(demo_build):
    from claimreport.bundle import read_bundle
    from claimreport.render.narrative import executive

    bundle = read_bundle(demo_build / "bundle")
    result = bundle.results["modeling"]

    def headline(verdict, reasons):
        r = result.model_copy(update={"readiness": verdict, "readiness_reasons": reasons})
        return executive(bundle.model_copy(update={"results": {"modeling": r}}),
                         "modeling").headline

    assert headline("ready", []).endswith("ready to order the review queue")
    assert headline("pilot", ["small_margin"]).startswith("Pilot only: ")
    assert headline("not_ready", ["target_missed"]).endswith("not ready yet")


# ------------------------------------------------------------------ rules: true, false, undefined

def test_amount_words_thresholds():
    from claimreport.render.narrative.words import FAR_RATIO, MORE_RATIO, amount_words

    assert amount_words(FAR_RATIO * 10, 10) == "far more"
    assert amount_words(FAR_RATIO * 10 - 0.1, 10) == "more"
    assert amount_words(MORE_RATIO * 10, 10) == "more"
    assert amount_words(MORE_RATIO * 10 - 0.1, 10) == "about the same"
    assert amount_words(5, 0) == "far more" and amount_words(0, 0) == "about the same"


@pytest.mark.parametrize("x, shown", [(501_029.45, "501,000"), (4_956.43, "4,960"), (0.42, "0.42"),
                                      (0, "0"), (float("nan"), "not defined"),
                                      (None, "not defined")])
def test_about_rounds_for_people(x, shown):
    from claimreport.render.narrative.words import about

    assert about(x) == shown


def test_chance_words_follow_the_adjusted_p():
    from claimreport.render.narrative.words import chance_words

    assert chance_words(0.001, 0.05) == "too large to be explained by chance"
    assert chance_words(0.05, 0.05) == "small enough to be explained by chance"
    assert chance_words(float("nan"), 0.05) == "cannot be tested"


def _eda_kf(**over):
    kf = {"n_claim": 10, "n_opinion": 10, "median_views_claim": 1000.0,
          "median_views_opinion": 10.0, "share_claim": 0.5, "share_opinion": 0.5}
    kf.update(over)
    return kf


def test_views_leader_rule():
    from claimreport.render.narrative.eda import views_leader

    assert views_leader(_eda_kf()) == ("claim", "far more")
    assert views_leader(_eda_kf(median_views_claim=10.0, median_views_opinion=15.0)) == \
        ("opinion", "more")
    assert views_leader(_eda_kf(median_views_opinion=1000.0))[1] == "about the same"
    assert views_leader(_eda_kf(n_opinion=0, median_views_opinion=None)) is None
