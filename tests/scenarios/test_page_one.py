"""Page 1 tells the truth on any data: every scenario through every stage.

Each test reads a scenario's numbers and checks that the words on page 1 follow them: direction
words match the sign, "no clear difference" matches the adjusted p-value, "ready" appears only
for the ``ready`` verdict (target met on test, a clear margin over simple baselines, no group
below the target), and no statistic jargon reaches the director.
The page-1 text of every scenario × stage is also compared with a reviewed snapshot
(``tests/scenarios/snapshots``); ``CLAIMREPORT_UPDATE_SNAPSHOTS=1`` rewrites them after a
deliberate change, to be read and committed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from claimreport.data.scenarios import SCENARIOS
from claimreport.registry import STAGE_NAMES
from claimreport.render.narrative import executive
from claimreport.render.narrative.words import FAR_RATIO, MORE_RATIO

SNAPSHOTS = Path(__file__).parent / "snapshots"
JARGON = re.compile(r"Hedges|Cramér|Holm|Welch|\bp [<=]|\bt = |\bdf\b|degrees of freedom|"
                    r"COURSE \d|claimreport render|champion|statsmodels|scikit|XGBoost's|"
                    r"\bnan\b|\bNone\b|\binf\b|\bodds\b|ROC AUC|pseudo-R|Kolmogorov|balanced accuracy")
PAIRS = [pytest.param(s, st, id=f"{s}-{st}") for s in SCENARIOS for st in STAGE_NAMES]


def page_one(ex) -> str:
    """The words of the executive page, in reading order."""
    lines = [ex.headline, *[f"[{t.value}] {t.label}" for t in ex.tiles],
             f"Issue: {ex.issue}", f"Response: {ex.response}", f"Impact: {ex.impact}",
             *[f"- {s}" for s in ex.insights]]
    if ex.caveat:
        lines.append(f"Caveat: {ex.caveat}")
    lines += [f"> {s}" for s in ex.next_steps]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(("scenario", "stage"), PAIRS)
def test_page_one_matches_its_snapshot_and_speaks_plainly(scenario, stage, scenario_bundles):
    ex = executive(scenario_bundles(scenario), stage)
    text = page_one(ex)
    assert not JARGON.search(text), JARGON.search(text)
    path = SNAPSHOTS / f"{scenario}-{stage}.txt"
    if os.environ.get("CLAIMREPORT_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text)
    assert text == path.read_text(), f"page 1 of {scenario}/{stage} changed; review and update"


# ------------------------------------------------------------------ EDA


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_eda_direction_and_magnitude_follow_the_medians(scenario, scenario_bundles):
    bundle = scenario_bundles(scenario)
    kf = bundle.results["eda"].key_figures
    ex = executive(bundle, "eda")
    c, o = kf["median_views_claim"], kf["median_views_opinion"]
    hi, lo = max(c, o), min(c, o)
    leader = "Claim" if c > o else "Opinion"
    if hi / lo >= FAR_RATIO:
        assert ex.headline.startswith(f"{leader} videos draw far more views")
    elif hi / lo >= MORE_RATIO:
        assert ex.headline.startswith(f"{leader} videos draw more views")
    else:
        assert "about the same" in ex.headline
    other = "opinion" if leader == "Claim" else "claim"
    assert f"a typical {other} video" in ex.impact.lower() or "about the same" in ex.impact


def test_eda_stories(scenario_bundles):
    assert executive(scenario_bundles("course"), "eda").headline.startswith(
        "Claim videos draw far more views")
    assert executive(scenario_bundles("reversed"), "eda").headline.startswith(
        "Opinion videos draw far more views")
    assert "about the same" in executive(scenario_bundles("no_difference"), "eda").headline


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_eda_alerts_are_said_exactly_when_they_fire(scenario, scenario_bundles):
    bundle = scenario_bundles(scenario)
    result = bundle.results["eda"]
    ex = executive(bundle, "eda")
    said = [s for s in ex.insights if s.startswith("Data alert:")]
    assert len(said) == len(result.alerts) == len(result.key_figures["alerts"])
    separating = "separating_column" in result.key_figures["alerts"]
    assert any("tells claims from opinions almost perfectly" in s for s in said) is separating
    assert separating is any(x.balanced_accuracy >= 0.98 for x in result.separation)
    repeated = result.key_figures["duplicate_transcriptions"]
    assert any(s.startswith(f"Data alert: {repeated:,} video") for s in said) is (repeated > 0)


def test_eda_alert_stories(scenario_bundles):
    def alerts(name):
        return scenario_bundles(name).results["eda"].key_figures["alerts"]

    # claims get ~100x the views of opinions: views alone sort them; generated views are flat
    for name in ("course", "reversed", "imbalanced"):
        assert "separating_column" in alerts(name), name
        assert "near_uniform" in alerts(name), name
    course = scenario_bundles("course").results["eda"]
    assert next(a for a in course.alerts if a.code == "separating_column").columns[0] == \
        "video_view_count"
    reversed_views = next(x for x in scenario_bundles("reversed").results["eda"].separation
                          if x.column == "video_view_count")
    assert reversed_views.upper_class == "opinion"
    # claims and opinions look alike: no column separates them
    for name in ("weak_signal", "no_difference"):
        assert "separating_column" not in alerts(name), name
    # every scenario marks ~1.5% of rows as missing: never "heavy"
    assert all("heavy_missingness" not in alerts(name) for name in SCENARIOS)


# ------------------------------------------------------------------ hypothesis


#: page-1 words of the stratified analysis that a director must never see
MIX_JARGON = re.compile(r"\bOLS\b|HC3|[Ss]tratum|[Ss]trata\b|[Ss]tratif|Holm|Hedges|\bz = ")
EXPLAINED_WORDS = "disappears once the claim mix is taken into account"


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_hypothesis_words_follow_the_adjusted_test(scenario, scenario_bundles):
    bundle = scenario_bundles(scenario)
    result = bundle.results["hypothesis"]
    t = result.primary
    ex = executive(bundle, "hypothesis")
    significant = t.p_holm < t.alpha
    assert ex.headline.startswith("No clear difference") is (not significant)
    assert ("too large to be explained by chance" in ex.impact) is significant
    assert ("small enough to be explained by chance" in ex.impact) is (not significant)
    if significant and result.stratified.verdict != "explained":
        more = "unverified" if t.mean_difference > 0 else "verified"
        assert ex.headline.startswith(f"Videos from {more} accounts get")
    assert not MIX_JARGON.search(page_one(ex)), MIX_JARGON.search(page_one(ex))


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_hypothesis_headline_says_explained_iff_the_verdict_is_explained(scenario,
                                                                         scenario_bundles):
    bundle = scenario_bundles(scenario)
    s = bundle.results["hypothesis"].stratified
    ex = executive(bundle, "hypothesis")
    explained = s.verdict == "explained"
    assert (EXPLAINED_WORDS in ex.headline) is explained
    assert ("It disappears once the claim mix is taken into account" in ex.impact) is explained
    assert ("It remains once the claim mix" in ex.impact) is (s.verdict == "persists")
    assert ("It reverses once the claim mix" in ex.impact) is (s.verdict == "reverses")
    assert bundle.results["hypothesis"].key_figures["difference_verdict"] == s.verdict
    # the mix reason is stated from the numbers: each group's share of one level
    assert any(f"{x.share_a:.0%} of the videos from unverified accounts are {x.level} videos, "
               f"against {x.share_b:.0%} of those from verified accounts" in page_one(ex)
               for x in s.strata)


@pytest.mark.parametrize("scenario, verdict", [
    ("confounded", "explained"), ("course", "explained"), ("verified_popular", "persists"),
    ("no_difference", "none")])
def test_hypothesis_scenario_verdicts(scenario, verdict, scenario_bundles):
    assert scenario_bundles(scenario).results["hypothesis"].stratified.verdict == verdict


@pytest.mark.parametrize("verdict", ["persists", "explained", "reverses", "mixed", "emerges",
                                     "none", "not_computed"])
def test_every_verdict_code_has_plain_words(verdict, scenario_bundles):
    """The rules on one result with each verdict code: "explained" words only for explained,
    no jargon, and a headline of its own only when the verdict changes the story."""
    from claimreport.render.narrative.hypothesis import verdict_headline, verdict_sentence

    bundle = scenario_bundles("course")
    result = bundle.results["hypothesis"]
    coded = result.model_copy(update={"stratified": result.stratified.model_copy(
        update={"verdict": verdict})})
    ex = executive(bundle.model_copy(update={"results": {"hypothesis": coded}}), "hypothesis")
    assert (EXPLAINED_WORDS in ex.headline) is (verdict == "explained")
    assert (verdict_headline(coded) is None) is (verdict in ("none", "not_computed"))
    assert verdict_sentence(coded) in ex.impact
    assert not MIX_JARGON.search(page_one(ex)) and not JARGON.search(page_one(ex))


def test_without_a_stratified_analysis_the_rules_say_nothing(scenario_bundles):
    from claimreport.render.narrative.hypothesis import (
        mix_reason,
        verdict_headline,
        verdict_sentence,
        within_sentence,
    )

    bundle = scenario_bundles("course")
    plain = bundle.results["hypothesis"].model_copy(update={"stratified": None})
    assert {verdict_headline(plain), verdict_sentence(plain), mix_reason(plain),
            within_sentence(plain)} == {None}
    ex = executive(bundle.model_copy(update={"results": {"hypothesis": plain}}), "hypothesis")
    assert ex.headline == "Videos from unverified accounts get more views than videos from " \
                          "verified accounts"
    assert ex.tiles[-1].label == "a real difference (at the 5% level)"
    regression = bundle.model_copy(update={"results": {"hypothesis": plain,
                                                        "regression": bundle.results["regression"]}})
    assert "claim mix" not in executive(regression, "regression").issue


def test_hypothesis_stories(scenario_bundles):
    assert executive(scenario_bundles("verified_popular"), "hypothesis").headline == (
        "Videos from verified accounts get far more views than videos from unverified "
        "accounts, and the claim mix does not explain it")
    assert executive(scenario_bundles("no_difference"), "hypothesis").headline.startswith(
        "No clear difference")
    for scenario in ("course", "confounded"):
        assert executive(scenario_bundles(scenario), "hypothesis").headline == (
            "The gap in views between unverified accounts and verified accounts "
            + EXPLAINED_WORDS)


# ------------------------------------------------------------------ regression


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_regression_headline_follows_the_strongest_clear_link(scenario, scenario_bundles):
    from claimreport.render.narrative.regression import ALPHA

    bundle = scenario_bundles(scenario)
    result = bundle.results["regression"]
    ex = executive(bundle, "regression")
    clear = sorted((c for c in result.coefficients
                    if c.kind != "intercept" and c.p_value < ALPHA), key=lambda c: c.p_value)
    if not clear:
        assert ex.headline.startswith("No video characteristic")
    else:
        word = "more likely" if clear[0].odds_ratio_per_step >= 1 else "less likely"
        assert word in ex.headline
    # another stage's finding is stated only from that stage's result, in this bundle
    from claimreport.render.narrative.hypothesis import (
        adjusted_range,
        leads_with_mix,
        verdict_headline,
        verdict_sentence,
    )

    h = bundle.results["hypothesis"]
    hyp = h.primary
    without = bundle.model_copy(update={"results": {"regression": result}})
    assert "hypothesis test" not in executive(without, "regression").issue
    # its verdict on the claim mix, too, only from the hypothesis result: as the hypothesis
    # report's headline when it leads with it, with the adjusted interval; else as a sentence
    if leads_with_mix(h):
        assert verdict_headline(h)[1:] in ex.issue and adjusted_range(h) in ex.issue
    else:
        assert ("too large" in ex.issue) is (hyp.p_holm < hyp.alpha)
        assert verdict_sentence(h) in ex.issue
    assert "claim mix" not in executive(without, "regression").issue


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_regression_page_one_puts_the_baseline_beside_the_model(scenario, scenario_bundles):
    from claimreport.render.narrative.regression import per_100

    bundle = scenario_bundles(scenario)
    result = bundle.results["regression"]
    ex = executive(bundle, "regression")
    kf = result.key_figures
    text = page_one(ex)
    # the flagging model's numbers beside what they are compared with: flags picked at random,
    # and always answering the majority
    found = next(t for t in ex.tiles if "verified authors found" in t.label)
    assert found.value == f"{100 * kf['recall_verified']:.0f}%"
    flagged = f"{100 * kf['share_flagged']:.0f}%"
    assert f"flags {flagged} of test videos" in text or \
        any(t.value == flagged and t.label == "of test videos flagged as verified"
            for t in ex.tiles)
    assert any(f"(random flags: {100 * kf['share_verified_test']:.0f}%)" in t.label
               for t in ex.tiles)
    assert f"right for {100 * kf['baseline_accuracy']:.0f}% of test videos" in text or \
        f"against {100 * kf['baseline_accuracy']:.0f}% for always answering" in text
    assert kf["baseline_accuracy"] == pytest.approx(1 - kf["share_verified_test"])
    assert "Two models are used" in text
    # each risk stated follows the numbers: "Of every 100 <level> videos, <n> come from ..."
    for r in result.adjusted_risks:
        phrase = f", {per_100(r.adjusted_per_100_level, r.adjusted_per_100_reference)} come from"
        if r.kind == "indicator" and f"Of every 100 {r.level} videos{phrase}" in text:
            assert f"against {per_100(r.adjusted_per_100_reference, r.adjusted_per_100_level)}" \
                in text


# ------------------------------------------------------------------ modeling


READY_WORD = re.compile(r"\bready\b")


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_page_one_states_the_verdict_its_rule_gives(scenario, scenario_bundles):
    """ready: "ready to order the review queue"; pilot: "Pilot only" and never the word
    "ready"; not_ready: "not ready yet" and "ready" nowhere else. The stored verdict is what the
    readiness rule gives on the stored numbers."""
    from claimreport.stats.readiness import readiness

    bundle = scenario_bundles(scenario)
    result = bundle.results["modeling"]
    verdict, reasons = readiness(result.test.recall, result.target_recall,
                                 result.margin_per_1000,
                                 [(s.claims, s.recall.value) for s in result.slices])
    assert (result.readiness, result.readiness_reasons) == (verdict, reasons)
    assert result.key_figures["readiness"] == verdict
    ex = executive(bundle, "modeling")
    text = page_one(ex)
    if verdict == "ready":
        assert ex.headline.endswith("ready to order the review queue")
        assert "not ready" not in text and "Pilot" not in text
    elif verdict == "pilot":
        assert ex.headline.startswith("Pilot only: ")
        assert not READY_WORD.search(text), READY_WORD.search(text)
        assert "meet almost every claim first" not in text
    else:
        assert ex.headline.endswith("not ready yet")
        assert not READY_WORD.search(text.replace("not ready yet", ""))
        assert "meet almost every claim first" not in text
    assert (result.test.recall >= result.target_recall) is (verdict != "not_ready")
    # the margin over the best simple baseline is on page 1, in claims per 1,000
    assert ex.tiles[-1].label == "claims per 1,000 gained over the best simple method"
    assert ex.insights[0].startswith(("On the ", "It could not be compared with simple rules"))
    m = result.margin_per_1000
    assert ("more per 1,000" in ex.insights[0]) is (m != 0)
    assert ("just as many" in ex.insights[0]) is (m == 0)


def test_weak_signal_is_not_ready(scenario_bundles):
    bundle = scenario_bundles("weak_signal")
    assert bundle.results["modeling"].readiness == "not_ready"
    assert executive(bundle, "modeling").headline.endswith("not ready yet")


def test_course_is_a_pilot_because_a_rule_on_views_does_as_well(scenario_bundles):
    """The course story separates claims by views so cleanly that one rule on views matches the
    model: the verdict is pilot, and page 1 says why."""
    bundle = scenario_bundles("course")
    result = bundle.results["modeling"]
    assert result.readiness == "pilot" and "small_margin" in result.readiness_reasons
    assert result.key_figures["baseline_rule_feature"] == "video_view_count"
    ex = executive(bundle, "modeling")
    assert ex.headline.startswith("Pilot only: ")
    assert "a simple rule on views alone catches" in ex.headline


# ------------------------------------------------------------------ figures


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_figure_titles_follow_the_numbers(scenario, scenario_bundles):
    from claimreport.figures import specs

    bundle = scenario_bundles(scenario)
    eda = bundle.results["eda"]
    kf = eda.key_figures
    titles = {k: s.title for k, s in specs(eda).items()}
    gap = kf["share_claim"] - kf["share_opinion"]
    assert ("evenly balanced" in titles["claim_balance"]) is (abs(gap) < 0.1)
    c, o = kf["median_views_claim"], kf["median_views_opinion"]
    if max(c, o) / min(c, o) >= MORE_RATIO:
        assert titles["views_by_claim"].startswith("Claim" if c > o else "Opinion")
    tl_c, tl_o = kf["median_text_length_claim"], kf["median_text_length_opinion"]
    if "longer" in titles["text_length"]:
        assert tl_c > tl_o
    if "shorter" in titles["text_length"]:
        assert tl_c < tl_o
    hyp = bundle.results["hypothesis"]
    qq = specs(hyp)["qq"].alt
    normal_rejected = all(g.normality_p is not None and g.normality_p < hyp.alpha
                          for g in (hyp.primary.group_a, hyp.primary.group_b))
    assert ("not normally distributed" in qq) is normal_rejected
    modeling = bundle.results["modeling"]
    imp = specs(modeling)["importances"].alt
    assert ("gain" in imp) is (modeling.champion == "xgboost")
