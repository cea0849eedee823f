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
* ``search="fast"`` runs successive halving over random candidates from the course grids (the
  weak candidates are dropped after cheap fits on a fraction of the rows); ``"course"`` runs the
  exemplar's full grids (72 + 24 candidates, 5-fold), which takes minutes on two cores.
* The champion is chosen on the validation set (recall, then precision, then F1); the test set is
  used once, for the champion only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..data import schema as S
from ..features import design_matrix, fit_vectorizer, phrase_names
from ..modelio import feature_spec, serialise
from ..results.base import undefined_reasons
from ..results.modeling import (
    Importance,
    Interval,
    ModelingResult,
    ModelScores,
    SearchSummary,
    ThresholdRow,
)
from ..stats.evaluation import evaluate
from . import StageOutput

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..config import Config
    from ..data.load import LoadedData

__all__ = ["compute", "preflight", "prepare", "choose_champion", "GRIDS", "NAMES"]

COURSE_SEED = 0
MIN_CLASS_ROWS = 20  # complete rows per class, at the least (see min_class_rows)
CLASSES = ("opinion", "claim")  # 0, 1: claim is the positive class
NAMES = {"random_forest": "Random forest", "xgboost": "XGBoost"}
GRIDS = {  # the exemplar's grids
    "random_forest": {"max_depth": [5, 7, None], "max_features": [0.3, 0.6], "max_samples": [0.7],
                      "min_samples_leaf": [1, 2], "min_samples_split": [2, 3],
                      "n_estimators": [75, 100, 200]},
    "xgboost": {"max_depth": [4, 8, 12], "min_child_weight": [3, 5], "learning_rate": [0.01, 0.1],
                "n_estimators": [300, 500]},
}


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
            "X": {k: design_matrix(v, vec) for k, v in
                  (("train", train), ("validation", val), ("test", test))},
            "y": {"train": y_train, "validation": y_val, "test": y_test},
            "ids": {"train": train[S.ID].to_numpy(), "validation": val[S.ID].to_numpy(),
                    "test": test[S.ID].to_numpy()}}


def _estimator(kind: str, seed: int):
    if kind == "random_forest":
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(random_state=seed, n_jobs=1)
    from xgboost import XGBClassifier

    return XGBClassifier(objective="binary:logistic", random_state=seed, n_jobs=1)


FACTOR = 3  # successive halving keeps the best third of the candidates at each rung


def _grid_size(grid: dict[str, list]) -> int:
    return int(np.prod([len(v) for v in grid.values()]))


def _min_resources(y: np.ndarray, candidates: int, folds: int) -> int:
    """Rows in the first halving rung: what "exhaust" would pick, but never so few that a
    cross-validation fold of that rung holds fewer than two of the rarer class (recall would be
    undefined)."""
    import math

    n = len(y)
    rungs = 1 + int(math.floor(math.log(candidates, FACTOR)))
    exhaust = n // FACTOR ** (rungs - 1)
    minority = min(np.mean(y), 1 - np.mean(y))
    needed = math.ceil(2 * folds / minority) if minority > 0 else n
    return int(min(n, max(exhaust, needed, 2 * folds * 2)))


def _search(kind: str, X, y, config: Config, seed: int):
    """Tune *kind* for recall; returns the fitted search and its summary."""
    cfg = config.modeling
    grid = GRIDS[kind]
    if cfg.search == "course":
        from sklearn.model_selection import GridSearchCV

        search = GridSearchCV(_estimator(kind, seed), grid, cv=cfg.cv_folds, refit="recall",
                              scoring=["accuracy", "precision", "recall", "f1"], n_jobs=cfg.usable_n_jobs)
        method, recall_key = "full_grid", "recall"
    else:
        from sklearn.experimental import enable_halving_search_cv  # noqa: F401
        from sklearn.model_selection import HalvingRandomSearchCV

        search = HalvingRandomSearchCV(
            _estimator(kind, seed), grid, n_candidates=cfg.candidates, factor=FACTOR,
            min_resources=_min_resources(y, min(cfg.candidates, _grid_size(grid)), cfg.cv_folds),
            cv=cfg.cv_folds,
            scoring="recall", refit=True,
            random_state=seed, n_jobs=cfg.usable_n_jobs)
        method, recall_key = "halving_random", "score"
    search.fit(X, y)
    res, best = search.cv_results_, search.best_index_
    evaluated = len(res["params"])  # halving lists each candidate once per round it survives
    first_round = int(np.sum(np.asarray(res["iter"]) == 0)) if "iter" in res else evaluated
    return search.best_estimator_, SearchSummary(
        model=kind, name=NAMES[kind], method=method, candidates=first_round,
        fits=evaluated * cfg.cv_folds + 1,
        best_params={k: _plain(v) for k, v in search.best_params_.items()},
        cv_recall_mean=float(res[f"mean_test_{recall_key}"][best]),
        cv_recall_std=float(res[f"std_test_{recall_key}"][best]),
        grid={k: [_plain(v) for v in vs] for k, vs in grid.items()})


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def _scores(kind: str, proba: np.ndarray, y: np.ndarray, split: str) -> ModelScores:
    ev = evaluate(y, (proba >= 0.5).astype(int), proba, CLASSES)
    claim = ev.classes[1]
    return ModelScores(model=kind, name=NAMES[kind], split=split, recall=claim.recall,
                       precision=claim.precision, f1=claim.f1, accuracy=ev.accuracy,
                       roc_auc=ev.roc.auc, pr_auc=ev.pr.auc, confusion=ev.confusion,
                       classes=ev.classes, roc=ev.roc, pr=ev.pr)


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


def _wilson(k: int, n: int) -> Interval:
    from scipy import stats

    ci = stats.binomtest(k, n).proportion_ci(0.95, method="wilson") if n else None
    return Interval(value=k / n if n else float("nan"), low=ci.low if ci else float("nan"),
                    high=ci.high if ci else float("nan"), successes=k, trials=n)


def compute(loaded: LoadedData, config: Config) -> StageOutput:
    import pandas as pd
    from sklearn.inspection import permutation_importance

    from ..bundle import package_versions

    cfg = config.modeling
    df = loaded.frame.dropna()
    p = prepare(df, config)
    X, y, seed = p["X"], p["y"], p["seed"]
    models, searches = {}, []
    for kind in NAMES:
        models[kind], summary = _search(kind, X["train"], y["train"], config, seed)
        searches.append(summary)
    proba = {k: m.predict_proba(X["validation"])[:, 1] for k, m in models.items()}
    validation = [_scores(k, proba[k], y["validation"], "validation") for k in models]
    champion, reason = choose_champion(validation)
    model = models[champion]
    proba_val = proba[champion]
    proba_test = model.predict_proba(X["test"])[:, 1]  # the test set's only use
    test = _scores(champion, proba_test, y["test"], "test")

    thresholds = [_threshold_row(t, proba_val, y["validation"]) for t in cfg.thresholds]
    fine = [t for t in np.round(np.arange(0.01, 1.0, 0.01), 2)
            if _threshold_row(t, proba_val, y["validation"]).recall >= cfg.target_recall]
    perm = permutation_importance(model, X["validation"], y["validation"], scoring="recall",
                                  n_repeats=cfg.permutation_repeats, random_state=seed,
                                  n_jobs=cfg.usable_n_jobs)
    features = list(X["train"].columns)
    importances = sorted(
        (Importance(feature=f, importance=float(imp), permutation_mean=float(pm),
                    permutation_std=float(ps))
         for f, imp, pm, ps in zip(features, model.feature_importances_, perm.importances_mean,
                                   perm.importances_std)),
        key=lambda i: -i.importance)

    cm = np.asarray(test.confusion.counts)
    versions = package_versions()
    model_name, model_format, model_bytes, model_types = serialise(model, champion)
    predictions = pd.DataFrame({"video_id": p["ids"]["test"], "actual": y["test"],
                                "predicted": (proba_test >= 0.5).astype(int),
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
    flagged_none = "the model flagged no video of that set as a claim"
    result = ModelingResult(
        key_figures=key,
        undefined=undefined_reasons(key, {k: flagged_none for k in (
            "rf_val_precision", "xgb_val_precision", "champion_test_precision",
            "champion_test_f1")}), protocol=config.protocol, search=cfg.search, random_state=seed,
        rows_complete=len(df), n_train=len(y["train"]), n_validation=len(y["validation"]),
        n_test=len(y["test"]),
        claim_share={k: float(np.mean(v)) for k, v in y.items()}, features=features,
        phrases=phrase_names(p["vectorizer"]), searches=searches,
        validation=validation, champion=champion, champion_name=NAMES[champion],
        champion_reason=reason, test=test,
        test_recall_ci=_wilson(int(cm[1][1]), int(cm[1].sum())),
        test_precision_ci=_wilson(int(cm[1][1]), int(cm[:, 1].sum())),
        thresholds=thresholds,
        # scikit-learn forests report mean decrease in impurity; XGBoost's default is gain
        importance_kind="gain" if champion == "xgboost" else "impurity",
        threshold_for_target=max(fine) if fine else None,
        target_recall=cfg.target_recall, importances=importances,
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
        "thresholds": ("Recall and precision by decision threshold (validation)", "",
                       pd.DataFrame([t.model_dump() for t in thresholds])),
        "importances": ("Feature importances", "", pd.DataFrame([i.model_dump() for i in importances])),
        "test_predictions": ("Champion predictions on the test set", "", predictions),
    }
    artifacts = {model_name: model_bytes,
                 "features.json": feature_spec(features, p["vectorizer"], versions,
                                               model_types=model_types)}
    return StageOutput(result=result, tables=tables, artifacts=artifacts)


def _threshold_row(t: float, proba: np.ndarray, y: np.ndarray) -> ThresholdRow:
    pred = proba >= t
    tp = int((pred & (y == 1)).sum())
    flagged = int(pred.sum())
    positives = int((y == 1).sum())
    return ThresholdRow(threshold=float(t), recall=tp / positives if positives else float("nan"),
                        precision=tp / flagged if flagged else float("nan"), flagged=flagged,
                        missed_claims=positives - tp)



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
