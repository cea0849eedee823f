"""The report tables built from stage-result fields (not from a bundle CSV), for the Quarto
documents: each returns the :class:`~.tables.FormattedTable` whose cells read exactly as the
HTML template's table does, through the same filters (:mod:`.context`) and the same narrative
rules. ``tests/render/test_quarto.py`` compares every cell with the rendered HTML, so a change
to a template's table that is not made here too fails there.

``title`` is the table's caption in the HTML, or, for a table without one, the heading it sits
under; tables the report leaves out for these data return None.
"""

from __future__ import annotations

from collections.abc import Callable

from ..registry import stage_spec
from .context import feature, label, num, pct, ptab, sci
from .tables import FormattedTable

__all__ = ["BUILT", "built_table"]

DASH = "\u2014"


def _table(title: str, headers: list[str], numeric: list[bool], rows: list[list[str]],
           note: str = "") -> FormattedTable:
    return FormattedTable(title, headers, numeric, rows, note)


def _pairs(title: str, rows: list[tuple[str, str]]) -> FormattedTable:
    """A two-column table of row headings and values (no header row)."""
    return _table(title, ["", ""], [False, False], [list(r) for r in rows])


def _labels(columns) -> str:
    return ", ".join(label(c) for c in columns)


def _settings(params: dict) -> str:
    return ", ".join(f"{k} = {v if v is not None else 'unlimited'}" for k, v in params.items())


# ----------------------------------------------------------------------------------- EDA
def _missing_patterns(result, _bundle, _w):
    rows = [[_labels(p.columns), num(p.rows)] for p in result.inventory.missing_patterns]
    return _table("Which values go missing together", ["Columns missing together", "Rows"],
                  [False, True], rows or [["No missing values.", ""]])


def _separation(result, _bundle, w):
    rows = []
    for x in result.separation:
        if x.kind == "threshold":
            rule = f"{x.upper_class} above {num(x.threshold)}" if x.upper_class else DASH
        else:
            rule = f"claim if {' or '.join(x.claim_levels) or 'no level'}"
        rows.append([label(x.column), rule, pct(x.recall_claim), pct(x.recall_opinion),
                     num(x.balanced_accuracy, 4)])
    return _table("Best single-column rule for telling claims from opinions",
                  ["Column", "Rule", "Claims right", "Opinions right", "Balanced accuracy"],
                  [False, False, True, True, True], rows,
                  "Every distinct value is tried as a cut in both directions (categories: each "
                  "level goes to the class in which it is more common); balanced accuracy is the "
                  f"mean of the two shares right. The alert fires from {w.SEPARATION_MIN}.")


def _uniformity(result, _bundle, _w):
    rows = [[label(u.column), str(u.claim_status), num(u.n), num(u.minimum), num(u.maximum),
             num(u.ks_distance, 4), pct(u.edge_share_low), pct(u.edge_share_high),
             "yes" if u.near_uniform else "no"] for u in result.uniformity]
    return _table("Near-uniform values with hard bounds, per class",
                  ["Column", "Class", "n", "Min", "Max", "KS distance to uniform", "Lowest band",
                   "Highest band", "Near-uniform"],
                  [False, False, True, True, True, True, True, True, False], rows)


def _examples(result, _bundle, _w):
    rows = [[str(e.claim_status), str(e.text), num(e.views)] for e in result.examples]
    return _table("Example transcriptions (random sample)",
                  ["Claim status", "Transcription (verbatim)", "Views"], [False, False, True], rows)


# ---------------------------------------------------------------------------- hypothesis
def _hypotheses(result, _bundle, w):
    t = result.primary
    h = w.hypotheses(t)
    return _pairs("Hypotheses", [
        ("Null hypothesis (H0)", h[0]), ("Alternative (HA)", h[1]),
        ("Test", f"Welch's two-sample t-test, two-sided; group A = {t.group_a.label}, group B = "
                 f"{t.group_b.label}; difference A \u2212 B"),
        ("Significance level \u03b1", str(t.alpha)),
        ("Rows", f"{num(result.rows_used)} complete rows ({num(result.rows_dropped)} with "
                 "missing values left out)")])


def _primary(result, _bundle, _w):
    t = result.primary
    rows = [
        ("t statistic", num(t.t_statistic, 4)), ("Welch degrees of freedom", num(t.dof, 2)),
        ("p-value (two-sided)", sci(t.p_value)),
        (f"p-value, Holm-adjusted over {len(result.family)} tests", sci(t.p_holm)),
        (f"Decision at \u03b1 = {t.alpha}", f"{t.decision} H0"),
        (f"Mean, {t.group_a.label} (A)", num(t.group_a.mean, 2)),
        (f"Mean, {t.group_b.label} (B)", num(t.group_b.mean, 2)),
        ("Difference A \u2212 B (95% Welch CI)",
         f"{num(t.mean_difference, 2)} ({num(t.ci_low, 2)} to {num(t.ci_high, 2)})"),
        ("Hedges' g (95% CI)", f"{num(t.hedges_g, 3)} ({num(t.hedges_g_ci_low, 3)} to "
                               f"{num(t.hedges_g_ci_high, 3)}), {t.effect_size}")]
    return _table("Result of the primary test", ["Statistic", "Value"], [False, True],
                  [list(r) for r in rows])


def _stratified(result, bundle, _w):
    if not result.stratified:
        return None
    from .html import table_view

    t = result.primary
    st = table_view(bundle, "hypothesis", "stratified", [
        "estimate", "n_a", "n_b", "mean_a", "mean_b", "difference", "ci_low", "ci_high",
        "statistic", "dof", "p_value", "p_holm", "decision", "note"])
    rows = [[str(r[0]), num(r[1]), num(r[2]), num(r[3], 2), num(r[4], 2), num(r[5], 2),
             f"{num(r[6], 2)} to {num(r[7], 2)}", num(r[8], 3), num(r[9], 1), ptab(r[10]),
             ptab(r[11]), f"{r[12]} ({r[13]})" if r[13] else str(r[12])] for r in st.rows]
    return _table(st.title, [
        "Comparison", f"n, {t.group_a.label} (A)", f"n, {t.group_b.label} (B)", "Mean A",
        "Mean B", "A \u2212 B", "95% CI", "t or z", "df", "p", "p (Holm)", "Decision"],
        [False, *[True] * 10, False], rows,
        f"{st.caption} The adjusted row's statistic is z (normal-based, as statsmodels reports "
        "robust fits); its n counts the rows in the levels that hold both groups.")


# ---------------------------------------------------------------------------- regression
def _protocol(result, _bundle, w):
    if result.protocol == "course":
        protocol = f"{result.protocol}: replicates the course notebook (cap, upsample, then split)"
    else:
        protocol = (f"{result.protocol}: stratified split first, "
                    f"{w.REBALANCE_WORDS[result.rebalance]}, predictors scaled on the training "
                    "part")
    copies = num(result.test_rows_also_in_train)
    if result.test_rows_repeated:
        copies += f"; {num(result.test_rows_repeated)} repeated within the test set"
    return _pairs("Model and protocol", [
        ("Outcome", "verified status (1 = verified author)"),
        ("Predictors", _labels(result.predictors)), ("Protocol", protocol),
        ("Rows", f"{num(result.rows_complete)} complete rows; {num(result.n_train)} training, "
                 f"{num(result.n_test)} test (random state {result.random_state})"),
        ("Inference model", f"{w.fit_label(result.inference_fit)}: odds ratios, confidence "
                            "intervals, p-values and the adjusted risks on page 1"),
        ("Prediction model", f"{w.fit_label(result.prediction_fit)}: the flags, confusion "
                             "matrix, precision, recall and AUCs"),
        ("Test rows that are copies of training rows", copies)])


def _vif(result, _bundle, _w):
    rows = [[label(v.column), num(v.vif_all, 2), num(v.vif_model, 2),
             f"{label(v.most_correlated_with)} (r = {num(v.max_abs_correlation, 2)})",
             "no, dropped" if v.dropped else "yes"] for v in result.vif]
    return _table("Multicollinearity", ["Predictor", "VIF, all", "VIF, model",
                                        "Most correlated with", "In model"],
                  [False, True, True, False, False], rows)


def _linearity(result, _bundle, _w):
    rows = [[label(x.column), num(x.box_tidwell_coef, 3), ptab(x.box_tidwell_p),
             "departure from linearity" if x.box_tidwell_p < 0.05
             else "no evidence against linearity"] for x in result.linearity]
    return _table("Linearity of the log-odds", ["Predictor", "Box-Tidwell x\u00b7ln(x) coefficient",
                                                "p", "Reading"],
                  [False, True, True, False], rows)


def _coefficients(result, _bundle, w):
    from .context import cell

    rows = []
    for c in result.coefficients:
        per_sd = (f"{num(c.odds_ratio_per_sd, 3)} ({num(c.or_sd_ci_low, 3)}\u2013"
                  f"{num(c.or_sd_ci_high, 3)})" if c.odds_ratio_per_sd is not None else DASH)
        step = (num(c.step) if c.kind == "continuous"
                else "vs reference" if c.kind == "indicator" else DASH)
        per_step = (f"{num(c.odds_ratio_per_step, 3)} ({num(c.or_step_ci_low, 3)}\u2013"
                    f"{num(c.or_step_ci_high, 3)})" if c.odds_ratio_per_step is not None else DASH)
        rows.append([w.coef_label(c), cell(c.coef), cell(c.std_err), num(c.z, 2), ptab(c.p_value),
                     per_sd, step, per_step])
    scale = ("; counts standardised, so coefficients are per standard deviation"
             if result.protocol == "rigorous" else "; unscaled, so coefficients are per unit")
    return _table(f"Unregularised logistic regression (statsmodels Logit){scale}",
                  ["Predictor", "Coef.", "SE", "z", "p", "Odds ratio per SD (95% CI)", "Step",
                   "Odds ratio per step (95% CI)"], [False, *[True] * 7], rows)


def _adjusted_risks(result, _bundle, _w):
    rows = []
    for r in result.adjusted_risks:
        term = (f"{label(r.column)}: {r.level} (vs {r.reference})" if r.kind == "indicator"
                else f"{label(r.column)}, +{num(r.step)}")
        counts = f"{num(r.n_level)} / {num(r.n_reference)}" if r.kind == "indicator" else DASH
        rows.append([term, num(r.adjusted_per_100_level, 1), num(r.adjusted_per_100_reference, 1),
                     num(r.observed_per_100_level, 1), num(r.observed_per_100_reference, 1),
                     counts])
    return _table(
        "Model-adjusted: the inference model's average predicted risk over the "
        f"{num(result.inference_fit.rows)} training rows, every row set to the category and then "
        "to its reference (counts: one step more against as they are). Observed: raw shares in "
        "the training rows.",
        ["Term", "Adjusted, category or +step", "Adjusted, reference or as is",
         "Observed, category", "Observed, reference", "Rows (category / reference)"],
        [False, *[True] * 5], rows)


def _baseline_metrics(result, _bundle, w):
    predicted = result.baseline.predicted_label
    rows = [[name, num(m, 3), num(b, 3)] for name, m, b in w.baseline_rows(result)]
    return _table(f"Prediction model against the no-information baseline, test set "
                  f"({num(result.n_test)} videos)",
                  ["Metric", "Prediction model", f"Always \u201c{predicted}\u201d"],
                  [False, True, True], rows)


# ------------------------------------------------------------------------------ modeling
def _searches(result, _bundle, w):
    rows = [[s.name, w.search_words(s.method), num(s.candidates), num(s.fits),
             f"{num(s.cv_recall_mean, 4)} \u00b1 {num(s.cv_recall_std, 4)}"
             + (f" ({s.cv_folds} folds, {num(s.cv_rows)} rows)" if s.cv_rows else ""),
             _settings(s.best_params)] for s in result.searches]
    return _table("Hyper-parameter search", ["Model", "Method", "Candidates", "Fits",
                                             "CV recall (mean \u00b1 SD)", "Chosen settings"],
                  [False, False, True, True, True, False], rows)


def _baselines(result, _bundle, w):
    rows = [[s.name + (" (chosen)" if s.model == result.champion else ""), num(s.recall, 4),
             num(s.precision, 4), pct(s.flag_rate, 1), num(s.confusion.counts[1][1])]
            for s in result.validation]
    for b in result.baselines:
        if b.kind == "majority":
            name = f"Majority class: {b.predicts} for every video"
        elif b.kind == "rule":
            name = f"Best single-feature rule: {w.rule_words(b)}"
        else:
            name = "Logistic regression, same features (standardised)"
        if b.kind == result.best_baseline:
            name += " (the bar)"
        rows.append([name, num(b.recall, 4), num(b.precision, 4), pct(b.flag_rate, 1),
                     num(b.caught)])
    return _table("The models beside simple baselines (validation, decision threshold 0.5 for "
                  "the models)", ["Method", "Recall", "Precision", "Videos flagged",
                                  "Claims caught"], [False, True, True, True, True], rows)


def _calibration_bins(result, _bundle, _w):
    rows = [[f"{num(b.low, 1)}\u2013{num(b.high, 1)}", num(b.videos), num(b.mean_predicted, 3),
             num(b.share_claims, 3)] for b in result.calibration.bins]
    return _table("Reliability bins (test)", ["Predicted probability", "Videos",
                                              "Average predicted", "Share claims"],
                  [False, True, True, True], rows)


def _errors(result, _bundle, w):
    rows = [[w.group_words(e.group), num(e.videos), num(e.median_views), num(e.median_likes),
             num(e.median_shares), pct(e.share_verified, 1), pct(e.share_banned, 1)]
            for e in result.errors]
    return _table(f"The {w.model_phrase(result.champion)}'s errors beside the rest (test)",
                  ["Videos", "Count", "Median views", "Median likes", "Median shares",
                   "Verified authors", "Banned authors"], [False, *[True] * 6], rows)


def _slices(result, _bundle, w):
    rows = []
    for s in result.slices:
        judged = ("too few claims" if not s.enough_claims
                  else "below target" if s.below_target else "meets target")
        rows.append([w.slice_words(s, result).capitalize(), num(s.videos), num(s.claims),
                     num(s.recall.value, 4), f"{num(s.recall.low, 3)}\u2013{num(s.recall.high, 3)}",
                     pct(s.flag_rate.value, 1), judged])
    return _table("Recall and flag rate by group (test; 95% Wilson interval for recall; groups "
                  f"with fewer than {result.min_slice_claims} claims are not judged)",
                  ["Group", "Videos", "Claims", "Recall", "95% CI", "Flagged", "Judged"],
                  [False, *[True] * 5, False], rows)


def _thresholds(result, _bundle, _w):
    rows = [[num(r.threshold, 2) + (" (highest keeping the target)"
                                    if r.threshold == result.threshold_for_target else ""),
             num(r.recall, 4), num(r.precision, 4), num(r.flagged), num(r.missed_claims)]
            for r in result.thresholds if r.shown]
    return _table("Selected thresholds (validation); the bundle's table holds every 0.01 from "
                  "0.01 to 0.99", ["Threshold", "Recall", "Precision", "Flagged",
                                   "Claims missed"], [True] * 5, rows)


def _importances(result, _bundle, w):
    kind = w.importance_words(result.importance_kind)
    rows = [[feature(i.feature), pct(i.importance, 1), num(i.permutation_mean, 4),
             num(i.permutation_std, 4)] for i in result.importances[:15]]
    return _table(f"Feature importances of the {w.model_phrase(result.champion)} ({kind}; "
                  "permutation on validation recall)",
                  ["Feature", kind.capitalize(), "Permutation, mean", "SD"],
                  [False, True, True, True], rows)


def _model_card(result, bundle, w):
    t = result.test
    m = bundle.manifest
    chosen = next(s for s in result.searches if s.model == result.champion)
    ci, pci = result.test_recall_ci, result.test_precision_ci
    rule = "".join(f" The best single-feature rule: {w.rule_words(b)}."
                   for b in result.baselines if b.kind == "rule")
    packages = ", ".join(f"{k} {v}" for k, v in result.package_versions.items())
    share = result.claim_share
    return _pairs(f"Model card: {result.champion_name} claim classifier", [
        ("Intended use", "Decision support for TikTok moderators: rank user-reported videos so "
         "that likely claims are reviewed first. Not for automated enforcement: a human reviews "
         "every video before any action, and opinions flagged by the model are simply reviewed."),
        ("Out of scope", "Judging whether a claim is true; acting on accounts; videos in other "
         "languages or from other platforms; videos whose engagement has not yet been counted."),
        ("Data", f"{num(result.rows_complete)} labelled videos with complete data from "
         f"{m.input.name} (sha256 {m.input.sha256[:12]}); {num(result.n_train)} training, "
         f"{num(result.n_validation)} validation, {num(result.n_test)} test ({result.protocol} "
         f"protocol, random state {result.random_state}). Claim share: {pct(share['train'])} / "
         f"{pct(share['validation'])} / {pct(share['test'])}."),
        ("Features", f"{len(result.features)} features: duration, five engagement counts, "
         "transcription length, verified and ban status indicators, counts of "
         f"{len(result.phrases)} phrases learned from training text only."),
        ("Training", f"{w.search_words(chosen.method).capitalize()}, {num(chosen.candidates)} "
         f"candidate settings, {num(chosen.fits)} fits, scored on recall of claims; chosen "
         f"settings {_settings(chosen.best_params)}. {w.tuning_sentence(result)}"),
        ("Metrics", f"Test recall {num(t.recall, 3)} (95% Wilson CI {num(ci.low, 3)}\u2013"
         f"{num(ci.high, 3)}, {num(ci.successes)}/{num(ci.trials)}); precision "
         f"{num(t.precision, 3)} (CI {num(pci.low, 3)}\u2013{num(pci.high, 3)}); F1 "
         f"{num(t.f1, 3)}; ROC AUC {num(t.roc_auc, 4)}; cross-validated recall "
         f"{num(chosen.cv_recall_mean, 3)} \u00b1 {num(chosen.cv_recall_std, 3)}. Decision "
         "threshold 0.5."),
        ("Compared with simple baselines", f"{w.margin_sentence(result)}{rule}"),
        ("Readiness", w.readiness_details(result)),
        ("Where it fails", f"{w.error_sentence(result)} {w.slice_summary(result)}"),
        ("Calibration", w.calibration_sentence(result)),
        ("Limitations", w.limitations(result)),
        ("Ethical considerations", "Errors are not symmetric: a missed claim stays in the backlog "
         "longer, a false flag costs a moderator's time. Verified and ban status are features, "
         "so authors' history influences ranking; audit flagged rates by author status "
         f"regularly. {w.flag_rate_sentence(result)} Keep humans in the loop and log overrides."),
        ("Monitoring", w.audit_step(result)),
        ("How to retrain", "claimreport render --stage modeling --data NEW.csv (add --search "
         "course for the full grids, slow). The bundle stores the model as "
         f"{result.model_file} ({result.model_format}) and the exact feature list and phrase "
         f"vocabulary in {result.feature_file}; packages: {packages}.")])


Builder = Callable[..., FormattedTable | None]

#: the tables each report builds from result fields, by a name the documents use
BUILT: dict[str, dict[str, Builder]] = {
    "eda": {"missing_patterns": _missing_patterns, "separation": _separation,
            "uniformity": _uniformity, "examples": _examples},
    "hypothesis": {"hypotheses": _hypotheses, "primary": _primary, "stratified": _stratified},
    "regression": {"protocol": _protocol, "vif": _vif, "linearity": _linearity,
                   "coefficients": _coefficients, "adjusted_risks": _adjusted_risks,
                   "baseline_metrics": _baseline_metrics},
    "modeling": {"searches": _searches, "baselines": _baselines,
                 "calibration_bins": _calibration_bins, "errors": _errors, "slices": _slices,
                 "thresholds": _thresholds, "importances": _importances,
                 "model_card": _model_card},
}


def built_table(bundle, stage: str, key: str) -> FormattedTable | None:
    """Table *key* of *stage* built from the stage result (None when the report omits it)."""
    return BUILT[stage][key](bundle.results[stage], bundle, stage_spec(stage).narrative_module())
