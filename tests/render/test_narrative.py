"""Narrative rules: words chosen from numbers."""

import math

import pytest

from claimreport.render.context import cell, num, pct, pval, times
from claimreport.render.narrative import share_phrase, strength_word


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
    from claimreport.render.narrative import eda

    result = read_bundle(demo_build / "bundle").results["eda"]
    ex = eda(result)
    kf = result.key_figures
    assert ex.insights[0].startswith(f"The data hold {kf['rows_total']:,} videos")
    hi, lo = kf["median_views_claim"], kf["median_views_opinion"]
    assert f"Claim videos have a median of {hi:,.0f} views, {times(hi / lo)} the {lo:,.0f}" \
        in ex.impact


def test_modeling_headline_depends_on_the_recall_target(demo_build):
    from claimreport.bundle import read_bundle
    from claimreport.render.narrative import modeling

    result = read_bundle(demo_build / "bundle").results["modeling"]
    met = result.model_copy(update={"target_recall": 0.5})
    missed = result.model_copy(update={"target_recall": 1.01})
    assert modeling(met).headline.endswith("ready to prioritise the review queue")
    assert "not ready yet" in modeling(missed).headline
