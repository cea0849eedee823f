"""Regression stage (course 5): logistic regression of verified status on video characteristics.

Two protocols (``Config.protocol``):

``course``
    replicates the exemplar so its published pipeline can be checked: drop incomplete rows, cap
    likes and comments at Q3 + 1.5 IQR, upsample the verified class with replacement to the size
    of the other class (random_state 0) *before* splitting, one-hot with the first level
    dropped, 75/25 split (random_state 0), ``LogisticRegression(random_state=0, max_iter=800)``
    on unscaled predictors.
``rigorous`` (default)
    splits first (stratified), computes capping fences and scaling on the training part only,
    rebalances only the training part (class weights, or upsampling), so the test set keeps the
    real verified share and holds no copy of a training row.

Notes
-----
Two models, reported apart (``inference_fit`` and ``prediction_fit`` in the result):

* Inference (odds ratios, CIs, p-values, model-adjusted risks) comes from statsmodels'
  unregularised ``Logit`` fitted on the training part *before* any upsampling and without
  weights: duplicated rows would shrink the standard errors without adding information, and
  weights would move every predicted risk towards 50 %.
* Prediction (confusion matrix, precision, recall, AUCs) uses scikit-learn's L2-regularised
  ``LogisticRegression`` (strength 1/C), rebalanced so that it finds the rare verified authors;
  it therefore flags far more videos than are verified, which the no-information baseline
  (always answer the training part's majority class) and ``share_flagged`` make visible.

Adjusted risks are marginal standardisation over the training rows (:mod:`..stats.risk`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..data import schema as S
from ..results.base import undefined_reasons
from ..results.common import LevelCount, Matrix
from ..results.regression import (
    AdjustedRisk,
    Baseline,
    Coefficient,
    EmpiricalLogit,
    FitSettings,
    LinearityRow,
    OutlierRow,
    RegressionResult,
    VifRow,
)
from ..stats import stable
from ..stats.evaluation import evaluate
from ..stats.logit import box_tidwell, empirical_logits, fit_logit, vif
from ..stats.majority import comparison_table, majority_baseline
from ..stats.risk import average_risk, observed_rate
from . import StageOutput
from ._sample import fitting_rows

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import Config
    from ..data.load import LoadedData

__all__ = ["compute", "preflight", "prepare"]

POSITIVE = "verified"
NAMES = ("not verified", "verified")
COURSE_SEED = 0  # the exemplar's random_state for resampling, splitting and the model


def _indicator(term: str) -> tuple[str, str, str]:
    """``(column, level, reference)`` of a one-hot term such as ``claim_status_opinion``; the
    reference is the dropped first level in sorted order (as the encoder drops it)."""
    col = next(c for c in S.LABELS if term.startswith(c + "_"))
    return col, term[len(col) + 1:], sorted(S.LABELS[col])[0]


def prepare(df: pd.DataFrame, config: Config) -> dict:
    """Split, cap, encode, (scale) and rebalance as the protocol says.

    Returns a dict with design frames ``X_train``/``X_test`` (model columns), 0/1 targets,
    the ids of the rows in each part, the raw training frame and the facts the report shows.
    """
    import pandas as pd
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    from sklearn.utils import resample

    cfg = config.regression
    course = config.protocol == "course"
    seed = COURSE_SEED if course else config.random_state
    cats = [f for f in cfg.features if f in S.LABELS]
    conts = [f for f in cfg.features if f not in S.LABELS]
    data = df.copy()
    fences: dict[str, tuple[float, float, float]] = {}

    def cap(frame: pd.DataFrame, source: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        for col in cfg.capped:
            q1, q3 = source[col].quantile([0.25, 0.75])
            upper = q3 + 1.5 * (q3 - q1)
            fences[col] = (float(q1), float(q3), float(upper))
            frame.loc[frame[col] > upper, col] = upper
        return frame

    if course:
        data = cap(data, data)
        majority = data[data[S.VERIFIED] != POSITIVE]
        minority = data[data[S.VERIFIED] == POSITIVE]
        up = resample(minority, replace=True, n_samples=len(majority), random_state=seed)
        data = pd.concat([majority, up]).reset_index(drop=True)
        train, test = train_test_split(data, test_size=cfg.test_size, random_state=seed)
    else:
        train, test = train_test_split(data, test_size=cfg.test_size, random_state=seed,
                                       stratify=data[S.VERIFIED])
        raw_train = train
        train, test = cap(train, train), cap(test, train)  # fences from the training part only

    # every level the schema allows, in sorted order (the course's get_dummies order): a level
    # seen only in the test part is a known column, not an error
    encoder = OneHotEncoder(drop="first", sparse_output=False,
                            categories=[sorted(S.LABELS[c]) for c in cats])
    encoder.fit(train[cats])
    names = [str(n) for n in encoder.get_feature_names_out(cats)]

    def design(part: pd.DataFrame) -> pd.DataFrame:
        coded = pd.DataFrame(encoder.transform(part[cats]), columns=names, index=part.index)
        return pd.concat([part[conts].astype(float), coded], axis=1).reset_index(drop=True)

    X_train, X_test = design(train), design(test)
    # a predictor that does not vary in the training part has no estimable coefficient
    constant = [c for c in X_train.columns if X_train[c].nunique() <= 1]
    X_train, X_test = X_train.drop(columns=constant), X_test.drop(columns=constant)
    conts = [c for c in conts if c not in constant]
    names = [c for c in names if c not in constant]
    sd = X_train[conts].std(ddof=0)
    if not course and conts:
        scaler = StandardScaler().fit(X_train[conts])
        X_train[conts] = scaler.transform(X_train[conts])
        X_test[conts] = scaler.transform(X_test[conts])
    y_train = (train[S.VERIFIED] == POSITIVE).to_numpy(int)
    y_test = (test[S.VERIFIED] == POSITIVE).to_numpy(int)
    X_fit, y_fit = X_train, y_train
    if not course and cfg.rebalance == "upsample":
        minority = np.flatnonzero(y_train == 1)
        extra = resample(minority, replace=True, n_samples=int((y_train == 0).sum()) - len(minority),
                         random_state=seed)
        rows = np.concatenate([np.arange(len(y_train)), extra])
        X_fit, y_fit = X_train.iloc[rows].reset_index(drop=True), y_train[rows]
    return {"X_train": X_train, "X_test": X_test, "y_train": y_train, "y_test": y_test,
            "uncapped": df if course else raw_train,
            "X_fit": X_fit, "y_fit": y_fit, "train": train.reset_index(drop=True),
            "test_ids": test[S.ID].to_numpy(), "train_ids": train[S.ID].to_numpy(),
            "continuous": conts, "indicators": names, "constant": constant, "sd": sd,
            "fences": fences, "seed": seed,
            "balance_before": data[S.VERIFIED] if course else df[S.VERIFIED]}


def _levels(values, order=NAMES) -> list[LevelCount]:
    values = np.asarray(values)
    n = len(values)
    return [LevelCount(label=lvl, count=int((values == lvl).sum()),
                       share=stable(float((values == lvl).mean()) if n else 0.0)) for lvl in order]


def compute(loaded: LoadedData, config: Config, context=None) -> StageOutput:
    import pandas as pd
    from sklearn.linear_model import LogisticRegression

    cfg = config.regression
    course = config.protocol == "course"
    rows, sample = fitting_rows(loaded, config)
    df = rows.dropna()
    p = prepare(df, config)
    conts = p["continuous"]

    clf = LogisticRegression(random_state=p["seed"], max_iter=cfg.max_iter,
                             class_weight=None if course or cfg.rebalance != "class_weight"
                             else "balanced")
    clf.fit(p["X_fit"], p["y_fit"])
    score = clf.predict_proba(p["X_test"])[:, 1]
    predicted = clf.predict(p["X_test"])
    ev = evaluate(p["y_test"], predicted, score, NAMES)
    majority, base = majority_baseline(p["y_train"], p["y_test"], NAMES)
    baseline = Baseline(
        predicted_label=NAMES[majority], accuracy=base.accuracy,
        balanced_accuracy=base.balanced_accuracy, precision_verified=base.classes[1].precision,
        recall_verified=base.classes[1].recall, f1_verified=base.classes[1].f1,
        roc_auc=base.roc.auc, pr_auc=base.pr.auc, share_flagged=float(majority))

    # inference: course fits the exemplar's (upsampled, unscaled) training set as it is
    fit = fit_logit(p["X_train"], p["y_train"])
    coefficients = _coefficients(fit, p, cfg.steps, scaled=not course)
    risks = _risks(fit, p, cfg.steps, scaled=not course)
    rebalance = "upsample_before_split" if course else cfg.rebalance
    l1 = getattr(clf, "l1_ratio", None) or 0.0
    fits = (FitSettings(purpose="inference", library="statsmodels", estimator="Logit",
                        rows=fit.n, rebalance="upsample_before_split" if course else "none",
                        penalty="none", C=None, scaled=not course, max_iter=None),
            FitSettings(purpose="prediction", library="scikit-learn",
                        estimator="LogisticRegression", rows=len(p["y_fit"]), rebalance=rebalance,
                        penalty="l2" if l1 == 0 else "elasticnet", C=float(clf.C),
                        scaled=not course, max_iter=cfg.max_iter))

    features = [f for f in cfg.features if f not in S.LABELS]  # constant ones included: shown
    candidates = [*features, *[c for c in cfg.dropped_for_collinearity if c not in features]]
    corr = df[candidates].corr()
    vif_all, vif_model = vif(df[candidates]), (vif(df[conts]) if conts else {})
    vif_rows = []
    for col in candidates:
        others = corr[col].drop(col).abs()
        defined = others.notna().any()  # a constant column correlates with nothing
        vif_rows.append(VifRow(column=col, vif_all=stable(vif_all[col]),
                               vif_model=stable(vif_model[col]) if col in vif_model else None,
                               max_abs_correlation=stable(others.max()) if defined else np.nan,
                               most_correlated_with=str(others.idxmax()) if defined else "",
                               dropped=col not in features))
    source = p["uncapped"]  # outliers as found, before any capping
    outliers = []
    for col in candidates:
        q1, q3 = source[col].quantile([0.25, 0.75])
        upper = q3 + 1.5 * (q3 - q1)
        outliers.append(OutlierRow(column=col, q1=float(q1), q3=float(q3), upper_fence=float(upper),
                                   n_above=int((source[col] > upper).sum()),
                                   capped=col in cfg.capped))
    raw_train = p["train"]
    bt = box_tidwell(raw_train[conts].astype(float).join(p["X_train"][p["indicators"]]),
                     p["y_train"], conts)
    test_ids = p["test_ids"]
    in_train = int(np.isin(test_ids, p["train_ids"]).sum())
    repeated = int(len(test_ids) - len(np.unique(test_ids)))
    verified = ev.classes[1]
    key = {
        "protocol": config.protocol,
        "n_train": len(p["y_train"]),
        "n_test": len(p["y_test"]),
        "accuracy": ev.accuracy,
        "balanced_accuracy": ev.balanced_accuracy,
        "precision_verified": verified.precision,
        "recall_verified": verified.recall,
        "f1_verified": verified.f1,
        "roc_auc": ev.roc.auc,
        "pr_auc": ev.pr.auc,
        "share_verified_test": float(np.mean(p["y_test"])),
        "share_flagged": float(np.mean(predicted == 1)),
        "baseline_accuracy": baseline.accuracy,
        "test_rows_also_in_train": in_train,
        "pseudo_r2": fit.pseudo_r2,
    }
    result = RegressionResult(
        sample=sample,
        key_figures=key,
        undefined=undefined_reasons(key, {
            "precision_verified": "the model flagged no test video as verified",
            "f1_verified": "the model flagged no test video as verified",
            "pseudo_r2": "the statsmodels fit has no estimate (collinear or separated data)"}),
        protocol=config.protocol,
        rebalance=rebalance,
        random_state=p["seed"], rows_complete=len(df), n_train=len(p["y_train"]),
        n_test=len(p["y_test"]), predictors=list(p["X_train"].columns),
        balance_before=_levels(df[S.VERIFIED]),
        balance_train=_levels(np.where(p["y_fit"] == 1, NAMES[1], NAMES[0])),
        balance_test=_levels(np.where(p["y_test"] == 1, NAMES[1], NAMES[0])),
        test_rows_also_in_train=in_train, test_rows_repeated=repeated, outliers=outliers,
        correlation=Matrix(method="pearson", labels=candidates,
                           values=[[stable(v) for v in row] for row in corr.to_numpy()]),
        vif=vif_rows,
        linearity=[LinearityRow(column=c, box_tidwell_coef=bt[c][0], box_tidwell_p=bt[c][1])
                   for c in conts],
        empirical_logits=[EmpiricalLogit(column=c, **dict(zip(
            ("x", "logit"), empirical_logits(raw_train[c].to_numpy(float), p["y_train"]))))
            for c in conts],
        constant_terms=p["constant"],
        coefficients=coefficients, pseudo_r2=fit.pseudo_r2, llr_p=fit.llr_p,
        converged=fit.converged,
        sklearn_coefficients={"const": float(clf.intercept_[0]),
                              **{c: float(v) for c, v in zip(p["X_train"].columns, clf.coef_[0])}},
        confusion=ev.confusion, class_metrics=ev.classes, accuracy=ev.accuracy,
        balanced_accuracy=ev.balanced_accuracy, roc=ev.roc, pr=ev.pr,
        share_flagged=key["share_flagged"], baseline=baseline, inference_fit=fits[0],
        prediction_fit=fits[1], adjusted_risks=risks,
    )
    tables = {
        "coefficients": ("Logistic regression coefficients (statsmodels Logit)",
                         "Odds ratios with 95% confidence intervals.",
                         pd.DataFrame([c.model_dump() for c in coefficients])),
        "vif": ("Multicollinearity: variance inflation factors", "",
                pd.DataFrame([v.model_dump() for v in vif_rows])),
        "outliers": ("Outliers per predictor (Tukey's upper fence)", "",
                     pd.DataFrame([o.model_dump() for o in outliers])),
        "class_metrics": ("Test-set metrics per class", "",
                          pd.DataFrame([c.model_dump() for c in ev.classes])),
        "baseline": ("Prediction model against the no-information baseline (test set)",
                     f"Baseline: always answer \"{baseline.predicted_label}\", the class most "
                     "common in the training rows.",
                     comparison_table(ev, key["share_flagged"], base, float(majority))),
        "adjusted_risks": ("Verified authors per 100 videos: model-adjusted and observed",
                           "Adjusted: inference model's average predicted risk over the training "
                           "rows, all set to the level and then to the reference (counts: one "
                           "step more against as they are).",
                           pd.DataFrame([r.model_dump() for r in risks],
                                        columns=list(AdjustedRisk.model_fields))),
    }
    return StageOutput(result=result, tables=tables)


def _risks(fit, p: dict, steps: dict[str, float], scaled: bool) -> list[AdjustedRisk]:
    """Verified authors per 100 training videos for each term of the inference fit."""
    X, y, raw = p["X_train"], p["y_train"], p["train"]
    params = np.asarray(fit.coef, dtype=float)
    out = []
    for term in X.columns:
        if term in p["continuous"]:
            step = float(steps.get(term, 1.0))
            shift = step / (float(p["sd"][term]) or 1.0) if scaled else step
            out.append(AdjustedRisk(
                term=term, kind="continuous", column=term, level=None, reference=None, step=step,
                adjusted_per_100_level=100 * average_risk(params, X, shift={term: shift}),
                adjusted_per_100_reference=100 * average_risk(params, X),
                observed_per_100_level=None, observed_per_100_reference=None, n_level=None,
                n_reference=None))
            continue
        col, level, ref = _indicator(term)
        siblings = {t: 0.0 for t in X.columns if t in p["indicators"] and _indicator(t)[0] == col}
        seen, n_level = observed_rate(y, raw[col].to_numpy() == level)
        seen_ref, n_ref = observed_rate(y, raw[col].to_numpy() == ref)
        out.append(AdjustedRisk(
            term=term, kind="indicator", column=col, level=level, reference=ref, step=None,
            adjusted_per_100_level=100 * average_risk(params, X, assign={**siblings, term: 1.0}),
            adjusted_per_100_reference=100 * average_risk(params, X, assign=siblings),
            observed_per_100_level=100 * seen, observed_per_100_reference=100 * seen_ref,
            n_level=n_level, n_reference=n_ref))
    return out


def _coefficients(fit, p: dict, steps: dict[str, float], scaled: bool) -> list[Coefficient]:
    with np.errstate(over="ignore"):  # a separated category overflows exp(): stored as Infinity
        return _coefficient_rows(fit, p, steps, scaled)


def _coefficient_rows(fit, p: dict, steps: dict[str, float], scaled: bool) -> list[Coefficient]:
    out = []
    sd = p["sd"]
    for i, term in enumerate(fit.terms):
        b, lo, hi = fit.coef[i], fit.ci_low[i], fit.ci_high[i]
        common = dict(term=term, std_err=float(fit.std_err[i]), z=float(fit.z[i]),
                      p_value=float(fit.p_value[i]), coef=float(b), ci_low=float(lo),
                      ci_high=float(hi))
        if term == "const":
            out.append(Coefficient(kind="intercept", column=None, level=None, reference=None,
                                   odds_ratio_per_unit=float(np.exp(b)), odds_ratio_per_sd=None,
                                   or_sd_ci_low=None, or_sd_ci_high=None, step=None,
                                   odds_ratio_per_step=None, or_step_ci_low=None,
                                   or_step_ci_high=None, **common))
        elif term in p["continuous"]:
            s = float(sd[term]) or 1.0
            # per-unit and per-SD slopes, whichever scale the model was fitted on
            unit = np.array([b, lo, hi]) / (s if scaled else 1.0)
            per_sd = unit * s
            step = float(steps.get(term, 1.0))
            out.append(Coefficient(
                kind="continuous", column=term, level=None, reference=None,
                odds_ratio_per_unit=float(np.exp(unit[0])),
                odds_ratio_per_sd=float(np.exp(per_sd[0])), or_sd_ci_low=float(np.exp(per_sd[1])),
                or_sd_ci_high=float(np.exp(per_sd[2])), step=step,
                odds_ratio_per_step=float(np.exp(unit[0] * step)),
                or_step_ci_low=float(np.exp(unit[1] * step)),
                or_step_ci_high=float(np.exp(unit[2] * step)), **common))
        else:
            col, level, ref = _indicator(term)
            out.append(Coefficient(
                kind="indicator", column=col, level=level, reference=ref,
                odds_ratio_per_unit=float(np.exp(b)),
                odds_ratio_per_sd=None, or_sd_ci_low=None, or_sd_ci_high=None, step=1.0,
                odds_ratio_per_step=float(np.exp(b)), or_step_ci_low=float(np.exp(lo)),
                or_step_ci_high=float(np.exp(hi)), **common))
    return out


#: complete rows each verified level needs: a stratified split, a fit and a test set
MIN_CLASS_ROWS = 10


def preflight(loaded: LoadedData, config: Config) -> list[str]:
    """Both verified levels, with enough complete rows, and a predictor that varies."""
    df = loaded.frame.dropna()
    counts = {lvl: int((df[S.VERIFIED] == lvl).sum()) for lvl in NAMES}
    problems = []
    if min(counts.values()) < MIN_CLASS_ROWS:
        have = ", ".join(f"{n:,} {lvl}" for lvl, n in counts.items())
        problems.append(f"a regression of verified status needs at least {MIN_CLASS_ROWS} "
                        f"complete rows of each verified status (have {have})")
    share = config.regression.test_size
    smaller = min(counts.values())
    if not problems and (share * smaller < 1 or (1 - share) * smaller < 2):
        rare = min(counts, key=counts.get)
        problems.append(f"regression.test_size = {share:g} leaves about {share * smaller:.1f} "
                        f"of the {smaller:,} {rare} rows for the test set and "
                        f"{(1 - share) * smaller:.1f} for training; each needs some (at least 1 "
                        "and 2): choose a test_size between "
                        f"{1 / smaller:.3g} and {1 - 2 / smaller:.3g}")
    feats = [f for f in config.regression.features if f in df]
    if not problems and all(df[f].nunique() <= 1 for f in feats):
        problems.append("no predictor varies in the complete rows ("
                        f"{', '.join(feats)}); nothing can explain verified status")
    return problems
