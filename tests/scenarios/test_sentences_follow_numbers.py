"""Each page-1 rule a reviewer questioned, fed every scenario (so the data tell it both ways) and
edited copies of a result (the case the scenarios do not reach, and the undefined one).

Hypothesis: page 1 leads with the verdict on the mix when that verdict changes the story; a
"no clear difference" states how large a difference the data still allow; tests of independence
say which group has the larger share, by how much and how strong the link is; the feature advice
follows the test of author status against claim status; 2 x 2 tables say they use Yates'
correction. Regression: the tiles carry the headline's numbers from the headline's model; the
class-balance chart draws what it labels. EDA: alerts on how the data were made come first and
read as words; a list of correlations never shows a tie that is not one. Everywhere: "typical"
quotes a median, "average" a mean.
"""

from __future__ import annotations

import re

import pytest

from claimreport.data import schema as S
from claimreport.data.scenarios import SCENARIOS
from claimreport.render.narrative import executive
from claimreport.render.narrative.words import about, between_words, signed_about

from .test_page_one import page_one

ALL = list(SCENARIOS)


def _hyp(bundle, result):
    """*bundle* with its hypothesis result replaced by *result*."""
    return bundle.model_copy(update={"results": {**bundle.results, "hypothesis": result}})


# ------------------------------------------------------------------ hypothesis: lead with the mix


@pytest.mark.parametrize("scenario", ALL)
def test_page_one_leads_with_the_verdict_when_the_mix_changes_the_story(scenario,
                                                                      scenario_bundles):
    from claimreport.render.narrative.hypothesis import LEAD_VERDICTS, page_one_charts

    bundle = scenario_bundles(scenario)
    result = bundle.results["hypothesis"]
    t, s = result.primary, result.stratified
    ex = executive(bundle, "hypothesis")
    values = [x.value for x in ex.tiles]
    if s.verdict in LEAD_VERDICTS:
        assert page_one_charts(result) == ["differences", "within_means"]
        # the verdict first, then the adjusted difference with its interval ...
        assert ex.tiles[0].label.endswith("claim mix is taken into account")
        a = s.adjusted
        assert values[1] == f"{signed_about(a.ci_low)} to {signed_about(a.ci_high)}"
        assert "same claim status" in ex.tiles[1].label
        # ... and the overall gap only as context, last
        assert ex.tiles[-1].label.endswith("overall")
        assert about(t.group_a.mean) not in values
    else:
        assert page_one_charts(result) == ["means_ci", "distribution"]
        assert values[:2] == [about(t.group_a.mean), about(t.group_b.mean)]


def test_the_lead_follows_the_verdict_code(scenario_bundles):
    """The same numbers with the verdict "persists": the overall gap leads again."""
    from claimreport.render.narrative.hypothesis import page_one_charts

    bundle = scenario_bundles("course")
    result = bundle.results["hypothesis"]
    assert page_one_charts(result)[0] == "differences"
    persists = result.model_copy(update={"stratified": result.stratified.model_copy(
        update={"verdict": "persists"})})
    assert page_one_charts(persists) == ["means_ci", "distribution"]
    assert executive(_hyp(bundle, persists), "hypothesis").tiles[0].value == \
        about(result.primary.group_a.mean)
    assert page_one_charts(result.model_copy(update={"stratified": None}))[0] == "means_ci"


@pytest.mark.parametrize("scenario", ALL)
def test_the_differences_chart_shows_the_numbers_of_the_tiles(scenario, scenario_bundles):
    from claimreport.figures import specs

    result = scenario_bundles(scenario).results["hypothesis"]
    a = result.stratified.adjusted
    alt = specs(result)["differences"].alt
    assert f"adjusted for claim status {signed_about(a.difference)} " \
           f"({signed_about(a.ci_low)} to {signed_about(a.ci_high)})" in alt
    for x in result.stratified.strata:
        if x.reason is None:
            assert f"within {S.group_phrase(S.CLAIM, x.level)} {signed_about(x.mean_difference)}" \
                in alt


# ------------------------------------------------------------------ hypothesis: no clear difference


@pytest.mark.parametrize("scenario", ALL)
def test_no_clear_difference_states_the_interval(scenario, scenario_bundles):
    bundle = scenario_bundles(scenario)
    result = bundle.results["hypothesis"]
    t, s = result.primary, result.stratified
    ex = executive(bundle, "hypothesis")
    text = page_one(ex)
    if s.verdict in ("explained", "none"):  # "no clear difference" once the mix is allowed for
        assert between_words(s.adjusted.ci_low, s.adjusted.ci_high, "views per video") \
            in ex.impact
    if t.decision != "reject":  # no clear difference overall: its interval, as a tile too
        assert f"{signed_about(t.ci_low)} to {signed_about(t.ci_high)}" in [x.value for x in
                                                                           ex.tiles]
    for x in s.strata:  # every like-for-like gap with its interval
        if x.reason is None:
            assert f"{signed_about(x.ci_low)} to {signed_about(x.ci_high)}" in text


@pytest.mark.parametrize("low, high, words", [
    (-7221.3, 7038.1, "between about 7,220 fewer and about 7,040 more views"),
    (160822.9, 187626.4, "between about 161,000 and about 188,000 more views"),
    (-300.0, -20.0, "between about 20 and about 300 fewer views"),
    (float("nan"), 3.0, "an undefined number of views"),
])
def test_between_words(low, high, words):
    assert between_words(low, high, "views") == words


def test_adjusted_range_is_silent_when_undefined(scenario_bundles):
    from claimreport.render.narrative.hypothesis import adjusted_range, verdict_sentence

    result = scenario_bundles("course").results["hypothesis"]
    a = result.stratified.adjusted
    assert adjusted_range(result) == (f"{between_words(a.ci_low, a.ci_high, 'views per video')} "
                                      "for unverified accounts")
    s = result.stratified
    gone = result.model_copy(update={"stratified": s.model_copy(update={
        "adjusted": s.adjusted.model_copy(update={"reason": "no level holds both groups"})})})
    assert adjusted_range(gone) is None
    assert verdict_sentence(gone).endswith("show no clear difference in views.")


# ------------------------------------------------------------------ hypothesis: tests of independence


def _widest(c):
    shares = [[k / sum(row) for k in row] for row in c.observed]
    j = max(range(len(c.columns)),
            key=lambda j: max(r[j] for r in shares) - min(r[j] for r in shares))
    col = [r[j] for r in shares]
    return c.columns[j], c.rows[col.index(max(col))], max(col), c.rows[col.index(min(col))], \
        min(col)


@pytest.mark.parametrize("scenario", ALL)
def test_association_sentences_say_direction_and_size(scenario, scenario_bundles):
    from claimreport.render.narrative.hypothesis import association_sentence

    for c in scenario_bundles(scenario).results["hypothesis"].chi_square_tests:
        said = association_sentence(c)
        level, hi_group, hi, lo_group, lo = _widest(c)
        assert S.group_phrase(c.against, level) in said
        if f"{100 * hi:.1f}" == f"{100 * lo:.1f}":  # no visible gap: no false tie printed
            assert f"about equally often ({100 * hi:.1f}% each)" in said or \
                f"about equally often ({100 * hi:.0f}% each)" in said
            continue
        lead = S.group_phrase(c.by, hi_group)
        assert said.split(" of ")[1].startswith(lead) or \
            said.split(" of ")[1].startswith(f"videos from {lead}"), said
        assert said.startswith(f"{100 * hi:.0f}%") or said.startswith(f"{100 * hi:.1f}%")
        if c.decision == "reject":
            assert f"a {c.effect_size} link, too large to be explained by chance" in said
        else:
            assert "small enough to be explained by chance, so no clear link" in said


def test_association_sentence_turns_with_the_table(scenario_bundles):
    from claimreport.render.narrative.hypothesis import association_sentence

    c = next(c for c in scenario_bundles("course").results["hypothesis"].chi_square_tests
             if c.by == S.VERIFIED)
    assert c.rows == ["verified", "not verified"] and c.columns == ["claim", "opinion"]
    (vc, vo), (uc, uo) = c.observed
    hi, lo = f"{100 * uc / (uc + uo):.0f}%", f"{100 * vc / (vc + vo):.0f}%"
    assert association_sentence(c).startswith(f"{hi} of videos from unverified accounts are "
                                              f"claim videos, against {lo} of videos from verified")
    flipped = c.model_copy(update={"observed": c.observed[::-1]})  # the groups' rows swapped
    assert association_sentence(flipped).startswith(f"{hi} of videos from verified accounts")
    weak = c.model_copy(update={"decision": "fail to reject", "effect_size": "negligible"})
    assert association_sentence(weak).endswith("small enough to be explained by chance, so no "
                                               "clear link.")
    even = c.model_copy(update={"observed": [[100, 300], [1000, 3000]],
                                  "decision": "fail to reject"})
    assert association_sentence(even).startswith("Videos from verified accounts and videos from "
                                                 "unverified accounts are claim videos about "
                                                 "equally often (25% each)")
    empty = c.model_copy(update={"observed": [[0, 0], c.observed[1]]})
    assert association_sentence(empty) is None


@pytest.mark.parametrize("scenario", ALL)
def test_feature_advice_follows_the_test_against_claim_status(scenario, scenario_bundles):
    from claimreport.render.narrative.hypothesis import feature_step

    bundle = scenario_bundles(scenario)
    result = bundle.results["hypothesis"]
    c = next(c for c in result.chi_square_tests if {c.by, c.against} == {S.VERIFIED, S.CLAIM})
    steps = executive(bundle, "hypothesis").next_steps
    keep = any(s.startswith("Keep verified status as a candidate feature") for s in steps)
    assert keep is (c.decision == "reject")
    other = "fail to reject" if c.decision == "reject" else "reject"
    turned = result.model_copy(update={"chi_square_tests": [
        x.model_copy(update={"decision": other}) if x is c else x
        for x in result.chi_square_tests]})
    assert feature_step(turned).startswith("Keep") is (other == "reject")
    assert feature_step(turned).startswith("Do not count on") is (other != "reject")
    untested = result.model_copy(update={"chi_square_tests": []})
    assert feature_step(untested).startswith("Test whether verified status goes with claim")


def test_yates_correction_is_named_for_2x2_tables_only(scenario_bundles):
    from claimreport.render.narrative.hypothesis import method_notes, yates_note

    result = scenario_bundles("course").results["hypothesis"]
    two_by_two = [c.name for c in result.chi_square_tests if c.dof == 1]
    assert two_by_two == ["Verified status and claim status"]
    note = yates_note(result)
    assert "Yates' continuity correction" in note and two_by_two[0] in note
    assert "Claim status and author ban status" not in note  # a 2 x 3 table: not corrected
    assert note in method_notes(result)
    larger = result.model_copy(update={"chi_square_tests": [
        c.model_copy(update={"dof": 2}) for c in result.chi_square_tests]})
    assert yates_note(larger) is None
    assert any("none uses Yates'" in n for n in method_notes(larger))
    details = executive(scenario_bundles("course"), "hypothesis").details
    assert any(d.startswith("Verified status and claim status: chi-square (Yates-corrected)")
               for d in details)


# ------------------------------------------------------------------ regression


@pytest.mark.parametrize("scenario", ALL)
def test_regression_tiles_carry_the_headline_numbers(scenario, scenario_bundles):
    from claimreport.render.narrative.regression import ALPHA, per_100

    bundle = scenario_bundles(scenario)
    result = bundle.results["regression"]
    ex = executive(bundle, "regression")
    clear = sorted((c for c in result.coefficients
                    if c.kind != "intercept" and c.p_value < ALPHA), key=lambda c: c.p_value)
    risk = next((r for r in result.adjusted_risks if clear and r.term == clear[0].term), None)
    if risk is None or risk.kind != "indicator":
        return
    lvl, ref = risk.adjusted_per_100_level, risk.adjusted_per_100_reference
    # the same model (the inference fit's adjusted risks) and the same numbers as the impact
    first, second = ex.tiles[0], ex.tiles[1]
    assert first.value == f"{per_100(lvl, ref).replace('about ', '')} in 100"
    assert second.value == f"{per_100(ref, lvl).replace('about ', '')} in 100"
    assert first.label.startswith(S.group_phrase(risk.column, risk.level)) or \
        risk.level in first.label
    assert f"Of every 100 {S.group_phrase(risk.column, risk.level)}, {per_100(lvl, ref)} come " \
        "from verified authors" in ex.impact
    subject = ex.headline.split(" are ")[0].lower()
    assert subject in first.label.lower()


def test_without_a_clear_link_the_tiles_are_the_flagging_model(scenario_bundles):
    bundle = scenario_bundles("course")
    result = bundle.results["regression"]
    vague = result.model_copy(update={"coefficients": [
        c.model_copy(update={"p_value": 0.5}) if c.kind != "intercept" else c
        for c in result.coefficients]})
    ex = executive(bundle.model_copy(update={"results": {"regression": vague}}), "regression")
    assert ex.headline.startswith("No video characteristic")
    assert [t.label for t in ex.tiles][1] == "of test videos flagged as verified"
    assert not any("in 100" in t.value for t in ex.tiles)


@pytest.mark.parametrize("scenario", ALL)
def test_regression_claims_only_what_the_test_set_supports(scenario, scenario_bundles):
    text = page_one(executive(scenario_bundles(scenario), "regression"))
    assert "new videos" not in text
    assert "what to expect on videos like these, collected the same way" in text


@pytest.mark.parametrize("rebalance, weighed", [("class_weight", True), ("upsample", True),
                                                ("none", False)])
def test_balance_chart_draws_what_it_labels(rebalance, weighed, scenario_bundles):
    from claimreport.figures import draw_figure, specs

    result = scenario_bundles("course").results["regression"]
    result = result.model_copy(update={"prediction_fit": result.prediction_fit.model_copy(
        update={"rebalance": rebalance})})
    alt = specs(result)["balance"].alt
    counted = ", ".join(f"{x.share:.0%} {x.label}" for x in result.balance_train)
    assert f"training rows, counted ({counted})" in alt
    assert ("flagging model" in alt) is weighed
    if weighed:
        assert "(50% not verified, 50% verified)" in alt
    ticks = [t.get_text() for t in draw_figure(result, "balance").axes[0].get_yticklabels()]
    assert ("weighs" in " ".join(ticks) or "upsampled" in " ".join(ticks)) is weighed
    assert not any("weighted 50:50" in t for t in ticks)


def test_risk_chart_labels_use_one_decimal_and_a_legend(scenario_bundles):
    from claimreport.figures import draw_figure, specs

    result = scenario_bundles("course").results["regression"]
    ax = draw_figure(result, "risks").axes[0]
    shown = [t.get_text() for t in ax.texts]
    risks = [r for r in result.adjusted_risks if r.kind == "indicator"]
    assert sorted(shown) == sorted(f"{v:.1f}" for r in risks
                                   for v in (r.adjusted_per_100_level,
                                             r.adjusted_per_100_reference))
    assert all(f"{v} against" in specs(result)["risks"].alt or f"against {r.reference} {v}"
               in specs(result)["risks"].alt for r in risks
               for v in (f"{r.adjusted_per_100_level:.1f}",))
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "category" and legend[1].startswith("reference")


@pytest.mark.parametrize("scenario", ["course", "imbalanced"])
def test_method_notes_describe_capping_and_the_box_tidwell_shift(scenario, scenario_bundles):
    from claimreport.render.narrative.regression import box_tidwell_note, capping_note

    result = scenario_bundles(scenario).results["regression"]
    note = capping_note(result)
    capped = [o for o in result.outliers if o.capped]
    assert capped, "the default configuration caps comments and likes"
    for o in capped:
        assert f"{S.noun(o.column)} at {o.upper_fence:,.1f} ({o.n_above:,} values)" in note
    assert "the test set is capped at the same fences" in note
    assert "shifted by 1" in box_tidwell_note(result)
    none = result.model_copy(update={"outliers": [o.model_copy(update={"capped": False})
                                                  for o in result.outliers]})
    assert capping_note(none).startswith("No predictor is capped")
    assert box_tidwell_note(result.model_copy(update={"linearity": []})) is None


# ------------------------------------------------------------------ EDA


PROVENANCE = ("separating_column", "near_uniform")


@pytest.mark.parametrize("scenario", ALL)
def test_eda_leads_with_how_the_data_were_made(scenario, scenario_bundles):
    bundle = scenario_bundles(scenario)
    result = bundle.results["eda"]
    codes = result.key_figures["alerts"]
    ex = executive(bundle, "eda")
    fired = [c for c in PROVENANCE if c in codes]
    if fired:
        assert ex.insights[0].startswith("Data alert:")
        first = ("tells claims from opinions almost perfectly" if fired[0] == PROVENANCE[0]
                 else "spread almost evenly between hard limits")
        assert first in ex.insights[0]
    else:
        assert ex.insights[0].startswith("The data hold")
    engagement = [x for x in result.separation if "separating_column" in codes
                  and x.column in next(a for a in result.alerts
                                       if a.code == "separating_column").columns]
    best = max(engagement, key=lambda x: x.balanced_accuracy) if engagement else None
    suspicious = best is not None and best.column in S.ENGAGEMENT_COLUMNS
    assert ("more cleanly than real data usually allow" in ex.impact) is suspicious
    assert ("strong signal" in ex.impact) is (not suspicious and "far more" in ex.headline)


def test_without_a_provenance_alert_the_profile_comes_first(scenario_bundles):
    """Generated scenario data always fire an alert on how they were made; a copy of the course
    result without those alerts shows the other way of the rule."""
    bundle = scenario_bundles("course")
    result = bundle.results["eda"]
    assert any(c in result.key_figures["alerts"] for c in PROVENANCE)
    kept = [a for a in result.alerts if a.code not in PROVENANCE]
    plain = result.model_copy(update={
        "alerts": kept, "key_figures": {**result.key_figures, "alerts": [a.code for a in kept]}})
    ex = executive(bundle.model_copy(update={"results": {"eda": plain}}), "eda")
    assert ex.insights[0].startswith("The data hold")
    assert "more cleanly than real data usually allow" not in ex.impact
    assert "strong signal" in ex.impact


@pytest.mark.parametrize("scenario", ALL)
def test_alerts_for_analysts_are_words_not_codes(scenario, scenario_bundles):
    from claimreport.render.narrative.eda import ALERT_NAMES, alert_lines

    result = scenario_bundles(scenario).results["eda"]
    lines = alert_lines(result)
    assert len(lines) == len(result.alerts)
    for a, line in zip(result.alerts, lines):
        assert line.startswith(ALERT_NAMES[a.code])
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", line), line  # no code, no column name


@pytest.mark.parametrize("scenario", ALL)
def test_a_list_of_correlations_shows_no_false_tie(scenario, scenario_bundles):
    bundle = scenario_bundles(scenario)
    result = bundle.results["eda"]
    details = executive(bundle, "eda").details
    shown = [re.search(r"Pearson r = (-?[\d.]+)", d).group(1) for d in details
             if "Pearson r = " in d]
    values = [p.pearson for p in result.strongest_correlations[:3]]
    assert len(shown) == len(values)
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            if values[i] != values[j]:
                assert shown[i] != shown[j], (shown, values)


@pytest.mark.parametrize("values, digits", [([0.832464, 0.825789, 0.823554], 3),
                                            ([0.83, 0.79], 2), ([0.5, 0.5], 2),
                                            ([0.8301, 0.8302], 3), ([float("nan"), 0.4], 2)])
def test_distinct_digits(values, digits):
    from claimreport.render.narrative.words import distinct_digits

    assert distinct_digits(values) == digits


@pytest.mark.parametrize("scenario", ALL)
def test_histogram_caption_names_each_scale_once(scenario, scenario_bundles):
    from claimreport.figures import specs

    alt = specs(scenario_bundles(scenario).results["eda"])["histograms"].alt
    assert "includeds" not in alt and "scales" not in alt
    assert alt.endswith(".")


# ------------------------------------------------------------------ typical = median, average = mean


@pytest.mark.parametrize("scenario", ALL)
def test_typical_quotes_medians_and_average_quotes_means(scenario, scenario_bundles):
    bundle = scenario_bundles(scenario)
    kf = bundle.results["eda"].key_figures
    eda = executive(bundle, "eda")
    typical = [s for s in [eda.impact, *eda.insights] if "typical" in s and "views" in s]
    for s in typical:
        for n in re.findall(r"about ([\d,.]+) views|the ([\d,.]+) of a typical", s):
            value = next(x for x in n if x)
            assert value in (about(kf["median_views_claim"]), about(kf["median_views_opinion"])), s
    t = bundle.results["hypothesis"].primary
    hyp = executive(bundle, "hypothesis")
    median_line = next(s for s in hyp.insights if s.startswith("The typical (median) video"))
    assert about(t.group_a.median) in median_line and about(t.group_b.median) in median_line
    hi, lo = sorted((t.group_a, t.group_b), key=lambda g: -g.mean)
    assert f"average {about(hi.mean)} views" in hyp.impact or \
        f"average about the same views ({about(hi.mean)}" in hyp.impact
