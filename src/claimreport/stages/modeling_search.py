"""Hyper-parameters of the claim classifiers: tune on demand, refit on schedule.

The search (successive halving over random candidates from the course grids, or the exemplar's
full grids) is the expensive part of the modeling stage. A scheduled build on new data does not
need it: the settings found last time are stored in the bundle with the data they were tuned on
(:class:`~claimreport.results.modeling.Tuning`), and a new build refits them on the new training
rows. It searches again only

* on the first build, or when the search settings changed (grids, candidates, folds, protocol,
  seed): ``first_build`` / ``settings_changed``;
* when asked (``claimreport render --retune``): ``requested``;
* when the stored settings are older than ``[modeling] retune_after_days``: ``expired``;
* when the refitted champion misses the target recall on validation: ``refit_missed_target``.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np

from ..results.modeling import SearchSummary, Tuning

if TYPE_CHECKING:  # pragma: no cover
    from ..config import Config

__all__ = ["GRIDS", "NAMES", "FACTOR", "search", "refit", "tuning_settings", "stored_tuning"]

NAMES = {"random_forest": "Random forest", "xgboost": "XGBoost"}
GRIDS = {  # the exemplar's grids
    "random_forest": {"max_depth": [5, 7, None], "max_features": [0.3, 0.6], "max_samples": [0.7],
                      "min_samples_leaf": [1, 2], "min_samples_split": [2, 3],
                      "n_estimators": [75, 100, 200]},
    "xgboost": {"max_depth": [4, 8, 12], "min_child_weight": [3, 5], "learning_rate": [0.01, 0.1],
                "n_estimators": [300, 500]},
}
FACTOR = 3  # successive halving keeps the best third of the candidates at each rung


def estimator(kind: str, seed: int):
    if kind == "random_forest":
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(random_state=seed, n_jobs=1)
    from xgboost import XGBClassifier

    return XGBClassifier(objective="binary:logistic", random_state=seed, n_jobs=1)


def _grid_size(grid: dict[str, list]) -> int:
    return int(np.prod([len(v) for v in grid.values()]))


def _min_resources(y: np.ndarray, candidates: int, folds: int) -> int:
    """Rows in the first halving rung: what "exhaust" would pick, but never so few that a
    cross-validation fold of that rung holds fewer than two of the rarer class (recall would be
    undefined)."""
    n = len(y)
    rungs = 1 + int(math.floor(math.log(candidates, FACTOR)))
    exhaust = n // FACTOR ** (rungs - 1)
    minority = min(np.mean(y), 1 - np.mean(y))
    needed = math.ceil(2 * folds / minority) if minority > 0 else n
    return int(min(n, max(exhaust, needed, 2 * folds * 2)))


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def search(kind: str, X, y, config: Config, seed: int):
    """Tune *kind* for recall; returns the refitted best model and its summary."""
    cfg = config.modeling
    grid = GRIDS[kind]
    if cfg.search == "course":
        from sklearn.model_selection import GridSearchCV

        runner = GridSearchCV(estimator(kind, seed), grid, cv=cfg.cv_folds, refit="recall",
                              scoring=["accuracy", "precision", "recall", "f1"],
                              n_jobs=cfg.usable_n_jobs)
        method, recall_key = "full_grid", "recall"
    else:
        from sklearn.experimental import enable_halving_search_cv  # noqa: F401
        from sklearn.model_selection import HalvingRandomSearchCV

        runner = HalvingRandomSearchCV(
            estimator(kind, seed), grid, n_candidates=cfg.candidates, factor=FACTOR,
            min_resources=_min_resources(y, min(cfg.candidates, _grid_size(grid)), cfg.cv_folds),
            cv=cfg.cv_folds, scoring="recall", refit=True, random_state=seed,
            n_jobs=cfg.usable_n_jobs)
        method, recall_key = "halving_random", "score"
    runner.fit(X, y)
    res, best = runner.cv_results_, runner.best_index_
    evaluated = len(res["params"])  # halving lists each candidate once per round it survives
    first_round = int(np.sum(np.asarray(res["iter"]) == 0)) if "iter" in res else evaluated
    return runner.best_estimator_, SearchSummary(
        model=kind, name=NAMES[kind], method=method, candidates=first_round,
        fits=evaluated * cfg.cv_folds + 1,
        best_params={k: _plain(v) for k, v in runner.best_params_.items()},
        cv_recall_mean=float(res[f"mean_test_{recall_key}"][best]),
        cv_recall_std=float(res[f"std_test_{recall_key}"][best]),
        grid={k: [_plain(v) for v in vs] for k, vs in grid.items()})


def refit(kind: str, tuning: Tuning, X, y, seed: int):
    """Fit *kind* with the stored settings on the training rows (no search)."""
    params = dict(tuning.params[kind])
    model = estimator(kind, seed).set_params(**params).fit(X, y)
    return model, SearchSummary(
        model=kind, name=NAMES[kind], method="stored", candidates=1, fits=1, best_params=params,
        cv_recall_mean=tuning.cv_recall[kind], cv_recall_std=tuning.cv_recall_std[kind],
        grid={k: list(vs) for k, vs in GRIDS[kind].items()})


def tuning_settings(config: Config, seed: int) -> str:
    """What stored settings depend on: the search itself and the split."""
    cfg = config.modeling
    payload = {"search": cfg.search, "candidates": cfg.candidates, "cv_folds": cfg.cv_folds,
               "protocol": config.protocol, "seed": seed, "grids": GRIDS,
               "max_phrases": cfg.max_phrases}
    text = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def stored_tuning(previous, config: Config, seed: int, retune: bool,
                  now: str | None = None) -> tuple[Tuning | None, str]:
    """The stored settings to refit, or None and the reason to search instead."""
    tuning = getattr(previous, "tuning", None) if previous is not None else None
    if retune:
        return None, "requested"
    if tuning is None:
        return None, "first_build"
    if tuning.settings != tuning_settings(config, seed) or set(tuning.params) != set(NAMES):
        return None, "settings_changed"
    age = (date.fromisoformat(now or today()) - date.fromisoformat(tuning.tuned_at)).days
    if age > config.modeling.retune_after_days:
        return None, "expired"
    return tuning, "stored"


def new_tuning(searches: list[SearchSummary], config: Config, seed: int, data_name: str,
               data_sha256: str, reason: str) -> Tuning:
    """The settings a search found, to store for the next builds."""
    return Tuning(tuned_at=today(), data_name=data_name, data_sha256=data_sha256,
                  settings=tuning_settings(config, seed),
                  params={s.model: dict(s.best_params) for s in searches},
                  cv_recall={s.model: s.cv_recall_mean for s in searches},
                  cv_recall_std={s.model: s.cv_recall_std for s in searches},
                  source="searched", reason=reason)
