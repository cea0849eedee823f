"""Modeling stage (course 6): a claim-vs-opinion classifier tuned for recall of claims.

A false negative (a claim passed as an opinion) costs more than a false positive, so models are
tuned and chosen on recall of the claim class, with precision watched so the model does not flag
everything.

Notes
-----
* Split 60/20/20 before anything is fitted; the phrase vectoriser is fitted on the training
  part only, so validation and test text never shape the features.
* ``protocol="course"`` reproduces the exemplar's split (80/20 then 75/25, random_state 0, not
  stratified); ``"rigorous"`` stratifies both splits with the configured seed.
* ``search="fast"`` runs successive halving over the course grids with the ensemble size as the
  resource, both models at once (:mod:`.modeling_search`); ``"course"`` runs the exemplar's
  full grids (72 + 24 candidates, 5-fold), which takes minutes on two cores.
* The champion is chosen on the validation set (recall, then precision, then F1); the test set is
  used once, for the champion only.
* Does it beat the obvious? The majority class, the best single-feature threshold rule and a
  logistic regression are learned on the training rows and scored on the same validation set
  (:mod:`..stats.baselines`); the margin is in claims per 1,000.
* Where does it fail? On the test set: calibration (:mod:`..stats.calibration`), the engagement
  profile of its errors and recall by author status and for low-view videos
  (:mod:`..stats.slices`). The readiness verdict is :func:`..stats.readiness.readiness`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..data import schema as S
from ..features import design_matrix, fit_vectorizer, phrase_names
from ..modelio import feature_spec, serialise
from ..results.base import undefined_reasons
from ..results.modeling import Importance, ModelingResult, ModelScores
from ..stats.baselines import best_baseline, binary_scores, learn_baselines, margin_per_1000
from ..stats.calibration import calibration
from ..stats.evaluation import evaluate
from ..stats.readiness import MIN_MARGIN_PER_1000, MIN_SLICE_CLAIMS, readiness
from ..stats.slices import LOW_VIEWS_QUANTILE, error_profile, low_views_threshold, slice_masks, slice_scores
from ..stats.slices import wilson as _wilson
from ..stats.thresholds import DECISION_THRESHOLD, threshold_table
from . import StageOutput
from ._sample import fitting_rows
from .modeling_search import GRIDS, NAMES, new_tuning, refit, search_all, stored_tuning

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import Config
    from ..data.load import LoadedData

__all__ = ["compute", "preflight", "prepare", "choose_champion", "GRIDS", "NAMES"]

COURSE_SEED = 0
MIN_CLASS_ROWS = 20  # complete rows per class, at the least (see min_class_rows)
CLASSES = ("opinion", "claim")  # 0, 1: claim is the positive class


def prepare(df: pd.DataFrame, config: Config) -> dict:
    """Split complete rows 60/20/20 and build features; the vectoriser sees training text only."""
    from sklearn.model_selection import train_test_split

    course = config.protocol == "course"
    seed = COURSE_SEED if course else config.random_state
    y = (df[S.CLAIM] == "claim").to_numpy(int)
    strat = None if course else y
    rest, test, y_rest, y_test = train_test_split(df, y, test_size=0.2, random_state=seed,
                                                  stratify=strat)
    train, val, y_train, y_val = train_test_split(rest, y_rest, test_size=0.25, random_state=seed,
                                                  stratify=None if course else y_rest)
    vec = fit_vectorizer(train[S.TEXT], config.modeling.max_phrases)
    return {"vectorizer": vec, "seed": seed,
            "frames": {"train": train, "validation": val, "test": test},
            "X": {k: design_matrix(v, vec) for k, v in
                  (("train", train), ("validation", val), ("test", test))},
            "y": {"train": y_train, "validation": y_val, "test": y_test},
            "ids": {"train": train[S.ID].to_numpy(), "validation": val[S.ID].to_numpy(),
                    "test": test[S.ID].to_numpy()}}


def _scores(kind: str, proba: np.ndarray, y: np.ndarray, split: str) -> ModelScores:
    predicted = (proba >= DECISION_THRESHOLD).astype(int)
    ev = evaluate(y, predicted, proba, CLASSES)
    claim = ev.classes[1]
    return ModelScores(model=kind, name=NAMES[kind], split=split, recall=claim.recall,
                       precision=claim.precision, f1=claim.f1, accuracy=ev.accuracy,
                       roc_auc=ev.roc.auc, pr_auc=ev.pr.auc,
                       flag_rate=float(predicted.mean()) if len(y) else float("nan"),
                       confusion=ev.confusion, classes=ev.classes, roc=ev.roc, pr=ev.pr)


def choose_champion(scores: list[ModelScores]) -> tuple[str, str]:
    """The best validation recall; ties broken by precision, then F1, then listed order.

    Returns the model key and the reason code (``higher_recall``, ``higher_precision``,
    ``higher_f1``, ``tie`` or ``only_model``).
    """
    ranked = sorted(enumerate(scores), key=lambda s: (-s[1].recall, -s[1].precision, -s[1].f1, s[0]))
    best, runner = ranked[0][1], (ranked[1][1] if len(ranked) > 1 else None)
    if runner is None:
        return best.model, "only_model"
    if best.recall > runner.recall:
        why = "higher_recall"
    elif best.precision > runner.precision:
        why = "higher_precision"
    elif best.f1 > runner.f1:
        why = "higher_f1"
    else:
        why = "tie"
    return best.model, why


def _models(p: dict, config: Config, loaded: LoadedData, context):
    """Both models fitted on the training rows, their validation probabilities and scores, and
    the tuning they come from: stored settings refitted when valid, else a search."""
    X, y, seed = p["X"], p["y"], p["seed"]
    previous = context.previous.get("modeling") if context is not None else None
    tuning, why = stored_tuning(previous, config, seed, bool(context and context.retune))
    for attempt in ("stored", "search"):
        if attempt == "stored" and tuning is None:
            continue
        models, searches = {}, []
        fitted = ({kind: refit(kind, tuning, X["train"], y["train"], seed) for kind in NAMES}
                  if attempt == "stored" else  # both models' searches at once
                  search_all(X["train"], y["train"], config, seed,
                             getattr(context, "progress", None)))
        for kind in NAMES:
            models[kind], summary = fitted[kind]
            searches.append(summary)
        proba = {k: m.predict_proba(X["validation"])[:, 1] for k, m in models.items()}
        validation = [_scores(k, proba[k], y["validation"], "validation") for k in models]
        champion, reason = choose_champion(validation)
        best = next(s for s in validation if s.model == champion)
        if attempt == "stored":
            if best.recall >= config.modeling.target_recall:
                used = tuning.model_copy(update={"source": "stored", "reason": "stored"})
                return models, searches, proba, validation, champion, reason, used
            why = "refit_missed_target"  # the stored settings no longer do: search again
            continue
        used = new_tuning(searches, config, seed, loaded.source.name, loaded.sha256, why)
        return models, searches, proba, validation, champion, reason, used
    raise AssertionError("unreachable")  # pragma: no cover


def compute(loaded: LoadedData, config: Config, context=None) -> StageOutput:
    """The modeling result; *context* (a :class:`~claimreport.stages.BuildContext`) brings the
    previous build's result, whose stored hyper-parameters are refitted instead of searched
    again (see :mod:`.modeling_search`)."""
    from concurrent.futures import ThreadPoolExecutor

    import pandas as pd

    from ..bundle import package_versions
    from ..stats.permutation import permutation_importance

    cfg = config.modeling
    rows, sample = fitting_rows(loaded, config)
    df = rows.dropna()
    p = prepare(df, config)
    X, y, seed = p["X"], p["y"], p["seed"]
    models, searches, proba, validation, champion, reason, tuning = _models(p, config, loaded,
                                                                           context)
    model = models[champion]
    proba_val = proba[champion]
    proba_test = model.predict_proba(X["test"])[:, 1]  # the test set's only use
    test = _scores(champion, proba_test, y["test"], "test")

    thresholds, threshold_for_target = threshold_table(proba_val, y["validation"],
                                                       cfg.target_recall, cfg.thresholds)
    # scikit-learn's permutations and numbers, predicted in a few batched calls on threads
    # while this one checks the champion and serialises it (both only read the model)
    with ThreadPoolExecutor(1, thread_name_prefix="permutation") as background:
        pending = background.submit(permutation_importance, model, X["validation"],
                                    y["validation"], n_repeats=cfg.permutation_repeats,
                                    random_state=seed, n_jobs=cfg.usable_n_jobs)
        checks = _checks(p, proba_val, proba_test, test.recall, cfg.target_recall)
        cm = np.asarray(test.confusion.counts)
        versions = package_versions()
        model_name, model_format, model_bytes, model_types = serialise(model, champion)
        perm = pending.result()
    features = list(X["train"].columns)
    importances = sorted(
        (Importance(feature=f, importance=float(imp), permutation_mean=float(pm),
                    permutation_std=float(ps))
         for f, imp, pm, ps in zip(features, model.feature_importances_, perm.importances_mean,
                                   perm.importances_std)),
        key=lambda i: -i.importance)
    predictions = pd.DataFrame({"video_id": p["ids"]["test"], "actual": y["test"],
                                "predicted": (proba_test >= DECISION_THRESHOLD).astype(int),
                                "probability_claim": proba_test})
    scores = {s.model: s for s in validation}
    key = {
        "protocol": config.protocol, "search": cfg.search,
        "n_train": len(y["train"]), "n_validation": len(y["validation"]), "n_test": len(y["test"]),
        "rf_val_recall": scores["random_forest"].recall,
        "rf_val_precision": scores["random_forest"].precision,
        "xgb_val_recall": scores["xgboost"].recall,
        "xgb_val_precision": scores["xgboost"].precision,
        "champion": champion,
        "champion_test_recall": test.recall, "champion_test_precision": test.precision,
        "champion_test_f1": test.f1, "champion_test_roc_auc": test.roc_auc,
        "test_claims_missed": int(cm[1][0]), "test_opinions_flagged": int(cm[0][1]),
    }
    figures, reasons = _check_figures(checks)
    key.update(figures)
    result = ModelingResult(
        sample=sample,
        key_figures=key, undefined=undefined_reasons(key, reasons),
        protocol=config.protocol, search=cfg.search, random_state=seed,
        rows_complete=len(df), n_train=len(y["train"]), n_validation=len(y["validation"]),
        n_test=len(y["test"]),
        claim_share={k: float(np.mean(v)) for k, v in y.items()}, features=features,
        phrases=phrase_names(p["vectorizer"]), searches=searches, tuning=tuning,
        validation=validation, champion=champion, champion_name=NAMES[champion],
        champion_reason=reason, test=test,
        test_recall_ci=_wilson(int(cm[1][1]), int(cm[1].sum())),
        test_precision_ci=_wilson(int(cm[1][1]), int(cm[:, 1].sum())),
        thresholds=thresholds,
        # scikit-learn forests report mean decrease in impurity; XGBoost's default is gain
        importance_kind="gain" if champion == "xgboost" else "impurity",
        threshold_for_target=threshold_for_target,
        target_recall=cfg.target_recall, importances=importances,
        **checks,
        model_file=f"artifacts/modeling/{model_name}", model_format=model_format,
        feature_file="artifacts/modeling/features.json",
        package_versions={k: v for k, v in versions.items()
                          if k in ("scikit-learn", "xgboost", "numpy", "pandas")},
    )
    tables = {
        "validation": ("Scores on the validation set", "Claim is the positive class.",
                       pd.DataFrame([{k: getattr(s, k) for k in ("name", "recall", "precision",
                                                                 "f1", "accuracy", "roc_auc",
                                                                 "pr_auc")} for s in validation])),
        "thresholds": ("Recall and precision by decision threshold (validation)",
                       "Every 0.01 from 0.01 to 0.99; shown: the rows in the report's table.",
                       pd.DataFrame([t.model_dump() for t in thresholds])),
        "importances": ("Feature importances", "", pd.DataFrame([i.model_dump() for i in importances])),
        "test_predictions": ("Champion predictions on the test set", "", predictions),
        **_check_tables(checks, validation),
    }
    artifacts = {model_name: model_bytes,
                 "features.json": feature_spec(features, p["vectorizer"], versions,
                                               model_types=model_types)}
    return StageOutput(result=result, tables=tables, artifacts=artifacts)


UNDEFINED = {
    **{k: "the model flagged no video of that set as a claim" for k in (
        "rf_val_precision", "xgb_val_precision", "champion_test_precision", "champion_test_f1")},
    "baseline_rule_feature": "every feature is constant in the training rows",
    "baseline_rule_val_recall": "every feature is constant in the training rows",
    "baseline_rule_val_precision": "the rule flagged no video of the validation set",
    "baseline_logistic_val_recall": "the validation set holds no claim",
    "champion_margin_per_1000": "the validation set holds no claim",
    "champion_brier": "the test set is empty",
    "recall_low_views": "no claim in the test set has fewer views than the low-view line",
    "recall_verified": "no claim from a verified author in the test set",
    "recall_not_verified": "no claim from an unverified author in the test set",
    "flag_rate_verified": "no video from a verified author in the test set",
    "flag_rate_not_verified": "no video from an unverified author in the test set",
}


def _checks(p: dict, proba_val: np.ndarray, proba_test: np.ndarray, test_recall: float,
            target: float) -> dict:
    """Does it beat the obvious, and where does it fail: the result fields of the baselines,
    calibration, error profile, slices and the readiness verdict."""
    X, y, frames = p["X"], p["y"], p["frames"]
    baselines = learn_baselines(X["train"], y["train"], X["validation"], y["validation"], p["seed"])
    best = best_baseline(baselines)
    champ = binary_scores(y["validation"], proba_val >= DECISION_THRESHOLD)
    margin = (margin_per_1000(champ.caught, best.caught, champ.claims) if best is not None
              else float("nan"))
    predicted = proba_test >= DECISION_THRESHOLD
    low = low_views_threshold(frames["train"], y["train"])
    slices = slice_scores(y["test"], predicted, slice_masks(frames["test"], low), target,
                          MIN_SLICE_CLAIMS)
    verdict, reasons = readiness(test_recall, target, margin,
                                 [(s.claims, s.recall.value) for s in slices])
    return {"baselines": baselines, "best_baseline": best.kind if best is not None else None,
            "margin_per_1000": margin, "calibration": calibration(y["test"], proba_test),
            "errors": error_profile(frames["test"], y["test"], predicted), "slices": slices,
            "low_views_threshold": low, "low_views_quantile": LOW_VIEWS_QUANTILE,
            "readiness": verdict, "readiness_reasons": reasons,
            "min_margin_per_1000": MIN_MARGIN_PER_1000, "min_slice_claims": MIN_SLICE_CLAIMS}


def _check_figures(checks: dict) -> tuple[dict, dict[str, str]]:
    """The key figures of :func:`_checks` (NaN where not defined) and the reasons for the
    undefined ones."""
    nan = float("nan")
    base = {b.kind: b for b in checks["baselines"]}
    rule, slices = base.get("rule"), {s.slice: s for s in checks["slices"]}
    reasons = dict(UNDEFINED)
    if rule is None:
        reasons["baseline_rule_val_precision"] = UNDEFINED["baseline_rule_feature"]
    return {
        "baseline_rule_feature": rule.feature if rule else None,
        "baseline_rule_val_recall": rule.recall if rule else nan,
        "baseline_rule_val_precision": rule.precision if rule else nan,
        "baseline_logistic_val_recall": base["logistic"].recall,
        "champion_margin_per_1000": checks["margin_per_1000"],
        "champion_brier": checks["calibration"].brier,
        "recall_low_views": slices["low_views"].recall.value,
        "flag_rate_verified": slices["verified"].flag_rate.value,
        "flag_rate_not_verified": slices["not_verified"].flag_rate.value,
        "recall_verified": slices["verified"].recall.value,
        "recall_not_verified": slices["not_verified"].recall.value,
        "readiness": checks["readiness"],
    }, reasons


def _check_tables(checks: dict, validation: list[ModelScores]) -> dict:
    import pandas as pd

    cols = ("kind", "recall", "precision", "flag_rate", "caught", "claims", "flagged", "videos",
            "feature", "direction", "threshold", "train_balanced_accuracy")
    rows = [{"kind": s.model, "recall": s.recall, "precision": s.precision,
             "flag_rate": s.flag_rate, "caught": s.confusion.counts[1][1],
             "claims": sum(s.confusion.counts[1]),
             "flagged": s.confusion.counts[0][1] + s.confusion.counts[1][1],
             "videos": sum(map(sum, s.confusion.counts))} for s in validation]
    rows += [{c: getattr(b, c) for c in cols} for b in checks["baselines"]]
    slices = [{"slice": s.slice, "videos": s.videos, "claims": s.claims,
               "recall": s.recall.value, "recall_low": s.recall.low,
               "recall_high": s.recall.high, "flag_rate": s.flag_rate.value,
               "enough_claims": s.enough_claims, "below_target": s.below_target}
              for s in checks["slices"]]
    return {
        "baselines": ("The models beside simple baselines (validation)",
                      "Baselines are learned on the training rows only.", pd.DataFrame(rows)),
        "calibration": ("Reliability of the champion's probabilities (test)",
                        "Ten equal-width bins of the predicted probability of a claim.",
                        pd.DataFrame([b.model_dump() for b in checks["calibration"].bins])),
        "errors": ("Engagement profile of the champion's errors (test)", "",
                   pd.DataFrame([e.model_dump() for e in checks["errors"]])),
        "slices": ("Recall and flag rate by part of the test set",
                   "95% Wilson intervals for recall.", pd.DataFrame(slices)),
    }


def min_class_rows(config: Config) -> int:
    """Complete rows each class needs: after the 60/20/20 split, every cross-validation fold of
    the training part holds at least two of each class, and validation and test hold some."""
    return max(MIN_CLASS_ROWS, 4 * config.modeling.cv_folds)


def preflight(loaded: LoadedData, config: Config) -> list[str]:
    """Both classes, with enough complete rows each for the splits and the folds."""
    df = loaded.frame.dropna()
    counts = {c: int((df[S.CLAIM] == c).sum()) for c in ("claim", "opinion")}
    need = min_class_rows(config)
    if min(counts.values()) < need:
        have = " and ".join(f"{n:,} {c}s" for c, n in counts.items())
        return [f"the claim classifier needs at least {need} complete rows of each claim status "
                f"for its training, validation and test sets and {config.modeling.cv_folds} "
                f"cross-validation folds (have {have})"]
    return []
